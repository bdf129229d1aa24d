"""What the sync engine says, in the interface's language.

``sync.client`` words its progress and its outcomes in French (the command line and the logs
read them); the status bar shows the same facts through the translation catalogue, so an
English interface reads them in English. A sentence the engine did not word itself (a
server's refusal) is shown as received."""

from __future__ import annotations

from typing import Any

from sync.client import (
    AuthRequiredError,
    NotConfiguredError,
    OfflineError,
    SyncError,
)
from sync.protocol import REVOKE_RETIRED, ErrorCode
from ui.i18n import translate


def _known() -> dict[str, str]:
    """The engine's fixed French sentences and their translation (looked up when shown: the
    language may change)."""
    return {
        "Envoi des modifications…": translate("sync", "Envoi des modifications…"),
        "Réception des dossiers…": translate("sync", "Réception des dossiers…"),
        "Dossiers à jour.": translate("sync", "Dossiers à jour."),
        "Réception de l'annuaire…": translate("sync", "Réception de l'annuaire…"),
        "Comparaison avec le serveur…": translate("sync", "Comparaison avec le serveur…"),
        "Renvoi des modifications…": translate("sync", "Renvoi des modifications…"),
        "Envoi des passations demandées…": translate("sync", "Envoi des passations demandées…"),
        "Retrait des dossiers transmis…": translate("sync", "Retrait des dossiers transmis…"),
        "Écart détecté : comparaison avec le serveur…": translate(
            "sync", "Écart détecté : comparaison avec le serveur…"
        ),
        "Écart détecté : comparaison des dossiers…": translate(
            "sync", "Écart détecté : comparaison des dossiers…"
        ),
        "Une synchronisation est déjà en cours.": translate(
            "sync", "Une synchronisation est déjà en cours."
        ),
        str(SyncError.default_message): translate("sync", "La synchronisation a échoué."),
        str(OfflineError.default_message): translate(
            "sync",
            "Serveur injoignable : vous êtes hors ligne. Vos modifications sont conservées et "
            "seront envoyées à la prochaine synchronisation.",
        ),
        str(AuthRequiredError.default_message): translate(
            "sync",
            "Votre session a expiré sur cet appareil : reconnectez-vous avec votre mot de passe.",
        ),
        str(NotConfiguredError.default_message): translate(
            "sync",
            "Cet appareil n'est pas encore relié au serveur : connectez-vous d'abord "
            "(spie-desktop login).",
        ),
    }


def sync_text(message: str | None) -> str | None:
    """``message`` of the engine in the interface's language (as received when unknown)."""
    if not message:
        return message
    return _known().get(message, message)


def revoked_text(kind: str, destroyed: int, pushed: int) -> str:
    """:func:`sync.client.revoked_sentence` in the interface's language."""
    if kind == REVOKE_RETIRED:
        parts = [
            translate(
                "sync",
                "Cet appareil a été révoqué par l'administrateur (retiré du service) : ses "
                "données locales sont effacées.",
            )
        ]
        if pushed:
            parts.append(
                translate(
                    "sync",
                    "Ses {n} dernière(s) modification(s) ont été envoyées au serveur avant "
                    "l'effacement.",
                ).format(n=pushed)
            )
    else:
        parts = [
            translate(
                "sync",
                "Cet appareil a été révoqué par l'administrateur (déclaré perdu ou volé) : ses "
                "données locales sont effacées.",
            )
        ]
    if destroyed:
        parts.append(
            translate(
                "sync", "{n} modification(s) non envoyée(s) au serveur sont détruites avec elles."
            ).format(n=destroyed)
        )
    else:
        parts.append(translate("sync", "Aucune modification non envoyée n'est perdue."))
    return " ".join(parts)


def recovery_text(report: Any) -> str:
    """:func:`sync.client.recovery_sentence` in the interface's language."""
    reasons = {
        "server_restored": translate(
            "sync",
            "le serveur ne reconnaissait pas l'état de cet appareil (serveur restauré d'une "
            "sauvegarde ?)",
        ),
        "device_restored": translate(
            "sync", "cet appareil a été restauré d'une ancienne copie de ses données"
        ),
        "counts": translate(
            "sync", "l'appareil et le serveur ne comptaient pas les mêmes éléments"
        ),
        "digest": translate(
            "sync", "des dossiers de cet appareil différaient de ceux du serveur (empreintes)"
        ),
    }
    reason = reasons.get(report.recovery_reason or "") or translate(
        "sync", "un écart a été détecté"
    )
    parts = [translate("sync", "Réconciliation : {reason}.").format(reason=reason)]
    if report.resend_refused:
        parts.append(
            translate(
                "sync",
                "{n} modification(s) de cet appareil renvoyée(s) au serveur, {refused} refusée(s).",
            ).format(n=report.resent, refused=report.resend_refused)
        )
    else:
        parts.append(
            translate("sync", "{n} modification(s) de cet appareil renvoyée(s) au serveur.").format(
                n=report.resent
            )
        )
    if report.erasures_reapplied:
        parts.append(
            translate(
                "sync",
                "{n} effacement(s) décidé(s) avant la restauration du serveur appliqué(s) à "
                "nouveau sur le serveur.",
            ).format(n=report.erasures_reapplied)
        )
    if report.repaired_persons:
        parts.append(
            translate("sync", "{n} dossier(s) comparé(s) et téléchargé(s) à nouveau.").format(
                n=report.repaired_persons
            )
        )
    if report.removed:
        parts.append(
            translate(
                "sync", "{n} dossier(s) retiré(s) de cet appareil sur ordre du serveur."
            ).format(n=report.removed)
        )
    else:
        parts.append(translate("sync", "Aucun dossier retiré de cet appareil."))
    return " ".join(parts)


