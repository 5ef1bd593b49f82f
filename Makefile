# ANICE: `make run` (install, migrate, keys, demo data, serve) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export ANICE_DATA_DIR ?= $(CURDIR)/instance
FLASK := $(BIN)/flask --app wsgi
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install system-deps test-deps run serve test lint clean security stack stack-down

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
	$(BIN)/pytest -n 2 --dist loadgroup -p no:cacheprovider

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
