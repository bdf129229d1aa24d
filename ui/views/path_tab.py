"""The « Parcours » tab of a person's file: orientation history and reorientation requests,
the contrat d'engagement and its versions, the plan's weekly hours against the floor (a
gauge), the closing review and, for the referent and the supervisor only, breaches.

Data is read on a reader thread into plain snapshots (:class:`PathData`); every change
goes through a dialog of ``ui.dialogs.path`` and one use-case."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.domain.deadlines import paris_day
from spie_desktop.domain.models import (
    WEEKLY_FLOOR_MINUTES,
    Breach,
    EngagementContract,
    OrientationDecision,
)
from spie_desktop.services import path, queries, usecases
from spie_desktop.services.barriers import action_label
from spie_desktop.services.operation import Outcome
from spie_desktop.services.queries import PathSnapshot
from spie_desktop.store.changes import utcnow
from spie_desktop.store.store import Store
from ui.dialogs.base import DraftDialog
from ui.dialogs.path import (
    AnswerReorientationDialog,
    BreachDecisionDialog,
    BreachDialog,
    ClosingDialog,
    ContractDialog,
    EndContractDialog,
    HoursDialog,
    NotifyOrientationDialog,
    OrientationDialog,
    PlanActionDialog,
    ReorientationDialog,
    SignContractDialog,
)
from ui.formatting import action_text, fmt_date, label
from ui.i18n import translate
from ui.session import AppContext
from ui.texts.alerts import deadline_text, path_alert_text
from ui.widgets.common import a11y, banner, button, heading, show_banner
from ui.workers import error_message

ROW_ID = Qt.ItemDataRole.UserRole


def _d(value: date | None) -> str:
    return fmt_date(value, "")


def _h(minutes: int | None) -> str:
    return path.format_minutes(minutes) if minutes is not None else "—"


@dataclass(frozen=True)
class ContractRow:
    id: uuid.UUID
    title: str
    state: str
    state_label: str
    period: str
    signed_on: str
    objectives: str
    floor_minutes: int
    floor_reason: str
    legacy: bool
    short: str = ""


@dataclass(frozen=True)
class PlanRow:
    id: uuid.UUID
    label: str
    partner: str
    status: str
    planned: int | None
    done: int | None


@dataclass(frozen=True)
class RequestRow:
    id: uuid.UUID
    requested_on: str
    track: str
    reason: str
    status: str
    answered_on: str
    comment: str
    pending: bool

    def cells(self) -> list[str]:
        return [self.requested_on, self.track, self.reason, self.status, self.answered_on]


@dataclass(frozen=True)
class BreachRow:
    id: uuid.UUID
    occurred_on: str
    kind: str
    invited_on: str
    decision: str
    remobilised_on: str
    invited: date | None
    decided: bool
    #: the decision as recorded, to prefill its correction
    values: dict[str, object] = field(default_factory=dict)
    #: the decisions this one corrected, newest first: (cells of the old row, « corrigée le
    #: … par … »)
    corrected: list[tuple[list[str], str]] = field(default_factory=list)

    def cells(self) -> list[str]:
        return [self.occurred_on, self.kind, self.invited_on, self.decision, self.remobilised_on]


@dataclass
class PathData:
    person_id: uuid.UUID
    deadlines: list[str] = field(default_factory=list)
    decisions: list[tuple[str, ...]] = field(default_factory=list)
    #: per decision (same order): its id and whether the person was notified
    decision_ids: list[tuple[uuid.UUID, bool]] = field(default_factory=list)
    #: per decision (same order): who decided and the criteria recorded, one line
    decision_details: list[str] = field(default_factory=list)
    pending_request: str | None = None
    pending_request_id: uuid.UUID | None = None
    requests: list[RequestRow] = field(default_factory=list)
    current: ContractRow | None = None
    versions: list[ContractRow] = field(default_factory=list)
    plan: list[PlanRow] = field(default_factory=list)
    planned: int = 0
    done: int = 0
    floor: int = WEEKLY_FLOOR_MINUTES
    closing: str | None = None
    closed: bool = False
    breaches: list[BreachRow] | None = None


def _contract_row(c: EngagementContract) -> ContractRow:
    legacy = c.contract_type != "contrat_engagement"
    kind = label("contract_type", c.contract_type)
    period = ""
    if c.starts_on or c.ends_on:
        period = translate("path", "du {start} au {end}").format(
            start=_d(c.starts_on) or "…", end=_d(c.ends_on) or "…"
        )
    reason = ""
    if c.floor_reason:
        reason = label("floor_reason", c.floor_reason)
    return ContractRow(
        id=c.id,
        title=translate("path", "{kind} — version {version}").format(kind=kind, version=c.version),
        state=c.state,
        state_label=label("contract_state", c.state),
        period=period,
        signed_on=_d(c.signed_on),
        objectives=c.objectives or "",
        floor_minutes=c.weekly_floor_minutes,
        floor_reason=reason,
        legacy=legacy,
        short=(
            translate("path", "{kind} v{version}").format(
                kind=c.contract_type.upper(), version=c.version
            )
            if legacy
            else translate("path", "Version {version}").format(version=c.version)
        ),
    )


def load_path_data(snapshot: PathSnapshot, person_id: uuid.UUID, now: datetime) -> PathData:
    """What the tab shows of the person's path (breaches only for referent/supervisor)."""
    view = snapshot.view
    data = PathData(person_id=person_id)
    data.deadlines = [
        path_alert_text(deadline.alert, view.facts, now)
        if deadline.alert == "below_floor"
        else deadline_text(deadline)
        for deadline in view.deadlines
    ]
    for decision in view.decisions:
        review = ""
        if decision.track == "social":
            review = (
                translate("path", "réexamen à 12 mois")
                if decision.review_obstacle
                else translate("path", "réexamen à 6 mois")
            )
        data.decision_ids.append((decision.id, decision.notified_on is not None))
        data.decision_details.append(
            _decision_details(decision, snapshot.deciders.get(decision.id, ""))
        )
        data.decisions.append(
            (
                _d(decision.decided_on),
                label("orientation", decision.track),
                decision.structure_name or "",
                _d(decision.notified_on),
                review,
            )
        )
    pending = snapshot.pending_request
    for request in view.requests:
        answer = request.answer_comment or ""
        data.requests.append(
            RequestRow(
                id=request.id,
                requested_on=_d(request.requested_on),
                track=label("orientation", request.requested_track),
                reason=request.reason,
                status=label("reorientation_status", request.status),
                answered_on=_d(request.answered_on),
                comment=answer,
                pending=request.status == "pending",
            )
        )
    if pending is not None:
        data.pending_request_id = pending.id
        data.pending_request = translate(
            "path", "Demande de réorientation vers « {track} » du {date} en attente : {reason}"
        ).format(
            track=label("orientation", pending.requested_track),
            date=_d(pending.requested_on),
            reason=pending.reason,
        )
    data.versions = [_contract_row(c) for c in view.contracts]
    data.current = _contract_row(view.current) if view.current else None
    data.plan = [
        PlanRow(
            a.id,
            action_text(a.action_code, action_label(a)),
            a.partner or "",
            label("action_status", a.status),
            a.planned_minutes_week,
            a.done_minutes_week,
        )
        for a in view.plan
    ]
    if view.hours is not None:
        data.planned, data.done = view.hours.planned_minutes, view.hours.done_minutes
        data.floor = view.hours.floor_minutes
    if view.closing is not None:
        data.closing = (
            translate("path", "Clos le {date} — {reason} : {outcome}").format(
                date=_d(view.closing.closed_on),
                reason=label("exit_reason", view.closing.exit_reason),
                outcome=view.closing.outcome,
            )
            + "\n"
            + translate(
                "path", "La durée de conservation du dossier court depuis le {date}."
            ).format(date=_d(view.closing.closed_on))
        )
    data.closed = view.closing is not None
    if snapshot.breaches is not None:
        data.breaches = []
        for breach in snapshot.breaches:
            decided = _decision_text(breach)
            corrected = []
            for old, by, at in snapshot.corrections.get(breach.id, []):
                when = _d(paris_day(at))
                note = (
                    translate("path", "corrigée le {date} par {name}").format(date=when, name=by)
                    if by
                    else translate("path", "corrigée le {date}").format(date=when)
                )
                corrected.append(
                    (
                        [
                            "",
                            translate("path", "Décision corrigée"),
                            "",
                            translate("path", "{decision} — {note}").format(
                                decision=_decision_text(old), note=note
                            ),
                            _d(old.remobilised_on),
                        ],
                        note,
                    )
                )
            if corrected:
                decided += translate("path", " (corrigée)")
            data.breaches.append(
                BreachRow(
                    id=breach.id,
                    occurred_on=_d(breach.occurred_on),
                    kind=label("breach_kind", breach.kind),
                    invited_on=_d(breach.invited_on),
                    decision=decided or translate("path", "en attente"),
                    remobilised_on=_d(breach.remobilised_on),
                    invited=breach.invited_on,
                    decided=bool(breach.decision),
                    values={
                        "decision": breach.decision,
                        "decision_on": breach.decision_on,
                        "percent": breach.decision_percent,
                        "months": breach.decision_months,
                        "remobilised_on": breach.remobilised_on,
                    },
                    corrected=corrected,
                )
            )
    return data


