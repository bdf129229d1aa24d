"""A desktop installed without the ``server`` and ``demo`` extras still starts, and a server
installed without the ``desktop`` extra (no Qt, no document compiler) serves.

Each check runs in a fresh interpreter where the extras' libraries cannot be imported (as on
``pip install spie-desktop`` alone); what needs a missing extra says so in French.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The libraries of the `server` and `demo` extras (pyproject.toml).
EXTRA_LIBRARIES = ("faker", "fastapi", "starlette", "uvicorn", "psycopg", "pydantic_settings")

BLOCKER = textwrap.dedent(
    f"""
    import importlib.abc, sys
    BLOCKED = {EXTRA_LIBRARIES!r}

    class _NotInstalled(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None

    sys.meta_path.insert(0, _NotInstalled())
    for loaded in [m for m in sys.modules if m.split(".")[0] in BLOCKED]:
        del sys.modules[loaded]
    """
)


# The libraries of the `desktop` extra, absent from a server install (requirements/server.lock).
DESKTOP_LIBRARIES = ("PySide6", "shiboken6", "typst")


def run_without_extras(
    code: str, tmp_path: Path, blocked: tuple[str, ...] = EXTRA_LIBRARIES
) -> dict[str, object]:
    """Run ``code`` (which prints one JSON document last) without the extras' libraries."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    blocker = BLOCKER.replace(repr(EXTRA_LIBRARIES), repr(blocked))
    result = subprocess.run(
        [sys.executable, "-c", blocker + textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_every_desktop_module_imports_without_extras(tmp_path: Path) -> None:
    """The app, its store and the sync client import nothing from the extras; every other
    module either imports or says which extra it needs (never a bare missing module)."""
    report = run_without_extras(
        """
        import importlib, json, pkgutil
        from spie_desktop.errors import MissingExtraError
        SKIP = ("spie_desktop.store.migrations", "sync.server.migrations")
        imported, needs_extra, failed = [], {}, {}
        for package in ("spie_desktop", "sync", "ui"):
            module = importlib.import_module(package)
            for info in pkgutil.walk_packages(module.__path__, package + ".", onerror=print):
                if info.name.startswith(SKIP) or info.name.endswith("__main__"):
                    continue
                try:
                    importlib.import_module(info.name)
                    imported.append(info.name)
                except MissingExtraError as error:
                    needs_extra[info.name] = error.extra
                except Exception as exc:
                    failed[info.name] = repr(exc)
        print(json.dumps({"imported": imported, "needs_extra": needs_extra, "failed": failed}))
        """,
        tmp_path,
    )
    assert report["failed"] == {}
    imported = report["imported"]
    assert isinstance(imported, list)
    assert {"ui.app", "ui.main_window", "sync.client", "spie_desktop.config"} <= set(imported)
    needs_extra = report["needs_extra"]
    assert isinstance(needs_extra, dict)
    assert needs_extra.get("spie_desktop.demo") == "demo"
    assert needs_extra.get("sync.server") == "server"  # the package: its modules too
    assert not [name for name in imported if name.startswith("sync.server.")]


def test_missing_extras_say_so_in_french(tmp_path: Path) -> None:
    report = run_without_extras(
        """
        import json
        from spie_desktop.errors import MissingExtraError
        out = {}
        for module in ("spie_desktop.demo", "sync.server.app", "spie_desktop.entry.server"):
            try:
                __import__(module)
                out[module] = None
            except MissingExtraError as error:
                is_import_error = isinstance(error, ImportError)
                out[module] = [error.code, error.extra, error.message, is_import_error]
        import spie_desktop.entry.app
        out["server_available"] = spie_desktop.entry.app.server_available()
        print(json.dumps(out))
        """,
        tmp_path,
    )
    code, extra, message, is_import_error = report["spie_desktop.demo"]  # type: ignore[misc]
    assert (code, extra, is_import_error) == ("missing_extra", "demo", True)
    assert "démonstration" in message and "spie-desktop[demo]" in message
    for module in ("sync.server.app", "spie_desktop.entry.server"):
        code, extra, message, _ = report[module]  # type: ignore[misc]
        assert (code, extra) == ("missing_extra", "server")
        assert "serveur départemental" in message and "spie-desktop[server]" in message
    assert report["server_available"] is False


def test_desktop_window_starts_without_extras(tmp_path: Path) -> None:
    """The main window is built and shown on an empty data folder, extras absent."""
    report = run_without_extras(
        f"""
        import json
        from pathlib import Path
        from PySide6.QtWidgets import QApplication
        from spie_desktop.store.file_keyring import FileKeyring
        from ui.app import build_app
        app = QApplication([])
        data = Path({str(tmp_path / "data")!r})
        data.mkdir()
        parts = build_app(data, keyring_backend=FileKeyring(data / "keyring.json"))
        parts.window.show()
        app.processEvents()
        shown = parts.window.isVisible()
        parts.shutdown()
        print(json.dumps({{"shown": shown}}))
        """,
        tmp_path,
    )
    assert report == {"shown": True}


def test_server_install_serves_without_the_desktop_extra(tmp_path: Path) -> None:
    """As installed from requirements/server.lock: every server module imports, the server
    answers over HTTP, and what needs the desktop says which extra in French."""
    report = run_without_extras(
        f"""
        import importlib, json, pkgutil
        from pathlib import Path
        from spie_desktop.errors import MissingExtraError
        import sync.server
        failed, needs_extra = {{}}, {{}}
        for info in pkgutil.walk_packages(sync.server.__path__, "sync.server."):
            if info.name.startswith("sync.server.migrations"):
                continue
            try:
                importlib.import_module(info.name)
            except MissingExtraError as error:
                needs_extra[info.name] = error.extra
            except Exception as exc:
                failed[info.name] = repr(exc)
        import spie_desktop.entry.server
        from fastapi.testclient import TestClient
        from sync.server.app import create_app
        from sync.server.settings import ServerSettings
        db = Path({str(tmp_path / "server.db")!r})
        settings = ServerSettings(database_url=f"sqlite:///{{db}}")
        with TestClient(create_app(settings)) as client:
            health = client.get("/health").status_code
        out = {{"failed": failed, "needs_extra": needs_extra, "health": health}}
        from spie_desktop.documents.pdf import render_pdf
        try:
            render_pdf("contract", {{}})
        except MissingExtraError as error:
            out["pdf"] = [error.extra, error.message]
        from spie_desktop.entry.desktop import main
        out["app_exit"] = main([])
        print(json.dumps(out))
        """,
        tmp_path,
        blocked=(*DESKTOP_LIBRARIES, "faker"),
    )
    assert report["failed"] == {}
    assert report["needs_extra"] == {"sync.server.demo": "demo"}  # faker: demo only
    assert report["health"] == 200
    pdf = report["pdf"]
    assert isinstance(pdf, list)
    assert pdf[0] == "desktop" and "spie-desktop[desktop]" in pdf[1]
    assert report["app_exit"] == 2
