"""Encrypted session files for the CLI: the assistant's ``SessionStore`` protocol
over one AES-GCM file per session (``<id>.session``) under a key derived from the
master key, so ``var/sessions`` never holds a shopper id or a turn in clear.

Files written under a retired master key still open until ``rotate-keys``
re-seals them; one that no key opens is treated as expired (a new session).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from greencart.governance.keys import NONCE_BYTES, Keyring

log = logging.getLogger(__name__)
LABEL = "session-files"
SUFFIX = ".session"


class EncryptedSessionStore:
    """``get``/``put``/``delete`` of dialogue states, sealed with AES-256-GCM; the
    session id is the associated data (a file renamed to another id does not open)."""

    def __init__(self, folder: Path, keyring: Keyring, ttl_s: float = 7 * 86400.0) -> None:
        self.folder = Path(folder)
        self.keyring = keyring
        self.ttl_s = ttl_s

    def _path(self, session_id: str) -> Path:
        from greencart.assistant.state import check_session_id

        return self.folder / f"{check_session_id(session_id)}{SUFFIX}"

    def _open(self, session_id: str, blob: bytes) -> dict[str, Any] | None:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        for key in self.keyring.derived_all(LABEL):
            try:
                plain = AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], session_id.encode())
            except InvalidTag:
                continue
            return json.loads(plain.decode("utf-8"))
        return None

    def _seal(self, session_id: str, data: dict[str, Any]) -> bytes:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = secrets.token_bytes(NONCE_BYTES)
        plain = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return nonce + AESGCM(self.keyring.derive(LABEL)).encrypt(nonce, plain, session_id.encode())

    def _write(self, path: Path, blob: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".session-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, session_id: str) -> Any:
        from greencart.assistant.state import DialogueState

        path = self._path(session_id)
        try:
            if time.time() - path.stat().st_mtime > self.ttl_s:
                return None
            data = self._open(session_id, path.read_bytes())
        except FileNotFoundError:
            return None
        if data is None:
            log.warning("Session file %s opens under no current key: starting a new session", path.name)
            return None
        return DialogueState.from_dict(data)

    def put(self, state: Any) -> None:
        state.updated_at = time.time()
        self._write(self._path(state.session_id), self._seal(state.session_id, state.to_dict()))

    def delete(self, session_id: str) -> None:
        self._path(session_id).unlink(missing_ok=True)

    def _files(self) -> list[Path]:
        return sorted(self.folder.glob(f"*{SUFFIX}")) if self.folder.exists() else []

    def _legacy(self) -> list[Path]:
        """Clear JSON session files written before encryption (``<id>.json``)."""
        return sorted(self.folder.glob("*.json")) if self.folder.exists() else []

    def forget_user(self, user_id: str) -> int:
        """Delete every session file of ``user_id`` (and every file no key opens); returns how many."""
        removed = 0
        for path in self._legacy():
            if json.loads(path.read_text(encoding="utf-8")).get("user_id") == user_id:
                path.unlink(missing_ok=True)
                removed += 1
        for path in self._files():
            data = self._open(path.stem, path.read_bytes())
            if data is None or data.get("user_id") == user_id:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def reseal_all(self) -> int:
        """Re-encrypt every readable file under the current master key (key rotation);
        clear legacy files are sealed and their clear copy removed."""
        count = 0
        for path in self._legacy():
            self._write(path.with_suffix(SUFFIX), self._seal(path.stem, json.loads(path.read_text(encoding="utf-8"))))
            path.unlink()
            count += 1
        for path in self._files():
            data = self._open(path.stem, path.read_bytes())
            if data is not None:
                self._write(path, self._seal(path.stem, data))
                count += 1
        return count
