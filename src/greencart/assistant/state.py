"""Dialogue state per session, and where it is kept.

``SessionStore`` is the protocol; :class:`MemorySessionStore` (TTL, bounded,
least recently used first out) serves the API; :class:`JsonFileSessionStore`
keeps CLI sessions across processes (one JSON file per session, written to a
temporary file and renamed). A database-backed store can replace either.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from greencart.errors import InvalidParameter, check_range

EXCLUDE_KEYS = ("colour", "material", "category", "type", "word")
SESSION_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_TURNS_KEPT = 20
MAX_SHOWN = 10


def new_session_id() -> str:
    return secrets.token_urlsafe(12)


def check_session_id(session_id: str) -> str:
    if not isinstance(session_id, str) or not SESSION_ID_RE.match(session_id):
        raise InvalidParameter(f"Expected a session id of 1-64 letters, digits, '_' or '-', got {session_id!r}")
    return session_id


@dataclass
class Constraints:
    """What the shopper is looking for: hard filters plus the free-text need."""

    query: str = ""
    category: str | None = None
    product_type: str | None = None
    max_price: float | None = None
    min_price: float | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    quantity: int = 1
    # ruled out, as hard as a budget: "colour"/"material"/"category"/"type"/"word" -> values ("not red")
    exclude: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("max_price", "min_price"):
            v = getattr(self, name)
            if v is not None and not (isinstance(v, (int, float)) and 0 <= v < 1e12):
                raise InvalidParameter(f"Expected {name} >= 0, got {v!r}")
        if self.max_price is not None and self.min_price is not None and self.min_price > self.max_price:
            raise InvalidParameter(f"Expected min_price <= max_price, got {self.min_price} > {self.max_price}")
        check_range("quantity", self.quantity, 1, 10_000)
        if not isinstance(self.exclude, dict) or any(
                k not in EXCLUDE_KEYS or not isinstance(v, list) or not all(isinstance(x, str) and x for x in v)
                for k, v in self.exclude.items()):
            raise InvalidParameter(f"Expected exclude as {{key in {EXCLUDE_KEYS}: [non-empty text]}}, got {self.exclude!r}")

    def excludes(self, key: str, value: str) -> bool:
        return value.strip().casefold() in (v.casefold() for v in self.exclude.get(key, []))

    @property
    def has_need(self) -> bool:
        return bool(self.query or self.category or self.product_type or self.attributes)


@dataclass
class TurnRecord:
    role: str  # "user" | "assistant"
    text: str
    tier: str | None = None
    energy_j: float | None = None
    carbon_g: float | None = None
    at: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        if self.role not in ("user", "assistant"):
            raise InvalidParameter(f"Expected role 'user' or 'assistant', got {self.role!r}")


@dataclass
class DialogueState:
    session_id: str
    user_id: str | None = None
    lang: str = "en"
    constraints: Constraints = field(default_factory=Constraints)
    eco_weight: float = 0.3  # 0 = relevance only, 1 = lowest footprint first
    shown: list[dict[str, Any]] = field(default_factory=list)  # product cards of the last answer
    focus: str | None = None  # id of the product last referred to
    asked_clarification: bool = False
    turns: list[TurnRecord] = field(default_factory=list)
    energy_j_total: float = 0.0
    carbon_g_total: float = 0.0
    updated_at: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        check_session_id(self.session_id)
        if self.lang not in ("en", "zh"):
            raise InvalidParameter(f"Expected lang 'en' or 'zh', got {self.lang!r}")
        check_range("eco_weight", self.eco_weight, 0.0, 1.0)

    def add_turn(self, record: TurnRecord) -> None:
        self.turns.append(record)
        del self.turns[:-MAX_TURNS_KEPT]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DialogueState:
        data = dict(data)
        data["constraints"] = Constraints(**data.get("constraints", {}))
        data["turns"] = [TurnRecord(**t) for t in data.get("turns", [])]
        return cls(**data)


@runtime_checkable
class SessionStore(Protocol):
    def get(self, session_id: str) -> DialogueState | None: ...

    def put(self, state: DialogueState) -> None: ...

    def delete(self, session_id: str) -> None: ...


class MemorySessionStore:
    """In-process sessions: expire after ``ttl_s`` idle, at most ``max_sessions`` kept."""

    def __init__(self, ttl_s: float = 3600.0, max_sessions: int = 10_000) -> None:
        check_range("ttl_s", ttl_s, 1.0, 30 * 86400.0)
        check_range("max_sessions", max_sessions, 1, 10_000_000)
        self.ttl_s, self.max_sessions = ttl_s, max_sessions
        self._data: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session_id: str) -> DialogueState | None:
        now = time.monotonic()
        with self._lock:
            item = self._data.get(session_id)
            if item is None:
                return None
            if now - item[0] > self.ttl_s:
                del self._data[session_id]
                return None
            self._data.move_to_end(session_id)
            snapshot = item[1]
        return DialogueState.from_dict(snapshot)  # a copy: callers never share mutable state

    def put(self, state: DialogueState) -> None:
        state.updated_at = time.time()
        snapshot = state.to_dict()
        with self._lock:
            self._data[state.session_id] = (time.monotonic(), snapshot)
            self._data.move_to_end(state.session_id)
            while len(self._data) > self.max_sessions:
                self._data.popitem(last=False)

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._data.pop(session_id, None)

    def __len__(self) -> int:
        return len(self._data)


class JsonFileSessionStore:
    """One JSON file per session under ``folder``; atomic writes (temp file + rename)."""

    def __init__(self, folder: Path, ttl_s: float = 7 * 86400.0) -> None:
        self.folder = Path(folder)
        self.ttl_s = ttl_s

    def _path(self, session_id: str) -> Path:
        return self.folder / f"{check_session_id(session_id)}.json"

    def get(self, session_id: str) -> DialogueState | None:
        path = self._path(session_id)
        try:
            if time.time() - path.stat().st_mtime > self.ttl_s:
                return None
            return DialogueState.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (ValueError, TypeError, KeyError) as exc:
            raise InvalidParameter(f"Session file {path} is not a valid session ({exc}): delete it") from None

    def put(self, state: DialogueState) -> None:
        state.updated_at = time.time()
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(state.session_id)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".session-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(state.to_dict(), fh, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def delete(self, session_id: str) -> None:
        self._path(session_id).unlink(missing_ok=True)
