# Two commands set up a fresh machine (Debian, Python 3.11):
#   make reports   - create .venv, install pinned dependencies, produce the example reports
#   make test      - create .venv, install pinned dependencies, run the test suite
#   make lint      - ruff and mypy (pinned in requirements.lock, config in pyproject.toml)
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: setup reports test lint check lab bench lock clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (set PYTHON=/path/to/python3.11)" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet -r requirements.lock
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

reports: setup
	$(BIN)/evaluation batch

test: setup
	$(BIN)/python -m pytest

# Static checks: ruff (style, imports, likely bugs) and mypy (types; packages and options in pyproject.toml).
lint: setup
	$(BIN)/ruff check evaluation tests benchmarks
	$(BIN)/mypy

check: setup
	$(BIN)/evaluation check nis60 nba hso sam

# JupyterLab with the project's own Python (kernel "Python 3" is the .venv), on scratch copies of the
# notebooks in .lab/ so that exploring never changes notebooks/; works as root (adds --allow-root).
lab: setup
	JUPYTER=$(BIN)/jupyter bash scripts/lab.sh

bench: setup
	$(BIN)/python benchmarks/bench_did.py
	$(BIN)/python benchmarks/bench_batch.py

# Regenerate requirements.lock from pyproject.toml (needs network access to PyPI).
lock:
	rm -rf .lockvenv
	$(PYTHON) -m venv .lockvenv
	.lockvenv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench,lint]'
	( echo "# Exact versions of every package the tested install uses (pip install -r requirements.lock)."; \
	  echo "# Regenerate: make lock (installs pyproject.toml dependencies with extras test,bench,lint into a fresh venv and freezes it)."; \
	  .lockvenv/bin/python -m pip freeze --all --exclude-editable | grep -v -E '^(pip|evaluation)==' ) > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) reports .pytest_cache .mypy_cache .ruff_cache
