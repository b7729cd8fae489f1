"""The static student: distillation from a planted bag-of-words teacher, weighting, the runtime."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from greencart.catalog.embed import Embedder
from greencart.compress.artifact import Artifact
from greencart.compress.embedder.student import agreement, distil_static, load_static_embedder
from greencart.errors import InvalidParameter

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def make_tokenizer(words: list[str], path: Path) -> Path:
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    vocab = {t: i for i, t in enumerate([*SPECIAL, *words])}
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tok.save(str(path))
    return path


class BagTeacher:
    """A planted teacher: a sentence is the normalised mean of its words' vectors."""

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors
        self.dim = len(next(iter(vectors.values())))
        self.name = "bag-teacher"

    def embed(self, texts, *, is_query: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            vs = [self.vectors[w] for w in t.lower().split() if w in self.vectors]
            if vs:
                out[i] = np.mean(vs, axis=0)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def planted(rng: np.random.Generator, n_words: int = 60, dim: int = 32, rank: int = 8):
    """Word vectors that live (up to small noise) in a ``rank``-dim subspace of ``dim``."""
    words = [f"w{i}" for i in range(n_words)]
    basis = np.linalg.qr(rng.normal(size=(dim, rank)))[0]
    vecs = rng.normal(size=(n_words, rank)) @ basis.T + 0.02 * rng.normal(size=(n_words, dim))
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return words, {w: v.astype(np.float32) for w, v in zip(words, vecs)}


@pytest.fixture
def setup(tmp_path: Path):
    rng = np.random.default_rng(7)
    words, vectors = planted(rng)
    tok = make_tokenizer(words, tmp_path / "tokenizer.json")
    sentences = [" ".join(rng.choice(words, size=3, replace=False)) for _ in range(120)]
    return BagTeacher(vectors), tok, sentences, tmp_path


def test_output_is_normalised_float32_of_dim_and_an_embedder(setup) -> None:
    teacher, tok, sentences, tmp = setup
    art = distil_static(teacher, tmp / "s", dim=8, tokenizer_path=tok, name="tiny-static")  # metered
    emb = load_static_embedder(art)
    assert isinstance(emb, Embedder) and emb.dim == 8 and emb.name == "tiny-static"
    out = emb.embed(sentences[:5], is_query=True)
    assert out.shape == (5, 8) and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-5)
    assert emb.embed([]).shape == (0, 8)
    assert not np.any(emb.embed(["zzz-never-seen"]))  # only [UNK]: a zero row, not NaN
    manifest = json.loads((tmp / "s" / "manifest.json").read_text())
    assert manifest["format"] == "static-embedder" and manifest["method"] == "distil-static"
    assert Artifact.load(tmp / "s").size_bytes() > 0
    assert art.settings["energy_j"] > 0 and art.settings["energy_method"] != "not-metered"
    with np.load(tmp / "s" / "static.npz") as z:
        assert z["vectors"].dtype == np.float16


def test_student_recovers_the_teachers_neighbours_and_reports_pca(setup) -> None:
    teacher, tok, sentences, tmp = setup
    t = teacher.embed(sentences)
    full = distil_static(teacher, tmp / "r8", dim=8, tokenizer_path=tok, monitor=False, name="r8")
    low = distil_static(teacher, tmp / "r2", dim=2, tokenizer_path=tok, monitor=False, name="r2")
    good = agreement(load_static_embedder(full).embed(sentences), t, k=10)
    poor = agreement(load_static_embedder(low).embed(sentences), t, k=10)
    assert good["top_k_overlap"] > 0.7 and good["cosine_corr"] > 0.8, good
    assert poor["top_k_overlap"] < good["top_k_overlap"] - 0.2, (poor, good)
    # The planted vectors have rank 8 (plus noise): 8 axes explain nearly all, 2 far less.
    assert full.settings["pca_explained_variance"] > 0.95
    assert low.settings["pca_explained_variance"] < 0.6


