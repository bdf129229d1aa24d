"""The supervisor's desk on the demo (issue 14): started as ``demo.responsable``, the home
screen is the team dashboard; every figure, opened with the keyboard (Enter on its cell),
lists exactly the rows a direct count finds on the store; the caseload has a referent
column and filter, shows active persons by default, and looks read-only."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from spie_desktop.demo import DEMO_SUPERVISOR, DemoSpec, load_into_store
from spie_desktop.services import team
from spie_desktop.services.caseload import caseload_keys
from spie_desktop.services.team import FIGURES, AppointmentFilter, figure_list
from spie_desktop.store.store import Store
from tests.ui.conftest import FAST, PASSPHRASE, unlock, wait_idle
from ui.main_window import VIEW_CASELOAD, VIEW_TEAM
from ui.models.caseload_model import Column
from ui.views.team_dashboard import AppointmentsDialog


class _Runner:
    """The supervisor's device with the demo's two caseloads (as the server's demo sends)."""

    def __init__(self, make_app, root: Path, qtbot, keyring) -> None:  # type: ignore[no-untyped-def]
        data = root / "responsable"
        store = Store.create(data, PASSPHRASE, kdf=FAST, keyring_backend=keyring)
        load_into_store(
            store,
            DemoSpec(referents=2, persons_per_referent=150),
            acting_username=DEMO_SUPERVISOR,
        )
        store.close()
        self.parts = make_app(data)
        unlock(qtbot, self.parts)

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


def test_supervisor_dashboard_figures_open_their_lists(
    make_app, tmp_path: Path, qtbot, monkeypatch, keyring_file
) -> None:
    root = tmp_path / "demo"
    runner = _Runner(make_app, root, qtbot, keyring_file)
    parts = runner.parts
    try:
        window = parts.window
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=90_000)
        view = window.team
        qtbot.waitUntil(lambda: view.dashboard is not None and not view.busy, timeout=30_000)
        wait_idle(qtbot, parts)
        assert window.current_view == VIEW_TEAM  # the supervisor's home screen
        dashboard = view.dashboard
        assert dashboard is not None
        store = parts.ops.store
        assert store is not None
        assert dashboard.team.value(team.Figure.CASELOAD) > 200  # both referents' caseloads
        # The trend chart follows the table's current row, moved with the keyboard: each
        # referent's own 12 months, counted again on the store; the team's is their sum.
        view.table.setFocus()
        view.table.setCurrentIndex(view.model.index(0, 1))
        visited = []
        for step in range(view.model.rowCount()):
            if step:
                QTest.keyClick(view.table, Qt.Key.Key_Down)
            visited.append(view.table.currentIndex().row())
            row = view.model.row_figures(visited[-1])
            assert row is not None
            chart = view.trend_chart.chart()
            points = dashboard.trend_for(row.scope)
            seen = chart.series()[0].barSets()[0]
            missed = chart.series()[0].barSets()[1]
            assert [missed.at(i) for i in range(missed.count())] == [p.noshow for p in points]
            assert [seen.at(i) for i in range(seen.count())] == [p.seen for p in points]
            if row.scope.is_team:
                assert "—" not in chart.title()
                assert points == dashboard.trend
            else:
                assert chart.title().endswith(f"— {row.name}"), chart.title()
                with store.read() as session:
                    for point in points:
                        flt = team.month_noshow_filter(point, row.scope)
                        assert team.appointment_count(session, flt) == point.noshow
        assert visited == list(range(view.model.rowCount()))
        every = [dashboard.trend_for(r.scope) for r in dashboard.referents]
        assert [sum(t[i].noshow for t in every) for i in range(12)] == [
            p.noshow for p in dashboard.trend
        ]
        caseload = window.caseload
        opened_dialogs: list[AppointmentsDialog] = []
        original = window.open_appointments_list

        def remember(flt, caption):  # type: ignore[no-untyped-def]
            dialog = original(flt, caption)
            opened_dialogs.append(dialog)
            return dialog

        monkeypatch.setattr(window, "open_appointments_list", remember)
        view.open_appointments.disconnect()
        view.open_appointments.connect(window.open_appointments_list)
        for row_index in range(view.model.rowCount()):
            row = view.model.row_figures(row_index)
            assert row is not None
            for column, figure in enumerate(FIGURES, start=1):
                window.show_view(VIEW_TEAM)
                view.table.setFocus()
                view.table.setCurrentIndex(view.model.index(row_index, column))
                QTest.keyClick(view.table, Qt.Key.Key_Return)
                flt = figure_list(figure, row.scope, dashboard.now, dashboard.no_contact_days)
                if isinstance(flt, AppointmentFilter):
                    qtbot.waitUntil(lambda: bool(opened_dialogs) and opened_dialogs[-1].loaded)
                    dialog = opened_dialogs.pop()
                    with store.read() as session:
                        every = [r.appointment_id for r in team.appointment_rows(session, flt)]
                    # The first page, newest first; Ctrl+End pages through the rest.
                    assert len(dialog.model.rows) == min(len(every), dialog.model.page_size)
                    assert [r.appointment_id for r in dialog.model.rows] == every[
                        : len(dialog.model.rows)
                    ]
                    while not dialog.model.complete:
                        before = len(dialog.model.rows)
                        QTest.keyClick(
                            dialog.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier
                        )
                        qtbot.waitUntil(
                            lambda d=dialog, n=before: len(d.model.rows) > n or d.model.complete
                        )
                    assert [r.appointment_id for r in dialog.model.rows] == every
                    assert len(every) == row.value(figure), (row.name, figure)
                    dialog.reject()
                    continue
                assert window.current_view == VIEW_CASELOAD
                qtbot.waitUntil(lambda: not caseload.model.busy, timeout=10_000)
                with store.read() as session:
                    expected_keys = caseload_keys(session, flt, dashboard.now)
                assert sorted(i.hex for i in caseload.model.ids()) == sorted(expected_keys)
                assert caseload.model.rowCount() == row.value(figure), (row.name, figure)
                assert caseload.drill_bar.isVisible()
        # Back on the caseload: a filter touched drops the drill-down list.
        window.show_view(VIEW_CASELOAD)
        caseload.alert_filter.setCurrentIndex(1)
        assert not caseload.drill_bar.isVisible()
    finally:
        runner.stop()


