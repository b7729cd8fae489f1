"""``create_app()``: the FastAPI application, built from explicit settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Response

from greencart import __version__
from greencart.api.errors import install_error_handlers
from greencart.api.routes_catalog import router as catalog_router
from greencart.api.routes_chat import router as chat_router
from greencart.api.routes_dashboard import router as dashboard_router
from greencart.api.routes_recommend import router as recommend_router
from greencart.api.routes_routing import router as routing_router
from greencart.api.routes_ui import mount_ui
from greencart.api.schemas import Health
from greencart.assistant import Assistant
from greencart.assistant.history import SqlConversationLog
from greencart.config import Settings
from greencart.energy import EnergyConfig, EnergyMiddleware, EnergyMonitor, metrics_app
from greencart.energy.ledger import LedgerWriter
from greencart.recommend.green import GreenMeter
from greencart.recommend.service import RecommendService
from greencart.service import CatalogService


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
    monitor = monitor or EnergyMonitor(config=EnergyConfig.from_env())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        svc = service or CatalogService(settings)
        svc.db.require_migrated()
        app.state.service = svc
        app.state.monitor = monitor.start()
        ledger = LedgerWriter(svc.db).attach(monitor)
        app.state.ledger = ledger  # the dashboard flushes it before reading
        # The trained model loads lazily from var/models; without one, 503 says to train.
        app.state.recommender = RecommendService(settings, svc.db, meter=GreenMeter(monitor))
        app.state.assistant = Assistant.from_app_state(app.state)
        # Conversations are stored redacted, under keyed pseudonyms (greencart.privacy, docs/privacy.md).
        app.state.assistant.history = SqlConversationLog.from_settings(settings, svc.db).warm_up()
        yield
        app.state.recommender.close()
        monitor.stop()
        ledger.stop()
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
    app.include_router(recommend_router)
    app.include_router(chat_router)
    app.include_router(dashboard_router)  # /v1/energy/series|summary and the /dashboard page
    app.include_router(routing_router)  # /v1/routes/plan, /v1/delivery/slots, /merchant/delivery
    mount_ui(app)  # the chat page at / (static assets under /static)
    app.add_middleware(EnergyMiddleware, monitor=monitor)
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
