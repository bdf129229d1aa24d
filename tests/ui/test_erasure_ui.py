"""The erasure request from the person file's « Documents » menu, for a supervisor too
(issue 15); no PDF tool needed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.ui.test_documents_ui import actions
from tests.ui.test_person_file import open_file, store_of


def test_a_supervisor_is_offered_the_erasure_request(
    make_app, seeded, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15: the referent or the supervisor asks (the server accepts a supervisor's
    request, tests/integration/test_erasure.py): the action is there and works for her."""
    from PySide6.QtWidgets import QInputDialog

    from spie_desktop.domain.models import ErasureRequest
    from spie_desktop.store.store import Store
    from tests.ui.conftest import PASSPHRASE, unlock

    store = Store.open(seeded.data_dir, PASSPHRASE, keyring_backend=seeded.keyring)
    try:
        with store.write() as session:
            store.set_state(session, "user_role", "supervisor")
    finally:
        store.close()
    parts = make_app(seeded.data_dir)
    unlock(qtbot, parts)
    monkeypatch.setattr(
        QInputDialog, "getText", lambda *args, **kwargs: ("Courrier de la personne", True)
    )
    open_file(parts, qtbot, seeded.persons["marc"])
    erase = actions(parts)["Demander l'effacement du dossier (RGPD)…"]
    assert erase.isEnabled() and erase.isVisible()
    erase.trigger()
    person = parts.window.person
    qtbot.waitUntil(lambda: person.error.objectName() == "successBanner", timeout=15_000)
    with store_of(parts).read() as session:
        rows = [r.reason for r in session.execute(select(ErasureRequest)).scalars()]
    assert rows == ["Courrier de la personne"]
