# Linli: `make run` sets up and serves the demo; `make test` runs every test on SQLite and PostgreSQL.
VENV   ?= .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app portal
PYTEST := $(PY) -m pytest
RUFF   := $(VENV)/bin/ruff

.PHONY: run test lint setup secret translations db seed test-sqlite test-postgres system-deps clean

run: setup db seed
	$(FLASK) run --host 127.0.0.1 --port 5000

SECRET := instance/secret_key

setup: $(VENV)/.installed $(SECRET) static/vendor/htmx.min.js translations

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

static/vendor/htmx.min.js: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

# The app refuses to start without a key, and none is in the source: this install gets its own, once.
secret: $(SECRET)

$(SECRET): | $(VENV)/.installed
	$(PY) -m portal.secret_key

translations: $(VENV)/.installed $(SECRET)
	$(FLASK) translate compile

db: $(VENV)/.installed $(SECRET)
	$(FLASK) db upgrade

seed: $(VENV)/.installed $(SECRET)
	$(FLASK) seed-demo

system-deps:
	@scripts/system-deps.sh

# The two runs are independent (own database, own live server, own browser), so they run side by side
# on two cores; -O keeps each run's output together. Browser tests (marked `browser`: what a page looks
# like and how it behaves in Chromium) run once, on SQLite; everything else, races over the live server
# included, runs on both databases.
test: setup system-deps lint
	@echo "Running the whole suite on SQLite and on PostgreSQL side by side; each run prints when it ends."
	$(MAKE) --no-print-directory -j2 -O test-sqlite test-postgres

# Lint and format check (settings in pyproject.toml); `$(RUFF) format portal tests` applies the format.
lint: setup
	$(RUFF) check portal tests bench
	$(RUFF) format --check portal tests bench

test-sqlite:
	LINLI_TEST_DATABASE=sqlite $(PYTEST)

test-postgres:
	LINLI_TEST_DATABASE=postgresql $(PYTEST) -m "not browser"

clean:
	rm -rf $(VENV) node_modules static/vendor translations/*/LC_MESSAGES/*.mo
