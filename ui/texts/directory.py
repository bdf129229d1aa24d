"""The partner directory's facts worded for the screens: opening hours (the state now, the
next change, the weekly hours) and the data·inclusion labels and mobilisation line, in the
interface's language. The French words are the catalogue's source strings, identical to what
the core says for the printed sheet (``services.directory``, ``services.partner_sheet``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from spie_desktop.services import directory
from spie_desktop.services.directory import Hours
from ui.i18n import current_language, translate


def _day_words() -> dict[str, str]:
    return {
        "Mo": translate("directory", "lun.", "lundi, abrégé dans les horaires"),
        "Tu": translate("directory", "mar.", "mardi, abrégé dans les horaires"),
        "We": translate("directory", "mer.", "mercredi, abrégé dans les horaires"),
        "Th": translate("directory", "jeu.", "jeudi, abrégé dans les horaires"),
        "Fr": translate("directory", "ven.", "vendredi, abrégé dans les horaires"),
        "Sa": translate("directory", "sam.", "samedi, abrégé dans les horaires"),
        "Su": translate("directory", "dim.", "dimanche, abrégé dans les horaires"),
        "PH": translate("directory", "jours fériés"),
        "off": translate("directory", "fermé", "horaires : fermé ce jour-là"),
    }


def _weekday(index: int) -> str:
    return (
        translate("directory", "lundi"),
        translate("directory", "mardi"),
        translate("directory", "mercredi"),
        translate("directory", "jeudi"),
        translate("directory", "vendredi"),
        translate("directory", "samedi"),
        translate("directory", "dimanche"),
    )[index]


def weekly_hours(hours: Hours | None) -> str:
    """The weekly hours: parsed, with the days in the interface's language; else as typed
    (the record's own text); « » when the record has none."""
    if hours is None:
        return ""
    if not hours.parsed:
        return hours.raw
    semicolon = translate("directory", " ;", "séparateur des plages d'horaires")
    return directory.hours_text(hours.parts, _day_words(), semicolon)


def hours_state(hours: Hours | None) -> str | None:
    """« Ouvert — ferme à 12:30 », « Fermé — ouvre lundi à 08:30 »; None when unknown."""
    if hours is None or hours.is_open is None:
        return None
    change = hours.next_change
    if change is None:
        return (
            translate("directory", "Ouvert") if hours.is_open else translate("directory", "Fermé")
        )
    time = f"{change:%H:%M}"
    if hours.change_today:
        if hours.is_open:
            return translate("directory", "Ouvert — ferme à {time}").format(time=time)
        return translate("directory", "Fermé — ouvre à {time}").format(time=time)
    day = _weekday(change.weekday())
    if hours.is_open:
        return translate("directory", "Ouvert — ferme {day} à {time}").format(day=day, time=time)
    return translate("directory", "Fermé — ouvre {day} à {time}").format(day=day, time=time)


def di_labels(kind: str) -> dict[str, str]:
    """code → label of a data·inclusion enumeration in the interface's language."""
    if current_language() == "en":
        return directory.english_labels(kind)
    if kind in ("modes-mobilisation", "mobilisable-par"):
        return directory.french_mobilisation_labels(kind)
    return directory.labels(kind)


def di_label_list(kind: str, codes: Iterable[Any] | None) -> list[str]:
    names = di_labels(kind)
    return [names.get(str(code), str(code)) for code in codes or ()]


def mobilisation(data: Mapping[str, Any]) -> str:
    """How to reach the service (``directory.mobilisation_line``'s facts) in the interface's
    language; the link and the details are the record's own text."""
    modes = ", ".join(di_label_list("modes-mobilisation", data.get("modes_mobilisation")))
    who = di_label_list("mobilisable-par", data.get("mobilisable_par"))
    text = modes
    if who:
        by = translate("directory", "par {who}", "mobilisable par…").format(
            who=translate("directory", " ou ", "mobilisable par l'un ou l'autre").join(who)
        )
        text = (text + " — " if text else "") + by
    if data.get("lien_mobilisation"):
        text += f" ({data['lien_mobilisation']})"
    if data.get("mobilisation_precisions"):
        text += (". " if text else "") + str(data["mobilisation_precisions"])
    return text
