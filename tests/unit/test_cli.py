"""The ``spie-desktop`` command line, run as a real subprocess on real SQLCipher stores.

Every run uses a keyring file of the test's own directory (``FileKeyring``), the weak
test KDF (``SPIE_KDF_PROFILE=test``) and a new session without a controlling terminal,
so that a passphrase prompt reads standard input instead of waiting on a terminal.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from spie_desktop.domain.models import AuditEvent
from spie_desktop.entry.app import DesktopOptions
from spie_desktop.entry.desktop import build_parser, desktop_options
from spie_desktop.services.notes import write_note
from spie_desktop.services.persons import create_person
from spie_desktop.store.file_keyring import FileKeyring
from spie_desktop.store.store import Store
from spie_desktop.store.vault import KdfParams

REPO = Path(__file__).resolve().parents[2]
PASS = "phrase de passe du support"
NEW_PASS = "nouvelle phrase de passe"
WRONG_PASS = "ce n'est pas la bonne"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SPIE_") and key != "PYTHON_KEYRING_BACKEND"
    }
    environ.update(
        {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
            "PYTHON_KEYRING_BACKEND": "spie_desktop.store.file_keyring.FileKeyring",
            "SPIE_KEYRING_FILE": str(tmp_path / "keyring.json"),
            "SPIE_KDF_PROFILE": "test",
            "SPIE_PASSPHRASE": PASS,
            "HOME": str(tmp_path / "home"),
            "XDG_DATA_HOME": str(tmp_path / "home" / "share"),
            "PYTHONIOENCODING": "utf-8",
        }
    )
    return environ


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "donnees"


def run(
    env: dict[str, str],
    *args: str,
    stdin: str | None = None,
    cwd: Path | None = None,
    **overrides: str | None,
) -> subprocess.CompletedProcess[str]:
    """``python -m spie_desktop *args``; ``overrides`` set (str) or remove (None) env vars."""
    environ = dict(env)
    for key, value in overrides.items():
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
    result = subprocess.run(
        [sys.executable, "-m", "spie_desktop", *args],
        env=environ,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        start_new_session=True,  # no controlling terminal: prompts read stdin
        cwd=cwd or REPO,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result


def init(env: dict[str, str], data_dir: Path) -> None:
    result = run(env, "init", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr


def stats(env: dict[str, str], data_dir: Path, passphrase: str = PASS) -> dict[str, int]:
    result = run(env, "stats", "--data-dir", str(data_dir), "--json", SPIE_PASSPHRASE=passphrase)
    assert result.returncode == 0, result.stderr
    counts: dict[str, int] = json.loads(result.stdout)["counts"]
    return counts


def open_store(env: dict[str, str], data_dir: Path, passphrase: str = PASS) -> Store:
    """The same store, in this process, through the same keyring file."""
    return Store.open(data_dir, passphrase, keyring_backend=FileKeyring(env["SPIE_KEYRING_FILE"]))


def add_person_with_notes(env: dict[str, str], data_dir: Path) -> uuid.UUID:
    store = open_store(env, data_dir)
    try:
        with store.write() as session:
            actor = store.actor()
            person = create_person(session, actor, {"last_name": "Lefèvre", "first_name": "Hélène"})
            write_note(session, actor, person.id, "Premier entretien à domicile, très positif.")
            write_note(
                session,
                actor,
                person.id,
                "Suivi médical en cours (donnée sensible).",
                sensitive=True,
            )
            person_id = person.id
    finally:
        store.close()
    return person_id


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- init, stats, check ----------------------------------------------------------------


def test_init_then_stats_and_check(env: dict[str, str], data_dir: Path) -> None:
    result = run(env, "init", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert f"Base locale chiffrée créée dans {data_dir}" in result.stdout
    # FileKeyring is a plain file: said plainly, with where it is.
    assert "Aucun trousseau système utilisable" in result.stdout
    assert env["SPIE_KEYRING_FILE"] in result.stdout
    assert "SPIE_KDF_PROFILE=test" in result.stderr
    assert mode(data_dir / "vault.json") == 0o600
    assert (data_dir / "store.db").read_bytes()[:16] != b"SQLite format 3\x00"
    vault = json.loads((data_dir / "vault.json").read_text())
    assert vault["kdf"]["memory_cost_kib"] == KdfParams.fast_for_tests().memory_cost_kib

    human = run(env, "stats", "--data-dir", str(data_dir))
    assert human.returncode == 0, human.stderr
    assert "Personnes accompagnées" in human.stdout
    assert "Modifications à synchroniser" in human.stdout

    # --json before the subcommand, data directory from SPIE_DATA_DIR.
    machine = run(env, "--json", "stats", SPIE_DATA_DIR=str(data_dir))
    assert machine.returncode == 0, machine.stderr
    document = json.loads(machine.stdout)
    assert document["data_dir"] == str(data_dir)
    assert document["data_dir_source"] == "environment"
    assert document["counts"]["person"] == 0
    assert set(document["counts"]) >= {"person", "note", "audit_event", "outbox_pending"}
    assert document["device_secret"]["detail"].endswith("FileKeyring")
    assert env["SPIE_KEYRING_FILE"] in document["device_secret"]["warning"]

    check = run(env, "check", "--data-dir", str(data_dir))
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "Base intègre."


def test_init_refuses_an_existing_store(env: dict[str, str], data_dir: Path) -> None:
    init(env, data_dir)
    before = digest(data_dir / "vault.json")
    result = run(env, "init", "--data-dir", str(data_dir))
    assert result.returncode == 2
    assert "Erreur : Une base locale existe déjà" in result.stderr
    assert "[store_exists]" in result.stderr
    assert digest(data_dir / "vault.json") == before


def test_missing_store_is_a_clear_error(env: dict[str, str], tmp_path: Path) -> None:
    result = run(env, "stats", "--data-dir", str(tmp_path / "rien"), SPIE_PASSPHRASE=None)
    assert result.returncode == 2
    assert "Aucune base locale" in result.stderr
    assert "spie-desktop init" in result.stderr
    assert "[store_missing]" in result.stderr
    assert "Phrase de passe" not in result.stderr  # nothing to unlock: no prompt

    as_json = run(env, "stats", "--json", "--data-dir", str(tmp_path / "rien"))
    assert as_json.returncode == 2
    document = json.loads(as_json.stdout)
    assert document["ok"] is False
    assert document["error"]["code"] == "store_missing"
    assert document["error"]["message"].startswith("Aucune base locale")


def test_default_kdf_is_the_tuned_one(env: dict[str, str], data_dir: Path) -> None:
    """Without SPIE_KDF_PROFILE the CLI never weakens the vault."""
    result = run(env, "init", "--data-dir", str(data_dir), SPIE_KDF_PROFILE=None)
    assert result.returncode == 0, result.stderr
    assert "SPIE_KDF_PROFILE" not in result.stderr
    vault = json.loads((data_dir / "vault.json").read_text())
    assert vault["kdf"]["memory_cost_kib"] == KdfParams().memory_cost_kib
    assert vault["kdf"]["time_cost"] == KdfParams().time_cost


# -- wrong passphrase -----------------------------------------------------------------


def test_wrong_passphrase_exits_3_and_changes_nothing(
    env: dict[str, str], data_dir: Path, tmp_path: Path
) -> None:
    init(env, data_dir)
    person_id = add_person_with_notes(env, data_dir)
    files = ("store.db", "vault.json")
    output = tmp_path / "export.json"

    def attempt(*args: str) -> None:
        result = run(
            env,
            *args,
            "--data-dir",
            str(data_dir),
            SPIE_PASSPHRASE=WRONG_PASS,
            SPIE_NEW_PASSPHRASE=NEW_PASS,
        )
        assert result.returncode == 3, (args, result.stderr)
        assert "Erreur : Phrase de passe incorrecte" in result.stderr
        assert "[wrong_passphrase]" in result.stderr
        assert result.stdout == ""

    # Two failures at a time: from the third on, the vault makes the next attempt wait.
    for pair in (
        (("stats",), ("export-person", str(person_id), "--output", str(output))),
        (("check",), ("passwd",)),
    ):
        before = {name: digest(data_dir / name) for name in files}
        keyring_before = digest(Path(env["SPIE_KEYRING_FILE"]))
        for args in pair:
            attempt(*args)
        assert {name: digest(data_dir / name) for name in files} == before
        assert digest(Path(env["SPIE_KEYRING_FILE"])) == keyring_before
        assert not (data_dir / "store.db-wal").exists()
        assert not output.exists()
        # The right passphrase still opens it, with everything in place.
        assert stats(env, data_dir)["person"] == 1


# -- passphrases: environment, prompt, never an argument -------------------------------


def test_passwd_old_fails_new_works(env: dict[str, str], data_dir: Path) -> None:
    init(env, data_dir)
    result = run(env, "passwd", "--data-dir", str(data_dir), SPIE_NEW_PASSPHRASE=NEW_PASS)
    assert result.returncode == 0, result.stderr
    assert "Phrase de passe changée" in result.stdout

    old = run(env, "stats", "--data-dir", str(data_dir))
    assert old.returncode == 3
    assert "Phrase de passe incorrecte" in old.stderr
    assert stats(env, data_dir, NEW_PASS)["person"] == 0

    same = run(
        env,
        "passwd",
        "--data-dir",
        str(data_dir),
        SPIE_PASSPHRASE=NEW_PASS,
        SPIE_NEW_PASSPHRASE=NEW_PASS,
    )
    assert same.returncode == 2
    assert "[passphrase_unchanged]" in same.stderr

    # New passphrase typed at the prompt, with a confirmation that does not match.
    before = digest(data_dir / "vault.json")
    mismatch = run(
        env,
        "passwd",
        "--data-dir",
        str(data_dir),
        stdin="une autre phrase\nune autre phrasE\n",
        SPIE_PASSPHRASE=NEW_PASS,
    )
    assert mismatch.returncode == 2
    assert "Nouvelle phrase de passe :" in mismatch.stderr
    assert "ne correspondent pas" in mismatch.stderr
    assert digest(data_dir / "vault.json") == before

    # Old and new both typed (old checked first, then new twice).
    typed = run(
        env,
        "passwd",
        "--data-dir",
        str(data_dir),
        stdin=f"{NEW_PASS}\n{PASS}\n{PASS}\n",
        SPIE_PASSPHRASE=None,
    )
    assert typed.returncode == 0, typed.stderr
    assert stats(env, data_dir)["person"] == 0


def test_passphrase_prompt_reads_stdin_without_terminal(
    env: dict[str, str], data_dir: Path
) -> None:
    mismatch = run(
        env,
        "init",
        "--data-dir",
        str(data_dir),
        stdin="premiere saisie\nseconde saisie\n",
        SPIE_PASSPHRASE=None,
    )
    assert mismatch.returncode == 2
    assert "[passphrase_mismatch]" in mismatch.stderr
    assert "Warning" not in mismatch.stderr  # getpass's English fallback is not used
    assert not (data_dir / "vault.json").exists()

    created = run(
        env,
        "init",
        "--data-dir",
        str(data_dir),
        stdin=f"{PASS}\n{PASS}\n",
        SPIE_PASSPHRASE=None,
    )
    assert created.returncode == 0, created.stderr

    typed = run(env, "stats", "--data-dir", str(data_dir), stdin=f"{PASS}\n", SPIE_PASSPHRASE=None)
    assert typed.returncode == 0, typed.stderr

    nothing = run(env, "stats", "--data-dir", str(data_dir), SPIE_PASSPHRASE=None)
    assert nothing.returncode == 2
    assert "SPIE_PASSPHRASE" in nothing.stderr
    assert "[passphrase_missing]" in nothing.stderr

    short = run(
        env, "init", "--data-dir", str(data_dir.with_name("autre")), SPIE_PASSPHRASE="court"
    )
    assert short.returncode == 2
    assert "au moins 8 caractères" in short.stderr


def test_store_and_sync_commands_ask_for_the_passphrase_alike(
    env: dict[str, str], data_dir: Path
) -> None:
    """``stats`` (store) and ``status`` (sync) once had two prompts that behaved differently
    without a terminal; ``init`` and ``login`` (which creates the store of a new device)
    confirm a new passphrase the same way."""
    init(env, data_dir)
    seen = {}
    for command in ("stats", "status"):
        missing = run(env, command, "--data-dir", str(data_dir), SPIE_PASSPHRASE=None)
        typed = run(env, command, "--data-dir", str(data_dir), stdin=f"{PASS}\n",
                    SPIE_PASSPHRASE=None)  # fmt: skip
        wrong = run(env, command, "--data-dir", str(data_dir), stdin=f"{WRONG_PASS}\n",
                    SPIE_PASSPHRASE=None)  # fmt: skip
        seen[command] = (
            missing.returncode,
            missing.stderr.strip().splitlines()[-1],
            typed.returncode,
            typed.stderr.startswith("Phrase de passe : "),
            wrong.returncode,
            wrong.stderr.strip().splitlines()[-1],
        )
    assert seen["stats"] == seen["status"]
    assert seen["stats"][0] == 2 and "SPIE_PASSPHRASE" in seen["stats"][1]
    assert seen["stats"][1].endswith("[passphrase_missing]")
    assert seen["stats"][2:5] == (0, True, 3)
    assert seen["stats"][5].endswith("[wrong_passphrase]")

    new_device = data_dir.with_name("nouvel-appareil")
    mismatched = {
        command: run(
            env,
            *argv,
            "--data-dir",
            str(new_device),
            stdin="une phrase\nune autre\n",
            SPIE_PASSPHRASE=None,
        )
        for command, argv in (
            ("init", ("init",)),
            ("login", ("login", "--server", "http://127.0.0.1:9", "--user", "alice.martin")),
        )
    }
    for command, result in mismatched.items():
        assert result.returncode == 2, (command, result.stderr)
        assert "Confirmez en la saisissant à nouveau" in result.stderr, command
        assert result.stderr.strip().endswith("[passphrase_mismatch]"), command
    assert not (new_device / "vault.json").exists()


def _all_option_strings(parser: argparse.ArgumentParser) -> set[str]:
    options: set[str] = set()
    for action in parser._actions:
        options.update(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                options |= _all_option_strings(sub)
    return options


def test_passphrase_is_never_an_argument(env: dict[str, str], data_dir: Path) -> None:
    options = _all_option_strings(build_parser())
    assert "--data-dir" in options and "--output" in options  # the walk sees subcommands
    assert not [o for o in options if "pass" in o.lower() or "phrase" in o.lower()]

    for args in (
        ("init", "--passphrase", "secret-en-clair"),
        ("--passphrase=secret-en-clair", "init"),
        ("init", "--pass", "secret-en-clair"),  # no abbreviation of anything either
    ):
        result = run(env, *args, "--data-dir", str(data_dir), SPIE_PASSPHRASE=None)
        assert result.returncode == 2, args
        assert "Erreur : arguments non reconnus" in result.stderr
        assert "Utilisation : spie-desktop" in result.stderr
    assert not data_dir.exists()


# -- export-person ---------------------------------------------------------------------


def test_export_person_writes_private_json_and_is_audited(
    env: dict[str, str], data_dir: Path, tmp_path: Path
) -> None:
    init(env, data_dir)
    person_id = add_person_with_notes(env, data_dir)
    audits_before = stats(env, data_dir)["audit_event"]
    output = tmp_path / "export-Lefèvre.json"

    result = run(
        env, "export-person", str(person_id), "--data-dir", str(data_dir), "--output", str(output)
    )
    assert result.returncode == 0, result.stderr
    assert str(output) in result.stdout
    assert "données personnelles en clair" in result.stderr
    assert mode(output) == 0o600
    raw = output.read_text(encoding="utf-8")
    assert "Hélène" in raw  # ensure_ascii=False
    assert '\n  "person": {' in raw  # indent=2
    document = json.loads(raw)
    assert document["format"] == "spie-desktop/person-export/v1"
    assert document["person"]["id"] == str(person_id)
    assert document["person"]["last_name"] == "Lefèvre"
    texts = {note["text"] for note in document["notes"]}
    assert texts == {
        "Premier entretien à domicile, très positif.",
        "Suivi médical en cours (donnée sensible).",
    }
    assert [e["action"] for e in document["audit_events"]].count("export") == 1
    assert not [p for p in output.parent.iterdir() if p.name.startswith(".export")]

    assert stats(env, data_dir)["audit_event"] == audits_before + 1
    store = open_store(env, data_dir)
    try:
        with store.read() as session:
            last = session.execute(
                select(AuditEvent.action, AuditEvent.person_id)
                .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
                .limit(1)
            ).one()
    finally:
        store.close()
    assert tuple(last) == ("export", person_id)

    again = run(
        env, "export-person", str(person_id), "--data-dir", str(data_dir), "--output", str(output)
    )
    assert again.returncode == 2
    assert "[output_exists]" in again.stderr
    assert stats(env, data_dir)["audit_event"] == audits_before + 1  # refused before export

    output.chmod(0o644)
    forced = run(
        env,
        "export-person",
        str(person_id),
        "--data-dir",
        str(data_dir),
        "--output",
        str(output),
        "--force",
    )
    assert forced.returncode == 0, forced.stderr
    assert mode(output) == 0o600

    to_stdout = run(env, "export-person", str(person_id), "--data-dir", str(data_dir))
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert json.loads(to_stdout.stdout)["person"]["first_name"] == "Hélène"


def test_export_person_unknown_or_malformed_id(env: dict[str, str], data_dir: Path) -> None:
    init(env, data_dir)
    unknown = run(env, "export-person", str(uuid.uuid4()), "--data-dir", str(data_dir))
    assert unknown.returncode == 2
    assert "Erreur : Personne introuvable. [not_found]" in unknown.stderr
    malformed = run(env, "export-person", "12-34", "--data-dir", str(data_dir))
    assert malformed.returncode == 2
    assert "Identifiant de personne invalide" in malformed.stderr
    assert stats(env, data_dir)["audit_event"] == 0


# -- check on a damaged file ----------------------------------------------------------


def test_check_reports_a_corrupted_database(env: dict[str, str], data_dir: Path) -> None:
    init(env, data_dir)
    store = open_store(env, data_dir)
    try:
        with store.write() as session:
            actor = store.actor()
            for index in range(60):
                person = create_person(
                    session, actor, {"last_name": f"Martin{index}", "first_name": "Jeanne"}
                )
                write_note(session, actor, person.id, "Entretien de suivi. " * 40)
                person_id = person.id
        with store.read() as session:
            # A page the check reads for sure: the notes' root (the middle of the file may
            # be a page the migrations' dropped indexes left free).
            root = (
                session.connection()
                .exec_driver_sql(
                    "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'note'"
                )
                .scalar_one()
            )
            page_size = session.connection().exec_driver_sql("PRAGMA page_size").scalar_one()
    finally:
        store.close()
    assert run(env, "check", "--data-dir", str(data_dir)).returncode == 0

    database = data_dir / "store.db"
    data = bytearray(database.read_bytes())
    assert len(data) > 20 * 4096
    middle = (int(root) - 1) * int(page_size) + 512
    data[middle : middle + 256] = bytes(256)
    database.write_bytes(bytes(data))

    result = run(env, "check", "--data-dir", str(data_dir))
    assert result.returncode == 4
    assert "est endommagée" in result.stdout
    assert "cipher: HMAC verification failed for page" in result.stdout
    assert "resynchronisation complète avec le serveur" in result.stdout
    assert "[store_corrupt]" in result.stderr
    assert "ERROR CORE" not in result.stderr  # SQLCipher's own log stays quiet

    as_json = run(env, "check", "--json", "--data-dir", str(data_dir))
    assert as_json.returncode == 4
    document = json.loads(as_json.stdout)
    assert document["ok"] is False
    assert any("HMAC" in problem for problem in document["problems"])

    # Reading every row of the damaged table: a clear error, not a crash.
    exported = run(env, "export-person", str(person_id), "--data-dir", str(data_dir))
    assert exported.returncode in (0, 2, 4)
    if exported.returncode == 4:
        assert "[store_corrupt]" in exported.stderr


# -- demo data, demo, desktop app ------------------------------------------------------


def test_demo_data_fills_an_empty_store_only(env: dict[str, str], data_dir: Path) -> None:
    pytest.importorskip("spie_desktop.demo")
    init(env, data_dir)
    result = run(env, "demo-data", "--data-dir", str(data_dir), "--persons", "12", "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert "12 personnes" in result.stdout
    counts = stats(env, data_dir)
    assert counts["person"] == 12
    assert counts["note"] > 0
    assert counts["outbox_pending"] == 0  # as received from the server

    again = run(env, "demo-data", "--data-dir", str(data_dir), "--persons", "12")
    assert again.returncode == 2
    assert "[store_not_empty]" in again.stderr

    bad = run(env, "demo-data", "--data-dir", str(data_dir), "--persons", "0")
    assert bad.returncode == 2
    assert "compris entre 1 et" in bad.stderr


def test_the_interim_demo_command_is_gone(env: dict[str, str], tmp_path: Path) -> None:
    """``spie-desktop demo`` (a printed summary from before the app) gave way to ``--demo``."""
    result = run(env, "demo", "--data-dir", str(tmp_path / "demo"))
    assert result.returncode == 2
    assert "choix invalide" in result.stderr
    assert not (tmp_path / "demo").exists()


def test_without_subcommand_and_without_the_app(env: dict[str, str], tmp_path: Path) -> None:
    """Only the core package installed (no ``ui``): a French message and exit 2."""
    site = tmp_path / "site"
    shutil.copytree(
        REPO / "spie_desktop", site / "spie_desktop", ignore=shutil.ignore_patterns("__pycache__")
    )
    # An editable install makes the repository's ``ui`` importable from anywhere: shadow it
    # (PYTHONPATH comes before the editable finder) with a package that is not there.
    (site / "ui").mkdir()
    (site / "ui" / "__init__.py").write_text(
        'raise ImportError("ui not installed (test)")\n', encoding="utf-8"
    )
    result = run(env, PYTHONPATH=str(site), cwd=site)
    assert result.returncode == 2
    assert "L'application de bureau n'est pas installée" in result.stderr
    assert "[ui_missing]" in result.stderr


def test_desktop_options_reach_the_app(env: dict[str, str], tmp_path: Path) -> None:
    """``spie-desktop --demo --as responsable --lang en``: the app's options, passed on."""
    args = build_parser().parse_args(
        ["--data-dir", str(tmp_path), "--demo", "--as", "responsable", "--lang", "en"]
    )
    assert desktop_options(args) == DesktopOptions(
        data_dir=str(tmp_path), demo=True, demo_role="responsable", language="en"
    )
    assert desktop_options(build_parser().parse_args([])) == DesktopOptions()
    # Without a display the app itself answers (its message, its exit status): the option
    # went through the command line parser and reached the application's launcher.
    headless = run(env, "--demo", DISPLAY=None, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None)
    assert headless.returncode == 2
    assert "xvfb-run -a make demo" in headless.stderr
    assert "non reconnus" not in headless.stderr


def test_desktop_options_with_a_command_are_refused(env: dict[str, str], tmp_path: Path) -> None:
    refused = run(env, "--demo", "stats", "--data-dir", str(tmp_path))
    assert refused.returncode == 2
    assert "[usage]" in refused.stderr
    assert "sans commande" in refused.stderr
    assert not tmp_path.joinpath("spie.db").exists()


def test_version_and_french_help(env: dict[str, str]) -> None:
    version = run(env, "--version")
    assert version.returncode == 0
    assert version.stdout.startswith("spie-desktop ")
    helped = run(env, "export-person", "--help")
    assert helped.returncode == 0
    assert "Utilisation : spie-desktop export-person" in helped.stdout
    assert "droits 0600" in helped.stdout
