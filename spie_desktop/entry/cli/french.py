"""argparse in French, through its own translation hook.

argparse marks every sentence it prints with gettext: its module calls ``_(message)`` and
``ngettext(singular, plural, n)``, which it imported from :mod:`gettext`. :class:`ArgparseFrench`
is a gettext translation (a :class:`gettext.NullTranslations` with a French catalogue) and
:func:`french` installs it as those two functions for the duration of a parse or of a help
rendering, then puts the originals back: nothing else in the process (pytest's own options,
a library) is affected. :class:`FrenchParser` enters it in every method that renders text,
so a parser built and used anywhere speaks French.

``tests/unit/test_cli_foundation.py`` reads argparse's source and checks that every message
it marks has a translation here, so a new Python that adds one fails the tests instead of
printing English.
"""

from __future__ import annotations

import argparse
import contextlib
import gettext
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn, TypeVar

__all__ = ["CATALOGUE", "PLURALS", "ArgparseFrench", "FrenchParser", "french"]

#: argparse's messages (Python 3.11 to 3.13) and their French.
CATALOGUE: dict[str, str] = {
    "usage: ": "Utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "optional arguments": "options",
    "subcommands": "commandes",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "default": "par défaut",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s : attention : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ignored explicit argument %r": "valeur %r ignorée : cette option n'en prend pas",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "au plus une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "unexpected option string: %s": "option inattendue : %s",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix invalide : %(value)r (choix possibles : %(choices)s)"
    ),
    "invalid choice: %(value)r, maybe you meant %(closest)r?": (
        "choix invalide : %(value)r ; vouliez-vous dire %(closest)r ?"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "commande inconnue %(parser_name)r (choix possibles : %(choices)s)"
    ),
    "option '%(option)s' is deprecated": "l'option « %(option)s » est obsolète",
    "argument '%(argument_name)s' is deprecated": ("l'argument « %(argument_name)s » est obsolète"),
    "command '%(parser_name)s' is deprecated": "la commande « %(parser_name)s » est obsolète",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    'argument "-" with mode %r': "argument « - » avec le mode %r",
    # Programming errors in a parser's definition (never shown to a user of ours).
    ".__call__() not defined": ".__call__() non défini",
    "conflicting subparser: %s": "sous-commande en double : %s",
    "conflicting subparser alias: %s": "alias de sous-commande en double : %s",
    "cannot merge actions - two groups are named %r": (
        "impossible de fusionner les actions : deux groupes s'appellent %r"
    ),
    "'required' is an invalid argument for positionals": (
        "« required » ne s'applique pas à un argument positionnel"
    ),
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": (
        "option %(option)r invalide : elle doit commencer par un caractère %(prefix_chars)r"
    ),
    "dest= is required for options like %r": "dest= est obligatoire pour une option comme %r",
    "invalid conflict_resolution value: %r": "valeur de conflict_resolution invalide : %r",
    "mutually exclusive arguments must be optional": (
        "des arguments mutuellement exclusifs doivent être facultatifs"
    ),
    "cannot have multiple subparser arguments": "une seule liste de commandes est possible",
    "%r is not callable": "%r n'est pas appelable",
    "length of metavar tuple does not match nargs": (
        "la longueur du tuple metavar ne correspond pas à nargs"
    ),
    "nargs for store actions must be != 0; if you have nothing to store, actions such as "
    "store true or store const may be more appropriate": (
        "nargs doit être différent de 0 pour une action store ; store_true ou store_const "
        "conviennent mieux quand il n'y a rien à garder"
    ),
    "nargs must be %r to supply const": "nargs doit valoir %r pour fournir const",
    "nargs for append actions must be != 0; if arg strings are not supplying the value to "
    "append, the append const action may be more appropriate": (
        "nargs doit être différent de 0 pour une action append ; append_const convient "
        "mieux quand les arguments ne fournissent pas la valeur"
    ),
    "unknown action %r": "action inconnue %r",
    "action %r is not valid for positional arguments": (
        "l'action %r ne s'applique pas à un argument positionnel"
    ),
    "%r is not callable as a type": "%r n'est pas appelable comme type",
    "prefix_chars %r is invalid": "prefix_chars %r invalide",
}

#: ``(singular, plural)`` -> French ``(singular, plural)``.
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("expected %s argument", "expected %s arguments"): (
        "%s valeur attendue",
        "%s valeurs attendues",
    ),
    ("conflicting option string: %s", "conflicting option strings: %s"): (
        "option en double : %s",
        "options en double : %s",
    ),
}


class ArgparseFrench(gettext.NullTranslations):
    """The French catalogue of argparse's messages."""

    def gettext(self, message: str) -> str:
        if message is None:  # argparse passes None for an absent subparser description
            return message
        return CATALOGUE.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        french_forms = PLURALS.get((msgid1, msgid2))
        if french_forms is None:
            return msgid1 if n == 1 else msgid2
        # French: the singular for 0 and 1.
        return french_forms[0] if n <= 1 else french_forms[1]


TRANSLATION = ArgparseFrench()
_lock = threading.RLock()
_depth = 0


@contextlib.contextmanager
def french() -> Iterator[None]:
    """argparse's ``_`` and ``ngettext`` are French inside this block (re-entrant)."""
    global _depth
    module: Any = argparse
    with _lock:
        if _depth == 0:
            saved = (module._, module.ngettext)
            module._ = TRANSLATION.gettext
            module.ngettext = TRANSLATION.ngettext
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
            if _depth == 0:
                module._, module.ngettext = saved


F = TypeVar("F", bound=Callable[..., Any])


def _in_french(method: F) -> F:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with french():
            return method(*args, **kwargs)

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper  # type: ignore[return-value]


class FrenchParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose own words are French, without abbreviations, whose
    usage errors print ``Erreur : <message> [usage]`` and exit with status 2."""

    @_in_french
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    add_argument = _in_french(argparse.ArgumentParser.add_argument)
    add_argument_group = _in_french(argparse.ArgumentParser.add_argument_group)
    add_subparsers = _in_french(argparse.ArgumentParser.add_subparsers)
    format_usage = _in_french(argparse.ArgumentParser.format_usage)
    format_help = _in_french(argparse.ArgumentParser.format_help)

    @_in_french
    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        return super().parse_known_args(args, namespace)

    @_in_french
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"Erreur : {message} [usage]\n")
