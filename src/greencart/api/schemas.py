"""Response models: they document the API (OpenAPI) and fix its field names."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ProductOut(BaseModel):
    id: str
    title: str
    title_zh: str | None = None
    category: str
    price: float
    currency: str = Field(description="ISO 4217 code")
    weight_kg: float | None = None
    attributes: dict[str, str]
    description: str
    footprint_kg_co2e: float = Field(description="Estimated cradle-to-gate (or declared) kg CO2e per unit")
    footprint_low: float = Field(description="Lower end of the band, kg CO2e")
    footprint_high: float = Field(description="Upper end of the band, kg CO2e")
    footprint_method: str = Field(description="declared | reference | spend | category-default")
    footprint_source: str = Field(description="Where the figure comes from")
    footprint_commodity: str | None = None
    footprint_confidence: float | None = None
    score: float | None = Field(default=None, description="Search relevance (search results only)")


class FootprintOut(BaseModel):
    product_id: str
    footprint_kg_co2e: float
    footprint_low: float
    footprint_high: float
    footprint_method: str
    footprint_source: str
    footprint_commodity: str | None = None
    footprint_confidence: float | None = None


class ProductList(BaseModel):
    items: list[ProductOut]
    count: int


class SearchResult(BaseModel):
    query: str
    items: list[ProductOut]
    count: int


class CategoryOut(BaseModel):
    slug: str
    name_en: str
    name_zh: str | None = None
    products: int


class Health(BaseModel):
    status: str
    version: str
    database: str
    counts: dict[str, int]


class Problem(BaseModel):
    """The API's one error body, for every 4xx and 5xx (see greencart.api.errors)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"error": "NotFound", "detail": "No product with id 'X1'"}]})

    error: str = Field(description="Error name, e.g. NotFound, InvalidParameter, PayloadTooLarge")
    detail: str = Field(description="What was wrong and what was expected")
