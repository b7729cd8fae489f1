"""Product carbon footprints: factor tables, reference sets, estimation with uncertainty.

Every product gets kg CO2e per unit sold with a low/high band, a method
(``declared`` > ``reference`` > ``spend`` > ``category-default``) and a source.
See docs/footprints.md for the methods and how wide their errors are.
Nothing is loaded at import: tables and models load on first use.
"""

from greencart.footprint.estimate import EstimatorConfig, FootprintEstimator, estimate_all
from greencart.footprint.models import METHODS, Footprint, ReferenceImportSummary
from greencart.footprint.reference import import_reference

__all__ = [
    "METHODS",
    "EstimatorConfig",
    "Footprint",
    "FootprintEstimator",
    "ReferenceImportSummary",
    "estimate_all",
    "import_reference",
]
