"""The one foundation of ``spie-desktop`` and ``spie-server``.

Every command is a *handler* ``(args, ctx) -> exit code`` registered on a
:class:`Commands` group; :func:`run` parses the command line (French, through
:mod:`spie_desktop.entry.cli.french`), builds the :class:`Context` and turns what a handler
raises into an exit code and a French line, the same way for both programs:

=== =================================================================================
0   success
1   unexpected internal error (a bug: ``SPIE_DEBUG=1`` shows the traceback)
2   refused: invalid input or usage, missing store, unknown user or person…
3   wrong passphrase, or too many failed attempts (``spie-desktop``); import finished
    with rejected lines (``spie-server admin import-csv``)
4   damaged store
5   offline (nothing lost: retry later)
6   device revoked by the administrator (and wiped)
130 interrupted (Ctrl-C)
=== =================================================================================

Errors print ``Erreur : <message> [<code>]`` on stderr, never a traceback; with ``--json``
stdout also gets ``{"ok": false, "error": {"code", "message"}}``.

Secrets are never arguments. :meth:`Context.secret` reads one from its environment
variable when set, else from a hidden prompt on the terminal, else (no terminal: a
script's pipe) from one line of standard input, with the French prompt on stderr; the
same rules for the store's passphrase (``SPIE_PASSPHRASE``), the new one of ``passwd``
(``SPIE_NEW_PASSPHRASE``) and an account's password.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import io
import json
import logging
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from spie_desktop.entry.cli.french import FrenchParser, french
from spie_desktop.errors import (
    SpieError,
    StoreCorruptError,
    TooManyAttemptsError,
    ValidationError,
    VaultError,
    WrongPassphraseError,
)

__all__ = [
    "EXIT_CORRUPT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OFFLINE",
    "EXIT_OK",
    "EXIT_PASSPHRASE",
    "EXIT_REFUSED",
    "EXIT_REVOKED",
    "Commands",
    "Context",
    "Handler",
    "exit_code",
    "run",
]

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_REFUSED = 2
EXIT_PASSPHRASE = 3
EXIT_CORRUPT = 4
EXIT_OFFLINE = 5
EXIT_REVOKED = 6
EXIT_INTERRUPTED = 130

ENV_PASSPHRASE = "SPIE_PASSPHRASE"
ENV_NEW_PASSPHRASE = "SPIE_NEW_PASSPHRASE"
ENV_DEBUG = "SPIE_DEBUG"

#: Where a program finds its data directory: ``(--data-dir value, environment) -> path``.
Locator = Callable[[str | None, Mapping[str, str]], Path]
#: A French error for an exception that is not a :class:`SpieError`, else ``None``.
ErrorMapper = Callable[[BaseException], SpieError | None]


def _has_terminal() -> bool:
    """Whether getpass can hide what is typed (a controlling terminal, or a console)."""
    if os.name != "posix":
        return sys.stdin is not None and sys.stdin.isatty()
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


@dataclass
class Context:
    """What every handler gets besides its arguments: where the data is, how to talk."""

    prog: str
    as_json: bool = False
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    data_dir_option: str | None = None
    locator: Locator | None = None
    _data_dir: Path | None = None

    @property
    def data_dir(self) -> Path:
        """The data directory (``--data-dir``, else the program's default), resolved once."""
        if self._data_dir is None:
            if self.locator is None:
                raise SpieError("Aucun dossier de données pour cette commande.", code="usage")
            self._data_dir = self.locator(self.data_dir_option, self.environ)
        return self._data_dir

    @property
    def debug(self) -> bool:
        return self.environ.get(ENV_DEBUG, "").strip() not in ("", "0")

    # -- output ----------------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        """A line for people (suppressed in JSON mode, where stdout is the document)."""
        if not self.as_json:
            print(text, file=self.out)

    def warn(self, text: str) -> None:
        print(f"Attention : {text}", file=self.err)

    def emit(self, document: Any) -> None:
        """The JSON document of a command (JSON mode only)."""
        if self.as_json:
            print(json.dumps(document, indent=2, ensure_ascii=False, default=str), file=self.out)

    def progress(self, text: str) -> None:
        """A line that rewrites itself on stderr (a terminal only)."""
        print(f"\r{text}", end="", file=self.err, flush=True)

    # -- secrets ---------------------------------------------------------------------------

    def _prompt(self, prompt: str, *, from_stdin: bool) -> str:
        if not from_stdin and _has_terminal():
            with warnings.catch_warnings():
                # getpass's own fallback prints an English warning: never reached here.
                warnings.simplefilter("ignore", getpass.GetPassWarning)
                return getpass.getpass(prompt)
        print(prompt, end="", file=self.err, flush=True)
        line = sys.stdin.readline() if sys.stdin is not None else ""
        print(file=self.err)
        if not line:
            raise EOFError
        return line.rstrip("\r\n")

    def secret(
        self,
        prompt: str,
        *,
        env: str | None = None,
        confirm: bool = False,
        from_stdin: bool = False,
        what: str = "la phrase de passe",
    ) -> str:
        """A secret from ``env`` if set and non-empty, else typed (twice if ``confirm``).

        ``from_stdin``: one line of standard input even on a terminal (``--stdin``).
        """
        if env:
            value = self.environ.get(env)
            if value:
                return value
        try:
            first = self._prompt(prompt, from_stdin=from_stdin)
            second = first
            if confirm and first:
                second = self._prompt(
                    "Confirmez en la saisissant à nouveau : ", from_stdin=from_stdin
                )
        except EOFError:
            where = f"définissez la variable {env} ou lancez" if env else "lancez"
            raise ValidationError(
                f"Aucune saisie pour {what} : {where} la commande dans un terminal pour la saisir.",
                code="passphrase_missing" if env else "secret_missing",
            ) from None
        if not first:
            raise ValidationError(
                f"Saisie vide pour {what}.",
                code="passphrase_missing" if env else "secret_missing",
            )
        if first != second:
            raise ValidationError(
                "Les deux saisies ne correspondent pas : rien n'a été modifié.",
                code="passphrase_mismatch",
            )
        return first

    def passphrase(self, prompt: str = "Phrase de passe : ", *, confirm: bool = False) -> str:
        """The store's passphrase: ``SPIE_PASSPHRASE``, else typed."""
        return self.secret(prompt, env=ENV_PASSPHRASE, confirm=confirm)


#: Every command: ``handler(args, ctx)`` returns the exit code.
Handler = Callable[[argparse.Namespace, Context], int]


class Commands:
    """A group of subcommands sharing their options (``parents``) and French help."""

    def __init__(
        self,
        parser: argparse.ArgumentParser,
        *,
        parents: Sequence[argparse.ArgumentParser] = (),
        dest: str = "command",
        title: str = "commandes",
        metavar: str = "COMMANDE",
        required: bool = False,
    ) -> None:
        self.parents: list[Any] = list(parents)
        self.subparsers = parser.add_subparsers(
            dest=dest, title=title, metavar=metavar, required=required,
            parser_class=FrenchParser,
        )  # fmt: skip

    def add(
        self,
        name: str,
        help_text: str,
        handler: Handler | None = None,
        *,
        description: str | None = None,
    ) -> argparse.ArgumentParser:
        """A subcommand; ``handler`` runs it (a group of its own has none)."""
        sub = self.subparsers.add_parser(
            name,
            help=help_text,
            description=description or help_text[:1].upper() + help_text[1:] + ".",
            parents=self.parents,
        )
        if handler is not None:
            sub.set_defaults(handler=handler)
        return sub

    def group(
        self,
        name: str,
        help_text: str,
        *,
        description: str | None = None,
        default: Handler | None = None,
        parents: Sequence[argparse.ArgumentParser] | None = None,
    ) -> Commands:
        """A subcommand made of subcommands (``spie-server admin teams …``); without an
        action it runs ``default``, or asks for one. ``parents``: the shared options of its
        subcommands (by default, this group's)."""
        sub = self.add(name, help_text, default, description=description)
        return Commands(
            sub,
            parents=self.parents if parents is None else parents,
            dest=f"{name.replace('-', '_')}_command",
            title="actions",
            metavar="ACTION",
            required=default is None,
        )


def exit_code(error: SpieError) -> int:
    """The exit status of a refusal."""
    if isinstance(error, WrongPassphraseError | TooManyAttemptsError):
        return EXIT_PASSPHRASE
    if isinstance(error, StoreCorruptError) or (
        isinstance(error, VaultError) and error.code == "vault_corrupt"
    ):
        return EXIT_CORRUPT
    return EXIT_REFUSED


def report(ctx: Context, code: str, message: str, status: int) -> int:
    """``Erreur : <message> [<code>]`` on stderr (and the JSON error document)."""
    print(f"Erreur : {message} [{code}]", file=ctx.err, flush=True)
    if ctx.as_json:
        document = {"ok": False, "error": {"code": code, "message": message}}
        print(json.dumps(document, indent=2, ensure_ascii=False), file=ctx.out)
    return status


def _internal_error(ctx: Context, exc: BaseException) -> int:
    if ctx.debug:
        traceback.print_exception(exc, file=ctx.err)
    return report(
        ctx,
        "internal_error",
        f"erreur interne inattendue ({type(exc).__name__}). Relancez avec {ENV_DEBUG}=1 "
        "pour le détail et signalez-la au support.",
        EXIT_INTERNAL,
    )


def _tolerant_streams() -> None:
    """Never crash on a character the console's encoding lacks (Windows pipes: cp1252)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="replace")


def _configure_logging(debug: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.ERROR,
        format="%(levelname)s %(name)s : %(message)s",
        stream=sys.stderr,
    )


def run(
    parser: argparse.ArgumentParser,
    argv: Sequence[str] | None,
    *,
    locator: Locator | None = None,
    map_error: ErrorMapper | None = None,
    default: Handler | None = None,
    environ: Mapping[str, str] | None = None,
    before: Callable[[argparse.Namespace], None] | None = None,
) -> int:
    """Parse ``argv``, run the chosen handler (``default`` without a command) in a
    :class:`Context`; returns the exit code (usage errors exit 2 from the parser).

    ``before(args)``: checks across options, which may raise a :class:`SpieError`."""
    _tolerant_streams()
    env = os.environ if environ is None else environ
    with french():
        args = parser.parse_args(argv)
    ctx = Context(
        prog=parser.prog,
        as_json=bool(getattr(args, "json", False)),
        environ=env,
        data_dir_option=getattr(args, "data_dir", None),
        locator=locator,
    )
    _configure_logging(ctx.debug)
    handler: Handler | None = getattr(args, "handler", None) or default
    if handler is None:  # pragma: no cover - every parser requires a command or a default
        parser.print_help(ctx.err)
        return EXIT_REFUSED
    try:
        if before is not None:
            before(args)
        return int(handler(args, ctx))
    except SpieError as exc:
        return report(ctx, exc.code, exc.message, exit_code(exc))
    except KeyboardInterrupt:
        print("\nInterrompu.", file=ctx.err)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Reader gone (`spie-desktop stats | head`): stop quietly.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_INTERNAL
    except Exception as exc:
        mapped = map_error(exc) if map_error is not None else None
        if mapped is not None:
            return report(ctx, mapped.code, mapped.message, exit_code(mapped))
        if isinstance(exc, OSError):
            where = f" ({exc.filename})" if exc.filename else ""
            return report(
                ctx, "os_error", f"opération refusée par le système{where} : "
                f"{exc.strerror or exc}.", EXIT_REFUSED,
            )  # fmt: skip
        return _internal_error(ctx, exc)


def integer(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    """An argparse ``type``: an integer in ``[low, high]``, with a French refusal."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"nombre entier attendu, pas « {text} »") from None
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = (
                f"compris entre {low} et {high}" if low is not None and high is not None
                else f"au moins {low}" if low is not None else f"au plus {high}"
            )  # fmt: skip
            raise argparse.ArgumentTypeError(f"le nombre doit être {bounds}")
        return value

    parse.__name__ = "entier"
    return parse
