"""Stored conversations: redacted turns under a pseudonymous shopper.

The callers (``greencart.assistant.history``) redact and pseudonymise before
calling; this module only writes what it is given, inside the caller's
transaction (``Database.transaction()``), so both turns of an exchange land
together or not at all. Given a ``cipher`` (``greencart.governance.FieldCipher``),
turn texts are stored encrypted under the owner's data key, bound to
``conversation_turns/text_redacted/<conversation id>/<seq>``, and opened on read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from greencart.errors import InvalidParameter
from greencart.store.tables import ConversationRow, ConversationTurnRow

ROLES = ("user", "assistant")
ERASED = "[erased]"


class TurnCipher(Protocol):
    """Encrypts a value for an owner in the caller's transaction, and opens it again."""

    def seal(self, session: Session, owner: str, associated: bytes, plaintext: str) -> str: ...

    def open_or(self, session: Session, associated: bytes, token: str, default: str) -> str: ...


def owner_of(conversation_id: str, user_pseudonym: str | None) -> str:
    """Whose data key encrypts a conversation's turns: its shopper's, else the session's own."""
    return f"u:{user_pseudonym}" if user_pseudonym else f"s:{conversation_id}"


def turn_aad(conversation_id: str, seq: int) -> bytes:
    return f"greencart/field/v1\x00conversation_turns\x00text_redacted\x00{conversation_id}/{seq}".encode()


def _naive_utc(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


@dataclass(frozen=True)
class StoredTurn:
    """One turn as stored; ``text_redacted`` must already be redacted."""

    role: str
    text_redacted: str
    redactions: int = 0
    tier: str | None = None
    energy_j: float | None = None
    carbon_g: float | None = None
    energy_method: str | None = None
    intent: str | None = None
    product_ids: tuple[str, ...] = ()
    created_at: datetime | None = None
    seq: int | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise InvalidParameter(f"Expected role in {ROLES}, got {self.role!r}")
        if self.redactions < 0:
            raise InvalidParameter(f"Expected redactions >= 0, got {self.redactions}")


@dataclass(frozen=True)
class Conversation:
    id: str
    user_pseudonym: str | None
    started_at: datetime
    updated_at: datetime
    lang: str
    turn_count: int
    energy_j_total: float
    carbon_g_total: float
    turns: list[StoredTurn] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in ("id", "user_pseudonym", "lang", "turn_count",
                                             "energy_j_total", "carbon_g_total")}
        out["started_at"] = self.started_at.isoformat()
        out["updated_at"] = self.updated_at.isoformat()
        out["turns"] = [
            {"seq": t.seq, "role": t.role, "text": t.text_redacted, "redactions": t.redactions, "tier": t.tier,
             "energy_j": t.energy_j, "carbon_g": t.carbon_g, "energy_method": t.energy_method, "intent": t.intent,
             "product_ids": list(t.product_ids), "created_at": t.created_at.isoformat() if t.created_at else None}
            for t in self.turns
        ]
        return out


def append_turns(session: Session, conversation_id: str, turns: Sequence[StoredTurn], *,
                 user_pseudonym: str | None, lang: str, now: datetime, cipher: TurnCipher | None = None) -> int:
    """Add ``turns`` to a conversation (created if new) in the caller's transaction;
    totals and the turn count move with them. Returns the new turn count. With a
    ``cipher`` the texts are stored encrypted (the conversation log always passes one)."""
    if not turns:
        return 0
    now = _naive_utc(now)
    conv = session.get(ConversationRow, conversation_id, with_for_update=True)
    if conv is None:
        conv = ConversationRow(id=conversation_id, user_pseudonym=user_pseudonym, started_at=now, updated_at=now,
                               lang=lang, turn_count=0, energy_j_total=0.0, carbon_g_total=0.0)
        session.add(conv)
    elif conv.user_pseudonym is None and user_pseudonym is not None:
        # A conversation belongs to its first known shopper: a later user id on the same session
        # never takes it over (erasure of the first shopper must still find it).
        conv.user_pseudonym = user_pseudonym
    last = session.scalar(select(func.max(ConversationTurnRow.seq))
                          .where(ConversationTurnRow.conversation_id == conversation_id)) or 0
    owner = owner_of(conversation_id, conv.user_pseudonym)
    texts = [t.text_redacted if cipher is None else cipher.seal(session, owner, turn_aad(conversation_id, last + i),
                                                                t.text_redacted)
             for i, t in enumerate(turns, start=1)]  # sealed before the rows are added: one flush, one key read
    for i, (t, text) in enumerate(zip(turns, texts), start=1):
        session.add(ConversationTurnRow(
            conversation_id=conversation_id, seq=last + i, role=t.role, text_redacted=text,
            redactions=t.redactions, tier=t.tier, energy_j=t.energy_j, carbon_g=t.carbon_g,
            energy_method=t.energy_method, intent=t.intent, product_ids=list(t.product_ids),
            created_at=_naive_utc(t.created_at) if t.created_at else now))
        conv.energy_j_total += t.energy_j or 0.0
        conv.carbon_g_total += t.carbon_g or 0.0
    conv.turn_count = last + len(turns)
    conv.updated_at, conv.lang = now, lang
    session.flush()
    return conv.turn_count


