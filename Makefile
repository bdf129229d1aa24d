# SPIE Desktop — developer entry points. Every target creates .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= $(CURDIR)/.demo

.PHONY: demo test lint typecheck unit bench screenshots translations dist dist-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# A local departmental server on SQLite with demo data, and the desktop app logged in to it.
demo: $(STAMP)
	$(BIN)/python -m ui.app --demo --data-dir "$(DATA_DIR)"

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n 2 --dist loadgroup

test: lint typecheck unit

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
