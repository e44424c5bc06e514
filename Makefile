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

.PHONY: install assets run test lint check-migrations clean

install: $(VENV)/.installed node_modules/.installed assets

$(VENV)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
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

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-migrations: $(VENV)/.installed
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules static_build staticfiles
