"""Plan, move, cancel an appointment, and record its outcome (rdv-insertion's lifecycle)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.domain.enums import AppointmentStatus
from spie_desktop.errors import ValidationError
from spie_desktop.services import queries, usecases
from spie_desktop.services.appointments import OUTCOMES_NEEDING_PAST, SlotClash
from spie_desktop.services.operation import Outcome
from spie_desktop.services.read_models import AppointmentInfo
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Store
from ui.dialogs.base import DraftDialog, add_note
from ui.formatting import fmt_datetime, fmt_time, label
from ui.i18n import translate
from ui.session import AppContext
from ui.widgets.common import FormFields, a11y, banner, fill_combo, select_code, show_banner
from ui.widgets.fields import DateTimeField


def local_day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """The local midnights around ``moment``'s day, each with its own UTC offset: a DST day
    lasts 23 or 25 hours (replacing the hour would keep the afternoon's offset)."""
    day = moment.astimezone().date()
    start = datetime.combine(day, time(0, 0)).astimezone()
    end = datetime.combine(day + timedelta(days=1), time(0, 0)).astimezone()
    return start, end


def next_slot(now: datetime | None = None) -> datetime:
    """Tomorrow at the next round half hour, 09:00 at the earliest (local time)."""
    local = (now or datetime.now(UTC)).astimezone() + timedelta(days=1)
    local = local.replace(second=0, microsecond=0)
    local = local.replace(minute=30 if local.minute < 30 else 0)
    if local.minute == 0:
        local += timedelta(hours=1)
    if local.hour < 9:
        local = local.replace(hour=9, minute=0)
    if local.hour >= 17:
        local = local.replace(hour=9, minute=0) + timedelta(days=1)
    return local.astimezone(UTC)


def _datetime_edit(value: datetime, field: str) -> DateTimeField:
    """A day typed as a whole and a separate time (never Qt's section-by-section editor)."""
    return DateTimeField(value, field=field)


class AppointmentDialog(DraftDialog):
    """Plan a new appointment (person given or chosen) or move a planned one."""

    draft_kind = "appointment"

    def __init__(
        self,
        session: AppContext,
        parent: QWidget | None = None,
        *,
        person_id: uuid.UUID | None = None,
        person_name: str | None = None,
        appointment: AppointmentInfo | None = None,
        starts_at: datetime | None = None,
    ) -> None:
        moving = appointment is not None
        title = (
            translate("appointments", "Déplacer le rendez-vous")
            if moving
            else translate("appointments", "Planifier un rendez-vous")
        )
        super().__init__(title, parent, save_text=translate("appointments", "Enregistrer"))
        self.session = session
        self.person_id = person_id or (appointment.person_id if appointment else None)
        self.appointment = appointment
        grid = QGridLayout()
        self.fields = FormFields(grid)
        row = 0
        self.person_combo: QComboBox | None = None
        if self.person_id is None:
            self.person_combo = self.fields.add(
                "person_id", translate("appointments", "Personne *"), QComboBox(), row, 0, span=2
            )
            self.person_combo.setEditable(True)
            self.person_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            editor = self.person_combo.lineEdit()
            if editor is not None:
                editor.setPlaceholderText(translate("appointments", "Tapez un nom…"))
                a11y(editor, translate("appointments", "Personne"))
            self._load_people()
            row += 1
        elif person_name:
            who = QLabel(translate("appointments", "Avec : {name}").format(name=person_name))
            who.setObjectName("subtitle")
            self.body.addWidget(who)
        when = appointment.starts_at if appointment else (starts_at or next_slot())
        self.when = self.fields.add(
            "starts_at",
            translate("appointments", "Date et heure *"),
            _datetime_edit(when, "starts_at"),
            row,
            0,
        )
        self.duration = self.fields.add(
            "duration_minutes", translate("appointments", "Durée (minutes)"), QSpinBox(), row, 1
        )
        self.duration.setRange(5, 480)
        self.duration.setSingleStep(15)
        self.duration.setValue(appointment.duration_minutes if appointment else 45)
        row += 1
        self.mode = self.fields.add(
            "mode", translate("appointments", "Modalité *"), QComboBox(), row, 0
        )
        choose = translate("appointments", "Choisir…")
        fill_combo(self.mode, "appointment_mode", empty=None if appointment else choose)
        self.purpose = self.fields.add(
            "purpose", translate("appointments", "Objet *"), QComboBox(), row, 1
        )
        fill_combo(self.purpose, "appointment_purpose", empty=None if appointment else choose)
        if appointment:
            select_code(self.purpose, appointment.purpose)
            select_code(self.mode, appointment.mode)
            self.purpose.setEnabled(False)
        # A new appointment starts with « Choisir… »: nothing a hurried Enter would confirm.
        row += 1
        self.place = self.fields.add(
            "place",
            translate("appointments", "Lieu"),
            QLineEdit(appointment.place or "" if appointment else ""),
            row,
            0,
            span=2,
            hint_text=translate(
                "appointments", "Adresse de la visite à domicile, bureau, lien de visio…"
            ),
        )
        self.body.addLayout(grid)
        self.requested_by: dict[str, QRadioButton] = {}
        self.requested_error = QLabel()
        if moving and appointment is not None:
            add_note(
                self.body,
                translate("appointments", "Prévu jusqu'ici le {when}.").format(
                    when=fmt_datetime(appointment.starts_at)
                ),
            )
            who = QLabel(translate("appointments", "Qui demande le déplacement ? *"))
            self.body.addWidget(who)
            group = QButtonGroup(self)
            for code, text in (
                ("person", translate("appointments", "La personne")),
                ("service", translate("appointments", "Le service (référent, structure)")),
                ("partner", translate("appointments", "Un partenaire")),
            ):
                radio = a11y(QRadioButton(text), text)
                group.addButton(radio)
                self.requested_by[code] = radio
                self.body.addWidget(radio)
            self.requested_error.setObjectName("fieldError")
            self.requested_error.setVisible(False)
            self.body.addWidget(self.requested_error)
        self.clash_banner = banner("warningBanner")
        self.body.addWidget(self.clash_banner)
        self._confirmed_slot: tuple[object, ...] | None = None
        self._auto_place = ""
        self.mode.currentIndexChanged.connect(self._mode_changed)
        if self.person_combo is not None:
            self.person_combo.currentIndexChanged.connect(self._mode_changed)
        if self.person_combo is not None:
            self.setTabOrder(self.person_combo, self.when.date_edit)
        self.setTabOrder(self.when.date_edit, self.when.time_edit)
        self.setTabOrder(self.when.time_edit, self.duration)
        self.setTabOrder(self.duration, self.mode)
        self.setTabOrder(self.mode, self.purpose)
        self.setTabOrder(self.purpose, self.place)
        self.created_id: uuid.UUID | None = None

    def _mode_changed(self, *_args: object) -> None:
        """A home visit takes the person's address (unless a place was typed)."""
        if self.mode.currentData() != "domicile":
            if self.place.text() == self._auto_place and self._auto_place:
                self.place.clear()
                self._auto_place = ""
            return
        person_id = self._chosen_person()
        if person_id is None or (self.place.text() and self.place.text() != self._auto_place):
            return

        def done(address: str) -> None:
            if self.mode.currentData() == "domicile" and (
                not self.place.text() or self.place.text() == self._auto_place
            ):
                self.place.setText(address)
                self._auto_place = address

        self.session.ops.read(
            lambda store: queries.home_address(store, person_id),
            done,
            self.failed,
            owner=self,
            label="address",
        )

    def _load_people(self) -> None:
        now = utcnow()

        def work(store: Store) -> list[tuple[str, uuid.UUID]]:
            return queries.caseload_people(store, now, limit=5000)

        def done(people: list[tuple[str, uuid.UUID]]) -> None:
            if self.person_combo is None:
                return
            current = self.person_combo.currentText()
            self.person_combo.clear()
            for name, person_id in people:
                self.person_combo.addItem(name, person_id)
            self.person_combo.setCurrentIndex(-1)
            self.person_combo.setEditText(current)
            completer = self.person_combo.completer()
            if completer is not None:
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.session.ops.read(work, done, self.failed, owner=self, label="people")

    def _chosen_person(self) -> uuid.UUID | None:
        if self.person_id is not None:
            return self.person_id
        assert self.person_combo is not None
        index = self.person_combo.findText(
            self.person_combo.currentText(), Qt.MatchFlag.MatchFixedString
        )
        if index < 0:
            return None
        data = self.person_combo.itemData(index)
        return data if isinstance(data, uuid.UUID) else None

    # -- drafts --------------------------------------------------------------------------

    def draft_context(self) -> dict[str, Any]:
        return {
            "person_id": str(self.person_id) if self.person_id else None,
            "appointment_id": str(self.appointment.id) if self.appointment else None,
        }

    def draft_state(self) -> dict[str, Any]:
        return {
            "when": list(self.when.texts()),
            "duration": self.duration.value(),
            "mode": self.mode.currentData(),
            "purpose": self.purpose.currentData(),
            "place": self.place.text(),
            "person": self.person_combo.currentText() if self.person_combo else None,
            "requested_by": next(
                (code for code, radio in self.requested_by.items() if radio.isChecked()), None
            ),
        }

    def restore_draft(self, state: dict[str, Any]) -> None:
        when = state.get("when")
        if isinstance(when, list) and len(when) == 2 and all(isinstance(t, str) for t in when):
            self.when.set_texts(when[0], when[1])
        duration = state.get("duration")
        if isinstance(duration, int):
            self.duration.setValue(duration)
        select_code(self.mode, state.get("mode"))
        select_code(self.purpose, state.get("purpose"))
        place = state.get("place")
        if isinstance(place, str):
            self.place.setText(place)
        person = state.get("person")
        if self.person_combo is not None and isinstance(person, str):
            self.person_combo.setEditText(person)
        requested = state.get("requested_by")
        if isinstance(requested, str) and requested in self.requested_by:
            self.requested_by[requested].setChecked(True)

    # -- saving -----------------------------------------------------------------------------

    def show_field_error(self, error: BaseException) -> bool:
        return self.fields.show_error(error)

    def submit(self) -> None:
        self.fields.clear_errors()
        self.clear_error()
        person_id = self._chosen_person()
        if person_id is None:
            self.fields.set_error(
                "person_id", translate("appointments", "Choisissez une personne dans la liste.")
            )
            return
        try:
            starts_at = self.when.value()
        except ValidationError as error:
            self.fields.show_error(error)
            return
        duration = self.duration.value()
        missing = False
        for key, combo in (("mode", self.mode), ("purpose", self.purpose)):
            if combo.currentData() is None:
                self.fields.set_error(key, translate("appointments", "Choisissez dans la liste."))
                missing = True
        requested_by: str | None = None
        if self.requested_by:
            self.requested_error.setVisible(False)
            requested_by = next(
                (code for code, radio in self.requested_by.items() if radio.isChecked()), None
            )
            if requested_by is None:
                self.requested_error.setText(
                    translate("appointments", "Indiquez qui demande le déplacement.")
                )
                self.requested_error.setVisible(True)
                missing = True
        if missing:
            return
        mode = str(self.mode.currentData())
        purpose = str(self.purpose.currentData())
        place = self.place.text()
        actor = self.session.require_actor()
        appointment = self.appointment
        slot = (person_id, starts_at, duration)
        if self._confirmed_slot != slot:
            self._check_clashes(person_id, starts_at, duration, slot)
            return
        self.set_busy(True)

        def work(store: Store) -> Outcome[uuid.UUID]:
            if appointment is not None:
                return usecases.move_appointment(
                    store,
                    actor,
                    appointment.id,
                    starts_at=starts_at,
                    duration_minutes=duration,
                    mode=mode,
                    place=place,
                    requested_by=requested_by,
                )
            return usecases.schedule_appointment(
                store,
                actor,
                person_id,
                starts_at=starts_at,
                mode=mode,
                purpose=purpose,
                duration_minutes=duration,
                place=place,
            )

        def done(appointment_id: uuid.UUID) -> None:
            self.created_id = appointment_id
            self.saved()

        self.session.ops.write(work, done, self.failed, owner=self, label="appointment")

    def _check_clashes(
        self, person_id: uuid.UUID, starts_at: datetime, duration: int, slot: tuple[object, ...]
    ) -> None:
        """Before saving: warn of a double booking, and save on a second Enregistrer."""
        # The user's agenda for a new slot; the core takes the moved appointment's own
        # referent, or the person's, and checks that referent's whole agenda in the store.
        referent_id = self.session.referent_id
        day_start, day_end = local_day_bounds(starts_at)
        exclude = self.appointment.id if self.appointment else None
        self.set_busy(True)

        def done(clash: SlotClash) -> None:
            self.set_busy(False)
            if not clash:
                self._confirmed_slot = slot
                self.submit()
                return
            self._confirmed_slot = slot
            lines = [translate("appointments", "Attention, ce créneau est déjà pris :")]
            for item in clash.referent:
                lines.append(
                    translate(
                        "appointments",
                        "• {when}–{end} : rendez-vous de {name} ({purpose}, {mode}), qui "
                        "chevauche ce créneau",
                    ).format(
                        when=fmt_datetime(item.starts_at),
                        end=fmt_time(item.ends_at),
                        name=item.person_name,
                        purpose=label("appointment_purpose", item.purpose),
                        mode=label("appointment_mode", item.mode),
                    )
                )
            for item in clash.same_person_day:
                lines.append(
                    translate(
                        "appointments",
                        "• {start} : un autre rendez-vous de cette personne ce jour-là",
                    ).format(start=fmt_time(item.starts_at))
                )
            lines.append(
                translate(
                    "appointments",
                    "Enregistrer quand même, ou changez la date ou l'heure.",
                )
            )
            show_banner(self.clash_banner, "\n".join(lines))
            self.save_button.setText(translate("appointments", "Enregistrer quand même"))
            self.save_button.setFocus()

        self.session.ops.read(
            lambda store: queries.slot_clashes(
                store,
                referent_id=referent_id,
                person_id=person_id,
                starts_at=starts_at,
                duration_minutes=duration,
                day_start=day_start,
                day_end=day_end,
                exclude_id=exclude,
            ),
            done,
            self.failed,
            owner=self,
            label="clashes",
        )


class OutcomeDialog(DraftDialog):
    """Record what happened (honoré, absent, excusé, annulé par le service).

    A future appointment cannot be marked seen or no-show: those choices are disabled with
    the reason. When the person came, the dialog offers to plan the next appointment.
    """

    draft_kind = "outcome"

    def __init__(
        self,
        session: AppContext,
        appointment: AppointmentInfo,
        parent: QWidget | None = None,
        *,
        person_name: str | None = None,
        cancel_only: bool = False,
        has_next: bool = False,
    ) -> None:
        title = (
            translate("appointments", "Annuler le rendez-vous")
            if cancel_only
            else translate("appointments", "Compte rendu du rendez-vous")
        )
        super().__init__(
            title,
            parent,
            save_text=translate("appointments", "Confirmer l'annulation") if cancel_only else "",
        )
        if cancel_only:
            self.cancel_button.setText(translate("appointments", "Ne pas annuler"))
            a11y(self.cancel_button, translate("appointments", "Ne pas annuler et fermer"))
            a11y(self.save_button, self.save_button.text())
        self.session = session
        self.appointment = appointment
        self.cancel_only = cancel_only
        now = utcnow()
        future = appointment.starts_at > now
        summary = translate("appointments", "{when} · {mode} · {purpose}").format(
            when=fmt_datetime(appointment.starts_at),
            mode=label("appointment_mode", appointment.mode),
            purpose=label("appointment_purpose", appointment.purpose),
        )
        if person_name:
            summary = f"{person_name} — {summary}"
        info = QLabel(summary)
        info.setObjectName("subtitle")
        info.setWordWrap(True)
        self.body.addWidget(info)

        self.status_group = QButtonGroup(self)
        self.status_buttons: dict[str, QRadioButton] = {}
        statuses = (
            [AppointmentStatus.EXCUSED.value, AppointmentStatus.REVOKED.value]
            if cancel_only
            else [
                AppointmentStatus.SEEN.value,
                AppointmentStatus.NOSHOW.value,
                AppointmentStatus.EXCUSED.value,
                AppointmentStatus.REVOKED.value,
            ]
        )
        box = QVBoxLayout()
        box.setSpacing(2)
        status_label = QLabel(
            translate("appointments", "Qui demande l'annulation ? *")
            if cancel_only
            else translate("appointments", "Issue du rendez-vous *")
        )
        box.addWidget(status_label)
        cancel_texts = {
            AppointmentStatus.EXCUSED.value: translate(
                "appointments", "La personne (annulé, excusé)"
            ),
            AppointmentStatus.REVOKED.value: translate(
                "appointments", "Le service : référent ou structure (annulé par le service)"
            ),
        }
        for code in statuses:
            text = cancel_texts[code] if cancel_only else label("appointment_status", code)
            radio = a11y(QRadioButton(text), text)
            if code == appointment.status:
                radio.setText(radio.text() + translate("appointments", " (actuel)"))
            if future and code in OUTCOMES_NEEDING_PAST:
                radio.setEnabled(False)
                radio.setToolTip(
                    translate(
                        "appointments",
                        "Un rendez-vous à venir ne peut pas être marqué honoré ni absent.",
                    )
                )
            self.status_group.addButton(radio)
            self.status_buttons[code] = radio
            box.addWidget(radio)
        self.body.addLayout(box)
        if future and not cancel_only:
            add_note(
                self.body,
                translate(
                    "appointments",
                    "Ce rendez-vous n'a pas encore eu lieu : vous pouvez seulement l'annuler.",
                ),
            )
        self.status_error = QLabel()
        self.status_error.setObjectName("fieldError")
        self.status_error.setVisible(False)
        self.body.addWidget(self.status_error)

        grid = QGridLayout()
        self.fields = FormFields(grid)
        self.summary_edit = self.fields.add(
            "summary",
            translate("appointments", "Compte rendu")
            if not cancel_only
            else translate("appointments", "Motif"),
            QPlainTextEdit(appointment.summary or ""),
            0,
            0,
        )
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setMinimumHeight(80)
        self.next_steps = self.fields.add(
            "next_steps",
            translate("appointments", "Suites à donner"),
            QPlainTextEdit(appointment.next_steps or ""),
            1,
            0,
        )
        self.next_steps.setTabChangesFocus(True)
        self.next_steps.setMinimumHeight(60)
        self.next_steps.setVisible(not cancel_only)
        self.fields.labels["next_steps"].setVisible(not cancel_only)
        self.body.addLayout(grid)

        self.plan_next = a11y(
            QCheckBox(translate("appointments", "Planifier le prochain rendez-vous le")),
            translate("appointments", "Planifier le prochain rendez-vous"),
        )
        self.next_when = a11y(
            _datetime_edit(
                next_slot(max(now, appointment.starts_at) + timedelta(days=13)), "next_when"
            ),
            translate("appointments", "Date du prochain rendez-vous"),
        )
        row = QGridLayout()
        row.addWidget(self.plan_next, 0, 0)
        row.addWidget(self.next_when, 0, 1)
        row.setColumnStretch(2, 1)
        self.body.addLayout(row)
        self.next_error = QLabel()
        self.next_error.setObjectName("fieldError")
        self.next_error.setVisible(False)
        self.body.addWidget(self.next_error)
        self.has_next = has_next
        self.next_hint = add_note(
            self.body,
            translate(
                "appointments",
                "Aucun autre rendez-vous n'est prévu : pensez à planifier le suivant.",
            )
            if not has_next
            else translate("appointments", "Un prochain rendez-vous est déjà planifié."),
        )
        self.plan_next.toggled.connect(self.next_when.setEnabled)
        self.status_group.buttonToggled.connect(self._status_changed)
        # No outcome preselected: the referent says what happened (issue 12).
        self._status_changed()
        self.result_next: uuid.UUID | None = None

    def selected_status(self) -> str | None:
        for code, radio in self.status_buttons.items():
            if radio.isChecked():
                return code
        return None

    def _status_changed(self, *_args: object) -> None:
        status = self.selected_status()
        offer = not self.cancel_only and status is not None
        self.plan_next.setVisible(offer)
        self.next_when.setVisible(offer)
        self.next_hint.setVisible(offer)
        if offer:
            self.plan_next.setChecked(not self.has_next)
        self.next_when.setEnabled(self.plan_next.isChecked())

    def select(self, status: str) -> None:
        self.status_buttons[status].setChecked(True)

    def draft_context(self) -> dict[str, Any]:
        return {"appointment_id": str(self.appointment.id), "cancel_only": self.cancel_only}

    def draft_state(self) -> dict[str, Any]:
        return {
            "status": self.selected_status(),
            "summary": self.summary_edit.toPlainText(),
            "next_steps": self.next_steps.toPlainText(),
            "plan_next": self.plan_next.isChecked(),
            "next_when": list(self.next_when.texts()),
        }

    def restore_draft(self, state: dict[str, Any]) -> None:
        status = state.get("status")
        if isinstance(status, str) and status in self.status_buttons:
            self.status_buttons[status].setChecked(True)
        for key, widget in (("summary", self.summary_edit), ("next_steps", self.next_steps)):
            value = state.get(key)
            if isinstance(value, str):
                widget.setPlainText(value)
        self.plan_next.setChecked(bool(state.get("plan_next")))
        when = state.get("next_when")
        if isinstance(when, list) and len(when) == 2 and all(isinstance(t, str) for t in when):
            self.next_when.set_texts(when[0], when[1])

    def show_field_error(self, error: BaseException) -> bool:
        if isinstance(error, ValidationError) and error.field == "status":
            self.status_error.setText(error.message)
            self.status_error.setVisible(True)
            return True
        return self.fields.show_error(error)

    def submit(self) -> None:
        self.clear_error()
        self.status_error.setVisible(False)
        self.next_error.setVisible(False)
        self.fields.clear_errors()
        status = self.selected_status()
        if status is None:
            self.status_error.setText(translate("appointments", "Choisissez l'issue."))
            self.status_error.setVisible(True)
            return
        summary = self.summary_edit.toPlainText()
        next_steps = self.next_steps.toPlainText() if not self.cancel_only else None
        plan_at: datetime | None = None
        if self.plan_next.isVisible() and self.plan_next.isChecked():
            try:
                plan_at = self.next_when.value()
            except ValidationError as error:
                self.next_error.setText(error.message)
                self.next_error.setVisible(True)
                return
        actor = self.session.require_actor()
        appointment_id = self.appointment.id
        self.set_busy(True)

        def work(store: Store) -> Outcome[uuid.UUID | None]:
            return usecases.record_outcome(
                store,
                actor,
                appointment_id,
                status,
                summary=summary,
                next_steps=next_steps,
                plan_next_at=plan_at,
            )

        def done(next_id: uuid.UUID | None) -> None:
            self.result_next = next_id
            self.saved()

        self.session.ops.write(work, done, self.failed, owner=self, label="outcome")
