"""The directory search (issue 16), shared by the « Annuaire des partenaires » screen and the
partner picker of the action dialog: words, barrier theme, commune and distance, « ouvert
maintenant »; the results list and the detail of the selected service.

Every read runs on a reader thread (``Ops.read``); typing is debounced, and a result older
than the last request is dropped (``_request``), so the list never flickers back.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.services import partners
from spie_desktop.services.directory import Criteria, theme_mapping
from spie_desktop.services.partners import (
    DirectoryOverview,
    PartnerDetail,
    PartnerPage,
    PartnerRow,
    Place,
)
from spie_desktop.store.store import Store
from ui.formatting import label
from ui.i18n import translate
from ui.session import AppContext
from ui.texts.directory import (
    di_label_list,
    di_labels,
    hours_state,
    mobilisation,
    weekly_hours,
)
from ui.widgets.common import a11y, banner, show_banner
from ui.workers import error_message

SERVICE_ID = Qt.ItemDataRole.UserRole
SEARCH_DELAY_MS = 250
RESULTS_LIMIT = 100
#: (radius in km; None: the commune only; 0: every distance, nearest first)
RADII: tuple[int | None, ...] = (None, 5, 10, 20, 50, 0)


def fmt_km(value: float | None) -> str:
    if value is None:
        return ""
    return translate("directory", "{km} km").format(km=f"{value:.1f}".replace(".", ","))


@dataclass(frozen=True)
class _Query:
    criteria: Criteria
    open_now: bool
    commune_text: str


class DirectorySearch(QWidget):
    """Filters, results and detail. ``chosen`` is emitted on Entrée / double click."""

    selected = Signal(object)  # PartnerDetail | None
    chosen = Signal(object)  # PartnerDetail
    overview_loaded = Signal(object)  # DirectoryOverview

    def __init__(self, session: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ops = session.ops
        self.overview: DirectoryOverview | None = None
        self.page: PartnerPage | None = None
        self.detail: PartnerDetail | None = None
        self.place: Place | None = None
        self._request = 0
        self._detail_request = 0
        self._active = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.search_now)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        filters = QGridLayout()
        filters.setHorizontalSpacing(10)
        filters.setVerticalSpacing(4)
        self.text = a11y(
            QLineEdit(),
            translate("directory", "Rechercher un service"),
            translate("directory", "Nom, structure, mot-clé ; les accents sont ignorés."),
        )
        self.text.setPlaceholderText(translate("directory", "Nom, structure, mot-clé…"))
        self.text.setClearButtonEnabled(True)
        self.text.setMaxLength(partners.MAX_QUERY_LENGTH + 300)  # longer is refused in French
        self.theme = a11y(QComboBox(), translate("directory", "Thème du frein"))
        self.theme.addItem(translate("directory", "Tous les thèmes"), None)
        for code in sorted(theme_mapping(), key=lambda c: label("theme", c)):
            self.theme.addItem(label("theme", code), code)
        self.commune = a11y(
            QLineEdit(),
            translate("directory", "Commune"),
            translate("directory", "Une commune de l'annuaire, par son nom ou son code INSEE."),
        )
        self.commune.setPlaceholderText(translate("directory", "Commune (toutes)"))
        self.commune.setClearButtonEnabled(True)
        self._communes = QStringListModel(self)
        completer = QCompleter(self._communes, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.commune.setCompleter(completer)
        self.radius = a11y(QComboBox(), translate("directory", "Distance"))
        for radius in RADII:
            if radius is None:
                text = translate("directory", "Dans la commune")
            elif radius == 0:
                text = translate("directory", "Toutes distances, au plus près")
            else:
                text = translate("directory", "À {km} km au plus").format(km=radius)
            self.radius.addItem(text, radius)
        self.radius.setCurrentIndex(RADII.index(10))
        self.open_now = a11y(
            QCheckBox(translate("directory", "Ouvert maintenant")),
            translate("directory", "Seulement les services ouverts maintenant"),
        )
        captions = (
            translate("directory", "Recherche"),
            translate("directory", "Thème (frein)"),
            translate("directory", "Commune"),
            translate("directory", "Distance"),
        )
        for column, (caption, widget) in enumerate(
            zip(captions, (self.text, self.theme, self.commune, self.radius), strict=True)
        ):
            caption_label = QLabel(caption)
            caption_label.setObjectName("fieldLabel")
            caption_label.setBuddy(widget)
            filters.addWidget(caption_label, 0, column)
            filters.addWidget(widget, 1, column)
        filters.addWidget(self.open_now, 1, 4)
        filters.setColumnStretch(0, 3)
        filters.setColumnStretch(1, 2)
        filters.setColumnStretch(2, 2)
        filters.setColumnStretch(3, 2)
        outer.addLayout(filters)

        self.message = banner("infoBanner")
        outer.addWidget(self.message)
        self.error = banner()
        outer.addWidget(self.error)
        self.count = QLabel()
        self.count.setObjectName("hint")
        outer.addWidget(self.count)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.results = a11y(
            QListWidget(),
            translate("directory", "Services trouvés"),
            translate("directory", "Flèches pour parcourir ; le détail s'affiche à droite."),
        )
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setAlternatingRowColors(True)
        self.results.setSpacing(2)
        self.results.currentItemChanged.connect(self._current_changed)
        self.results.itemActivated.connect(self._activated)
        self.details = a11y(QTextBrowser(), translate("directory", "Détail du service"))
        self.details.setOpenLinks(False)
        self.details.setMinimumWidth(300)
        self.splitter.addWidget(self.results)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)

        self.text.textChanged.connect(lambda _t: self.schedule())
        self.text.returnPressed.connect(self.search_now)
        self.commune.returnPressed.connect(self.search_now)
        self.commune.editingFinished.connect(self._commune_edited)
        completer.activated.connect(lambda _text: self.search_now())
        self.theme.currentIndexChanged.connect(lambda _i: self.search_now())
        self.radius.currentIndexChanged.connect(lambda _i: self.search_now())
        self.open_now.toggled.connect(lambda _on: self.search_now())
        self.setTabOrder(self.text, self.theme)
        self.setTabOrder(self.theme, self.commune)
        self.setTabOrder(self.commune, self.radius)
        self.setTabOrder(self.radius, self.open_now)
        self.setTabOrder(self.open_now, self.results)
        self.setTabOrder(self.results, self.details)
        self._last_commune = ""
        self._show_detail(None)

    # -- lifecycle -----------------------------------------------------------------------

    def activate(self) -> None:
        self._active = True
        self.ops.read(
            partners.directory_overview,
            self._overview_loaded,
            self._failed,
            owner=self,
            label="directory overview",
        )

    def deactivate(self) -> None:
        self._active = False
        self._request += 1
        self._detail_request += 1
        self.results.clear()
        self.page = None
        self.detail = None
        self.place = None
        self._show_detail(None)

    def _overview_loaded(self, overview: DirectoryOverview) -> None:
        self.overview = overview
        self._communes.setStringList([name for _code, name in overview.communes])
        self.overview_loaded.emit(overview)
        if not overview.received and overview.services == 0:
            self._empty_directory(
                translate(
                    "directory",
                    "L'annuaire des partenaires n'a pas encore été reçu sur cet ordinateur. "
                    "Il arrive avec la synchronisation : connectez-vous au réseau puis "
                    "appuyez sur F5 (Synchroniser).",
                )
            )
            return
        if overview.services == 0:
            self._empty_directory(
                translate(
                    "directory",
                    "L'annuaire du département est vide : aucun service n'a encore été "
                    "importé sur le serveur. Parlez-en à l'administrateur du département.",
                )
            )
            return
        show_banner(self.message, None)
        self.search_now()

    def _empty_directory(self, text: str) -> None:
        show_banner(self.message, text, "warningBanner")
        self.results.clear()
        self.count.setText("")
        self._show_detail(None)

    # -- the person's context ------------------------------------------------------------

    def set_theme(self, theme: str | None) -> None:
        index = self.theme.findData(theme)
        self.theme.blockSignals(True)
        self.theme.setCurrentIndex(index if index >= 0 else 0)
        self.theme.blockSignals(False)

    def use_person(self, person_id: uuid.UUID, on_done: object = None) -> None:
        """Start from the person's commune, nearest first (when the directory knows it)."""

        def placed(place: Place | None) -> None:
            if place is None:
                show_banner(
                    self.message,
                    translate(
                        "directory",
                        "La commune de la personne n'est pas dans l'annuaire : choisissez "
                        "une commune pour trier par distance.",
                    ),
                    "infoBanner",
                )
                self.search_now()
                return
            self.commune.blockSignals(True)
            self.commune.setText(place.name)
            self.commune.blockSignals(False)
            self._last_commune = place.name
            self.radius.blockSignals(True)
            self.radius.setCurrentIndex(RADII.index(0))
            self.radius.blockSignals(False)
            self.search_now()

        self.ops.read(
            lambda store: partners.person_place(store, person_id),
            placed,
            self._failed,
            owner=self,
            label="person place",
        )

    # -- searching -----------------------------------------------------------------------

    def schedule(self) -> None:
        self._timer.start(SEARCH_DELAY_MS)

    def _commune_edited(self) -> None:
        if self.commune.text() != self._last_commune:
            self._last_commune = self.commune.text()
            self.search_now()

    def current_query(self) -> _Query:
        return _Query(
            criteria=Criteria(
                text=self.text.text(),
                theme=self.theme.currentData(),
                limit=RESULTS_LIMIT,
            ),
            open_now=self.open_now.isChecked(),
            commune_text=self.commune.text().strip(),
        )

    def search_now(self) -> None:
        self._timer.stop()
        if not self._active or self.overview is None or self.overview.services == 0:
            return
        wanted = self.current_query()
        radius = self.radius.currentData()
        if len(wanted.criteria.text) > partners.MAX_QUERY_LENGTH:
            self._refused(
                translate(
                    "directory",
                    "La recherche est trop longue ({n} caractères ; {max} au plus) : "
                    "saisissez quelques mots.",
                ).format(n=len(wanted.criteria.text), max=partners.MAX_QUERY_LENGTH)
            )
            return
        self._request += 1
        request = self._request
        at = datetime.now()

        def work(store: Store) -> tuple[Place | None, PartnerPage]:
            criteria = wanted.criteria
            place: Place | None = None
            if wanted.commune_text:
                place = partners.resolve_commune(store, wanted.commune_text)
                if radius is None or place.position is None:
                    criteria = replace(criteria, code_insee=place.code_insee, near=place.position)
                else:
                    criteria = replace(
                        criteria, near=place.position, radius_km=float(radius) if radius else None
                    )
            page = partners.find_partners(store, criteria, at, open_now=wanted.open_now)
            return place, page

        self.ops.read(
            work,
            lambda result: self._searched(request, result),
            lambda error: self._search_failed(request, error),
            owner=self,
            label="directory search",
        )

    def _refused(self, text: str) -> None:
        show_banner(self.error, text)
        self.text.setProperty("invalid", True)

    def _search_failed(self, request: int, error: BaseException) -> None:
        if request != self._request:
            return
        show_banner(self.error, error_message(error))

    def _failed(self, error: BaseException) -> None:
        show_banner(self.error, error_message(error))

    def _searched(self, request: int, result: tuple[Place | None, PartnerPage]) -> None:
        if request != self._request:
            return  # a newer search is on its way
        show_banner(self.error, None)
        self.text.setProperty("invalid", False)
        self.place, self.page = result
        previous = self.current_id()
        self.results.blockSignals(True)
        self.results.clear()
        for row in self.page.rows:
            item = QListWidgetItem(self._row_text(row))
            item.setData(SERVICE_ID, row.id)
            item.setToolTip(f"{row.name} — {row.structure_name}")
            self.results.addItem(item)
        self.results.blockSignals(False)
        total = self.page.total
        if not self.page.rows:
            self.count.setText(
                translate(
                    "directory",
                    "Aucun service ne correspond. Retirez un mot ou un filtre, ou élargissez "
                    "la distance.",
                )
            )
            self._show_detail(None)
            self.detail = None
            self.selected.emit(None)
            return
        if total > len(self.page.rows):
            text = translate("directory", "{shown} premiers services sur {n}").format(
                shown=len(self.page.rows), n=total
            )
        else:
            text = translate("directory", "{n} service(s)").format(n=total)
        if self.place is not None and self.place.position is not None:
            text += translate("directory", " · distances depuis {commune}").format(
                commune=self.place.name
            )
        if not self.page.scanned_all:
            text += translate("directory", " · « ouvert maintenant » parmi les premiers résultats")
        self.count.setText(text)
        ids = [row.id for row in self.page.rows]
        self.results.setCurrentRow(ids.index(previous) if previous in ids else 0)

    def _row_text(self, row: PartnerRow) -> str:
        first = row.name + (f" — {row.structure_name}" if row.structure_name else "")
        distance = fmt_km(row.distance_km)
        if distance:
            first += f"  ·  {distance}"
        hours = (
            hours_state(row.hours)
            or weekly_hours(row.hours)
            or translate("directory", "horaires non renseignés")
        )
        second = " · ".join(p for p in (row.address, row.phone) if p)
        return f"{first}\n{second}\n{hours}" if second else f"{first}\n{hours}"

    # -- the detail ----------------------------------------------------------------------

    def current_id(self) -> str | None:
        item = self.results.currentItem()
        value = item.data(SERVICE_ID) if item is not None else None
        return str(value) if value else None

    def _current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        service_id = current.data(SERVICE_ID) if current is not None else None
        self._detail_request += 1
        if not service_id:
            self.detail = None
            self._show_detail(None)
            self.selected.emit(None)
            return
        request = self._detail_request
        at = datetime.now()
        self.ops.read(
            lambda store: partners.partner_detail(store, str(service_id), at),
            lambda detail: self._detail_loaded(request, detail),
            self._failed,
            owner=self,
            label="directory detail",
        )

    def _detail_loaded(self, request: int, detail: PartnerDetail | None) -> None:
        if request != self._detail_request:
            return
        if detail is not None and self.page is not None:
            # the distance is the search's (the detail is read without a position)
            for row in self.page.rows:
                if row.id == detail.row.id:
                    detail = replace(detail, row=row)
        self.detail = detail
        self._show_detail(detail)
        self.selected.emit(detail)

    def _activated(self, _item: QListWidgetItem) -> None:
        if self.detail is not None and self.detail.row.id == self.current_id():
            self.chosen.emit(self.detail)

    def _show_detail(self, detail: PartnerDetail | None) -> None:
        if detail is None:
            self.details.setHtml(
                "<p>"
                + html.escape(translate("directory", "Choisissez un service pour voir son détail."))
                + "</p>"
            )
            return
        self.details.setHtml(detail_html(detail))
        self.details.setAccessibleDescription(self.details.toPlainText()[:500])


