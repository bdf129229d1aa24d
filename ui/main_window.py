"""The main window: first start, unlock, and the workspace (caseload, file, agenda, settings).

It also runs the lock (DESIGN §4): on the idle timer or an OS signal it collects the drafts of
every screen and open dialog, seals them, closes the dialogs, drops the store and its key,
forgets what the screens show, and shows the unlock screen; after unlock it reopens the
screen, the person file and the dialogs the referent was in, with what they had typed.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.resources import resource_path
from spie_desktop.services.operation import Changes
from ui.dialogs.audit_log import AuditLogDialog
from ui.dialogs.base import DraftDialog
from ui.dialogs.conflicts import ConflictsDialog
from ui.dialogs.handover import HandoverDialog, HandoverQueueDialog
from ui.dialogs.persons import NewPersonDialog
from ui.i18n import translate
from ui.lock import IdleLock
from ui.session import AppContext
from ui.sync_controller import SyncController
from ui.views.agenda import AgendaView
from ui.views.caseload import CaseloadView
from ui.views.directory import DirectoryView
from ui.views.first_start import FirstStartPage
from ui.views.my_day import MyDayView
from ui.views.person_file import PersonFileView
from ui.views.settings import SettingsView
from ui.views.team_dashboard import AppointmentsDialog, TeamDashboardView
from ui.views.unlock import UnlockPage
from ui.widgets.common import a11y, info_box, shortcut
from ui.widgets.status_bar import SyncStatusBar
from ui.workers import error_message

log = logging.getLogger(__name__)

VIEW_CASELOAD, VIEW_PERSON, VIEW_AGENDA, VIEW_SETTINGS = "caseload", "person", "agenda", "settings"
VIEW_TEAM = "team"
VIEW_MY_DAY = "my_day"
VIEW_DIRECTORY = "directory"


class MainWindow(QMainWindow):
    locked = Signal(str)
    workspace_shown = Signal()

    def __init__(
        self,
        session: AppContext,
        sync: SyncController,
        idle_lock: IdleLock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.ops = session.ops
        self.sync = sync
        self.idle_lock = idle_lock
        self.setWindowTitle(translate("main", "SPIE — Accompagnement"))
        a11y(self, translate("main", "SPIE — Accompagnement"))
        self.setMinimumSize(1100, 700)
        self._view = VIEW_CASELOAD
        self._restoring: dict[str, Any] | None = None

        self.pages = QStackedWidget()
        self.first_start = FirstStartPage(session, sync)
        self.unlock_page = UnlockPage(session)
        self.workspace = QWidget()
        self.workspace.setObjectName("workspace")
        self.pages.addWidget(self.first_start)
        self.pages.addWidget(self.unlock_page)
        self.pages.addWidget(self.workspace)
        self.setCentralWidget(self.pages)

        self.caseload = CaseloadView(session)
        self.team = TeamDashboardView(session)
        self.person = PersonFileView(session)
        self.person.sync = sync
        self.agenda = AgendaView(session)
        self.my_day = MyDayView(session)
        self.directory = DirectoryView(session)
        self.settings_view = SettingsView(
            session, lock_sources=idle_lock.platform_sources, sync=sync
        )
        self._build_workspace()

        self.status = SyncStatusBar(sync)
        self.setStatusBar(self.status)
        self.status.setVisible(False)

        # Wiring.
        self.first_start.finished.connect(self._first_start_done)
        self.session.unlocked.connect(self._on_session_unlocked)
        self.session.actor_changed.connect(lambda _actor: self._on_actor_changed())
        self.idle_lock.lock_requested.connect(self.lock)
        self.ops.data_changed.connect(self._on_data_changed)
        self.ops.failed.connect(self._on_failed)
        self.caseload.open_person.connect(self.open_person)
        self.caseload.new_person.connect(self.new_person)
        self.caseload.back_to_dashboard.connect(lambda: self.show_view(VIEW_TEAM))
        self.team.open_caseload.connect(self.open_caseload_list)
        self.team.open_appointments.connect(self.open_appointments_list)
        self.team.open_audit_log.connect(self.show_audit_log)
        self.person.back.connect(lambda: self.show_view(VIEW_CASELOAD))
        self.agenda.open_person.connect(self.open_person)
        self.my_day.open_person.connect(self.open_person)
        self.my_day.open_reports.connect(self._open_reports)
        self.my_day.open_today.connect(self._open_today)
        self.my_day.open_alert.connect(self._open_alert)
        self.directory.back_to_person.connect(self.open_person)
        self.settings_view.lock_now.connect(lambda: self.lock("manual"))
        self.settings_view.settings_saved.connect(self._settings_saved)
        self.status.conflicts_clicked.connect(self.show_conflicts)
        self.sync.revoked.connect(self._on_revoked)

        shortcut("Ctrl+L", self, lambda: self.lock("manual"))
        shortcut("F5", self, self._sync_shortcut)
        shortcut("Ctrl+N", self, self.new_person)
        shortcut("Ctrl+1", self, lambda: self.show_view(VIEW_CASELOAD))
        shortcut("Ctrl+2", self, lambda: self.show_view(VIEW_AGENDA))
        shortcut("Ctrl+3", self, lambda: self.show_view(VIEW_SETTINGS))
        shortcut("Ctrl+0", self, lambda: self.show_view(VIEW_TEAM))
        shortcut("Ctrl+Shift+A", self, self.show_audit_log)
        self._install_handover_entries()
        shortcut("Ctrl+J", self, lambda: self.show_view(VIEW_MY_DAY))
        shortcut("Ctrl+4", self, lambda: self.show_view(VIEW_DIRECTORY))

        idle_lock.attach_window(self)
        if session.store_exists:
            self.show_unlock()
        else:
            self.pages.setCurrentWidget(self.first_start)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter on a focused button presses it (Qt only does so inside dialogs)."""
        focused = QApplication.focusWidget()
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(focused, QPushButton)
            and focused.isEnabled()
            and focused.window() is self
        ):
            focused.animateClick()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ layout

    def _build_workspace(self) -> None:
        layout = QHBoxLayout(self.workspace)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        sidebar = QFrame()
        sidebar.setObjectName("sidebar")
        sidebar.setFixedWidth(210)
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 0, 0, 12)
        side.setSpacing(2)
        brand = QLabel("SPIE")
        brand.setObjectName("brand")
        side.addWidget(brand)
        sub = QLabel(translate("main", "Insertion et emploi"))
        sub.setObjectName("brandSub")
        side.addWidget(sub)
        self.nav_group = QButtonGroup(self)
        self.nav_group.setExclusive(True)
        self.nav: dict[str, QPushButton] = {}
        for key, text, keys in (
            (VIEW_TEAM, translate("main", "Tableau de bord"), "Ctrl+0"),
            (VIEW_MY_DAY, translate("main", "Ma journée"), "Ctrl+J"),
            (VIEW_CASELOAD, translate("main", "Portefeuille"), "Ctrl+1"),
            (VIEW_AGENDA, translate("main", "Agenda"), "Ctrl+2"),
            (VIEW_DIRECTORY, translate("main", "Annuaire"), "Ctrl+4"),
            (VIEW_SETTINGS, translate("main", "Paramètres"), "Ctrl+3"),
        ):
            nav = QPushButton(text)
            nav.setObjectName("navButton")
            nav.setCheckable(True)
            nav.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            nav.setToolTip(f"{text} ({keys})")
            nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            nav.setCursor(Qt.CursorShape.PointingHandCursor)
            a11y(nav, text, translate("main", "Raccourci : {k}").format(k=keys))
            nav.clicked.connect(lambda _checked=False, k=key: self.show_view(k))
            self.nav_group.addButton(nav)
            self.nav[key] = nav
            side.addWidget(nav)
        side.addStretch(1)
        self.user_label = QLabel()
        self.user_label.setObjectName("userName")
        self.user_label.setWordWrap(True)
        side.addWidget(self.user_label)
        self.lock_nav = QPushButton(translate("main", "Verrouiller"))
        self.lock_nav.setObjectName("navButton")
        self.lock_nav.setIcon(QIcon(str(resource_path("icons", "lock.svg"))))
        self.lock_nav.setToolTip(translate("main", "Verrouiller (Ctrl+L)"))
        self.lock_nav.setCursor(Qt.CursorShape.PointingHandCursor)
        a11y(self.lock_nav, translate("main", "Verrouiller l'application"))
        self.lock_nav.clicked.connect(lambda: self.lock("manual"))
        side.addWidget(self.lock_nav)
        layout.addWidget(sidebar)

        self.content = QStackedWidget()
        self.content.setObjectName("content")
        for view in (
            self.team,
            self.caseload,
            self.person,
            self.agenda,
            self.settings_view,
            self.my_day,
            self.directory,
        ):
            self.content.addWidget(view)
        layout.addWidget(self.content, 1)

    # ------------------------------------------------------------------ navigation

    @property
    def current_view(self) -> str:
        return self._view

    def show_view(self, key: str) -> None:
        if not self.session.is_unlocked:
            return
        if key == VIEW_TEAM and not self.session.is_supervisor:
            key = VIEW_CASELOAD
        if key == VIEW_DIRECTORY and self._view != VIEW_DIRECTORY:
            self._directory_context()
        self._view = key
        widget: QWidget = {
            VIEW_TEAM: self.team,
            VIEW_CASELOAD: self.caseload,
            VIEW_PERSON: self.person,
            VIEW_AGENDA: self.agenda,
            VIEW_SETTINGS: self.settings_view,
            VIEW_MY_DAY: self.my_day,
            VIEW_DIRECTORY: self.directory,
        }[key]
        self.content.setCurrentWidget(widget)
        nav = self.nav.get(VIEW_CASELOAD if key == VIEW_PERSON else key)
        if nav is not None:
            nav.setChecked(True)
        if key == VIEW_TEAM:
            self.team.table.setFocus()
        elif key == VIEW_CASELOAD:
            self.caseload.table.setFocus()
        elif key == VIEW_AGENDA:
            self.agenda.reload()
            shown = self.agenda.stack.currentWidget()
            if shown is not None:
                shown.setFocus()
        elif key == VIEW_MY_DAY:
            self.my_day.reload()
            self.my_day.today.setFocus()
        elif key == VIEW_DIRECTORY:
            self.directory.activate()
        elif key == VIEW_SETTINGS:
            self.settings_view.activate()
        elif key == VIEW_PERSON:
            self.person.tabs.setFocus()

    def _directory_context(self) -> None:
        """The directory opened from a person's file is for her (issue 16): her commune,
        nearest first, the theme of her first open barrier, the sheet printed in her name;
        opened from anywhere else, for no one."""
        file = self.person.file if self._view == VIEW_PERSON else None
        if file is None:
            self.directory.clear_person()
            return
        barrier = next((b for b in file.barriers if b.closed_on is None), None)
        self.directory.open_for_person(
            file.person_id, file.display_name, barrier.theme if barrier else None
        )

    def open_person(self, person_id: uuid.UUID, draft: dict[str, Any] | None = None) -> None:
        self.person.open_person(person_id, draft=draft)
        self.show_view(VIEW_PERSON)

    def open_caseload_list(self, flt: Any, caption: str) -> None:
        """A dashboard figure's list, in the caseload screen."""
        self.caseload.show_list(flt, caption)
        self.show_view(VIEW_CASELOAD)

    def open_appointments_list(self, flt: Any, caption: str) -> AppointmentsDialog:
        dialog = AppointmentsDialog(self.session, flt, caption, self)
        dialog.open_person.connect(self.open_person)
        dialog.open()
        return dialog

    def new_person(self) -> NewPersonDialog | None:
        if not self.session.is_unlocked or self.session.read_only:
            return None
        dialog = NewPersonDialog(self.session, self)
        dialog.accepted.connect(
            lambda: self.open_person(dialog.created_id) if dialog.created_id else None
        )
        dialog.open()
        return dialog

    def show_conflicts(self) -> ConflictsDialog:
        dialog = ConflictsDialog(self.sync.status.conflicts, self)
        dialog.finished.connect(lambda _result: self.sync.clear_conflicts())
        dialog.open()
        return dialog

    # ------------------------------------------------------------------ handover

    def _install_handover_entries(self) -> None:
        """Handover (issue 14): the caseload's context menu (the selected persons, or every
        person of the selected person's referent who leaves), a sidebar entry and Ctrl+Shift+P
        for « Passations » (persons without a referent, requests and their decisions)."""
        table = self.caseload.table
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._caseload_menu)
        self.handover_nav = QPushButton(translate("main", "Passations"))
        self.handover_nav.setObjectName("navButton")
        self.handover_nav.setToolTip(translate("main", "Passations (Ctrl+Maj+P)"))
        a11y(
            self.handover_nav,
            translate("main", "Passations"),
            translate("main", "Personnes sans référent et passations demandées"),
        )
        self.handover_nav.clicked.connect(self.show_handovers)
        sidebar = self.user_label.parentWidget()
        side = sidebar.layout() if sidebar is not None else None
        if isinstance(side, QVBoxLayout):
            side.insertWidget(side.indexOf(self.user_label), self.handover_nav)
        shortcut("Ctrl+Shift+P", self, self.show_handovers)

    def selected_person_ids(self) -> list[uuid.UUID]:
        model = self.caseload.model
        ids = []
        for index in self.caseload.table.selectionModel().selectedRows():
            person_id = model.person_id(index.row())
            if person_id is not None:
                ids.append(person_id)
        return ids

    def _caseload_menu(self, position: Any) -> QMenu | None:
        if not self.session.is_unlocked:
            return None
        ids = self.selected_person_ids()
        if not ids:
            return None
        menu = QMenu(self)
        confide = menu.addAction(translate("main", "Confier à un autre référent…"))
        confide.triggered.connect(lambda: self.hand_over(ids))
        row = self.caseload.model.row_data(self.caseload.table.currentIndex().row())
        if self.session.is_supervisor and row is not None and row.referent_id is not None:
            leaving = menu.addAction(
                translate("main", "Départ de {name} : confier toutes ses personnes…").format(
                    name=row.referent_name or "?"
                )
            )
            referent_id = row.referent_id
            leaving.triggered.connect(lambda: self.hand_over([], leaving=referent_id))
        menu.popup(self.caseload.table.viewport().mapToGlobal(position))
        return menu

    def hand_over(
        self, person_ids: list[uuid.UUID], *, leaving: uuid.UUID | None = None
    ) -> HandoverDialog | None:
        if not self.session.is_unlocked:
            return None
        dialog = HandoverDialog(self.session, person_ids, self, leaving_referent_id=leaving)
        dialog.requested.connect(lambda _batch: self.sync.local_write())
        dialog.open()
        return dialog

    def show_handovers(self) -> HandoverQueueDialog | None:
        if not self.session.is_unlocked:
            return None
        dialog = HandoverQueueDialog(self.session, self)

        def assign(person_ids: list[uuid.UUID]) -> None:
            handover = self.hand_over(person_ids)
            if handover is not None:
                # Asking changes no row (the server decides): the queue marks them itself.
                handover.requested.connect(dialog.reload)

        dialog.assign_requested.connect(assign)
        self.ops.data_changed.connect(dialog.reload)
        dialog.open()
        return dialog

    def show_audit_log(self) -> AuditLogDialog | None:
        """The team's audit log (issue 15), read from the server: supervisors only."""
        if not self.session.is_unlocked or not self.session.is_supervisor:
            return None
        dialog = AuditLogDialog(self.session, self.sync, self)
        dialog.open()
        return dialog

    def _sync_shortcut(self) -> None:
        if self.session.is_unlocked:
            self.sync.sync_now()

    # ------------------------------------------------------------------ unlock

    def show_unlock(self, reason: str | None = None) -> None:
        self.status.setVisible(False)
        self.pages.setCurrentWidget(self.unlock_page)
        self.unlock_page.prepare(reason)

    def _on_session_unlocked(self) -> None:
        store = self.ops.store
        if store is not None:
            self.sync.set_server_url(self.session.settings.server_url)
            self.sync.attach(store)
        if self.first_start.running:
            return  # the first start page goes on (demo data or first sync)
        self._enter_workspace()

    def _first_start_done(self) -> None:
        self._enter_workspace()
        # The first sync told who the user is (a supervisor's role, name): read it again,
        # so that her first start shows her dashboard and no button she may not use.
        self.session.reload_actor()

    def _enter_workspace(self) -> None:
        self.pages.setCurrentWidget(self.workspace)
        self.status.setVisible(True)
        self.idle_lock.set_minutes(self.session.settings.idle_lock_minutes)
        self.idle_lock.arm()
        self._refresh_identity()
        supervisor = self.session.is_supervisor
        self.nav[VIEW_TEAM].setVisible(supervisor)
        self.caseload.activate()
        if supervisor:
            self.team.activate()
        self.agenda.activate()
        self.my_day.activate()
        drafts = self.session.take_drafts()
        state = drafts.get("window")
        if isinstance(state, dict):
            self._restore(state)
        else:  # the supervisor's home is the team's dashboard (issue 14), the referent's
            # « Ma journée » (issue 12: the referent's first screen of the day)
            self.show_view(VIEW_TEAM if supervisor else VIEW_MY_DAY)
        self.workspace_shown.emit()

    def _on_actor_changed(self) -> None:
        """The role is known (after the first sync of a new device): a supervisor gets her
        dashboard as home and the caseload's referent column."""
        self._refresh_identity()
        if not self.session.is_unlocked or self.pages.currentWidget() is not self.workspace:
            return
        supervisor = self.session.is_supervisor
        was_visible = not self.nav[VIEW_TEAM].isHidden()
        self.nav[VIEW_TEAM].setVisible(supervisor)
        self.caseload.activate()
        if supervisor and not was_visible:
            self.team.activate()
            if self._view in (VIEW_CASELOAD, VIEW_MY_DAY):
                self.show_view(VIEW_TEAM)

    def _refresh_identity(self) -> None:
        name = self.session.user_name
        if self.session.is_supervisor:
            role = translate("main", "Responsable d'équipe")
        elif self.session.referent_id is not None:
            role = translate("main", "Référent")
        else:
            role = translate("main", "Mode local")
        self.user_label.setText(f"{name}\n{role}" if name else role)
        self.user_label.setAccessibleName(self.user_label.text())

    # ------------------------------------------------------------------ lock

    def collect_drafts(self) -> dict[str, Any]:
        """Everything typed and not yet saved, plus where the referent was."""
        dialogs: list[dict[str, Any]] = []
        for dialog in DraftDialog.open_dialogs():
            dialogs.append(
                {
                    "kind": dialog.draft_kind,
                    "context": dialog.draft_context(),
                    "state": dialog.draft_state(),
                }
            )
        state: dict[str, Any] = {
            "view": self._view,
            "caseload": self.caseload.draft_state(),
            "person": self.person.draft_state() if self._view == VIEW_PERSON else None,
            "agenda": {"day": self.agenda.day.isoformat(), "week": self.agenda.week_mode},
            "dialogs": dialogs,
        }
        return {"window": state}

    def lock(self, reason: str = "manual") -> None:
        if not self.session.is_unlocked or self.first_start.running:
            return
        self.idle_lock.disarm()
        drafts = self.collect_drafts()
        self._close_dialogs()
        self.caseload.deactivate()
        self.team.deactivate()
        self.person.deactivate()
        self.agenda.deactivate()
        self.my_day.deactivate()
        self.directory.deactivate()
        self.sync.detach()
        self.session.lock(reason, drafts)
        self.show_unlock(reason)
        self.locked.emit(reason)

    def _close_dialogs(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMenu) and widget.isVisible():
                widget.close()
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()

    def _restore(self, state: dict[str, Any]) -> None:
        caseload = state.get("caseload")
        if isinstance(caseload, dict):
            self.caseload.restore_draft(caseload)
        agenda = state.get("agenda")
        if isinstance(agenda, dict):
            with contextlib.suppress(KeyError, ValueError, TypeError):
                from datetime import date

                self.agenda.day = date.fromisoformat(str(agenda["day"]))
                self.agenda.week_mode = bool(agenda["week"])
        view = state.get("view")
        person = state.get("person")
        dialogs = [d for d in state.get("dialogs") or [] if isinstance(d, dict)]
        if view == VIEW_PERSON and isinstance(person, dict) and person.get("person_id"):
            person_id = uuid.UUID(str(person["person_id"]))
            self._pending_dialogs = dialogs
            self.person.open_person(person_id, draft=person)
            self.show_view(VIEW_PERSON)
            self._reopen_when_loaded()
            return
        self.show_view(
            view
            if view
            in (VIEW_TEAM, VIEW_CASELOAD, VIEW_AGENDA, VIEW_SETTINGS, VIEW_DIRECTORY, VIEW_MY_DAY)
            else VIEW_CASELOAD
        )
        for dialog in dialogs:
            self._reopen_dialog(dialog)

    def _reopen_when_loaded(self, attempts: int = 100) -> None:
        """Dialogs of a person file need the file loaded first."""
        if self.person.file is not None and self.person._pending_draft is None:
            for dialog in getattr(self, "_pending_dialogs", []):
                self._reopen_dialog(dialog)
            self._pending_dialogs = []
            return
        if attempts > 0 and self.session.is_unlocked:
            QTimer.singleShot(30, lambda: self._reopen_when_loaded(attempts - 1))

    def _reopen_dialog(self, saved: dict[str, Any]) -> DraftDialog | None:
        kind = str(saved.get("kind"))
        context = saved.get("context") or {}
        state = saved.get("state") or {}
        dialog: DraftDialog | None = None
        if kind == "new_person":
            dialog = self.new_person()
        elif self._view == VIEW_PERSON:
            dialog = self.person.reopen_dialog(kind, context)
        elif kind == "appointment" and not context.get("appointment_id"):
            dialog = self.agenda.plan()
        if dialog is not None and isinstance(state, dict):
            dialog.restore_draft(state)
        return dialog

    # ------------------------------------------------------------------ « Ma journée »

    def _open_reports(self) -> None:
        self.show_view(VIEW_AGENDA)
        self.agenda.show_reports(True)

    def _open_today(self) -> None:
        self.agenda.day = self.agenda.today()
        self.agenda.set_week_mode(False)
        self.show_view(VIEW_AGENDA)

    def _open_alert(self, alert: str) -> None:
        self.show_view(VIEW_CASELOAD)
        self.caseload.show_alert(alert)

    # ------------------------------------------------------------------ events

    def _on_data_changed(self, changes: Changes) -> None:
        """A use-case's changes (or a sync pull's): each view refreshes if they concern it."""
        self.caseload.data_changed(changes)
        self.team.data_changed(changes)
        self.person.data_changed(changes)
        self.agenda.data_changed(changes)
        self.my_day.data_changed(changes)
        self.directory.data_changed(changes)
        if changes.everything:  # a pull or a bulk load: nothing new to push
            self.sync.refresh_counts()
        else:  # a local write, recorded in the outbox: push it soon
            self.sync.local_write()

    def _on_failed(self, error: BaseException) -> None:
        if not self.session.is_unlocked and self.pages.currentWidget() is not self.workspace:
            return
        box = info_box(
            self, translate("main", "Opération impossible"), error_message(error), error=True
        )
        box.open()

    def _settings_saved(self, settings: Any) -> None:
        self.idle_lock.set_minutes(settings.idle_lock_minutes)
        self.sync.set_server_url(settings.server_url)

    def _on_revoked(self, message: str) -> None:
        text = message or translate(
            "main",
            "Cet appareil a été révoqué par l'administrateur du département. Pour protéger "
            "les personnes accompagnées, les données de cet ordinateur vont être effacées.",
        )
        box = info_box(self, translate("main", "Appareil révoqué"), text, error=True)
        box.finished.connect(lambda _result: self._wipe())
        box.open()

    def _wipe(self) -> None:
        """Let go of the store; the sync engine then deletes it with its key."""
        self.idle_lock.disarm()
        self._close_dialogs()
        self.caseload.deactivate()
        self.team.deactivate()
        self.person.deactivate()
        self.agenda.deactivate()
        self.my_day.deactivate()
        self.directory.deactivate()
        self.session.forget_everything()
        self.sync.detach()
        self.sync.acknowledge_revocation()
        self.status.setVisible(False)
        self.pages.setCurrentWidget(self.first_start)
        self.first_start.go(FirstStartPage.STEP_ACCOUNT)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.idle_lock.disarm()
        super().closeEvent(event)
