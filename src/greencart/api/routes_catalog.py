"""Catalogue, search and footprint endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from greencart.api.schemas import CategoryOut, FootprintOut, ProductList, ProductOut, SearchResult
from greencart.service import MAX_K, MAX_PAGE, CatalogService
from greencart.store.catalog_repo import ProductFilter

router = APIRouter(prefix="/v1", tags=["catalogue"])


def service(request: Request) -> CatalogService:
    return request.app.state.service


Service = Annotated[CatalogService, Depends(service)]
Price = Query(default=None, ge=0, le=1e9)


@router.get("/products", response_model=ProductList, summary="List products with hard filters")
def list_products(
    svc: Service,
    category: str | None = None,
    max_price: float | None = Price,
    min_price: float | None = Price,
    limit: int = Query(default=50, ge=1, le=MAX_PAGE),
    offset: int = Query(default=0, ge=0),
) -> dict:
    flt = ProductFilter(category=category, max_price=max_price, min_price=min_price)
    cards = svc.list_products(flt, limit=limit, offset=offset)
    return {"items": [c.to_dict() for c in cards], "count": len(cards)}


@router.get("/products/search", response_model=SearchResult, summary="Hybrid text search (English and Chinese)")
def search_products(
    svc: Service,
    q: str = Query(min_length=1, max_length=500, description="Search text"),
    max_price: float | None = Price,
    min_price: float | None = Price,
    category: str | None = None,
    colour: str | None = None,
    material: str | None = None,
    k: int = Query(default=10, ge=1, le=MAX_K),
) -> dict:
    from greencart.catalog.search import SearchFilters

    attributes = {name: v for name, v in (("colour", colour), ("material", material)) if v}
    filters = SearchFilters(max_price=max_price, min_price=min_price, category=category, attributes=attributes)
    cards = svc.search(q, filters, k=k)
    return {"query": q, "items": [c.to_dict() for c in cards], "count": len(cards)}


@router.get("/products/{product_id}", response_model=ProductOut, summary="One product with its footprint")
def get_product(svc: Service, product_id: str) -> dict:
    return svc.product(product_id).to_dict()


@router.get(
    "/products/{product_id}/footprint",
    response_model=FootprintOut,
    summary="A product's carbon footprint, its band, method and source",
)
def get_footprint(svc: Service, product_id: str) -> dict:
    card = svc.product(product_id)
    return {"product_id": card.id, **card.footprint}


@router.get("/categories", response_model=list[CategoryOut], summary="Categories with product counts")
def list_categories(svc: Service) -> list[dict]:
    return svc.categories()
