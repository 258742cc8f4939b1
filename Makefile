# Alpha Sierra — the two entry points are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv is taken from the machine when present, otherwise installed into .tools/.
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PYTHON := $(UV) run --frozen python
MANAGE := $(PYTHON) manage.py
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000
# Each check and each test run says how long it took (CI's budget, .ci/run).
export TIMEFORMAT := [%0R s]

.PHONY: help install run test pytest smoke bench lint format translations chromium nginx wrk backup restore clean

help:
	@echo "make run    install, migrate, load demo data, serve the portal and its worker on http://$(HOST):$(PORT)"
	@echo "make test   install, then run lint and the whole test suite (browser tests included)"
	@echo "make lint   ruff (lint, format check), mypy, import-linter, and no model change without its migration"
	@echo "make pytest the test suite alone; make smoke the production smoke and scale-out tests (PostgreSQL, Redis)"
	@echo "make bench  the portal under load against the framework's floor (PostgreSQL, Redis; bench/README.md)"
	@echo "make backup a backup of the database and the uploaded images in a new folder of BACKUP_DIR (PostgreSQL)"
	@echo "make restore BACKUP=<folder>  restore it into the empty database of DATABASE_URL and an empty MEDIA_ROOT"

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

install: $(UV)
	# Compiled once here, the libraries' bytecode spares each process (the test
	# workers, the commands the tests start) compiling them again.
	$(UV) sync --frozen --compile-bytecode
	$(UV) run --frozen pybabel compile -d alphasierra/locale -D django

translations: $(UV)
	cd alphasierra && ../$(MANAGE) makemessages -l en --no-location --no-obsolete

chromium:
	@command -v $(CHROMIUM) >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# The reverse proxy of the production smoke test (deploy/nginx; Debian's
# package). Only its binary is used: the test runs its own instance.
nginx:
	@command -v /usr/sbin/nginx >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nginx-light; }

# The HTTP load generator of the benchmark (Debian's package).
wrk:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }

run: export DEBUG ?= 1
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) demo_data
	@echo "Portal on http://$(HOST):$(PORT)/ — e-mails in http://$(HOST):$(PORT)/_dev/outbox/"
	@trap 'kill 0' EXIT INT TERM; \
		$(MANAGE) db_worker & \
		$(MANAGE) periodic --loop & \
		$(MANAGE) runserver $(HOST):$(PORT)

lint: install
	time $(UV) run --frozen ruff check .
	time $(UV) run --frozen ruff format --check .
	# mypy's Django plugin imports the settings to learn their types: a local portal's will do.
	time DEBUG=1 $(UV) run --frozen mypy .
	# The layers of DESIGN.md « Architecture » (pyproject.toml, [tool.importlinter]).
	time $(UV) run --frozen lint-imports
	# No model change without its migration.
	time DEBUG=1 $(MANAGE) makemigrations --check --dry-run

test: install chromium lint
	time $(UV) run --frozen pytest -n auto $(PYTEST_ARGS)

# The test suite alone (CI's second database run; lint has run once already).
# PYTEST_ARGS adds options (CI's PostgreSQL run: -m "not sweep", see .ci/run).
pytest: install chromium
	time $(UV) run --frozen pytest -n auto $(PYTEST_ARGS)

# The production smoke test, the scale-out test and the metrics of several
# gunicorn workers (README, "Production"): needs DATABASE_URL (PostgreSQL) and REDIS_URL.
smoke: install chromium nginx
	time PRODUCTION_SMOKE=1 $(UV) run --frozen pytest alphasierra/tests/test_production.py alphasierra/tests/test_scale_out.py \
		alphasierra/operations/tests/test_metrics_multiprocess.py

# The benchmark (bench/README.md): its own PostgreSQL database (bench_alphasierra,
# dropped and created again) and Redis database (14). BENCH_AGENTS=1000 for a quick run.
bench: install wrk
	time $(PYTHON) -m bench.run

# README, « Backup and restore ». Both read the portal's settings from the
# environment (DATABASE_URL, MEDIA_ROOT, BACKUP_DIR, BACKUP_KEEP_DAYS).
backup: $(UV)
	$(MANAGE) backup

restore: $(UV)
	@[ -n "$(BACKUP)" ] || { echo "Name the backup folder: make restore BACKUP=var/backups/alphasierra-<time>"; exit 2; }
	$(MANAGE) restore "$(BACKUP)"

format: install
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

clean:
	rm -rf .venv .tools var .mypy_cache .ruff_cache .pytest_cache
