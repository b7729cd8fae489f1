"""The router: each turn goes to the cheapest tier that can resolve it.

    cache -> rules -> llm-local -> llm-remote

1. A cache hit replays a resolved turn.
2. The rules understand the turn. A generative model is asked to *understand*
   it only when ``understand`` says so ("unparsed": the rules' confidence is
   below ``min_confidence`` or the intent is unknown) and its estimated energy
   fits what is left of the per-turn ``energy_budget_j``. Models are tried in
   ``prefer`` order (local first by default); the next is tried only when one
   fails or gives nothing that validates.
3. The tools act on the (possibly model-improved) understanding, exactly as on
   the rules' own, and template the reply.
4. A model *phrases* the reply when ``phrase`` says so ("low-confidence": the
   rules' confidence was below ``min_confidence``) and the budget allows; a
   rewrite that fails the grounding check is dropped and the template kept.

The turn's tier is the most expensive tier that shaped the answer. A model that
fails leaves the rules' result and a note, never an error. Deterministic turns
(confident rules) never reach a model under the defaults.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from greencart.assistant.llm import LLMBackend, external_energy_j
from greencart.assistant.llm_understand import LLMUnderstander
from greencart.assistant.tiers import (
    Action,
    CacheTier,
    LLMPhrasingTier,
    RulesTier,
    Step,
    TierName,
    TierResult,
    TurnContext,
    Verdict,
)
from greencart.errors import InvalidParameter, check_range

PHRASE_MODES = ("never", "low-confidence", "always")
UNDERSTAND_MODES = ("never", "unparsed", "always")
PREFER = ("local", "remote")
TIER_ORDER = tuple(t.value for t in TierName)  # cheapest first


@dataclass(frozen=True)
class RouterConfig:
    min_confidence: float = 0.5
    energy_budget_j: float = 50.0  # the most a turn may spend on generative models (estimated)
    phrase: str = "low-confidence"
    understand: str = "unparsed"
    prefer: str = "local"  # which generative tier is tried first when both exist
    cache: bool = True

    def __post_init__(self) -> None:
        check_range("min_confidence", self.min_confidence, 0.0, 1.0)
        check_range("energy_budget_j", self.energy_budget_j, 0.0, 1e7)
        if self.phrase not in PHRASE_MODES:
            raise InvalidParameter(f"Expected phrase in {PHRASE_MODES}, got {self.phrase!r}")
        if self.understand not in UNDERSTAND_MODES:
            raise InvalidParameter(f"Expected understand in {UNDERSTAND_MODES}, got {self.understand!r}")
        if self.prefer not in PREFER:
            raise InvalidParameter(f"Expected prefer in {PREFER}, got {self.prefer!r}")

    @classmethod
    def llm_every_turn(cls, *, prefer: str = "local", energy_budget_j: float = 1e6) -> RouterConfig:
        """The "LLM on every turn" baseline: no cache, every turn understood and phrased by a model."""
        return cls(min_confidence=1.0, energy_budget_j=energy_budget_j, phrase="always", understand="always",
                   prefer=prefer, cache=False)


@dataclass
class _Spend:
    left_j: float
    extra_j: float = 0.0
    notes: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    failed: bool = False  # a model did not answer: the turn is not cached

    def afford(self, what: str, name: str, estimate_j: float) -> bool:
        if estimate_j > self.left_j:
            self.notes.append(f"{name} {what} skipped: estimated {estimate_j:.3g} J > {self.left_j:.3g} J left "
                              "of the turn's energy budget")
            return False
        self.left_j -= estimate_j
        return True


class Router:
    """``llm``: one backend, or several (their ``name`` says local or remote)."""

    def __init__(self, rules: RulesTier, cache: CacheTier | None = None,
                 llm: LLMBackend | Sequence[LLMBackend] | LLMPhrasingTier | None = None,
                 config: RouterConfig | None = None, *, understander: LLMUnderstander | None = None) -> None:
        self.rules, self.cache = rules, cache
        self.config = config or RouterConfig()
        if isinstance(llm, LLMPhrasingTier):
            llm = llm.backend
        backends = [] if llm is None else [llm] if not isinstance(llm, Sequence) else list(llm)
        first = TierName.LLM_LOCAL if self.config.prefer == "local" else TierName.LLM_REMOTE
        phrasers = [LLMPhrasingTier(rules, b) for b in backends]
        phrasers.sort(key=lambda p: p.tier is not first)  # stable: the preferred tier first
        self.phrasers = phrasers
        self.understander = understander or LLMUnderstander()

    @property
    def backends(self) -> list[LLMBackend]:
        return [p.backend for p in self.phrasers]

    def _unsure(self, ctx: TurnContext) -> bool:
        return ctx.understanding.confidence < self.config.min_confidence or ctx.understanding.intent == "unknown"

    def wants_understanding(self, ctx: TurnContext) -> bool:
        mode = self.config.understand
        return bool(self.phrasers) and (mode == "always" or (mode == "unparsed" and self._unsure(ctx)))

    def wants_phrasing(self, ctx: TurnContext) -> bool:
        mode = self.config.phrase
        return bool(self.phrasers) and (mode == "always" or (mode == "low-confidence" and self._unsure(ctx)))

    def wants_llm(self, ctx: TurnContext) -> bool:
        """Whether this turn would go to a generative tier (before budget and failures)."""
        return self.wants_understanding(ctx) or self.wants_phrasing(ctx)

    def _understand(self, ctx: TurnContext, spend: _Spend) -> TierName | None:
        """Let the models improve ``ctx.understanding``; the tier that did, or None."""
        for phraser in self.phrasers:
            backend = phraser.backend
            if not spend.afford("understanding", backend.name, self.understander.estimate_energy_j(ctx.text, backend)):
                continue
            attempt = self.understander.understand(ctx.text, ctx.understanding, backend)
            spend.notes.extend(attempt.notes)
            if attempt.reply is not None:
                spend.extra_j += external_energy_j(attempt.reply)
            if attempt.understanding is not None:
                ctx.understanding = attempt.understanding
                spend.steps.append(Step(Action.UNDERSTAND, phraser.tier, Verdict.ACCEPTED))
                return phraser.tier
            verdict = Verdict.REJECTED if attempt.reply else Verdict.FAILED
            spend.failed = spend.failed or verdict is Verdict.FAILED
            spend.steps.append(Step(Action.UNDERSTAND, phraser.tier, verdict))
        return None

    def _phrase(self, ctx: TurnContext, base: TierResult, spend: _Spend) -> TierResult:
        for phraser in self.phrasers:
            draft = base.outcome.reply
            if not spend.afford("phrasing", phraser.name, phraser.estimate_energy_j(ctx, draft)):
                base = base.with_note(spend.notes[-1])
                continue
            result = phraser.phrase(ctx, base)
            if result.accepted(Action.PHRASE, phraser.tier):
                return result
            # answered but rejected (its energy was spent), or failed: keep the draft, the notes, the steps
            base = replace(base, extra_energy_j=result.extra_energy_j, steps=result.steps, notes=result.notes,
                           degraded=result.degraded)
        return base

    def route(self, ctx: TurnContext) -> TierResult:
        use_cache = self.cache is not None and self.config.cache
        if use_cache and (hit := self.cache.resolve(ctx)) is not None:  # type: ignore[union-attr]
            return hit
        signature, phrase = ctx.understanding.signature(), self.wants_phrasing(ctx)  # on the rules' confidence
        spend = _Spend(self.config.energy_budget_j)
        understood_by = self._understand(ctx, spend) if self.wants_understanding(ctx) else None
        rules = self.rules.resolve(ctx)
        assert rules is not None
        result = replace(rules, tier=understood_by or rules.tier, notes=tuple(spend.notes), steps=tuple(spend.steps),
                         degraded=spend.failed)
        if phrase:
            phrased = self._phrase(ctx, result, spend)
            if phrased.tier is not result.tier:
                phrased = replace(phrased, tier=max(result.tier, phrased.tier, key=lambda t: t.rank))
            result = phrased
        result = replace(result, extra_energy_j=result.extra_energy_j + spend.extra_j)
        if use_cache and not result.degraded:
            self.cache.remember(ctx, result, signature)  # type: ignore[union-attr]
        return result
