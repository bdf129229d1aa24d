"""Extension modules and Qt libraries shipped compressed in the Linux bundle, loaded from memory.

The largest compiled modules of the bundle (the Typst compiler, 65 MiB; cryptography,
SQLCipher, opening-hours, pydantic-core, the Qt bindings) and Qt's largest libraries
(QtCore, QtGui, QtWidgets, ICU) compress to a third with zstandard. ``build.spec`` stores
them as ``<file>.zst`` and writes ``packed-modules.json`` beside them. This file is
PyInstaller's runtime hook for them (it runs before the application's first import): an
import finder that, for a module named in that manifest, first loads the libraries of the
bundle the module links to, dependencies first (the dynamic linker then finds them by
their soname: a module's own ``$ORIGIN`` would be ``/proc/self/fd``), unpacking the
compressed ones, then decompresses the module into an anonymous memory file
(``memfd_create``; a temporary file where the kernel has none) and lets CPython's
extension loader ``dlopen`` it from there. Nothing is written to disk; a module is
decompressed only at its first import (Typst: when a document is printed).

:func:`install` is also what the tests (``tests/unit/test_packed_modules.py``) use to load
a packed module outside a bundle.
"""

from __future__ import annotations

import ctypes
import importlib.machinery
import importlib.util
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

MANIFEST = "packed-modules.json"
CHUNK = 1 << 20


class PackedModuleFinder:
    """``sys.meta_path`` finder for the modules of one manifest.

    The manifest (paths relative to ``base``)::

        {"modules": {"typst._typst": {"file": "typst/_typst.abi3.so.zst", "packed": true,
                                      "preload": ["…/libfoo.so.1", …]}, …},
         "libraries": {"PySide6/Qt/lib/libQt6Core.so.6":
                           {"file": "PySide6/Qt/lib/libQt6Core.so.6.zst", "packed": true}, …}}

    ``preload``: the libraries of the bundle the module needs, dependencies first; a
    packed one is unpacked like a module, and the dynamic linker then finds it by its
    soname when the module (or a Qt plugin later) asks for it.
    """

    def __init__(self, base: Path, manifest: dict[str, Any]) -> None:
        self.base = base
        self.modules: dict[str, dict[str, Any]] = manifest.get("modules", {})
        self.libraries: dict[str, dict[str, Any]] = manifest.get("libraries", {})
        self.loaded: dict[str, ctypes.CDLL] = {}
        self.loaded_files: list[str] = []  # kept open: each mapping comes from it

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        entry = self.modules.get(fullname)
        if entry is None:
            return None
        for library in entry.get("preload", []):
            self.load_library(library)
        location = self._location(fullname, entry)
        loader = importlib.machinery.ExtensionFileLoader(fullname, location)
        return importlib.util.spec_from_file_location(fullname, location, loader=loader)

    def load_library(self, library: str) -> None:
        if library in self.loaded:
            return
        entry = self.libraries.get(library, {"file": library, "packed": False})
        name = library.replace("\\", "/").rsplit("/", 1)[-1]
        self.loaded[library] = ctypes.CDLL(self._location(name, entry))

    def _location(self, name: str, entry: dict[str, Any]) -> str:
        source = self.base / entry["file"]
        return self._unpack(name, source) if entry.get("packed", True) else str(source)

    def _unpack(self, fullname: str, source: Path) -> str:
        import zstandard  # not packed itself (build.spec): it is what unpacks the others

        memfd = getattr(os, "memfd_create", None)
        fd = -1
        if memfd is not None:
            try:
                fd = memfd(fullname, os.MFD_CLOEXEC)
            except OSError:  # kernel < 3.17 or a sandbox refusing it
                fd = -1
        if fd >= 0:
            location = f"/proc/self/fd/{fd}"
        else:
            fd, location = tempfile.mkstemp(prefix=f"spie-{fullname}-", suffix=".so")
        with open(fd, "wb", closefd=False) as out, source.open("rb") as compressed:
            zstandard.ZstdDecompressor().copy_stream(compressed, out, write_size=CHUNK)
        if not location.startswith("/proc/"):
            os.close(fd)
            _remove_at_exit(location)
        self.loaded_files.append(location)
        return location


def _remove_at_exit(path: str) -> None:
    import atexit
    import contextlib

    def remove() -> None:
        with contextlib.suppress(OSError):
            os.unlink(path)

    atexit.register(remove)


def install(base: Path) -> PackedModuleFinder | None:
    """Put a finder for ``base/packed-modules.json`` first on ``sys.meta_path``; None
    when there is no manifest (Windows, macOS, ``SPIE_PACK_MODULES=0`` builds)."""
    manifest = base / MANIFEST
    if not manifest.is_file():
        return None
    finder = PackedModuleFinder(base, json.loads(manifest.read_text(encoding="utf-8")))
    sys.meta_path.insert(0, finder)
    return finder


if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS"):
    install(Path(sys._MEIPASS))
