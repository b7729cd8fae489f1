"""Cached product descriptions (greencart.content)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from greencart.store.tables import ProductDescriptionRow
from greencart.store.upsert import upsert


@dataclass(frozen=True)
class StoredDescription:
    product_id: str
    lang: str
    version: str
    text: str
    method: str
    energy_j: float


def cached(session: Session, lang: str, product_ids: Sequence[str]) -> dict[str, StoredDescription]:
    out: dict[str, StoredDescription] = {}
    for start in range(0, len(product_ids), 500):
        rows = session.execute(select(ProductDescriptionRow).where(
            ProductDescriptionRow.lang == lang,
            ProductDescriptionRow.product_id.in_(product_ids[start:start + 500]))).scalars()
        for r in rows:
            out[r.product_id] = StoredDescription(r.product_id, r.lang, r.version, r.text, r.method, r.energy_j)
    return out


def save(session: Session, items: Sequence[StoredDescription]) -> int:
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = [{"product_id": d.product_id, "lang": d.lang, "version": d.version, "text": d.text,
             "method": d.method[:200], "energy_j": d.energy_j, "created_at": now} for d in items]
    return upsert(session, ProductDescriptionRow, rows, key=["product_id", "lang"]) if rows else 0
