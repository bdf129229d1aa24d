"""The bundle's trimmed ICU data (tools/icu_trim.py) still sorts French through Qt."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _icu_trim() -> ModuleType:
    spec = importlib.util.spec_from_file_location("icu_trim", ROOT / "tools" / "icu_trim.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["icu_trim"] = module
    spec.loader.exec_module(module)
    return module


def _qt_icu_data() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("Qt/lib/libicudata.so.*"))
    return found[0] if found else None


def test_french_english_and_the_non_locale_data_are_kept() -> None:
    icu_trim = _icu_trim()
    items = [
        "root.res", "fr.res", "fr_CA.res", "en_GB.res", "de.res", "ja_JP.res", "pool.res",
        "res_index.res", "supplementalData.res", "uts46.nrm", "ucase.icu", "cnvalias.icu",
        "coll/root.res", "coll/fr.res", "coll/de_.res", "coll/zh.res", "coll/ucadata.icu",
        "brkitr/cjdict.dict", "brkitr/word.brk", "zone/fr.res", "zone/tzdbNames.res",
        "translit/root.res", "ibm-5348_P100-1997.cnv", "gb18030.cnv",
    ]  # fmt: skip
    dropped = set(icu_trim.items_to_drop(items))
    assert dropped == {
        "de.res", "ja_JP.res", "coll/de_.res", "coll/zh.res", "translit/root.res", "gb18030.cnv",
    }  # fmt: skip


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's own ICU: Linux wheels")
def test_trimmed_library_is_small_and_sorts_french(tmp_path: Path) -> None:
    icu_trim = _icu_trim()
    library = _qt_icu_data()
    if library is None:
        pytest.skip("this PySide6 has no ICU of its own")
    missing = [tool for tool in icu_trim.TOOLS if shutil.which(tool) is None]
    if missing and os.environ.get("CI"):
        pytest.fail(f"tools missing on CI: {missing}")
    if missing:
        pytest.skip(f"tools missing: {missing} (apt-get install icu-devtools binutils)")

    trimmed = icu_trim.trim_icu_data(library, tmp_path)

    assert trimmed.name == library.name
    assert trimmed.stat().st_size < library.stat().st_size / 3
    # Qt's libraries find their ICU through RUNPATH=$ORIGIN, which LD_LIBRARY_PATH precedes.
    check = (
        "from spie_desktop.entry import selftest\n"
        "selftest._check_collation()\n"
        "from PySide6.QtCore import QLocale\n"
        "assert QLocale('fr_FR').toUpper('été') == 'ÉTÉ'\n"
        "print('ok')\n"
    )
    env = {**os.environ, "LD_LIBRARY_PATH": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", check], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
    maps = subprocess.run(
        [sys.executable, "-c", "import PySide6.QtCore, pathlib; "
         "print(pathlib.Path('/proc/self/maps').read_text())"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert str(tmp_path / library.name) in maps, "the trimmed library was not the one loaded"


def test_a_library_without_icu_data_is_refused(tmp_path: Path) -> None:
    icu_trim = _icu_trim()
    with pytest.raises(icu_trim.IcuTrimError):
        icu_trim.find_data_blob(Path(sys.executable).resolve())
    not_elf = tmp_path / "libicudata.so.73"
    not_elf.write_bytes(b"not a library")
    with pytest.raises(icu_trim.IcuTrimError):
        icu_trim.trim_icu_data(not_elf, tmp_path / "out")
