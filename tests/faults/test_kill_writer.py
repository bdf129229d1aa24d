"""Killing the writer at any moment loses nothing (DESIGN §7): a real process, SIGKILL.

A child process writes through the services and acknowledges each write on stdout after
its commit; the test kills it at random moments, many times, reopening the store after
each kill, and checks that the file is sound, that every acknowledged write is there, and
that every committed synced row has its outbox entries (the outbox, replayed, gives the
rows back). See ``writer_child.py`` for the protocol.
"""

from __future__ import annotations

import contextlib
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import exists, func, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

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
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        }
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
        threading.Thread(target=self._pump, args=(self.process.stdout, True), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.process.stderr, False), daemon=True).start()

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


_DEVICE_TABLES = {
    table: model
    for table, model in SYNCED_MODELS.items()
    if table not in ("referent", "team", "structure")  # server-owned: never in the outbox
}


class Verifier:
    """Checks the store after each kill.

    The outbox is never drained here (no sync), so its replay is kept between kills and
    extended with the new entries only; rows are compared when they changed since the
    previous check (``updated_at``, stamped by the recorder on every change) or got new
    outbox entries. ``full=True`` starts from scratch and compares every row.
    """

    def __init__(self, data_dir: Path, data_key: bytes, device_id: str) -> None:
        self.data_dir, self.data_key, self.device_id = data_dir, data_key, device_id
        self._reset()

    def _reset(self) -> None:
        self.replay: dict[tuple[str, uuid.UUID], dict[str, Any]] = defaultdict(dict)
        self.upserts: dict[tuple[str, uuid.UUID], int] = defaultdict(int)
        self.last_seq = 0
        self.last_hlc: HlcTimestamp | None = None
        self.marks: dict[str, datetime | None] = dict.fromkeys(_DEVICE_TABLES)

    def __call__(self, acks: Acks, *, full: bool = False) -> dict[str, int]:
        if full:
            self._reset()
        # Summaries first, on a bare engine: opening a Store would rebuild a missing one.
        engine = encrypted_engine(self.data_dir / DATABASE_FILE, self.data_key)
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

        store = Store.open_with_key(self.data_dir, self.data_key, device_id=self.device_id)
        try:
            assert store.check() == []
            with store.read() as session:
                self._check_acks(session, acks)
                return self._check_outbox(session)
        finally:
            store.close()

    @staticmethod
    def _check_acks(session: Session, acks: Acks) -> None:
        for model, acknowledged, what in (
            (Person, acks.persons, "person"),
            (Note, acks.notes, "note"),
            (Appointment, acks.appointments, "appointment"),
        ):
            present = (
                set(session.execute(select(model.id).where(model.id.in_(acknowledged))).scalars())
                if acknowledged
                else set()
            )
            assert acknowledged <= present, f"an acknowledged {what} was lost"
        for appointment_id, status in session.execute(
            select(Appointment.id, Appointment.status).where(Appointment.id.in_(acks.seen))
        ):
            assert status == "seen", f"acknowledged outcome of {appointment_id} lost"
        for person_id, phone in session.execute(
            select(Person.id, Person.phone).where(Person.id.in_(list(acks.phones)))
        ):
            version = int(phone or "0") % 10**8  # writer_child.phone_of(version) = 06 + 8 digits
            assert version >= acks.phones[person_id], "an acknowledged phone change was lost"

    def _check_outbox(self, session: Session) -> dict[str, int]:
        touched: set[tuple[str, uuid.UUID]] = set()
        for seq, table, row_id, op, fields, hlc in session.execute(
            select(
                OutboxEntry.seq,
                OutboxEntry.table_name,
                OutboxEntry.row_id,
                OutboxEntry.op,
                OutboxEntry.fields,
                OutboxEntry.hlc,
            )
            .where(OutboxEntry.seq > self.last_seq)
            .order_by(OutboxEntry.seq)
        ):
            key = (table, row_id)
            self.replay[key].update(fields)
            self.upserts[key] += op == "upsert"
            touched.add(key)
            stamp = HlcTimestamp.decode(hlc)
            # One clock, persisted with each write: strictly increasing across every kill.
            assert self.last_hlc is None or stamp > self.last_hlc, "HLC went backwards"
            self.last_hlc, self.last_seq = stamp, seq
        if self.last_hlc is not None:
            saved = session.get(DeviceState, "hlc")
            assert saved is not None and HlcTimestamp.decode(saved.value) >= self.last_hlc

        rows = 0
        for table, model in _DEVICE_TABLES.items():
            rows += session.execute(select(func.count()).select_from(model)).scalar_one()
            updated = model.updated_at
            ids = [row_id for (name, row_id) in touched if name == table]
            condition: ColumnElement[bool] = true()
            if self.marks[table] is not None:
                condition = or_(model.id.in_(ids), updated >= self.marks[table])
            for row in session.execute(select(model).where(condition)).scalars():
                key = (table, row.id)
                # Every committed synced row has its outbox entry, and replaying the
                # outbox in order gives the row back exactly.
                assert self.upserts[key] >= 1, f"{table} {row.id} committed without outbox"
                current = row_to_dict(row)
                current.pop("updated_at")
                assert self.replay[key] == current, f"{table} {row.id} differs from its outbox"
            self.marks[table] = session.execute(select(func.max(updated))).scalar_one()
        assert len(self.replay) == rows, "outbox entries for rows that do not exist"
        return {"rows": rows, "outbox": self.last_seq}


