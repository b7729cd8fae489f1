"""The synthetic demo catalogue and shoppers: generated, never copied, and not catalogue logic.

``generate_demo`` is pure (same seed, same data); ``load_demo`` writes it to a
database. The parts: :mod:`greencart.demo.product_types` (the product types and
their footprint intensities), :mod:`greencart.demo.vocab` (colours, materials,
styles), :mod:`greencart.demo.products`, :mod:`greencart.demo.personas` and
:mod:`greencart.demo.behaviour` (shoppers, sessions, orders).
"""

from greencart.demo.generate import (
    DECLARED_SOURCE,
    DEMO_SEED,
    DEMO_SOURCE,
    DemoData,
    generate_demo,
    load_demo,
    nominal_footprint_kg_co2e,
)

__all__ = [
    "DECLARED_SOURCE",
    "DEMO_SEED",
    "DEMO_SOURCE",
    "DemoData",
    "generate_demo",
    "load_demo",
    "nominal_footprint_kg_co2e",
]