def detail_html(detail: PartnerDetail) -> str:
    """The detail panel: every value escaped (records come from outside)."""
    row = detail.row
    data = detail.data
    fee = di_labels("frais").get(str(data.get("frais")), str(data.get("frais") or ""))
    e = html.escape

    def line(caption: str, value: str) -> str:
        if not value:
            return ""
        text = translate("directory", "<b>{caption}</b> : {value}")
        return f"<p>{text.format(caption=e(caption), value=e(value))}</p>"

    hours = weekly_hours(row.hours) or translate("directory", "non renseignés")
    state = hours_state(row.hours)
    if state:
        hours = f"{state} ({hours})"
    parts = [
        f"<h3>{e(row.name)}</h3>",
        f"<p>{e(row.structure_name)}</p>" if row.structure_name else "",
        (
            f"<p><b>{e(translate('directory', 'Service fermé'))}</b></p>"
            if detail.status != "open"
            else ""
        ),
        line(translate("directory", "Adresse"), row.address),
        line(translate("directory", "Distance"), fmt_km(row.distance_km)),
        line(translate("directory", "Téléphone"), row.phone),
        line(translate("directory", "Courriel"), detail.email),
        line(translate("directory", "Horaires"), hours),
        line(translate("directory", "Contact"), str(detail.data.get("contact_nom_prenom") or "")),
        line(translate("directory", "Comment mobiliser"), mobilisation(detail.data)),
        line(
            translate("directory", "Frais"),
            " — ".join(p for p in (fee, detail.frais_precisions) if p),
        ),
        line(
            translate("directory", "Volume horaire"),
            translate("directory", "{h} h par semaine").format(
                h=f"{row.weekly_hours:g}".replace(".", ",")
            )
            if row.weekly_hours
            else "",
        ),
        line(
            translate("directory", "Publics"),
            ", ".join(di_label_list("publics", data.get("publics"))),
        ),
        line(
            translate("directory", "Accueil"),
            ", ".join(di_label_list("modes-accueil", data.get("modes_accueil"))),
        ),
        line(
            translate("directory", "Thématiques"),
            ", ".join(di_label_list("thematiques", data.get("thematiques"))),
        ),
        f"<p>{e(detail.description)}</p>" if detail.description else "",
        line(
            translate("directory", "Source"),
            " · ".join(p for p in (detail.source, detail.updated_on) if p),
        ),
    ]
    return "".join(parts)
