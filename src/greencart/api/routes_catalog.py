"""Catalogue, search and footprint endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from greencart.api.errors import ERROR_RESPONSES
from greencart.api.params import MAX_OFFSET, id_path, price_filter, text_filter
from greencart.api.schemas import CategoryOut, FootprintOut, ProductList, ProductOut, SearchResult
from greencart.catalog.service import MAX_K, MAX_PAGE, CatalogService
from greencart.store.catalog_repo import ProductFilter

router = APIRouter(prefix="/v1", tags=["catalogue"], responses=ERROR_RESPONSES)
ProductId = Annotated[str, id_path("A product id, e.g. GC-000003 or a stock code")]
# Stateful fuzzing (and clients) follow these from a listing to its first product.
_FIRST_ITEM = {"product_id": "$response.body#/items/0/id"}
ITEM_LINKS = {200: {"links": {
    "GetFirstProduct": {"operationRef": "#/paths/~1v1~1products~1{product_id}/get", "parameters": _FIRST_ITEM},
    "GetFirstFootprint": {"operationRef": "#/paths/~1v1~1products~1{product_id}~1footprint/get",
                          "parameters": _FIRST_ITEM},
}}}


def service(request: Request) -> CatalogService:
    return request.app.state.service


def metered(request: Request, name: str):  # type: ignore[no-untyped-def]
    """A child energy unit for the endpoint's work, opened in the worker thread
    that runs the (sync) endpoint, so its CPU time rolls up into the request."""
    return request.app.state.monitor.unit(name)


Service = Annotated[CatalogService, Depends(service)]


@router.get("/products", response_model=ProductList, summary="List products with hard filters",
            responses=ITEM_LINKS)
def list_products(
    request: Request,
    svc: Service,
    category: str | None = text_filter("Category slug, e.g. home-decor (hard filter)"),
    max_price: float | None = price_filter("Highest price, inclusive (hard filter)"),
    min_price: float | None = price_filter("Lowest price, inclusive (hard filter; above max_price: no items)"),
    limit: int = Query(default=50, ge=1, le=MAX_PAGE),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> dict:
    flt = ProductFilter(category=category, max_price=max_price, min_price=min_price)
    with metered(request, "catalog list"):
        cards = svc.list_products(flt, limit=limit, offset=offset)
    return {"items": [c.to_dict() for c in cards], "count": len(cards)}


@router.get("/products/search", response_model=SearchResult, summary="Hybrid text search (English and Chinese)",
            responses=ITEM_LINKS)
def search_products(
    request: Request,
    svc: Service,
    q: str = Query(min_length=1, max_length=500, description="Search text"),
    max_price: float | None = price_filter("Highest price, inclusive (hard filter)"),
    min_price: float | None = price_filter("Lowest price, inclusive (hard filter; above max_price: no items)"),
    category: str | None = text_filter("Category slug (hard filter)"),
    colour: str | None = text_filter("Colour attribute, e.g. white (hard filter)"),
    material: str | None = text_filter("Material attribute, e.g. glass (hard filter)"),
    k: int = Query(default=10, ge=1, le=MAX_K),
) -> dict:
    from greencart.catalog.search import SearchFilters

    if min_price is not None and max_price is not None and min_price > max_price:
        return {"query": q, "items": [], "count": 0}  # no price satisfies both: nothing to search
    attributes = {name: v for name, v in (("colour", colour), ("material", material)) if v}
    filters = SearchFilters(max_price=max_price, min_price=min_price, category=category, attributes=attributes)
    with metered(request, "catalog search"):
        cards = svc.search(q, filters, k=k)
    return {"query": q, "items": [c.to_dict() for c in cards], "count": len(cards)}


@router.get("/products/{product_id}", response_model=ProductOut, summary="One product with its footprint")
def get_product(request: Request, svc: Service, product_id: ProductId) -> dict:
    with metered(request, "catalog product"):
        return svc.product(product_id).to_dict()


@router.get(
    "/products/{product_id}/footprint",
    response_model=FootprintOut,
    summary="A product's carbon footprint, its band, method and source",
)
def get_footprint(request: Request, svc: Service, product_id: ProductId) -> dict:
    with metered(request, "catalog footprint"):
        card = svc.product(product_id)
    return {"product_id": card.id, **card.footprint}


@router.get("/categories", response_model=list[CategoryOut], summary="Categories with product counts")
def list_categories(svc: Service) -> list[dict]:
    return svc.categories()
