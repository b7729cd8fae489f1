"""The shopping assistant: dialogue state, understanding (en + zh), tools, tiers and router.

Public API::

    from greencart.assistant import Assistant, check_grounded
    assistant = Assistant(catalog_service, recommend_service, energy_monitor)
    assistant.turn("a white t-shirt under 20", session=None, user=None, eco=None).to_dict()

Modules: ``state`` (dialogue state, session stores), ``lexicon`` (word lists),
``understand`` / ``understand_en`` / ``understand_zh`` (rules), ``tools``
(search, personalise, eco re-rank, compare, swap), ``act`` (tier 2 logic),
``respond`` (templates), ``grounding`` (validator), ``cache`` (tier 1),
``llm`` (backends), ``tiers`` and ``router`` (the cascade), ``assistant``
(the facade). Nothing loads a model at import.
"""

from greencart.assistant.assistant import Assistant, TurnResult
from greencart.assistant.cache import SemanticCache
from greencart.assistant.grounding import GroundingReport, check_grounded
from greencart.assistant.llm import LLMBackend, OpenAICompatibleBackend, OpenAIConfig
from greencart.assistant.router import Router, RouterConfig
from greencart.assistant.state import (
                                       Constraints,
                                       DialogueState,
                                       JsonFileSessionStore,
                                       MemorySessionStore,
                                       SessionStore,
)
from greencart.assistant.tiers import Tier, TierResult
from greencart.assistant.understand import Understanding, understand

__all__ = [
    "Assistant", "Constraints", "DialogueState", "GroundingReport", "JsonFileSessionStore", "LLMBackend",
    "MemorySessionStore", "OpenAICompatibleBackend", "OpenAIConfig", "Router", "RouterConfig",
    "SemanticCache", "SessionStore", "Tier", "TierResult", "TurnResult", "Understanding", "check_grounded",
    "understand",
]
