# Lan Tỏa — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
APT_RUN := gettext espeak-ng libreoffice-writer-nogui fonts-liberation2 tesseract-ocr tesseract-ocr-vie poppler-utils
APT_TEST := chromium postgresql redis-server fonts-noto-core fonts-dejavu-core nginx wrk systemd
LINT_PATHS := lantoa tests bench scripts

.PHONY: run setup frontend test lint test-sqlite test-postgres test-clock test-sqlite-then-clock setup-test messages compilemessages venv system-packages system-packages-test clean

## make run: set everything up, load the demo, serve on http://127.0.0.1:8000 with the task worker
## (restarted whenever it dies; at each start it retries or fails what it left running).
run: setup
	@echo
	@echo "Lan Tỏa: http://$(HOST):$(PORT)/admin/  (trang quản trị / back office)"
	@echo "Tài khoản demo / demo logins (var/demo-logins.txt):"
	@column -t -s $$'\t' var/demo-logins.txt | sed 's/^/  /'
	@echo
	@trap 'kill 0' EXIT INT TERM; \
	  ( while true; do $(PY) manage.py worker --no-reload --queue-name '*' -v 0; \
	      echo "worker stopped (exit $$?); restarting in 2 s / tiến trình nền dừng, khởi động lại" >&2; sleep 2; done ) & \
	  ( while true; do $(PY) manage.py publish_scheduled -v 0; sleep 60; done ) & \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT)

## make setup: idempotent; installs and prepares everything, serves nothing.
setup: system-packages venv compilemessages frontend
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo > /dev/null
	$(PY) manage.py schedule_reminders > /dev/null
	@echo "setup: ok"

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c requirements/constraints.txt -e '.[test]'
	@touch $@

system-packages:
	@missing=""; for p in $(APT_RUN); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then scripts/apt-install $$missing; fi

system-packages-test:
	@missing=""; for p in $(APT_RUN) $(APT_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then scripts/apt-install $$missing; fi

## the npm side (package.json, exact versions in package-lock.json): `npm ci` when the lockfile changed, then the
## field app's build (esbuild: lantoa/field/frontend → lantoa/field/static/field/dist/, git-ignored, collected as static).
frontend: lantoa/field/static/field/dist/build.json

node_modules/.package-lock.json: package-lock.json
	@command -v npm >/dev/null || scripts/apt-install nodejs npm  # the machine image ships Node.js with npm
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lantoa/field/static/field/dist/build.json: node_modules/.package-lock.json lantoa/field/frontend/build.mjs $(wildcard lantoa/field/frontend/src/*.js)
	npm run --silent build

compilemessages: venv
	@$(PY) manage.py compilemessages -v 0 --ignore '.venv' --ignore 'var' --ignore 'node_modules'


## make messages: refresh the catalogues after adding strings (then translate the new entries).
messages: venv
	$(PY) scripts/makemessages.py

## make test: the lint checks, then the whole suite on SQLite and on a throwaway PostgreSQL cluster side by side (one
## core each: each pytest is single-threaded; each run's output is printed whole when it ends). The clock sweep runs
## in the SQLite lane right after the SQLite suite, while the longer PostgreSQL lane is still running.
test: setup-test lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite-then-clock test-postgres

# The SQLite lane: the suite, then the clock sweep (also when the suite failed, so one run reports both).
test-sqlite-then-clock:
	@status=0; $(MAKE) --no-print-directory test-sqlite || status=1; $(MAKE) --no-print-directory test-clock || status=1; \
	exit $$status

## make lint: ruff's rules and formatting, and the layering contracts of import-linter (all in pyproject.toml).
## Each check runs and prints what it finds even when an earlier one failed.
lint: venv
	@status=0; \
	echo "== ruff check =="; $(VENV)/bin/ruff check $(LINT_PATHS) || status=1; \
	echo "== ruff format --check =="; $(VENV)/bin/ruff format --check $(LINT_PATHS) || status=1; \
	echo "== lint-imports =="; $(VENV)/bin/lint-imports --no-logo --no-cache || status=1; \
	if [ $$status -ne 0 ]; then echo "lint: FAILED (see above; 'ruff format $(LINT_PATHS)' rewrites the formatting)"; fi; \
	exit $$status

setup-test: system-packages-test venv compilemessages frontend
	@command -v npm >/dev/null || scripts/apt-install nodejs npm  # the machine image ships Node.js with npm
	deploy/column-setup-test.sh

# Each side runs what the other does not need to repeat: the page walks (marker walk) on SQLite, the browser tests
# (marker browser: Playwright against a live server) on PostgreSQL, the production database; everything else on both.
test-sqlite:
	@echo "== tests on SQLite =="
	env -u DATABASE_URL LANTOA_VAR_DIR=$$(mktemp -d) $(PY) -m pytest -p no:cacheprovider -m "not browser" $(PYTEST_ARGS)

# The suite runs on a fixed clock (tests/conftest.py): SQLite at the default Wednesday 09:00, PostgreSQL at 00:14
# the same night (Vietnam time), when "today" in Vietnam is still yesterday in UTC and the radio is in quiet hours.
NIGHT_CLOCK ?= 2026-11-18T00:14:00+07:00
test-postgres:
	@echo "== tests on PostgreSQL (clock $(NIGHT_CLOCK)) =="
	scripts/with-postgres $(PY) -m pytest -p no:cacheprovider --clock=$(NIGHT_CLOCK) -m "not walk" $(PYTEST_ARGS)

## make test-clock: the tests that read the clock, at the half-year's last minute, where the sweep found most faults
## (scripts/clock-sweep with no argument runs every awkward moment; run it after touching dates, periods, schedules).
test-clock:
	@echo "== clock sweep =="
	scripts/clock-sweep 2026-06-30T23:59:00+07:00

clean:
	rm -rf $(VENV) var/static node_modules lantoa/field/static/field/dist
