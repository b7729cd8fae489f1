"""Governance endpoints: the sustainability report, and explanations of a recommendation
and of a footprint figure. Errors go to the API's one handler."""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from greencart.governance.report import PERIOD_PATTERN

router = APIRouter(prefix="/v1", tags=["governance"])
MEDIA = {"json": "application/json", "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
         "pdf": "application/pdf"}


class AttributionOut(BaseModel):
    item_id: str
    contribution: float = Field(description="Share of the score in model units")
    share: float = Field(description="Of the sum of positive contributions")


class RecommendationExplanationOut(BaseModel):
    user_id: str
    item_id: str
    score: float
    method: str
    attributions: list[AttributionOut]


class FootprintExplanationOut(BaseModel):
    product_id: str
    text: str
    method: str
    kg_co2e: float
    low_kg_co2e: float
    high_kg_co2e: float
    confidence: float
    commodity_code: str | None
    factor_kg_co2e_per_usd_2021: float | None
    source: str


def _settings(request: Request) -> Any:
    return request.app.state.service.settings


def _in_order(period: str) -> str:
    """A range given end first is read in order (the schema cannot say which date comes first)."""
    first, sep, last = period.partition("..")
    return f"{last}..{first}" if sep and last < first else period


@router.get("/reports/sustainability", summary="Sustainability report for a period (json, md, html or pdf)",
            response_model=None, responses={200: {"description": "The report in the asked format",
                                                  "content": {media.split(";")[0]: {} for media in MEDIA.values()}}})
def sustainability(request: Request,
                   period: str = Query(description="2024, 2024-Q1, 2024-03 or 2024-01-01..2024-03-31 (end day "
                                                   "included; years 1000-2999)", pattern=PERIOD_PATTERN),
                   format: Literal["json", "md", "html", "pdf"] = "json") -> Any:
    from greencart.governance.report import Period, ReportContext, build_report
    from greencart.privacy import Pseudonymiser

    period = _in_order(period)

    settings = _settings(request)
    ledger = getattr(request.app.state, "ledger", None)
    if ledger is not None and hasattr(ledger, "flush"):
        ledger.flush()  # units metered so far are in the report
    report = build_report(ReportContext(request.app.state.service.db, Period.parse(period),
                                        FsPath(settings.var_dir), Pseudonymiser.from_env(settings.var_dir)))
    if format == "json":
        return report.as_dict()
    body: bytes | str = report.pdf() if format == "pdf" else report.html() if format == "html" else report.markdown()
    name = f"sustainability-{report.period.label.replace('..', '_')}.{format}"
    return Response(body, media_type=MEDIA[format], headers={"content-disposition": f'inline; filename="{name}"'})


@router.get("/users/{user_id}/explanations/{product_id}", response_model=RecommendationExplanationOut,
            summary="Which of the shopper's purchases made this recommendation (the model's own contributions)")
def recommendation_explanation(request: Request, user_id: Annotated[str, Path(min_length=1, max_length=64)],
                               product_id: Annotated[str, Path(min_length=1, max_length=64)],
                               n: int = Query(default=5, ge=1, le=50)) -> dict:
    from greencart.governance.explain import explain_recommendation

    model = request.app.state.recommender.engine().model
    return explain_recommendation(model, user_id, product_id, n).as_dict()


@router.get("/products/{product_id}/footprint/explanation", response_model=FootprintExplanationOut,
            summary="Why this footprint figure: method, factor, class confidence and band in plain words")
def footprint_explanation(request: Request, product_id: Annotated[str, Path(min_length=1, max_length=64)]) -> dict:
    from greencart.errors import NotFound
    from greencart.governance.explain import explain_footprint
    from greencart.store.catalog_repo import get_product
    from greencart.store.footprint_repo import get_footprint

    with request.app.state.service.db.read() as s:
        product, fp = get_product(s, product_id), get_footprint(s, product_id)
    if fp is None:
        raise NotFound(f"No footprint for {product_id!r}: run `greencart footprints estimate`")
    return {"product_id": product_id, **explain_footprint(fp, product.title)}
