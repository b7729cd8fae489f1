"""A small, real catalogue for whole-API tests (fuzzing, crash tests): products across
categories with attributes and Chinese titles, two planted shopper clusters with
purchases, estimated footprints and a trained recommender, on SQLite or PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from greencart.catalog.models import Interaction, Product, Shopper

CATEGORIES = {
    "home-decor": [("Lantern", "灯笼"), ("Candle Holder", "烛台"), ("Photo Frame", "相框"), ("Vase", "花瓶")],
    "apparel": [("Organic Cotton T-Shirt", "有机棉T恤"), ("Wool Scarf", "羊毛围巾"), ("Denim Jacket", "牛仔夹克")],
    "small-appliances": [("Electric Kettle", "电热水壶"), ("Toaster", "烤面包机"), ("Coffee Grinder", "磨豆机")],
    "garden": [("Watering Can", "洒水壶"), ("Plant Pot", "花盆"), ("Bird Feeder", "喂鸟器")],
}
COLOURS = ("white", "red", "black", "green")
MATERIALS = ("metal", "glass", "cotton", "ceramic")
T0 = datetime(2025, 1, 1)


def products() -> list[Product]:
    out = []
    for c_index, (category, names) in enumerate(CATEGORIES.items()):
        for n_index, (title, title_zh) in enumerate(names):
            for variant in range(2):
                i = len(out)
                colour, material = COLOURS[(i + variant) % 4], MATERIALS[(c_index + n_index) % 4]
                out.append(Product(
                    id=f"P{i:03d}", title=f"{colour.title()} {title}", title_zh=title_zh, category=category,
                    price=round(3.5 + 7.25 * n_index + 11 * variant + c_index, 2), weight_kg=0.2 + 0.3 * n_index,
                    attributes={"colour": colour, "material": material},
                    description=f"A {colour} {material} {title.lower()}."))
    return out


def interactions(items: list[Product]) -> list[Interaction]:
    """Shoppers H* buy from the first two categories, G* from the last two."""
    half = len(items) // 2
    out = []
    for cluster, pool in (("H", items[:half]), ("G", items[half:])):
        for u in range(12):
            for t in range(4):
                item = pool[(u * 3 + t * 5) % len(pool)]
                out.append(Interaction(f"{cluster}{u}", item.id, "purchase", T0 + timedelta(days=t * 7 + u)))
    return out


def build_catalogue(database_url: str, var_dir: Path) -> dict[str, int]:
    """Migrate ``database_url``, write the catalogue and shoppers, estimate footprints,
    train the recommender into ``var_dir``; returns the table counts."""
    from greencart.config import Settings
    from greencart.footprint import estimate_all
    from greencart.recommend.service import RecommendService
    from greencart.store import catalog_repo, open_database

    db = open_database(database_url, migrate=True)
    items = products()
    events = interactions(items)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, items)
        catalog_repo.upsert_shoppers(s, [Shopper(id=u) for u in sorted({e.user_id for e in events})])
        catalog_repo.upsert_interactions(s, events)
    estimate_all(db)
    settings = Settings(var_dir=var_dir, database_url=database_url)
    rec = RecommendService(settings, db)
    rec.train()
    rec.close()
    with db.read() as s:
        counts = catalog_repo.table_counts(s)
    db.dispose()
    return counts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(var_dir: Path, database_url: str, port: int, log_path: Path) -> subprocess.Popen:
    """`greencart serve` as its own process (its own process group, so it can be killed whole)."""
    env = {**os.environ, "GREENCART_VAR_DIR": str(var_dir), "GREENCART_DATABASE_URL": database_url,
           "GREENCART_LOCAL_LLM": "off"}
    return subprocess.Popen([sys.executable, "-m", "greencart.cli", "serve", "--port", str(port)],
                            env=env, stdout=log_path.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def wait_healthy(proc: subprocess.Popen, base: str, log_path: Path, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"server exited ({proc.returncode}): {log_path.read_text()[-3000:]}")
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"server did not answer /health within {timeout_s} s: {log_path.read_text()[-3000:]}")
        time.sleep(0.2)


def warm_up(base: str) -> None:
    """Load what the first search and the first chat turn load lazily (index, embedders,
    redaction engines), so timed checks measure serving, not a cold start."""
    with httpx.Client(base_url=base, timeout=120) as client:
        assert client.get("/v1/products/search", params={"q": "lantern 灯笼"}).status_code == 200
        assert client.post("/v1/chat", json={"message": "a white lantern under 20"}).status_code == 200


@contextmanager
def served(var_dir: Path, database_url: str) -> Iterator[str]:
    """A running server over ``database_url``; yields its base URL; stops it after."""
    port = free_port()
    log_path = var_dir / f"serve-{port}.log"
    proc = start_server(var_dir, database_url, port, log_path)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(proc, base, log_path)
        warm_up(base)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
