# OCOP Market. `make demo` runs the demo, `make test` runs the tests; both set up what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STRIPE_PORT ?= 8420
PORT ?= 8000
export STRIPE_API_BASE ?= http://127.0.0.1:$(STRIPE_PORT)

.PHONY: demo test install messages browser lint format bench clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# Compiled with Babel (a dependency), so GNU gettext is not needed.
messages: install
	$(VENV)/bin/pybabel compile --statistics -D django -d locale

demo: install messages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --seed 42
	@mkdir -p var
	@if $(PY) -c 'import socket,sys; sys.exit(socket.socket().connect_ex(("127.0.0.1", $(STRIPE_PORT))) == 0)'; then \
		nohup $(VENV)/bin/localstripe --port $(STRIPE_PORT) > var/localstripe.log 2>&1 & \
		echo "localstripe (Stripe emulator) started on port $(STRIPE_PORT), log in var/localstripe.log"; \
	fi
	$(MANAGE) localstripe_setup --site http://127.0.0.1:$(PORT)
	@echo ""
	@echo "OCOP Market demo: http://127.0.0.1:$(PORT)/vi/  (English: /en/, shop: /vi/shop/,"
	@echo "  dashboard: /dashboard/, CMS admin: /cms-admin/, Django admin: /django-admin/)"
	@echo ""
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Debian's chromium for the browser tests, installed when missing and apt can (as root);
# otherwise those tests skip and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		[ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		echo "installing Debian's chromium for the browser tests" && \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	} || echo "chromium is not installed and cannot be installed here: browser tests will skip"

# axe-core from npm for the accessibility checks (tests/e2e/test_accessibility.py);
# without npm those checks skip and say why.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is not installed: the accessibility checks will skip"; fi

test: install messages browser node_modules/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Benchmarks print figures (not tests) and a summary: PostgreSQL, throwaway databases
# test_<name>_* (the seeded national catalogue and vanilla Oscar's are reused), bench/run.py.
# Debian's wrk for the throughput comparison, installed when missing and apt can (as root).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ocop_bench
bench: install messages
	@command -v wrk >/dev/null 2>&1 || { \
		[ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		echo "installing Debian's wrk for the throughput benchmark" && \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	} || echo "wrk is not installed and cannot be installed here: throughput is skipped"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var db.sqlite3 media static_collected node_modules
