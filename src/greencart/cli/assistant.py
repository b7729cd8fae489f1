"""``greencart ask`` (one turn) and ``greencart chat`` (interactive).

Mounted by ``greencart.cli.main`` with ``from greencart.cli.assistant import register; register(app)``.
Sessions persist across processes as JSON files under ``var_dir/sessions``.
Errors are left to the CLI's one handler (``greencart.cli.main``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from greencart.cli.common import JsonOpt, out, services

if TYPE_CHECKING:
    from greencart.assistant import Assistant

UserOpt = Annotated[str | None, typer.Option("--user", help="A known shopper id (personalises results).")]
SessionOpt = Annotated[str | None, typer.Option("--session", help="Continue this session (new if unknown).")]
EcoOpt = Annotated[float | None, typer.Option("--eco", min=0.0, max=1.0,
                                                 help="0 = relevance only, 1 = lowest footprint first.")]


def _assistant(ctx: typer.Context) -> "Assistant":
    """The assistant the composition root builds (greencart.bootstrap): the catalogue, the
    trained recommender, a started energy monitor, the local/remote model tiers configured
    for this deployment and the redacted, encrypted conversation log; sessions as encrypted files."""
    from greencart.governance.sessions import EncryptedSessionStore

    built = services(ctx)
    assistant = built.assistant()
    # session files are encrypted at rest with the conversation log's keys (docs/governance.md)
    assistant.store = EncryptedSessionStore(Path(built.settings.var_dir) / "sessions", assistant.history.cipher.keyring)
    return assistant


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
    result = _assistant(ctx).turn(text, session=session, user=user, eco=eco).to_dict()
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

    assistant = _assistant(ctx)
    out.print("greencart assistant — ask in English or Chinese; 'quit' to leave.")
    while True:
        try:
            text = input("> ").strip()
        except EOFError:
            break
        if not text or text.casefold() in ("quit", "exit", "退出"):
            break
        try:
            result = assistant.turn(text, session=session, user=user, eco=eco).to_dict()
        except GreencartError as exc:  # a bad turn should not end the conversation
            out.print(f"[red]{exc.message}[/red]", highlight=False)
            continue
        session, eco = result["session"], None
        _print_turn(result)


def register(app: typer.Typer) -> None:
    app.command("ask")(ask)
    app.command("chat")(chat)