def _conversation(row: ConversationRow, turns: list[StoredTurn] | None = None) -> Conversation:
    return Conversation(row.id, row.user_pseudonym, row.started_at.replace(tzinfo=UTC),
                        row.updated_at.replace(tzinfo=UTC), row.lang, row.turn_count,
                        row.energy_j_total, row.carbon_g_total, turns or [])


def get_conversation(session: Session, conversation_id: str, cipher: TurnCipher | None = None) -> Conversation | None:
    """A conversation with its turns in order, or None. With a ``cipher`` the texts are
    decrypted (:data:`ERASED` where the key is gone); without, they are returned as stored."""
    row = session.get(ConversationRow, conversation_id)
    if row is None:
        return None
    stmt = (select(ConversationTurnRow).where(ConversationTurnRow.conversation_id == conversation_id)
            .order_by(ConversationTurnRow.seq))
    def text(t: ConversationTurnRow) -> str:
        return t.text_redacted if cipher is None else cipher.open_or(session, turn_aad(conversation_id, t.seq),
                                                                     t.text_redacted, ERASED)

    turns = [StoredTurn(t.role, text(t), t.redactions, t.tier, t.energy_j, t.carbon_g, t.energy_method,
                        t.intent, tuple(t.product_ids or ()), t.created_at.replace(tzinfo=UTC), t.seq)
             for t in session.scalars(stmt)]
    return _conversation(row, turns)


def list_conversations(session: Session, *, user_pseudonym: str | None = None, limit: int = 50,
                       offset: int = 0) -> list[Conversation]:
    """Newest first, without turns; only one pseudonym's when given."""
    if not 1 <= limit <= 10_000:
        raise InvalidParameter(f"Expected limit in [1, 10000], got {limit}")
    if offset < 0:
        raise InvalidParameter(f"Expected offset >= 0, got {offset}")
    stmt = select(ConversationRow).order_by(ConversationRow.updated_at.desc(), ConversationRow.id)
    if user_pseudonym is not None:
        stmt = stmt.where(ConversationRow.user_pseudonym == user_pseudonym)
    return [_conversation(r) for r in session.scalars(stmt.limit(limit).offset(offset))]


def _delete_conversations(session: Session, condition: Any) -> tuple[int, int]:
    ids = select(ConversationRow.id).where(condition)
    turns = session.execute(delete(ConversationTurnRow).where(ConversationTurnRow.conversation_id.in_(ids)))
    convs = session.execute(delete(ConversationRow).where(condition))
    return int(convs.rowcount or 0), int(turns.rowcount or 0)


def delete_by_pseudonym(session: Session, user_pseudonym: str) -> tuple[int, int]:
    """Erase one shopper's conversations: (conversations, turns) deleted."""
    if not user_pseudonym:
        raise InvalidParameter("Expected a pseudonym to delete conversations for, got an empty one")
    return _delete_conversations(session, ConversationRow.user_pseudonym == user_pseudonym)


def purge_older_than(session: Session, cutoff: datetime) -> tuple[int, int]:
    """Delete conversations last updated before ``cutoff``: (conversations, turns) deleted."""
    return _delete_conversations(session, ConversationRow.updated_at < _naive_utc(cutoff))
