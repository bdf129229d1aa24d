# SPIE Desktop — developer entry points. Every target creates .venv by itself, from the lock
# file (exact versions with their hashes: the same bundle on every machine). `make lock` after
# changing a dependency in pyproject.toml (README « Mettre à jour le verrou »).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements/dev.lock
SERVER_LOCK := requirements/server.lock
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --generate-hashes --python-version 3.11
DATA_DIR ?= $(CURDIR)/.demo

.PHONY: demo test lint typecheck unit soak bench screenshots translations dist dist-check lock clean

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Re-resolve the locks from pyproject.toml (newest versions its bounds allow), then reinstall.
# `make lock UPGRADE=--upgrade-package=NAME` moves one package only.
lock: $(STAMP)
	$(UV_COMPILE) $(UPGRADE) --extra dev pyproject.toml -o $(LOCK)
	$(UV_COMPILE) $(UPGRADE) --extra server pyproject.toml -o $(SERVER_LOCK)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# A local departmental server on SQLite with demo data, and the desktop app logged in to it.
demo: $(STAMP)
	$(BIN)/python -m spie_desktop --demo --data-dir "$(DATA_DIR)"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n 2 --dist loadgroup

test: lint typecheck unit

# The long randomized run of the sync's model-based test (tests/model/): fresh batches of
# random examples, shrinking on, for SOAK_MINUTES (default 60); PostgreSQL too when
# SPIE_TEST_POSTGRES_URL is set. SPIE_MBT_ENABLE=all also runs the rules gated as known bugs.
SOAK_MINUTES ?= 60
soak: $(STAMP)
	HYPOTHESIS_PROFILE=soak SPIE_MBT_SOAK_MINUTES=$(SOAK_MINUTES) QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest -q -x -s -p no:cacheprovider tests/model

bench: $(STAMP)
	$(BIN)/python bench/store.py
	$(BIN)/python bench/sync.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/ui.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py

translations: $(STAMP)
	$(BIN)/pyside6-lupdate -no-obsolete $$(find ui -name '*.py') -ts resources/i18n/spie_en.ts
	$(BIN)/pyside6-lrelease resources/i18n/spie_en.ts -qm resources/i18n/spie_en.qm

# The one-folder PyInstaller bundle (dist/spie-desktop/), then its self-test.
dist: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean build.spec
	dist/spie-desktop/spie-desktop --self-test

dist-check: dist
	tools/build_check.sh

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
