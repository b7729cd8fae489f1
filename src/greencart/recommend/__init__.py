"""Recommendation: one protocol, simple strong models, eco re-ranking, honest evaluation.

- ``protocol``: :class:`Recommender`, :class:`ScoredItem`, :class:`Contribution`;
  ``base``: shared top-k, fold-in, explanations, update, save/load (no pickle).
- models: ``popularity``, ``itemknn``, ``ease``, ``implicit_models`` (ALS, BPR);
  ``factory.make_recommender(name, **params)``, ``base.load_recommender(dir)``.
- ``data``: store interactions -> weighted CSR matrix with id maps.
- ``itemtable``, ``rerank``, ``explain``, ``engine``: filters, greenness,
  alpha re-ranking, reasons, greener swaps.
- ``split``, ``metrics``, ``evaluate``, ``report``, ``curve``: offline evaluation.
- ``green``: energy work units around fits and scoring batches.
- ``service``: :class:`RecommendService` for the API and the CLI.

Nothing is loaded at import; ``implicit`` is imported only to train ALS/BPR.
"""
