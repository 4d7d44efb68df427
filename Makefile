# Terres de Jeux — set-up, run, test. `make run` and `make test` work on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STORE := data/territoires.duckdb
STORE_INPUTS := $(wildcard data/reference/*) $(wildcard data/labels/*.csv) $(wildcard geo/build/*.py) geo/store/schema.py

.PHONY: setup run test test-fast bench bench-load lint chromium libreoffice nginx clean

setup: $(VENV)/.installed static/vendor/.installed $(STORE)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

static/vendor/.installed: $(VENV)/.installed geo/build/assets.py
	$(BIN)/python -m geo assets
	touch $@

$(STORE): $(VENV)/.installed $(STORE_INPUTS)
	$(BIN)/python -m geo fetch
	$(BIN)/python -m geo build
	$(BIN)/python -m geo seed
	touch $@

run: setup
	$(BIN)/streamlit run app.py --server.port 8501

# Debian's Chromium drives the browser tests (Playwright never downloads a browser here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# LibreOffice Impress and pdftoppm render the meeting deck to PDF/PNG in tests (skipped when absent).
libreoffice:
	@{ command -v soffice && command -v pdftoppm; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends libreoffice-impress poppler-utils; }

# Debian's nginx runs the national deployment's test (tests/deploy/test_nginx.py starts its own, without root, in
# a temporary folder; skipped when absent). A machine with systemd also starts Debian's default site on port 80.
nginx:
	@{ command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends nginx; }

test: setup chromium libreoffice nginx
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# the fast set on two processes (pytest-xdist): unit tests only, no server, no browser
test-fast: setup
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -m "not slow and not browser" -n 2

bench: setup chromium
	$(BIN)/python bench/run.py

# the load benchmark of issue 24 (1, 20, 50 sessions, direct and through nginx, storm): prints its table
bench-load: setup nginx
	$(BIN)/python bench/load.py

lint: $(VENV)/.installed
	$(BIN)/ruff check geo views tests bench deploy app.py scripts
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) static/vendor $(STORE) .pytest_cache
