# Omnitill: `make demo` sets everything up and starts the product;
# `make test` runs the whole test suite. Both create .venv when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench serve clean browser emupos

# emupos, the printer simulator the receipt tests print to (an ESC/POS decoder
# nobody here wrote), needs Python 3.13: its own venv beside .venv.
EMUPOS_VENV := .venv-emupos
PYTHON313 ?= $(shell for p in python3.13 $$(pyenv root 2>/dev/null)/versions/3.13*/bin/python3.13; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null && { echo "$$p"; break; }; done)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# make demo PORT=8090: the core on another port (also OMNITILL_PORT).
demo: $(STAMP)
	$(BIN)/omnitill demo $(if $(PORT),--port $(PORT))

# Headless Chromium for the kiosk-in-a-browser test (Debian's package; needs root).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  >/dev/null 2>&1 || echo "chromium not installed: the browser test will be skipped"; }

$(EMUPOS_VENV)/.installed:
	@if [ -n "$(PYTHON313)" ]; then \
	  $(PYTHON313) -m venv $(EMUPOS_VENV) \
	  && $(EMUPOS_VENV)/bin/python -m pip install --quiet 'emupos>=0.4,<0.5' && touch $@; \
	else echo "python3.13 not found: the emupos receipt tests will be skipped"; fi

emupos: $(EMUPOS_VENV)/.installed

test: $(STAMP) browser emupos
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest -n 2 --dist loadgroup --cov --cov-report=term:skip-covered

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

serve: $(STAMP)
	$(BIN)/omnitill serve

clean:
	rm -rf $(VENV) $(EMUPOS_VENV) var .pytest_cache
