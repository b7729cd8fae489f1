"""``create_app()``: the FastAPI application, built from explicit settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Response

from greencart import __version__
from greencart.api.errors import install_error_handlers
from greencart.api.limits import install_limits
from greencart.api.openapi import install_openapi
from greencart.api.routes_catalog import router as catalog_router
from greencart.api.routes_chat import router as chat_router
from greencart.api.routes_content import router as content_router
from greencart.api.routes_dashboard import router as dashboard_router
from greencart.api.routes_governance import router as governance_router
from greencart.api.routes_ops import router as ops_router
from greencart.api.routes_recommend import router as recommend_router
from greencart.api.routes_routing import router as routing_router
from greencart.api.routes_ui import mount_ui
from greencart.api.schemas import Health
from greencart.bootstrap import build_monitor, build_services, read_options
from greencart.catalog.service import CatalogService
from greencart.config import Settings
from greencart.content.service import ContentService
from greencart.energy import EnergyMiddleware, EnergyMonitor, metrics_app


def create_app(
    settings: Settings | None = None,
    service: CatalogService | None = None,
    monitor: EnergyMonitor | None = None,
) -> FastAPI:
    """The API over the configured database. Settings are read here, not at import.

    Every request is an energy work unit: responses carry X-Energy-J,
    X-Carbon-g and X-Energy-Method (an estimate, labelled so), the attributed
    figure goes to the ledger table and to Prometheus at /metrics.
    """
    settings = settings or Settings.from_env()
    options = read_options()  # the deployment's energy, recommender and model-tier options, once
    monitor = monitor or build_monitor(options)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # One composition root (greencart.bootstrap) for the API, the CLI and the benchmarks.
        services = build_services(settings, options=options, catalog=service, monitor=monitor.start(),
                                  serving=True)
        app.state.services = services
        app.state.service = services.catalog
        app.state.monitor = monitor
        app.state.ledger = services.start_ledger()  # the dashboard flushes it before reading
        # The trained model loads lazily from var/models; without one, 503 says to train.
        app.state.recommender = services.recommender
        # Model tiers from the options; conversations stored redacted, under keyed pseudonyms (docs/privacy.md);
        # order, return and policy questions answered from the store and the merchant's policy file.
        app.state.assistant = services.assistant()
        # Descriptions polish with the assistant's first model tier when one is configured.
        app.state.content = ContentService(services.catalog, monitor, next(iter(app.state.assistant.router.backends), None))
        yield
        monitor.stop()  # the last windows reach the ledger before it stops
        services.close()

    app = FastAPI(
        title="greencart",
        version=__version__,
        summary="Energy-aware shopping assistant: catalogue, search and product carbon footprints.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    install_openapi(app)  # the Problem body on every operation of every router
    app.include_router(catalog_router)
    app.include_router(recommend_router)
    app.include_router(chat_router)
    app.include_router(content_router)
    app.include_router(dashboard_router)  # /v1/energy/series|summary and the /dashboard page
    app.include_router(routing_router)  # /v1/routes/plan, /v1/delivery/slots, /merchant/delivery
    app.include_router(governance_router)  # /v1/reports/sustainability, explanations
    app.include_router(ops_router)  # /v1/forecasts, /v1/plans/*, the /merchant page
    mount_ui(app)  # the chat page at / (static assets under /static)
    app.add_middleware(EnergyMiddleware, monitor=monitor)
    install_limits(app)  # 413 past the body limit, 408 for a slow body (outermost)
    metrics_app(monitor)  # attaches monitor.metrics (Prometheus registry)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        """Prometheus exposition: J and gCO2e per work unit, idle J, meter method."""
        from prometheus_client import CONTENT_TYPE_LATEST

        return Response(monitor.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/health", response_model=Health, tags=["service"])
    def health() -> dict:
        svc: CatalogService = app.state.service
        return {"status": "ok", "version": __version__, "database": svc.db.dialect, "counts": svc.counts()}

    return app
