"""Recommendation endpoints: eco-re-ranked top-k per shopper, greener swaps per product.

Mount with ``app.include_router(router)`` and put a
:class:`greencart.recommend.service.RecommendService` at ``app.state.recommender``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from greencart.api.errors import ERROR_RESPONSES
from greencart.api.params import id_path, price_filter, text_filter
from greencart.recommend.engine import MAX_K
from greencart.recommend.service import RecommendService

router = APIRouter(prefix="/v1", tags=["recommend"], responses=ERROR_RESPONSES)


def recommender(request: Request) -> RecommendService:
    return request.app.state.recommender


Service = Annotated[RecommendService, Depends(recommender)]


class RecommendationOut(BaseModel):
    id: str
    title: str
    price: float
    currency: str
    category: str
    score: float = Field(description="alpha x relevance + (1 - alpha) x greenness, in [0, 1]")
    relevance: float = Field(description="Model relevance scaled to [0, 1] over the candidate pool")
    greenness: float = Field(description="1 = lowest footprint in its category, discounted by band width")
    footprint_kg_co2e: float | None
    footprint_low: float | None
    footprint_high: float | None
    footprint_method: str
    reason: str = Field(description="Why: the history behind it, and the footprint if re-ranking moved it")
    because: list[str] = Field(description="Product ids from the shopper's history behind this item")
    moved_by_footprint: bool


class RecommendationList(BaseModel):
    user_id: str
    alpha: float
    items: list[RecommendationOut]
    count: int


class SwapOut(BaseModel):
    id: str
    title: str
    price: float
    footprint_kg_co2e: float
    footprint_low: float
    footprint_high: float
    footprint_method: str
    saving_kg_co2e: float = Field(description="Central saving per unit, kg CO2e")
    saving_low_kg_co2e: float = Field(description="Saving if the original is at its low and the swap at its high")
    saving_high_kg_co2e: float
    similarity: float


class SwapList(BaseModel):
    product_id: str
    items: list[SwapOut]
    count: int


@router.get("/users/{user_id}/recommendations", response_model=RecommendationList,
            summary="Personal recommendations, eco re-ranked, with reasons")
def recommendations(
    svc: Service,
    user_id: Annotated[str, id_path("A shopper id")],
    k: int = Query(default=10, ge=1, le=MAX_K),
    alpha: float | None = Query(default=None, ge=0.0, le=1.0, description="1 = relevance only; default: merchant's"),
    category: str | None = text_filter("Category slug (hard filter)"),
    max_price: float | None = price_filter("Highest price, inclusive (hard filter)"),
) -> dict:
    items = svc.recommend(user_id, k, alpha=alpha, category=category, max_price=max_price)
    used = svc.config.alpha if alpha is None else alpha
    return {"user_id": user_id, "alpha": used, "items": [i.to_dict() for i in items], "count": len(items)}


@router.get("/products/{product_id}/greener", response_model=SwapList,
            summary="Same-need alternatives with a lower footprint and the saving")
def greener(
    svc: Service,
    product_id: Annotated[str, id_path("A product id")],
    k: int = Query(default=5, ge=1, le=MAX_K),
    max_price: float | None = price_filter("Highest price of a swap, inclusive"),
) -> dict:
    swaps = svc.greener(product_id, k, max_price=max_price)
    return {"product_id": product_id, "items": [s.to_dict() for s in swaps], "count": len(swaps)}
