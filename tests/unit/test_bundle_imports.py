"""The bundle ships the Alembic migrations as data: whatever they import must be named in
build.spec's hidden imports, or the frozen app cannot create its store."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = [
    *sorted((ROOT / "spie_desktop/store/migrations").rglob("*.py")),
    *sorted((ROOT / "sync/server/migrations").rglob("*.py")),
]
PROJECT = ("spie_desktop", "sync", "ui")


def _project_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] in PROJECT}


def test_every_module_the_migrations_import_is_a_hidden_import() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    imported = set().union(*(_project_imports(path) for path in MIGRATIONS))
    assert "spie_desktop.store.synced_schema" in imported  # the control: the walk sees them
    missing = sorted(name for name in imported if f'"{name}"' not in spec)
    assert not missing, f"build.spec hiddenimports lacks {missing}"