def _yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return translate("path", "oui") if value else translate("path", "non")


def decider_text(name: str) -> str:
    """Who decided, in the interface's language: the signatories that the demo and the
    departmental import write (our wording, not a person's name) are translated; a name is
    shown as written."""
    ours = {
        "Président du conseil départemental (par délégation)": translate(
            "path", "Président du conseil départemental (par délégation)"
        ),
        "Import du fichier départemental": translate("path", "Import du fichier départemental"),
    }
    return ours.get(name, name)


def _decision_details(decision: OrientationDecision, decided_by: str) -> str:
    """« Décidée le … par … · A travaillé ces deux dernières années : non · … · Freins :
    Santé (Impact fort), … » — the criteria of the orientation, as recorded."""
    parts = [
        translate("path", "Décidée le {date} par {name}").format(
            date=_d(decision.decided_on), name=decider_text(decided_by)
        )
        if decided_by
        else translate("path", "Décidée le {date}").format(date=_d(decision.decided_on))
    ]
    worked = _yes_no(decision.worked_last_two_years)
    if worked is not None:
        parts.append(
            translate("path", "A travaillé ces deux dernières années : {answer}").format(
                answer=worked
            )
        )
    pictures = _yes_no(decision.can_picture_job)
    if pictures is not None:
        parts.append(
            translate("path", "Se projette dans un emploi : {answer}").format(answer=pictures)
        )
    if decision.qualification_level:
        parts.append(
            translate("path", "Qualification : {level}").format(
                level=label("qualification_level", decision.qualification_level)
            )
        )
    barriers = [
        translate("path", "{barrier} ({impact})").format(
            barrier=label("orientation_criterion", code),
            impact=label("orientation_impact", getattr(decision, column)),
        )
        for code, column in path.CRITERIA.items()
        if getattr(decision, column)
    ]
    if barriers:
        parts.append(translate("path", "Freins : {list}").format(list=", ".join(barriers)))
    if decision.review_obstacle:
        parts.append(
            translate("path", "Réexamen à 12 mois : {reason}").format(
                reason=label("review_obstacle", decision.review_obstacle)
            )
        )
    return " · ".join(parts)


