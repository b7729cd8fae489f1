"""Importers: files in, one transaction each, a summary of what was kept and dropped out.

- :func:`import_online_retail` for the UCI Online Retail format (xlsx or csv);
- :func:`import_products` and :func:`import_interactions` for the generic
  CSV/JSONL schema documented in ``docs/importing.md``.

Bad files raise :class:`greencart.errors.ImportFileError` naming the file,
line and field, and nothing is written.
"""

from greencart.catalog.importers.common import ImportSummary
from greencart.catalog.importers.generic import import_interactions, import_products
from greencart.catalog.importers.online_retail import import_online_retail

__all__ = ["ImportSummary", "import_interactions", "import_online_retail", "import_products"]
