"""Errors greencart raises on purpose.

Every message says what was wrong, what was expected and, where there is one,
the fix. Boundaries (the CLI, the API) handle ``GreencartError`` in one place
each and turn it into an exit code or an HTTP status.
"""

from __future__ import annotations


class GreencartError(Exception):
    """Base class. ``http_status`` and ``exit_code`` tell the boundaries what to do."""

    http_status: int = 400
    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(GreencartError):
    """A setting or parameter is invalid."""

    exit_code = 2


class InvalidParameter(ConfigError):
    """A function or request parameter is out of range or of the wrong kind."""

    http_status = 422


class Conflict(InvalidParameter):
    """Well-formed parts of a request that cannot go together (orders the fleet cannot carry, two
    orders with one id, an order already planned): the request is valid, the combination is not."""

    http_status = 409


class NotFound(GreencartError):
    """An entity (product, user, order) does not exist."""

    http_status = 404
    exit_code = 3


class ImportFileError(GreencartError):
    """An input file is unreadable or malformed; names the file, line and field."""

    http_status = 422
    exit_code = 4

    def __init__(
        self,
        path: str,
        problem: str,
        *,
        line: int | None = None,
        field: str | None = None,
        expected: str | None = None,
    ) -> None:
        where = str(path)
        if line is not None:
            where += f", line {line}"
        if field is not None:
            where += f", field {field!r}"
        message = f"{where}: {problem}"
        if expected:
            message += f" (expected {expected})"
        message += ". Nothing was written."
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.field = field


class StoreError(GreencartError):
    """The database is unreachable, not migrated, or refused a write."""

    http_status = 503
    exit_code = 5


class ModelUnavailable(GreencartError):
    """A model file or optional dependency is missing."""

    http_status = 503
    exit_code = 6


def check_range(name: str, value: float, low: float, high: float) -> None:
    """Raise InvalidParameter unless ``low <= value <= high``."""
    if not (low <= value <= high):
        raise InvalidParameter(f"Expected {name} in [{low}, {high}], got {value}")
