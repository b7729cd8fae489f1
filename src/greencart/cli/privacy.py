"""``greencart privacy forget|purge|bench`` and ``greencart conversations list|show``.

Mounted by ``greencart.cli.main`` with ``from greencart.cli.privacy import register; register(app)``.
Errors are left to the CLI's one handler (``greencart.cli.main``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from greencart.cli.common import emit_json, JsonOpt, open_db, out
from greencart.cli.common import settings as cli_settings

from greencart.errors import NotFound

if TYPE_CHECKING:  # no database driver at import: `greencart --help` stays light
    from greencart.config import Settings
    from greencart.store import Database

privacy_app = typer.Typer(help="Erasure and retention of stored conversations; redaction latency.",
                          no_args_is_help=True)
conversations_app = typer.Typer(help="Stored conversations (redacted, pseudonymised).", no_args_is_help=True)


def _db(ctx: typer.Context) -> "tuple[Settings, Database]":
    return cli_settings(ctx), open_db(ctx)



@privacy_app.command("forget")
def forget(ctx: typer.Context,
           user: Annotated[str, typer.Option("--user", help="The shopper id to erase (pseudonymised to find it).")],
           json_out: JsonOpt = False) -> None:
    """Erase one shopper: shred their data keys (every copy of their encrypted text, backups
    included, becomes unreadable), delete their conversations, session files and behaviour
    rows, drop them from the saved recommender; log the erasure without personal data."""
    from greencart.governance.erasure import forget as forget_shopper
    from greencart.governance.erasure import open_cipher
    from greencart.privacy import Pseudonymiser

    settings, db = _db(ctx)
    try:
        keyring = open_cipher(settings.var_dir, db).keyring
        report = forget_shopper(db, settings.var_dir, Pseudonymiser.from_env(settings.var_dir), user,
                                keyring=keyring)
    finally:
        db.dispose()
    if json_out:
        emit_json(report.as_dict())
    else:
        out.print(f"Shredded {report.keys_shredded} data keys; deleted {report.conversations_deleted} conversations "
                  f"({report.turns_deleted} turns), {report.session_files_deleted} session files, "
                  f"{report.interactions_deleted} interactions; recommender rows removed: "
                  f"{report.recommender_rows_removed} (erasure #{report.erasure_id}).")


@privacy_app.command("purge")
def purge(ctx: typer.Context,
          older_than_days: Annotated[int | None, typer.Option(
              "--older-than-days", min=0,
              help="Conversations idle longer than this (default $GREENCART_RETENTION_CONVERSATIONS_DAYS or 90).")] = None,
          ledger_days: Annotated[int | None, typer.Option(
              "--ledger-days", min=0, help="Energy-ledger rows older than this (default: kept).")] = None,
          erasure_log_days: Annotated[int | None, typer.Option(
              "--erasure-log-days", min=0, help="Erasure-log entries older than this (default: kept).")] = None,
          json_out: JsonOpt = False) -> None:
    """Retention: apply the per-table policy (days), shredding keys no conversation uses."""
    from greencart.governance.erasure import RetentionPolicy
    from greencart.governance.erasure import purge as purge_tables

    policy = RetentionPolicy.from_env(conversations_days=older_than_days, energy_ledger_days=ledger_days,
                                      erasure_log_days=erasure_log_days)
    _, db = _db(ctx)
    try:
        report = purge_tables(db, policy)
    finally:
        db.dispose()
    if json_out:
        emit_json(report.as_dict())
        return
    for table, n in report.rows_deleted.items():
        out.print(f"{table}: deleted {n} rows older than {report.cutoffs.get(table.replace('conversation_turns', 'conversations'), '?')[:16]}")
    out.print(f"data keys shredded: {report.keys_shredded}")


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
    from greencart.governance.erasure import open_cipher
    from greencart.store.conversation_repo import get_conversation

    settings, db = _db(ctx)
    try:
        cipher = open_cipher(settings.var_dir, db)
        with db.read() as s:
            conv = get_conversation(s, conversation_id, cipher)
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
