"""English labels of the referentials (issue 12): every entry of the status and path lists has
one, the loader refuses an empty one, and French stays where a list gives none."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from spie_desktop.domain.referentials import load_referentials
from spie_desktop.errors import ValidationError
from spie_desktop.resources import resource_path

REF_DIR = Path(resource_path("referentials"))


def test_every_status_and_path_entry_has_an_english_label() -> None:
    for name in ("statuses.json", "parcours.json"):
        document = json.loads((REF_DIR / name).read_text(encoding="utf-8"))
        for kind, entries in document.items():
            if not isinstance(entries, list):
                continue
            for entry in entries:
                if isinstance(entry, dict) and "label" in entry:
                    assert entry.get("label_en", "").strip(), (name, kind, entry["code"])
    refs = load_referentials(REF_DIR)
    assert refs.label_in("follow_up_status", "en_accompagnement", "en") == "In support"
    assert refs.label_in("follow_up_status", "en_accompagnement", "fr") == "En accompagnement"
    assert refs.label("follow_up_status", "en_accompagnement") == "En accompagnement"
    # Carnet de bord's lists (generated; English merged from carnet-de-bord.en.json).
    for kind in ("theme", "target", "situation", "action"):
        for entry in refs.entries(kind):
            assert entry.label_en and entry.label_en.strip(), (kind, entry.code)
            assert refs.label_in(kind, entry.code, "fr") == entry.label
    assert refs.label_in("theme", "logement", "en") == "Housing"
    assert refs.label_in("theme", "logement", "fr") == "Logement"
    assert refs.label("action", "logement.demande_de_logement_social") == (
        "Demande de logement social"
    )


@pytest.mark.parametrize("bad", ["", "   ", 12, None])
def test_an_empty_or_wrong_english_label_is_refused(tmp_path: Path, bad: object) -> None:
    root = tmp_path / "referentials"
    shutil.copytree(REF_DIR, root)
    path = root / "statuses.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    if bad is None:
        del document["barrier_status"][1]["label_en"]  # absent: allowed, French shown
    else:
        document["barrier_status"][1]["label_en"] = bad
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    if bad is None:
        refs = load_referentials(root)
        assert refs.label_in("barrier_status", "identified", "en") == "Identifié"
        return
    with pytest.raises(ValidationError, match=r"statuses\.json.*barrier_status\[1\].*anglais"):
        load_referentials(root)
