"""Evaluation splits: a global temporal cut and leave-last-out.

Both return the training matrix (over the whole catalogue) and the held-out
items per user as a 0/1 matrix with the same ids. Held-out items are purchases;
items a user already had in training are not targets (they are excluded from
ranking, so they could never be hit). Users with no training history are not
evaluated (they are cold-start, a different question).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from greencart.errors import InvalidParameter, check_range
from greencart.recommend.data import EventLog, Interactions, build_interactions

PROTOCOLS = ("temporal", "leave-last-out")


@dataclass(frozen=True)
class Split:
    protocol: str
    train: Interactions
    test: sp.csr_matrix  # 0/1, train.user_ids x train.item_ids
    cutoff_s: int | None = None

    @property
    def test_users(self) -> np.ndarray:
        return np.flatnonzero(np.diff(self.test.indptr) > 0)


def _truth(train: Interactions, test_log: EventLog) -> sp.csr_matrix:
    purchases = test_log.subset(test_log.is_purchase & np.isin(test_log.users, train.user_ids))
    held = build_interactions(purchases, user_ids=train.user_ids, item_ids=train.item_ids)
    held = held.matrix[: train.n_users, : train.n_items]  # items unknown to the catalogue dropped
    truth = (held > 0).astype(np.float32).tocsr()
    truth = truth - truth.multiply(train.matrix > 0)
    truth.eliminate_zeros()
    return truth.tocsr()


def temporal_split(log: EventLog, item_ids: Sequence[str], test_fraction: float = 0.2) -> Split:
    """Everything before the time that leaves ``test_fraction`` of events after it is training."""
    check_range("test_fraction", test_fraction, 0.01, 0.9)
    if len(log) < 2:
        raise InvalidParameter(f"Expected at least 2 interactions to split, got {len(log)}")
    cutoff = int(np.quantile(log.times_s, 1.0 - test_fraction))
    before = log.times_s < cutoff
    train = build_interactions(log.subset(before), item_ids=item_ids)
    train = _only_known_items(train, item_ids)
    return Split("temporal", train, _truth(train, log.subset(~before)), cutoff)


def leave_last_out(log: EventLog, item_ids: Sequence[str]) -> Split:
    """Per user, the purchased item they met last is held out: training keeps only their
    events before their first interaction with it (views of it included), so it is new to them."""
    frame = pd.DataFrame({"u": log.users, "i": log.items, "t": log.times_s, "p": log.is_purchase})
    met = frame.groupby(["u", "i"], sort=False).agg(t=("t", "min"), p=("p", "any")).reset_index()
    bought = met[met["p"]]
    target = bought.sort_values(["u", "t"], kind="stable").groupby("u").tail(1).set_index("u")
    first_seen = frame.groupby("u")["t"].min()
    target = target[target["t"] > first_seen.reindex(target.index)]  # needs some history before it
    t_cut = frame["u"].map(target["t"]).to_numpy(dtype=np.float64)
    keep = np.isnan(t_cut) | (log.times_s < t_cut)
    train = _only_known_items(build_interactions(log.subset(keep), item_ids=item_ids), item_ids)
    uidx = {u: i for i, u in enumerate(train.user_ids)}
    iidx = {p: i for i, p in enumerate(train.item_ids)}
    pairs = [(uidx[u], iidx[i]) for u, i in zip(target.index, target["i"]) if u in uidx and i in iidx]
    rows, cols = (np.array(x, dtype=np.int64) for x in zip(*pairs)) if pairs else (np.zeros(0, np.int64),) * 2
    truth = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=train.matrix.shape)
    truth = truth - truth.multiply(train.matrix > 0)
    truth.eliminate_zeros()
    return Split("leave-last-out", train, truth.tocsr())


def _only_known_items(train: Interactions, item_ids: Sequence[str]) -> Interactions:
    """Keep the catalogue's columns only (interactions on unknown products are dropped)."""
    n = len(item_ids)
    if train.n_items == n:
        return train
    return Interactions(train.matrix[:, :n].tocsr(), train.user_ids, train.item_ids[:n])


def make_split(protocol: str, log: EventLog, item_ids: Sequence[str], test_fraction: float = 0.2) -> Split:
    if protocol == "temporal":
        return temporal_split(log, item_ids, test_fraction)
    if protocol == "leave-last-out":
        return leave_last_out(log, item_ids)
    raise InvalidParameter(f"Expected protocol in {PROTOCOLS}, got {protocol!r}")
