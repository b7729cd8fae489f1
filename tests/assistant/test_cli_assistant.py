"""`greencart ask --json` across two turns with --session (sessions persist as encrypted files)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from typer.testing import CliRunner

from greencart.config import Settings


def _app(var: Path) -> typer.Typer:
    """greencart's own app when it mounts `ask`; otherwise a root app like it, with the commands registered."""
    from greencart import cli

    if any(c.name == "ask" for c in cli.app.registered_commands):
        return cli.app
    from greencart.cli.assistant import register

    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context, var_dir: Annotated[Path, typer.Option()]) -> None:
        ctx.obj = Settings(var_dir=var_dir)

    register(app)
    return app


def _ask(var: Path, *args: str) -> dict:
    result = CliRunner().invoke(_app(var), ["--var-dir", str(var), "ask", *args, "--json"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1  # exactly one JSON object on stdout
    return json.loads(lines[0])


def test_ask_json_two_turns_with_session(catalog_var, catalog):
    first = _ask(catalog_var, "red t-shirt under 40", "--session", "cli-test-1")
    assert set(first) >= {"reply", "products", "tier", "energy", "session"}
    assert first["session"] == "cli-test-1" and first["products"]
    assert set(first["products"][0]) == {"id", "title", "price", "currency", "footprint_kg_co2e", "footprint_low",
                                         "footprint_high", "footprint_method"}
    assert set(first["energy"]) == {"energy_j", "carbon_g", "method"}
    assert (catalog_var / "sessions" / "cli-test-1.session").exists()
    second = _ask(catalog_var, "how much is the second one?", "--session", "cli-test-1")
    assert second["intent"] == "ask" and second["products"][0]["id"] == first["products"][1]["id"]


def test_ask_without_session_starts_one(catalog_var, catalog):
    out = _ask(catalog_var, "kettles", "--user", "U5")
    assert out["session"] and (catalog_var / "sessions" / f"{out['session']}.session").exists()


def test_chat_runs_a_short_conversation(catalog_var, catalog):
    result = CliRunner().invoke(_app(catalog_var), ["--var-dir", str(catalog_var), "chat"],
                                input="kettles\ncompare the first two\nquit\n")
    assert result.exit_code == 0, result.output
    assert "cheaper by" in result.stdout and "tier rules" in result.stdout


def test_ask_reaches_the_model_tiers_the_deployment_configures(catalog_var, catalog, monkeypatch):
    """`greencart ask` is built by the composition root like the API: a remote model configured
    by GREENCART_LLM_URL is asked to understand a vague turn (here it is down: the call is made,
    fails, and the rules answer), where the CLI used to build an assistant with no model tiers."""
    import socket

    with socket.socket() as s:  # a port nothing listens on: connection refused at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("GREENCART_LLM_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("GREENCART_LLM_MODEL", "smollm2")
    monkeypatch.setenv("GREENCART_LLM_TIMEOUT_S", "2")
    monkeypatch.setenv("GREENCART_LLM_J_PER_TOKEN", "0.01")  # within the turn's energy budget
    out = _ask(catalog_var, "I need a present")
    assert out["model_calls"] == ["understand:llm-remote:failed"]
    assert out["tier"] == "rules" and out["intent"] == "clarify"
    assert out["energy"]["method"] != "unmetered" and out["energy"]["energy_j"] > 0  # the monitor runs
