"""Field encryption at rest: AES-256-GCM under per-owner data keys (envelope encryption).

A stored value is ``gcenc1.<data key id>.<base64url(nonce + ciphertext + tag)>``.
The associated data binds it to its place, ``table \\0 column \\0 row key``, so a
ciphertext copied to another row or column does not open. Each owner (a
shopper's pseudonym ``u:<hmac>`` or an anonymous session ``s:<id>``) has its own
data key, wrapped by the master key (:mod:`greencart.governance.keys`) in the
``data_keys`` table; deleting an owner's keys makes every copy of their
ciphertexts unreadable (crypto-shredding).

    cipher = FieldCipher(keyring)                        # one per process
    token = cipher.seal(session, "u:" + pseudonym, aad("conversation_turns", "text_redacted", "s1/1"), text)
    text = cipher.open(session, aad(...), token)
"""

from __future__ import annotations

import base64
import secrets
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from greencart.errors import ConfigError, GreencartError, InvalidParameter
from greencart.governance.keys import KEY_BYTES, NONCE_BYTES, Keyring
from greencart.store import governance_repo as repo

PREFIX = repo.ENCRYPTED_PREFIX
CACHE_KEYS = 4096


class Undecryptable(GreencartError):
    """A ciphertext whose data key is gone (erased) or which does not open here."""

    http_status = 410
    exit_code = 7


def aad(table: str, column: str, row_key: str) -> bytes:
    return f"greencart/field/v1\x00{table}\x00{column}\x00{row_key}".encode()


def is_encrypted(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parse_token(token: str) -> tuple[str, bytes]:
    """(data key id, nonce + ciphertext) of a stored value."""
    if not is_encrypted(token):
        raise InvalidParameter("Expected an encrypted value starting with 'gcenc1.'")
    try:
        key_id, body = token[len(PREFIX):].split(".", 1)
        return key_id, _unb64(body)
    except ValueError:
        raise InvalidParameter("Expected 'gcenc1.<key id>.<base64>', got a malformed encrypted value") from None


class FieldCipher:
    """Seals and opens field values in the caller's transaction. Unwrapped data keys
    are cached (LRU) by key id and wrapped bytes; the key row is read on every write,
    so a key shredded by another process is never used again."""

    def __init__(self, keyring: Keyring, reload: Callable[[], Keyring | None] | None = None) -> None:
        self.keyring = keyring
        self._reload = reload
        self._cache: OrderedDict[tuple[str, bytes], bytes] = OrderedDict()
        self._lock = threading.Lock()
        # owner -> key within one transaction (the session), so a turn's texts read the key row once
        self._in_session: weakref.WeakKeyDictionary[Session, dict[str, tuple[str, bytes]]] = \
            weakref.WeakKeyDictionary()

    # -- keys -----------------------------------------------------------------------------------
    def _refresh(self) -> None:
        """Re-read the key source (a rotation may have added or retired a master key)."""
        if self._reload is not None and (ring := self._reload()) is not None:
            self.keyring = ring

    def _unwrap(self, stored: repo.StoredKey) -> bytes:
        cache_key = (stored.id, stored.wrapped_key)
        with self._lock:
            if (hit := self._cache.get(cache_key)) is not None:
                self._cache.move_to_end(cache_key)
                return hit
        if self.keyring.get(stored.master_key_id) is None:
            self._refresh()
        key = self.keyring.unwrap(stored.id, stored.master_key_id, stored.wrapped_key)
        with self._lock:
            self._cache[cache_key] = key
            while len(self._cache) > CACHE_KEYS:
                self._cache.popitem(last=False)
        return key

    def data_key(self, session: Session, owner: str) -> tuple[str, bytes]:
        """The owner's current data key, created (and wrapped) on first use; read once per
        transaction (``session``) and owner."""
        with self._lock:
            memo = self._in_session.setdefault(session, {})
            if (hit := memo.get(owner)) is not None:
                return hit
        stored = repo.active_key(session, owner)
        if stored is not None:
            found = (stored.id, self._unwrap(stored))
        else:
            self._refresh()
            key_id, key = secrets.token_hex(16), secrets.token_bytes(KEY_BYTES)
            master_id, wrapped = self.keyring.wrap(key_id, key)
            repo.add_key(session, key_id, owner, master_id, wrapped, datetime.now(UTC))
            found = (key_id, key)
        with self._lock:
            memo[owner] = found
        return found

    # -- values ---------------------------------------------------------------------------------
    @staticmethod
    def seal_with(key_id: str, key: bytes, associated: bytes, plaintext: str) -> str:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = secrets.token_bytes(NONCE_BYTES)  # random 96-bit nonce: fine far below 2**32 values per key
        return f"{PREFIX}{key_id}.{_b64(nonce + AESGCM(key).encrypt(nonce, plaintext.encode('utf-8'), associated))}"

    def seal(self, session: Session, owner: str, associated: bytes, plaintext: str) -> str:
        if not isinstance(plaintext, str):
            raise InvalidParameter(f"Expected text to encrypt, got {type(plaintext).__name__}")
        key_id, key = self.data_key(session, owner)
        return self.seal_with(key_id, key, associated, plaintext)

    def open(self, session: Session, associated: bytes, token: str) -> str:
        """The clear text of ``token``; :class:`Undecryptable` if its key was shredded."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key_id, body = parse_token(token)
        stored = repo.get_key(session, key_id)
        if stored is None:
            raise Undecryptable(f"Data key {key_id} no longer exists (erased): the value cannot be decrypted")
        key = self._unwrap(stored)
        try:
            return AESGCM(key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], associated).decode("utf-8")
        except InvalidTag:
            raise Undecryptable(f"A value under data key {key_id} does not open for this row: it was moved or "
                                f"altered") from None

    def open_or(self, session: Session, associated: bytes, token: str, default: str) -> str:
        """``open``, with ``default`` for an erased value; a value stored in clear before
        encryption existed (revision 0006) is returned as it is until ``rotate-keys`` seals it."""
        if not is_encrypted(token):
            return token
        try:
            return self.open(session, associated, token)
        except Undecryptable:
            return default


def check_keyring(session: Session, keyring: Keyring | None, missing_message: str) -> None:
    """Refuse to go on when data keys exist under a master key this keyring lacks."""
    counts = repo.master_key_counts(session)
    if not counts:
        return
    if keyring is None:
        raise ConfigError(missing_message)
    unknown = {m: n for m, n in counts.items() if keyring.get(m) is None}
    if unknown:
        raise ConfigError(
            f"{sum(unknown.values())} data keys are wrapped by master key(s) {', '.join(sorted(unknown))}, which "
            f"{keyring.source} does not hold (it holds {', '.join(keyring.ids)}): the key is wrong. Set "
            f"GREENCART_ENCRYPTION_KEY to the right key (or list the old one in GREENCART_ENCRYPTION_OLD_KEYS "
            f"while rotating); nothing is written in clear instead")
