"""Quality vs energy: the Pareto front of model variants, plotted to PNG and SVG
(altair + vl-convert, no browser), one chart per model kind and data set."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from greencart.errors import InvalidParameter, ModelUnavailable


def pareto_mask(rows: Sequence[dict[str, Any]], quality: str, cost: str) -> list[bool]:
    """True for rows no other row beats on both ``quality`` (higher) and ``cost`` (lower)."""
    pts = [(float(r[quality]), float(r[cost])) for r in rows]
    out = []
    for q, c in pts:
        dominated = any(q2 >= q and c2 <= c and (q2 > q or c2 < c) for q2, c2 in pts)
        out.append(not dominated)
    return out


def plot_pareto(rows: Sequence[dict[str, Any]], path_stem: Path, *, quality: str = "ndcg_at_10",
                cost: str = "energy_j_per_1k", title: str = "") -> list[Path]:
    """Write ``<stem>.png`` and ``<stem>.svg``: variants as points, the Pareto front as a line."""
    rows = [r for r in rows if r.get(quality) is not None and r.get(cost) is not None]
    if not rows:
        raise InvalidParameter(f"Expected rows with {quality!r} and {cost!r} to plot, got none")
    try:
        import altair as alt
    except ImportError:
        raise ModelUnavailable("Plotting needs altair and vl-convert-python: `pip install altair vl-convert-python`") from None
    import pandas as pd

    frame = pd.DataFrame([{"variant": r["variant"], "method": r.get("method", ""), quality: float(r[quality]),
                           cost: float(r[cost]), "front": front} for r, front in
                          zip(rows, pareto_mask(rows, quality, cost))])
    x = alt.X(f"{cost}:Q", title="J per 1,000 inferences (lower is better)", scale=alt.Scale(zero=False))
    y = alt.Y(f"{quality}:Q", title=quality.replace("_at_", "@").upper().replace("NDCG", "nDCG"),
              scale=alt.Scale(zero=False))
    points = alt.Chart(frame).mark_point(size=70, filled=True).encode(
        x=x, y=y, color=alt.Color("front:N", title="Pareto front", scale=alt.Scale(domain=[True, False],
                                                                                range=["#1a7f37", "#9aa0a6"])),
        tooltip=["variant", "method", quality, cost])
    line = alt.Chart(frame[frame["front"]].sort_values(cost)).mark_line(color="#1a7f37").encode(x=x, y=y)
    labels = alt.Chart(frame).mark_text(dx=7, dy=-7, fontSize=9, align="left").encode(x=x, y=y, text="variant:N")
    chart = (line + points + labels).properties(title=title or f"{quality} vs {cost}", width=560, height=360)
    path_stem = Path(path_stem)
    path_stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for ext in ("png", "svg"):
        target = path_stem.with_name(f"{path_stem.name}.{ext}")
        chart.save(str(target))
        written.append(target)
    return written
