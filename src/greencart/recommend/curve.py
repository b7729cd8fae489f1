"""The NDCG-vs-CO2e curve over alpha, plotted to PNG and SVG (altair + vl-convert, no browser)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from greencart.errors import ModelUnavailable


def pareto_front(points: Sequence[dict[str, float]]) -> list[dict[str, float]]:
    """Points no other point beats on both NDCG@10 (higher) and kg CO2e (lower)."""
    out = []
    for p in points:
        dominated = any(
            q["ndcg_at_10"] >= p["ndcg_at_10"] and q["co2e_kg_at_10"] <= p["co2e_kg_at_10"]
            and (q["ndcg_at_10"] > p["ndcg_at_10"] or q["co2e_kg_at_10"] < p["co2e_kg_at_10"])
            for q in points
        )
        if not dominated:
            out.append(p)
    return out


def plot_curve(points: Sequence[dict[str, Any]], path_stem: Path, title: str = "NDCG@10 vs kg CO2e of the top-10") -> list[Path]:
    """Write ``<stem>.png`` and ``<stem>.svg``; one line per model, points labelled by alpha."""
    try:
        import altair as alt
    except ImportError:
        raise ModelUnavailable("Plotting needs altair and vl-convert-python: `pip install altair vl-convert-python`") from None
    import pandas as pd

    frame = pd.DataFrame(list(points))
    if "model" not in frame:
        frame["model"] = "model"
    base = alt.Chart(frame).encode(
        x=alt.X("co2e_kg_at_10:Q", title="mean kg CO2e of the top-10", scale=alt.Scale(zero=False)),
        y=alt.Y("ndcg_at_10:Q", title="NDCG@10", scale=alt.Scale(zero=False)),
        color=alt.Color("model:N"),
        tooltip=["model", "alpha", "ndcg_at_10", "co2e_kg_at_10"],
    )
    chart = (base.mark_line(point=True) + base.mark_text(dx=8, dy=-6, fontSize=9).encode(text="alpha:Q"))
    chart = chart.properties(title=title, width=520, height=340)
    path_stem = Path(path_stem)
    path_stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for ext in ("png", "svg"):
        target = path_stem.with_suffix(f".{ext}")
        chart.save(str(target))
        written.append(target)
    return written
