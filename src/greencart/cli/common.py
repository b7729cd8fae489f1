"""What every command group shares: consoles, the ``--json`` option, JSON output,
and the settings/database the root callback put on the context. Written once here."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.console import Console

if TYPE_CHECKING:
    from greencart.bootstrap import Services
    from greencart.config import Settings
    from greencart.store import Database

out = Console()
err = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
EncodingOpt = Annotated[
    Optional[str], typer.Option(help="Text encoding of a CSV/JSONL file (default: UTF-8), e.g. cp1252.")
]


def emit_json(obj: Any) -> None:
    """One JSON document on stdout (UTF-8, not ASCII-escaped; dates as strings)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def settings(ctx: typer.Context) -> "Settings":
    """The Settings the root callback built (or from the environment when a group runs alone)."""
    from greencart.config import Settings

    root = ctx.find_root().obj
    return root if isinstance(root, Settings) else Settings.from_env()


def open_db(ctx: typer.Context) -> "Database":
    """The migrated database of these settings; the caller disposes it."""
    from greencart.store import open_database

    db = open_database(settings(ctx).database_url)
    db.require_migrated()
    return db


def services(ctx: typer.Context) -> "Services":
    """The services of this command, built once by the composition root
    (:func:`greencart.bootstrap.build_services`) and closed when the command ends."""
    from greencart.bootstrap import build_services

    root = ctx.find_root()
    built = root.meta.get("greencart.services")
    if built is None:
        built = root.meta["greencart.services"] = build_services(settings(ctx))
        root.call_on_close(built.close)
    return built
