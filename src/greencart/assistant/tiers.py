"""The tiers a turn can be resolved on, cheapest first.

1. :class:`CacheTier`: a semantic cache of recent resolved turns.
2. :class:`RulesTier`: deterministic understanding, tools and templates.
3. ``llm-local`` and 4. ``llm-remote``: a generative model over any
   :class:`~greencart.assistant.llm.LLMBackend` (SmolLM2 in this process, or an
   OpenAI-compatible server) that *understands* a turn the rules could not parse
   (:mod:`~greencart.assistant.llm_understand`) and/or *phrases* the template
   reply (:class:`LLMPhrasingTier`). Tools still supply every product and figure.

A tier returns a :class:`TierResult` or ``None`` (cannot resolve: next tier);
:class:`~greencart.assistant.router.Router` composes them. Results are immutable
(``dataclasses.replace`` makes the next one); the decisions in them are typed:
:class:`TierName` (ordered cheapest first), and :class:`Step` (what a model was asked,
:class:`Action`, and what came of it, :class:`Verdict`), never strings to match.
"""

from __future__ import annotations

import copy
import json
import logging
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from greencart.assistant.act import Outcome, act
from greencart.assistant.cache import SemanticCache, state_key
from greencart.assistant.grounding import check_grounded, extract_numbers
from greencart.assistant.llm import PROMPT_LABELS, LLMBackend, external_energy_j, phrase_messages
from greencart.assistant.state import Constraints, DialogueState
from greencart.assistant.tools import Tools
from greencart.assistant.understand import Understanding
from greencart.errors import GreencartError, InvalidParameter

log = logging.getLogger(__name__)
_STATE_FIELDS = ("lang", "eco_weight", "shown", "focus", "asked_clarification")


@dataclass
class TurnContext:
    text: str
    state: DialogueState
    understanding: Understanding
    key: str = ""

    def __post_init__(self) -> None:
        self.key = self.key or state_key(self.state)


class TierName(StrEnum):
    """The tiers, cheapest first (their order is :attr:`rank`)."""

    CACHE = "cache"
    RULES = "rules"
    LLM_LOCAL = "llm-local"
    LLM_REMOTE = "llm-remote"

    @property
    def rank(self) -> int:
        return list(TierName).index(self)

    @property
    def is_model(self) -> bool:
        return self in (TierName.LLM_LOCAL, TierName.LLM_REMOTE)

    @classmethod
    def of_backend(cls, backend: LLMBackend) -> TierName:
        """The generative tier a backend serves (its ``name``: llm-local or llm-remote)."""
        try:
            tier = cls(backend.name)
        except ValueError:
            tier = None
        if tier is None or not tier.is_model:
            raise InvalidParameter(f"Expected an LLM backend named 'llm-local' or 'llm-remote', got {backend.name!r}")
        return tier


class Action(StrEnum):
    UNDERSTAND = "understand"
    PHRASE = "phrase"


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # the model answered; the answer failed validation or grounding
    FAILED = "failed"  # the model did not answer (unavailable, error, timeout)


@dataclass(frozen=True)
class Step:
    """One language-model call of a turn. ``str()``: ``understand:llm-local``,
    ``phrase:llm-remote:rejected`` (the form reported as a turn's ``model_calls``)."""

    action: Action
    tier: TierName
    verdict: Verdict

    def __str__(self) -> str:
        tail = "" if self.verdict is Verdict.ACCEPTED else f":{self.verdict.value}"
        return f"{self.action.value}:{self.tier.value}{tail}"


@dataclass(frozen=True)
class TierResult:
    tier: TierName
    outcome: Outcome
    extra_energy_j: float = 0.0  # estimated energy spent outside this process (a remote model)
    notes: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    degraded: bool = False  # a model was unavailable or failed: the turn is not cached

    def accepted(self, action: Action, tier: TierName) -> bool:
        return Step(action, tier, Verdict.ACCEPTED) in self.steps

    def with_note(self, note: str, *, degraded: bool = False) -> TierResult:
        return replace(self, notes=(*self.notes, note), degraded=self.degraded or degraded)


@runtime_checkable
class Tier(Protocol):
    name: str

    def resolve(self, ctx: TurnContext) -> TierResult | None: ...


def _snapshot(state: DialogueState) -> dict[str, Any]:
    out = {f: copy.deepcopy(getattr(state, f)) for f in _STATE_FIELDS}
    out["constraints"] = copy.deepcopy(state.constraints.__dict__)
    return out


def _restore(state: DialogueState, snap: dict[str, Any]) -> None:
    for f in _STATE_FIELDS:
        setattr(state, f, copy.deepcopy(snap[f]))
    state.constraints = Constraints(**copy.deepcopy(snap["constraints"]))


