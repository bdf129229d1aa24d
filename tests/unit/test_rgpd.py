"""Erasure requested from a device: recorded, synced (outbox), audited, never twice."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from spie_desktop.domain.models import AuditEvent, ErasureRequest
from spie_desktop.errors import NotFoundError, ValidationError
from spie_desktop.services.persons import create_person
from spie_desktop.services.rgpd import erasure_requests, request_erasure
from spie_desktop.store.local_models import OutboxEntry
from spie_desktop.store.store import Actor, Store


def test_request_is_recorded_synced_and_audited(
    store: Store, actor: Actor, supervisor_actor: Actor
) -> None:
    with store.write() as session:
        person_id = create_person(session, actor, {"last_name": "Roy", "first_name": "Lou"}).id
    for bad, code in (("", "required"), ("   ", "required"), ("x" * 256, "too_long")):
        with pytest.raises(ValidationError) as refused, store.write() as session:
            request_erasure(session, actor, person_id, bad)
        assert refused.value.code == code
    with pytest.raises(NotFoundError), store.write() as session:
        request_erasure(session, actor, uuid.uuid4(), "Demande écrite de la personne")
    # The supervisor, read-only elsewhere, may ask.
    with store.write() as session:
        request = request_erasure(
            session, supervisor_actor, person_id, "Courrier de la personne du 28/11"
        )
        request_id = request.id
    with pytest.raises(ValidationError) as refused, store.write() as session:
        request_erasure(session, actor, person_id, "Deuxième demande")
    assert refused.value.code == "erasure_pending"
    with store.read() as session:
        (row,) = session.execute(select(ErasureRequest)).scalars()
        assert (row.status, row.requested_by_id) == ("requested", supervisor_actor.referent_id)
        outbox = session.execute(
            select(OutboxEntry).where(OutboxEntry.row_id == request_id)
        ).scalar_one()
        assert outbox.table_name == "erasure_request"
        details = (
            session.execute(select(AuditEvent.detail).where(AuditEvent.person_id == person_id))
            .scalars()
            .all()
        )
        assert "demande d'effacement (RGPD)" in details
        assert [r.status for r in erasure_requests(session, person_id)] == ["requested"]
