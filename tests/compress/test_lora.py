"""LoRA on a tiny BERT with a planted pair task; pairs mined from a store."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest

from greencart.catalog.models import Product
from greencart.compress.embedder.pairs import (
    Pair,
    RetrievalSet,
    is_held_out,
    mine_pairs,
    pairs_from_products,
    retrieval_set,
)
from greencart.errors import InvalidParameter

torch = pytest.importorskip("torch")
pytest.importorskip("peft")
from greencart.compress.embedder.lora import (
    LoraSettings,
    add_lora,
    fit,
    retrieval_metrics,
    torch_embed_fn,
    train_lora,
    trainable_params,
)


def make_tokenizer(words: list[str], path: Path) -> Path:
    """A BERT WordPiece tokenizer over ``words`` (ids 0-4: [PAD] [UNK] [CLS] [SEP] [MASK])."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words])}
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tok.save(str(path))
    return path


K = 12  # query words x0..x11 name title words y0..y11; a product is two of them


@pytest.fixture(autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)  # a tiny model: threads only contend on a shared machine
    yield
    torch.set_num_threads(before)


@pytest.fixture
def planted(tmp_path: Path):
    """Train on 102 word pairs, evaluate on 30 unseen combinations of the same words."""
    from tokenizers import Tokenizer
    from transformers import BertConfig, BertModel

    tok_path = make_tokenizer([f"x{i}" for i in range(K)] + [f"y{i}" for i in range(K)], tmp_path / "tokenizer.json")
    combos = list(itertools.permutations(range(K), 2))
    random.Random(0).shuffle(combos)
    pair = lambda a, b, held: Pair(f"x{a} x{b}", f"y{a} y{b}", f"p{a}-{b}", "planted", held)
    train = [pair(a, b, False) for a, b in combos[30:]]
    held = [pair(a, b, True) for a, b in combos[:30]]
    titles = tuple(sorted({p.title for p in train + held}))
    rset = RetrievalSet(tuple(p.query for p in held), titles,
                        tuple(frozenset({titles.index(p.title)}) for p in held))
    torch.manual_seed(0)
    # vocab_size covers the MiniLM token ids export.py traces the ONNX graph with (up to 7592).
    config = BertConfig(vocab_size=8000, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64)
    model = BertModel(config, add_pooling_layer=False).eval()
    model_dir = tmp_path / "tiny-bert"
    model.save_pretrained(model_dir)
    (model_dir / "tokenizer.json").write_bytes(tok_path.read_bytes())
    return model, Tokenizer.from_file(str(tok_path)), train, rset, model_dir


def test_lora_improves_held_out_retrieval_training_only_the_adapters(planted) -> None:
    model, tok, train, rset, _ = planted
    before = retrieval_metrics(torch_embed_fn(model, tok), rset)
    peft_model = add_lora(model, rank=8, alpha=16)
    trainable, total = trainable_params(peft_model)
    lora = sum(p.numel() for n, p in peft_model.named_parameters() if "lora_" in n)
    # 2 layers x (query, value) x (A: 8x32 + B: 32x8)
    assert trainable == lora == 2 * 2 * (8 * 32 + 32 * 8) and total > 10 * trainable
    losses = fit(peft_model, tok, train, LoraSettings(steps=60, batch_size=16, lr=1e-2))
    after = retrieval_metrics(torch_embed_fn(peft_model, tok), rset)
    assert np.mean(losses[-5:]) < losses[0]
    assert after["recall@10"] > before["recall@10"] + 0.3 and after["mrr@10"] > before["mrr@10"], (before, after)


def test_base_weights_unchanged_until_merge(planted) -> None:
    model, tok, train, _, _ = planted
    base = {k: v.clone() for k, v in model.state_dict().items()}
    peft_model = add_lora(model, rank=4, alpha=8)
    fit(peft_model, tok, train, LoraSettings(rank=4, steps=5, batch_size=8, lr=1e-2))
    state = peft_model.state_dict()
    compared = 0
    for key, value in state.items():
        if "lora_" not in key:
            name = key.removeprefix("base_model.model.").replace(".base_layer", "")
            assert torch.equal(value, base[name]), key
            compared += 1
    assert compared == len(base)
    assert any(v.abs().sum() > 0 for k, v in state.items() if "lora_B" in k)  # the adapters did learn
    merged = peft_model.merge_and_unload()
    q = "encoder.layer.0.attention.self.query.weight"
    assert not torch.equal(merged.state_dict()[q], base[q])
    k = "encoder.layer.0.attention.self.key.weight"
    assert torch.equal(merged.state_dict()[k], base[k])