def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    data_dir, ring_path = tmp_path / "data", tmp_path / "keyring.json"
    ring = FileKeyring(ring_path)
    store = Store.create(data_dir, PASSPHRASE, kdf=KdfParams.fast_for_tests(), keyring_backend=ring)
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
    verify = Verifier(data_dir, data_key, device_id)
    server = ForkServer([str(data_dir), str(ring_path), PASSPHRASE, str(referent)])
    pid: int | None = None
    try:
        assert server.next_line() == "ready"
        for cycle in range(KILLS):
            server.send(f"go {rng.randrange(2**31)}")
            exit_status = None
            before = acks.total
            while pid is None:
                line = server.next_line()
                if line.startswith("child "):
                    pid = int(line.split()[1])
                else:
                    acks.add(line)
            # Kill anywhere: while the store opens, mid-transaction, mid-commit, mid-ack.
            # A quarter of the kills come after a random delay (mostly while the store
            # opens); the others once the writer has acknowledged a random number of
            # writes, plus a random fraction of a transaction (one commit is an fsync,
            # a few tens of ms), so that they land among the writes however fast or
            # loaded the machine is.
            if rng.random() < 0.25:
                time.sleep(rng.uniform(0.0, 0.2))
            else:
                target = before + rng.randint(1, 8)
                while acks.total < target:
                    line = server.next_line()
                    if line.startswith("exit "):
                        raise AssertionError(f"writer died on its own: {server.stderr[-20:]}")
                    acks.add(line)
                time.sleep(rng.uniform(0.0, 0.04))
            os.kill(pid, signal.SIGKILL)
            while exit_status is None:
                line = server.next_line()
                if line.startswith("exit "):
                    _, dead, status = line.split()
                    assert int(dead) == pid
                    exit_status = int(status)
                else:
                    acks.add(line)
            pid = None
            assert os.WIFSIGNALED(exit_status) and os.WTERMSIG(exit_status) == signal.SIGKILL, (
                f"cycle {cycle} (seed {seed}): the writer died on its own; "
                f"stderr: {server.stderr[-20:]}"
            )
            mid_write_kills += acks.total > before
            try:
                verify(acks)
            except AssertionError as exc:
                raise AssertionError(f"cycle {cycle}, seed {seed}: {exc}") from exc
    finally:
        if pid is not None:  # a failure while our writer still runs: stop it first
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        server.close()
    # The kills really landed among writes, and a fair amount of work was acknowledged.
    assert mid_write_kills >= KILLS // 3, (mid_write_kills, seed)
    assert acks.total >= 2 * KILLS and len(acks.persons) >= 10, (acks.total, seed)
    figures = verify(acks, full=True)  # and once more, every row from scratch
    assert figures["outbox"] >= acks.total
