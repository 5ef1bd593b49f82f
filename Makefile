# ANICE: `make run` (install, migrate, keys, demo data, serve) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export ANICE_DATA_DIR ?= $(CURDIR)/instance
FLASK := $(BIN)/flask --app wsgi
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install system-deps test-deps run serve test lint clean security stack stack-down \
	i18n-extract i18n-update i18n-compile

# Debian packages the app itself needs: python venv support, and the fonts of the PDF reports
# and custody reports (DejaVu Sans for Latin and Vietnamese; fonts-noto-core for Noto Sans
# Khmer, Myanmar, Lao and Thai: docs/reports.md, Scripts and fonts).
PDF_FONTS_MISSING = [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	[ -f /usr/share/fonts/truetype/noto/NotoSansKhmer-Regular.ttf ] || missing="$$missing fonts-noto-core";

system-deps:
	@missing=""; \
	$(PYTHON) -c 'import venv, ensurepip' >/dev/null 2>&1 || missing="$$missing python3-venv python3-pip"; \
	$(PDF_FONTS_MISSING) \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

install: system-deps $(VENV)/.installed
	$(BIN)/pybabel -q compile -d anice/translations

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

run: install
	$(FLASK) db upgrade
	$(FLASK) keys init
	$(FLASK) audit init-key
	$(FLASK) demo load
	$(FLASK) run --host 127.0.0.1 --port 5000

# What the tests need from Debian: PostgreSQL, Redis, Chromium, poppler-utils (pdftotext and
# pdftoppm) and the PDF fonts (installed when missing).
test-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	$(PDF_FONTS_MISSING) \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

test: install test-deps security
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 --dist loadgroup -p no:cacheprovider --durations=25

# Translations (docs/i18n.md): the catalogs' sources (.po) and the template (.pot) are in
# git; the compiled .mo files are built by `make install` (and i18n-compile), not committed.
# These targets use the .venv of `make install`.
I18N := anice/translations
PYBABEL := $(BIN)/pybabel

# Every marked string of the code and templates -> anice/translations/messages.pot.
i18n-extract:
	$(PYBABEL) -q extract -F babel.cfg -k _l -k N_ --no-location --sort-output \
	  --project ANICE --copyright-holder ANICE --msgid-bugs-address i18n@anice.invalid \
	  -o $(I18N)/messages.pot .

# The template merged into each language's catalog (new strings empty, changed ones fuzzy:
# both fail tests/i18n until translated and reviewed).
i18n-update: i18n-extract
	$(PYBABEL) -q update -i $(I18N)/messages.pot -d $(I18N) --ignore-obsolete

i18n-compile:
	$(PYBABEL) -q compile -d $(I18N)

# Static security checks: bandit (medium and high findings fail), then the dependency audit
# (skipped, not failed, when the vulnerability service cannot be reached).
security: install
	$(BIN)/bandit -c pyproject.toml -q -r anice workers scripts wsgi.py --severity-level medium
	$(BIN)/python scripts/audit_deps.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# A production-like deployment on loopback (PostgreSQL, Redis, S3, gunicorn, RQ workers and
# cron) in $ANICE_STACK_DIR (default ./.stack); `make stack ARGS=--demo` loads demo data.
stack: install test-deps
	scripts/stack up $(ARGS)

stack-down:
	scripts/stack down

# The case page and the report in Thai, Vietnamese, Khmer and Burmese (docs/i18n.md), saved to
# docs/screenshots/{case,report}-{th,vi,km,my}.png by the language journeys.
.PHONY: screenshots-i18n
screenshots-i18n: install
	ANICE_SCREENSHOTS=1 $(BIN)/pytest -p no:cacheprovider -q tests/browser/test_language_journeys.py
