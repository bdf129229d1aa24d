"""Passphrase-changing process for ``test_kill_passphrase.py``; not a test module itself.

Usage: ``python passphrase_child.py DATA_DIR KEYRING_FILE MODE ARG``

The child changes the passphrase of the store in DATA_DIR as Settings does
(``Vault.load(...).change_passphrase(old, new)``, what ``AppContext.change_passphrase`` runs),
with the file keyring of the tests. Passphrases are ``phrase(k)``.

- ``MODE=step``, ``ARG=N``: one change, ``phrase(0)`` → ``phrase(1)``, with every step that
  touches the disk or derives a key instrumented: each step writes ``point I NAME`` before it
  goes on; at step N the child writes ``stopped`` and waits to be killed (``N=0``: never,
  ``done`` at the end). The vault's file is written in two halves, so a kill can land in the
  middle of it.
- ``MODE=loop``, ``ARG=K``: changes ``phrase(k)`` → ``phrase(k + 1)`` for k = K, K + 1… until
  killed, writing ``changed K+1`` after each change returned.

Lines go out with one ``os.write`` each (nothing buffered when SIGKILL lands).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spie_desktop.store import file_keyring, vault
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.vault import Vault


def phrase(k: int) -> str:
    return f"phrase de passe numéro {k} du test"


def emit(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


class Steps:
    def __init__(self, stop_at: int) -> None:
        self.stop_at = stop_at
        self.count = 0

    def point(self, name: str) -> None:
        self.count += 1
        emit(f"point {self.count} {name}")
        if self.count == self.stop_at:
            emit("stopped")
            time.sleep(600)  # killed here
            raise SystemExit(3)

    def around(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            self.point(f"before {name}")
            result = function(*args, **kwargs)
            self.point(f"after {name}")
            return result

        return wrapped


class HalvedFile:
    """A file whose ``write`` goes to the disk in two halves, a step between them."""

    def __init__(self, handle: Any, steps: Steps) -> None:
        self._handle, self._steps = handle, steps

    def write(self, data: bytes) -> int:
        half = len(data) // 2
        self._steps.point("before write")
        self._handle.write(data[:half])
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._steps.point("half written")
        self._handle.write(data[half:])
        self._steps.point("after write")
        return len(data)

    def __enter__(self) -> HalvedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def instrument(steps: Steps) -> None:
    vault._derive_kek = steps.around("derive", vault._derive_kek)  # type: ignore[attr-defined]
    vault._wrap_key = steps.around("wrap", vault._wrap_key)  # type: ignore[attr-defined]
    file_keyring.tempfile.mkstemp = steps.around("mkstemp", file_keyring.tempfile.mkstemp)  # type: ignore[assignment]
    real_fdopen = os.fdopen

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> HalvedFile:
        return HalvedFile(real_fdopen(fd, *args, **kwargs), steps)

    os.fdopen = fdopen  # type: ignore[assignment]
    os.fsync = steps.around("fsync", os.fsync)
    os.chmod = steps.around("chmod", os.chmod)
    os.replace = steps.around("replace", os.replace)
    os.unlink = steps.around("unlink", os.unlink)
    file_keyring.fsync_directory = steps.around(  # type: ignore[assignment]
        "fsync directory", file_keyring.fsync_directory
    )


def main() -> int:
    data_dir, ring, mode, arg = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    backend = FileKeyring(ring)
    if mode == "step":
        loaded = Vault.load(data_dir, keyring_backend=backend)
        instrument(Steps(arg))
        loaded.change_passphrase(phrase(0), phrase(1))
        emit("done")
        return 0
    k = arg
    emit("ready")
    while True:
        Vault.load(data_dir, keyring_backend=backend).change_passphrase(phrase(k), phrase(k + 1))
        k += 1
        emit(f"changed {k}")


if __name__ == "__main__":
    sys.exit(main())