def _decision_text(breach: Breach) -> str:
    """« Suspension partielle (30 %, 2 mois), le 02/11/2026 », empty before a decision."""
    if not breach.decision:
        return ""
    text = label("remobilisation_decision", breach.decision)
    if breach.decision_percent:
        text += translate("path", " ({percent} %, {months} mois)").format(
            percent=breach.decision_percent, months=breach.decision_months
        )
    if breach.decision_on:
        text += translate("path", ", le {date}").format(date=_d(breach.decision_on))
    return text


class HoursGauge(QWidget):
    """Planned hours a week (bar), done hours (inner bar) and the floor (a marked line)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.planned = 0
        self.done = 0
        self.floor = WEEKLY_FLOOR_MINUTES
        self.setMinimumHeight(46)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def sizeHint(self) -> QSize:
        return QSize(480, 46)

    def set_values(self, planned: int, done: int, floor: int) -> None:
        self.planned, self.done, self.floor = planned, done, floor
        a11y(self, translate("path", "Heures d'activité par semaine"), self.text())
        self.setToolTip(self.text())
        self.update()

    @property
    def below(self) -> bool:
        return self.planned < self.floor

    def text(self) -> str:
        base = translate("path", "{planned} prévues, {done} réalisées, plancher {floor}").format(
            planned=_h(self.planned), done=_h(self.done), floor=_h(self.floor)
        )
        if self.below:
            return base + translate("path", " — sous le plancher")
        return base

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scale_max = max(self.floor, self.planned, self.done, 60) * 1.15
        width = self.width() - 2
        bar = QRectF(1, 8, width, 22)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e8ecf2"))
        painter.drawRoundedRect(bar, 5, 5)
        planned_color = QColor("#c0392b") if self.below else QColor("#2e6fbf")
        painter.setBrush(planned_color)
        painter.drawRoundedRect(QRectF(1, 8, width * self.planned / scale_max, 22), 5, 5)
        painter.setBrush(QColor("#2f9e5b"))
        painter.drawRoundedRect(QRectF(1, 24, width * self.done / scale_max, 6), 3, 3)
        floor_x = 1 + width * self.floor / scale_max
        painter.setPen(QPen(QColor("#1d2330"), 2, Qt.PenStyle.DashLine))
        painter.drawLine(int(floor_x), 2, int(floor_x), 36)
        painter.setPen(QColor("#1d2330"))
        painter.drawText(
            QRectF(floor_x - 60, 32, 120, 14),
            Qt.AlignmentFlag.AlignCenter,
            translate("path", "plancher {floor}").format(floor=_h(self.floor)),
        )
        painter.end()


#: the widest date a path list shows (``_d``), to size a date column before it holds one
_DATE_SAMPLE = "00/00/0000"
#: QHeaderView::section and QTreeView::item paddings of app.qss, each side, and a margin
_HEADER_PADDING, _ITEM_PADDING, _MARGIN = 8, 6, 6


def _tree(
    headers: list[str], name: str, *, stretch: int = 0, dates: tuple[int, ...] = ()
) -> QTreeWidget:
    """A compact list; column ``stretch`` takes the room left, the others fit their text.

    A column of ``dates`` is never narrower than a date: otherwise an empty one (a request
    not answered yet) shrinks to its short header (« Le ») squeezed against the edge.
    """
    tree = a11y(QTreeWidget(), name)
    tree.setHeaderLabels(headers)
    header = tree.header()
    header.setStretchLastSection(False)
    for column in range(len(headers)):
        header.setSectionResizeMode(
            column,
            QHeaderView.ResizeMode.Stretch
            if column == stretch
            else QHeaderView.ResizeMode.ResizeToContents,
        )
    if dates:
        tree.ensurePolished()  # the style sheet's font, not the default one
        body = tree.fontMetrics()
        bold = QFont(tree.font())
        bold.setBold(True)  # QHeaderView::section is bold
        heads = QFontMetrics(bold)
        for column in dates:
            width = _MARGIN + max(
                body.horizontalAdvance(_DATE_SAMPLE) + 2 * _ITEM_PADDING,
                heads.horizontalAdvance(headers[column]) + 2 * _HEADER_PADDING,
            )
            # The header's own size hint: ResizeToContents keeps the wider of it and the
            # cells; height 0 leaves the header's height to the other sections.
            tree.headerItem().setSizeHint(column, QSize(width, 0))
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setAllColumnsShowFocus(True)
    tree.setMinimumHeight(90)
    tree.setMaximumHeight(150)
    return tree


def _card(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 12)
    layout.setSpacing(6)
    layout.addWidget(heading(title, "sectionTitle"))
    a11y(frame, title)
    return frame, layout


#: below this width the cards stack, so that no column of their lists is cut (issue 12)
SIDE_BY_SIDE_MIN_WIDTH = 1300


class PathTab(QWidget):
    """The « Parcours » tab."""

    def __init__(self, session: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.person_id: uuid.UUID | None = None
        self.data: PathData | None = None
        self.revealed: tuple[uuid.UUID, str] | None = None  # the breach whose observations show
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        page = QWidget()
        scroll.setWidget(page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(10)

        self.error = banner()
        layout.addWidget(self.error)
        self.deadlines = banner("warningBanner")
        a11y(self.deadlines, translate("path", "Échéances du parcours"))
        layout.addWidget(self.deadlines)

        columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        columns.setSpacing(10)
        self.columns = columns  # side by side on a wide screen, stacked at 1366 px
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout.addLayout(columns)

        # Orientation
        card, body = _card(translate("path", "Orientation"))
        self.orientation_tree = _tree(
            [
                translate("path", "Décision"),
                translate("path", "Parcours"),
                translate("path", "Structure"),
                translate("path", "Notifiée"),
                translate("path", "Réexamen"),
            ],
            translate("path", "Historique des orientations"),
            stretch=2,
            dates=(0, 3),
        )
        body.addWidget(self.orientation_tree)
        # Who decided the chosen orientation and on which criteria (issue 13, item 1).
        self.decision_label = QLabel()
        self.decision_label.setObjectName("hint")
        self.decision_label.setWordWrap(True)
        self.decision_label.setTextFormat(Qt.TextFormat.PlainText)
        a11y(self.decision_label, translate("path", "Critères de l'orientation choisie"))
        body.addWidget(self.decision_label)
        # The pending request shows once: as the first row of the requests below (its whole
        # reason in the row's tooltip), not also as a sentence above them (issue 13).
        self.requests_tree = _tree(
            [
                translate("path", "Demandée le"),
                translate("path", "Parcours demandé"),
                translate("path", "Motif"),
                translate("path", "Réponse"),
                translate("path", "Le"),
            ],
            translate("path", "Demandes de réorientation"),
            stretch=2,
            dates=(0, 4),
        )
        self.requests_tree.setMinimumHeight(60)
        self.requests_tree.setMaximumHeight(110)
        body.addWidget(self.requests_tree)
        self.orient_button = button(translate("path", "Nouvelle décision d'orientation"))
        self.reorient_button = button(translate("path", "Demander une réorientation"))
        self.notify_button = button(
            translate("path", "Notifiée le…"),
            translate("path", "Enregistrer la notification de la décision choisie"),
        )
        self.answer_button = button(
            translate("path", "Décider de la demande"),
            translate("path", "Décider de la demande de réorientation en attente"),
        )
        body.addLayout(
            self._row(
                self.orient_button, self.reorient_button, self.notify_button, self.answer_button
            )
        )
        left.addWidget(card)

        # Contract
        card, body = _card(translate("path", "Contrat d'engagement"))
        self.contract_label = QLabel()
        self.contract_label.setWordWrap(True)
        self.contract_label.setTextFormat(Qt.TextFormat.PlainText)
        a11y(self.contract_label, translate("path", "Contrat en cours"))
        body.addWidget(self.contract_label)
        self.versions_tree = _tree(
            [
                translate("path", "Version"),
                translate("path", "État"),
                translate("path", "Période"),
                translate("path", "Signé le"),
            ],
            translate("path", "Versions du contrat"),
            stretch=2,
            dates=(3,),
        )
        body.addWidget(self.versions_tree)
        self.draft_button = button(translate("path", "Préparer le contrat"))
        self.sign_button = button(translate("path", "Signer"))
        self.renew_button = button(translate("path", "Nouvelle version"))
        self.end_button = button(
            translate("path", "Terminer"), translate("path", "Terminer le contrat en cours")
        )
        body.addLayout(
            self._row(self.draft_button, self.sign_button, self.renew_button, self.end_button)
        )
        left.addWidget(card)

        # Plan and hours
        card, body = _card(translate("path", "Plan d'action et heures d'activité"))
        self.gauge = HoursGauge()
        body.addWidget(self.gauge)
        self.gauge_label = QLabel()
        self.gauge_label.setWordWrap(True)
        body.addWidget(self.gauge_label)
        self.plan_tree = _tree(
            [
                translate("path", "Action"),
                translate("path", "Partenaire"),
                translate("path", "Statut"),
                translate("path", "Prévues"),
                translate("path", "Réalisées"),
            ],
            translate("path", "Actions du plan (heures par semaine)"),
        )
        body.addWidget(self.plan_tree)
        self.add_action_button = button(translate("path", "Ajouter une action"))
        self.hours_button = button(translate("path", "Saisir les heures"))
        body.addLayout(self._row(self.add_action_button, self.hours_button))
        right.addWidget(card)

        # Closing review
        card, body = _card(translate("path", "Fin d'accompagnement"))
        self.closing_label = QLabel()
        self.closing_label.setWordWrap(True)
        body.addWidget(self.closing_label)
        self.close_button = button(translate("path", "Clore l'accompagnement"))
        body.addLayout(self._row(self.close_button))
        right.addWidget(card)

        # Breaches
        self.breach_card, body = _card(translate("path", "Manquements (information sensible)"))
        self.breach_tree = _tree(
            [
                translate("path", "Constaté le"),
                translate("path", "Manquement"),
                translate("path", "Invitée le"),
                translate("path", "Décision"),
                translate("path", "Remobilisation"),
            ],
            translate("path", "Manquements au contrat"),
            stretch=1,
            dates=(0, 2, 4),
        )
        self.breach_tree.currentItemChanged.connect(lambda *_: self._breach_selected())
        body.addWidget(self.breach_tree)
        self.observations_label = QLabel()
        self.observations_label.setWordWrap(True)
        self.observations_label.setTextFormat(Qt.TextFormat.PlainText)
        self.observations_label.setVisible(False)
        a11y(self.observations_label, translate("path", "Observations de la personne"))
        body.addWidget(self.observations_label)
        self.breach_button = button(translate("path", "Signaler un manquement"))
        self.decide_button = button(
            translate("path", "Décision du département"),
            translate("path", "Enregistrer la décision du département sur le manquement choisi"),
        )
        self.correct_button = button(
            translate("path", "Corriger la décision"),
            translate(
                "path",
                "Corriger une décision mal saisie sur le manquement choisi "
                "(l'ancienne reste visible, corrigée)",
            ),
        )
        self.reveal_button = button(
            translate("path", "Afficher les observations"),
            translate("path", "Afficher les observations de la personne (lecture tracée)"),
        )
        body.addLayout(
            self._row(
                self.breach_button, self.decide_button, self.correct_button, self.reveal_button
            )
        )
        right.addWidget(self.breach_card)
        left.addStretch(1)
        right.addStretch(1)
        layout.addStretch(1)

        self.orient_button.clicked.connect(lambda: self._open(OrientationDialog))
        self.reorient_button.clicked.connect(lambda: self._open(ReorientationDialog))
        self.draft_button.clicked.connect(lambda: self._open(ContractDialog))
        self.sign_button.clicked.connect(self._sign)
        self.renew_button.clicked.connect(self._renew)
        self.add_action_button.clicked.connect(self._add_action)
        self.hours_button.clicked.connect(self._hours)
        self.close_button.clicked.connect(lambda: self._open(ClosingDialog))
        self.breach_button.clicked.connect(lambda: self._open(BreachDialog))
        self.answer_button.clicked.connect(self._answer)
        self.notify_button.clicked.connect(self._notify)
        self.orientation_tree.currentItemChanged.connect(lambda *_: self._enable())
        self.end_button.clicked.connect(self._end)
        self.decide_button.clicked.connect(self._decide)
        self.correct_button.clicked.connect(self._correct)
        self.reveal_button.clicked.connect(self._reveal)
        self.breach_tree.itemActivated.connect(lambda *_: self._decide())
        self.plan_tree.itemActivated.connect(lambda *_: self._hours())

    @staticmethod
    def _row(*widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        for widget in widgets:
            row.addWidget(widget)
        row.addStretch(1)
        return row

    # -- loading ------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = event.size().width() >= SIDE_BY_SIDE_MIN_WIDTH
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.columns.direction() != direction:
            self.columns.setDirection(direction)

    def load(self, person_id: uuid.UUID) -> None:
        if person_id != self.person_id:
            self.revealed = None
        self.person_id = person_id
        actor = self.session.actor
        now = utcnow()

        def work(store: Store) -> PathData:
            snapshot = queries.path_snapshot(store, person_id, now, actor)
            return load_path_data(snapshot, person_id, now)

        self.session.ops.read(work, self._show, self._failed, owner=self, label="path")

    def clear(self) -> None:
        self.person_id = None
        self.data = None
        self.revealed = None
        for tree in (
            self.orientation_tree,
            self.requests_tree,
            self.versions_tree,
            self.plan_tree,
            self.breach_tree,
        ):
            tree.clear()
        for text in (
            self.decision_label,
            self.contract_label,
            self.closing_label,
            self.gauge_label,
            self.observations_label,
        ):
            text.setText("")
        self.observations_label.setVisible(False)
        show_banner(self.deadlines, None)
        show_banner(self.error, None)

    def _failed(self, error: BaseException) -> None:
        show_banner(self.error, error_message(error))

    def _show(self, data: PathData) -> None:
        if data.person_id != self.person_id:
            return
        self.data = data
        show_banner(self.error, None)
        show_banner(self.deadlines, "\n".join(data.deadlines) if data.deadlines else None)
        self._fill(self.orientation_tree, data.decisions)
        for index, (decision_id, _notified) in enumerate(data.decision_ids):
            item = self.orientation_tree.topLevelItem(index)
            if item is not None:
                item.setData(0, ROW_ID, str(decision_id))
                item.setToolTip(0, data.decision_details[index])
        first_decision = self.orientation_tree.topLevelItem(0)
        if first_decision is not None and data.decisions:
            self.orientation_tree.setCurrentItem(first_decision)
        if not data.decisions:
            self.orientation_tree.addTopLevelItem(
                QTreeWidgetItem([translate("path", "Aucune décision d'orientation")])
            )
        self.requests_tree.clear()
        for request in data.requests:
            item = QTreeWidgetItem(request.cells())
            item.setData(0, ROW_ID, str(request.id))
            item.setToolTip(2, request.reason)
            if request.comment:
                item.setToolTip(3, request.comment)
            if request.pending:
                font = item.font(3)
                font.setBold(True)
                item.setFont(3, font)
            self.requests_tree.addTopLevelItem(item)
        self.requests_tree.setVisible(bool(data.requests))
        current = data.current
        if current is None:
            self.contract_label.setText(translate("path", "Aucun contrat en cours."))
        else:
            lines = [f"{current.title} — {current.state_label}"]
            if current.period:
                lines.append(current.period)
            if current.signed_on:
                lines.append(translate("path", "Signé le {date}").format(date=current.signed_on))
            if current.legacy:
                lines.append(
                    translate(
                        "path",
                        "Ancien contrat : à convertir en contrat d'engagement avant le "
                        "1er janvier 2027.",
                    )
                )
            if current.objectives:
                lines.append(
                    translate("path", "Objectifs : {text}").format(text=current.objectives)
                )
            self.contract_label.setText("\n".join(lines))
        self.versions_tree.clear()
        for version in data.versions:
            item = QTreeWidgetItem(
                [version.short, version.state_label, version.period, version.signed_on]
            )
            item.setToolTip(0, version.title)
            item.setData(0, ROW_ID, str(version.id))
            self.versions_tree.addTopLevelItem(item)
        self.plan_tree.clear()
        for action in data.plan:
            item = QTreeWidgetItem(
                [action.label, action.partner, action.status, _h(action.planned), _h(action.done)]
            )
            item.setData(0, ROW_ID, str(action.id))
            self.plan_tree.addTopLevelItem(item)
        first = self.plan_tree.topLevelItem(0)
        if first is not None:
            self.plan_tree.setCurrentItem(first)
        has_plan = current is not None and not current.legacy
        self.gauge.setVisible(has_plan)
        if has_plan:
            self.gauge.set_values(data.planned, data.done, data.floor)
            text = self.gauge.text()
            if current is not None and current.floor_reason:
                text += translate("path", " (plancher abaissé : {reason})").format(
                    reason=current.floor_reason
                )
            self.gauge_label.setText(text)
        else:
            self.gauge_label.setText(
                translate("path", "Pas de plan d'heures sans contrat d'engagement.")
            )
        self.closing_label.setText(data.closing or translate("path", "Accompagnement en cours."))
        self.breach_card.setVisible(data.breaches is not None)
        if data.breaches is not None:
            selected = self._selected_breach()
            self.breach_tree.clear()
            for breach in data.breaches:
                item = QTreeWidgetItem(breach.cells())
                item.setData(0, ROW_ID, str(breach.id))
                self.breach_tree.addTopLevelItem(item)
                for cells, note in breach.corrected:
                    # The wrong decision stays in sight, under the one that corrected it.
                    child = QTreeWidgetItem(cells)
                    child.setData(0, ROW_ID, str(breach.id))
                    child.setToolTip(3, note)
                    item.addChild(child)
                item.setExpanded(True)
                if selected is not None and breach.id == selected.id:
                    self.breach_tree.setCurrentItem(item)
            first_breach = self.breach_tree.topLevelItem(0)
            if self.breach_tree.currentItem() is None and first_breach is not None:
                self.breach_tree.setCurrentItem(first_breach)
        self._enable()

    @staticmethod
    def _fill(tree: QTreeWidget, rows: list[tuple[str, ...]]) -> None:
        tree.clear()
        for row in rows:
            tree.addTopLevelItem(QTreeWidgetItem(list(row)))

    def _enable(self) -> None:
        data = self.data
        writable = not self.session.read_only and data is not None and not data.closed
        current = data.current if data else None
        self.orient_button.setEnabled(writable)
        self.reorient_button.setEnabled(
            writable and bool(data and data.decisions) and not (data and data.pending_request)
        )
        self.draft_button.setEnabled(writable and current is None)
        self.sign_button.setEnabled(writable and current is not None and current.state == "draft")
        self.renew_button.setEnabled(writable and current is not None and current.state == "signed")
        plan_ok = writable and current is not None and not current.legacy
        self.add_action_button.setEnabled(plan_ok)
        self.hours_button.setEnabled(plan_ok and bool(data and data.plan))
        self.end_button.setEnabled(
            writable and current is not None and current.state in ("draft", "signed")
        )
        decision = self._selected_decision()
        details = ""
        if decision is not None and data is not None:
            details = data.decision_details[data.decision_ids.index(decision)]
        self.decision_label.setText(details)
        self.decision_label.setVisible(bool(details))
        self.notify_button.setEnabled(writable and decision is not None and not decision[1])
        self.notify_button.setVisible(bool(data and any(not n for _, n in data.decision_ids)))
        self.answer_button.setEnabled(writable and bool(data and data.pending_request_id))
        self.answer_button.setVisible(bool(data and data.pending_request_id))
        self.close_button.setEnabled(writable)
        self.breach_button.setEnabled(writable)
        breach = self._selected_breach()
        # A breach decision is written by the referent's device only: the server refuses a
        # supervisor's (read-only role), so her device does not offer it.
        self.decide_button.setEnabled(
            not self.session.read_only and breach is not None and not breach.decided
        )
        # Its correction follows the same rule (a new version of the breach, the referent's).
        self.correct_button.setEnabled(
            not self.session.read_only and breach is not None and breach.decided
        )
        self.correct_button.setVisible(not self.session.read_only)
        self.reveal_button.setEnabled(breach is not None)

    def _breach_selected(self) -> None:
        """Buttons for the chosen breach; its observations stay shown once revealed."""
        self._enable()
        breach = self._selected_breach()
        shown = self.revealed is not None and breach is not None and breach.id == self.revealed[0]
        if shown and breach is not None and self.revealed is not None:
            self.observations_label.setText(
                translate("path", "Observations ({kind}, {date}) : {text}").format(
                    kind=breach.kind,
                    date=breach.occurred_on,
                    text=self.revealed[1] or translate("path", "aucune observation enregistrée."),
                )
            )
        self.observations_label.setVisible(shown)

    def _selected_decision(self) -> tuple[uuid.UUID, bool] | None:
        if self.data is None:
            return None
        item = self.orientation_tree.currentItem()
        if item is None or not item.data(0, ROW_ID):
            return None
        wanted = str(item.data(0, ROW_ID))
        return next((d for d in self.data.decision_ids if str(d[0]) == wanted), None)

    def _notify(self) -> None:
        decision = self._selected_decision()
        item = self.orientation_tree.currentItem()
        if decision is None or item is None or not self.notify_button.isEnabled():
            return
        summary = translate("path", "Décision du {date} : {track}").format(
            date=item.text(0), track=item.text(1)
        )
        self._open(NotifyOrientationDialog, decision[0], summary)

    def _selected_breach(self) -> BreachRow | None:
        if self.data is None or not self.data.breaches:
            return None
        item = self.breach_tree.currentItem()
        if item is None:
            return None
        breach_id = str(item.data(0, ROW_ID))
        return next((b for b in self.data.breaches if str(b.id) == breach_id), None)

    # -- dialogs ------------------------------------------------------------------------

    def _open(
        self, dialog_class: Callable[..., DraftDialog], *args: object, **kwargs: object
    ) -> None:
        if self.person_id is None:
            return
        dialog = dialog_class(self.session, self.person_id, *args, parent=self, **kwargs)
        dialog.open()
        self.last_dialog = dialog

    def _sign(self) -> None:
        if self.data and self.data.current:
            self._open(SignContractDialog, self.data.current.id)

    def _renew(self) -> None:
        if self.data and self.data.current:
            self._open(
                ContractDialog,
                renew_of=self.data.current.id,
                floor_minutes=self.data.current.floor_minutes,
            )

    def _answer(self) -> None:
        data = self.data
        if data is None or data.pending_request_id is None or not self.answer_button.isEnabled():
            return
        self._open(AnswerReorientationDialog, data.pending_request_id, data.pending_request or "")

    def _end(self) -> None:
        if self.data and self.data.current and self.end_button.isEnabled():
            self._open(EndContractDialog, self.data.current.id)

    def _decide(self) -> None:
        breach = self._selected_breach()
        if breach is None or not self.decide_button.isEnabled():
            return
        summary = translate("path", "{kind} constaté le {date}").format(
            kind=breach.kind, date=breach.occurred_on
        )
        self._open(BreachDecisionDialog, breach.id, summary, breach.invited)

    def _correct(self) -> None:
        breach = self._selected_breach()
        if breach is None or not self.correct_button.isEnabled():
            return
        summary = translate("path", "{kind} constaté le {date} — décision : {decision}").format(
            kind=breach.kind, date=breach.occurred_on, decision=breach.decision
        )
        self._open(BreachDecisionDialog, breach.id, summary, breach.invited, correct=breach.values)

    def _reveal(self) -> None:
        """The person's observations on the chosen breach; the reading is audited."""
        breach = self._selected_breach()
        if breach is None:
            return
        actor = self.session.require_actor()
        breach_id, person_id = breach.id, self.person_id

        def work(store: Store) -> Outcome[str]:
            return usecases.reveal_breach(store, actor, breach_id)

        def done(text: str) -> None:
            if self.person_id != person_id:
                return
            self.revealed = (breach_id, text)
            self._breach_selected()

        self.session.ops.write(work, done, self._failed, owner=self, label="reveal_breach")

    def _add_action(self) -> None:
        if self.data and self.data.current:
            self._open(PlanActionDialog, self.data.current.id)

    def _hours(self) -> None:
        if self.data is None or not self.hours_button.isEnabled():
            return
        item = self.plan_tree.currentItem()
        if item is None:
            return
        action_id = uuid.UUID(str(item.data(0, ROW_ID)))
        row = next(a for a in self.data.plan if a.id == action_id)
        self._open(HoursDialog, action_id, row.planned, row.done)
