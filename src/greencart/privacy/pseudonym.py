"""Keyed pseudonyms for shopper ids (HMAC-SHA256).

A plain hash of an id falls to a dictionary attack (hash every known id and
compare); a keyed HMAC does not without the key. The key comes from
``GREENCART_PSEUDONYM_KEY`` (at least 32 characters; 64 hex digits are read as
32 bytes), else from ``<var_dir>/secrets/pseudonym.key``: 32 random bytes
created once with 0600 permissions and read by every later process. The key
is never written to the database. Losing or changing it makes existing
pseudonyms unfindable (``privacy forget`` can no longer match them).
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

from greencart.errors import ConfigError, InvalidParameter

KEY_ENV = "GREENCART_PSEUDONYM_KEY"
KEY_BYTES = 32
MIN_ENV_KEY_CHARS = 32
_DOMAIN = b"greencart/user-id/v1\x00"  # separates these pseudonyms from any other use of the key


def key_file(var_dir: Path) -> Path:
    return Path(var_dir) / "secrets" / "pseudonym.key"


def _key_from_env(value: str) -> bytes:
    value = value.strip()
    if len(value) == 2 * KEY_BYTES and all(c in string.hexdigits for c in value):
        return bytes.fromhex(value)
    if len(value) < MIN_ENV_KEY_CHARS:
        raise ConfigError(
            f"Expected {KEY_ENV} to hold at least {MIN_ENV_KEY_CHARS} characters (or 64 hex digits), "
            f"got {len(value)}; generate one with `python -c 'import secrets; print(secrets.token_hex(32))'`"
        )
    return value.encode("utf-8")


def _read_key_file(path: Path) -> bytes:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"Expected {path} to be readable by its owner only (0600), got {oct(mode)}: "
                          f"run `chmod 600 {path}`")
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise ConfigError(f"Expected {path} to hold {KEY_BYTES} bytes, got {len(key)}: restore it from a backup "
                          f"(a new key makes stored pseudonyms unfindable)")
    return key


def load_or_create_key(var_dir: Path) -> bytes:
    """The key file's 32 bytes, created atomically (0600) on first use. Two processes
    starting together agree on one key: the file is linked into place, never overwritten."""
    path = key_file(var_dir)
    if path.exists():
        return _read_key_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(KEY_BYTES))
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process created it first: use theirs
    finally:
        tmp.unlink(missing_ok=True)
    return _read_key_file(path)


@dataclass(frozen=True)
class Pseudonymiser:
    """``pseudonym(user_id)``: 64 hex digits of HMAC-SHA256(key, id); stable for a key."""

    key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.key, bytes) or len(self.key) < 16:
            raise InvalidParameter("Expected a pseudonym key of at least 16 bytes")

    @classmethod
    def from_env(cls, var_dir: Path, environ: Mapping[str, str] | None = None) -> Pseudonymiser:
        env = os.environ if environ is None else environ
        value = env.get(KEY_ENV)
        return cls(_key_from_env(value) if value else load_or_create_key(var_dir))

    def pseudonym(self, user_id: str) -> str:
        if not isinstance(user_id, str) or not user_id:
            raise InvalidParameter(f"Expected a non-empty user id to pseudonymise, got {user_id!r}")
        return hmac.new(self.key, _DOMAIN + user_id.encode("utf-8"), hashlib.sha256).hexdigest()

    def key_id(self) -> str:
        """A short public fingerprint of the key (not the key): tells which key made a pseudonym."""
        return hmac.new(self.key, b"greencart/key-id", hashlib.sha256).hexdigest()[:12]
