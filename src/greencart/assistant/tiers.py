"""The tiers a turn can be resolved on, cheapest first.

1. :class:`CacheTier`: a semantic cache of recent resolved turns.
2. :class:`RulesTier`: deterministic understanding, tools and templates.
3. (later) a small local generative model; 4. :class:`LLMPhrasingTier` over any
   :class:`~greencart.assistant.llm.LLMBackend` (an OpenAI-compatible server).

A tier returns a :class:`TierResult` or ``None`` (cannot resolve: next tier).
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from greencart.assistant.act import Outcome, act
from greencart.assistant.cache import SemanticCache, state_key
from greencart.assistant.grounding import check_grounded
from greencart.assistant.llm import LLMBackend, phrase_messages
from greencart.assistant.state import Constraints, DialogueState
from greencart.assistant.tools import Tools
from greencart.assistant.understand import Understanding
from greencart.errors import GreencartError

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


@dataclass
class TierResult:
    tier: str
    outcome: Outcome
    extra_energy_j: float = 0.0  # estimated energy spent outside this process (a remote model)
    notes: list[str] = field(default_factory=list)


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
        return TierResult(self.name, outcome)

    def remember(self, ctx: TurnContext, result: TierResult) -> None:
        """Store a resolved turn under the state it started from."""
        self.cache.store(ctx.text, ctx.key, ctx.understanding.signature(),
                         {"outcome": result.outcome, "state": _snapshot(ctx.state)})


class RulesTier:
    name = "rules"

    def __init__(self, tools: Tools) -> None:
        self.tools = tools

    def resolve(self, ctx: TurnContext) -> TierResult | None:
        outcome = act(ctx.understanding, ctx.state, self.tools)
        outcome.confidence = ctx.understanding.confidence
        return TierResult(self.name, outcome)


class LLMPhrasingTier:
    """Rules and tools decide; the model rewrites the template reply; the rewrite is
    kept only if :func:`check_grounded` accepts it, otherwise the template stays."""

    def __init__(self, rules: RulesTier, backend: LLMBackend, *, max_tokens: int = 200) -> None:
        self.rules, self.backend, self.max_tokens = rules, backend, max_tokens
        self.name = backend.name

    def estimate_energy_j(self, ctx: TurnContext) -> float:
        return self.backend.estimate_energy_j(len(ctx.text) + 600, self.max_tokens)

    def resolve(self, ctx: TurnContext) -> TierResult | None:
        base = self.rules.resolve(ctx)
        assert base is not None
        draft = base.outcome.reply
        try:
            reply = self.backend.complete(phrase_messages(ctx.text, draft), max_tokens=self.max_tokens)
        except GreencartError as exc:
            log.warning("LLM phrasing skipped: %s", exc.message)
            base.notes.append("llm-unavailable")
            return base
        report = check_grounded(reply.text, [*base.outcome.tool_results, {"draft": draft}])
        result = TierResult(self.name, base.outcome, reply.energy_j)
        if report.ok and reply.text:
            base.outcome.reply = reply.text
        else:
            result.notes.append(f"llm reply rejected: {report.reason()}")
        return result
