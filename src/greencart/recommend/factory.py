"""Recommenders by name: ``make_recommender("ease", l2=100)``."""

from __future__ import annotations

from typing import Any

from greencart.errors import InvalidParameter
from greencart.recommend.base import BaseRecommender

MODEL_NAMES = ("popularity", "itemknn", "ease", "als", "bpr")
DEFAULT_MODEL = "ease"


def model_class(name: str) -> type[BaseRecommender]:
    if name == "popularity":
        from greencart.recommend.popularity import Popularity

        return Popularity
    if name == "itemknn":
        from greencart.recommend.itemknn import ItemKNN

        return ItemKNN
    if name == "ease":
        from greencart.recommend.ease import EASE

        return EASE
    if name in ("als", "bpr"):
        from greencart.recommend.implicit_models import ALS, BPR

        return ALS if name == "als" else BPR
    raise InvalidParameter(f"Expected a model in {MODEL_NAMES}, got {name!r}")


def make_recommender(name: str = DEFAULT_MODEL, **params: Any) -> BaseRecommender:
    """A new, unfitted model; ``params`` are its dataclass fields (checked)."""
    cls = model_class(name)
    try:
        return cls(cls.params_type(**params))
    except TypeError as exc:
        raise InvalidParameter(f"Bad parameters for {name}: {exc}") from None
