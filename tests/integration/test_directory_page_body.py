"""``GET /sync/directory`` sends each record's data as the server stores it (issue 16: the
first sync of 20,000 services): the body must be the protocol's page, the same records and
cursor as ``pull_page`` reads, whatever the text inside the records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sync.protocol import DirectoryPage
from sync.server.directory import import_files, pull_page, pull_page_json
from tests.support import directory_data


def _write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _awkward_services(structure_id: str) -> list[dict[str, Any]]:
    base = directory_data.services(1, directory_data.structures(1))[0]
    texts = [
        'Guillemets " et barre \\ oblique',
        "Ligne\nsuivante\tet tabulation",
        "Émoji 🚲 et « guillemets français »",
        "</script><b>balise</b> & esperluette",
        "\u2028séparateur\u2029de paragraphe",
    ]
    out = []
    for index, text in enumerate(texts):
        record = dict(base, structure_id=structure_id, id=f'dora--"awk{index}\\', nom=text[:150])
        record["description"] = text
        out.append(record)
    return out


def test_the_body_is_the_page_pull_page_reads(world: Any, tmp_path: Path) -> None:
    structures = directory_data.structures(3)
    services = directory_data.services(17, structures) + _awkward_services(structures[0]["id"])
    report = import_files(world.engine, [_write(tmp_path / "a.json", structures + services)],
                          now=world.settings.now())  # fmt: skip
    assert not report.problems, report.problems
    for limit in (1, 4, 7, 5000):
        cursor = "0"
        pages = 0
        while True:
            body = pull_page_json(world.engine, cursor, limit)
            expected = pull_page(world.engine, cursor, limit)
            assert json.loads(body) == expected
            DirectoryPage.model_validate_json(body)  # the protocol's page
            cursor = expected["next"]
            pages += 1
            if not expected["more"]:
                break
        assert pages == -(-len(structures + services) // limit) or limit == 5000
    # An empty page after the end keeps the cursor.
    assert json.loads(pull_page_json(world.engine, cursor, 3)) == {
        "records": [], "next": cursor, "more": False
    }  # fmt: skip
