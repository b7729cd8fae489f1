"""From the store's interactions to a user x item CSR matrix with id maps.

Weights (per event, summed per user-item pair; :class:`InteractionWeights`):

- ``purchase``: ``purchase_w x (1 + ln(quantity))``: a second unit counts less
  than the first, so bulk buyers do not drown everyone else;
- ``return``: the same amount, subtracted (``returns="subtract"``), or the pair
  dropped altogether (``returns="exclude"``);
- ``cart`` and ``view``: lighter signals (0.5 and 0.2 by default);
- ``rating``: ``rating_w x value / 5``.

Pairs whose net weight is <= 0 are not interactions (bought then returned).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from greencart.catalog.models import Interaction
from greencart.errors import InvalidParameter, NotFound, check_range

if TYPE_CHECKING:
    from greencart.store import Database

RETURN_POLICIES = ("subtract", "exclude")


@dataclass(frozen=True)
class InteractionWeights:
    purchase_w: float = 1.0
    cart_w: float = 0.5
    view_w: float = 0.2
    rating_w: float = 1.0
    returns: str = "subtract"

    def __post_init__(self) -> None:
        for name in ("purchase_w", "cart_w", "view_w", "rating_w"):
            check_range(name, getattr(self, name), 0.0, 100.0)
        if self.returns not in RETURN_POLICIES:
            raise InvalidParameter(f"Expected returns in {RETURN_POLICIES}, got {self.returns!r}")

    def weight(self, kind: str, value: float) -> float:
        """The signed weight of one event."""
        if kind in ("purchase", "return"):
            w = self.purchase_w * (1.0 + math.log(max(abs(value), 1.0)))
            return -w if kind == "return" else w
        if kind == "cart":
            return self.cart_w
        if kind == "view":
            return self.view_w
        return self.rating_w * max(value, 0.0) / 5.0  # rating


@dataclass(frozen=True)
class EventLog:
    """Events in time order as parallel arrays (signed weights, epoch seconds)."""

    users: np.ndarray  # str
    items: np.ndarray  # str
    weights: np.ndarray  # float64, signed
    times_s: np.ndarray  # int64
    kinds: np.ndarray  # str: view, cart, purchase, return, rating

    def __post_init__(self) -> None:
        n = len(self.users)
        if not all(len(a) == n for a in (self.items, self.weights, self.times_s, self.kinds)):
            raise InvalidParameter("Expected EventLog arrays of equal length")

    @property
    def is_return(self) -> np.ndarray:
        return self.kinds == "return"

    @property
    def is_purchase(self) -> np.ndarray:
        return self.kinds == "purchase"

    def __len__(self) -> int:
        return len(self.users)

    def subset(self, mask: np.ndarray) -> EventLog:
        return EventLog(self.users[mask], self.items[mask], self.weights[mask], self.times_s[mask], self.kinds[mask])

    @classmethod
    def from_interactions(
        cls, interactions: Iterable[Interaction], weights: InteractionWeights | None = None
    ) -> EventLog:
        w = weights or InteractionWeights()
        rows = [
            (i.user_id, i.product_id, w.weight(i.kind, i.value), int(i.occurred_at.timestamp()), i.kind)
            for i in interactions
        ]
        rows.sort(key=lambda r: r[3])
        if not rows:
            return cls(*(np.array([], dtype=d) for d in (str, str, np.float64, np.int64, str)))
        users, items, ws, ts, ret = zip(*rows)  # ret: kinds
        return cls(
            np.array(users, dtype=str), np.array(items, dtype=str), np.array(ws, dtype=np.float64),
            np.array(ts, dtype=np.int64), np.array(ret, dtype=str),
        )


def load_event_log(db: Database, weights: InteractionWeights | None = None) -> EventLog:
    """Every interaction in the store, in time order."""
    from greencart.store.catalog_repo import iter_interactions

    with db.read() as session:
        return EventLog.from_interactions(iter_interactions(session), weights)


def load_item_ids(db: Database) -> list[str]:
    """Every product id in the catalogue (full ranking is over all of them)."""
    from greencart.store.ranking_repo import product_ids

    with db.read() as session:
        return product_ids(session)


@dataclass(frozen=True)
class Interactions:
    """A users x items CSR matrix of non-negative weights and the ids of its rows and columns."""

    matrix: sp.csr_matrix
    user_ids: tuple[str, ...]
    item_ids: tuple[str, ...]
    _user_index: dict[str, int] = field(init=False, repr=False, compare=False)
    _item_index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.matrix.shape != (len(self.user_ids), len(self.item_ids)):
            raise InvalidParameter(
                f"Expected a matrix of shape ({len(self.user_ids)}, {len(self.item_ids)}), got {self.matrix.shape}"
            )
        object.__setattr__(self, "_user_index", {u: i for i, u in enumerate(self.user_ids)})
        object.__setattr__(self, "_item_index", {p: i for i, p in enumerate(self.item_ids)})

    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    def has_user(self, user_id: str) -> bool:
        return user_id in self._user_index

    def user_index(self, user_id: str) -> int:
        try:
            return self._user_index[user_id]
        except KeyError:
            raise NotFound(
                f"Unknown user {user_id!r}: no interactions in the trained model "
                "(recommend from session items, or retrain after new interactions)"
            ) from None

    def item_index(self, item_id: str) -> int:
        try:
            return self._item_index[item_id]
        except KeyError:
            raise NotFound(f"Unknown product {item_id!r}: not in the trained model's catalogue") from None

    def item_indices(self, item_ids: Sequence[str]) -> np.ndarray:
        """Indices of the known ones among ``item_ids`` (unknown ones are skipped)."""
        return np.array([self._item_index[i] for i in item_ids if i in self._item_index], dtype=np.int64)


def _ordered_ids(existing: Sequence[str] | None, seen: np.ndarray) -> list[str]:
    out = list(existing or [])
    known = set(out)
    for x in dict.fromkeys(seen.tolist()):
        if x not in known:
            out.append(x)
            known.add(x)
    return out


def build_interactions(
    log: EventLog,
    *,
    item_ids: Sequence[str] | None = None,
    user_ids: Sequence[str] | None = None,
    returns: str = "subtract",
) -> Interactions:
    """Sum the log per user-item pair. ``item_ids``/``user_ids`` fix the order of
    known ids (new ones are appended): pass the catalogue, or a model's ids for an update."""
    if returns not in RETURN_POLICIES:
        raise InvalidParameter(f"Expected returns in {RETURN_POLICIES}, got {returns!r}")
    users = _ordered_ids(user_ids, log.users)
    items = _ordered_ids(item_ids, log.items)
    uidx = {u: i for i, u in enumerate(users)}
    iidx = {p: i for i, p in enumerate(items)}
    rows = np.fromiter((uidx[u] for u in log.users.tolist()), dtype=np.int64, count=len(log))
    cols = np.fromiter((iidx[p] for p in log.items.tolist()), dtype=np.int64, count=len(log))
    shape = (len(users), len(items))
    summed = sp.coo_matrix((log.weights, (rows, cols)), shape=shape).tocsr()
    summed.sum_duplicates()
    if returns == "exclude" and log.is_return.any():
        returned = log.is_return
        ret = sp.coo_matrix((np.ones(int(returned.sum())), (rows[returned], cols[returned])), shape=shape)
        summed = (summed - summed.multiply(ret.tocsr() > 0)).tocsr()
    summed.data[summed.data < 0] = 0.0
    summed.eliminate_zeros()
    return Interactions(summed.astype(np.float32), tuple(users), tuple(items))


def interactions_from_db(
    db: Database, weights: InteractionWeights | None = None, *, all_products: bool = True
) -> Interactions:
    """The store's interactions as a matrix over the whole catalogue."""
    w = weights or InteractionWeights()
    log = load_event_log(db, w)
    items = load_item_ids(db) if all_products else None
    return build_interactions(log, item_ids=items, returns=w.returns)


def user_history_from_db(db: Database, user_id: str,
                         weights: InteractionWeights | None = None) -> dict[str, float] | None:
    """``product_id -> net weight`` of one shopper's interactions; None if no such shopper."""
    from greencart.store.ranking_repo import shopper_events

    w = weights or InteractionWeights()
    with db.read() as session:
        rows = shopper_events(session, user_id)
    if rows is None:
        return None
    out: dict[str, float] = {}
    for pid, kind, value in rows:
        out[pid] = out.get(pid, 0.0) + w.weight(kind, value)
    return {p: v for p, v in out.items() if v > 0}
