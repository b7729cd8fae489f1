"""greencart: an energy-aware AI shopping assistant for e-commerce.

Subpackages (see ../shared/DESIGN.md for the map):

- ``greencart.catalog``: product, order and interaction models, importers,
  the demo catalogue and the hybrid (BM25 + embedding) search index.
- ``greencart.footprint``: product carbon footprints with a band, a method
  and a source (declared > reference > spend > category-default).
- ``greencart.store``: SQLAlchemy tables, Alembic migrations, repositories.
- ``greencart.energy``: meters, attribution, carbon intensity, SCI, ledger.
- ``greencart.api``: the FastAPI application (``create_app``).
- ``greencart.cli``: the ``greencart`` command.

Importing this package has no side effects: no engine, no settings, no model.
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
