"""The recommender facade the API and the CLI share.

``RecommendService(settings, db)`` trains a model from the store and saves it
under ``var_dir/models/recommender`` (``train``), and serves it (``recommend``,
``greener``), loading the saved model and the item table lazily, once.
Settings of its own come from ``GREENCART_RECOMMEND_*`` (:class:`RecommendConfig`), read
by the composition root (:mod:`greencart.bootstrap`) and passed in. A promoted compressed
variant serves through the ``promoted`` loader the root wires in (recommend does not
import compress).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from greencart.config import Settings
from greencart.errors import InvalidParameter, NotFound, StoreError, check_range
from greencart.recommend.engine import Recommendation, RecommendEngine, Swap
from greencart.recommend.factory import DEFAULT_MODEL, MODEL_NAMES
from greencart.recommend.rerank import DEFAULT_ALPHA, DEFAULT_POOL

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecommendConfig:
    """The merchant's defaults: model, alpha (1 = relevance only, 0 = greenest only), pool."""

    model: str = DEFAULT_MODEL
    alpha: float = DEFAULT_ALPHA
    pool: int = DEFAULT_POOL
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.model not in MODEL_NAMES:
            raise InvalidParameter(f"Expected GREENCART_RECOMMEND_MODEL in {MODEL_NAMES}, got {self.model!r}")
        check_range("alpha", self.alpha, 0.0, 1.0)
        check_range("pool", self.pool, 1, 100_000)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> RecommendConfig:
        env = os.environ if environ is None else environ
        kwargs: dict[str, Any] = {}
        if v := env.get("GREENCART_RECOMMEND_MODEL"):
            kwargs["model"] = v
        for key, name in (("GREENCART_RECOMMEND_ALPHA", "alpha"), ("GREENCART_RECOMMEND_POOL", "pool")):
            if v := env.get(key):
                try:
                    kwargs[name] = float(v) if name == "alpha" else int(v)
                except ValueError:
                    raise InvalidParameter(f"Expected {key} to be a number, got {v!r}") from None
        return cls(**kwargs)


