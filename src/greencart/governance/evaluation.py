"""Stratified K-fold evaluation of the models that classify, with mean and spread.

Both classifiers greencart serves are judged on one task, text -> product category
(12 classes of the demo catalogue), where the labels come from the catalogue's
generator, not from the classifier:

- ``footprint-commodity``: :class:`~greencart.footprint.classify.CommodityClassifier`
  reads a product (its category hidden, so the category prior cannot leak the
  answer); it is right when the true category is one its NAICS class serves.
- ``intent-understanding``: :func:`~greencart.assistant.understand.understand`
  reads a shopper's first turn of the assistant's task set (English and Chinese);
  it is right when the product type it recognises is of the task's category.

Neither rule model is fitted, so each fold scores it on that fold's test part: the
spread is the sampling spread. A learned challenger (TF-IDF character n-grams +
logistic regression, fitted on the other folds) runs on the same folds, so the
card says whether the rules earn their place. scikit-learn does the splitting
and the metrics.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from greencart.errors import InvalidParameter, check_range

FitPredict = Callable[[Sequence[str], Sequence[str], Sequence[str]], list[str]]


@dataclass(frozen=True)
class KFoldResult:
    model: str
    dataset: str
    protocol: str
    n: int
    k: int
    classes: int
    accuracy_mean: float
    accuracy_sd: float
    macro_f1_mean: float
    macro_f1_sd: float
    fold_accuracy: tuple[float, ...]
    fold_macro_f1: tuple[float, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def stratified_kfold(model: str, dataset: str, texts: Sequence[str], labels: Sequence[str],
                     fit_predict: FitPredict, *, k: int = 5, seed: int = 0) -> KFoldResult:
    """Accuracy and macro-F1 per fold of ``fit_predict(train_x, train_y, test_x)``."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    check_range("k", k, 2, 50)
    if len(texts) != len(labels) or len(texts) < 2 * k:
        raise InvalidParameter(f"Expected at least {2 * k} labelled texts of equal length, got {len(texts)} "
                               f"texts and {len(labels)} labels")
    x, y = np.array(texts, dtype=object), np.array(labels, dtype=object)
    accs, f1s = [], []
    for train, test in StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(x, y):
        pred = fit_predict(list(x[train]), list(y[train]), list(x[test]))
        accs.append(float(accuracy_score(y[test], pred)))
        f1s.append(float(f1_score(y[test], pred, average="macro", zero_division=0)))
    return KFoldResult(model, dataset, f"stratified {k}-fold, shuffled, seed {seed}", len(x), k, len(set(labels)),
                       float(np.mean(accs)), float(np.std(accs, ddof=1)), float(np.mean(f1s)),
                       float(np.std(f1s, ddof=1)), tuple(accs), tuple(f1s))


def tfidf_logreg(train_x: Sequence[str], train_y: Sequence[str], test_x: Sequence[str]) -> list[str]:
    """The learned challenger: character 1-4-grams (works for Chinese too) + logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    pipe = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1),
                         LogisticRegression(max_iter=2000, C=10.0))
    return list(pipe.fit(list(train_x), list(train_y)).predict(list(test_x)))


# -- the two data sets ------------------------------------------------------------------------------


def catalogue_products(n_products: int = 1200, seed: int | None = None) -> list[Any]:
    from greencart.demo import DEMO_SEED, generate_demo

    return list(generate_demo(DEMO_SEED if seed is None else seed, n_products=n_products,
                              n_shoppers=10).products)


def product_text(p: Any) -> str:
    """What a classifier may read of a product: never its category."""
    attrs = " ".join(str(v) for v in p.attributes.values())
    return " ".join(s for s in (p.title, attrs, p.description) if s)


def commodity_fit_predict(products: Sequence[Any], embedder: Any = None) -> FitPredict:
    """The commodity classifier as a fit/predict over product texts (it fits nothing)."""
    import dataclasses

    from greencart.footprint.classify import CommodityClassifier
    from greencart.footprint.factors import commodity_by_code

    by_text = {product_text(p): p for p in products}
    clf, classes = CommodityClassifier(embedder), commodity_by_code()

    def fit_predict(train_x: Sequence[str], train_y: Sequence[str], test_x: Sequence[str]) -> list[str]:
        hidden = [dataclasses.replace(by_text[t], category="unknown") for t in test_x]
        preds = clf.classify_many(hidden)
        truth = [by_text[t].category for t in test_x]
        # right when the true category is one the predicted class serves; else its first category
        return [y if y in classes[c.code].categories else classes[c.code].categories[0]
                for y, c in zip(truth, preds)]

    return fit_predict


def task_turns(path: Path) -> tuple[list[str], list[str]]:
    """First turns of the assistant's task file and the category of each task's product type."""
    from greencart.demo.product_types import TYPES_BY_NAME

    texts, labels = [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        task = json.loads(line)
        ptype = (task.get("turn_constraints") or [{}])[0].get("product_type")
        if ptype in TYPES_BY_NAME:
            texts.append(task["turns"][0])
            labels.append(TYPES_BY_NAME[ptype].category)
    return texts, labels


def understanding_fit_predict(train_x: Sequence[str], train_y: Sequence[str], test_x: Sequence[str]) -> list[str]:
    from greencart.assistant.understand import understand
    from greencart.demo.product_types import TYPES_BY_NAME

    out = []
    for text in test_x:
        u = understand(text)
        ptype = TYPES_BY_NAME.get(u.product_type or "")
        out.append(ptype.category if ptype else (u.category or "none"))
    return out


def evaluate_classifiers(tasks_path: Path | None, *, k: int = 5, seed: int = 0, n_products: int = 1200,
                         embedder: Any = None) -> list[KFoldResult]:
    """K-fold figures for both classifiers and their learned challengers."""
    products = catalogue_products(n_products)
    texts, labels = [product_text(p) for p in products], [p.category for p in products]
    dataset = f"demo catalogue, {len(products)} products, label = generator's category"
    served = "footprint-commodity" + (" (keywords + MiniLM)" if embedder is not None else " (keywords only)")
    results = [stratified_kfold(served, dataset, texts, labels, commodity_fit_predict(products, embedder), k=k,
                                seed=seed),
               stratified_kfold("tfidf-logreg challenger", dataset, texts, labels, tfidf_logreg, k=k, seed=seed)]
    if tasks_path is not None and Path(tasks_path).exists():
        t_texts, t_labels = task_turns(tasks_path)
        t_dataset = f"assistant tasks {Path(tasks_path).name}, {len(t_texts)} first turns (en+zh), label = category"
        results += [stratified_kfold("intent-understanding (rules)", t_dataset, t_texts, t_labels,
                                     understanding_fit_predict, k=k, seed=seed),
                    stratified_kfold("tfidf-logreg challenger", t_dataset, t_texts, t_labels, tfidf_logreg, k=k,
                                     seed=seed)]
    return results
