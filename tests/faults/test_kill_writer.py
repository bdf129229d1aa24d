"""Killing the writer at any moment loses nothing (DESIGN §7): a real process, SIGKILL.

A child process writes through the services and acknowledges each write on stdout after
its commit; the test kills it at random moments, many times, reopening the store after
each kill, and checks that the file is sound, that every acknowledged write is there, and
that every committed synced row has its outbox entries (the outbox, replayed, gives the
rows back). See ``writer_child.py`` for the protocol.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import exists, select

from spie_desktop.domain.codec import row_to_dict
from spie_desktop.domain.hlc import HlcTimestamp
from spie_desktop.domain.models import SYNCED_MODELS, Appointment, Note, Person, Referent
from spie_desktop.store.engine import DATABASE_FILE, encrypted_engine
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.local_models import DeviceState, OutboxEntry, PersonSummary
from spie_desktop.store.store import Store
from spie_desktop.store.vault import KdfParams, Vault

CHILD = Path(__file__).with_name("writer_child.py")
REPO = Path(__file__).resolve().parents[2]
KILLS = 60
PASSPHRASE = "phrase de passe de test"
LINE_TIMEOUT = 30.0

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the fork server needs POSIX fork()"),
]


@dataclass
class Acks:
    persons: set[uuid.UUID] = field(default_factory=set)
    notes: set[uuid.UUID] = field(default_factory=set)
    appointments: set[uuid.UUID] = field(default_factory=set)
    seen: set[uuid.UUID] = field(default_factory=set)
    phones: dict[uuid.UUID, int] = field(default_factory=dict)
    total: int = 0

    def add(self, line: str) -> None:
        kind, *rest = line.split()
        row_id = uuid.UUID(rest[0])
        if kind == "person":
            self.persons.add(row_id)
        elif kind == "note":
            self.notes.add(row_id)
        elif kind == "appointment":
            self.appointments.add(row_id)
        elif kind == "seen":
            self.seen.add(row_id)
        elif kind == "phone":
            self.phones[row_id] = max(self.phones.get(row_id, 0), int(rest[1]))
        else:
            raise AssertionError(f"unexpected line from the writer: {line!r}")
        self.total += 1


class ForkServer:
    """The child process, its stdout read by a thread into a queue."""

    def __init__(self, args: list[str]) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=REPO,
            env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: list[str] = []
        assert self.process.stdout is not None and self.process.stderr is not None
        threading.Thread(target=self._pump, args=(self.process.stdout, True),
                         daemon=True).start()
        threading.Thread(target=self._pump, args=(self.process.stderr, False),
                         daemon=True).start()

    def _pump(self, stream: IO[bytes], is_stdout: bool) -> None:
        for raw in stream:
            text = raw.decode("utf-8", "replace").rstrip("\n")
            if is_stdout:
                self.lines.put(text)
            else:
                self.stderr.append(text)
        if is_stdout:
            self.lines.put(None)

    def next_line(self) -> str:
        try:
            line = self.lines.get(timeout=LINE_TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"writer silent; stderr: {self.stderr[-20:]}") from None
        if line is None:
            raise AssertionError(f"writer ended; stderr: {self.stderr[-20:]}")
        return line

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((line + "\n").encode("ascii"))
        self.process.stdin.flush()

    def close(self) -> None:
        try:
            self.send("quit")
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


def _verify(data_dir: Path, data_key: bytes, device_id: str, acks: Acks) -> dict[str, int]:
    # Summaries are checked on a bare engine first: opening a Store would rebuild any
    # missing one and hide the fault.
    engine = encrypted_engine(data_dir / DATABASE_FILE, data_key)
    try:
        with engine.connect() as connection:
            unsummarised = connection.execute(
                select(Person.id).where(
                    Person.deleted_at.is_(None),
                    ~exists().where(PersonSummary.person_id == Person.id),
                )
            ).all()
    finally:
        engine.dispose()
    assert unsummarised == [], "a committed person lacks its caseload summary"

    store = Store.open_with_key(data_dir, data_key, device_id=device_id)
    try:
        assert store.check() == []
        with store.read() as session:
            present = {
                model: set(session.execute(select(model.id)).scalars())
                for model in (Person, Note, Appointment)
            }
            assert acks.persons <= present[Person], "an acknowledged person was lost"
            assert acks.notes <= present[Note], "an acknowledged note was lost"
            assert acks.appointments <= present[Appointment], "an acknowledged appointment"
            statuses = {
                row_id: status
                for row_id, status in session.execute(select(Appointment.id, Appointment.status))
            }
            assert all(statuses[a] == "seen" for a in acks.seen), "an acknowledged outcome"
            phones = {
                row_id: phone for row_id, phone in session.execute(select(Person.id, Person.phone))
            }
            for person_id, version in acks.phones.items():
                assert int(phones[person_id] or "0") % 10**8 >= version, "a phone change"

            # Every committed synced row is in the outbox, and replaying the outbox in
            # order gives every row back exactly.
            replay: dict[tuple[str, uuid.UUID], dict[str, Any]] = defaultdict(dict)
            upserts: dict[tuple[str, uuid.UUID], int] = defaultdict(int)
            hlcs = []
            for table, row_id, op, fields, hlc in session.execute(
                select(OutboxEntry.table_name, OutboxEntry.row_id, OutboxEntry.op,
                       OutboxEntry.fields, OutboxEntry.hlc).order_by(OutboxEntry.seq)
            ):
                replay[(table, row_id)].update(fields)
                upserts[(table, row_id)] += op == "upsert"
                hlcs.append(HlcTimestamp.decode(hlc))
            rows = 0
            for table, model in SYNCED_MODELS.items():
                if model is Referent or table in ("team", "structure"):
                    continue  # server-owned, written by apply_remote: never in the outbox
                for row in session.execute(select(model)).scalars():
                    rows += 1
                    key = (table, row.id)
                    assert upserts[key] >= 1, f"{table} {row.id} committed without outbox"
                    current = row_to_dict(row)
                    current.pop("updated_at")
                    assert replay[key] == current, f"{table} {row.id} differs from its outbox"
            assert len(replay) == rows, "outbox entries for rows that do not exist"
            # One clock, persisted with each write: strictly increasing across every kill.
            assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)
            if hlcs:
                saved = session.get(DeviceState, "hlc")
                assert saved is not None and HlcTimestamp.decode(saved.value) >= hlcs[-1]
        return {"rows": rows, "outbox": len(hlcs)}
    finally:
        store.close()


def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    data_dir, ring_path = tmp_path / "data", tmp_path / "keyring.json"
    ring = FileKeyring(ring_path)
    store = Store.create(data_dir, PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                         keyring_backend=ring)
    referent = uuid.uuid4()
    with store.apply_remote() as session:
        session.add(Referent(id=referent, username="kill", first_name="K", last_name="W"))
    device_id = store.device_id
    store.close()
    data_key = Vault.load(data_dir, keyring_backend=ring).unlock(PASSPHRASE)

    seed = int(os.environ.get("SPIE_KILL_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    acks = Acks()
    mid_write_kills = 0
    server = ForkServer([str(data_dir), str(ring_path), PASSPHRASE, str(referent)])
    try:
        assert server.next_line() == "ready"
        for cycle in range(KILLS):
            server.send(f"go {rng.randrange(2**31)}")
            pid, exit_status = None, None
            before = acks.total
            deadline_line = ""
            while pid is None:
                line = server.next_line()
                if line.startswith("child "):
                    pid = int(line.split()[1])
                else:
                    acks.add(line)
            # Kill anywhere: while the store opens, mid-transaction, mid-commit, mid-ack.
            # A writer needs ~0.1-0.2 s to open the store and commit its first write
            # (synchronous=FULL: an fsync per commit), so a quarter of the kills land
            # in the opening and the rest among the writes.
            delay = rng.uniform(0.0, 0.15) if rng.random() < 0.25 else rng.uniform(0.15, 0.5)
            threading.Event().wait(delay)
            os.kill(pid, signal.SIGKILL)
            while exit_status is None:
                deadline_line = server.next_line()
                if deadline_line.startswith("exit "):
                    _, dead, status = deadline_line.split()
                    assert int(dead) == pid
                    exit_status = int(status)
                else:
                    acks.add(deadline_line)
            assert os.WIFSIGNALED(exit_status) and os.WTERMSIG(exit_status) == signal.SIGKILL, (
                f"cycle {cycle} (seed {seed}): the writer died on its own; "
                f"stderr: {server.stderr[-20:]}"
            )
            mid_write_kills += acks.total > before
            try:
                figures = _verify(data_dir, data_key, device_id, acks)
            except AssertionError as exc:
                raise AssertionError(f"cycle {cycle}, seed {seed}: {exc}") from exc
    finally:
        server.close()
    # The kills really landed among writes, and a fair amount of work was acknowledged.
    assert mid_write_kills >= KILLS // 3, (mid_write_kills, seed)
    assert acks.total >= 2 * KILLS and len(acks.persons) >= 10, (acks.total, seed)
    assert figures["outbox"] >= acks.total