@dataclass(frozen=True)
class TrainReport:
    model: str
    path: str
    users: int
    items: int
    interactions: int
    train_s: float
    energy_j: float
    energy_low_j: float
    energy_high_j: float
    energy_method: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class RecommendService:
    def __init__(self, settings: Settings, db: Any = None, config: RecommendConfig | None = None,
                 meter: Any = None, *, promoted: Callable[[Any], Any] | None = None) -> None:
        """``promoted(data)``: the promoted variant serving the trained model's Interactions,
        or None when none is promoted (see ``greencart.compress.registry.load_promoted_recommender``)."""
        from greencart.store import open_database

        self.settings = settings
        self.db = db or open_database(settings.database_url)
        self.config = config or RecommendConfig()
        self._promoted_loader = promoted
        self._meter = meter
        self._lock = threading.Lock()
        self._engine: RecommendEngine | None = None

    @property
    def model_dir(self) -> Path:
        return Path(self.settings.var_dir) / "models" / "recommender"

    def meter(self) -> Any:
        from greencart.recommend.green import GreenMeter

        if self._meter is None:
            self._meter = GreenMeter()
        return self._meter

    # -- training ----------------------------------------------------------------
    def train(self, model: str | None = None, **params: Any) -> TrainReport:
        """Fit on every interaction in the store, in an energy work unit; save; serve it next."""
        from greencart.recommend.data import interactions_from_db
        from greencart.recommend.factory import make_recommender

        name = model or self.config.model
        recommender = make_recommender(name, **(params or self.config.params))
        data = interactions_from_db(self.db)
        if data.matrix.nnz == 0:
            raise StoreError("No interactions in the store to train on: import orders or interactions first")
        costs: list = []
        t0 = time.perf_counter()
        with self.meter().measure("recommend.fit", costs, model=name):
            recommender.fit(data)
        train_s = time.perf_counter() - t0
        recommender.save(self.model_dir)
        with self._lock:
            self._engine = None
        c = costs[0]
        return TrainReport(name, str(self.model_dir), data.n_users, data.n_items, int(data.matrix.nnz),
                           round(train_s, 4), c.energy_j, c.energy_low_j, c.energy_high_j, c.method)

    def update(self) -> TrainReport:
        """Fold the store's newer interactions (new shoppers, new products) into the saved
        model without a full retrain (each model's ``update``), in an energy work unit."""
        from greencart.recommend.base import load_recommender
        from greencart.recommend.data import build_interactions, load_event_log, load_item_ids

        model = load_recommender(self.model_dir)
        old = model._require()
        known = set(old.item_ids)
        items = list(old.item_ids) + [i for i in load_item_ids(self.db) if i not in known]
        newer = build_interactions(load_event_log(self.db), user_ids=old.user_ids, item_ids=items)
        costs: list = []
        t0 = time.perf_counter()
        with self.meter().measure("recommend.update", costs, model=model.name):
            model.update(newer)
        model.save(self.model_dir)
        self.reload()
        c = costs[0]
        return TrainReport(model.name, str(self.model_dir), newer.n_users, newer.n_items, int(newer.matrix.nnz),
                           round(time.perf_counter() - t0, 4), c.energy_j, c.energy_low_j, c.energy_high_j, c.method)

    def recommend_all(self, path: Path, k: int = 10, *, alpha: float | None = None,
                      progress: bool = False) -> dict[str, Any]:
        """Top-k for every known shopper to a JSON-lines file (seen excluded, eco re-ranked),
        scored in metered batches; returns counts and J per 1,000 recommendation lists."""
        from greencart.recommend.batch import score_all

        engine = self.engine()
        alpha = self.config.alpha if alpha is None else alpha
        check_range("alpha", alpha, 0.0, 1.0)
        return score_all(engine, Path(path), k, alpha, self.meter(), progress=progress)

    # -- serving -------------------------------------------------------------------
    def engine(self) -> RecommendEngine:
        from greencart.recommend.base import load_recommender
        from greencart.recommend.itemtable import load_item_table

        with self._lock:
            if self._engine is None:
                model = self._promoted(load_recommender(self.model_dir))
                table = load_item_table(self.db, model._require().item_ids)
                self._engine = RecommendEngine(model, table, default_alpha=self.config.alpha, pool=self.config.pool,
                                               content=self._content(model))
            return self._engine

    def _promoted(self, model: Any) -> Any:
        """The compressed variant promoted to serve (``greencart compress promote``), over the
        saved model's users and items; ``model`` itself when none is."""
        if self._promoted_loader is None:
            return model
        from greencart.errors import GreencartError

        try:
            variant = self._promoted_loader(model._require())
        except GreencartError as exc:  # e.g. made before `greencart train` changed the ids: serve the trained model
            log.warning("The promoted recommender cannot serve the trained data (%s): serving the trained model; "
                        "re-compress from it and promote again", exc.message)
            return model
        return model if variant is None else variant

    def _content(self, model: Any) -> Any:
        """Text vectors for never-bought products, from a saved search index (None without one)."""
        from greencart.errors import GreencartError
        from greencart.recommend.content import ContentVectors

        index_dir = Path(self.settings.index_dir)
        if not index_dir.exists():
            return None
        try:
            from greencart.catalog.search import SearchIndex

            index = SearchIndex.load(index_dir)
        except GreencartError as exc:  # a stale or partial index: serve without the content path
            log.warning("Recommending without content vectors: %s", exc.message)
            return None
        data = model._require()
        return ContentVectors.from_index(index, data.item_ids, data.matrix)

    def reload(self) -> None:
        with self._lock:
            self._engine = None

    def recommend(self, user_id: str, k: int = 10, *, alpha: float | None = None, category: str | None = None,
                  max_price: float | None = None) -> list[Recommendation]:
        """Top-k for a shopper: the model's own history if it knows them, otherwise their
        history in the store (fold-in, or popularity for a shopper with none)."""
        from greencart.recommend.data import user_history_from_db

        engine = self.engine()
        session: list[str] | None = None
        if not engine.model._require().has_user(user_id):
            history = user_history_from_db(self.db, user_id)
            if history is None:
                raise NotFound(f"No shopper with id {user_id!r}")
            session = list(history)
        return engine.recommend(user_id, k, alpha=alpha, category=category, max_price=max_price,
                                session_items=session)

    def greener(self, product_id: str, k: int = 5, *, max_price: float | None = None) -> list[Swap]:
        return self.engine().greener(product_id, k, max_price=max_price)

    def close(self) -> None:
        if self._meter is not None:
            self._meter.close()
