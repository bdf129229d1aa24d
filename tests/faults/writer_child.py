"""Writer process for the kill test (``test_kill_writer.py``); not a test module itself.

Usage: ``python writer_child.py DATA_DIR KEYRING_FILE PASSPHRASE REFERENT_ID``

The process is a small fork server, so that each of the many killed writers starts in
milliseconds instead of re-importing SQLAlchemy, Alembic and the crypto stack:

- it imports everything and warms up (one full write cycle on a throwaway store, closed
  again, so that mappers are configured and statements compiled before forking), then
  writes ``ready``;
- for each ``go SEED`` line on stdin it forks one **writer**, writes ``child PID``,
  waits for it and writes ``exit PID WAITSTATUS``; ``quit`` (or end of input) stops it.

A writer opens the store (vault, file keyring, fast KDF) and writes through the services
until it is killed, forever: persons, notes, appointments (planned then seen), phone
changes, sometimes several in one transaction. After each commit, and only then, it
writes one acknowledgement line per row: ``person ID``, ``note ID``, ``appointment ID``,
``seen ID``, ``phone ID VERSION``. Lines go out with one ``os.write`` each (atomic on a
pipe), so nothing is buffered in the process when SIGKILL lands.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import traceback
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from spie_desktop.domain.models import Referent
from spie_desktop.domain.referentials import get_referentials
from spie_desktop.services import appointments, notes, persons
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.store import Actor, Store
from spie_desktop.store.vault import KdfParams


def emit(line: str) -> None:
    os.write(1, (line + "\n").encode("ascii"))


def phone_of(version: int) -> str:
    return f"06{version:08d}"


def writer(data_dir: Path, ring: Path, passphrase: str, referent: uuid.UUID, seed: int) -> None:
    rng = random.Random(seed)
    parent = os.getppid()
    store = Store.open(data_dir, passphrase, keyring_backend=FileKeyring(ring))
    actor = Actor(referent, store.device_id)
    mine: dict[uuid.UUID, int] = {}  # person -> last phone version written
    planned: list[uuid.UUID] = []
    serial = 0
    while os.getppid() == parent:  # never outlive the fork server
        serial += 1
        choice = rng.random()
        acks: list[str] = []
        with store.write() as session:
            if choice < 0.25 or not mine:
                person = persons.create_person(
                    session,
                    actor,
                    {
                        "last_name": f"Tué-{seed}-{serial}",
                        "first_name": "Kill",
                        "phone": phone_of(0),
                    },
                )
                session.flush()
                acks.append(f"person {person.id}")
                new_person = person.id
                if rng.random() < 0.5:  # a bigger transaction: person, note and appointment
                    note = notes.write_note(session, actor, new_person, f"note {serial}")
                    appointment = appointments.schedule_appointment(
                        session,
                        actor,
                        new_person,
                        starts_at=datetime.now(UTC) - timedelta(minutes=rng.randint(1, 999)),
                        mode="bureau",
                        purpose="suivi",
                    )
                    acks += [f"note {note.id}", f"appointment {appointment.id}"]
                    planned.append(appointment.id)
                mine[new_person] = 0
            elif choice < 0.5:
                person_id = rng.choice(list(mine))
                note = notes.write_note(
                    session, actor, person_id, f"note {serial} " * 20, sensitive=rng.random() < 0.3
                )
                acks.append(f"note {note.id}")
            elif choice < 0.7:
                person_id = rng.choice(list(mine))
                appointment = appointments.schedule_appointment(
                    session,
                    actor,
                    person_id,
                    starts_at=datetime.now(UTC) - timedelta(minutes=rng.randint(1, 999)),
                    mode="telephone",
                    purpose="accompagnement",
                )
                acks.append(f"appointment {appointment.id}")
                planned.append(appointment.id)
            elif choice < 0.85 and planned:
                appointment_id = planned.pop(rng.randrange(len(planned)))
                appointments.set_status(
                    session, actor, appointment_id, "seen", summary=f"vu {serial}"
                )
                acks.append(f"seen {appointment_id}")
            else:
                person_id = rng.choice(list(mine))
                version = mine[person_id] + 1
                persons.update_person(session, actor, person_id, {"phone": phone_of(version)})
                mine[person_id] = version
                acks.append(f"phone {person_id} {version}")
        for line in acks:  # committed: now, and only now, acknowledge
            emit(line)


def warm_up(passphrase: str) -> None:
    """Exercise every write path once in a scratch store; nothing stays open afterwards."""
    with tempfile.TemporaryDirectory(prefix="spie-warm-") as scratch:
        root = Path(scratch)
        store = Store.create(
            root / "data",
            passphrase,
            kdf=KdfParams.fast_for_tests(),
            keyring_backend=FileKeyring(root / "keyring.json"),
        )
        try:
            referent = uuid.uuid4()
            with store.apply_remote() as session:
                session.add(Referent(id=referent, username="warm", first_name="W", last_name="U"))
            actor = Actor(referent, store.device_id)
            with store.write() as session:
                person = persons.create_person(
                    session, actor, {"last_name": "W", "first_name": "U"}
                )
                session.flush()
                notes.write_note(session, actor, person.id, "warm")
                appointment = appointments.schedule_appointment(
                    session,
                    actor,
                    person.id,
                    starts_at=datetime.now(UTC) - timedelta(hours=1),
                    mode="bureau",
                    purpose="suivi",
                )
            with store.write() as session:
                appointments.set_status(session, actor, appointment.id, "seen", summary="w")
                persons.update_person(session, actor, person.id, {"phone": phone_of(1)})
        finally:
            store.close()


def main() -> None:
    data_dir, ring, passphrase, referent = (
        Path(sys.argv[1]),
        Path(sys.argv[2]),
        sys.argv[3],
        uuid.UUID(sys.argv[4]),
    )
    get_referentials()
    warm_up(passphrase)  # before any fork: the writers start warm
    emit("ready")
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            break
        seed = int(command[1])
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                writer(data_dir, ring, passphrase, referent, seed)
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
                status = 1
            os._exit(status)
        emit(f"child {pid}")
        _, waitstatus = os.waitpid(pid, 0)
        emit(f"exit {pid} {waitstatus}")


if __name__ == "__main__":
    main()
