# Omnitill: `make demo` sets everything up and starts the product;
# `make test` runs the whole test suite. Both create .venv when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench serve clean browser emupos messages

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
	$(BIN)/pytest -n 2 --dist load --cov --cov-report=term:skip-covered

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

# Translations (shared/i18n.py): extract every message of each domain from the
# code (shared/locale/<domain>.cfg says where) and update each language's
# catalog: new messages come in untranslated, removed ones go.
I18N_DOMAINS := kiosk till display documents
I18N_LANGUAGES := it en es
I18N_KEYWORDS := -k t -k tp:1c,2 -k N_

messages: $(STAMP)
	@mkdir -p var/locale
	@for domain in $(I18N_DOMAINS); do \
	  $(BIN)/pybabel -q extract -F shared/locale/$$domain.cfg $(I18N_KEYWORDS) --no-location \
	    --sort-output --project=omnitill -o var/locale/$$domain.pot . || exit 1; \
	  for lang in $(I18N_LANGUAGES); do \
	    if [ -f shared/locale/$$lang/LC_MESSAGES/$$domain.po ]; then \
	      $(BIN)/pybabel -q update -D $$domain -i var/locale/$$domain.pot -d shared/locale \
	        -l $$lang --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date || exit 1; \
	    else \
	      $(BIN)/pybabel -q init -D $$domain -i var/locale/$$domain.pot -d shared/locale \
	        -l $$lang || exit 1; \
	    fi; \
	  done; \
	done