class CacheTier:
    name = "cache"

    def __init__(self, cache: SemanticCache) -> None:
        self.cache = cache

    def resolve(self, ctx: TurnContext) -> TierResult | None:
        payload = self.cache.lookup(ctx.text, ctx.key, ctx.understanding.signature())
        if payload is None:
            return None
        _restore(ctx.state, payload["state"])
        o = payload["outcome"]
        outcome = Outcome(o.reply, copy.deepcopy(o.products), o.tool_results, o.intent, o.confidence)
        return TierResult(TierName.CACHE, outcome)

    def remember(self, ctx: TurnContext, result: TierResult, signature: tuple[Any, ...] | None = None) -> None:
        """Store a resolved turn under the state it started from (``signature``: the rules'
        understanding the lookup will compute, when a model changed ``ctx.understanding``)."""
        self.cache.store(ctx.text, ctx.key, ctx.understanding.signature() if signature is None else signature,
                         {"outcome": result.outcome, "state": _snapshot(ctx.state)})


class RulesTier:
    name = "rules"

    def __init__(self, tools: Tools) -> None:
        self.tools = tools

    def resolve(self, ctx: TurnContext) -> TierResult | None:
        outcome = act(ctx.understanding, ctx.state, self.tools)
        return TierResult(TierName.RULES, replace(outcome, confidence=ctx.understanding.confidence))


class LLMPhrasingTier:
    """Rules and tools decide; the model rewrites the template reply. The rewrite is kept
    only when it is complete (not cut by max_tokens), states no figure or product the
    tools did not return (:func:`check_grounded`) and keeps every figure of the draft;
    otherwise the template stays and a note says why."""

    def __init__(self, rules: RulesTier, backend: LLMBackend, *, max_tokens: int = 160,
                 temperature: float = 0.0) -> None:
        self.rules, self.backend, self.max_tokens, self.temperature = rules, backend, max_tokens, temperature
        self.tier = TierName.of_backend(backend)
        self.name = self.tier.value

    def estimate_energy_j(self, ctx: TurnContext, draft: str | None = None) -> float:
        """The budget estimate; with the draft known, from the actual prompt's length."""
        chars = len(json.dumps(phrase_messages(ctx.text, draft))) if draft is not None else len(ctx.text) + 600
        return self.backend.estimate_energy_j(chars, self.max_tokens)

    def resolve(self, ctx: TurnContext) -> TierResult | None:
        base = self.rules.resolve(ctx)
        assert base is not None
        return self.phrase(ctx, base)

    def phrase(self, ctx: TurnContext, base: TierResult) -> TierResult:
        """``base`` rephrased (tier = this backend, step ``phrase`` accepted); a rejected rewrite
        keeps the draft with a note and a rejected step; a failing model returns ``base`` with
        a note, marked degraded."""
        draft = base.outcome.reply
        try:
            reply = self.backend.complete(phrase_messages(ctx.text, draft), max_tokens=self.max_tokens,
                                          temperature=self.temperature)
        except GreencartError as exc:
            log.warning("LLM phrasing skipped: %s", exc.message)
            return base.with_note(f"{self.name} phrasing unavailable: {exc.message}", degraded=True)
        why = self._rejection(reply, draft, base)
        verdict = Verdict.REJECTED if why else Verdict.ACCEPTED
        notes = (*base.notes, why) if why else base.notes
        outcome = base.outcome if why else replace(base.outcome, reply=reply.text)
        return replace(base, tier=self.tier, outcome=outcome, notes=notes,
                       extra_energy_j=base.extra_energy_j + external_energy_j(reply),
                       steps=(*base.steps, Step(Action.PHRASE, self.tier, verdict)))

    def _rejection(self, reply: Any, draft: str, base: TierResult) -> str | None:
        """Why the rewrite is not kept (a note), or None to keep it."""
        report = check_grounded(reply.text, [*base.outcome.tool_results, {"draft": draft}])
        missing = sorted(set(extract_numbers(draft)) - set(extract_numbers(reply.text)))
        if reply.finish_reason == "length" or not reply.text:
            return f"{self.name} reply rejected: cut short at {self.max_tokens} tokens"
        if not report.ok:
            return f"{self.name} reply rejected: {report.reason()}"
        if missing:
            return f"{self.name} reply rejected: dropped figures of the draft: {', '.join(missing)}"
        if any(label in reply.text for label in PROMPT_LABELS):
            return f"{self.name} reply rejected: it repeats the prompt's labels"
        if reply.text.strip() == draft.strip():
            return f"{self.name} reply unchanged: the draft was kept"
        return None
