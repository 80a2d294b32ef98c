# Overgang: `make run` serves the demo, `make test` runs every check.
# DATABASE_URL picks the database (default: SQLite under var/); PORT the port (default 8000).

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: install browser-deps run dev worker test lint typecheck pytest bench bench-smoke messages clean

install: $(STAMP)

$(PY):
	@python="$$(scripts/find-python)" && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)

$(STAMP): requirements.lock pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# axe-core, which the browser tests inject into pages to check their accessibility, at the
# version tests/browser/package-lock.json pins. Without npm the accessibility test skips,
# except on CI, where it fails (.ci/run installs npm).
AXE := tests/browser/node_modules/axe-core/axe.min.js

browser-deps: $(AXE)

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix tests/browser --no-audit --no-fund && touch $@; \
	else \
		echo "NOTE: npm not found: the accessibility test is skipped (apt-get install npm)."; \
	fi

# gunicorn and the worker together, as in production (docs/operations.md); the last line
# is what tests/serving starts, so it stays the one that serves.
run: install
	@mkdir -p var
	$(BIN)/overgang migrate --no-input
	$(BIN)/overgang demo --if-empty
	@$(BIN)/overgang demo --logins --port $(PORT)
	$(BIN)/overgang serve --with-worker --port $(PORT)

# For developers: Django's server, restarting when the code changes, plain logs; a worker.
dev: install
	@mkdir -p var
	$(BIN)/overgang migrate --no-input
	$(BIN)/overgang demo --if-empty
	@$(BIN)/overgang demo --logins --port $(PORT)
	$(BIN)/overgang serve --dev --with-worker --port $(PORT)

worker: install
	$(BIN)/overgang worker

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy .

pytest: install
	$(BIN)/pytest

test: lint typecheck browser-deps
	$(BIN)/overgang check --fail-level WARNING
	$(BIN)/overgang makemigrations --check --dry-run
	@[ -x /usr/bin/chromium ] || echo "NOTE: /usr/bin/chromium not found: the browser tests are skipped (apt-get install chromium)."
	$(BIN)/pytest
	$(PY) -m bench.smoke

bench: install
	$(PY) -m bench.rules
	$(PY) -m bench.search
	$(PY) -m bench.aids
	$(PY) -m bench.stays
	$(PY) -m bench.messages
	$(PY) -m bench.indicators
	$(PY) -m bench.load --check

# Every benchmark at a tiny scale into a temporary folder: that they still run (make test).
bench-smoke: install
	$(PY) -m bench.smoke

messages: install
	$(BIN)/overgang makemessages --no-obsolete -l nb -l da -l en --ignore '.venv/*' --ignore 'var/*'
	$(BIN)/overgang compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var/*.sqlite3 .mypy_cache .pytest_cache .ruff_cache tests/browser/node_modules