def test_train_lora_writes_a_metered_onnx_artifact_that_serves_better(planted, tmp_path: Path) -> None:
    from greencart.compress.embedder.runtime import load_onnx_embedder

    model, tok, train, rset, model_dir = planted
    before = retrieval_metrics(torch_embed_fn(model, tok), rset)
    art = train_lora(tmp_path / "lora", train, rank=8, alpha=16, steps=60, batch_size=16, lr=1e-2,
                     source_dir=model_dir, name="tiny-lora")
    assert art.method == "lora" and art.format == "onnx-sentence-embedder"
    s = art.settings
    assert s["trainable_params"] == 2048 and s["steps"] == 60 and s["pairs"] == len(train)
    assert s["train_energy_j"] > 0 and s["train_seconds"] > 0 and s["train_energy_method"] != "not-metered"
    served = load_onnx_embedder(art)
    after = retrieval_metrics(lambda texts: served.embed(texts), rset)
    assert after["recall@10"] > before["recall@10"] + 0.3, (before, after)


def test_bad_arguments_are_rejected(planted, tmp_path: Path) -> None:
    _, _, train, _, model_dir = planted
    with pytest.raises(InvalidParameter, match="rank to be a positive integer"):
        train_lora(tmp_path / "x", train, rank=0, source_dir=model_dir, monitor=False)
    with pytest.raises(InvalidParameter, match="at least two distinct titles"):
        train_lora(tmp_path / "x", [], source_dir=model_dir, monitor=False)
    with pytest.raises(InvalidParameter, match="held-out"):
        train_lora(tmp_path / "x", [Pair("q", "t1", "a", "x", True), Pair("r", "t2", "b", "x")],
                   source_dir=model_dir, monitor=False)
    with pytest.raises(InvalidParameter, match="batch_size >= 2"):
        LoraSettings(batch_size=1)
    assert not (tmp_path / "x").exists()


def _products(n: int = 40) -> list[Product]:
    kinds = ["desk", "fountain pen", "duvet", "toothbrush"]
    colours, materials = ["black", "blue", "natural"], ["steel", "bamboo", "recycled cotton"]
    return [Product(id=f"P{i:03d}", title=f"Brand{i % 5} {materials[i % 3].title()} {kinds[i % 4].title()}, "
                    f"{colours[i % 3].title()}", category="home", price=10.0 + i,
                    attributes={"type": kinds[i % 4], "colour": colours[i % 3], "material": materials[i % 3],
                                "brand": f"Brand{i % 5}"}) for i in range(n)]


def test_mine_pairs_from_the_store_holds_out_products(db) -> None:
    from greencart.store.catalog_repo import upsert_products

    with db.transaction() as s:
        upsert_products(s, _products())
    train = mine_pairs(db, holdout=0.3, split="train")
    held = mine_pairs(db, holdout=0.3, split="eval")
    everything = mine_pairs(db, holdout=0.3, split="all")
    assert train and held and len(train) + len(held) == len(everything)
    assert not any(is_held_out(p.product_id, 0.3) for p in train)
    assert all(is_held_out(p.product_id, 0.3) and p.held_out for p in held)
    assert {p.product_id for p in train}.isdisjoint({p.product_id for p in held})
    assert len({(p.query, p.title) for p in everything}) == len(everything)
    assert {p.source for p in train} == {"attributes", "title-fragment"}
    assert all(p.query != p.title.lower() for p in everything)
    assert ("black desk" in {p.query for p in everything})
    assert len(mine_pairs(db, holdout=0.3, limit=7)) == 7
    rset = retrieval_set(everything)
    assert set(rset.titles) == {p.title for p in held}  # no training title is searched
    for q, rel in zip(rset.queries, rset.relevant):
        assert rel and all(q in {p.query for p in held if p.title == rset.titles[i]} for i in rel)
    unseen = retrieval_set(everything, unseen_queries=True, sources=("attributes",))
    assert unseen.queries and not set(unseen.queries) & {p.query for p in train}
    assert set(unseen.queries) <= {p.query for p in held if p.source == "attributes"}
    with pytest.raises(InvalidParameter, match="split"):
        mine_pairs(db, split="test")
    with pytest.raises(InvalidParameter, match="holdout"):
        mine_pairs(db, holdout=1.0)
    with pytest.raises(InvalidParameter, match="limit"):
        mine_pairs(db, limit=0)


def test_pairs_from_products_are_deterministic() -> None:
    a = pairs_from_products(_products(), holdout=0.25, seed=3)
    assert a == pairs_from_products(_products(), holdout=0.25, seed=3)
    assert {p.product_id for p in a if p.held_out} != {p.product_id for p in pairs_from_products(_products(), holdout=0.25, seed=4) if p.held_out}
