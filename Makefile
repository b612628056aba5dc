# Linli: `make run` sets up and serves the demo; `make test` runs every test on SQLite and PostgreSQL.
VENV   ?= .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app portal
PYTEST := $(PY) -m pytest
RUFF   := $(VENV)/bin/ruff

.PHONY: run test lint setup secret translations db seed test-sqlite test-postgres system-deps clean bench

run: setup db seed
	$(FLASK) run --host 127.0.0.1 --port 5000

SECRET := instance/secret_key

# Fingerprinted, gzip and brotli copies of every static file and the manifest naming them (portal/static_files.py),
# made again when a source file changes. The sources are the files without a -<md5> name or .gz/.br ending.
STATIC_MANIFEST := static/cache_manifest.json
STATIC_SOURCES := $(shell find static/css static/js -regextype posix-extended -type f \
	-not -name '*.gz' -not -name '*.br' -not -regex '.*-[0-9a-f]{32}\.[^/.]+')

setup: $(VENV)/.installed $(SECRET) static/vendor/htmx.min.js translations $(STATIC_MANIFEST)

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

$(STATIC_MANIFEST): $(STATIC_SOURCES) static/vendor/htmx.min.js | $(VENV)/.installed $(SECRET)
	$(FLASK) digest clean >/dev/null
	$(FLASK) digest compile >/dev/null

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
# like and how it behaves in Chromium) run once: on SQLite, except those also marked `browser_on_postgresql`,
# which run in the PostgreSQL run so that both runs end at about the same time; everything else that reaches
# the test database, races over the live server included, runs on both (tests/support/app.py leaves the rest,
# such as the catalogue checks, out of the PostgreSQL run).
test: setup system-deps lint
	@echo "Running the whole suite on SQLite and on PostgreSQL side by side; each run prints when it ends."
	$(MAKE) --no-print-directory -j2 -O test-sqlite test-postgres

# Lint and format check (settings in pyproject.toml); `$(RUFF) format portal tests` applies the format.
lint: setup
	$(RUFF) check portal tests bench
	$(RUFF) format --check portal tests bench

test-sqlite:
	LINLI_TEST_DATABASE=sqlite $(PYTEST) -m "not browser_on_postgresql"

test-postgres:
	LINLI_TEST_DATABASE=postgresql $(PYTEST) -m "not browser or browser_on_postgresql"

# The benchmark (bench/run.py): seeds bench/data/city.sqlite3 at city size the first time, serves it with
# gunicorn, measures every main page, a booking POST and a mix with wrk, writes bench/results/.
bench: setup system-deps
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	find static -regextype posix-extended -type f \( -name '*.gz' -o -name '*.br' -o -regex '.*-[0-9a-f]{32}\.[^/.]+' \) -delete
	rm -rf $(VENV) node_modules static/vendor $(STATIC_MANIFEST) translations/*/LC_MESSAGES/*.mo
