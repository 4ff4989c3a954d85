# The two commands of the README: `make run` and `make test`. Everything else is a helper of theirs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test lint check pytest browsers messages clean

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo ""
	@echo "  Open http://$(HOST):$(PORT)/admin/ and log in with one of the demo logins above."
	@echo "  Web and task worker run together (Procfile); Ctrl+C stops both."
	@echo ""
	HOST=$(HOST) TASKS_BACKEND=django_tasks_db.DatabaseBackend PATH="$(CURDIR)/$(VENV)/bin:$$PATH" \
		$(VENV)/bin/honcho start --port $(PORT)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

test: $(VENV)/.installed-dev browsers lint check pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

check: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=qms.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=qms.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest: $(VENV)/.installed-dev
	scripts/pytest.sh

# Chromium for the browser tests and poppler-utils for the PDF checks, from Debian.
browsers:
	scripts/ensure-browser.sh

# Refresh the Vietnamese translations after changing user-facing strings, then translate
# the new entries in locale/vi/LC_MESSAGES/django.po and run this again to compile.
messages: $(VENV)/.installed-dev
	$(PY) manage.py makemessages -l vi --ignore=.venv --ignore=tests --ignore=benchmarks --no-obsolete
	$(PY) manage.py compilemessages -l vi --ignore=.venv

clean:
	rm -rf $(VENV) .test-media
