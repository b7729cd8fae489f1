"""The merchant's policy file: structured terms the assistant computes with, and
the clauses it quotes.

Format (docs/customer-service.md; a sample in ``greencart/support/data/sample_policy.md``): a YAML front
matter between ``---`` lines with the terms, then Markdown sections, each headed
``## <clause-id>: <title>``. A clause whose text holds Chinese characters is a
Chinese clause; the assistant quotes clauses in the shopper's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from greencart.catalog.search.tokenize import has_cjk
from greencart.errors import ImportFileError

_HEADING = re.compile(r"^##\s+([A-Za-z0-9][A-Za-z0-9_-]{0,63})\s*:\s*(\S.*)$")
_TERMS = {
    "returns_window_days": (int, 0, 3650),
    "delivery_days_min": (int, 0, 365),
    "delivery_days_max": (int, 0, 365),
}
MAX_POLICY_BYTES = 1_000_000


@dataclass(frozen=True)
class Clause:
    """One quotable section of the policy."""

    clause_id: str
    title: str
    text: str
    lang: str  # "en" or "zh"


@dataclass(frozen=True)
class Policy:
    merchant: str
    returns_window_days: int
    delivery_days_min: int
    delivery_days_max: int
    clauses: tuple[Clause, ...]
    non_returnable_categories: tuple[str, ...] = ()
    handoff: dict[str, str] = field(default_factory=dict)
    source: str = ""
    currency: str = "GBP"

    def clause(self, topic: str, lang: str) -> Clause | None:
        """The clause on ``topic`` (e.g. "returns") in ``lang``, else in the other language."""
        wanted = (f"{topic}-zh", topic) if lang == "zh" else (topic, f"{topic}-zh")
        by_id = {c.clause_id: c for c in self.clauses}
        return next((by_id[w] for w in wanted if w in by_id), None)

    def handoff_line(self, lang: str) -> str:
        return self.handoff.get(lang) or self.handoff.get("en") or "Please contact the shop's customer service."


def _front_matter(path: Path, text: str) -> tuple[dict, str, int]:
    import yaml

    if not text.startswith("---"):
        raise ImportFileError(str(path), "no front matter", line=1, expected="a first line '---' opening YAML terms")
    end = text.find("\n---", 3)
    if end < 0:
        raise ImportFileError(str(path), "the front matter is not closed", expected="a line '---' after the terms")
    try:
        terms = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as exc:
        raise ImportFileError(str(path), f"the front matter is not YAML ({exc.__class__.__name__})") from None
    if not isinstance(terms, dict):
        raise ImportFileError(str(path), "the front matter is not a mapping", expected="key: value lines")
    body_start = text.count("\n", 0, end) + 2
    return terms, text[end + 4:], body_start


def _term(path: Path, terms: dict, name: str) -> int:
    kind, low, high = _TERMS[name]
    value = terms.get(name)
    if not isinstance(value, kind) or isinstance(value, bool) or not low <= value <= high:
        raise ImportFileError(str(path), f"bad term {value!r}", field=name, expected=f"an integer in [{low}, {high}]")
    return value


def _clauses(path: Path, body: str, first_line: int) -> tuple[Clause, ...]:
    clauses: list[Clause] = []
    current: tuple[str, str] | None = None
    lines: list[str] = []

    def close() -> None:
        if current is not None:
            text = " ".join(s.strip() for s in lines if s.strip())
            if not text:
                raise ImportFileError(str(path), f"clause {current[0]!r} has no text", expected="a paragraph")
            clauses.append(Clause(current[0], current[1].strip(), text, "zh" if has_cjk(text) else "en"))

    for offset, line in enumerate(body.splitlines()):
        if line.startswith("## "):
            match = _HEADING.match(line)
            if not match:
                raise ImportFileError(str(path), f"bad heading {line[:60]!r}", line=first_line + offset,
                                      expected="'## clause-id: Title'")
            close()
            current, lines = (match.group(1), match.group(2)), []
        elif current is not None:
            lines.append(line)
    close()
    ids = [c.clause_id for c in clauses]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ImportFileError(str(path), f"clause ids repeat: {', '.join(dupes)}", expected="each id once")
    if not clauses:
        raise ImportFileError(str(path), "no clauses", expected="sections headed '## clause-id: Title'")
    return tuple(clauses)


def load_policy(path: Path | str) -> Policy:
    """Read and validate a policy file; ImportFileError names what is wrong."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(str(path), f"cannot read it ({exc.strerror})") from None
    if len(raw) > MAX_POLICY_BYTES:
        raise ImportFileError(str(path), f"{len(raw)} bytes", expected=f"at most {MAX_POLICY_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFileError(str(path), "not UTF-8 text", expected="a UTF-8 Markdown file") from None
    terms, body, body_line = _front_matter(path, text)
    low, high = _term(path, terms, "delivery_days_min"), _term(path, terms, "delivery_days_max")
    if low > high:
        raise ImportFileError(str(path), f"{low} > {high}", field="delivery_days_min",
                              expected="delivery_days_min <= delivery_days_max")
    cats = terms.get("non_returnable_categories") or []
    if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
        raise ImportFileError(str(path), f"bad value {cats!r}", field="non_returnable_categories",
                              expected="a list of category slugs")
    handoff = {lang: str(terms[f"handoff_{lang}"]) for lang in ("en", "zh") if terms.get(f"handoff_{lang}")}
    return Policy(str(terms.get("merchant") or "the shop"), _term(path, terms, "returns_window_days"), low, high,
                  _clauses(path, body, body_line), tuple(cats), handoff, str(path),
                  str(terms.get("currency") or "GBP")[:3].upper())


def sample_policy_path() -> Path:
    """The sample policy shipped with greencart (used for the demo when no file is configured)."""
    return Path(__file__).with_name("data") / "sample_policy.md"
