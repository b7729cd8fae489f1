"""The router: each turn goes to the cheapest tier that can resolve it.

Cache first. Then the rules tier when the rules are confident enough
(``min_confidence``) or no generative tier is configured or affordable within
the per-turn energy budget; otherwise the generative tier (which still takes
every fact from the tools and is grounding-checked).
"""

from __future__ import annotations

from dataclasses import dataclass

from greencart.assistant.tiers import CacheTier, LLMPhrasingTier, RulesTier, TierResult, TurnContext
from greencart.errors import InvalidParameter, check_range

PHRASE_MODES = ("never", "low-confidence", "always")


@dataclass(frozen=True)
class RouterConfig:
    min_confidence: float = 0.5
    energy_budget_j: float = 50.0  # the most a turn may spend on a generative tier (estimated)
    phrase: str = "low-confidence"
    cache: bool = True

    def __post_init__(self) -> None:
        check_range("min_confidence", self.min_confidence, 0.0, 1.0)
        check_range("energy_budget_j", self.energy_budget_j, 0.0, 1e7)
        if self.phrase not in PHRASE_MODES:
            raise InvalidParameter(f"Expected phrase in {PHRASE_MODES}, got {self.phrase!r}")


class Router:
    def __init__(self, rules: RulesTier, cache: CacheTier | None = None,
                 llm: LLMPhrasingTier | None = None, config: RouterConfig | None = None) -> None:
        self.rules, self.cache, self.llm = rules, cache, llm
        self.config = config or RouterConfig()

    def wants_llm(self, ctx: TurnContext) -> bool:
        cfg = self.config
        if self.llm is None or cfg.phrase == "never":
            return False
        if cfg.phrase == "low-confidence" and ctx.understanding.confidence >= cfg.min_confidence:
            return False
        return self.llm.estimate_energy_j(ctx) <= cfg.energy_budget_j

    def route(self, ctx: TurnContext) -> TierResult:
        use_cache = self.cache is not None and self.config.cache
        if use_cache and (hit := self.cache.resolve(ctx)) is not None:  # type: ignore[union-attr]
            return hit
        tier = self.llm if self.wants_llm(ctx) else self.rules
        result = tier.resolve(ctx)  # type: ignore[union-attr]
        assert result is not None
        if use_cache and result.tier == "rules":
            self.cache.remember(ctx, result)  # type: ignore[union-attr]
        return result
