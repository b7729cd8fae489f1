"""``greencart privacy forget|purge|bench`` and ``greencart conversations list|show``.

Mounted by ``greencart.cli.main`` with ``from greencart.cli.privacy import register; register(app)``.
Errors are left to the CLI's one handler (``greencart.cli.main``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.table import Table

from greencart.cli.common import emit_json, JsonOpt, open_db, out
from greencart.cli.common import settings as cli_settings

from greencart.config import Settings
from greencart.errors import NotFound
from greencart.store import Database

privacy_app = typer.Typer(help="Erasure and retention of stored conversations; redaction latency.",
                          no_args_is_help=True)
conversations_app = typer.Typer(help="Stored conversations (redacted, pseudonymised).", no_args_is_help=True)


def _db(ctx: typer.Context) -> tuple[Settings, Database]:
    return cli_settings(ctx), open_db(ctx)



@privacy_app.command("forget")
def forget(ctx: typer.Context,
           user: Annotated[str, typer.Option("--user", help="The shopper id to erase (pseudonymised to find it).")],
           json_out: JsonOpt = False) -> None:
    """Delete every stored conversation of one shopper (right to erasure)."""
    from greencart.privacy import Pseudonymiser
    from greencart.store.conversation_repo import delete_by_pseudonym

    settings, db = _db(ctx)
    try:
        with db.transaction() as s:
            convs, turns = delete_by_pseudonym(s, Pseudonymiser.from_env(settings.var_dir).pseudonym(user))
    finally:
        db.dispose()
    if json_out:
        emit_json({"conversations_deleted": convs, "turns_deleted": turns})
    else:
        out.print(f"Deleted {convs} conversations ({turns} turns) of that shopper.")


@privacy_app.command("purge")
def purge(ctx: typer.Context,
          older_than_days: Annotated[int, typer.Option("--older-than-days", min=0,
                                                       help="Delete conversations idle longer than this.")],
          json_out: JsonOpt = False) -> None:
    """Retention: delete conversations last updated more than N days ago."""
    from greencart.store.conversation_repo import purge_older_than

    _, db = _db(ctx)
    cutoff = datetime.now(UTC) - timedelta(days=older_than_days)
    try:
        with db.transaction() as s:
            convs, turns = purge_older_than(s, cutoff)
    finally:
        db.dispose()
    if json_out:
        emit_json({"cutoff": cutoff.isoformat(), "conversations_deleted": convs, "turns_deleted": turns})
    else:
        out.print(f"Deleted {convs} conversations ({turns} turns) idle since before {cutoff:%Y-%m-%d %H:%M} UTC.")


@privacy_app.command("bench")
def bench(rounds: Annotated[int, typer.Option(min=1, max=1000, help="Passes over the corpus.")] = 20) -> None:
    """Measure redaction latency per message (JSON on stdout)."""
    from greencart.privacy.bench import main as bench_main

    bench_main([str(rounds)])


@conversations_app.command("list")
def list_(ctx: typer.Context,
          user: Annotated[str | None, typer.Option("--user", help="Only this shopper's (pseudonymised).")] = None,
          limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
          json_out: JsonOpt = False) -> None:
    """Stored conversations, newest first."""
    from greencart.privacy import Pseudonymiser
    from greencart.store.conversation_repo import list_conversations

    settings, db = _db(ctx)
    pseudonym = Pseudonymiser.from_env(settings.var_dir).pseudonym(user) if user else None
    try:
        with db.read() as s:
            convs = list_conversations(s, user_pseudonym=pseudonym, limit=limit)
    finally:
        db.dispose()
    if json_out:
        emit_json({"conversations": [{k: v for k, v in c.to_dict().items() if k != "turns"} for c in convs]})
        return
    table = Table("id", "user (pseudonym)", "lang", "turns", "J", "gCO2e", "updated")
    for c in convs:
        table.add_row(c.id, (c.user_pseudonym or "-")[:16], c.lang, str(c.turn_count), f"{c.energy_j_total:.3g}",
                      f"{c.carbon_g_total:.3g}", f"{c.updated_at:%Y-%m-%d %H:%M}")
    out.print(table)


@conversations_app.command("show")
def show(ctx: typer.Context, conversation_id: Annotated[str, typer.Argument(help="A session id.")],
         json_out: JsonOpt = False) -> None:
    """One stored conversation with its redacted turns."""
    from greencart.store.conversation_repo import get_conversation

    _, db = _db(ctx)
    try:
        with db.read() as s:
            conv = get_conversation(s, conversation_id)
    finally:
        db.dispose()
    if conv is None:
        raise NotFound(f"No stored conversation {conversation_id!r}; `greencart conversations list` shows them")
    if json_out:
        emit_json(conv.to_dict())
        return
    out.print(f"conversation {conv.id} · {conv.lang} · {conv.turn_count} turns · {conv.energy_j_total:.3g} J",
              highlight=False)
    for t in conv.turns:
        extra = f" [dim]({t.tier}, {t.energy_j:.3g} J)[/dim]" if t.role == "assistant" and t.energy_j is not None else ""
        out.print(f"[bold]{t.role}[/bold]: {t.text_redacted}{extra}", highlight=False, markup=True)


def register(app: typer.Typer) -> None:
    """Add the ``privacy`` and ``conversations`` sub-apps to the root ``greencart`` app."""
    app.add_typer(privacy_app, name="privacy")
    app.add_typer(conversations_app, name="conversations")
