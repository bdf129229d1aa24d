"""Errors with a machine code and a French sentence for the user.

Every refusal in the product carries both: the code for programs and logs,
the message for the referent.
"""

from __future__ import annotations


class SpieError(Exception):
    """Base error: ``code`` for machines, ``message`` (French) for people."""

    code: str = "error"
    default_message: str = "Une erreur est survenue."

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        self.message = message or self.default_message
        if code is not None:
            self.code = code
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class ValidationError(SpieError):
    """Input refused before anything is written; ``field`` names the culprit when known."""

    code = "invalid_value"
    default_message = "Valeur invalide."

    def __init__(
        self, message: str | None = None, *, code: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.field = field


class UnknownCodeError(ValidationError):
    code = "unknown_code"
    default_message = "Code inconnu dans le référentiel."


class TransitionError(ValidationError):
    code = "invalid_transition"
    default_message = "Ce changement de statut n'est pas permis."


class NotFoundError(SpieError):
    code = "not_found"
    default_message = "Élément introuvable."


class VaultError(SpieError):
    code = "vault_error"
    default_message = "Le coffre de clés ne peut pas être ouvert."


class WrongPassphraseError(VaultError):
    code = "wrong_passphrase"
    default_message = "Phrase de passe incorrecte."


class WrongDeviceSecretError(VaultError):
    code = "wrong_device_secret"
    default_message = (
        "Le secret de cet appareil ne correspond pas à ce coffre : la base a peut-être été "
        "copiée depuis un autre ordinateur. Resynchronisez depuis le serveur."
    )


class KeyringLockedError(VaultError):
    code = "keyring_locked"
    default_message = (
        "Le trousseau du système est verrouillé. Déverrouillez votre session puis réessayez."
    )


class TooManyAttemptsError(VaultError):
    code = "too_many_attempts"
    default_message = "Trop de tentatives : patientez avant de réessayer."

    def __init__(self, wait_seconds: float) -> None:
        super().__init__(f"Trop de tentatives : patientez {wait_seconds:.0f} s avant de réessayer.")
        self.wait_seconds = wait_seconds


class StoreNotInitialisedError(SpieError):
    code = "store_missing"
    default_message = "Aucune base locale ici : lancez d'abord « spie-desktop init »."


class StoreCorruptError(SpieError):
    code = "store_corrupt"
    default_message = (
        "La base locale est endommagée. Vos données seront récupérées par une "
        "resynchronisation complète avec le serveur."
    )


class DiskFullError(SpieError):
    """The disk (or the store's size limit) is full: the store is sound, the write that
    failed was rolled back, everything committed before it is kept."""

    code = "disk_full"
    default_message = (
        "Disque plein : la dernière opération n'a pas pu être enregistrée. Libérez de la "
        "place sur le disque (videz la corbeille, supprimez des fichiers inutiles), puis "
        "recommencez. Rien de ce qui était déjà enregistré n'est perdu."
    )


def is_disk_full(exc: BaseException) -> bool:
    """SQLite's SQLITE_FULL (« database or disk is full »), however it is wrapped."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    return "database or disk is full" in text or "disk is full" in text


class ReadOnlyError(SpieError):
    code = "read_only"
    default_message = "Ce dossier est en lecture seule pour vous."


# What each optional part of the installation brings (pyproject.toml's extras), and the verb
# agreement of its French name.
EXTRA_PURPOSES = {
    "demo": ("Les données de démonstration", "ne font"),
    "desktop": ("L'application de bureau et ses documents imprimables", "ne font"),
    "server": ("Le serveur départemental", "ne fait"),
}


class MissingExtraError(SpieError, ImportError):
    """A part installed without its extra (``pip install 'spie-desktop[demo]'``).

    Also an ``ImportError``, so code that probes for an optional part keeps working.
    """

    code = "missing_extra"

    def __init__(self, extra: str, module: str) -> None:
        purpose, verb = EXTRA_PURPOSES.get(extra, (f"La partie « {extra} »", "ne fait"))
        super().__init__(
            f"{purpose} {verb} pas partie de cette installation de SPIE Desktop "
            f"(module « {module} » absent) : installez spie-desktop[{extra}]."
        )
        self.extra = extra
        self.module = module


def require_extra(extra: str, *modules: str) -> None:
    """Raise :class:`MissingExtraError` unless every module of ``extra`` can be imported."""
    import importlib.util

    for module in modules:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise MissingExtraError(extra, module)
