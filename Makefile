# Spotting Stalking: `make run` serves the app, `make test` runs the whole suite.
# Each install step is a file target, so re-running skips what has not changed.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
TEST_WORKERS ?= 2
SETTINGS ?= config.settings.local
MANAGE := DJANGO_SETTINGS_MODULE=$(SETTINGS) $(BIN)/python manage.py
NHSUK := node_modules/nhsuk-frontend/dist/nhsuk

.PHONY: install assets run test bench lint check-migrations clean

install: $(VENV)/.installed node_modules/.installed assets

$(VENV)/.installed: requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The NHS.UK styles compiled with our additions, and the NHS.UK script and images, from npm.
assets: static_build/css/main.css static_build/nhsuk/.copied

static_build/css/main.css: assets/scss/main.scss node_modules/.installed
	mkdir -p static_build/css
	npx --no-install sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules $< $@

static_build/nhsuk/.copied: node_modules/.installed
	mkdir -p static_build/nhsuk
	cp -R $(NHSUK)/assets/images $(NHSUK)/nhsuk-frontend.min.js $(NHSUK)/nhsuk-frontend.min.js.map static_build/nhsuk/
	touch $@

run: install
	mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) load_training
	$(MANAGE) load_referrals --examples
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Benchmark at national scale against PostgreSQL with the bench app (bench/, installed only by
# config.settings.bench): seeds the bench database the first time (a few minutes) and rewrites
# docs/benchmarks.md. wrk comes from Debian's packages.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/spotting_stalking_bench
BENCH := DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_SETTINGS_MODULE=config.settings.bench $(BIN)/python manage.py

bench: install
	command -v wrk >/dev/null || { SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }
	.ci/ensure-database "$(BENCH_DATABASE_URL)"
	$(BENCH) migrate --no-input -v0
	$(BENCH) collectstatic --no-input -v0
	$(BENCH) bench $(BENCH_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-migrations: $(VENV)/.installed
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules static_build staticfiles
