"""The layering of DESIGN §2, checked on the source: the core knows neither Qt nor HTTP,
and the UI never touches SQL."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The CLI and the self-test are composition roots: they may join the core to sync/ui.
COMPOSITION_ROOTS = {"cli.py", "selftest.py", "__main__.py"}
FORBIDDEN_IN_CORE = ("PySide6", "httpx", "fastapi", "uvicorn", "starlette", "sync", "ui")
FORBIDDEN_IN_UI = ("sqlalchemy", "sqlcipher3", "sqlite3", "fastapi", "uvicorn")


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def core_files() -> list[Path]:
    return [
        path
        for path in sorted((ROOT / "spie_desktop").rglob("*.py"))
        if path.name not in COMPOSITION_ROOTS or path.parent != ROOT / "spie_desktop"
    ]


def test_core_imports_neither_qt_nor_http_nor_upper_layers() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & set(FORBIDDEN_IN_CORE))
        for path in core_files()
    }
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def sql_imports(path: Path) -> list[str]:
    """Anything the file imports from a database library, but the ``Session`` type that
    services take as their first argument (passing it on is not writing SQL)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(
                alias.name for alias in node.names if alias.name.split(".")[0] in FORBIDDEN_IN_UI
            )
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in FORBIDDEN_IN_UI:
                continue
            names = {alias.name for alias in node.names}
            if node.module != "sqlalchemy.orm" or names != {"Session"}:
                found.append(f"{node.module}: {', '.join(sorted(names))}")
    return found


def test_ui_has_no_sql() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sql_imports(path)
        for path in sorted((ROOT / "ui").rglob("*.py"))
    }
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def test_importing_the_whole_core_loads_no_qt_and_no_http() -> None:
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in core_files()
        if "migrations" not in path.parts and path.name != "__init__.py"
    ]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in {list(FORBIDDEN_IN_CORE)!r} if m in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
