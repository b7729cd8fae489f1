"""The assistant: one call per shopper turn, metered, routed, stored.

    assistant = Assistant(catalog_service, recommend_service, monitor)
    result = assistant.turn("a white t-shirt under 20", session=None, user="U1")
    result.to_dict()  # reply, products, tier, energy {energy_j, carbon_g, method}, session, ...
"""

from __future__ import annotations

import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from greencart.assistant.cache import SemanticCache, catalogue_version_source
from greencart.assistant.history import ConversationLog, Exchange, record_exchange, redact_incoming
from greencart.assistant.llm import LLMBackend
from greencart.assistant.ports import Catalogue, Monitor, Recommender
from greencart.assistant.router import Router, RouterConfig
from greencart.assistant.state import (
    DialogueState,
    MemorySessionStore,
    SessionStore,
    TurnRecord,
    check_session_id,
    new_session_id,
)
from greencart.assistant.act import Outcome
from greencart.assistant.tiers import CacheTier, RulesTier, TierName, TierResult, TurnContext
from greencart.assistant.tools import Tools, public_product
from greencart.assistant.understand import understand
from greencart.errors import InvalidParameter, NotFound
from greencart.support import ServiceAnswer, SupportDesk

MAX_MESSAGE_CHARS = 2000
ECO_TRUE_WEIGHT = 0.8


@dataclass(frozen=True)
class TurnResult:
    reply: str
    products: list[dict[str, Any]]
    tier: str
    energy: dict[str, Any]
    session: str
    intent: str
    confidence: float
    latency_ms: float
    notes: list[str] = field(default_factory=list)
    tool_results: list[Any] = field(default_factory=list, repr=False)  # what the reply may cite
    # Every language-model call this turn made, accepted or not (e.g. "understand:llm-local:rejected"):
    # a turn resolved by the rules after a rejected model answer still spent the model's joules.
    model_calls: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"reply": self.reply, "products": self.products, "tier": self.tier, "energy": self.energy,
                "session": self.session, "intent": self.intent, "confidence": self.confidence,
                "latency_ms": self.latency_ms, "model_calls": self.model_calls}


