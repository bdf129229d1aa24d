"""First start: choose the server and log in (or the demo), create the passphrase, first sync."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.config import Settings
from spie_desktop.errors import ValidationError
from spie_desktop.services import usecases
from spie_desktop.services.operation import Outcome
from spie_desktop.store.store import Store
from ui.i18n import translate
from ui.session import AppContext
from ui.sync_controller import SyncController, SyncOutcome
from ui.widgets.common import (
    FormFields,
    a11y,
    banner,
    button,
    card,
    hbox,
    heading,
    hint,
    show_banner,
)
from ui.widgets.passphrase import PassphraseForm
from ui.workers import ProgressRelay, error_message

MODE_SERVER = "server"
MODE_DEMO = "demo"


class Steps(QWidget):
    """Pages shown one at a time; unlike a QStackedWidget, the hidden ones take no room,
    so the card is as tall as the current step."""

    def __init__(self) -> None:
        super().__init__()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._pages: list[QWidget] = []
        self._current = 0

    def addWidget(self, page: QWidget) -> None:
        self._pages.append(page)
        self._layout.addWidget(page)
        page.setVisible(len(self._pages) - 1 == self._current)

    def setCurrentIndex(self, index: int) -> None:
        self._current = index
        for position, page in enumerate(self._pages):
            page.setVisible(position == index)

    def currentIndex(self) -> int:
        return self._current

    def count(self) -> int:
        return len(self._pages)

    def widget(self, index: int) -> QWidget:
        return self._pages[index]


class FirstStartPage(QWidget):
    """Three steps in one card. Emits :attr:`finished` when the app can open."""

    finished = Signal()
    STEP_ACCOUNT, STEP_PASSPHRASE, STEP_PROGRESS = range(3)

    def __init__(
        self, session: AppContext, sync: SyncController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.session = session
        self.sync = sync
        self.running = False
        self._created = False
        self._relay = ProgressRelay(self)
        self._relay.progressed.connect(self._on_demo_progress)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        self.box = card("loginCard")
        self.box.setFixedWidth(600)
        layout = QVBoxLayout(self.box)
        layout.setContentsMargins(40, 32, 40, 28)
        layout.setSpacing(10)
        brand = QLabel("SPIE")
        brand.setObjectName("welcomeBrand")
        layout.addWidget(brand)
        self.step_label = QLabel()
        self.step_label.setObjectName("stepLabel")
        layout.addWidget(self.step_label)
        self.steps = Steps()
        self.steps.addWidget(self._account_step())
        self.steps.addWidget(self._passphrase_step())
        self.steps.addWidget(self._progress_step())
        layout.addWidget(self.steps)
        outer.addLayout(hbox(None, self.box, None))
        outer.addStretch(2)
        self.sync.finished.connect(self._on_sync_finished)
        self.sync.progress.connect(self._on_sync_progress)
        self.go(self.STEP_ACCOUNT)

    # -- step 1: server and account, or demo ------------------------------------------------

    def _account_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(heading(translate("first", "Bienvenue dans SPIE"), "title"))
        layout.addWidget(
            hint(
                translate(
                    "first",
                    "Votre portefeuille sera sur cet ordinateur, chiffré, et utilisable sans "
                    "réseau. Il se synchronise avec le serveur de votre département dès que "
                    "la connexion le permet.",
                )
            )
        )
        self.mode_group = QButtonGroup(self)
        self.server_radio = a11y(
            QRadioButton(translate("first", "Me connecter au serveur de mon département")),
            translate("first", "Me connecter au serveur de mon département"),
        )
        self.demo_radio = a11y(
            QRadioButton(
                translate("first", "Découvrir l'application avec des données de démonstration")
            ),
            translate("first", "Découvrir l'application avec des données de démonstration"),
        )
        self.mode_group.addButton(self.server_radio)
        self.mode_group.addButton(self.demo_radio)
        layout.addWidget(self.server_radio)
        grid = QGridLayout()
        grid.setContentsMargins(26, 0, 0, 0)
        self.account_fields = FormFields(grid)
        self.server = self.account_fields.add(
            "server_url",
            translate("first", "Adresse du serveur"),
            QLineEdit(),
            0,
            0,
            span=2,
            hint_text=translate(
                "first", "Fournie par votre administrateur, par exemple https://spie.departement.fr"
            ),
        )
        self.server.setPlaceholderText("https://spie.departement.fr")
        self.username = self.account_fields.add(
            "username", translate("first", "Identifiant"), QLineEdit(), 1, 0
        )
        self.password = self.account_fields.add(
            "password",
            translate("first", "Mot de passe"),
            QLineEdit(),
            1,
            1,
            hint_text=translate("first", "Il n'est jamais enregistré sur cet ordinateur."),
        )
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self._account_next)
        layout.addLayout(grid)
        self.server_unavailable = hint(
            translate(
                "first",
                "La synchronisation n'est pas disponible dans cette version : seule la "
                "démonstration locale est proposée.",
            )
        )
        layout.addWidget(self.server_unavailable)
        layout.addWidget(self.demo_radio)
        self.demo_hint = hint(
            translate(
                "first",
                "150 personnes fictives, sur cet ordinateur uniquement. Rien n'est envoyé.",
            )
        )
        self.demo_hint.setContentsMargins(26, 0, 0, 0)
        layout.addWidget(self.demo_hint)
        self.account_error = banner()
        layout.addWidget(self.account_error)
        self.account_next = button(translate("first", "Continuer"), primary=True)
        self.account_next.clicked.connect(self._account_next)
        layout.addLayout(hbox(None, self.account_next))
        self.server_radio.toggled.connect(self._mode_changed)
        return page

    def _mode_changed(self) -> None:
        server = self.server_radio.isChecked()
        for name in ("server_url", "username", "password"):
            self.account_fields.widgets[name].setEnabled(server)

    def mode(self) -> str:
        return MODE_SERVER if self.server_radio.isChecked() else MODE_DEMO

    def _account_next(self) -> None:
        self.account_fields.clear_errors()
        show_banner(self.account_error, None)
        if self.mode() == MODE_SERVER:
            try:
                Settings(server_url=self.server.text() or None)
            except ValidationError as error:
                self.account_fields.set_error("server_url", error.message)
                self.server.setFocus()
                return
            if not self.server.text().strip():
                self.account_fields.set_error(
                    "server_url", translate("first", "Indiquez l'adresse du serveur.")
                )
                self.server.setFocus()
                return
            if not self.username.text().strip():
                self.account_fields.set_error(
                    "username", translate("first", "Indiquez votre identifiant.")
                )
                self.username.setFocus()
                return
            if not self.password.text():
                self.account_fields.set_error(
                    "password", translate("first", "Indiquez votre mot de passe.")
                )
                self.password.setFocus()
                return
        if self._created:
            self._start_work()
        else:
            self.go(self.STEP_PASSPHRASE)

    # -- step 2: passphrase ----------------------------------------------------------------

    def _passphrase_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(heading(translate("first", "Protéger cet ordinateur"), "title"))
        layout.addWidget(
            hint(
                translate(
                    "first",
                    "Choisissez une phrase de passe : elle chiffre les données de vos "
                    "accompagnements sur ce poste et vous sera demandée à chaque ouverture et "
                    "après chaque verrouillage. Elle ne peut pas être récupérée si vous "
                    "l'oubliez.",
                )
            )
        )
        self.passphrase_form = PassphraseForm()
        self.passphrase_form.confirmation.returnPressed.connect(self._create)
        layout.addWidget(self.passphrase_form)
        self.passphrase_error = banner()
        layout.addWidget(self.passphrase_error)
        self.passphrase_back = button(translate("first", "Retour"))
        self.passphrase_back.clicked.connect(lambda: self.go(self.STEP_ACCOUNT))
        self.create_button = button(translate("first", "Créer le coffre chiffré"), primary=True)
        self.create_button.clicked.connect(self._create)
        layout.addLayout(hbox(self.passphrase_back, None, self.create_button))
        layout.addStretch(1)
        return page

    def _create(self) -> None:
        passphrase = self.passphrase_form.validate()
        if passphrase is None:
            return
        show_banner(self.passphrase_error, None)
        self.create_button.setEnabled(False)
        self.passphrase_back.setEnabled(False)
        self.running = True
        self.go(self.STEP_PROGRESS)
        self._progress(translate("first", "Création du coffre chiffré…"), 0, 0)
        self.session.create(passphrase, self._created_ok, self._create_failed, owner=self)

    def _created_ok(self) -> None:
        self._created = True
        self.passphrase_form.clear()
        self._start_work()

    def _create_failed(self, error: BaseException) -> None:
        self.running = False
        self.create_button.setEnabled(True)
        self.passphrase_back.setEnabled(True)
        self.go(self.STEP_PASSPHRASE)
        if not self.passphrase_form.fields.show_error(error):
            show_banner(self.passphrase_error, error_message(error))

    # -- step 3: demo data or login and first sync -----------------------------------------

    def _progress_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.progress_title = heading(translate("first", "Préparation"), "title")
        layout.addWidget(self.progress_title)
        self.progress_text = hint("")
        layout.addWidget(self.progress_text)
        self.progress_bar = a11y(QProgressBar(), translate("first", "Progression"))
        self.progress_bar.setTextVisible(True)
        layout.addWidget(self.progress_bar)
        self.progress_error = banner()
        layout.addWidget(self.progress_error)
        self.retry_button = button(translate("first", "Modifier l'adresse ou l'identifiant"))
        self.retry_button.clicked.connect(lambda: self.go(self.STEP_ACCOUNT))
        self.retry_button.setVisible(False)
        self.open_button = button(translate("first", "Ouvrir mon portefeuille"), primary=True)
        self.open_button.clicked.connect(self._finish)
        self.open_button.setVisible(False)
        layout.addLayout(hbox(self.retry_button, None, self.open_button))
        layout.addStretch(1)
        return page

    def _progress(self, text: str, done: int, total: int) -> None:
        self.progress_text.setText(text)
        self.progress_bar.setRange(0, total)
        if total:
            self.progress_bar.setValue(done)
        self.progress_bar.setAccessibleDescription(text)

    def _start_work(self) -> None:
        self.running = True
        self.go(self.STEP_PROGRESS)
        self.retry_button.setVisible(False)
        self.open_button.setVisible(False)
        show_banner(self.progress_error, None)
        if self.mode() == MODE_DEMO:
            self.progress_title.setText(translate("first", "Données de démonstration"))
            self._progress(translate("first", "Création du portefeuille de démonstration…"), 0, 0)
            relay = self._relay

            def work(store: Store) -> Outcome[int]:
                return usecases.load_local_demo(store, relay)

            self.session.ops.write(
                work, self._demo_loaded, self._work_failed, owner=self, label="demo"
            )
            return
        self.progress_title.setText(translate("first", "Première synchronisation"))
        self._progress(translate("first", "Connexion au serveur…"), 0, 0)
        url = self.server.text().strip().rstrip("/")
        user = self.username.text().strip()
        password = self.password.text()
        self.sync.login(url, user, password, self._logged_in, self._login_failed)

    def _on_demo_progress(self, done: int, total: int) -> None:
        self._progress(
            translate("first", "Création du portefeuille de démonstration… {p} %").format(
                p=int(done * 100 / total) if total else 0
            ),
            done,
            total,
        )

    def _demo_loaded(self, persons: int) -> None:
        self.session.reload_actor()
        self._progress(
            translate("first", "{n} personnes fictives sont prêtes.").format(n=persons), 1, 1
        )
        self._done()

    def _work_failed(self, error: BaseException) -> None:
        self.running = False
        show_banner(self.progress_error, error_message(error))

    def _logged_in(self, user: str) -> None:
        self.password.clear()
        try:
            self.session.update_settings(
                server_url=self.server.text().strip() or None,
                last_username=self.username.text().strip() or None,
            )
        except ValidationError as error:
            show_banner(self.progress_error, error.message)
        self._progress(
            translate(
                "first", "Connecté en tant que {user}. Téléchargement du portefeuille…"
            ).format(user=user),
            0,
            0,
        )
        self._waiting_sync = True
        self.sync.sync_now()

    def _login_failed(self, error: BaseException) -> None:
        self.running = False
        self.password.clear()
        show_banner(self.progress_error, error_message(error))
        self.retry_button.setVisible(True)

    def _on_sync_progress(self, done: int, total: int, phase: str) -> None:
        if self.running and self.mode() == MODE_SERVER:
            self._progress(phase or translate("first", "Téléchargement…"), done, total)

    def _on_sync_finished(self, outcome: SyncOutcome) -> None:
        if not (self.running and getattr(self, "_waiting_sync", False)):
            return
        self._waiting_sync = False
        if outcome.ok:
            self.session.reload_actor()
            self._progress(
                translate("first", "Portefeuille reçu : {n} modification(s) appliquée(s).").format(
                    n=outcome.pulled
                ),
                1,
                1,
            )
            self._done()
        else:
            self.running = False
            show_banner(
                self.progress_error,
                (outcome.message or "")
                + " "
                + translate("first", "Vous pourrez synchroniser plus tard depuis la barre d'état."),
            )
            self.open_button.setVisible(True)

    def _done(self) -> None:
        self.open_button.setVisible(True)
        self.open_button.setFocus()
        self._finish()

    def _finish(self) -> None:
        self.running = False
        self.finished.emit()

    # -- navigation ------------------------------------------------------------------------

    def go(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        self.step_label.setText(translate("first", "Étape {n} sur 3").format(n=step + 1))
        if step == self.STEP_ACCOUNT:
            available = self.sync.can_login
            self.server_radio.setEnabled(available)
            self.server_unavailable.setVisible(not available)
            if not available:
                self.demo_radio.setChecked(True)
            elif not self.demo_radio.isChecked():
                self.server_radio.setChecked(True)
            if self.session.settings.server_url and not self.server.text():
                self.server.setText(self.session.settings.server_url)
            if self.session.settings.last_username and not self.username.text():
                self.username.setText(self.session.settings.last_username)
            self._mode_changed()
            (self.server if available else self.account_next).setFocus()
        elif step == self.STEP_PASSPHRASE:
            self.create_button.setEnabled(True)
            self.passphrase_back.setEnabled(True)
            self.passphrase_form.passphrase.setFocus()
