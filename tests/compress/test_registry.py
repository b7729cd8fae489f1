"""Promotion and rollback of model variants, and serving honouring them end to end."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

import numpy as np
import pytest

from greencart.bootstrap import build_services, serve_promoted_models
from greencart.catalog import embed
from greencart.catalog.service import CatalogService
from greencart.compress import loaders, registry
from greencart.compress.artifact import Artifact, Evaluation
from greencart.config import Settings
from greencart.errors import InvalidParameter, NotFound, StoreError


class HashEmbedder:
    """Bag of hashed words: deterministic, instant, and different per ``salt``."""

    def __init__(self, name: str, salt: int = 0, dim: int = 64) -> None:
        self.name, self.salt, self.dim = name, salt, dim

    def embed(self, texts, *, is_query: bool = False) -> np.ndarray:  # type: ignore[no-untyped-def]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                out[i, zlib.crc32(f"{self.salt}:{w}".encode()) % self.dim] += 1.0
        out[:, 0] += 1e-3
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def hash_loader(art: Artifact, **_: object) -> HashEmbedder:
    cfg = json.loads((art.path / "hash.json").read_text())
    return HashEmbedder(f"hash-{art.name}", salt=cfg["salt"])


def make_variant(var: Path, name: str, *, loss: float | None, kind: str = "embedder", salt: int = 3) -> Artifact:
    d = registry.variant_dir(kind, name, var)
    d.mkdir(parents=True)
    (d / "hash.json").write_text(json.dumps({"salt": salt}))
    art = Artifact.create(d, name=name, kind=kind, method="prune-magnitude", source="minilm-fp32",
                          format="static-embedder" if kind == "embedder" else "item-item",
                          files=["hash.json"], params=10, params_nonzero=5)
    if loss is not None:
        ev = Evaluation(name, kind, art.method, "demo", art.size_bytes(), 10, 5, {"ndcg@10": 0.5 * (1 - loss)},
                        1.0, 2.0, 3.0, "modelled", baseline="minilm-fp32", compression_ratio=4.0,
                        deltas={"ndcg@10": -loss})
        registry.save_evaluation(art, ev)
    return art


def test_promote_checks_the_quality_bar_and_rollback_restores(tmp_path):
    make_variant(tmp_path, "good", loss=0.005)
    make_variant(tmp_path, "lossy", loss=0.03)
    make_variant(tmp_path, "unmeasured", loss=None)
    assert registry.active("embedder", tmp_path) is None
    registry.promote("good", "embedder", var_dir=tmp_path)
    assert registry.active("embedder", tmp_path).name == "good"
    with pytest.raises(InvalidParameter, match=r"lossy.*3\.00 % below 'minilm-fp32'.*bar of 1\.00 %.*--force"):
        registry.promote("lossy", "embedder", var_dir=tmp_path)
    with pytest.raises(InvalidParameter, match="never been evaluated"):
        registry.promote("unmeasured", "embedder", var_dir=tmp_path)
    assert registry.active("embedder", tmp_path).name == "good"  # refusals changed nothing
    registry.promote("lossy", "embedder", quality_bar=registry.QualityBar(max_relative_loss=0.05), var_dir=tmp_path)
    pointer = registry.promote("unmeasured", "embedder", force=True, var_dir=tmp_path)
    assert [h["name"] for h in pointer["history"]] == ["good", "lossy", "unmeasured"]
    assert pointer["history"][-1]["forced"] and not pointer["history"][0]["forced"]
    assert registry.rollback("embedder", tmp_path)["active"] == "lossy"
    assert registry.rollback("embedder", tmp_path)["active"] == "good"
    assert registry.rollback("embedder", tmp_path)["active"] is None
    with pytest.raises(NotFound, match="Nothing to roll back"):
        registry.rollback("embedder", tmp_path)
    assert not list((tmp_path / "models" / "variants" / "embedder").glob(".*tmp"))  # atomic writes leave no temp


def test_bad_names_kinds_and_corrupt_pointer_are_reported(tmp_path):
    with pytest.raises(NotFound, match="No model variant 'nope'.*known: none"):
        registry.promote("nope", "embedder", var_dir=tmp_path)
    with pytest.raises(InvalidParameter, match="Expected a model kind"):
        registry.promote("x", "ranker", var_dir=tmp_path)
    with pytest.raises(InvalidParameter, match="variant name"):
        registry.variant_dir("embedder", "../escape", tmp_path)
    with pytest.raises(InvalidParameter, match="max_relative_loss"):
        registry.QualityBar(max_relative_loss=2.0)
    make_variant(tmp_path, "good", loss=0.0)
    (tmp_path / "models" / "variants" / "embedder" / "active.json").write_text("{not json")
    with pytest.raises(StoreError, match="active.json is corrupt"):
        registry.active("embedder", tmp_path)


@pytest.fixture
def serving(tmp_path, monkeypatch):
    """A small demo store under a state folder; embedders replaced by instant hashing ones."""
    from greencart.demo import load_demo
    from greencart.store import open_database

    monkeypatch.setenv("GREENCART_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(embed, "OnnxMiniLMEmbedder", lambda *a, **k: HashEmbedder("minilm-int8", salt=1))
    monkeypatch.setattr(embed, "E5Embedder", lambda: HashEmbedder("e5-small-q4", salt=2))
    monkeypatch.setattr(embed, "minilm_int8_model_path", lambda: Path("unused"))
    monkeypatch.setattr(embed, "minilm_tokenizer_path", lambda: Path("unused"))
    monkeypatch.setitem(loaders.EMBEDDER_LOADERS, "static-embedder", hash_loader)
    embed._load_embedder.cache_clear()
    settings = Settings.from_env()
    serve_promoted_models(settings)  # what the composition root does (the CLI's callback, build_services)
    db = open_database(settings.database_url, migrate=True)
    load_demo(db, n_products=230, n_shoppers=60)
    yield settings, db
    db.dispose()
    embed.serve_variants(embed.VariantServing())
    embed._load_embedder.cache_clear()


def test_search_serves_the_promoted_embedder_and_the_index_notices(serving):
    from greencart.catalog.search import open_index
    from greencart.catalog.search.persist import read_manifest

    settings, db = serving
    var = settings.var_dir
    first = open_index(db, settings.index_dir)
    assert first.en.model == "minilm-int8" and first.search("wool jumper", k=5)
    make_variant(var, "tiny-hash", loss=0.002, salt=9)
    registry.promote("tiny-hash", "embedder", var_dir=var)  # the folder the root told serving to read
    assert embed.get_embedder("minilm-int8").name == "minilm-int8@tiny-hash"
    promoted = open_index(db, settings.index_dir)
    assert read_manifest(settings.index_dir)["models"]["en"] == "minilm-int8@tiny-hash"
    assert promoted.build_timings  # rebuilt, not loaded
    assert not np.allclose(promoted.en.vectors, first.en.vectors)  # embedded by the variant
    np.testing.assert_allclose(promoted.zh.vectors, first.zh.vectors)  # Chinese side untouched
    reopened = open_index(db, settings.index_dir)
    assert not reopened.build_timings  # unchanged: loaded from disk, not rebuilt again
    hits = reopened.search("wool jumper", k=5)  # the loaded index finds the variant by its name
    assert hits and reopened.en.get_embedder().name == "minilm-int8@tiny-hash"
    registry.rollback("embedder", var)
    assert embed.get_embedder("minilm-int8").name == "minilm-int8"
    back = open_index(db, settings.index_dir)
    assert back.build_timings and back.en.model == "minilm-int8"
    np.testing.assert_allclose(back.en.vectors, first.en.vectors)
    ids = [h.product_id for h in back.search("wool jumper", k=5)]
    assert ids == [h.product_id for h in first.search("wool jumper", k=5)]


def test_an_index_opened_before_a_promotion_keeps_its_own_embedder(serving):
    """Its vectors were made by the original: queries must be embedded by it too, not by a
    variant promoted while the index is open (a 64-dim student would break every search)."""
    from greencart.catalog.search import open_index

    settings, db = serving
    open_index(db, settings.index_dir)  # built and saved
    loaded = open_index(db, settings.index_dir)  # from disk: no embedder loaded yet
    make_variant(settings.var_dir, "tiny-hash-late", loss=0.002, salt=7)
    registry.promote("tiny-hash-late", "embedder", var_dir=settings.var_dir)
    assert loaded.search("wool jumper", k=5)
    assert loaded.en.get_embedder().name == "minilm-int8"
    registry.rollback("embedder", settings.var_dir)


def test_recommend_service_serves_the_promoted_recommender(serving, monkeypatch):
    from greencart.recommend.base import load_recommender as load_saved
    from greencart.recommend.factory import make_recommender

    settings, db = serving
    services = build_services(settings, catalog=CatalogService(settings, db))  # wires the promoted loader in
    svc = services.recommender
    svc.train("ease")
    user = svc.engine().model._require().user_ids[0]
    assert svc.engine().model.name == "ease" and svc.recommend(user, k=5)
    # A "variant": a popularity model over the served model's users and items, saved in the artifact.
    art = make_variant(settings.var_dir, "pop-variant", loss=0.0, kind="recommender")
    make_recommender("popularity").fit(svc.engine().model._require()).save(art.path / "model")
    seen: list[object] = []

    def loader(artifact: Artifact, data: object) -> object:
        seen.append(data)
        return load_saved(artifact.path / "model")

    monkeypatch.setitem(loaders.RECOMMENDER_LOADERS, "item-item", loader)
    registry.promote("pop-variant", "recommender", var_dir=settings.var_dir)
    svc.reload()
    assert svc.engine().model.name == "popularity" and len(svc.recommend(user, k=5)) == 5
    assert seen and seen[0].user_ids == svc.engine().model._require().user_ids  # given the served data
    registry.rollback("recommender", settings.var_dir)
    svc.reload()
    assert svc.engine().model.name == "ease"
    # A variant that no longer fits the trained data (made before a retrain) must not break serving.
    from greencart.errors import InvalidParameter

    def stale(artifact: Artifact, data: object) -> object:
        raise InvalidParameter("Expected the interactions' item ids to match the variant's")

    monkeypatch.setitem(loaders.RECOMMENDER_LOADERS, "item-item", stale)
    registry.promote("pop-variant", "recommender", var_dir=settings.var_dir)
    svc.reload()
    assert svc.engine().model.name == "ease" and len(svc.recommend(user, k=5)) == 5
    services.close()
