"""The Linux bundle ships its largest extension modules and Qt libraries compressed
(build.spec, tools/packed_modules.py): the finder must import a packed module from memory
and make a packed library findable by its soname, as the bundle's modules and Qt's plugins
then ask for it."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import zstandard

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the bundle packs modules on Linux only"
)


def _pack(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(zstandard.ZstdCompressor(level=3).compress(source.read_bytes()))


def _run(code: str, base: Path) -> subprocess.CompletedProcess[str]:
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        sys.path.insert(0, {str(ROOT / "tools")!r})
        import packed_modules
        finder = packed_modules.install(Path({str(base)!r}))
        """
    ) + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )


def test_a_packed_extension_module_imports_from_memory(tmp_path: Path) -> None:
    spec = importlib.util.find_spec("xxlimited")  # a C extension of the standard library
    assert spec is not None and spec.origin
    _pack(Path(spec.origin), tmp_path / "mods" / "xxlimited.so.zst")
    manifest = {"modules": {"xxlimited": {"file": "mods/xxlimited.so.zst", "preload": []}}}
    (tmp_path / "packed-modules.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = _run(
        """
        sys.path[:] = [p for p in sys.path if "lib-dynload" not in p]  # no copy on disk
        import xxlimited
        assert xxlimited.__file__.startswith("/proc/self/fd/"), xxlimited.__file__
        assert xxlimited.Xxo().demo(None) is None
        maps = Path("/proc/self/maps").read_text()
        assert "memfd:xxlimited" in maps
        print("ok")
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_a_packed_library_is_then_found_by_its_soname(tmp_path: Path) -> None:
    import shiboken6

    library = next(Path(shiboken6.__file__).parent.glob("libshiboken6.abi3.so.*"))
    dest = f"shiboken6/{library.name}"
    _pack(library, tmp_path / f"{dest}.zst")
    manifest = {
        "modules": {},
        "libraries": {dest: {"file": f"{dest}.zst", "packed": True}},
    }
    (tmp_path / "packed-modules.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = _run(
        f"""
        import ctypes
        try:
            ctypes.CDLL({library.name!r})
        except OSError:
            pass
        else:
            raise SystemExit("the control failed: the soname is on the search path")
        finder.load_library({dest!r})
        ctypes.CDLL({library.name!r})  # the dynamic linker matches the loaded soname
        assert "memfd:" in Path("/proc/self/maps").read_text()
        print("ok")
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_no_manifest_installs_nothing(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import packed_modules
    finally:
        sys.path.remove(str(ROOT / "tools"))
    before = list(sys.meta_path)
    assert packed_modules.install(tmp_path) is None
    assert sys.meta_path == before


def _qt_modules_excluded() -> set[str]:
    tree = ast.parse((ROOT / "build.spec").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "QT_MODULES_UNUSED" for t in node.targets
        ):
            return set(ast.literal_eval(node.value))
    raise AssertionError("QT_MODULES_UNUSED not found in build.spec")


def test_the_bundle_keeps_the_qt_modules_the_features_need() -> None:
    excluded = _qt_modules_excluded()
    assert "Qt3DCore" in excluded  # the control: the list is read
    # The team dashboard (QtCharts), the lock on the session's lock and sleep (QtDBus) and
    # the sync when the network comes back (QtNetwork's QNetworkInformation).
    assert not {"QtCharts", "QtDBus", "QtNetwork", "QtCore", "QtGui", "QtWidgets"} & excluded
    # Nothing imports these bindings (9 MiB); libQt6Charts' own OpenGL libraries stay.
    assert {"QtOpenGL", "QtOpenGLWidgets"} <= excluded
    assert os.path.exists(ROOT / "tools" / "packed_modules.py")
