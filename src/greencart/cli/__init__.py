"""The ``greencart`` command line: one module per command group, shared helpers in
:mod:`greencart.cli.common`, the root app and the one error handler in
:mod:`greencart.cli.main`."""

from greencart.cli.main import app, main

__all__ = ["app", "main"]
