"""Settings: server, idle delay, language, and where the keyring stands."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.config import IDLE_LOCK_MAX, IDLE_LOCK_MIN
from spie_desktop.errors import ValidationError
from spie_desktop.services.department import DeviceDepartment, department
from ui.formatting import fmt_date
from ui.i18n import LANGUAGES, translate
from ui.session import AppContext
from ui.sync_controller import SyncController
from ui.views.passphrase_box import PassphraseBox
from ui.widgets.common import (
    FormFields,
    banner,
    button,
    fill_combo,
    hbox,
    heading,
    select_code,
    show_banner,
)
from ui.workers import error_message

_FILE_WARNING = (
    "Aucun trousseau système utilisable : le secret de l'appareil est gardé dans un "
    "fichier protégé (0600) : "
)


def _keyring_warning(warning: str | None) -> str | None:
    """The vault's warning (French, from the core) in the interface's language."""
    if warning and warning.startswith(_FILE_WARNING) and warning.endswith("."):
        return translate(
            "settings",
            "Aucun trousseau système utilisable : le secret de l'appareil est gardé dans un "
            "fichier protégé (0600) : {path}.",
        ).format(path=warning[len(_FILE_WARNING) : -1])
    return warning


class SettingsView(QWidget):
    lock_now = Signal()
    settings_saved = Signal(object)

    def __init__(
        self,
        session: AppContext,
        parent: QWidget | None = None,
        *,
        lock_sources: tuple[str, ...] = (),
        sync: SyncController | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.session = session
        self.sync = sync
        self.lock_sources = lock_sources
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName(translate("settings", "Paramètres"))
        outer.addWidget(scroll)
        content = QWidget()
        content.setObjectName("page")
        scroll.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(28, 22, 28, 16)
        layout.setSpacing(14)
        layout.addWidget(heading(translate("settings", "Paramètres")))
        self.saved_banner = banner("successBanner")
        layout.addWidget(self.saved_banner)

        general = QGroupBox(translate("settings", "Connexion et verrouillage"))
        grid = QGridLayout(general)
        self.fields = FormFields(grid)
        self.server = self.fields.add(
            "server_url",
            translate("settings", "Serveur du département"),
            QLineEdit(),
            0,
            0,
            span=2,
            hint_text=translate(
                "settings", "Adresse http:// ou https:// fournie par votre administrateur"
            ),
        )
        self.idle = self.fields.add(
            "idle_lock_minutes",
            translate("settings", "Verrouiller après (minutes sans activité)"),
            QSpinBox(),
            1,
            0,
        )
        self.idle.setRange(IDLE_LOCK_MIN, IDLE_LOCK_MAX)
        self.language = self.fields.add(
            "language",
            translate("settings", "Langue de l'interface"),
            QComboBox(),
            1,
            1,
            hint_text=translate("settings", "S'applique au prochain démarrage"),
        )
        fill_combo(self.language, entries=[(name, code) for code, name in LANGUAGES.items()])
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout.addWidget(general)
        self.language_hint = QLabel(
            translate("settings", "Le changement de langue prend effet au prochain démarrage.")
        )
        self.language_hint.setObjectName("hint")
        layout.addWidget(self.language_hint)
        self.save_button = button(translate("settings", "Enregistrer les paramètres"), primary=True)
        self.save_button.clicked.connect(self.save)
        self.lock_button = button(
            translate("settings", "Verrouiller maintenant"),
            tooltip=translate("settings", "Verrouiller maintenant (Ctrl+L)"),
        )
        self.lock_button.clicked.connect(self.lock_now.emit)
        layout.addLayout(hbox(self.lock_button, None, self.save_button))

        security = QGroupBox(translate("settings", "Sécurité de cet ordinateur"))
        security_layout = QVBoxLayout(security)
        self.keyring_label = QLabel()
        self.keyring_label.setWordWrap(True)
        self.keyring_warning = banner("warningBanner")
        self.data_dir_label = QLabel()
        self.data_dir_label.setWordWrap(True)
        self.device_label = QLabel()
        self.device_label.setWordWrap(True)
        self.lock_label = QLabel()
        self.lock_label.setWordWrap(True)
        for widget in (
            self.keyring_label,
            self.keyring_warning,
            self.data_dir_label,
            self.device_label,
            self.lock_label,
        ):
            security_layout.addWidget(widget)
        layout.addWidget(security)
        self.passphrase_box = PassphraseBox(session)  # its own box (issue 12)
        layout.addWidget(self.passphrase_box)

        account = QGroupBox(translate("settings", "Compte"))
        account_layout = QVBoxLayout(account)
        self.account_label = QLabel()
        self.account_label.setWordWrap(True)
        account_layout.addWidget(self.account_label)
        login_grid = QGridLayout()
        self.login_fields = FormFields(login_grid)
        self.login_user = self.login_fields.add(
            "username", translate("settings", "Identifiant"), QLineEdit(), 0, 0
        )
        self.login_password = self.login_fields.add(
            "password",
            translate("settings", "Mot de passe"),
            QLineEdit(),
            0,
            1,
            hint_text=translate("settings", "Il n'est jamais enregistré sur cet ordinateur."),
        )
        self.login_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.login_password.returnPressed.connect(self.login)
        login_grid.setColumnStretch(0, 1)
        login_grid.setColumnStretch(1, 1)
        self.login_box = QWidget()
        self.login_box.setLayout(login_grid)
        account_layout.addWidget(self.login_box)
        self.login_banner = banner()
        account_layout.addWidget(self.login_banner)
        self.login_button = button(
            translate("settings", "Se connecter au serveur"),
            tooltip=translate(
                "settings",
                "Relier cet ordinateur à votre compte : le mot de passe est échangé contre "
                "un jeton gardé dans le trousseau.",
            ),
        )
        self.login_button.clicked.connect(self.login)
        account_layout.addLayout(hbox(None, self.login_button))
        layout.addWidget(account)

        department_box = QGroupBox(translate("settings", "Réglages du département"))
        department_layout = QVBoxLayout(department_box)
        self.department_source = QLabel()
        self.department_source.setWordWrap(True)
        department_layout.addWidget(self.department_source)
        self.department_values = QLabel()  # short lines: no word wrap (no clipped height)
        self.department_values.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.department_values.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.department_values.setAccessibleName(translate("settings", "Réglages du département"))
        department_layout.addWidget(self.department_values)
        layout.addWidget(department_box)
        layout.addStretch(1)

    def activate(self) -> None:
        self.passphrase_box.clear()
        settings = self.session.settings
        self.server.setText(settings.server_url or "")
        self.idle.setValue(settings.idle_lock_minutes)
        select_code(self.language, settings.language)
        self.fields.clear_errors()
        show_banner(self.saved_banner, None)
        location = self.session.secret_location()
        if location is None:
            self.keyring_label.setText(translate("settings", "Coffre de clés : introuvable."))
            show_banner(self.keyring_warning, None)
        elif location.kind == "keyring":
            self.keyring_label.setText(
                translate(
                    "settings",
                    "Secret de l'appareil : dans le trousseau du système ({backend}).",
                ).format(backend=location.detail.rsplit(".", 1)[-1])
            )
            show_banner(self.keyring_warning, _keyring_warning(location.warning))
        else:
            self.keyring_label.setText(
                translate("settings", "Secret de l'appareil : dans un fichier protégé.")
            )
            show_banner(self.keyring_warning, _keyring_warning(location.warning))
        self.data_dir_label.setText(
            translate("settings", "Données chiffrées : {path}").format(path=self.session.data_dir)
        )
        actor = self.session.actor
        device = actor.device_id if actor is not None else "—"
        self.device_label.setText(
            translate("settings", "Identifiant de cet appareil : {id}").format(id=device)
        )
        sources = ", ".join(self.lock_sources) or translate("settings", "aucun signal du système")
        self.lock_label.setText(
            translate(
                "settings",
                "Verrouillage automatique : après le délai sans activité, et sur signal du "
                "système ({sources}).",
            ).format(sources=sources)
        )
        actor = self.session.actor
        role = (
            translate("settings", "responsable d'équipe (lecture seule)")
            if self.session.is_supervisor
            else translate("settings", "référent")
        )
        name = self.session.user_name or translate("settings", "utilisateur local")
        text = translate("settings", "Connecté : {name}, {role}.").format(name=name, role=role)
        if actor is None or actor.referent_id is None:
            text = translate(
                "settings",
                "Aucun compte du département : les données restent sur cet ordinateur.",
            )
        self.account_label.setText(text)
        can_login = self.sync is not None and self.sync.can_login and not self.session.is_supervisor
        self.login_box.setVisible(can_login)
        self.login_button.setVisible(can_login)
        if can_login and not self.login_user.text():
            self.login_user.setText(self.session.settings.last_username or "")
        show_banner(self.login_banner, None)

        if self.session.is_unlocked:
            self.session.ops.read(
                department, self._show_department, lambda _error: None, owner=self,
                label="department settings",
            )  # fmt: skip

    def _show_department(self, held: DeviceDepartment) -> None:
        """The department's settings as this device holds them: read-only (decided on the
        server by ``spie-server admin settings``)."""
        if held.version == 0:
            source = translate(
                "settings",
                "Jamais reçus du serveur : valeurs par défaut (délais de la loi). Ils se "
                "décident sur le serveur départemental et ne se modifient pas ici.",
            )
        else:
            source = translate(
                "settings",
                "Décidés par le serveur départemental (version {version}), en lecture seule "
                "sur cet ordinateur.",
            ).format(version=held.version)
        self.department_source.setText(source)
        values = held.values
        yes, no = translate("settings", "oui"), translate("settings", "non")
        lines = "\n".join(values.letterhead_lines) or "—"
        rows = [
            (translate("settings", "Département"), values.department_name),
            (translate("settings", "En-tête"), lines.replace("\n", " · ")),
            (
                translate("settings", "Signataire"),
                " — ".join(p for p in (values.signatory_name, values.signatory_title) if p),
            ),
            (
                translate("settings", "Logo"),
                translate("settings", "celui du département")
                if held.logo
                else translate("settings", "logo neutre de l'application"),
            ),
            (
                translate("settings", "Conservation après la fin de l'accompagnement"),
                translate("settings", "{n} mois").format(n=values.retention_months),
            ),
            (
                translate("settings", "Orientation"),
                translate("settings", "{n} semaines").format(n=values.orientation_weeks),
            ),
            (
                translate("settings", "Signature du contrat"),
                translate("settings", "{n} mois").format(n=values.contract_months),
            ),
            (
                translate("settings", "Réexamen du parcours social"),
                translate("settings", "{n} mois, ou {m} mois avec un frein reconnu").format(
                    n=values.social_review_months, m=values.social_review_extended_months
                ),
            ),
            (
                translate("settings", "Contrat bientôt échu"),
                translate("settings", "{n} jours").format(n=values.contract_ending_days),
            ),
            (
                translate("settings", "Conversion des anciens contrats avant le"),
                fmt_date(values.legacy_conversion_deadline),
            ),
            (
                translate("settings", "Les responsables peuvent révéler une note sensible"),
                yes if values.supervisors_may_reveal else no,
            ),
        ]
        line = translate("settings", "{name} : {value}")
        self.department_values.setText(
            "\n".join(line.format(name=name, value=value) for name, value in rows)
        )

    def login(self) -> None:
        """(Re)connect this device to the department's server (expired session, first link)."""
        if self.sync is None:
            return
        self.login_fields.clear_errors()
        show_banner(self.login_banner, None)
        url = self.server.text().strip() or (self.session.settings.server_url or "")
        if not url:
            self.fields.set_error(
                "server_url", translate("settings", "Indiquez d'abord l'adresse du serveur.")
            )
            return
        user = self.login_user.text().strip()
        if not user:
            self.login_fields.set_error("username", translate("settings", "Identifiant requis."))
            return
        password = self.login_password.text()
        if not password:
            self.login_fields.set_error("password", translate("settings", "Mot de passe requis."))
            return
        self.login_button.setEnabled(False)

        def done(name: str) -> None:
            self.login_button.setEnabled(True)
            self.login_password.clear()
            try:
                self.session.update_settings(server_url=url, last_username=user)
            except ValidationError as error:
                show_banner(self.login_banner, error.message)
                return
            self.session.reload_actor()
            show_banner(
                self.login_banner,
                translate("settings", "Connecté : {name}.").format(name=name),
                "successBanner",
            )
            if self.sync is not None:
                self.sync.sync_now()

        def failed(error: BaseException) -> None:
            self.login_button.setEnabled(True)
            self.login_password.clear()
            show_banner(self.login_banner, error_message(error), "errorBanner")

        self.sync.login(url, user, password, done, failed)

    def save(self) -> None:
        self.fields.clear_errors()
        show_banner(self.saved_banner, None)
        try:
            settings = self.session.update_settings(
                server_url=self.server.text().strip() or None,
                idle_lock_minutes=self.idle.value(),
                language=str(self.language.currentData()),
            )
        except ValidationError as error:
            if not self.fields.show_error(error):
                show_banner(self.saved_banner, error.message, "errorBanner")
            return
        show_banner(
            self.saved_banner, translate("settings", "Paramètres enregistrés."), "successBanner"
        )
        self.settings_saved.emit(settings)
