"""The Online Retail sample end to end: import, train, recommend, explain."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import shared_file

from greencart.config import Settings
from greencart.recommend.data import interactions_from_db
from greencart.recommend.service import RecommendService

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


@pytest.fixture(scope="module")
def retail_db(tmp_path_factory):
    from greencart.catalog.importers import import_online_retail
    from greencart.store import open_database

    path = shared_file("retail/online_retail_sample_40k.xlsx")
    var = tmp_path_factory.mktemp("retail")
    db = open_database(f"sqlite:///{var / 'greencart.db'}", migrate=True)
    import_online_retail(db, path)
    yield db, var
    db.dispose()


def test_train_and_recommend_on_online_retail(retail_db):
    db, var = retail_db
    data = interactions_from_db(db)
    assert data.n_users > 500 and data.n_items > 1000
    svc = RecommendService(Settings(var_dir=var, database_url=str(db.engine.url)), db)
    report = svc.train("ease")
    assert report.train_s < 30 and report.energy_j > 0
    counts = np.diff(data.matrix.indptr)
    user = data.user_ids[int(np.argmax(counts))]
    history = {data.item_ids[i] for i in data.matrix[data.user_index(user)].indices}
    recs = svc.recommend(user, 10, alpha=1.0)
    assert len(recs) == 10 and not {r.id for r in recs} & history
    assert all(set(r.because) <= history for r in recs)
    assert sum(1 for r in recs if r.because) >= 5
    capped = svc.recommend(user, 10, max_price=2.0)
    assert capped and all(r.price <= 2.0 for r in capped)
    svc.close()