def _refusals() -> dict[str, str]:
    """The server's refusals of one change or one handover (``sync.protocol.MESSAGES``, the
    French it sends), by code, in the interface's language."""
    return {
        ErrorCode.READ_ONLY_ROLE: translate(
            "sync",
            "Vous consultez ces dossiers en lecture seule (responsable d'équipe) : vos "
            "modifications ne peuvent pas être envoyées.",
        ),
        ErrorCode.OUT_OF_SCOPE: translate(
            "sync",
            "Cette personne ne fait pas partie de votre portefeuille.",
        ),
        ErrorCode.READ_ONLY_TABLE: translate(
            "sync",
            "Ces données sont gérées par le serveur départemental.",
        ),
        ErrorCode.UNKNOWN_ROW: translate(
            "sync",
            "L'élément modifié n'existe pas sur le serveur.",
        ),
        ErrorCode.INCOMPLETE_ROW: translate(
            "sync",
            "Création incomplète : des champs obligatoires manquent.",
        ),
        ErrorCode.CONSTRAINT_VIOLATION: translate(
            "sync",
            "Modification refusée par les règles de cohérence.",
        ),
        ErrorCode.APPEND_ONLY: translate(
            "sync",
            "Cet élément ne se modifie pas une fois écrit.",
        ),
        ErrorCode.PERSON_PURGED: translate(
            "sync",
            "Ce dossier a été supprimé du serveur (durée de conservation dépassée ou effacement).",
        ),
        ErrorCode.PROVENANCE_MISMATCH: translate(
            "sync",
            "L'auteur, l'acteur ou l'appareil indiqué n'est pas celui qui envoie : le "
            "serveur les fixe lui-même.",
        ),
        ErrorCode.HANDOVER_SERVER_ONLY: translate(
            "sync",
            "Le changement de référent se fait par une passation validée par le serveur.",
        ),
        ErrorCode.TEAM_SERVER_ONLY: translate(
            "sync",
            "L'équipe d'une personne est fixée par le serveur (création, passation, "
            "import) : elle ne se change pas depuis un appareil.",
        ),
        ErrorCode.DECISION_SERVER_ONLY: translate(
            "sync",
            "La décision sur une demande d'effacement est prise par l'administration "
            "départementale sur le serveur, pas depuis un appareil.",
        ),
        ErrorCode.AFTER_HANDOVER: translate(
            "sync",
            "Cette personne a été confiée à un autre référent : les modifications "
            "faites après la passation ne sont plus acceptées.",
        ),
        ErrorCode.CROSS_PERSON_REFERENCE: translate(
            "sync",
            "Cet élément fait référence au dossier d'une autre personne.",
        ),
        ErrorCode.SETTINGS_SERVER_ONLY: translate(
            "sync",
            "Les réglages du département se décident sur le serveur départemental "
            "(spie-server admin settings), pas depuis un appareil.",
        ),
        ErrorCode.INVALID_HANDOVER_TARGET: translate(
            "sync",
            "Passation impossible vers ce compte : un référent actif de l'équipe est "
            "attendu (un responsable ou un administrateur peut confier à une autre "
            "équipe).",
        ),
        ErrorCode.SAME_REFERENT: translate(
            "sync",
            "Cette personne est déjà suivie par ce référent.",
        ),
        ErrorCode.HANDOVER_STALE: translate(
            "sync",
            "Cette personne a été confiée à un autre référent entre-temps : la "
            "passation demandée n'a pas été faite.",
        ),
        ErrorCode.REQUEST_ID_REUSED: translate(
            "sync",
            "Cet identifiant de demande a déjà servi pour une autre passation.",
        ),
    }


def refusal_text(code: str | None, message: str | None) -> str:
    """A refusal the server answered (code and its French sentence) in the interface's
    language; a code this version does not know is shown as the server worded it."""
    return _refusals().get(code or "", message or code or "")


def clock_text(skew_ms: int | None, clamped: bool, message: str | None) -> str | None:
    """The server's clock warning in the interface's language (its French words mirror
    ``sync.server.merge.clock_report``); without figures, as the server worded it."""
    if skew_ms is None:
        return message
    amount = abs(skew_ms)
    minutes = amount // 60_000
    if minutes < 60:
        duration = translate("sync", "{n} min").format(n=max(minutes, 1))
    elif round(amount / 3_600_000) < 36:
        duration = translate("sync", "{n} h").format(n=round(amount / 3_600_000))
    else:
        duration = translate("sync", "{n} jours").format(n=round(amount / 86_400_000))
    if skew_ms > 0:
        text = translate(
            "sync",
            "L'horloge de cet ordinateur avance de {duration} sur celle du serveur : corrigez "
            "la date et l'heure du système.",
        )
    else:
        text = translate(
            "sync",
            "L'horloge de cet ordinateur retarde de {duration} sur celle du serveur : corrigez "
            "la date et l'heure du système.",
        )
    said = text.format(duration=duration)
    if clamped:
        said += " " + translate(
            "sync",
            "Vos modifications ont été redatées de cet écart (au plus tard à l'heure du serveur).",
        )
    return said
