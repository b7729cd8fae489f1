"""SQL of governance: wrapped data keys, the erasure log, encrypted-turn batches,
a shopper's behavioural rows (for erasure) and retention deletes.

Keys are opaque bytes here; wrapping and encryption live in ``greencart.governance``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from greencart.errors import InvalidParameter
from greencart.store.tables import (
    ConversationRow,
    ConversationTurnRow,
    DataKeyRow,
    EnergyLedgerRow,
    ErasureLogRow,
    InteractionRow,
    OrderRow,
    ShopperRow,
)

ENCRYPTED_PREFIX = "gcenc1."


def _naive(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


@dataclass(frozen=True)
class StoredKey:
    id: str
    owner: str
    master_key_id: str
    wrapped_key: bytes
    retired: bool


def _key(row: DataKeyRow) -> StoredKey:
    return StoredKey(row.id, row.owner, row.master_key_id, bytes(row.wrapped_key), row.retired_at is not None)


def active_key(session: Session, owner: str) -> StoredKey | None:
    """The newest data key of ``owner`` that is not retired."""
    row = session.scalars(select(DataKeyRow).where(DataKeyRow.owner == owner, DataKeyRow.retired_at.is_(None))
                          .order_by(DataKeyRow.created_at.desc(), DataKeyRow.id).limit(1)).first()
    return _key(row) if row is not None else None


def get_key(session: Session, key_id: str) -> StoredKey | None:
    row = session.get(DataKeyRow, key_id)
    return _key(row) if row is not None else None


def add_key(session: Session, key_id: str, owner: str, master_key_id: str, wrapped: bytes, now: datetime) -> None:
    if not owner:
        raise InvalidParameter("Expected a data key owner, got an empty one")
    session.add(DataKeyRow(id=key_id, owner=owner, master_key_id=master_key_id, wrapped_key=wrapped,
                           created_at=_naive(now), retired_at=None))
    session.flush()


def delete_keys(session: Session, owners: Sequence[str]) -> int:
    """Crypto-shred: delete every data key of ``owners``; returns how many."""
    if not owners:
        return 0
    return int(session.execute(delete(DataKeyRow).where(DataKeyRow.owner.in_(list(owners)))).rowcount or 0)


def delete_key_ids(session: Session, key_ids: Sequence[str]) -> int:
    if not key_ids:
        return 0
    return int(session.execute(delete(DataKeyRow).where(DataKeyRow.id.in_(list(key_ids)))).rowcount or 0)


def retire_keys(session: Session, owner: str, now: datetime) -> int:
    return int(session.execute(update(DataKeyRow).where(DataKeyRow.owner == owner, DataKeyRow.retired_at.is_(None))
                               .values(retired_at=_naive(now))).rowcount or 0)


def master_key_counts(session: Session) -> dict[str, int]:
    """Data keys per master key id."""
    return {m: int(n) for m, n in session.execute(
        select(DataKeyRow.master_key_id, func.count()).group_by(DataKeyRow.master_key_id))}


def keys_not_under(session: Session, master_key_id: str, limit: int) -> list[StoredKey]:
    rows = session.scalars(select(DataKeyRow).where(DataKeyRow.master_key_id != master_key_id)
                           .order_by(DataKeyRow.id).limit(limit).with_for_update())
    return [_key(r) for r in rows]


def rewrap_key(session: Session, key_id: str, master_key_id: str, wrapped: bytes) -> None:
    session.execute(update(DataKeyRow).where(DataKeyRow.id == key_id)
                    .values(master_key_id=master_key_id, wrapped_key=wrapped))


def retired_keys(session: Session, limit: int = 1000) -> list[StoredKey]:
    return [_key(r) for r in session.scalars(select(DataKeyRow).where(DataKeyRow.retired_at.is_not(None))
                                             .order_by(DataKeyRow.id).limit(limit))]


def key_in_use(session: Session, key_id: str) -> bool:
    pattern = f"{ENCRYPTED_PREFIX}{key_id}.%"
    return session.scalar(select(func.count()).select_from(ConversationTurnRow)
                          .where(ConversationTurnRow.text_redacted.like(pattern))) > 0


# -- turns to (re-)encrypt -----------------------------------------------------------------------


@dataclass(frozen=True)
class TurnText:
    turn_id: int
    conversation_id: str
    seq: int
    owner_pseudonym: str | None
    text: str


def turns_needing_encryption(session: Session, *, stale_key_ids: Sequence[str], after_id: int,
                             limit: int) -> list[TurnText]:
    """Turns stored in clear (before 0006) or under one of ``stale_key_ids``, by id after ``after_id``."""
    cond = ~ConversationTurnRow.text_redacted.like(f"{ENCRYPTED_PREFIX}%")
    for k in stale_key_ids:
        cond = cond | ConversationTurnRow.text_redacted.like(f"{ENCRYPTED_PREFIX}{k}.%")
    stmt = (select(ConversationTurnRow.id, ConversationTurnRow.conversation_id, ConversationTurnRow.seq,
                   ConversationRow.user_pseudonym, ConversationTurnRow.text_redacted)
            .join(ConversationRow, ConversationRow.id == ConversationTurnRow.conversation_id)
            .where(cond, ConversationTurnRow.id > after_id).order_by(ConversationTurnRow.id).limit(limit))
    return [TurnText(*row) for row in session.execute(stmt)]


def set_turn_text(session: Session, turn_id: int, token: str) -> None:
    session.execute(update(ConversationTurnRow).where(ConversationTurnRow.id == turn_id).values(text_redacted=token))


def encryption_counts(session: Session) -> dict[str, int]:
    """Turns whose text is encrypted, and turns in clear (legacy rows)."""
    total = session.scalar(select(func.count()).select_from(ConversationTurnRow)) or 0
    enc = session.scalar(select(func.count()).select_from(ConversationTurnRow)
                         .where(ConversationTurnRow.text_redacted.like(f"{ENCRYPTED_PREFIX}%"))) or 0
    keys = session.scalar(select(func.count()).select_from(DataKeyRow)) or 0
    return {"turns_encrypted": int(enc), "turns_in_clear": int(total - enc), "data_keys": int(keys)}


# -- erasure ---------------------------------------------------------------------------------------


def conversation_ids_of(session: Session, user_pseudonym: str) -> list[str]:
    return list(session.scalars(select(ConversationRow.id).where(ConversationRow.user_pseudonym == user_pseudonym)))


def delete_shopper_rows(session: Session, user_id: str) -> dict[str, int]:
    """A shopper's behaviour in the catalogue store (so the next recommender fit leaves
    them out): interactions and the shopper row deleted, orders kept for sales totals
    but unlinked from them."""
    inter = session.execute(delete(InteractionRow).where(InteractionRow.user_id == user_id)).rowcount or 0
    orders = session.execute(update(OrderRow).where(OrderRow.customer_id == user_id)
                             .values(customer_id=None)).rowcount or 0
    shopper = session.execute(delete(ShopperRow).where(ShopperRow.id == user_id)).rowcount or 0
    return {"interactions": int(inter), "orders_unlinked": int(orders), "shoppers": int(shopper)}


def log_erasure(session: Session, kind: str, at: datetime, keys_shredded: int, rows: dict[str, int],
                note: str = "") -> int:
    if kind not in ("forget", "retention"):
        raise InvalidParameter(f"Expected erasure kind in ('forget', 'retention'), got {kind!r}")
    row = ErasureLogRow(kind=kind, at=_naive(at), keys_shredded=keys_shredded, rows_deleted=dict(rows),
                        note=note[:300])
    session.add(row)
    session.flush()
    return int(row.id)


def erasures(session: Session, start: datetime | None = None, end: datetime | None = None) -> list[dict[str, Any]]:
    stmt = select(ErasureLogRow).order_by(ErasureLogRow.at)
    if start is not None:
        stmt = stmt.where(ErasureLogRow.at >= _naive(start))
    if end is not None:
        stmt = stmt.where(ErasureLogRow.at < _naive(end))
    return [{"id": r.id, "kind": r.kind, "at": r.at.replace(tzinfo=UTC).isoformat(), "keys_shredded": r.keys_shredded,
             "rows_deleted": r.rows_deleted, "note": r.note} for r in session.scalars(stmt)]


# -- retention -------------------------------------------------------------------------------------


def orphan_owners(session: Session) -> list[str]:
    """Owners of data keys with no conversation left ("u:<pseudonym>" or "s:<session id>")."""
    pseudonyms = {p for p in session.scalars(select(ConversationRow.user_pseudonym).distinct()) if p}
    sessions = set(session.scalars(select(ConversationRow.id)))
    owners = session.scalars(select(DataKeyRow.owner).distinct())
    return [o for o in owners if not ((o.startswith("u:") and o[2:] in pseudonyms)
                                      or (o.startswith("s:") and o[2:] in sessions))]


def delete_ledger_before(session: Session, cutoff: datetime) -> int:
    return int(session.execute(delete(EnergyLedgerRow).where(EnergyLedgerRow.started_at < _naive(cutoff)))
               .rowcount or 0)


def delete_erasure_log_before(session: Session, cutoff: datetime) -> int:
    return int(session.execute(delete(ErasureLogRow).where(ErasureLogRow.at < _naive(cutoff))).rowcount or 0)
