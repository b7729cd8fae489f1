"""Interaction weights, returns, id maps and evaluation splits."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
import pytest

from greencart.catalog.models import Interaction
from greencart.errors import InvalidParameter
from greencart.recommend.data import EventLog, InteractionWeights, build_interactions
from greencart.recommend.split import leave_last_out, make_split, temporal_split

T = datetime(2025, 3, 1)


def ev(user, item, kind, day, value=1.0):
    return Interaction(user, item, kind, T + timedelta(days=day), value)


def matrix_of(events, **kw):
    data = build_interactions(EventLog.from_interactions(events, InteractionWeights(**kw)),
                              returns=kw.get("returns", "subtract"))
    return data, data.matrix.toarray()


def test_weights_purchases_views_and_quantities():
    data, m = matrix_of([ev("u", "p", "purchase", 0), ev("u", "v", "view", 0), ev("u", "q", "purchase", 1, 10)])
    row = dict(zip(data.item_ids, m[data.user_index("u")]))
    assert row["p"] == pytest.approx(1.0)
    assert row["v"] == pytest.approx(0.2)
    assert row["q"] == pytest.approx(1 + math.log(10), rel=1e-6)


def test_returns_subtract_or_exclude():
    events = [ev("u", "p", "purchase", 0, 3), ev("u", "p", "return", 1, 1), ev("u", "x", "purchase", 0),
              ev("u", "x", "return", 1), ev("u", "k", "purchase", 0)]
    data, m = matrix_of(events)
    row = dict(zip(data.item_ids, m[0]))
    assert row["p"] == pytest.approx(math.log(3))  # (1 + ln 3) - 1
    assert row["x"] == 0  # bought and returned: not an interaction
    data, m = matrix_of(events, returns="exclude")
    assert dict(zip(data.item_ids, m[0]))["p"] == 0


def test_bad_weights_are_rejected():
    with pytest.raises(InvalidParameter, match="Expected returns in"):
        InteractionWeights(returns="ignore")
    with pytest.raises(InvalidParameter, match=r"Expected view_w in \[0.0, 100.0\], got -1"):
        InteractionWeights(view_w=-1)


def test_catalogue_order_is_kept_and_unbought_items_are_columns():
    data = build_interactions(EventLog.from_interactions([ev("u", "b", "purchase", 0)]), item_ids=["a", "b", "c"])
    assert data.item_ids == ("a", "b", "c") and data.matrix.shape == (1, 3)


def test_temporal_split_holds_out_new_purchases_after_the_cut(planted_log):
    split = temporal_split(planted_log, [f"a{i}" for i in range(10)] + [f"b{i}" for i in range(10)], 0.3)
    assert split.test.nnz > 0
    train, test = split.train.matrix, split.test
    assert test.multiply(train > 0).nnz == 0  # nothing seen in training is a target
    cut_users = set(np.asarray(planted_log.users)[planted_log.times_s >= split.cutoff_s])
    assert {split.train.user_ids[u] for u in split.test_users} <= cut_users


def test_leave_last_out_holds_the_last_new_item_and_drops_later_events():
    events = [ev("u", "a", "purchase", 0), ev("u", "b", "view", 1), ev("u", "c", "purchase", 2),
              ev("u", "b", "purchase", 3), ev("u", "d", "view", 4), ev("w", "a", "purchase", 0)]
    split = leave_last_out(EventLog.from_interactions(events), ["a", "b", "c", "d"])
    u = split.train.user_index("u")
    held = {split.train.item_ids[i] for i in split.test[u].indices}
    kept = {split.train.item_ids[i] for i in split.train.matrix[u].indices}
    # c is the purchased item met last (b was first met on day 1): c held, events from day 2 on dropped
    assert held == {"c"} and kept == {"a", "b"}
    assert split.test[split.train.user_index("w")].nnz == 0  # one item only: nothing to hold out


def test_unknown_protocol():
    with pytest.raises(InvalidParameter, match="Expected protocol in"):
        make_split("random", EventLog.from_interactions([]), [])