def test_supervisor_caseload_referent_column_filter_and_read_only(
    make_app, tmp_path: Path, qtbot, keyring_file
) -> None:
    root = tmp_path / "demo"
    runner = _Runner(make_app, root, qtbot, keyring_file)
    parts = runner.parts
    try:
        window = parts.window
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=90_000)
        caseload = window.caseload
        qtbot.waitUntil(lambda: caseload.referent_filter.count() > 2, timeout=20_000)
        window.show_view(VIEW_CASELOAD)
        qtbot.waitUntil(lambda: not caseload.model.busy and caseload.model.rowCount() > 0)
        wait_idle(qtbot, parts)
        assert not caseload.table.isColumnHidden(Column.REFERENT)
        assert not caseload.table.isColumnHidden(Column.STATUS)
        assert not caseload.new_button.isVisible()  # read-only: no button that would be refused
        # Active persons by default: nobody who left is listed.
        statuses = {
            caseload.model.row_data(r).follow_up_status  # type: ignore[union-attr]
            for r in range(min(caseload.model.rowCount(), 60))
        }
        assert "sorti" not in statuses
        everyone_active = caseload.model.rowCount()
        # One referent, chosen with the keyboard.
        caseload.referent_filter.setFocus()
        QTest.keyClick(caseload.referent_filter, Qt.Key.Key_Down)
        qtbot.waitUntil(lambda: not caseload.model.busy)
        wait_idle(qtbot, parts)
        chosen = caseload.referent_filter.currentText()
        assert 0 < caseload.model.rowCount() < everyone_active
        names = {
            caseload.model.index(r, Column.REFERENT).data()
            for r in range(min(caseload.model.rowCount(), 60))
        }
        assert names == {chosen}
        # « Statut : tous » shows those who left too.
        caseload.status_filter.setCurrentIndex(0)
        qtbot.waitUntil(lambda: not caseload.model.busy)
        assert caseload.model.rowCount() > 0
    finally:
        runner.stop()


def test_dashboard_export_from_the_ui(
    make_app, tmp_path: Path, qtbot, monkeypatch, keyring_file
) -> None:
    root = tmp_path / "demo"
    runner = _Runner(make_app, root, qtbot, keyring_file)
    parts = runner.parts
    try:
        window = parts.window
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=90_000)
        view = window.team
        qtbot.waitUntil(lambda: view.dashboard is not None, timeout=30_000)
        target = tmp_path / "chiffres.csv"
        monkeypatch.setattr(view.saver, "choose_path", lambda *_a: target)
        saved: list[str] = []
        view.saver.saved.connect(saved.append)
        assert view.export("dashboard")
        qtbot.waitUntil(lambda: bool(saved), timeout=20_000)
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
        assert rows[0][0] == "perimetre"
        assert len(rows) - 1 == len(FIGURES) * len(view.dashboard.rows())  # type: ignore[union-attr]
        assert "tableau-de-bord" not in view.error.text() and str(target) in view.error.text()
    finally:
        runner.stop()
