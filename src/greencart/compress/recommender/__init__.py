"""Lightweight recommenders: export a fitted ALS/BPR/EASE model to an artifact, then
quantise (float16, int8, PQ), prune (dims, items, top-k of B) or distil it into a
small factor student, and serve any of them through the Recommender protocol.

    art = export_factors(model, out / "als", name="als-128")
    small = quantise_factors(art, out / "als-pq", scheme="pq", pq_subspaces=16)
    rec = load_recommender(small, split.train)        # scores on the compact form
"""

from greencart.compress.recommender.distil import DistilParams, distil
from greencart.compress.recommender.factors import export_factors
from greencart.compress.recommender.prune import prune_factors
from greencart.compress.recommender.quantise import quantise_factors
from greencart.compress.recommender.runtime import FactorRecommender, load_recommender

__all__ = ["DistilParams", "FactorRecommender", "distil", "export_factors", "load_recommender",
           "prune_factors", "quantise_factors"]
