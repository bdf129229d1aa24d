"""The directory's fixtures and referentials against the data·inclusion v1 JSON Schema in
../shared/data (issue 16), and the bundled copy of that schema against its source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from spie_desktop.resources import resource_path
from tests.support import directory_data

REPO = Path(__file__).resolve().parents[2]


def _shared() -> Path:
    for root in (REPO.parent, REPO.parent.parent):
        candidate = root / "shared" / "data" / "data-inclusion-v1"
        if candidate.is_dir():
            return candidate
    pytest.skip("../shared/data absent (copie de travail hors de /work)")


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_bundled_schema_is_the_published_one() -> None:
    shared = _shared()
    for path in sorted(shared.glob("*.json")):
        bundled = resource_path("referentials", "data-inclusion-v1", path.name)
        assert bundled.read_bytes() == path.read_bytes(), path.name


def test_fixtures_are_valid_against_the_shared_schema() -> None:
    shared = _shared()
    service = jsonschema_rs.validator_for(_load(shared / "service.json"), validate_formats=True)
    structure = jsonschema_rs.validator_for(_load(shared / "structure.json"), validate_formats=True)
    structures = directory_data.structures(40, seed=3)
    services = directory_data.services(500, structures, seed=3)
    for record in structures:
        assert structure.is_valid(record), list(structure.iter_errors(record))
    for record in services:
        assert service.is_valid(record), list(service.iter_errors(record))
    # Control: the bad records really are invalid for the published schema.
    for record in directory_data.bad_services(structures[0]["id"]):
        assert not service.is_valid(record)


def test_theme_mapping_covers_carnet_de_bord_with_real_thematiques() -> None:
    shared = _shared()
    thematiques = {item["value"] for item in _load(shared / "thematiques.json")}
    cdb = _load(shared.parent / "carnet-de-bord-referentials.json")
    themes = {theme["code"] for theme in (cdb["themes"] if isinstance(cdb, dict) else cdb)}
    mapping = _load(resource_path("referentials", "directory-themes.json"))
    assert mapping["source"]
    assert set(mapping["themes"]) == themes
    for code, values in mapping["themes"].items():
        assert values, code
        assert set(values) <= thematiques, code


def test_every_data_inclusion_label_has_an_english_one() -> None:
    """``data-inclusion.en.json`` words every code of the enumerations the screens show, and
    only known codes: an upstream addition fails here instead of showing French in English."""
    from spie_desktop.services import directory

    for kind in ("thematiques", "publics", "types-de-services", "modes-accueil", "frais"):
        french = directory.labels(kind)
        english = directory.english_labels(kind)
        assert set(english) == set(french), kind
        assert all(label.strip() for label in english.values()), kind
    for kind in ("modes-mobilisation", "mobilisable-par"):
        english = directory.english_labels(kind)
        assert set(english) == set(directory.french_mobilisation_labels(kind)), kind
