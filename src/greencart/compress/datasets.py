"""The data sets variants are evaluated on, each in its own temporary SQLite store.

- ``demo``: the demo catalogue and shoppers (``catalog.demo``), queries ``demo.jsonl``;
- ``online-retail``: the UCI Online Retail sample in ``../shared/data/retail``
  (``$GREENCART_SHARED_DATA``), queries ``online_retail.jsonl``;
- a path to an Online Retail file (.xlsx or .csv), queries ``online_retail.jsonl``.

A :class:`Session` holds the stores, the energy meter and the reference search
index (Chinese vectors embedded once) across the variants of one run.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from greencart.compress.evaluate import RecommendTask, SearchTask
from greencart.errors import InvalidParameter, NotFound

QUERIES_ENV = "GREENCART_QUERIES_DIR"
NAMED = ("demo", "online-retail")
RETAIL_SAMPLE = "retail/online_retail_sample_40k.xlsx"


def retail_sample() -> Path:
    shared = os.environ.get("GREENCART_SHARED_DATA")
    root = Path(shared) if shared else Path(__file__).resolve().parents[4] / "shared" / "data"
    return root / RETAIL_SAMPLE


def queries_dir() -> Path:
    """``$GREENCART_QUERIES_DIR``, else ``benchmarks/queries`` of this checkout."""
    if env := os.environ.get(QUERIES_ENV):
        return Path(env)
    return Path(__file__).resolve().parents[3] / "benchmarks" / "queries"


def load_queries(path: Path) -> list[dict[str, Any]]:
    """Labelled queries: one JSON object a line with ``query``, ``lang`` and ``relevant`` {id: grade}."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"No labelled query set at {path} (set {QUERIES_ENV} to the folder holding it)")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
            if not (isinstance(q["query"], str) and isinstance(q["relevant"], dict)):
                raise TypeError("query must be a string and relevant an object")
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidParameter(f"{path}, line {n}: expected {{query, lang, relevant}}, got an error: {exc}") from None
        out.append({"query": q["query"], "lang": q.get("lang", "en"), "relevant": q["relevant"]})
    return out


def dataset_key(spec: str) -> str:
    """The name evaluations are filed under: ``demo``, ``online-retail`` or the file's stem."""
    if spec in NAMED:
        return spec
    path = Path(spec)
    if not path.is_file():
        raise InvalidParameter(f"Expected --dataset demo, online-retail or an Online Retail .xlsx/.csv file, got {spec!r}")
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in path.stem)[:80]


@dataclass
class Dataset:
    name: str
    db: Any  # store.Database
    queries_path: Path

    @cached_property
    def products(self) -> list[Any]:
        from greencart.store.catalog_repo import iter_products

        with self.db.read() as session:
            return list(iter_products(session))

    @cached_property
    def search(self) -> SearchTask:
        return SearchTask(self.name, self.products, load_queries(self.queries_path))

    @cached_property
    def recommend(self) -> RecommendTask:
        from greencart.recommend.data import load_event_log, load_item_ids
        from greencart.recommend.split import make_split

        return RecommendTask(self.name, make_split("temporal", load_event_log(self.db), load_item_ids(self.db)))

    def passages(self) -> list[str]:
        """The English texts the search index embeds (calibration and student corpora)."""
        from greencart.catalog.search.vectors import english_passage

        return list(dict.fromkeys(english_passage(p) for p in self.products))

    def pairs(self) -> Any:
        """Query-product pairs mined from this store's orders and titles (for LoRA)."""
        from greencart.compress.loaders import resolve

        return resolve("greencart.compress.embedder.pairs:mine_pairs")(self.db)


@dataclass
class Session:
    """Stores, meter and caches shared by the variants of one run; ``close()`` when done."""

    repeats: int = 3  # latency passes over the query set
    overwrite: bool = False
    datasets: dict[str, Dataset] = field(default_factory=dict)
    _meter: Any = None
    _tmp: Path | None = None

    @property
    def meter(self) -> Any:
        if self._meter is None:
            from greencart.recommend.green import GreenMeter

            self._meter = GreenMeter()
        return self._meter

    def dataset(self, spec: str) -> Dataset:
        key = dataset_key(spec) if spec not in self.datasets else spec
        if key not in self.datasets:
            self.datasets[key] = self._open(spec, key)
        return self.datasets[key]

    def _open(self, spec: str, key: str) -> Dataset:
        from greencart.store import open_database

        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="greencart-compress-"))
        db = open_database(f"sqlite:///{self._tmp / (key + '.db')}", migrate=True)
        if spec == "demo":
            from greencart.demo import load_demo

            load_demo(db)
            return Dataset(key, db, queries_dir() / "demo.jsonl")
        path = retail_sample() if spec == "online-retail" else Path(spec)
        if not path.is_file():
            raise NotFound(f"The Online Retail data is not at {path}: set GREENCART_SHARED_DATA to the folder "
                           "holding retail/online_retail_sample_40k.xlsx")
        from greencart.catalog.importers import import_online_retail

        import_online_retail(db, path)
        return Dataset(key, db, queries_dir() / "online_retail.jsonl")

    def original_recommender(self, model: str, dataset: str, out_dir: Path) -> Any:
        """Fit ``model`` on the data set's training split and export it as the original variant."""
        from greencart.compress.loaders import resolve
        from greencart.recommend.factory import make_recommender

        train = self.dataset(dataset).recommend.split.train
        fitted = make_recommender(model).fit(train)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        return resolve("greencart.compress.recommender:export_factors")(fitted, out_dir, name=out_dir.name)

    def close(self) -> None:
        for ds in self.datasets.values():
            ds.db.dispose()
        self.datasets.clear()
        if self._meter is not None:
            self._meter.close()
            self._meter = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