def clean_message(message: Any) -> str:
    """A chat message as text: non-empty, bounded, no control characters."""
    if not isinstance(message, str):
        raise InvalidParameter(f"Expected message to be text, got {type(message).__name__}")
    text = "".join(ch for ch in message if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()
    if not text:
        raise InvalidParameter("Expected a non-empty message")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidParameter(f"Expected a message of at most {MAX_MESSAGE_CHARS} characters, got {len(text)}")
    return text


def eco_weight(eco: float | bool | None) -> float | None:
    if eco is None:
        return None
    if isinstance(eco, bool):
        return ECO_TRUE_WEIGHT if eco else 0.0
    if not isinstance(eco, (int, float)) or not 0.0 <= float(eco) <= 1.0:
        raise InvalidParameter(f"Expected eco in [0, 1] or a boolean, got {eco!r}")
    return float(eco)


def _service_result(answer: ServiceAnswer) -> TierResult:
    """A service-desk answer as the rules tier's result: templates over the store's data."""
    outcome = Outcome(answer.reply, [], [answer], f"service.{answer.intent.value}", 1.0)
    return TierResult(TierName.RULES, outcome,
                      notes=("service-desk", *(f"cites:{c}" for c in answer.order_ids + answer.clause_ids)))


@contextmanager
def _both(first: Any, second: Any) -> Iterator[None]:
    with first, second:
        yield


class Assistant:
    def __init__(self, catalog: Catalogue, recommender: Recommender | None = None, monitor: Monitor | None = None, *,
                 store: SessionStore | None = None, cache: SemanticCache | None = None,
                 llm: LLMBackend | Sequence[LLMBackend] | None = None, config: RouterConfig | None = None,
                 history: ConversationLog | None = None, support: SupportDesk | None = None) -> None:
        self.tools = Tools(catalog, recommender)
        self.support = support  # customer service: the shopper's own orders and the shop's policy
        self.store: SessionStore = store if store is not None else MemorySessionStore()
        self._monitor = monitor
        self._owns_monitor = False
        rules = RulesTier(self.tools)
        self.cache = cache if cache is not None else SemanticCache()
        self.cache.bind_version(catalogue_version_source(catalog))  # never replay an older catalogue
        self.history = history  # redacts turns before they are kept, stores them (greencart.assistant.history)
        self.router = Router(rules, CacheTier(self.cache), llm or None, config or RouterConfig())
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    _MAX_LOCKS = 10_000

    def _session_lock(self, session_id: str | None) -> Any:
        """Turns on one session run one at a time (read state, route, write state);
        a new session needs no lock. The table is bounded: when full it is reset,
        which can only let two turns of one session overlap at that moment."""
        if session_id is None:
            return nullcontext()
        store_lock = getattr(self.store, "lock", None)  # scale-out: a lock all workers share
        if store_lock is not None:
            return _both(self._thread_lock(session_id), store_lock(check_session_id(session_id)))
        return self._thread_lock(session_id)

    def _thread_lock(self, session_id: str) -> threading.Lock:
        with self._locks_guard:
            lock = self._locks.get(session_id)
            if lock is None:
                if len(self._locks) >= self._MAX_LOCKS:
                    self._locks.clear()
                lock = self._locks[session_id] = threading.Lock()
            return lock

    def vocabulary(self) -> Any:
        """The catalogue's own words (spelling, spacing, Chinese nouns over English titles); None
        for a catalogue without a database. Rebuilt when the catalogue changes."""
        from greencart.assistant.lexicon import assistant_words
        from greencart.catalog.vocabulary import vocabulary_for

        return vocabulary_for(self.tools.catalog, extra_words=assistant_words())

    @property
    def monitor(self) -> Monitor:
        """The energy monitor turns are metered on: the one passed in (the composition root's,
        started), or else one of default settings, started here and stopped by :meth:`close`."""
        if self._monitor is None:
            from greencart.energy import EnergyMonitor

            self._monitor = EnergyMonitor().start()
            self._owns_monitor = True
        return self._monitor

    def close(self) -> None:
        """Stop the monitor this assistant started itself (none when one was passed in)."""
        if self._owns_monitor and self._monitor is not None:
            self._monitor.stop()
            self._monitor = None
            self._owns_monitor = False

    def _state(self, session: str | None, user: str | None) -> DialogueState:
        if session is not None:
            check_session_id(session)
            state = self.store.get(session)
            if state is not None:
                if user and user != state.user_id:
                    state.user_id = user
                return state
        return DialogueState(session_id=session or new_session_id(), user_id=user)

    def turn(self, message: Any, *, session: str | None = None, user: str | None = None,
             eco: float | bool | None = None) -> TurnResult:
        """Resolve one shopper turn on the cheapest tier that can, as one energy work unit."""
        text = clean_message(message)
        if user is not None and (not isinstance(user, str) or not 0 < len(user) <= 128):
            raise InvalidParameter(f"Expected user to be an id of 1-128 characters, got {user!r}")
        weight = eco_weight(eco)
        with self._session_lock(session):
            t0 = time.perf_counter()
            with self.monitor.unit("assistant.turn", route="chat") as unit:
                incoming = redact_incoming(self.history, text)  # personal data never reaches the state
                state = self._state(session, user)
                if weight is not None:
                    state.eco_weight = weight
                service = self.support.answer(incoming.understand_text, state.user_id) if self.support else None
                if service is not None:  # an order, return or policy question: answered from data, no model
                    result, confidence = _service_result(service), 1.0
                else:
                    focus = next((i for i, p in enumerate(state.shown) if p["id"] == state.focus), None)
                    ctx = TurnContext(incoming.understand_text, state,
                                      understand(incoming.understand_text, state.shown, focus=focus,
                                                 vocab=self.vocabulary()))
                    result, confidence = self.router.route(ctx), ctx.understanding.confidence
                unit.tags["tier"] = tier = result.tier.value
            energy = self._energy(unit, result.extra_energy_j)
            latency_ms = round((time.perf_counter() - t0) * 1000, 3)
            state.add_turn(TurnRecord("user", incoming.kept_text))
            state.add_turn(TurnRecord("assistant", result.outcome.reply, tier, energy["energy_j"], energy["carbon_g"]))
            state.energy_j_total += energy["energy_j"]
            state.carbon_g_total += energy["carbon_g"]
            self.store.put(state)
            if self.history is not None:  # after the state is saved; never raises, never loses the reply
                record_exchange(self.history, Exchange(
                    state.session_id, state.user_id, state.lang, incoming.kept_text, result.outcome.reply,
                    tier, energy["energy_j"], energy["carbon_g"], energy["method"], result.outcome.intent,
                    tuple(p["id"] for p in result.outcome.products), incoming.redactions))
        return TurnResult(result.outcome.reply, [public_product(p) for p in result.outcome.products], tier,
                          energy, state.session_id, result.outcome.intent, round(confidence, 3),
                          latency_ms, list(result.notes), result.outcome.tool_results,
                          [str(step) for step in result.steps])

    @staticmethod
    def _energy(unit: Any, extra_j: float) -> dict[str, Any]:
        r = unit.result
        energy_j, carbon_g, method = (r.energy_j, r.carbon_g, r.method) if r else (0.0, 0.0, "unmetered")
        if extra_j > 0:
            per_j = (r.intensity_g_per_kwh / 3.6e6) if r else 0.0
            energy_j, carbon_g, method = energy_j + extra_j, carbon_g + extra_j * per_j, f"{method}+llm-estimated"
        return {"energy_j": round(energy_j, 6), "carbon_g": round(carbon_g, 9), "method": method}

    def session(self, session_id: str) -> dict[str, Any]:
        """A session's state as a dict; NotFound if unknown or expired."""
        state = self.store.get(check_session_id(session_id))
        if state is None:
            raise NotFound(f"No session {session_id!r} (unknown or expired)")
        out = state.to_dict()
        out["shown"] = [public_product(p) for p in state.shown]
        return out
