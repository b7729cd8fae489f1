"""Shopping tasks for the assistant benchmark: the schema, the loader and the checker.

A task is a conversation (one or more shopper turns) with verifiable constraints,
in the spirit of WebShop (Yao et al. 2022): product type or category, attributes
(colour, material, size, condition), price bounds, words the title must carry
(catalogues without attributes), and "cheaper than the top pick shown after turn
k". One JSON object per line in ``benchmarks/tasks/*.jsonl``::

    {"id": "demo-en-tpl-0001", "catalogue": "demo", "lang": "en", "source": "template",
     "kind": "refine", "turns": ["white t-shirts", "under 20"],
     "turn_constraints": [{...}, {...}],   # what the shopper has stated so far, per turn
     "constraints": {...},                 # = turn_constraints[-1]
     "n_satisfying": 7}                    # products of that catalogue meeting them at generation

A task succeeds when a product among the top 3 shown after the final turn meets
every constraint, checked against the catalogue's database row, not the reply.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from greencart.errors import InvalidParameter

TASKS_DIR = Path(__file__).resolve().parent / "tasks"
CATALOGUES = ("demo", "online-retail")
LANGS = ("en", "zh")
SOURCES = ("template", "handwritten")
ATTRIBUTE_KEYS = ("colour", "material", "size", "condition")
CONSTRAINT_KEYS = ("category", "product_type", "attributes", "max_price", "min_price", "title_contains",
                   "cheaper_than_turn", "exclude_attributes", "exclude_categories", "title_excludes", "pick")
TOP_K = 3


@dataclass(frozen=True)
class TaskConstraints:
    """Hard constraints a shown product must meet (all of them)."""

    category: str | None = None
    product_type: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    max_price: float | None = None
    min_price: float | None = None
    title_contains: tuple[str, ...] = ()
    cheaper_than_turn: int | None = None  # cheaper than the top pick shown after that (0-based) turn
    # exclusions ("not red", "no plastic", "anything but mugs"): a shown product must have none of them
    exclude_attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exclude_categories: tuple[str, ...] = ()  # a product's category or attributes["type"]
    title_excludes: tuple[str, ...] = ()  # words (or plurals) the title must not carry
    # (0-based turn, 1-based rank): "the second one" of that turn's list; success needs that product shown first
    pick: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        bad = [k for k in (*self.attributes, *self.exclude_attributes) if k not in ATTRIBUTE_KEYS]
        if bad:
            raise InvalidParameter(f"Expected attribute keys in {ATTRIBUTE_KEYS}, got {bad}")
        for name in ("max_price", "min_price"):
            v = getattr(self, name)
            if v is not None and (not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0):
                raise InvalidParameter(f"Expected {name} to be a number >= 0, got {v!r}")
        if self.max_price is not None and self.min_price is not None and self.min_price > self.max_price:
            raise InvalidParameter(f"Expected min_price <= max_price, got {self.min_price} > {self.max_price}")
        if self.cheaper_than_turn is not None and self.cheaper_than_turn < 0:
            raise InvalidParameter(f"Expected cheaper_than_turn >= 0, got {self.cheaper_than_turn}")
        if self.pick is not None and (len(self.pick) != 2 or self.pick[0] < 0 or self.pick[1] < 1):
            raise InvalidParameter(f"Expected pick as (turn >= 0, rank >= 1), got {self.pick!r}")

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], where: str = "constraints") -> TaskConstraints:
        unknown = sorted(set(d) - set(CONSTRAINT_KEYS))
        if unknown:
            raise InvalidParameter(f"{where}: unknown constraint keys {unknown}; expected some of {CONSTRAINT_KEYS}")
        return cls(category=d.get("category"), product_type=d.get("product_type"),
                   attributes=dict(d.get("attributes") or {}), max_price=d.get("max_price"),
                   min_price=d.get("min_price"), title_contains=tuple(d.get("title_contains") or ()),
                   cheaper_than_turn=d.get("cheaper_than_turn"),
                   exclude_attributes={str(k): tuple(v) for k, v in (d.get("exclude_attributes") or {}).items()},
                   exclude_categories=tuple(d.get("exclude_categories") or ()),
                   title_excludes=tuple(d.get("title_excludes") or ()),
                   pick=tuple(d["pick"]) if d.get("pick") is not None else None)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in CONSTRAINT_KEYS:
            v = getattr(self, key)
            if v is None or v == () or v == {}:
                continue
            if isinstance(v, Mapping):
                v = {k: list(x) if isinstance(x, tuple) else x for k, x in v.items()}
            out[key] = list(v) if isinstance(v, tuple) else v
        return out

    @property
    def is_static(self) -> bool:
        return self.cheaper_than_turn is None


def _word_in(word: str, title: str) -> bool:
    """``word`` (or a plural of it) as a whole word of ``title``, case-folded."""
    w = re.escape(word.casefold())
    forms = rf"{w}(?:s|es)?" + (rf"|{w[:-1]}ies" if word.endswith("y") else "")
    return re.search(rf"(?<![\w])(?:{forms})(?![\w])", title.casefold()) is not None


def violations(product: Mapping[str, Any], c: TaskConstraints, *, cheaper_than: float | None = None) -> list[str]:
    """The constraints ``product`` (id, title, category, price, attributes) breaks; [] when it meets all.
    ``cheaper_than`` is the reference price for ``cheaper_than_turn`` (resolved by the caller)."""
    out: list[str] = []
    attrs = {str(k).casefold(): str(v).strip().casefold() for k, v in (product.get("attributes") or {}).items()}
    price = float(product["price"])
    if c.category is not None and str(product.get("category", "")).casefold() != c.category.casefold():
        out.append("category")
    if c.product_type is not None and attrs.get("type") != c.product_type.casefold():
        out.append("product_type")
    for key, value in c.attributes.items():
        if attrs.get(key) != value.strip().casefold():
            out.append(key)
    if c.max_price is not None and price > c.max_price + 1e-9:
        out.append("max_price")
    if c.min_price is not None and price < c.min_price - 1e-9:
        out.append("min_price")
    for word in c.title_contains:
        if not _word_in(word, str(product.get("title", ""))):
            out.append(f"title:{word}")
    if c.cheaper_than_turn is not None and cheaper_than is not None and price >= cheaper_than - 1e-9:
        out.append("cheaper")
    out += _excluded(product, attrs, c)
    return out


def _excluded(product: Mapping[str, Any], attrs: Mapping[str, str], c: TaskConstraints) -> list[str]:
    """The exclusions ``product`` breaks, as ``exclude:<what>`` kinds."""
    out = []
    for key, values in c.exclude_attributes.items():
        if attrs.get(key) in {v.strip().casefold() for v in values}:
            out.append(f"exclude:{key}")
    cats = {str(product.get("category", "")).casefold(), attrs.get("type", "")}
    if any(x.casefold() in cats for x in c.exclude_categories):
        out.append("exclude:category")
    title = str(product.get("title", ""))
    out += [f"exclude:title:{w}" for w in c.title_excludes if _word_in(w, title)]
    return out


# Constraint types for the per-type violation rates; a title word is a colour or material when it names one.
CONSTRAINT_TYPES = ("budget", "exclusion", "colour", "material", "category", "word", "attribute")
COLOUR_WORDS = frozenset(["black", "white", "navy", "grey", "gray", "charcoal", "beige", "cream", "red", "burgundy", "pink", "orange", "yellow", "mustard", "green", "olive", "sage", "blue", "teal", "purple", "brown", "tan", "silver", "gold", "natural", "clear", "terracotta", "ivory", "turquoise", "lilac"]) | {"sky blue", "space grey"}
MATERIAL_WORDS = frozenset(["wood", "wooden", "glass", "ceramic", "enamel", "zinc", "metal", "tin", "paper", "felt", "cotton", "jute", "bamboo", "plastic", "porcelain", "wicker", "linen", "wool", "woollen", "cork", "steel", "leather"])


def constraint_type(kind: str) -> str:
    """The type of a violation kind (``max_price``, ``exclude:colour``, ``title:red``, ...)."""
    if kind in ("max_price", "min_price", "cheaper"):
        return "budget"
    if kind.startswith("exclude:"):
        return "exclusion"
    if kind in ("category", "product_type"):
        return "category"
    if kind in ("colour", "material"):
        return kind
    if kind.startswith("title:"):
        word = kind[len("title:"):].casefold()
        return "colour" if word in COLOUR_WORDS else "material" if word in MATERIAL_WORDS else "word"
    return "attribute"


def active_types(c: TaskConstraints) -> set[str]:
    """The constraint types ``c`` states (the denominators of the per-type violation rates)."""
    out = set()
    if c.max_price is not None or c.min_price is not None or c.cheaper_than_turn is not None:
        out.add("budget")
    if c.exclude_attributes or c.exclude_categories or c.title_excludes:
        out.add("exclusion")
    if c.category or c.product_type:
        out.add("category")
    out |= {k if k in ("colour", "material") else "attribute" for k in c.attributes}
    out |= {constraint_type(f"title:{w}") for w in c.title_contains}
    return out


def satisfies(product: Mapping[str, Any], c: TaskConstraints, *, cheaper_than: float | None = None) -> bool:
    return not violations(product, c, cheaper_than=cheaper_than)


def count_satisfying(products: Iterable[Mapping[str, Any]], c: TaskConstraints) -> int:
    return sum(satisfies(p, c) for p in products)


@dataclass(frozen=True)
class Task:
    id: str
    catalogue: str
    lang: str
    source: str
    kind: str
    turns: tuple[str, ...]
    turn_constraints: tuple[TaskConstraints, ...]
    n_satisfying: int
    classes: tuple[str, ...] = ()  # phrasing classes (held-out set): exclusion, number-words, typo, ...
    split: str | None = None  # held-out set: "dev" or "test"

    def __post_init__(self) -> None:
        if self.catalogue not in CATALOGUES:
            raise InvalidParameter(f"task {self.id}: expected catalogue in {CATALOGUES}, got {self.catalogue!r}")
        if self.lang not in LANGS:
            raise InvalidParameter(f"task {self.id}: expected lang in {LANGS}, got {self.lang!r}")
        if self.source not in SOURCES:
            raise InvalidParameter(f"task {self.id}: expected source in {SOURCES}, got {self.source!r}")
        if not self.turns or any(not isinstance(t, str) or not t.strip() for t in self.turns):
            raise InvalidParameter(f"task {self.id}: expected non-empty turns, got {self.turns!r}")
        if len(self.turn_constraints) != len(self.turns):
            raise InvalidParameter(f"task {self.id}: expected one turn_constraints entry per turn "
                                   f"({len(self.turns)}), got {len(self.turn_constraints)}")
        if self.n_satisfying < 1:
            raise InvalidParameter(f"task {self.id}: expected n_satisfying >= 1 (every task satisfiable)")

    @property
    def constraints(self) -> TaskConstraints:
        return self.turn_constraints[-1]

    @property
    def multi_turn(self) -> bool:
        return len(self.turns) > 1

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "catalogue": self.catalogue, "lang": self.lang, "source": self.source,
                "kind": self.kind, "turns": list(self.turns),
                "constraints": self.constraints.to_dict(),
                "turn_constraints": [c.to_dict() for c in self.turn_constraints],
                "n_satisfying": self.n_satisfying,
                **({"classes": list(self.classes)} if self.classes else {}),
                **({"split": self.split} if self.split else {})}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], where: str = "task") -> Task:
        missing = [k for k in ("id", "catalogue", "lang", "turns", "constraints", "n_satisfying") if k not in d]
        if missing:
            raise InvalidParameter(f"{where}: missing fields {missing}")
        turns = tuple(d["turns"])
        raw = d.get("turn_constraints") or [d["constraints"]] * len(turns)
        tcs = tuple(TaskConstraints.from_dict(c, f"{where} turn {i + 1}") for i, c in enumerate(raw))
        final = TaskConstraints.from_dict(d["constraints"], f"{where} constraints")
        if tcs and tcs[-1] != final:
            raise InvalidParameter(f"{where}: constraints must equal the last turn_constraints entry")
        return cls(str(d["id"]), d["catalogue"], d["lang"], d.get("source", "template"), d.get("kind", "single"),
                   turns, tcs, int(d["n_satisfying"]), tuple(d.get("classes") or ()), d.get("split"))


def load_tasks(paths: Iterable[Path] | None = None) -> list[Task]:
    """Every task in ``paths`` (default: benchmarks/tasks/*.jsonl); errors name the file and line."""
    files = sorted(paths) if paths is not None else sorted(TASKS_DIR.glob("*.jsonl"))
    if not files:
        raise InvalidParameter(f"No task files (*.jsonl) in {TASKS_DIR}: run benchmarks/tasks/generate.py")
    tasks: list[Task] = []
    for path in files:
        with Path(path).open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}:{n}"
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InvalidParameter(f"{where}: not valid JSON ({exc.msg})") from None
                tasks.append(Task.from_dict(data, where))
    ids = [t.id for t in tasks]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InvalidParameter(f"Duplicate task ids: {dupes[:5]}")
    return tasks


def write_tasks(path: Path, tasks: Iterable[Task]) -> int:
    """Write tasks as JSONL (temp file + rename); returns how many."""
    rows = [json.dumps(t.to_dict(), ensure_ascii=False, sort_keys=False) for t in tasks]
    tmp = path.with_suffix(".jsonl.tmp")
    tmp.write_text("\n".join(rows) + "\n", encoding="utf-8")
    tmp.replace(path)
    return len(rows)
