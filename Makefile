# Xuncha — two commands: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the suite needs: browser tests, PDF rendering (CJK fonts, fast subsetting),
# PDF-to-PNG checks and gettext for translations.
DEB_PACKAGES := chromium fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 \
	poppler-utils gettext

# First Python >= 3.12 found on PATH or under pyenv.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 \
	$$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	  2>/dev/null && { command -v $$p; break; }; done)

.PHONY: demo test venv deb lint format bench messages clean

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Xuncha needs Python 3.12 or newer (Django 6.1); none was found on PATH or under ~/.pyenv." >&2; \
	  echo "Install one (e.g. 'pyenv install 3.13') or run: make PYTHON=/path/to/python3.12 ..." >&2; \
	  exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

deb:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# The demo runs as production does — DEBUG off: the site's own 403/404/500 pages, static files
# served by WhiteNoise from the manifest collectstatic builds — on plain HTTP on this machine,
# with a secret key made for this run (unless SECRET_KEY is set).
DEMO_ENV := DEBUG=false SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false \
	CSRF_COOKIE_SECURE=false STATIC_MANIFEST=true

demo: venv
	@export $(DEMO_ENV) ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(HOST),localhost,127.0.0.1}" \
	  SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	  && $(PY) manage.py migrate --noinput \
	  && $(PY) manage.py collectstatic --noinput --verbosity 0 \
	  && $(PY) manage.py seed_demo --url http://$(HOST):$(PORT)/ \
	  && exec $(PY) manage.py runserver --noreload $(HOST):$(PORT)

# With DATABASE_URL / REDIS_URL set (CI), the suite runs against that PostgreSQL and Redis;
# unset, against the embedded PostgreSQL in .pgdata/ (started and stopped by the test run).
test: venv deb
	SECRET_KEY=test-only-secret-key SECURE_SSL_REDIRECT=false \
	  $(PY) -m pytest $(PYTEST_ARGS)

# The key pages at the size of a real tenant (5,020 units), served by gunicorn as in production,
# driven from this process on loopback; fails when a page misses p95 ≤ 150 ms or 0.4× the
# throughput of a trivial signed-in page. Bench database: BENCH_DATABASE_URL, else xuncha_bench
# on DATABASE_URL's server or on the embedded PostgreSQL. Table on stdout, JSON in artifacts/.
bench: venv
	$(PY) -W ignore bench/run.py $(BENCH_ARGS)

# mypy loads the settings; no database is contacted (any PostgreSQL URL keeps the embedded one off).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true DATABASE_URL=postgres://lint@127.0.0.1/lint $(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: venv
	DEBUG=true $(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=static
	DEBUG=true $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles artifacts
