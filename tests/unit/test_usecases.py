"""The use-case API: every write use-case reports exactly what the outbox recorded in its
transaction (persons, kinds of rows), a failing one changes nothing, queries write nothing."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
)
from sqlalchemy import func, select

from spie_desktop.domain.models import SYNCED_MODELS
from spie_desktop.errors import SpieError, ValidationError
from spie_desktop.services import partners, queries, usecases
from spie_desktop.services.caseload import CaseloadFilter
from spie_desktop.services.directory import Criteria
from spie_desktop.services.operation import (
    ALL_CHANGED,
    CONTENT_KINDS,
    NO_CHANGES,
    Changes,
    Outcome,
    run_write,
)
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.local_models import OutboxEntry
from spie_desktop.store.store import Actor, Store
from spie_desktop.store.vault import KdfParams
from tests.conftest import TEST_PASSPHRASE, add_referent

NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèçÉ- ", min_size=1, max_size=12).filter(
    lambda text: text.strip() != ""
)
TEXTS = st.text(alphabet="abc déf\nxyz.,!", min_size=1, max_size=40).filter(str.strip)


def outbox_rows(store: Store) -> dict[uuid.UUID, tuple[str, uuid.UUID | None]]:
    with store.read() as session:
        rows = session.execute(
            select(OutboxEntry.change_id, OutboxEntry.table_name, OutboxEntry.person_id)
        )
        return {change_id: (table, person) for change_id, table, person in rows}


def table_counts(store: Store) -> dict[str, int]:
    with store.read() as session:
        return {
            name: session.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in SYNCED_MODELS.items()
        }


def recorded_by(store: Store, call: Any) -> tuple[Outcome[Any], Changes]:
    """Run the use-case ``call(store)``; also return the changes its outbox entries show."""
    before = outbox_rows(store)
    outcome = call(store)
    new = [entry for key, entry in outbox_rows(store).items() if key not in before]
    seen = Changes(
        persons=frozenset(person for _table, person in new if person is not None),
        kinds=frozenset(table for table, _person in new),
    )
    return outcome, seen


class UseCaseMachine(RuleBasedStateMachine):
    """Random sequences of use-cases on one real encrypted store."""

    persons = Bundle("persons")
    notes = Bundle("notes")
    appointments = Bundle("appointments")
    barriers = Bundle("barriers")
    actions = Bundle("actions")

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="spie-usecases-"))
        self.store = Store.create(
            self.dir / "data",
            TEST_PASSPHRASE,
            kdf=KdfParams.fast_for_tests(),
            keyring_backend=FileKeyring(self.dir / "keyring.json"),
        )
        referent = add_referent(self.store, username="camille.durand")
        self.colleague = add_referent(self.store, username="nina.roux", first_name="Nina")
        self._same_team(referent, self.colleague)
        self.actor = Actor(referent, self.store.device_id)
        self.now = datetime.now(UTC)
        self.created: set[uuid.UUID] = set()

    def _same_team(self, *referents: uuid.UUID) -> None:
        from spie_desktop.domain.models import Referent, Team

        team = uuid.uuid4()
        with self.store.apply_remote() as session:
            session.add(Team(id=team, name="Équipe"))
            session.flush()
            for referent_id in referents:
                row = session.get(Referent, referent_id)
                assert row is not None
                row.team_id = team

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, call: Any) -> Any:
        outcome, seen = recorded_by(self.store, call)
        assert isinstance(outcome, Outcome)
        assert outcome.changes == seen, "the use-case's changes are the outbox's"
        assert outcome.changes, "a write use-case that succeeded changed something"
        return outcome.value

    def refused(self, call: Any) -> None:
        before_outbox, before_rows = outbox_rows(self.store), table_counts(self.store)
        with pytest.raises(SpieError):
            call(self.store)
        assert outbox_rows(self.store) == before_outbox
        assert table_counts(self.store) == before_rows

    # -- persons -------------------------------------------------------------------------

    @initialize(target=persons, last=NAMES, first=NAMES)
    def first_person(self, last: str, first: str) -> uuid.UUID:
        return self.create_person(last, first)

    @rule(target=persons, last=NAMES, first=NAMES)
    def create_person(self, last: str, first: str) -> uuid.UUID:
        values = {"last_name": last, "first_name": first}
        person_id = self.run(lambda s: usecases.create_person(s, self.actor, values))
        assert isinstance(person_id, uuid.UUID)
        self.created.add(person_id)
        return person_id

    @rule(person=persons, city=NAMES)
    def update_person(self, person: uuid.UUID, city: str) -> None:
        self.run(lambda s: usecases.update_person(s, self.actor, person, {"city": city}))

    @rule(person=persons)
    def update_person_refused(self, person: uuid.UUID) -> None:
        self.refused(lambda s: usecases.update_person(s, self.actor, person, {"nir": "12"}))

    @rule(person=persons)
    def open_file(self, person: uuid.UUID) -> None:
        outcome, seen = recorded_by(
            self.store, lambda s: usecases.open_person_file(s, self.actor, person, self.now)
        )
        assert outcome.changes == seen == Changes(frozenset({person}), frozenset({"audit_event"}))
        assert outcome.value.person_id == person
        assert not outcome.changes.concerns_kinds(CONTENT_KINDS)

    @rule(person=persons)
    def hand_over(self, person: uuid.UUID) -> None:
        """A handover written on the device itself (the demo's and the tests' path; the app
        asks the server with request_handovers): the service in one recorded write."""
        from spie_desktop.services.handover import active_assignment, hand_over
        from spie_desktop.services.operation import run_write

        with self.store.read() as session:
            current = active_assignment(session, person)
            followed_by = current.referent_id if current is not None else None
        target = self.colleague if followed_by != self.colleague else self.actor.referent_id
        assert target is not None
        self.run(
            lambda s: run_write(
                s, lambda session: hand_over(session, self.actor, person, target, note="Relais").id
            )
        )

    @rule(person=persons, note=st.sampled_from(["", "  ", "Relais : voir le RDV CAF."]))
    def request_handover(self, person: uuid.UUID, note: str) -> None:
        """Asking writes no synced row (the server decides): no outbox entry, no change
        announced; one queued request when accepted, nothing at all when refused."""
        before_outbox, before_rows = outbox_rows(self.store), table_counts(self.store)
        before = len(queries.handover_requests(self.store))
        try:
            outcome = usecases.request_handovers(
                self.store, self.actor, [(person, self.colleague)], note
            )
        except SpieError:
            assert len(queries.handover_requests(self.store)) == before
        else:
            assert note.strip(), "a handover without a note is refused"
            assert outcome.changes == NO_CHANGES
            assert len(queries.handover_requests(self.store)) == before + 1
        assert outbox_rows(self.store) == before_outbox
        assert table_counts(self.store) == before_rows

    # -- notes ------------------------------------------------------------------------------

    @rule(target=notes, person=persons, text=TEXTS, sensitive=st.booleans())
    def write_note(self, person: uuid.UUID, text: str, sensitive: bool) -> uuid.UUID:
        return self.run(  # type: ignore[no-any-return]
            lambda s: usecases.write_note(s, self.actor, person, text, sensitive=sensitive)
        )

    @rule(person=persons)
    def empty_note_refused(self, person: uuid.UUID) -> None:
        self.refused(lambda s: usecases.write_note(s, self.actor, person, "   \n"))

    @rule(target=notes, note=consumes(notes), text=TEXTS)
    def supersede_note(self, note: uuid.UUID, text: str) -> uuid.UUID:
        return self.run(  # type: ignore[no-any-return]
            lambda s: usecases.supersede_note(s, self.actor, note, text)
        )

    @rule(note=notes)
    def reveal_note(self, note: uuid.UUID) -> None:
        outcome, seen = recorded_by(self.store, lambda s: usecases.reveal_note(s, self.actor, note))
        assert isinstance(outcome.value, str)
        # Only a sensitive note's reading is audited: otherwise nothing changed at all.
        assert outcome.changes == seen
        assert outcome.changes.kinds <= {"audit_event"}

    # -- appointments -------------------------------------------------------------------------

    @rule(target=appointments, person=persons, days=st.integers(1, 30))
    def schedule(self, person: uuid.UUID, days: int) -> uuid.UUID:
        starts_at = (self.now + timedelta(days=days)).replace(microsecond=0)
        return self.run(  # type: ignore[no-any-return]
            lambda s: usecases.schedule_appointment(
                s, self.actor, person, starts_at=starts_at, mode="bureau", purpose="suivi"
            )
        )

    @rule(appointment=consumes(appointments))
    def cancel(self, appointment: uuid.UUID) -> None:
        self.run(
            lambda s: usecases.record_outcome(s, self.actor, appointment, "revoked", summary="")
        )

    @rule(appointment=appointments)
    def future_seen_refused(self, appointment: uuid.UUID) -> None:
        self.refused(lambda s: usecases.record_outcome(s, self.actor, appointment, "seen"))

    # -- barriers and actions -------------------------------------------------------------------

    @rule(target=barriers, person=persons)
    def open_barrier(self, person: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
        barrier = self.run(lambda s: usecases.open_barrier(s, self.actor, person, theme="mobilite"))
        return person, barrier

    @rule(person=persons)
    def unknown_theme_refused(self, person: uuid.UUID) -> None:
        self.refused(lambda s: usecases.open_barrier(s, self.actor, person, theme="teleportation"))

    @rule(target=actions, barrier=barriers, label=NAMES)  # one line: no control character
    def add_action(self, barrier: tuple[uuid.UUID, uuid.UUID], label: str) -> uuid.UUID:
        person, barrier_id = barrier
        return self.run(  # type: ignore[no-any-return]
            lambda s: usecases.add_action(
                s, self.actor, person, barrier_id=barrier_id, custom_label=label
            )
        )

    @rule(action=actions, partner=NAMES)
    def follow_action(self, action: uuid.UUID, partner: str) -> None:
        self.run(
            lambda s: usecases.follow_action(
                s,
                self.actor,
                action,
                status="in_progress",
                due_date=None,
                partner=partner,
                outcome=None,
            )
        )

    @rule(action=actions, service=st.sampled_from(["dora--svc1", "mes-aides--42", None]))
    def link_partner_service(self, action: uuid.UUID, service: str | None) -> None:
        """Issue 16: the partner chosen in the directory (None unlinks it)."""
        self.run(
            lambda s: usecases.follow_action(
                s,
                self.actor,
                action,
                status="in_progress",
                due_date=None,
                partner="Atelier mobilité",
                outcome=None,
                partner_service_id=service,
            )
        )

    @rule(person=persons, forged=st.sampled_from(["dora svc1", "dora--\tsvc", "z" * 300]))
    def forged_partner_service_refused(self, person: uuid.UUID, forged: str) -> None:
        self.refused(
            lambda s: usecases.add_action(
                s, self.actor, person, custom_label="Atelier", partner_service_id=forged
            )
        )

    @rule(person=persons)
    def sheet_of_an_unknown_service_refused(self, person: uuid.UUID) -> None:
        from spie_desktop.documents.department import DepartmentSettings

        self.refused(
            lambda s: usecases.print_partner_sheet(
                s, self.actor, "dora--absent", DepartmentSettings(), person
            )
        )

    # -- queries ----------------------------------------------------------------------------

    @rule()
    def queries_write_nothing(self) -> None:
        before = outbox_rows(self.store)
        page = queries.caseload_page(self.store, CaseloadFilter(), self.now, page_size=5)
        assert len(page.rows) == min(len(page.keys), 5)
        queries.dashboard(self.store, self.now)
        queries.agenda(self.store, None, self.now - timedelta(days=1), 40)
        for key in page.keys[:2]:
            queries.person_file(self.store, uuid.UUID(hex=key), self.now)
            partners.person_place(self.store, uuid.UUID(hex=key))
        partners.directory_overview(self.store)
        partners.find_partners(self.store, Criteria(text="logement"), datetime.now(), open_now=True)
        assert outbox_rows(self.store) == before

    @invariant()
    def the_caseload_lists_every_person_created(self) -> None:
        page = queries.caseload_page(self.store, CaseloadFilter(), self.now, page_size=0)
        assert {uuid.UUID(hex=key) for key in page.keys} == self.created


UseCaseMachine.TestCase.settings = settings(
    max_examples=8,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking takes minutes here
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestUseCases = UseCaseMachine.TestCase


def test_a_failing_use_case_rolls_back_a_write_already_flushed(store: Store, actor: Actor) -> None:
    """The outcome comes only from a committed transaction: a use-case that fails after a
    flush leaves no row, no outbox entry and returns nothing."""
    before = outbox_rows(store), table_counts(store)

    def work(session: Any) -> None:
        from spie_desktop.services import persons

        persons.create_person(session, actor, {"last_name": "Martin", "first_name": "Léa"})
        session.flush()
        raise ValidationError("Refusé.", field="x")

    with pytest.raises(ValidationError):
        run_write(store, work)
    assert (outbox_rows(store), table_counts(store)) == before


def test_changes_say_what_concerns_a_view() -> None:
    someone, other = uuid.uuid4(), uuid.uuid4()
    changes = Changes(frozenset({someone}), frozenset({"note"}))
    assert changes.concerns_person(someone) and not changes.concerns_person(other)
    assert not changes.concerns_person(None)
    assert changes.concerns_kinds(CONTENT_KINDS)
    assert not changes.concerns_kinds({"appointment"})
    assert ALL_CHANGED.concerns_person(other) and ALL_CHANGED.concerns_kinds({"appointment"})
    assert not NO_CHANGES and changes and ALL_CHANGED
    assert str(someone) not in repr(changes)  # ids never reach a log through a repr
