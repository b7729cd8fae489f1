"""The composition root: every service greencart runs is built here, from Settings.

The API (``create_app``), every CLI command and the benchmarks call
:func:`build_services`; nothing deeper reads the environment. What a deployment
sets besides :class:`~greencart.config.Settings` (energy meters and grid intensity,
the recommender's defaults, the language-model tiers) is read once, here, by
:func:`read_options`, and passed down.

    services = build_services(Settings.from_env())
    try:
        services.assistant().turn("a white t-shirt under 20")
    finally:
        services.close()

This is also where the layers that must not import each other meet: the promoted
compressed variants (``compress``) are wired into the catalogue's embedders and the
recommender here, so ``catalog`` and ``recommend`` never import ``compress``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from greencart.config import Settings

if TYPE_CHECKING:
    from greencart.assistant import Assistant, LLMBackend, SessionStore
    from greencart.assistant.cache import SemanticCache
    from greencart.catalog.service import CatalogService
    from greencart.energy import EnergyConfig, EnergyMonitor
    from greencart.energy.ledger import LedgerWriter
    from greencart.recommend.service import RecommendConfig, RecommendService


@dataclass(frozen=True)
class Options:
    """What a deployment configures besides Settings, read once at the root."""

    energy: EnergyConfig
    recommend: RecommendConfig
    llm: tuple[LLMBackend, ...] = ()  # the generative tiers, cheapest first (nothing loaded yet)


def read_options(environ: Mapping[str, str] | None = None) -> Options:
    """From ``GREENCART_ENERGY_*``/intensity, ``GREENCART_RECOMMEND_*``, ``GREENCART_LOCAL_LLM*``
    (llm-local) and ``GREENCART_LLM_*`` (llm-remote)."""
    from greencart.assistant.llm import backend_from_env
    from greencart.assistant.llm_local import local_backend_from_env
    from greencart.energy import EnergyConfig
    from greencart.recommend.service import RecommendConfig

    env = dict(os.environ if environ is None else environ)
    llm = tuple(b for b in (local_backend_from_env(env), backend_from_env(env)) if b is not None)
    return Options(EnergyConfig.from_env(env), RecommendConfig.from_env(env), llm)


def serve_promoted_models(settings: Settings) -> None:
    """Serve the compressed variants promoted under ``settings.var_dir`` (greencart.promoted)
    in place of the original embedders: the one place catalog meets compress."""
    from greencart.catalog.embed import VariantServing, serve_variants
    from greencart.compress.registry import load_serving_embedder

    serve_variants(VariantServing(Path(settings.var_dir), load_serving_embedder))


def build_monitor(options: Options) -> EnergyMonitor:
    """The process's energy monitor (not started: :class:`Services` starts the one it owns)."""
    from greencart.energy import EnergyMonitor

    return EnergyMonitor(config=options.energy)


class Services:
    """The built services of one process, closed together. Parts that load models
    (the recommender's engine, the assistant's tiers) load lazily, once."""

    def __init__(self, settings: Settings, options: Options, catalog: CatalogService, monitor: EnergyMonitor, *,
                 owns_catalog: bool, owns_monitor: bool, serving: bool) -> None:
        self.settings, self.options, self.catalog, self.monitor = settings, options, catalog, monitor
        self.serving = serving
        self._owns_catalog, self._owns_monitor = owns_catalog, owns_monitor
        self._lock = threading.Lock()
        self._recommender: RecommendService | None = None
        self.ledger: LedgerWriter | None = None

    @property
    def recommender(self) -> RecommendService:
        """The recommender facade (its model loads on first use). A server meters it on the
        shared monitor; a batch job (CLI, benchmark) on its own process-clock monitor,
        since ``implicit`` trains on threads of its own."""
        from greencart.compress.registry import load_promoted_recommender
        from greencart.recommend.green import GreenMeter
        from greencart.recommend.service import RecommendService

        with self._lock:
            if self._recommender is None:
                meter = GreenMeter(self.monitor) if self.serving else None
                self._recommender = RecommendService(
                    self.settings, self.catalog.db, self.options.recommend, meter,
                    promoted=partial(load_promoted_recommender, Path(self.settings.var_dir)))
            return self._recommender

    def trained_recommender(self) -> RecommendService | None:
        """The recommender when a model has been trained (``greencart train``), else None."""
        rec = self.recommender
        return rec if rec.model_dir.exists() else None

    def assistant(self, *, store: SessionStore | None = None, llm: Sequence[LLMBackend] | None = None,
                  with_history: bool = True, cache: SemanticCache | None = None) -> Assistant:
        """The assistant over this catalogue, recommender and (started) monitor, with the
        language-model tiers of the options and the redacted conversation log."""
        from greencart.assistant import Assistant
        from greencart.assistant.history import SqlConversationLog
        from greencart.support import support_desk

        history = None
        if with_history:  # turns are redacted before they are kept or stored (docs/privacy.md)
            history = SqlConversationLog.from_settings(self.settings, self.catalog.db)
            if self.serving:
                history.warm_up()
        recommender = self.recommender if self.serving else self.trained_recommender()
        # customer service: the shopper's own orders and the merchant's policy file (docs/customer-service.md)
        support = support_desk(self.catalog.db, self.settings.policy_file, slots=self.green_slots)
        return Assistant(self.catalog, recommender, self.monitor, store=store, cache=cache,  # cache: scale-out
                         llm=list(self.options.llm if llm is None else llm), history=history, support=support)

    def green_slots(self, order_id: str) -> dict[str, Any]:
        """Each delivery window's marginal kg CO2e for an order, against the day's planned routes
        on the mixed demo fleet (greencart.ops.routing; PyVRP loads on the first call)."""
        from greencart.ops.routing.inputs import mix_fleet
        from greencart.ops.routing.service import RoutingService

        return RoutingService(self.catalog.db).slots(order_id, mix_fleet("mixed"))

    def start_ledger(self) -> LedgerWriter:
        """Write every finished work unit to the energy ledger table."""
        from greencart.energy.ledger import LedgerWriter

        if self.ledger is None:
            self.ledger = LedgerWriter(self.catalog.db).attach(self.monitor)
        return self.ledger

    def close(self) -> None:
        if self._recommender is not None:
            self._recommender.close()
        if self._owns_monitor:
            self.monitor.stop()
        if self.ledger is not None:
            self.ledger.stop()
        if self._owns_catalog:
            self.catalog.close()


def build_services(settings: Settings, *, options: Options | None = None, environ: Mapping[str, str] | None = None,
                   catalog: CatalogService | None = None, monitor: EnergyMonitor | None = None,
                   serving: bool = False, migrate: bool = False) -> Services:
    """Every service from ``settings``; ``options`` read from ``environ`` (the process
    environment by default) when not given. A ``monitor`` passed in is the caller's to
    start and stop; one built here is started now and stopped by ``close()``. The
    database must be migrated (``greencart init``) unless ``migrate``."""
    from greencart.catalog.service import CatalogService
    from greencart.store import open_database

    options = options or read_options(environ)
    serve_promoted_models(settings)
    owns_catalog = catalog is None
    if catalog is None:
        catalog = CatalogService(settings, open_database(settings.database_url, migrate=migrate))
    try:
        catalog.db.require_migrated()
    except Exception:
        if owns_catalog:
            catalog.close()
        raise
    owns_monitor = monitor is None
    if monitor is None:
        monitor = build_monitor(options).start()
    return Services(settings, options, catalog, monitor, owns_catalog=owns_catalog, owns_monitor=owns_monitor,
                    serving=serving)
