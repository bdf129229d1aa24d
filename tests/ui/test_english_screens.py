"""English UI (issue 12): no string of the French catalogue stays French on the main screens."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QTreeWidget, QWidget

from spie_desktop.resources import resource_path
from tests.ui.conftest import unlock, wait_idle
from ui.i18n import install_language


def french_sources() -> set[str]:
    """Catalogue strings whose English differs (the same word in both languages is fine)."""
    tree = ET.parse(resource_path("i18n", "spie_en.ts"))
    found = set()
    for message in tree.iter("message"):
        source = message.find("source").text or ""
        english = message.find("translation").text or ""
        if "{" not in source and english and english != source and len(source) > 3:
            found.add(source)
    return found


def shown_texts(root: QWidget) -> list[str]:
    texts: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QComboBox):
            texts.extend(widget.itemText(i) for i in range(widget.count()))
        elif isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            texts.extend(header.text(i) for i in range(header.columnCount()))
    return [text.replace("&", "") for text in texts if text]


def test_no_french_catalogue_string_on_the_main_screens_in_english(make_app, seeded, qtbot) -> None:
    french = french_sources()
    assert "Mon portefeuille" in french
    try:
        parts = make_app(seeded.data_dir, language="en")
        unlock(qtbot, parts)
        window = parts.window
        left: dict[str, list[str]] = {}
        for view in ("my_day", "caseload", "agenda", "settings"):
            window.show_view(view)
            wait_idle(qtbot, parts)
            qtbot.wait(200)
            stuck = [text for text in shown_texts(window.workspace) if text in french]
            if stuck:
                left[view] = stuck
        assert left == {}
    finally:
        install_language("fr")


def referential_french_labels() -> set[str]:
    """French labels of the referential entries that have an English one (issue 12)."""
    from spie_desktop.domain.referentials import get_referentials

    refs = get_referentials()
    found = set()
    for kind in ("appointment_status", "appointment_mode", "appointment_purpose",
                 "follow_up_status", "orientation", "barrier_status", "action_status",
                 "exit_reason", "contract_state"):  # fmt: skip
        for entry in refs.entries(kind):
            if entry.label_en and entry.label_en != entry.label:
                found.add(entry.label)
    return found


def test_referential_labels_are_english_in_the_english_ui(make_app, seeded, qtbot) -> None:
    """Statuses, modes, purposes, tracks, exit reasons… show their English label (the files'
    label_en); a French one left on a screen fails."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from tests.ui.test_person_file import open_file
    from ui.models.caseload_model import Column

    french = referential_french_labels()
    assert {"En accompagnement", "À venir", "Identifié"} <= french
    try:
        parts = make_app(seeded.data_dir, language="en")
        unlock(qtbot, parts)
        window = parts.window
        QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        wait_idle(qtbot, parts)
        caseload = window.caseload
        statuses = {
            caseload.model.index(row, Column.STATUS).data()
            for row in range(caseload.model.rowCount())
        }
        assert "In support" in statuses and not statuses & french
        combo_texts = [
            caseload.status_filter.itemText(i) for i in range(caseload.status_filter.count())
        ]
        assert "To contact" in combo_texts and not set(combo_texts) & french
        open_file(parts, qtbot, seeded.persons["eloise"])
        person = window.person
        rows = [
            person.appointments.topLevelItem(i).text(column)
            for i in range(person.appointments.topLevelItemCount())
            for column in range(4)
        ]
        assert "Upcoming" in rows and "Follow-up" in rows and "At the office" in rows
        assert not set(rows) & french
        left = [text for text in shown_texts(person) if text in french]
        assert left == []
    finally:
        install_language("fr")


def carnet_french_labels() -> set[str]:
    """French labels of the Carnet de bord lists whose English differs."""
    from spie_desktop.domain.referentials import get_referentials

    refs = get_referentials()
    return {
        entry.label
        for kind in ("theme", "target", "situation", "action")
        for entry in refs.entries(kind)
        if entry.label_en and entry.label_en != entry.label
    }


