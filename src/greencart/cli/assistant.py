"""``greencart ask`` (one turn) and ``greencart chat`` (interactive).

Mounted by ``greencart.cli.main`` with ``from greencart.cli.assistant import register; register(app)``.
Sessions persist across processes as JSON files under ``var_dir/sessions``.
Errors are left to the CLI's one handler (``greencart.cli.main``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from greencart.cli.common import JsonOpt, out

UserOpt = Annotated[str | None, typer.Option("--user", help="A known shopper id (personalises results).")]
SessionOpt = Annotated[str | None, typer.Option("--session", help="Continue this session (new if unknown).")]
EcoOpt = Annotated[float | None, typer.Option("--eco", min=0.0, max=1.0,
                                                 help="0 = relevance only, 1 = lowest footprint first.")]


class _Parts:
    """The assistant and what it holds open, closed together."""

    def __init__(self, ctx: typer.Context) -> None:
        from greencart.assistant import Assistant, JsonFileSessionStore
        from greencart.service import CatalogService

        settings = ctx.find_root().obj
        self.catalog = CatalogService(settings)
        self.catalog.db.require_migrated()
        self.recommender = None
        if (Path(settings.var_dir) / "models" / "recommender").exists():
            from greencart.recommend.service import RecommendService

            self.recommender = RecommendService(settings, self.catalog.db)
        from greencart.assistant.history import SqlConversationLog

        store = JsonFileSessionStore(Path(settings.var_dir) / "sessions")
        # turns are redacted before they are kept or stored (docs/privacy.md)
        history = SqlConversationLog.from_settings(settings, self.catalog.db)
        self.assistant = Assistant(self.catalog, self.recommender, store=store, history=history)

    def close(self) -> None:
        if self.recommender is not None:
            self.recommender.close()
        self.catalog.close()


def _print_turn(result: dict[str, Any]) -> None:
    out.print(result["reply"], highlight=False)
    e = result["energy"]
    out.print(f"[dim]tier {result['tier']} · {e['energy_j']:.3g} J · {e['carbon_g']:.3g} gCO2e ({e['method']}) "
              f"· session {result['session']}[/dim]", highlight=False)


def ask(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What the shopper says (English or Chinese).")],
    user: UserOpt = None,
    session: SessionOpt = None,
    eco: EcoOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """One assistant turn: reply, products with footprints, tier and energy of the turn."""
    parts = _Parts(ctx)
    try:
        result = parts.assistant.turn(text, session=session, user=user, eco=eco).to_dict()
    finally:
        parts.close()
    if json_out:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        _print_turn(result)


def chat(
    ctx: typer.Context,
    user: UserOpt = None,
    session: SessionOpt = None,
    eco: EcoOpt = None,
) -> None:
    """An interactive chat in the terminal (empty line, 'quit' or Ctrl-D to leave)."""
    from greencart.errors import GreencartError

    parts = _Parts(ctx)
    out.print("greencart assistant — ask in English or Chinese; 'quit' to leave.")
    try:
        while True:
            try:
                text = input("> ").strip()
            except EOFError:
                break
            if not text or text.casefold() in ("quit", "exit", "退出"):
                break
            try:
                result = parts.assistant.turn(text, session=session, user=user, eco=eco).to_dict()
            except GreencartError as exc:  # a bad turn should not end the conversation
                out.print(f"[red]{exc.message}[/red]", highlight=False)
                continue
            session, eco = result["session"], None
            _print_turn(result)
    finally:
        parts.close()


def register(app: typer.Typer) -> None:
    app.command("ask")(ask)
    app.command("chat")(chat)
