"""A fork server for the model test (``test_sync_model.py``); not a test module itself.

Starting ``spie-server serve`` or a device's sync as a fresh Python process costs seconds
(imports, mapper configuration) on a busy machine; the model test starts dozens of them,
each to be killed with SIGKILL. This process imports everything once, then, for each line
on stdin, forks a child and writes ``pid N`` on stdout:

- ``server PORT DATA_DIR DATABASE_URL``: the real server app under uvicorn on loopback
  (what ``spie-server serve`` runs), with fast password hashing;
- ``sync FIFO DATA_DIR KEYRING PASSPHRASE SERVER_URL CLOCK_OFFSET_MS``: one device's sync
  on its real SQLCipher store; it writes ``start`` then ``done STATUS`` into FIFO.

Children are reaped automatically and get SIGKILL if this process dies; it exits when
its stdin closes (and gets SIGTERM if its own parent dies).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import traceback
from pathlib import Path

PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int) -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)


def serve(port: str, data_dir: str, url: str) -> None:
    import uvicorn

    from sync.server.app import create_app
    from sync.server.settings import ServerSettings

    settings = ServerSettings(database_url=url, data_dir=Path(data_dir)).fast_hashing()
    uvicorn.run(create_app(settings), host="127.0.0.1", port=int(port), log_level="warning")


def run_sync(fifo: str, data_dir: str, ring: str, passphrase: str, url: str, offset: str) -> None:
    from spie_desktop.store.file_keyring import FileKeyring
    from spie_desktop.store.store import Store
    from sync.client import RetryPolicy, SyncClient

    out = os.open(fifo, os.O_WRONLY)
    backend = FileKeyring(Path(ring))
    store = Store.open(Path(data_dir), passphrase, keyring_backend=backend)
    store.clock_offset_ms = int(offset)
    client = SyncClient(
        store,
        server_url=url,
        keyring_backend=backend,
        retry=RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05),
        verify_every_s=0,
    )
    os.write(out, b"start\n")
    report = client.sync()
    os.write(out, f"done {report.status} {report.message or ''}\n".encode())
    client.close()
    store.close()
    os.close(out)


def main() -> None:
    die_with_parent(signal.SIGTERM)
    # Everything a child needs, imported before any fork.
    import sqlalchemy.orm
    import uvicorn  # noqa: F401

    import spie_desktop.store.store  # noqa: F401
    import sync.client
    import sync.server.app  # noqa: F401
    from spie_desktop.domain.referentials import get_referentials

    sqlalchemy.orm.configure_mappers()
    get_referentials()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reaped by the kernel
    os.write(1, b"ready\n")
    for line in sys.stdin:
        command, *args = line.split("\t")
        args = [a.rstrip("\n") for a in args]
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                die_with_parent(signal.SIGKILL)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                if command == "server":
                    serve(*args)
                elif command == "sync":
                    run_sync(*args)
            except BaseException:
                traceback.print_exc()
                status = 1
            finally:
                sys.stderr.flush()
                os._exit(status)
        os.write(1, f"pid {pid}\n".encode())


if __name__ == "__main__":
    main()
