"""The one command-line foundation of ``spie-desktop`` and ``spie-server``: French help for
every command and option (argparse's own words included, through its gettext hook), the
same usage errors, the same secrets, the same exit codes."""

from __future__ import annotations

import argparse
import ast
import getpass
import gettext
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spie_desktop.entry import desktop, server
from spie_desktop.entry.cli import base
from spie_desktop.entry.cli.base import Commands, Context, run
from spie_desktop.entry.cli.french import CATALOGUE, PLURALS, FrenchParser, french
from spie_desktop.errors import (
    NotFoundError,
    SpieError,
    StoreCorruptError,
    TooManyAttemptsError,
    ValidationError,
    WrongPassphraseError,
)
from sync.server.admin import AdminError

PARSERS = {"spie-desktop": desktop.build_parser, "spie-server": server.build_parser}
#: What argparse prints when its messages are not translated.
ENGLISH = (
    "usage:",
    "show this help",
    "positional arguments",
    "optional arguments",
    "subcommands",
    "show program's version",
    "error:",
    "the following arguments",
    "invalid choice",
    "unrecognized arguments",
    "expected one argument",
    "choose from",
)


def walk(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of a command line, with its command path."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from walk(sub, (*path, name))


def all_parsers() -> list[tuple[str, tuple[str, ...], argparse.ArgumentParser]]:
    return [
        (prog, path, parser) for prog, build in PARSERS.items() for path, parser in walk(build())
    ]


def test_the_walk_sees_every_command() -> None:
    paths = {(prog, " ".join(path)) for prog, path, _parser in all_parsers()}
    for expected in (
        ("spie-desktop", "init"),
        ("spie-desktop", "export-person"),
        ("spie-desktop", "login"),
        ("spie-desktop", "status"),
        ("spie-server", "serve"),
        ("spie-server", "migrate"),
        ("spie-server", "admin users create"),
        ("spie-server", "admin teams supervise"),
        ("spie-server", "admin audit-export"),
    ):
        assert expected in paths
    assert ("spie-desktop", "demo") not in paths  # the interim command is gone
    assert len(paths) > 30


@pytest.mark.parametrize(
    ("prog", "path", "parser"),
    all_parsers(),
    ids=[f"{prog} {' '.join(path)}".strip() for prog, path, _ in all_parsers()],
)
def test_every_command_and_option_has_french_help(
    prog: str, path: tuple[str, ...], parser: argparse.ArgumentParser
) -> None:
    assert parser.description and parser.description.strip(), "no description"
    for action in parser._actions:
        name = "/".join(action.option_strings) or action.dest
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                assert choice.help and choice.help.strip(), f"command {choice.dest}: no help"
            continue
        assert action.help and action.help.strip(), f"{name}: no help"
        assert action.help is not argparse.SUPPRESS, f"{name}: hidden"
    text = parser.format_help()
    for english in ENGLISH:
        assert english not in text, f"{english!r} in the help of {prog} {' '.join(path)}"
    assert text.startswith(f"Utilisation : {prog}")
    assert "afficher cette aide et quitter" in text


def _marked_messages() -> tuple[set[str], set[tuple[str, str]]]:
    """The messages argparse marks for translation in the running Python."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if node.func.id == "_" and texts and isinstance(texts[0], str):
            singles.add(texts[0])
        elif node.func.id == "ngettext" and len(texts) >= 2:
            plurals.add((texts[0], texts[1]))
    return singles, plurals


def test_the_catalogue_covers_every_message_argparse_marks() -> None:
    singles, plurals = _marked_messages()
    assert "the following arguments are required: %s" in singles  # the reading works
    assert singles - CATALOGUE.keys() == set()
    assert plurals - PLURALS.keys() == set()
    for english, french_text in CATALOGUE.items():  # same placeholders, same order
        for placeholder in ("%s", "%r", "%(prog)s", "%(message)s", "%(value)r"):
            assert english.count(placeholder) == french_text.count(placeholder), english


def test_the_translation_is_argparse_own_hook_and_only_while_in_use() -> None:
    module = argparse  # argparse's module-level ``_`` is what it calls
    plain = argparse.ArgumentParser(prog="autre")
    assert "usage: autre" in plain.format_usage()
    assert module._ is gettext.gettext  # type: ignore[attr-defined]
    with french():
        assert "Utilisation : autre" in plain.format_usage()
        assert module._("options") == "options"  # type: ignore[attr-defined]
        assert module.ngettext("expected %s argument", "expected %s arguments", 2) == (  # type: ignore[attr-defined]
            "%s valeurs attendues"
        )
    # Another program's parser in the same process is left alone.
    assert module._ is gettext.gettext  # type: ignore[attr-defined]
    assert "usage: autre" in plain.format_usage()
    desktop.build_parser().format_help()
    assert "show this help message and exit" in argparse.ArgumentParser().format_help()


@pytest.mark.parametrize(
    ("prog", "argv", "expected"),
    [
        ("spie-desktop", ["demo-data"], "arguments obligatoires manquants : --persons"),
        ("spie-desktop", ["export-person"], "arguments obligatoires manquants : ID"),
        ("spie-desktop", ["demo-data", "--persons", "zéro"], "nombre entier attendu"),
        ("spie-desktop", ["statistiques"], "choix invalide : 'statistiques'"),
        ("spie-desktop", ["init", "--passphrase", "x"], "arguments non reconnus : --passphrase"),
        ("spie-desktop", ["--lang"], "une valeur est attendue"),
        ("spie-server", [], "arguments obligatoires manquants : COMMANDE"),
        ("spie-server", ["admin"], "arguments obligatoires manquants : ACTION"),
        ("spie-server", ["admin", "users", "create", "bob"], "--first-name, --last-name"),
        ("spie-server", ["admin", "audit-export", "--since", "hier"], "date AAAA-MM-JJ"),
        ("spie-server", ["serve", "--port", "99999"], "compris entre 1 et 65535"),
        ("spie-server", ["serve", "--log-level", "bavard"], "choix invalide : 'bavard'"),
    ],
)
def test_a_usage_error_is_french_and_exits_2(
    prog: str, argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main = desktop.main if prog == "spie-desktop" else server.main
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"Utilisation : {prog}")
    assert expected in captured.err
    assert captured.err.rstrip().endswith("[usage]")
    for english in ENGLISH:
        assert english not in captured.err


def test_help_exits_0_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        server.main(["admin", "--help"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Utilisation : spie-server admin")
    assert "révoquer un appareil perdu" in out


# -- one context: errors and exit codes ---------------------------------------------------


def _tiny(handler: base.Handler) -> argparse.ArgumentParser:
    parser = FrenchParser(prog="essai", description="Essai.")
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    Commands(parser).add("go", "lancer", handler)
    return parser


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ValidationError("Valeur refusée.", code="invalid_value"), 2),
        (NotFoundError("Inconnu."), 2),
        (AdminError("Ce compte existe déjà.", "user_exists"), 2),
        (WrongPassphraseError(), 3),
        (TooManyAttemptsError(30.0), 3),
        (StoreCorruptError(), 4),
        (RuntimeError("bug"), 1),
        (KeyboardInterrupt(), 130),
        (PermissionError(13, "Permission non accordée", "/x"), 2),
    ],
)
def test_errors_map_to_one_exit_code_and_one_french_line(
    error: BaseException, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    def handler(args: argparse.Namespace, ctx: Context) -> int:
        raise error

    assert run(_tiny(handler), ["--json", "go"], environ={}) == code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if code == 130:
        assert "Interrompu" in captured.err
        return
    line = captured.err.strip().splitlines()[-1]
    assert line.startswith("Erreur : ") and line.endswith("]")
    document = json.loads(captured.out)
    assert document["ok"] is False
    assert line == f"Erreur : {document['error']['message']} [{document['error']['code']}]"
    if isinstance(error, SpieError):
        assert document["error"]["code"] == error.code


def test_a_handler_gets_the_json_flag_and_the_data_dir(tmp_path: Path) -> None:
    seen: list[tuple[bool, Path]] = []

    def handler(args: argparse.Namespace, ctx: Context) -> int:
        seen.append((ctx.as_json, ctx.data_dir))
        return 7

    parser = _tiny(handler)
    parser.add_argument("--data-dir", default=None, help="dossier")
    located: list[str | None] = []

    def locator(option: str | None, environ: object) -> Path:
        located.append(option)
        return Path(option or "défaut")

    assert run(parser, ["--json", "--data-dir", str(tmp_path), "go"], locator=locator) == 7
    assert run(parser, ["go"], locator=locator) == 7
    assert seen == [(True, tmp_path), (False, Path("défaut"))]
    assert located == [str(tmp_path), None]


def test_the_server_admin_reads_its_data_dir_from_the_one_context(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "serveur"
    data.mkdir()
    assert server.main(["admin", "teams", "create", "Nord", "--data-dir", str(data)]) == 0
    assert server.main(["admin", "--data-dir", str(data), "teams", "list", "--json"]) == 0
    out = capsys.readouterr().out
    teams = json.loads(out[out.index("[") :])
    assert [team["name"] for team in teams] == ["Nord"]
    assert (data / "server.db").is_file()


# -- one context: secrets -------------------------------------------------------------------


def _context(environ: dict[str, str]) -> Context:
    return Context(prog="essai", environ=environ, out=io.StringIO(), err=io.StringIO())


@given(st.text(min_size=1).filter(lambda s: "\x00" not in s))
def test_the_environment_variable_wins_and_nothing_is_read(value: str) -> None:
    ctx = _context({"SPIE_PASSPHRASE": value})
    assert ctx.passphrase(confirm=True) == value
    assert ctx.err.getvalue() == ""  # type: ignore[attr-defined]


def test_without_a_terminal_one_line_of_stdin_per_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(base, "_has_terminal", lambda: False)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": pytest.fail("getpass used"))
    ctx = _context({})
    monkeypatch.setattr(sys, "stdin", io.StringIO("une phrase\nune phrase\n"))
    assert ctx.passphrase("Nouvelle phrase de passe : ", confirm=True) == "une phrase"
    err = ctx.err.getvalue()  # type: ignore[attr-defined]
    assert "Nouvelle phrase de passe : " in err and "Confirmez" in err

    monkeypatch.setattr(sys, "stdin", io.StringIO("une\nautre\n"))
    with pytest.raises(ValidationError) as mismatch:
        ctx.passphrase(confirm=True)
    assert mismatch.value.code == "passphrase_mismatch"

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(ValidationError) as missing:
        ctx.passphrase()
    assert missing.value.code == "passphrase_missing"
    assert "SPIE_PASSPHRASE" in missing.value.message

    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    with pytest.raises(ValidationError) as empty:
        ctx.secret("Mot de passe : ", what="le mot de passe")
    assert empty.value.code == "secret_missing"


def test_on_a_terminal_getpass_hides_it_unless_stdin_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return "tapée au clavier"

    monkeypatch.setattr(base, "_has_terminal", lambda: True)
    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    monkeypatch.setattr(sys, "stdin", io.StringIO("lue sur l'entrée\n"))
    ctx = _context({})
    assert ctx.passphrase() == "tapée au clavier"
    assert prompts == ["Phrase de passe : "]
    assert ctx.secret("Mot de passe : ", from_stdin=True) == "lue sur l'entrée"
    assert prompts == ["Phrase de passe : "]
