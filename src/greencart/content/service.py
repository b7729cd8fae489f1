"""Descriptions for many products: template first, optionally polished by a model,
cached per product version, every batch metered as one energy work unit."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from greencart.content.describe import TEMPLATE_VERSION, Description, polish, template_description
from greencart.content.translate import to_chinese
from greencart.errors import InvalidParameter

MAX_IDS = 10_000
CHUNK = 200  # products written per transaction: a crash loses at most one chunk, never half of one


@dataclass(frozen=True)
class DescribeReport:
    descriptions: list[Description]
    generated: int
    cached: int
    polished: int
    rejected: int
    energy_j: float
    carbon_g: float
    energy_method: str
    problems: dict[str, int] = field(default_factory=dict)

    @property
    def energy_j_per_1k(self) -> float | None:
        return self.energy_j / self.generated * 1000 if self.generated else None

    def to_dict(self) -> dict[str, Any]:
        return {"items": [d.to_dict() for d in self.descriptions], "count": len(self.descriptions),
                "generated": self.generated, "cached": self.cached, "polished": self.polished,
                "rejected": self.rejected, "energy_j": round(self.energy_j, 6), "carbon_g": round(self.carbon_g, 9),
                "energy_method": self.energy_method,
                "energy_j_per_1k": None if self.energy_j_per_1k is None else round(self.energy_j_per_1k, 3),
                "rejections": self.problems}


def version_key(card: Any, lang: str, backend: str | None) -> str:
    """Changes whenever the product's data, its footprint, the template or the polishing model change."""
    payload = json.dumps([card.to_dict(), lang, TEMPLATE_VERSION, backend or ""], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _zh_value(text: str) -> str | None:
    tr = to_chinese(text)
    return tr.text if tr.covered >= 0.5 else None


class ContentService:
    def __init__(self, catalog: Any, monitor: Any, backend: Any = None) -> None:
        self.catalog = catalog  # CatalogService: product cards with footprints
        self.monitor = monitor
        self.backend = backend  # an LLMBackend for polishing, or None (templates only)

    def all_ids(self) -> list[str]:
        from greencart.store.catalog_repo import ProductFilter

        ids: list[str] = []
        while True:
            page = self.catalog.list_products(ProductFilter(), limit=200, offset=len(ids))
            ids += [c.id for c in page]
            if len(page) < 200:
                return ids

    def describe(self, product_ids: Sequence[str], lang: str = "en", *, polish_with_model: bool = False,
                 refresh: bool = False, progress: Callable[[int], None] | None = None) -> DescribeReport:
        """Descriptions of ``product_ids`` (NotFound for an unknown id, before anything is written)."""
        if lang not in ("en", "zh"):
            raise InvalidParameter(f"Expected lang en or zh, got {lang!r}")
        if not 1 <= len(product_ids) <= MAX_IDS:
            raise InvalidParameter(f"Expected 1 to {MAX_IDS} product ids, got {len(product_ids)}")
        if polish_with_model and self.backend is None:
            raise InvalidParameter("Expected a language model for polishing: set GREENCART_LOCAL_LLM=on or "
                                   "GREENCART_LLM_URL, or leave polishing off")
        cards = [self.catalog.product(pid) for pid in dict.fromkeys(product_ids)]
        backend_name = self.backend.name if polish_with_model else None
        out: list[Description] = []
        counts = {"generated": 0, "cached": 0, "polished": 0, "rejected": 0}
        problems: dict[str, int] = {}
        with self.monitor.unit("content.describe", route="batch", lang=lang) as unit:
            extra_j = 0.0
            for start in range(0, len(cards), CHUNK):
                chunk = cards[start:start + CHUNK]
                done, spent = self._chunk(chunk, lang, backend_name, refresh, counts, problems)
                out += done
                extra_j += spent
                if progress:
                    progress(len(chunk))
        r = unit.result
        energy_j = (r.energy_j if r else 0.0) + extra_j
        carbon_g = (r.carbon_g if r else 0.0) + (extra_j * r.intensity_g_per_kwh / 3.6e6 if r else 0.0)
        method = (r.method if r else "unmetered") + ("+llm-estimated" if extra_j else "")
        return DescribeReport(out, counts["generated"], counts["cached"], counts["polished"], counts["rejected"],
                              energy_j, carbon_g, method, problems)

    def _chunk(self, cards: list[Any], lang: str, backend_name: str | None, refresh: bool,
               counts: dict[str, int], problems: dict[str, int]) -> tuple[list[Description], float]:
        from greencart.store import content_repo

        keys = {c.id: version_key(c, lang, backend_name) for c in cards}
        with self.catalog.db.read() as s:
            hits = {} if refresh else content_repo.cached(s, lang, list(keys))
        out, fresh, spent = [], [], 0.0
        for card in cards:
            hit = hits.get(card.id)
            if hit is not None and hit.version == keys[card.id]:
                counts["cached"] += 1
                out.append(Description(card.id, lang, hit.text, hit.method))
                continue
            desc = template_description(card, lang, translate=_zh_value if lang == "zh" else None)
            if backend_name:
                desc, extra = polish(desc, self.backend)
                spent += extra
                if desc.method.startswith("template+"):
                    counts["polished"] += 1
                else:
                    counts["rejected"] += 1
                    for p in desc.notes:
                        problems[p.split(" ")[0]] = problems.get(p.split(" ")[0], 0) + 1
            counts["generated"] += 1
            out.append(desc)
            fresh.append(content_repo.StoredDescription(card.id, lang, keys[card.id], desc.text, desc.method, 0.0))
        if fresh:
            with self.catalog.db.transaction() as s:
                content_repo.save(s, fresh)
        return out, spent
