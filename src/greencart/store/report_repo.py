"""SQL for the sustainability report: greener swaps offered in a period, the shoppers who
bought a product after a time, stored footprints, and which tables exist."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from greencart.store.tables import (
    ConversationRow,
    ConversationTurnRow,
    FootprintRow,
    InteractionRow,
)


def _naive(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def greener_offers(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Assistant turns that offered a swap (intent ``greener``, products [original, swap])."""
    stmt = (select(ConversationTurnRow.product_ids, ConversationTurnRow.created_at, ConversationRow.user_pseudonym)
            .join(ConversationRow, ConversationRow.id == ConversationTurnRow.conversation_id)
            .where(ConversationTurnRow.role == "assistant", ConversationTurnRow.intent == "greener",
                   ConversationTurnRow.created_at >= _naive(start), ConversationTurnRow.created_at < _naive(end)))
    return [{"original": ids[0], "swap": ids[1], "at": at.replace(tzinfo=UTC), "pseudonym": pseudonym}
            for ids, at, pseudonym in session.execute(stmt) if isinstance(ids, list) and len(ids) >= 2]


def footprints_kg(session: Session, product_ids: Iterable[str]) -> dict[str, float]:
    ids = list(product_ids)
    stmt = select(FootprintRow.product_id, FootprintRow.footprint_kg_co2e).where(FootprintRow.product_id.in_(ids))
    return {pid: float(kg) for pid, kg in session.execute(stmt)}


def purchasers_after(session: Session, product_ids: Iterable[str], since: datetime) -> dict[str, list[tuple[str, datetime]]]:
    """product id -> [(shopper id, time)] of purchases at or after ``since``."""
    stmt = (select(InteractionRow.product_id, InteractionRow.user_id, InteractionRow.occurred_at)
            .where(InteractionRow.product_id.in_(list(product_ids)), InteractionRow.kind == "purchase",
                   InteractionRow.occurred_at >= _naive(since)))
    out: dict[str, list[tuple[str, datetime]]] = {}
    for pid, uid, at in session.execute(stmt):
        out.setdefault(pid, []).append((uid, at.replace(tzinfo=UTC)))
    return out


def tables_with_prefix(db: Any, prefix: str) -> list[str]:
    return sorted(t for t in inspect(db.engine).get_table_names() if t.startswith(prefix))


def footprint_commodities(session: Session) -> dict[str, int]:
    """Products per commodity code among stored footprints (the factors in use)."""
    from sqlalchemy import func

    stmt = (select(FootprintRow.commodity_code, func.count()).where(FootprintRow.commodity_code.is_not(None))
            .group_by(FootprintRow.commodity_code))
    return {code: int(n) for code, n in session.execute(stmt)}