def test_carnet_de_bord_lists_are_english_in_the_english_ui(make_app, seeded, qtbot) -> None:
    """Barrier themes, situations, targets and actions (the generated lists): English in the
    caseload's filter and column, the file's barriers, both dialogs and the saved action's row;
    the store keeps codes and the French label (exports stay French)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QListWidget
    from sqlalchemy import select

    from spie_desktop.domain.models import Action
    from tests.ui.conftest import gone
    from tests.ui.test_appointment_dialogs import focused, pick
    from tests.ui.test_person_file import open_file, store_of
    from ui.dialogs.barriers import ActionDialog, BarrierDialog

    french = carnet_french_labels()
    assert {"Mobilité", "Logement", "Bourse au permis"} <= french
    try:
        parts = make_app(seeded.data_dir, language="en")
        unlock(qtbot, parts)
        window = parts.window
        QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        wait_idle(qtbot, parts)
        caseload = window.caseload
        themes = [caseload.theme_filter.itemText(i) for i in range(caseload.theme_filter.count())]
        assert "Housing" in themes and "Mobility" in themes and not set(themes) & french
        barrier_cells = {
            caseload.model.index(row, column).data()
            for row in range(caseload.model.rowCount())
            for column in range(caseload.model.columnCount())
        }
        assert not {str(cell) for cell in barrier_cells} & french

        open_file(parts, qtbot, seeded.persons["eloise"])
        person = window.person
        person.tabs.setCurrentIndex(person.TAB_BARRIERS)
        wait_idle(qtbot, parts)
        rows = {
            person.barriers.topLevelItem(i).text(column)
            for i in range(person.barriers.topLevelItemCount())
            for column in range(person.barriers.columnCount())
        }
        assert "Mobility" in rows and not rows & french

        dialog = person.new_barrier()
        assert isinstance(dialog, BarrierDialog)
        qtbot.waitUntil(lambda: focused() is dialog.theme, timeout=5_000)
        pick(dialog.theme, "logement")
        situations = [dialog.situations.item(i).text() for i in range(dialog.situations.count())]
        assert "Social housing tenant" in situations and not set(situations) & french
        targets = [dialog.target.itemText(i) for i in range(dialog.target.count())]
        assert "Access housing" in targets and not set(targets) & french
        shown = shown_texts(dialog) + [
            w.item(i).text() for w in dialog.findChildren(QListWidget) for i in range(w.count())
        ]
        assert not set(shown) & french
        dialog.reject()

        dialog = person.new_action()
        assert isinstance(dialog, ActionDialog)
        qtbot.waitUntil(dialog.isVisible, timeout=5_000)
        # Éloïse's open barrier (mobility) is preselected and sets the theme.
        assert dialog.barrier.currentText().startswith("Mobility — ")
        assert dialog.theme.currentText() == "Mobility"
        actions = [dialog.action.itemText(i) for i in range(dialog.action.count())]
        assert "Driving licence grant" in actions and not set(actions) & french
        pick(dialog.action, "mobilite.bourse_au_permis")
        QTest.keyClick(dialog.action, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: gone(dialog), timeout=10_000)

        def names() -> list[str]:
            items = person.action_list
            return [items.topLevelItem(i).text(0) for i in range(items.topLevelItemCount())]

        qtbot.waitUntil(lambda: "Driving licence grant" in names(), timeout=10_000)
        assert not set(names()) & french
        with store_of(parts).read() as session:
            stored = session.execute(select(Action.action_code, Action.custom_label)).all()
        assert ("mobilite.bourse_au_permis", None) in [tuple(r) for r in stored]
    finally:
        install_language("fr")


def catalogue_patterns() -> list[re.Pattern[str]]:
    """Catalogue strings whose English differs, as patterns: a string with placeholders
    (« Version {version} ») matches whatever was put in them."""
    tree = ET.parse(resource_path("i18n", "spie_en.ts"))
    patterns = []
    for message in tree.iter("message"):
        source = message.find("source").text or ""
        english = message.find("translation").text or ""
        if not english or english == source or len(source) <= 3:
            continue
        parts = re.split(r"\{[a-z_0-9]*\}", source)
        if len("".join(parts).strip()) <= 3:
            continue  # « {a} : {b} »: nothing French of its own
        patterns.append(re.compile(".+".join(re.escape(p) for p in parts), re.DOTALL))
    return patterns


def every_text(root: QWidget) -> list[str]:
    """What a user reads on ``root``: labels, buttons, drop-downs, headers and rows of lists,
    trees and tables, read-only text boxes, placeholders and tooltips."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QGroupBox,
        QLineEdit,
        QPlainTextEdit,
        QTabWidget,
        QTextEdit,
    )

    texts = shown_texts(root)
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        if widget.toolTip():
            texts.append(widget.toolTip())
        if widget.accessibleName():
            texts.append(widget.accessibleName())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabWidget):
            texts.extend(widget.tabText(i) for i in range(widget.count()))
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            texts.append(widget.placeholderText())
            if widget.isReadOnly():
                texts.append(widget.toPlainText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            from PySide6.QtCore import QAbstractListModel

            model = widget.model()
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
            for column in range(columns):
                texts.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
            for row in range(min(model.rowCount(), 40)):
                for column in range(columns):
                    index = model.index(row, column)
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = model.data(index, role)
                        if isinstance(value, str):
                            texts.append(value)
    lines = []
    for text in texts:
        lines.extend(line.strip() for line in text.replace("&", "").split("\n"))
    return [line for line in lines if line]


#: French the application itself writes outside the catalogue (the core's sentences: deadlines,
#: alerts, the vault's warning, the lock's sources) and French typography (« Label : value »).
FRENCH_MARKERS = re.compile(
    r"\b(avant le|dans \d+ jours?|dépassée?|aujourd'hui|prévues sur|mise en veille|trousseau"
    r"|verrouillage|Sans contact|échue)\b|^[A-Za-z' ()]+ : \S"  # an English caption, « : »
)


#: English dates written with French case (« Wednesday 2 december 2026 »: a French format, or
#: ``str.capitalize()`` lowering the month). « May » and « March » are left out: also words.
LOWERCASE_ENGLISH_DATE = re.compile(
    r"\b(january|february|april|june|july|august|september|october|november|december"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)


def french_in(texts: list[str], patterns: list[re.Pattern[str]], labels: set[str]) -> set[str]:
    return {
        text
        for text in texts
        if text in labels
        or any(pattern.fullmatch(text) for pattern in patterns)
        or FRENCH_MARKERS.search(text)
        or LOWERCASE_ENGLISH_DATE.search(text)
    }


#: A word written with a French letter (« délégation », « à », « Président »): on an English
#: screen, once people's data are taken out, it is a French string of ours.
FRENCH_WORD = re.compile(r"\w*[àâçéèêëîïôûùœ]\w*", re.IGNORECASE)


def french_words(texts: list[str], data: list[str]) -> set[str]:
    """The texts that keep a French word once ``data`` (names, typed texts) are taken out."""
    return {text for text in texts if FRENCH_WORD.search(_without(text, data))}


def every_french_label() -> set[str]:
    from spie_desktop.domain.referentials import get_referentials

    refs = get_referentials()
    return {
        entry.label
        for kind in refs.kinds
        for entry in refs.entries(kind)
        if entry.label_en and entry.label_en != entry.label and len(entry.label) > 3
    }


def _path_people(store) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Demo persons showing each part of the « Parcours » tab."""
    from sqlalchemy import select

    from spie_desktop.domain.models import (
        Breach,
        ClosingReview,
        EngagementContract,
        Person,
        ReorientationRequest,
    )

    with store.read() as session:

        def first(statement):  # type: ignore[no-untyped-def]
            return session.execute(statement.limit(1)).scalar_one_or_none()

        return {
            "request": first(
                select(ReorientationRequest.person_id).order_by(
                    (ReorientationRequest.status == "pending").desc()
                )
            ),
            "breach": first(select(Breach.person_id).where(Breach.deleted_at.is_(None))),
            "contract": first(
                select(EngagementContract.person_id).where(EngagementContract.state == "signed")
            ),
            "closed": first(select(ClosingReview.person_id)),
            "no contract": first(select(Person.id).where(Person.contract_type == "none")),
        }


def test_path_directory_audit_and_settings_in_english(make_app, demo_data, qtbot) -> None:
    """The « Parcours » tab of demo persons (orientation, contract, plan, request, breach,
    closing) and each of its dialogs, the directory, the audit log and the settings: nothing
    of the French catalogue (placeholders filled in or not) nor a French referential label."""
    from PySide6.QtCore import QDate, QLocale

    from tests.ui.test_path_tab import open_path
    from ui.dialogs import path as dialogs
    from ui.dialogs.audit_log import AuditLogDialog

    patterns = catalogue_patterns()
    labels = every_french_label()
    assert any(p.fullmatch("du 01/02/2026 au …") for p in patterns)  # « du {start} au {end} »
    left: dict[str, set[str]] = {}

    def scan(name: str, root: QWidget) -> None:
        found = french_in(every_text(root), patterns, labels)
        if found:
            left[name] = found

    try:
        parts = make_app(demo_data, language="en")
        unlock(qtbot, parts)
        window = parts.window
        from ui.models.caseload_model import ALERTS_ROLE, Column

        window.show_view("caseload")
        wait_idle(qtbot, parts)
        scan("caseload", window.caseload)
        model = window.caseload.model
        alerts = [
            text
            for row in range(min(model.rowCount(), 60))
            for text in model.index(row, 0).data(ALERTS_ROLE) or []
        ]
        assert any(text.startswith("No contact for ") for text in alerts), alerts[:5]
        found = french_in(alerts, patterns, labels)
        if found:
            left["caseload alerts"] = found
        scan("status bar", window.statusBar())
        # at 1366×768 every column fits: no horizontal scroll bar cutting the alerts
        window.resize(1366, 768)
        qtbot.wait(100)
        table = window.caseload.table
        assert table.horizontalScrollBar().maximum() == 0
        assert table.columnWidth(Column.ALERTS) >= table.ALERTS_MIN
        window.resize(1440, 900)
        window.show_view("my_day")
        wait_idle(qtbot, parts)
        scan("my_day", window.workspace)
        # « Wednesday, 2 December 2026 »: the English long date, with its capitals
        assert window.my_day.date_label.text() == QLocale(
            QLocale.Language.English, QLocale.Country.UnitedKingdom
        ).toString(QDate.currentDate(), QLocale.FormatType.LongFormat)
        people = _path_people(parts.ops.store)
        assert all(people.values()), people
        for key, person_id in people.items():
            tab = open_path(parts, qtbot, person_id)
            wait_idle(qtbot, parts)
            qtbot.wait(200)
            scan(f"path:{key}", tab)
            person = window.person
            data = _person_data(parts.ops.store, person_id)
            # the file's header and the path tab: no French word once her data are out,
            # and no referential label that says nothing on its own (« · None · »)
            header = [person.title.text(), person.subtitle.text()]
            found = french_words(header + every_text(tab), data) | french_in(
                header, patterns, labels
            )
            found |= {
                text
                for text in header
                if {"None", "Aucun"} & {piece.strip() for piece in text.split(" · ")}
            }
            if found:
                left[f"path:{key}:words"] = found
            data = tab.data
            assert data is not None
            opened: list[QWidget] = [
                dialogs.OrientationDialog(parts.session, person_id, parent=tab),
                dialogs.ReorientationDialog(parts.session, person_id, parent=tab),
                dialogs.ContractDialog(parts.session, person_id, parent=tab),
                dialogs.BreachDialog(parts.session, person_id, parent=tab),
                dialogs.ClosingDialog(parts.session, person_id, parent=tab),
            ]
            if data.current is not None:
                cid = data.current.id
                opened += [
                    dialogs.SignContractDialog(parts.session, person_id, cid, parent=tab),
                    dialogs.PlanActionDialog(parts.session, person_id, cid, parent=tab),
                    dialogs.EndContractDialog(parts.session, person_id, cid, parent=tab),
                ]
            if data.plan:
                action = data.plan[0]
                opened.append(
                    dialogs.HoursDialog(
                        parts.session, person_id, action.id, action.planned, action.done, tab
                    )
                )
            if data.pending_request_id is not None:
                opened.append(
                    dialogs.AnswerReorientationDialog(
                        parts.session, person_id, data.pending_request_id, "", parent=tab
                    )
                )
            if data.decision_ids:
                opened.append(
                    dialogs.NotifyOrientationDialog(
                        parts.session, person_id, data.decision_ids[0][0], "", parent=tab
                    )
                )
            for breach in data.breaches or []:
                opened.append(
                    dialogs.BreachDecisionDialog(
                        parts.session, person_id, breach.id, "", breach.invited, parent=tab
                    )
                )
                break
            for dialog in opened:
                dialog.open()
                qtbot.wait(50)
                scan(f"{key}:{type(dialog).__name__}", dialog)
                dialog.reject()

        window.show_view("directory")
        search = window.directory.search
        qtbot.waitUntil(lambda: search.page is not None, timeout=10_000)
        search.set_theme("logement")
        search.search_now()
        wait_idle(qtbot, parts)
        qtbot.wait(300)
        scan("directory", window.directory)

        window.show_view("settings")
        wait_idle(qtbot, parts)
        scan("settings", window.workspace)

        from tools.screenshots import _StoreAuditLog

        audit = AuditLogDialog(parts.session, _StoreAuditLog(parts.ops.store), window)  # type: ignore[arg-type]
        audit.show()
        wait_idle(qtbot, parts)
        qtbot.wait(300)
        scan("audit", audit)
        audit.close()
        assert left == {}
    finally:
        install_language("fr")


def _journal_people(store) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Demo persons whose journals hold, together, every kind of entry (read from the tables,
    not from the journal, so that the choice does not depend on the code under test)."""
    from sqlalchemy import select

    from spie_desktop.domain.models import (
        Action,
        Appointment,
        Barrier,
        Breach,
        ClosingReview,
        EngagementContract,
        Note,
        OrientationDecision,
        ReferentAssignment,
        ReorientationRequest,
    )

    with store.read() as session:

        def first(statement):  # type: ignore[no-untyped-def]
            return session.execute(statement.limit(1)).scalar_one_or_none()

        return {
            "moved appointment": first(
                select(Appointment.person_id).where(Appointment.requested_by.is_not(None))
            ),
            "lifted barrier": first(
                select(Barrier.person_id).where(
                    Barrier.closed_on.is_not(None), Barrier.target_code.is_not(None)
                )
            ),
            "ended action": first(
                select(Action.person_id).where(
                    Action.end_date.is_not(None), Action.due_date.is_not(None)
                )
            ),
            "note": first(select(Note.person_id).where(Note.sensitive.is_(False))),
            "handover": first(
                select(ReferentAssignment.person_id).where(
                    ReferentAssignment.handover_note.is_not(None)
                )
            ),
            "orientation": first(
                select(OrientationDecision.person_id).where(
                    OrientationDecision.notified_on.is_not(None)
                )
            ),
            "reorientation": first(select(ReorientationRequest.person_id)),
            "contract": first(
                select(EngagementContract.person_id).where(EngagementContract.ends_on.is_not(None))
            ),
            "closing": first(select(ClosingReview.person_id)),
            "breach": first(select(Breach.person_id).where(Breach.deleted_at.is_(None))),
        }


def _typed_texts(store, person_id) -> list[str]:  # type: ignore[no-untyped-def]
    """What people typed in a person's file (a person's data: French whatever the UI)."""
    from sqlalchemy import select

    from spie_desktop.domain import models as m

    columns = [
        (m.Note, m.Note.text),
        (m.Appointment, m.Appointment.summary),
        (m.Action, m.Action.outcome),
        (m.Action, m.Action.partner),
        (m.Action, m.Action.custom_label),
        (m.Barrier, m.Barrier.target_text),
        (m.ReferentAssignment, m.ReferentAssignment.handover_note),
        (m.ReorientationRequest, m.ReorientationRequest.reason),
        (m.OrientationDecision, m.OrientationDecision.structure_name),
        (m.ClosingReview, m.ClosingReview.outcome),
    ]
    with store.read() as session:
        found = {
            text
            for model, column in columns
            for text in session.execute(select(column).where(model.person_id == person_id))
            .scalars()
            .all()
            if text
        }
    return sorted(found, key=len, reverse=True)


def _person_data(store, person_id) -> list[str]:  # type: ignore[no-untyped-def]
    """A person's data as shown on her file: what people typed, her identity, the names of
    referents and structures (French whatever the interface). ``decided_by_name`` is left
    out: the demo and the import write our own wording there."""
    from sqlalchemy import select

    from spie_desktop.domain import models as m

    columns = [
        (m.EngagementContract, m.EngagementContract.objectives),
        (m.EngagementContract, m.EngagementContract.floor_comment),
        (m.Breach, m.Breach.observations),
        (m.Breach, m.Breach.decision),
        (m.OrientationDecision, m.OrientationDecision.comment),
        (m.ReorientationRequest, m.ReorientationRequest.answer_comment),
    ]
    with store.read() as session:
        found = {
            text
            for model, column in columns
            for text in session.execute(select(column).where(model.person_id == person_id))
            .scalars()
            .all()
            if text
        }
        person = session.get(m.Person, person_id)
        found |= {
            str(value)
            for value in (
                person.first_name,
                person.last_name,
                person.birth_name,
                person.city,
                person.address,
            )
            if value
        }
        found |= {text.upper() for text in found}  # « PRÉVOST William »
        for referent in session.execute(select(m.Referent)).scalars():
            found |= {referent.first_name, referent.last_name}
        found |= set(session.execute(select(m.Structure.name)).scalars())
    found |= set(_typed_texts(store, person_id))
    return sorted((text for text in found if text), key=len, reverse=True)


def _without(text: str, typed: list[str]) -> str:
    for data in typed:
        text = text.replace(data, "…")
    return text


#: What the journal wrote in French before it was worded by the interface (issue 12).
JOURNAL_FRENCH = re.compile(
    r"\b(échéance|notifiée le|déplacé|version \d+ \((signé|brouillon|terminé)|Référent :"
    r"|Frein (identifié|levé)|Demande de réorientation|Fin d'accompagnement|Manquement)\b"
)


def test_the_journal_of_demo_persons_is_english_in_the_english_ui(
    make_app, demo_data, qtbot
) -> None:
    """The « Journal » tab of demo persons holding every kind of entry (appointments, moved
    ones, barriers identified and lifted, actions started and ended, notes, handovers,
    orientations, reorientation requests, contract versions, closings, breaches): no French
    sentence, label or word of the catalogue in any column, nor in the entry's detail box,
    nor in the notes tab."""
    from tests.ui.test_person_file import open_file
    from ui.views.person_file import ROW_KIND

    patterns = catalogue_patterns()
    labels = every_french_label()
    assert {"Levé", "Au bureau", "Signé"} <= labels
    try:
        parts = make_app(demo_data, language="en")
        unlock(qtbot, parts)
        window = parts.window
        people = _journal_people(parts.ops.store)
        assert all(people.values()), people
        kinds_seen: set[str] = set()
        left: dict[str, set[str]] = {}
        for key, person_id in people.items():
            typed = _typed_texts(parts.ops.store, person_id)
            open_file(parts, qtbot, person_id)
            person = window.person
            person.tabs.setCurrentIndex(person.TAB_JOURNAL)
            wait_idle(qtbot, parts)
            journal = person.journal
            assert journal.topLevelItemCount() > 0, key
            texts: list[str] = []
            for i in range(journal.topLevelItemCount()):
                item = journal.topLevelItem(i)
                kinds_seen.add(item.data(0, ROW_KIND))
                texts += [item.text(c) for c in range(journal.columnCount())] + [item.toolTip(2)]
                journal.setCurrentItem(item)
                texts.append(person.journal_detail.toPlainText())
            notes = person.notes
            texts += [
                notes.topLevelItem(i).text(c)
                for i in range(notes.topLevelItemCount())
                for c in range(notes.columnCount())
            ]
            texts = [_without(text, typed) for text in texts]
            # each piece of « Diagnostic — At the office · moved at the person's request »
            pieces = [p for text in texts for part in text.split(" — ") for p in part.split(" · ")]
            found = french_in(texts, patterns, labels) | {
                piece for piece in pieces if piece in labels
            }
            found |= {text for text in texts if JOURNAL_FRENCH.search(text)}
            if found:
                left[key] = found
        from spie_desktop.services.timeline import ALL_KINDS

        assert kinds_seen == ALL_KINDS
        assert left == {}
    finally:
        install_language("fr")


def _barrier_people(store) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Demo persons whose « Freins et actions » tab holds, together, every kind of row: a
    target from the list and a typed one, situations, a lifted barrier, an action from the
    list and a typed one, a plan action, an overdue one, each action status (read from the
    tables, not from the screen)."""
    from sqlalchemy import select

    from spie_desktop.domain.models import Action, Barrier

    with store.read() as session:

        def first(statement):  # type: ignore[no-untyped-def]
            return session.execute(statement.limit(1)).scalar_one_or_none()

        live = Action.deleted_at.is_(None)
        typed_action = (Action.action_code.is_(None), Action.contract_id.is_(None))
        open_action = Action.status.in_(("planned", "in_progress", "standby"))
        people = {
            "listed target": first(select(Barrier.person_id).where(Barrier.target_code != "")),
            "typed target": first(select(Barrier.person_id).where(Barrier.target_text != "")),
            "lifted barrier": first(select(Barrier.person_id).where(Barrier.status == "lifted")),
            "listed action": first(select(Action.person_id).where(live, Action.action_code != "")),
            "typed action": first(select(Action.person_id).where(live, *typed_action)),
            "plan action": first(
                select(Action.person_id).where(live, Action.contract_id.is_not(None))
            ),
            "overdue action": first(
                select(Action.person_id).where(live, open_action, Action.due_date < date.today())
            ),
        }
        for status in ("planned", "in_progress", "standby", "done", "abandoned", "cancelled"):
            people[f"action {status}"] = first(
                select(Action.person_id).where(live, Action.status == status)
            )
    return people


def _tree_texts(tree: QTreeWidget) -> list[str]:
    """Every cell and tooltip of ``tree``, children included (the barriers are grouped by
    theme: their targets, statuses and situations are children)."""
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    texts = [tree.headerItem().text(c) for c in range(tree.columnCount())]
    iterator = QTreeWidgetItemIterator(tree)
    while (item := iterator.value()) is not None:
        for column in range(tree.columnCount()):
            texts += [item.text(column), item.toolTip(column)]
        iterator += 1
    return [text for text in texts if text]


def test_the_barriers_and_actions_of_demo_persons_are_english_in_the_english_ui(
    make_app, demo_data, qtbot
) -> None:
    """The « Freins et actions » tab of demo persons (targets from the list and typed ones,
    situations, lifted barriers, actions from the list, typed ones and the contract's plan
    actions, overdue ones, every action status) and its two follow-up dialogs: every cell,
    child row and tooltip is English except what people typed (a typed target or action, a
    partner, a comment: a person's data, French whatever the interface)."""
    from sqlalchemy import select

    from spie_desktop.domain import models as m
    from tests.ui.test_person_file import open_file
    from ui.dialogs.barriers import ActionStatusDialog, BarrierStatusDialog

    patterns = catalogue_patterns()
    labels = every_french_label()
    assert {"Levé", "Identifié", "Réalisée"} <= labels
    try:
        parts = make_app(demo_data, language="en")
        unlock(qtbot, parts)
        window = parts.window
        store = parts.ops.store
        people = _barrier_people(store)
        assert all(people.values()), people
        left: dict[str, set[str]] = {}
        seen: list[str] = []
        keys: dict[object, str] = {}
        for key, person_id in people.items():  # one visit per person, named by all its keys
            keys[person_id] = f"{keys[person_id]}, {key}" if person_id in keys else key
        for person_id, key in keys.items():
            with store.read() as session:
                comments = session.execute(
                    select(m.Barrier.comment).where(m.Barrier.person_id == person_id)
                ).scalars()
                typed = sorted(
                    {*_typed_texts(store, person_id), *(c for c in comments if c)},
                    key=len,
                    reverse=True,
                )
            open_file(parts, qtbot, person_id)
            person = window.person
            person.tabs.setCurrentIndex(person.TAB_BARRIERS)
            wait_idle(qtbot, parts)
            assert person.file is not None and person.file.person_id == person_id
            tab = person.tabs.currentWidget()
            texts = _tree_texts(person.barriers) + _tree_texts(person.action_list)
            texts += every_text(tab)
            dialogs: list[QWidget] = []
            if person.file.barriers:
                dialogs.append(BarrierStatusDialog(parts.session, person.file.barriers[0], person))
            if person.file.actions:
                dialogs.append(ActionStatusDialog(parts.session, person.file.actions[0], person))
            for dialog in dialogs:
                dialog.open()
                qtbot.wait(50)
                texts += every_text(dialog)
                dialog.reject()
            seen += texts
            bare = [_without(text, typed) for text in texts]
            # « Financial difficulties, Debt » and « 12/03/2026 (overdue) »: each piece too
            pieces = [p.strip() for text in bare for p in re.split(r", | — | · ", text)]
            found = french_in(bare, patterns, labels) | {p for p in pieces if p in labels}
            if found:
                left[key] = found
        assert "Lifted" in seen and "Done" in seen  # the English labels are there
        assert left == {}
    finally:
        install_language("fr")


def directory_french_words() -> set[str]:
    """French data·inclusion labels (themes, publics, reception modes, fees, service types)
    and mobilisation words that have an English one (``data-inclusion.en.json``)."""
    import json

    from spie_desktop.services import directory

    path = resource_path("referentials", "data-inclusion.en.json")
    english_of = json.loads(path.read_text(encoding="utf-8"))
    found = set()
    for kind in ("thematiques", "publics", "types-de-services", "modes-accueil", "frais"):
        english = english_of[kind]
        for code, french in directory.labels(kind).items():
            if english[code] != french and len(french) > 3:
                found.add(french)
    found |= set(directory._MOBILISATION.values()) | set(directory._MOBILISERS.values())
    return found


#: The directory's French wording of opening hours: day abbreviations, the state now.
FRENCH_HOURS = re.compile(
    r"\b(lun|mar|mer|jeu|ven|sam|dim)\.|jours fériés|\b(Ouvert|Fermé|ferme|ouvre|fermé)\b"
    r"|\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) à"
)


def test_directory_service_and_partner_picker_in_english(make_app, demo_data, qtbot) -> None:
    """The directory view (Ctrl+4) with services selected one after the other, and the partner
    picker of the action dialog: hours, state, themes, publics, reception, fees and how to
    reach the service are English; only the records' own texts (names, descriptions,
    addresses, details, hours typed as free text) stay as written."""
    from ui.dialogs.partner_picker import PartnerPickerDialog, link_text

    patterns = catalogue_patterns()
    words = directory_french_words()
    assert "Louer un logement" in words and "Gratuit" in words
    left: dict[str, set[str]] = {}

    def own_texts(search) -> list[str]:  # type: ignore[no-untyped-def]
        texts = []
        for row in search.page.rows:
            texts += [row.name, row.structure_name, row.address, row.commune or ""]
            if row.hours is not None and not row.hours.parsed:
                texts.append(row.hours.raw)
        detail = search.detail
        if detail is not None:
            texts += [v for v in detail.data.values() if isinstance(v, str)]
        return sorted((t for t in texts if t), key=len, reverse=True)

    def scan(name: str, root: QWidget, search) -> None:  # type: ignore[no-untyped-def]
        typed = own_texts(search)
        found = set()
        for text in every_text(root):
            bare = text
            for own in typed:
                bare = bare.replace(own, "")
            if (
                any(word in bare for word in words)
                or FRENCH_HOURS.search(bare)
                or any(pattern.fullmatch(text) for pattern in patterns)
            ):
                found.add(text)
        if found:
            left[name] = found

    def select_each(name: str, root: QWidget, search) -> int:  # type: ignore[no-untyped-def]
        shown = 0
        for index in range(min(search.results.count(), 8)):
            search.results.setCurrentRow(index)
            qtbot.waitUntil(
                lambda: search.detail is not None and search.detail.row.id == search.current_id(),
                timeout=10_000,
            )
            wait_idle(qtbot, parts)
            scan(f"{name}:{index}", root, search)
            typed = own_texts(search)
            for line in link_text(search.detail).split("\n"):
                bare = line
                for own in typed:
                    bare = bare.replace(own, "")
                if any(word in bare for word in words) or FRENCH_HOURS.search(bare):
                    left.setdefault(f"{name}:{index}:link", set()).add(line)
            shown += 1
        return shown

    try:
        parts = make_app(demo_data, language="en")
        unlock(qtbot, parts)
        window = parts.window
        window.show_view("directory")
        search = window.directory.search
        qtbot.waitUntil(lambda: search.page is not None, timeout=10_000)
        wait_idle(qtbot, parts)
        parsed = [row for row in search.page.rows if row.hours is not None and row.hours.parsed]
        assert parsed, "the demo directory has parsed opening hours"
        assert select_each("directory", window.directory, search) >= 5

        dialog = PartnerPickerDialog(parts.session, window, person_id=None, theme="logement")
        dialog.open()
        picker = dialog.search
        qtbot.waitUntil(lambda: picker.page is not None and bool(picker.page.rows), timeout=10_000)
        wait_idle(qtbot, parts)
        assert select_each("picker", dialog, picker) >= 1
        dialog.reject()
        assert left == {}
    finally:
        install_language("fr")


def test_the_sync_status_bar_speaks_english(qapp) -> None:  # type: ignore[no-untyped-def]
    """Every progress message of the sync engine (read from its source: a new one fails here
    until it is translated) and every outcome it words itself (busy, offline, session expired,
    failure, revocation, reconciliation) reach the status bar in English."""
    import inspect

    from PySide6.QtCore import Signal

    from sync import client
    from sync.client import (
        AuthRequiredError,
        NotConfiguredError,
        OfflineError,
        SyncError,
        SyncReport,
    )
    from ui.sync_client_backend import outcome_of
    from ui.widgets.status_bar import SyncStatusBar

    source = inspect.getsource(client)
    progress = set(re.findall(r'_progress\(\s*"\w+",[^"]*?"([^"]+)"\s*\)', source))
    assert {"Dossiers à jour.", "Envoi des modifications…"} <= progress, progress
    patterns = catalogue_patterns()
    labels = every_french_label()
    try:
        assert install_language("en")

        class Controller(QWidget):  # the bar's view of the controller: two signals, a status
            status_changed = Signal(object)
            progress = Signal(int, int, str)

            def __init__(self) -> None:
                super().__init__()
                from ui.sync_controller import SyncStatus

                self.status = SyncStatus(server_url="https://spie.example")

            def sync_now(self) -> None: ...

        controller = Controller()
        bar = SyncStatusBar(controller)  # type: ignore[arg-type]
        shown: dict[str, str] = {}
        from ui.sync_client_backend import ClientBackend

        for message in sorted(progress):
            relayed: list[str] = []

            class FakeClient:
                on_progress = None

                def __init__(self, said: str) -> None:
                    self.said = said

                def sync(self) -> SyncReport:
                    assert self.on_progress is not None
                    self.on_progress(client.Progress("pull", 1, 2, self.said))
                    return SyncReport()

            backend = ClientBackend()
            fake = FakeClient(message)
            backend._for = lambda store, fake=fake: fake  # type: ignore[assignment,method-assign,misc]
            backend.sync(None, lambda done, total, text, into=relayed: into.append(text))  # type: ignore[arg-type,misc]
            bar._on_progress(1, 2, relayed[0])
            shown[message] = bar.message.text()
        reports = {
            "busy": SyncReport(status="busy", message="Une synchronisation est déjà en cours."),
            "offline": SyncReport(status="offline", message=OfflineError.default_message),
            "auth": SyncReport(status="auth_required", message=AuthRequiredError.default_message),
            "not configured": SyncReport(
                status="error", message=NotConfiguredError.default_message
            ),
            "error": SyncReport(status="error", message=SyncError.default_message),
            "revoked": SyncReport(status="revoked", revoke_kind="retired", destroyed=2, pushed=1),
            "recovered": SyncReport(recovered=True, recovery_reason="counts", resent=3, removed=1),
        }
        for key, report in reports.items():
            shown[key] = outcome_of(report).message or ""
        left = {
            key: text
            for key, text in shown.items()
            if not text or french_in([text], patterns, labels) or FRENCH_WORD.search(text)
        }
        assert left == {}
        assert shown["Dossiers à jour."] == "Files up to date."
    finally:
        install_language("fr")
