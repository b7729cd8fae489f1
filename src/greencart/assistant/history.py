"""The conversation log: each exchange stored redacted, under a pseudonymous shopper.

``Assistant.turn`` redacts the shopper's text before it is understood (so the
dialogue state, the cache and session files never hold it raw: see
:func:`redact_incoming`), saves the dialogue state, then calls
:meth:`ConversationLog.record`, which redacts both texts again (it never trusts
its caller), pseudonymises the user id and writes both turns in one transaction,
their texts encrypted under the shopper's data key (``greencart.governance``).
A failure to redact, encrypt or store is logged and counted; the shopper still
gets the reply, and nothing unredacted or unencrypted is written.

    log = SqlConversationLog.from_settings(settings, db)
    assistant = Assistant(catalog, history=log)
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from greencart.privacy import PLACEHOLDERS, Pseudonymiser, Redaction, TextRedactor, redactor_for
from greencart.store import Database
from greencart.store.conversation_repo import StoredTurn, append_turns

log = logging.getLogger(__name__)

WITHHELD = "[withheld: redaction failed]"
_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


@dataclass(frozen=True)
class Exchange:
    """One shopper turn and its reply, as the assistant produced them."""

    session_id: str
    user_id: str | None
    lang: str
    user_text: str
    reply: str
    tier: str
    energy_j: float
    carbon_g: float
    energy_method: str
    intent: str
    product_ids: tuple[str, ...] = ()
    user_redactions: int = 0  # spans already redacted from user_text by the caller
    at: datetime | None = None


@dataclass(frozen=True)
class Incoming:
    """A shopper's text prepared for the turn: ``understand_text`` is what the rules
    read (placeholders blanked), ``kept_text`` what the dialogue state keeps."""

    understand_text: str
    kept_text: str
    redactions: int
    ok: bool


@runtime_checkable
class ConversationLog(Protocol):
    def redact(self, text: str) -> Redaction: ...

    def record(self, exchange: Exchange) -> bool: ...


# Used only when redaction fails: e-mail-like tokens and long digit runs (phones, cards, IBAN tails).
_SCRUB_RE = re.compile(r"\S*@\S*|\+?\d(?:[\d\s().-]{5,}\d)")


def redact_incoming(history: ConversationLog | None, text: str) -> Incoming:
    """Redact a shopper's text before the turn; without a log, the text as it is.
    A redaction failure keeps the turn going on a conservatively scrubbed text
    (anything with an ``@`` and runs of 7+ digits removed, so budgets survive) and
    keeps only :data:`WITHHELD` in the state (the log then writes nothing)."""
    if history is None:
        return Incoming(text, text, 0, True)
    try:
        red = history.redact(text)
    except Exception as exc:  # noqa: BLE001 - the shopper must still get a reply
        log.error("Redaction of a shopper's turn failed (%s); its text is withheld", type(exc).__name__)
        return Incoming(_SCRUB_RE.sub(" ", text), WITHHELD, 0, False)
    blanked = re.sub(r"\s+", " ", _PLACEHOLDER_RE.sub(" ", red.text)).strip()
    return Incoming(blanked or red.text, red.text, red.count, True)


def record_exchange(history: ConversationLog, exchange: Exchange) -> bool:
    """``history.record(exchange)``, with any error logged instead of raised: the
    shopper's reply is already computed and must not be lost to storage."""
    try:
        return bool(history.record(exchange))
    except Exception as exc:  # noqa: BLE001 - a third-party log must not break the turn
        log.error("Conversation %s: turn not stored (%s)", exchange.session_id, type(exc).__name__)
        return False


class SqlConversationLog:
    """Writes exchanges to ``conversations`` / ``conversation_turns`` through the store."""

    def __init__(self, db: Database, redactor: TextRedactor, pseudonymiser: Pseudonymiser,
                 cipher: Any = None) -> None:
        """``cipher`` (a ``greencart.governance.FieldCipher``) encrypts the texts; without
        one nothing is stored (never clear text as a fallback)."""
        self.db, self.redactor, self.pseudonymiser, self.cipher = db, redactor, pseudonymiser, cipher
        self._lock = threading.Lock()
        self.stored = self.failed_redactions = self.failed_writes = 0

    @classmethod
    def from_settings(cls, settings: Any, db: Database) -> SqlConversationLog:
        """Redactor cached under the var dir; pseudonym key from GREENCART_PSEUDONYM_KEY or the var
        dir; encryption keys from GREENCART_ENCRYPTION_KEY or the var dir, checked against the
        database (a missing or wrong key raises ConfigError: the service does not start)."""
        from greencart.governance.erasure import open_cipher

        return cls(db, redactor_for(settings.var_dir), Pseudonymiser.from_env(settings.var_dir),
                   open_cipher(settings.var_dir, db))

    def redact(self, text: str) -> Redaction:
        return self.redactor.redact(text)

    def warm_up(self) -> SqlConversationLog:
        """Load the redaction engines in a background thread (a first turn waits for them)."""
        load = getattr(self.redactor, "load", None)
        if callable(load):
            def run() -> None:
                try:
                    load()
                except Exception as exc:  # noqa: BLE001 - turns will log the failure again
                    log.error("Redaction engines failed to load: %s", exc)

            threading.Thread(target=run, name="greencart-redactor-warm-up", daemon=True).start()
        return self

    def _count(self, attr: str) -> None:
        with self._lock:
            setattr(self, attr, getattr(self, attr) + 1)

    def record(self, exchange: Exchange) -> bool:
        """Store both turns of ``exchange`` in one transaction; False (logged, counted) on failure."""
        try:
            user = self.redactor.redact(exchange.user_text)
            reply = self.redactor.redact(exchange.reply)
            pseudonym = self.pseudonymiser.pseudonym(exchange.user_id) if exchange.user_id else None
        except Exception as exc:  # noqa: BLE001 - never write what could not be redacted
            self._count("failed_redactions")
            log.error("Conversation %s: turn not stored, redaction failed (%s)", exchange.session_id,
                      type(exc).__name__)
            return False
        if self.cipher is None:
            self._count("failed_writes")
            log.error("Conversation %s: turn not stored (no encryption key configured)", exchange.session_id)
            return False
        at = exchange.at or datetime.now(UTC)
        turns = [
            StoredTurn("user", user.text, user.count + exchange.user_redactions, created_at=at),
            StoredTurn("assistant", reply.text, reply.count, exchange.tier, exchange.energy_j, exchange.carbon_g,
                       exchange.energy_method, exchange.intent, tuple(exchange.product_ids), at),
        ]
        try:
            with self.db.transaction() as s:
                append_turns(s, exchange.session_id, turns, user_pseudonym=pseudonym, lang=exchange.lang, now=at,
                             cipher=self.cipher)
        except Exception as exc:  # noqa: BLE001 - a storage failure must not lose the reply
            self._count("failed_writes")
            log.error("Conversation %s: turn not stored (%s: %s)", exchange.session_id, type(exc).__name__,
                      str(exc)[:300])
            return False
        self._count("stored")
        return True

    def stats(self) -> dict[str, Any]:
        with self._lock:
            counts = {"stored": self.stored, "failed_redactions": self.failed_redactions,
                      "failed_writes": self.failed_writes}
        stats = getattr(self.redactor, "stats", None)
        return {**counts, "redaction": stats() if callable(stats) else {}}