def test_frequent_token_is_down_weighted(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    words, vectors = planted(rng, n_words=30)
    words.append("the")
    vectors["the"] = vectors["w0"] * 0.0 + rng.normal(size=32).astype(np.float32) * 3  # strong, uninformative
    tok = make_tokenizer(words, tmp_path / "tokenizer.json")
    teacher = BagTeacher(vectors)
    corpus = [f"the {w} the {v}" for w, v in itertools.pairwise(words[:30])]
    flat = load_static_embedder(distil_static(teacher, tmp_path / "flat", dim=16, tokenizer_path=tok, monitor=False, name="flat"))
    sif_art = distil_static(teacher, tmp_path / "sif", dim=16, tokenizer_path=tok, monitor=False, name="sif",
                            corpus_texts=corpus, sif_a=0.05)  # a small corpus: a larger a
    sif = load_static_embedder(sif_art)
    with np.load(sif_art.path / "static.npz") as z:
        w = dict(zip(z["token_ids"].tolist(), z["weights"].astype(float).tolist()))
    ids = {t: i for i, t in enumerate([*SPECIAL, *words])}
    assert w[ids["the"]] < 0.1 and w[ids["w5"]] > 0.5
    # "the w5" should mean w5: with weighting it sits much closer to "w5" alone than without.
    cos = {k: float(e.embed(["the w5"])[0] @ e.embed(["w5"])[0]) for k, e in (("flat", flat), ("sif", sif))}
    assert cos["sif"] > 0.95 and cos["sif"] > cos["flat"] + 0.1, cos


def test_drop_unseen_shrinks_the_table_and_forgets_unseen_words(setup) -> None:
    teacher, tok, sentences, tmp = setup
    corpus = [s for s in sentences if "w1 " not in s + " "][:20]
    full = distil_static(teacher, tmp / "all", dim=8, tokenizer_path=tok, monitor=False, name="all", corpus_texts=corpus)
    small = distil_static(teacher, tmp / "seen", dim=8, tokenizer_path=tok, monitor=False, name="seen",
                          corpus_texts=corpus, drop_unseen=True)
    assert small.settings["vocab_kept"] < full.settings["vocab_kept"]
    assert small.size_bytes() < full.size_bytes()
    seen = {w for s in corpus for w in s.split()}
    unseen = next(w for w in teacher.vectors if w not in seen)
    assert not np.any(load_static_embedder(small).embed([unseen]))
    assert np.any(load_static_embedder(full).embed([unseen]))


def test_torch_teacher_path(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    words = [f"w{i}" for i in range(40)]
    tok = make_tokenizer(words, tmp_path / "tokenizer.json")
    model = BertModel(BertConfig(vocab_size=45, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                 intermediate_size=32), add_pooling_layer=False)
    art = distil_static(model, tmp_path / "t", dim=4, tokenizer_path=tok, monitor=False, name="torch-static")
    assert art.settings["teacher_dim"] == 16
    assert load_static_embedder(art).embed(["w1 w2"]).shape == (1, 4)


def test_bad_arguments_are_rejected(setup) -> None:
    teacher, tok, _, tmp = setup
    with pytest.raises(InvalidParameter, match="positive integer"):
        distil_static(teacher, tmp / "x", dim=0, tokenizer_path=tok, monitor=False, name="x")
    with pytest.raises(InvalidParameter, match="teacher's dimension 32"):
        distil_static(teacher, tmp / "x", dim=64, tokenizer_path=tok, monitor=False, name="x")
    with pytest.raises(InvalidParameter, match="Embedder"):
        distil_static(object(), tmp / "x", dim=4, tokenizer_path=tok, monitor=False, name="x")
    with pytest.raises(InvalidParameter, match="corpus_texts"):
        distil_static(teacher, tmp / "x", dim=4, tokenizer_path=tok, monitor=False, name="x", drop_unseen=True)
    (tmp / "busy").mkdir()
    (tmp / "busy" / "keep.txt").write_text("mine")
    with pytest.raises(InvalidParameter, match="not a model variant"):
        distil_static(teacher, tmp / "busy", dim=4, tokenizer_path=tok, monitor=False, name="x")
    assert (tmp / "busy" / "keep.txt").read_text() == "mine"
    assert not (tmp / "x").exists()
