"""Key rotation without downtime: batches, old keys readable until the last batch.

Master key (``greencart privacy rotate-keys``):

1. key file: a new key is written first, the old ones after it (retired); running
   processes re-read the file when they meet a master key they lack or create a
   data key. Environment: set ``GREENCART_ENCRYPTION_KEY`` to the new key and
   ``GREENCART_ENCRYPTION_OLD_KEYS`` to the old one(s) before running it.
2. every data key wrapped by another key is re-wrapped, ``batch_size`` per
   transaction; turns stored in clear before revision 0006 are sealed; session
   files are re-sealed.
3. key file: the retired keys are dropped once no data key uses them (a final
   sweep catches keys wrapped meanwhile). Environment: drop the old key(s) from
   ``GREENCART_ENCRYPTION_OLD_KEYS`` after it reports ``retired_in_use: 0``.

Data keys (``--data-keys``): every owner's key is retired (new writes get a new
key), its turns are re-encrypted batch by batch, then the retired key is deleted.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from greencart.errors import ConfigError, check_range
from greencart.governance.crypto import FieldCipher
from greencart.governance.keys import (
    KEY_BYTES,
    KEY_ENV,
    Keyring,
    key_file,
    load_keyring,
    write_key_file,
)


@dataclass(frozen=True)
class RotationReport:
    new_master_key_id: str
    data_keys_rewrapped: int
    turns_sealed: int
    turns_reencrypted: int
    data_keys_replaced: int
    session_files_resealed: int
    retired_master_keys_dropped: int
    retired_in_use: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rewrap(db: Any, ring: Keyring, batch_size: int) -> int:
    from greencart.store import governance_repo as repo

    done = 0
    while True:
        with db.transaction() as s:
            batch = repo.keys_not_under(s, ring.primary_id, batch_size)
            for k in batch:
                data_key = ring.unwrap(k.id, k.master_key_id, k.wrapped_key)
                master_id, wrapped = ring.wrap(k.id, data_key)
                repo.rewrap_key(s, k.id, master_id, wrapped)
        done += len(batch)
        if len(batch) < batch_size:
            return done


def _reencrypt_turns(db: Any, cipher: FieldCipher, stale_key_ids: list[str], batch_size: int) -> tuple[int, int]:
    """Seal clear (legacy) turns and re-encrypt turns under ``stale_key_ids``: (sealed, re-encrypted)."""
    from greencart.governance.crypto import is_encrypted
    from greencart.store import governance_repo as repo
    from greencart.store.conversation_repo import owner_of, turn_aad

    sealed = moved = 0
    after = 0
    while True:
        with db.transaction() as s:
            batch = repo.turns_needing_encryption(s, stale_key_ids=stale_key_ids, after_id=after, limit=batch_size)
            for t in batch:
                associated = turn_aad(t.conversation_id, t.seq)
                was_sealed = is_encrypted(t.text)
                text = cipher.open(s, associated, t.text) if was_sealed else t.text
                token = cipher.seal(s, owner_of(t.conversation_id, t.owner_pseudonym), associated, text)
                repo.set_turn_text(s, t.turn_id, token)
                moved, sealed = moved + was_sealed, sealed + (not was_sealed)
        if not batch:
            return sealed, moved
        after = batch[-1].turn_id


def _rotate_data_keys(db: Any, cipher: FieldCipher, batch_size: int) -> tuple[int, int]:
    from datetime import UTC, datetime

    from greencart.store import governance_repo as repo
    from greencart.store.tables import DataKeyRow

    with db.transaction() as s:  # retire every current key: the next write of each owner makes a new one
        old_ids = [k for k, in s.query(DataKeyRow.id).filter(DataKeyRow.retired_at.is_(None))]
        for owner, in s.query(DataKeyRow.owner).distinct():
            repo.retire_keys(s, owner, datetime.now(UTC))
    _, moved = _reencrypt_turns(db, cipher, old_ids, batch_size)
    with db.transaction() as s:
        unused = [k.id for k in repo.retired_keys(s, limit=1_000_000) if not repo.key_in_use(s, k.id)]
        repo.delete_key_ids(s, unused)
    return moved, len(unused)


def rotate(db: Any, var_dir: Path, *, environ: Mapping[str, str] | None = None, batch_size: int = 500,
           data_keys: bool = False) -> RotationReport:
    """Rotate the master key (and with ``data_keys`` every data key) in batches."""
    from greencart.governance.erasure import open_cipher
    from greencart.governance.sessions import EncryptedSessionStore
    from greencart.store import governance_repo as repo

    check_range("batch_size", batch_size, 1, 100_000)
    cipher = open_cipher(var_dir, db, environ)  # refuses a wrong or missing key first
    ring = cipher.keyring
    from_file = ring.source != KEY_ENV
    if from_file:
        ring = Keyring(secrets.token_bytes(KEY_BYTES), (ring.primary, *ring.retired), str(key_file(var_dir)))
        write_key_file(key_file(var_dir), [ring.primary, *ring.retired])
        cipher.keyring = ring
    rewrapped = _rewrap(db, ring, batch_size)
    sealed, moved = _reencrypt_turns(db, cipher, [], batch_size)
    replaced = 0
    if data_keys:
        moved, replaced = _rotate_data_keys(db, cipher, batch_size)
    files = EncryptedSessionStore(Path(var_dir) / "sessions", ring).reseal_all()
    dropped = 0
    if from_file and ring.retired:
        write_key_file(key_file(var_dir), [ring.primary])
        rewrapped += _rewrap(db, ring, batch_size)  # keys a stale process wrapped meanwhile
        dropped = len(ring.retired)
    with db.read() as s:
        in_use = sum(n for m, n in repo.master_key_counts(s).items() if m != ring.primary_id)
    if in_use and from_file:
        raise ConfigError(f"{in_use} data keys are still under a retired master key after rotation: run it again")
    return RotationReport(ring.primary_id, rewrapped, sealed, moved, replaced, files, dropped, in_use)


def current_keyring(var_dir: Path, environ: Mapping[str, str] | None = None) -> Keyring | None:
    return load_keyring(var_dir, environ)
