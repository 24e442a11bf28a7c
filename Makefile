# Everyday commands. `make run` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock requirements-dev.lock | cksum | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format migrations-check bench bench-mail bench-import clean help

help:
	@echo "make run    - set up (venv, install, migrate, demo content) and serve on http://$(HOST):$(PORT)"
	@echo "make test   - set up and run the whole test suite (SQLite unless DATABASE_URL is set)"
	@echo "make lint   - ruff (lint + format check) and django-upgrade"
	@echo "make bench  - the benchmark on PostgreSQL + Redis (see README)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "Python 3.10 or newer is needed (found: $$($(PYTHON) --version 2>&1))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); \
		echo "Could not create a virtual environment: '$(PYTHON) -m venv' is unavailable."; \
		echo "On Debian/Ubuntu: sudo apt-get install python3-venv   (then run make again)"; exit 1; }

$(STAMP): requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

# PORT goes to Django too: SITE_URL's default (the links it prints and mails) follows it.
run: install
	@mkdir -p var
	$(MANAGE) migrate --noinput
	PORT=$(PORT) $(MANAGE) seed_demo
	PORT=$(PORT) $(MANAGE) ensure_dev_editor
	PORT=$(PORT) $(MANAGE) runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	git ls-files -z '*.py' | xargs -0 $(BIN)/django-upgrade --target-version 5.2 >/dev/null

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-mail: install
	$(BIN)/python bench/mail.py $(BENCH_ARGS)

bench-import: install
	$(BIN)/python bench/imports.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
