"""Catalogue, search and footprint endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from greencart.api.schemas import CategoryOut, FootprintOut, ProductList, ProductOut, SearchResult
from greencart.catalog.service import MAX_K, MAX_PAGE, CatalogService
from greencart.store.catalog_repo import ProductFilter

router = APIRouter(prefix="/v1", tags=["catalogue"])


def service(request: Request) -> CatalogService:
    return request.app.state.service


def metered(request: Request, name: str):  # type: ignore[no-untyped-def]
    """A child energy unit for the endpoint's work, opened in the worker thread
    that runs the (sync) endpoint, so its CPU time rolls up into the request."""
    return request.app.state.monitor.unit(name)


Service = Annotated[CatalogService, Depends(service)]


def _price(description: str):  # type: ignore[no-untyped-def]
    """A fresh Query per parameter: FastAPI binds a shared FieldInfo to one name."""
    return Query(default=None, ge=0, le=1e9, description=description)


@router.get("/products", response_model=ProductList, summary="List products with hard filters")
def list_products(
    request: Request,
    svc: Service,
    category: str | None = None,
    max_price: float | None = _price("Highest price, inclusive (hard filter)"),
    min_price: float | None = _price("Lowest price, inclusive (hard filter)"),
    limit: int = Query(default=50, ge=1, le=MAX_PAGE),
    offset: int = Query(default=0, ge=0),
) -> dict:
    flt = ProductFilter(category=category, max_price=max_price, min_price=min_price)
    with metered(request, "catalog list"):
        cards = svc.list_products(flt, limit=limit, offset=offset)
    return {"items": [c.to_dict() for c in cards], "count": len(cards)}


@router.get("/products/search", response_model=SearchResult, summary="Hybrid text search (English and Chinese)")
def search_products(
    request: Request,
    svc: Service,
    q: str = Query(min_length=1, max_length=500, description="Search text"),
    max_price: float | None = _price("Highest price, inclusive (hard filter)"),
    min_price: float | None = _price("Lowest price, inclusive (hard filter)"),
    category: str | None = None,
    colour: str | None = None,
    material: str | None = None,
    k: int = Query(default=10, ge=1, le=MAX_K),
) -> dict:
    from greencart.catalog.search import SearchFilters

    attributes = {name: v for name, v in (("colour", colour), ("material", material)) if v}
    filters = SearchFilters(max_price=max_price, min_price=min_price, category=category, attributes=attributes)
    with metered(request, "catalog search"):
        cards = svc.search(q, filters, k=k)
    return {"query": q, "items": [c.to_dict() for c in cards], "count": len(cards)}


@router.get("/products/{product_id}", response_model=ProductOut, summary="One product with its footprint")
def get_product(request: Request, svc: Service, product_id: str) -> dict:
    with metered(request, "catalog product"):
        return svc.product(product_id).to_dict()


@router.get(
    "/products/{product_id}/footprint",
    response_model=FootprintOut,
    summary="A product's carbon footprint, its band, method and source",
)
def get_footprint(request: Request, svc: Service, product_id: str) -> dict:
    with metered(request, "catalog footprint"):
        card = svc.product(product_id)
    return {"product_id": card.id, **card.footprint}


@router.get("/categories", response_model=list[CategoryOut], summary="Categories with product counts")
def list_categories(svc: Service) -> list[dict]:
    return svc.categories()
