"""Opening the field cipher at start-up, erasure by crypto-shredding, and retention.

- :func:`open_cipher`: the process's :class:`FieldCipher`; refuses (``ConfigError``
  naming ``GREENCART_ENCRYPTION_KEY``) when data keys exist under a key it lacks.
- :func:`forget`: one shopper's data keys deleted (every copy of their ciphertexts,
  backups and exports included, becomes unreadable), their conversations, session
  files and behaviour rows removed, their row dropped from the saved recommender,
  and an erasure-log entry with counts only.
- :func:`purge`: the retention policy, per table, in days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from greencart.errors import InvalidParameter
from greencart.governance.crypto import FieldCipher, check_keyring
from greencart.governance.keys import load_keyring, missing_key_message

RETENTION_ENV = {"conversations": "GREENCART_RETENTION_CONVERSATIONS_DAYS",
                 "energy_ledger": "GREENCART_RETENTION_LEDGER_DAYS",
                 "erasure_log": "GREENCART_RETENTION_ERASURE_LOG_DAYS"}


def open_cipher(var_dir: Path, db: Any, environ: Mapping[str, str] | None = None) -> FieldCipher:
    """The field cipher of this process, after checking the keys against the database.
    A key file is created only while no data key exists (a first start)."""
    from greencart.store import governance_repo as repo

    with db.read() as s:
        counts = repo.master_key_counts(s)
        keyring = load_keyring(var_dir, environ, may_create=not counts)
        check_keyring(s, keyring, missing_key_message(var_dir, sorted(counts), sum(counts.values())))
    assert keyring is not None  # created above when there were no data keys
    return FieldCipher(keyring, reload=lambda: load_keyring(var_dir, environ))


@dataclass(frozen=True)
class ErasureReport:
    keys_shredded: int
    conversations_deleted: int
    turns_deleted: int
    session_files_deleted: int
    interactions_deleted: int
    orders_unlinked: int
    shoppers_deleted: int
    recommender_rows_removed: int
    erasure_id: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def forget(db: Any, var_dir: Path, pseudonymiser: Any, user_id: str, *, keyring: Any = None,
           now: datetime | None = None) -> ErasureReport:
    """Erase one shopper (right to erasure). Keys and rows go in one transaction; the
    session files and the saved recommender follow (they are files, not rows)."""
    from greencart.store import governance_repo as repo
    from greencart.store.conversation_repo import delete_by_pseudonym

    if not isinstance(user_id, str) or not user_id.strip():
        raise InvalidParameter(f"Expected a shopper id to forget, got {user_id!r}")
    now = now or datetime.now(UTC)
    pseudonym = pseudonymiser.pseudonym(user_id)
    with db.transaction() as s:
        owners = [f"u:{pseudonym}"] + [f"s:{cid}" for cid in repo.conversation_ids_of(s, pseudonym)]
        shredded = repo.delete_keys(s, owners)
        convs, turns = delete_by_pseudonym(s, pseudonym)
        rows = repo.delete_shopper_rows(s, user_id)
        model_rows = drop_from_recommender(var_dir, user_id)
        erasure_id = repo.log_erasure(s, "forget", now, shredded, {
            "conversations": convs, "conversation_turns": turns, **rows, "recommender_users": model_rows})
    files = 0
    if keyring is not None:
        from greencart.governance.sessions import EncryptedSessionStore

        files = EncryptedSessionStore(Path(var_dir) / "sessions", keyring).forget_user(user_id)
    return ErasureReport(shredded, convs, turns, files, rows["interactions"], rows["orders_unlinked"],
                         rows["shoppers"], model_rows, erasure_id)


def drop_from_recommender(var_dir: Path, user_id: str) -> int:
    """Remove the shopper's row (history and factors) from the saved recommender at once,
    rather than waiting for the next fit; 0 when no model knows them."""
    import numpy as np

    from greencart.recommend.base import load_recommender
    from greencart.recommend.data import Interactions

    model_dir = Path(var_dir) / "models" / "recommender"
    if not (model_dir / "model.json").exists():
        return 0
    model = load_recommender(model_dir)
    data = model._require()
    if user_id not in data.user_ids:
        return 0
    u = data.user_ids.index(user_id)
    keep = np.array([i for i in range(data.n_users) if i != u], dtype=np.int64)
    model.data = Interactions(data.matrix[keep], tuple(data.user_ids[i] for i in keep), data.item_ids)
    for attr in ("user_factors",):
        if hasattr(model, attr):
            setattr(model, attr, getattr(model, attr)[keep])
    if hasattr(model, "_fitted_rows"):
        model._fitted_rows = model.data.matrix
    model.save(model_dir)
    return 1


@dataclass(frozen=True)
class RetentionPolicy:
    """Days to keep, per table; None keeps forever. Conversations default to 90 days."""

    conversations_days: int | None = 90
    energy_ledger_days: int | None = None
    erasure_log_days: int | None = None

    def __post_init__(self) -> None:
        for name in ("conversations_days", "energy_ledger_days", "erasure_log_days"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 36_500):
                raise InvalidParameter(f"Expected {name} in [0, 36500] or None, got {v!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: int | None) -> RetentionPolicy:
        import os

        env = os.environ if environ is None else environ
        values: dict[str, int | None] = {}
        for table, var in RETENTION_ENV.items():
            name = "energy_ledger_days" if table == "energy_ledger" else f"{table}_days"
            if (raw := env.get(var, "").strip()):
                try:
                    values[name] = None if raw.lower() in ("never", "none") else int(raw)
                except ValueError:
                    raise InvalidParameter(f"Expected {var} to be a number of days or 'never', got {raw!r}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass(frozen=True)
class PurgeReport:
    cutoffs: dict[str, str] = field(default_factory=dict)
    rows_deleted: dict[str, int] = field(default_factory=dict)
    keys_shredded: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def purge(db: Any, policy: RetentionPolicy, *, now: datetime | None = None) -> PurgeReport:
    """Apply ``policy`` in one transaction: old conversations and their now unused data
    keys, old ledger rows and old erasure-log entries; logged without personal data."""
    from greencart.store import governance_repo as repo
    from greencart.store.conversation_repo import purge_older_than

    now = now or datetime.now(UTC)
    cutoffs: dict[str, str] = {}
    rows: dict[str, int] = {}
    with db.transaction() as s:
        shredded = 0
        if policy.conversations_days is not None:
            cut = now - timedelta(days=policy.conversations_days)
            rows["conversations"], rows["conversation_turns"] = purge_older_than(s, cut)
            shredded = repo.delete_keys(s, repo.orphan_owners(s))
            cutoffs["conversations"] = cut.isoformat()
        if policy.energy_ledger_days is not None:
            cut = now - timedelta(days=policy.energy_ledger_days)
            rows["energy_ledger"] = repo.delete_ledger_before(s, cut)
            cutoffs["energy_ledger"] = cut.isoformat()
        if policy.erasure_log_days is not None:
            cut = now - timedelta(days=policy.erasure_log_days)
            rows["erasure_log"] = repo.delete_erasure_log_before(s, cut)
            cutoffs["erasure_log"] = cut.isoformat()
        if any(rows.values()) or shredded:
            repo.log_erasure(s, "retention", now, shredded, rows)
    return PurgeReport(cutoffs, rows, shredded)
