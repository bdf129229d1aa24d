"""``spie-server admin import-csv --team EQUIPE`` from the command line (issue 14 item 4):
persons without a referent wait in the named team's queue, a line's ``equipe`` cell wins
over the option, a referent's team wins over the option; a line whose ``equipe`` cell
disagrees with the team of the referent named on it is refused in French (line and
column named) and nothing of it is imported, on creation as on a re-import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spie_desktop.entry import server as server_cli
from tests.support.devkit import server_rows

HEADER = "Identifiant;Nom;Prénom;Commune;Référent;Équipe"


def _admin(world: Any, capsys: Any, *args: str) -> tuple[int, str, str]:
    code = server_cli.main(["admin", "--database-url", world.settings.database_url, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _persons(world: Any) -> dict[str, dict[str, Any]]:
    return {row["external_id"]: row for row in server_rows(world.engine, "person").values()}


def _write(path: Path, lines: list[str]) -> Path:
    # A Windows export: Latin-1 family, CRLF.
    path.write_bytes(("\r\n".join([HEADER, *lines]) + "\r\n").encode("cp1252"))
    return path


def test_import_csv_team_option_and_equipe_column_from_the_command_line(
    world: Any, capsys: Any, tmp_path: Path
) -> None:
    world.admin.create_team("Nord")
    world.admin.create_team("Sud")
    alice = world.user("alice.martin", team="Nord")
    world.user("sam.chef", role="supervisor", team="Nord")
    world.user("tom.sud", role="supervisor", team="Sud")
    teams = {row["name"]: row["id"] for row in server_rows(world.engine, "team").values()}

    exported = _write(
        tmp_path / "caf.csv",
        [
            "T-1;Lefèvre;Nina;Nevers;;",  # no referent, no team: --team
            "T-2;Moreau;Ilan;Nevers;;Nord",  # no referent, the cell wins over --team
            "T-3;Giraud;Lise;Nevers;alice.martin;Sud",  # disagrees with alice's team
            "T-4;Roux;Léa;Nevers;alice.martin;Nord",  # agrees
            "T-5;Petit;Jules;Nevers;alice.martin;",  # a referent: her team, not --team
        ],
    )
    code, out, err = _admin(world, capsys, "import-csv", str(exported), "--team", "Sud")
    assert code == 3, (out, err)  # imported, with a refused line
    assert "4 créées" in out and "1 lignes refusées" in out
    (refusal,) = [line for line in out.splitlines() if line.strip().startswith("ligne ")]
    assert refusal.strip().startswith("ligne 4 : Colonne « Équipe » :"), refusal
    assert "alice.martin" in refusal and "« Sud »" in refusal and "refusée" in refusal

    persons = _persons(world)
    assert "T-3" not in persons  # nothing of the refused line
    assert {ext: (p["referent_id"], p["team_id"]) for ext, p in persons.items()} == {
        "T-1": (None, teams["Sud"]),
        "T-2": (None, teams["Nord"]),
        "T-4": (str(alice), teams["Nord"]),
        "T-5": (str(alice), teams["Nord"]),
    }

    # Each supervisor receives her own team's queue, nobody else's.
    sam = world.device("sam-laptop", "sam.chef")
    tom = world.device("tom-laptop", "tom.sud")
    sam.sync()
    tom.sync()
    held = {
        name: {row["external_id"] for row in device.rows("person").values()}
        for name, device in (("sam", sam), ("tom", tom))
    }
    assert held == {"sam": {"T-2", "T-4", "T-5"}, "tom": {"T-1"}}

    # A re-import naming another team for a followed person: refused, the person unchanged
    # (not even the other cells of the line); --json carries the same problem.
    again = _write(tmp_path / "again.csv", ["T-4;Roux;Léa;Cosne-Cours-sur-Loire;alice.martin;Sud"])
    before = _persons(world)["T-4"]
    code, out, _ = _admin(world, capsys, "import-csv", str(again), "--json")
    report = json.loads(out)
    assert code == 3
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 0)
    (problem,) = report["problems"]
    assert problem["line"] == 2 and problem["message"].startswith("Colonne « Équipe » :")
    assert _persons(world)["T-4"] == before

    # An unknown team, from the option: the lines that need it are refused, named so.
    unknown = _write(tmp_path / "unknown.csv", ["T-6;Blanc;Zoé;Nevers;;"])
    code, out, _ = _admin(world, capsys, "import-csv", str(unknown), "--team", "Ouest")
    assert code == 3
    assert "ligne 2 : --team : équipe inconnue" in out and "« Ouest »" in out
    assert "T-6" not in _persons(world)
