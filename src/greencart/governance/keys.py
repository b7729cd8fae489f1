"""Master keys (key-encryption keys) for encryption at rest: where they come from,
how they are named, and how a data key is wrapped under one.

Sources, first that is set wins:

- ``GREENCART_ENCRYPTION_KEY`` (64 hex digits: the current key) and, during a
  rotation, ``GREENCART_ENCRYPTION_OLD_KEYS`` (comma-separated 64-hex keys that
  stay readable until every data key is re-wrapped);
- else ``<var_dir>/secrets/encryption.keys``: one 64-hex key per line, the
  first is current, the others retired; 0600, folder 0700. It is created with a
  fresh key only while the database holds no data key (a first start); once
  data keys exist, a missing file is an error, never a new key.

A master key is named by a public fingerprint (``key_id``, an HMAC of a fixed
label under the key), stored beside each wrapped data key, so a wrong key is
detected at start-up instead of producing garbage. Master keys never enter the
database.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from greencart.errors import ConfigError

KEY_ENV = "GREENCART_ENCRYPTION_KEY"
OLD_KEYS_ENV = "GREENCART_ENCRYPTION_OLD_KEYS"
KEY_BYTES = 32
NONCE_BYTES = 12
_WRAP_AAD = b"greencart/data-key/v1\x00"


def key_file(var_dir: Path) -> Path:
    return Path(var_dir) / "secrets" / "encryption.keys"


def key_id(key: bytes) -> str:
    """16 hex digits naming ``key`` (not revealing it)."""
    return hmac.new(key, b"greencart/master-key-id/v1", hashlib.sha256).hexdigest()[:16]


def _parse_hex_key(value: str, where: str) -> bytes:
    value = value.strip()
    if len(value) != 2 * KEY_BYTES or not all(c in string.hexdigits for c in value):
        raise ConfigError(
            f"Expected {where} to be {2 * KEY_BYTES} hex digits (a 256-bit AES key), got {len(value)} characters; "
            f"generate one with `python -c 'import secrets; print(secrets.token_hex(32))'`")
    return bytes.fromhex(value)


@dataclass(frozen=True)
class Keyring:
    """The current master key and the retired ones still readable. ``source`` names
    the variable or file they came from (for error messages)."""

    primary: bytes = field(repr=False)
    retired: tuple[bytes, ...] = field(default=(), repr=False)
    source: str = KEY_ENV

    def __post_init__(self) -> None:
        for k in (self.primary, *self.retired):
            if not isinstance(k, bytes) or len(k) != KEY_BYTES:
                raise ConfigError(f"Expected every key in {self.source} to be {KEY_BYTES} bytes")

    @property
    def primary_id(self) -> str:
        return key_id(self.primary)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(key_id(k) for k in (self.primary, *self.retired))

    def get(self, master_key_id: str) -> bytes | None:
        for k in (self.primary, *self.retired):
            if key_id(k) == master_key_id:
                return k
        return None

    def wrap(self, data_key_id: str, data_key: bytes) -> tuple[str, bytes]:
        """(master key id, nonce + AES-GCM(data key)) under the current master key."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = secrets.token_bytes(NONCE_BYTES)
        return self.primary_id, nonce + AESGCM(self.primary).encrypt(nonce, data_key,
                                                                       _WRAP_AAD + data_key_id.encode())

    def unwrap(self, data_key_id: str, master_key_id: str, wrapped: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        master = self.get(master_key_id)
        if master is None:
            raise ConfigError(f"Data key {data_key_id} is wrapped by master key {master_key_id}, which is not in "
                              f"{self.source}: add it (as a retired key) or restore it from a backup")
        try:
            return AESGCM(master).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:],
                                          _WRAP_AAD + data_key_id.encode())
        except InvalidTag:
            raise ConfigError(f"Data key {data_key_id} does not open under master key {master_key_id}: "
                              f"the stored key was altered") from None

    def derive(self, label: str) -> bytes:
        """A 256-bit key for one purpose (e.g. session files), from the current master key."""
        return hmac.new(self.primary, b"greencart/derive/v1\x00" + label.encode(), hashlib.sha256).digest()

    def derived_all(self, label: str) -> list[bytes]:
        """The ``label`` key under every master key, current first (to read what older keys wrote)."""
        return [hmac.new(k, b"greencart/derive/v1\x00" + label.encode(), hashlib.sha256).digest()
                for k in (self.primary, *self.retired)]


def _read_key_file(path: Path) -> Keyring:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"Expected {path} to be readable by its owner only (0600), got {oct(mode)}: "
                          f"run `chmod 600 {path}`")
    lines = [ln.strip() for ln in path.read_text(encoding="ascii").splitlines() if ln.strip()]
    if not lines:
        raise ConfigError(f"Expected {path} to hold at least one 64-hex key, got an empty file: restore it "
                          f"from a backup or set {KEY_ENV}")
    keys = [_parse_hex_key(ln, f"line {i} of {path}") for i, ln in enumerate(lines, start=1)]
    return Keyring(keys[0], tuple(keys[1:]), str(path))


def write_key_file(path: Path, keys: list[bytes]) -> None:
    """Replace the key file atomically (temp file 0600 + rename); current key first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write("".join(k.hex() + "\n" for k in keys))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _create_key_file(path: Path) -> Keyring:
    """A first key, linked into place so that two processes starting together agree on it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_bytes(KEY_BYTES).hex() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process created it first: use theirs
    finally:
        tmp.unlink(missing_ok=True)
    return _read_key_file(path)


def load_keyring(var_dir: Path, environ: Mapping[str, str] | None = None, *,
                 may_create: bool = False) -> Keyring | None:
    """The keyring from the environment or the key file; None when neither exists and
    ``may_create`` is False (the caller decides whether that is an error)."""
    env = os.environ if environ is None else environ
    if value := env.get(KEY_ENV, "").strip():
        primary = _parse_hex_key(value, KEY_ENV)
        old = [_parse_hex_key(v, OLD_KEYS_ENV) for v in env.get(OLD_KEYS_ENV, "").split(",") if v.strip()]
        return Keyring(primary, tuple(old), KEY_ENV)
    if env.get(OLD_KEYS_ENV, "").strip():
        raise ConfigError(f"Expected {KEY_ENV} to be set when {OLD_KEYS_ENV} is (the current key is the first)")
    path = key_file(var_dir)
    if path.exists():
        return _read_key_file(path)
    return _create_key_file(path) if may_create else None


def missing_key_message(var_dir: Path, master_ids: list[str], count: int) -> str:
    return (f"{count} data keys in the database are wrapped by master key(s) {', '.join(master_ids)}, but neither "
            f"{KEY_ENV} is set nor {key_file(var_dir)} exists: set {KEY_ENV} to that key or restore the key file "
            f"from a backup (a new key cannot read them; nothing is written in clear instead)")
