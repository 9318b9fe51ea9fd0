# Two commands do everything on a fresh machine: `make serve` and `make test`.
# Nothing is assumed beyond python3: uv is installed into .tools/, the project into .venv/
# from the lock file.

PYTHON ?= python3
# The project's interpreter: Debian's python3 when the machine has it (built with PGO/LTO, it
# serves 20-40 % more requests than a plain source build), else PYTHON.
VENV_PYTHON ?= $(shell test -x /usr/bin/python3 && /usr/bin/python3 -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null && echo /usr/bin/python3 || echo $(PYTHON))
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
# Bytecode compiled once at install: where PYTHONDONTWRITEBYTECODE is set (these machines set
# it), every process would otherwise compile every module it imports, about 3 s per start.
export UV_COMPILE_BYTECODE := 1

.PHONY: install serve test lint fmt unit bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python $(VENV_PYTHON)
	touch $@

install: $(VENV)/.synced

# Serving needs the runtime only; --inexact keeps the test tools if `make test` installed them.
$(VENV)/.runtime: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --no-dev --inexact --python $(VENV_PYTHON)
	touch $@

# HOST and PORT choose where to listen: make serve HOST=0.0.0.0 PORT=8080
serve: $(VENV)/.runtime
	$(BIN)/todo-api db upgrade
	$(BIN)/todo-api serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

# The project's own modules too: the suite starts dozens of server, worker and CLI processes.
test: lint
	$(BIN)/python -m compileall -q -j 0 src
	$(BIN)/pytest

unit: install
	$(BIN)/pytest tests/unit

# The load, scaling, worker and reminder benchmarks (bench/README.md): about 17 minutes, loopback only.
bench: install
	command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk)
	$(UV) sync --frozen --inexact --group bench --python $(VENV_PYTHON)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scaling.py
	$(BIN)/python bench/worker.py
	$(BIN)/python bench/reminders.py

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .ruff_cache .pytest_cache
