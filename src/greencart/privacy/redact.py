"""Redaction of personal data in free text before anything is stored.

    redactor = Redactor(cache_dir=settings.var_dir / "cache" / "privacy")
    redactor.redact("mail me at a@b.com").text  # 'mail me at <EMAIL>'

Presidio's pattern recognizers (offline, see :mod:`greencart.privacy.recognizers`)
find e-mail addresses, phone numbers (incl. Chinese mobiles), Luhn-valid card
numbers, checksummed IBANs and IP addresses; each is replaced by a typed
placeholder. The engines load lazily on the first call, once per cache
directory, and are shared by every ``Redactor`` in the process.
"""

from __future__ import annotations

import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from greencart.errors import InvalidParameter
from greencart.privacy.recognizers import ENTITIES, PLACEHOLDERS

MAX_REDACT_CHARS = 100_000

_ENGINES: list[tuple[Any, Any]] = []  # one (analyzer, anonymizer) per process, whatever the cache dir
_ENGINES_LOCK = threading.Lock()


@dataclass(frozen=True)
class Redaction:
    """A redacted text: ``count`` spans replaced, of these ``entities`` (in order)."""

    text: str
    count: int
    entities: tuple[str, ...]
    latency_ms: float


@runtime_checkable
class TextRedactor(Protocol):
    def redact(self, text: str) -> Redaction: ...


def analysis_view(text: str) -> str:
    """``text`` as the recognizers see it, same length so offsets carry over:
    full-width forms folded to ASCII (１３８ -> 138, ＠ -> @), every other
    non-ASCII character turned into a space, so that a CJK character next to
    an e-mail or a card number acts as a word boundary."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 and folded.isascii() and folded.isprintable() else " ")
    return "".join(out)


def language_of(text: str) -> str:
    """'zh' when the text holds a CJK ideograph, else 'en'."""
    return "zh" if any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text) else "en"


def _merge(results: list[Any]) -> list[tuple[int, int, str]]:
    """Overlapping findings as one span each (the union, typed by the highest score),
    so that no character found by any recognizer survives a conflict."""
    spans: list[list[Any]] = []
    for r in sorted(results, key=lambda r: (r.start, -r.end)):
        if spans and r.start < spans[-1][1]:
            last = spans[-1]
            last[1] = max(last[1], r.end)
            if r.score > last[3]:
                last[2], last[3] = r.entity_type, r.score
        else:
            spans.append([r.start, r.end, r.entity_type, r.score])
    return [(s, e, t) for s, e, t, _ in spans]


def _engines(cache_dir: Path) -> tuple[Any, Any]:
    """The process's engines, built on first use (the pipelines are written under
    the first caller's ``cache_dir``); every later caller shares them."""
    with _ENGINES_LOCK:
        if not _ENGINES:
            from greencart.privacy.recognizers import build_engines

            _ENGINES.append(build_engines(Path(cache_dir)))
        return _ENGINES[0]


class Redactor:
    """Presidio analyzer + anonymizer with typed placeholders; thread-safe.

    ``cache_dir`` is where the blank spaCy pipelines are written once (under
    the var dir in practice). ``stats()`` gives calls, spans and latency.
    """

    def __init__(self, cache_dir: Path, *, score_threshold: float = 0.3) -> None:
        if not 0.0 <= score_threshold <= 1.0:
            raise InvalidParameter(f"Expected score_threshold in [0, 1], got {score_threshold}")
        self.cache_dir = Path(cache_dir)
        self.score_threshold = score_threshold
        self._lock = threading.Lock()
        self.calls = self.spans = 0
        self.total_ms = self.max_ms = 0.0

    def load(self) -> Redactor:
        """Load the engines now (they otherwise load on the first ``redact``)."""
        _engines(self.cache_dir)
        return self

    def redact(self, text: str) -> Redaction:
        if not isinstance(text, str):
            raise InvalidParameter(f"Expected text to redact as str, got {type(text).__name__}")
        if len(text) > MAX_REDACT_CHARS:
            raise InvalidParameter(f"Expected at most {MAX_REDACT_CHARS} characters to redact, got {len(text)}")
        t0 = time.perf_counter()
        if not text.strip():
            return Redaction(text, 0, (), 0.0)
        analyzer, anonymizer = _engines(self.cache_dir)
        view = analysis_view(text)
        found = analyzer.analyze(view, language=language_of(text), entities=list(ENTITIES),
                                 score_threshold=self.score_threshold)
        spans = _merge(found)
        out = text
        if spans:
            from presidio_analyzer import RecognizerResult
            from presidio_anonymizer.entities import OperatorConfig

            results = [RecognizerResult(t, s, e, 1.0) for s, e, t in spans]
            operators = {e: OperatorConfig("replace", {"new_value": p}) for e, p in PLACEHOLDERS.items()}
            # spans are disjoint already (see _merge), so the default conflict handling keeps them all
            out = anonymizer.anonymize(text, results, operators, merge_entities_with_spaces=False).text
        ms = (time.perf_counter() - t0) * 1000
        with self._lock:
            self.calls += 1
            self.spans += len(spans)
            self.total_ms += ms
            self.max_ms = max(self.max_ms, ms)
        return Redaction(out, len(spans), tuple(t for _, _, t in spans), round(ms, 3))

    def stats(self) -> dict[str, float]:
        with self._lock:
            mean = self.total_ms / self.calls if self.calls else 0.0
            return {"calls": self.calls, "spans": self.spans, "mean_ms": round(mean, 3), "max_ms": round(self.max_ms, 3)}


def redactor_for(var_dir: Path) -> Redactor:
    """The redactor of a var dir: pipelines cached under ``var_dir/cache/privacy``."""
    return Redactor(Path(var_dir) / "cache" / "privacy")
