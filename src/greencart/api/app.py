"""``create_app()``: the FastAPI application, built from explicit settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from greencart import __version__
from greencart.api.errors import install_error_handlers
from greencart.api.routes_catalog import router as catalog_router
from greencart.api.schemas import Health
from greencart.config import Settings
from greencart.service import CatalogService


def create_app(settings: Settings | None = None, service: CatalogService | None = None) -> FastAPI:
    """The API over the configured database. Settings are read here, not at import."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        svc = service or CatalogService(settings)
        svc.db.require_migrated()
        app.state.service = svc
        yield
        if service is None:
            svc.close()

    app = FastAPI(
        title="greencart",
        version=__version__,
        summary="Energy-aware shopping assistant: catalogue, search and product carbon footprints.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(catalog_router)

    @app.get("/health", response_model=Health, tags=["service"])
    def health() -> dict:
        svc: CatalogService = app.state.service
        return {"status": "ok", "version": __version__, "database": svc.db.dialect, "counts": svc.counts()}

    return app
