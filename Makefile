# policy-extract: `make run` sets everything up and ingests raw/; `make test` runs the test suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/policy-extract
DB ?= warehouse/policy.duckdb
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test stress bench lint system seed seed-borderless clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

system:
	@bash scripts/setup_system.sh

run: system $(VENV)/.installed
	$(CLI) ingest raw --db $(DB)
	$(CLI) status --db $(DB)

test: system $(VENV)/.installed
	$(PY) -m pytest -m "not stress" --timeout=900 -p no:cacheprovider

stress: system $(VENV)/.installed
	POLICY_STRESS=1 $(PY) -m pytest -m "stress" --timeout=7200 -p no:cacheprovider

bench: system $(VENV)/.installed
	$(PY) scripts/bench.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check schemas extractors warehouse flows tests scripts
	$(VENV)/bin/mypy

seed: $(VENV)/.installed
	$(PY) scripts/render_seed.py

seed-borderless: $(VENV)/.installed
	$(PY) scripts/render_seed.py --table-rules none --out build/seed_borderless/seed_cas_bulletin_2022_borderless.pdf

clean:
	rm -rf $(VENV) build warehouse/*.duckdb raw/store .pytest_cache .mypy_cache .ruff_cache
