"""The directory's search (SQL filtering, counting and paging; exact distances on the
latitude band) returns exactly what a naive filter over the records returns: random
directories and random queries, on a real SQLCipher store (issue 16)."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from spie_desktop.services import directory
from spie_desktop.services.directory import Criteria, search
from spie_desktop.store.local_models import (
    DirectoryService,
    DirectoryServiceData,
    DirectoryStructure,
)
from spie_desktop.store.store import Store
from tests.support import directory_data

THEMATIQUES = directory._referential("thematiques")
THEME_VALUES = [item["value"] for item in THEMATIQUES]
FAMILIES = sorted({value.split("--")[0] for value in THEME_VALUES})
PUBLICS = [item["value"] for item in directory._referential("publics")]
MODES = ["a-distance", "en-presentiel"]
COMMUNES = directory_data.COMMUNES[:5]
STRUCTURES = directory_data.structures(4)
# French words with accents and capitals, punctuation, LIKE wildcards, short words.
WORDS = ["Épicerie", "epicerie", "ÉQUIPEMENT", "équipement", "permis", "Vénissieux",
         "cœur", "Œuvre", "l’accueil", "100%_", "a", "de", "Lyon", "ca", "ÇA", "ß"]  # fmt: skip
ALPHABET = "aàâäeéèêëiîïoôöuùûüçœæAÉÈÇŒ ’'-_%.0123456789"

words = st.sampled_from(WORDS) | st.text(ALPHABET, max_size=8)
positions = st.one_of(
    st.none(),
    st.sampled_from([(c[3], c[4]) for c in COMMUNES]),  # shared positions: distance ties
    st.tuples(st.floats(45.5, 46.1), st.floats(4.3, 5.1)),
)


@st.composite
def service_records(draw: Any, index: int) -> dict[str, Any]:
    structure = STRUCTURES[draw(st.integers(0, len(STRUCTURES) - 1))]
    commune = draw(st.sampled_from(COMMUNES))
    data: dict[str, Any] = {
        "source": "dora",
        "structure_id": structure["id"],
        "id": f"dora--svc{index}",
        "nom": " ".join(draw(st.lists(words, min_size=1, max_size=3))) or "x",
        "description": " ".join(draw(st.lists(words, max_size=4))),
        "thematiques": draw(st.lists(st.sampled_from(THEME_VALUES), max_size=3, unique=True)),
        "publics": draw(st.lists(st.sampled_from(PUBLICS), max_size=2, unique=True)),
        "modes_accueil": draw(st.lists(st.sampled_from(MODES), max_size=2, unique=True)),
        "code_insee": commune[0],
        "commune": commune[2],
    }
    frais = draw(st.sampled_from(["gratuit", "payant", None]))
    if frais:
        data["frais"] = frais
    position = draw(positions)
    if position is not None:
        data["latitude"], data["longitude"] = position
    status = draw(st.sampled_from(["open", "open", "open", "closed"]))
    return {"kind": "service", "id": data["id"], "status": status, "origin": "import",
            "data": data}  # fmt: skip


@st.composite
def directories(draw: Any) -> list[dict[str, Any]]:
    count = draw(st.integers(0, 40))
    records = [draw(service_records(index)) for index in range(count)]
    # Same names on purpose: the order must not depend on the storage.
    if records and draw(st.booleans()):
        for record in records[: len(records) // 2]:
            record["data"]["nom"] = records[0]["data"]["nom"]
    return records


criteria_strategy = st.builds(
    Criteria,
    text=st.one_of(st.just(""), st.lists(words, max_size=2).map(" ".join)),
    theme=st.one_of(st.none(), st.sampled_from([*directory.theme_mapping(), "inconnu"])),
    thematique=st.one_of(st.none(), st.sampled_from(FAMILIES + THEME_VALUES[:10])),
    code_insee=st.one_of(st.none(), st.sampled_from([c[0] for c in COMMUNES])),
    near=st.one_of(st.none(), positions.filter(lambda p: p is not None)),
    radius_km=st.one_of(st.none(), st.floats(0, 40), st.sampled_from([0.0, 5.0, 1e9])),
    public=st.one_of(st.none(), st.sampled_from(PUBLICS)),
    frais=st.one_of(st.none(), st.sampled_from(["gratuit", "payant"])),
    mode_accueil=st.one_of(st.none(), st.sampled_from(MODES)),
    include_closed=st.booleans(),
    limit=st.sampled_from([0, 1, 3, 10, 100]),
)


def _naive(records: list[dict[str, Any]], criteria: Criteria) -> tuple[list[str], int]:
    """The reference: every record looked at in Python, sorted in Python."""
    names = {s["id"]: s["nom"] for s in STRUCTURES}
    labels = directory.labels("thematiques")
    wanted_words = directory.normalise(criteria.text).split()
    themes: list[str] = []
    if criteria.theme:
        if criteria.theme not in directory.theme_mapping():
            return [], 0  # an unknown barrier theme covers nothing
        themes += directory.theme_mapping()[criteria.theme]
    if criteria.thematique:
        themes.append(criteria.thematique)
    kept: list[tuple[bool, float, str, str]] = []
    for record in records:
        data = record["data"]
        if not criteria.include_closed and record["status"] != "open":
            continue
        text = directory.normalise(
            " ".join(
                str(w)
                for w in (data["nom"], names.get(data["structure_id"]), data.get("commune"),
                          data.get("description"),
                          " ".join(labels.get(t, "") for t in data["thematiques"]))
                if w
            )
        )  # fmt: skip
        if not all(word in text for word in wanted_words):
            continue
        if themes and not any(
            (value == t if "--" in t else value.startswith(t + "--"))
            for t in themes
            for value in data["thematiques"]
        ):
            continue
        if criteria.code_insee and data.get("code_insee") != criteria.code_insee:
            continue
        if criteria.public and not {criteria.public, "tous-publics"} & set(data["publics"]):
            continue
        if criteria.frais and data.get("frais") != criteria.frais:
            continue
        if criteria.mode_accueil and criteria.mode_accueil not in data["modes_accueil"]:
            continue
        position = (data.get("latitude"), data.get("longitude"))
        if criteria.near is None:
            kept.append((False, 0.0, data["nom"], record["id"]))
            continue
        if position[0] is None or position[1] is None:
            if criteria.radius_km is None:
                kept.append((True, 0.0, data["nom"], record["id"]))
            continue
        distance = directory.distance_km(criteria.near, (position[0], position[1]))
        if criteria.radius_km is not None and distance > criteria.radius_km:
            continue
        kept.append((False, distance, data["nom"], record["id"]))
    kept.sort()
    return [item[3] for item in kept[: criteria.limit]], len(kept)


def _replace_directory(store: Store, records: list[dict[str, Any]]) -> None:
    with store.write() as session:
        for model in (DirectoryService, DirectoryServiceData, DirectoryStructure):
            session.execute(delete(model))
        directory.apply_records(
            session,
            [{"kind": "structure", "id": s["id"], "status": "open", "origin": "import",
              "data": s} for s in STRUCTURES],
        )  # fmt: skip
        directory.apply_records(session, records)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=directories(), queries=st.lists(criteria_strategy, min_size=1, max_size=6))
def test_search_is_the_naive_filter(
    store: Store, records: list[dict[str, Any]], queries: list[Criteria]
) -> None:
    _replace_directory(store, records)
    with store.read() as session:
        for criteria in queries:
            result = search(session, criteria)
            expected_ids, expected_total = _naive(records, criteria)
            assert (result.total, [hit.id for hit in result.hits]) == (
                expected_total,
                expected_ids,
            ), criteria
            for hit in result.hits:
                if criteria.near is not None and hit.distance_km is not None:
                    assert math.isfinite(hit.distance_km) and hit.distance_km >= 0


def test_equipement_finds_equipement_with_its_accent_and_capital(store: Store) -> None:
    def record(index: int, name: str) -> dict[str, Any]:
        data = {"source": "dora", "structure_id": STRUCTURES[0]["id"], "id": f"dora--e{index}",
                "nom": name, "thematiques": [], "publics": [], "modes_accueil": []}  # fmt: skip
        return {"kind": "service", "id": data["id"], "status": "open", "origin": "import",
                "data": data}  # fmt: skip

    wanted, other = record(0, "Équipement informatique"), record(1, "Atelier cuisine")
    _replace_directory(store, [wanted, other])
    with store.read() as session:
        for typed in ("equipement", "EQUIPEMENT", "Équipement", "quipem", "  équipement  "):
            result = search(session, Criteria(text=typed))
            assert ([h.id for h in result.hits], result.total) == ([wanted["id"]], 1)
        assert search(session, Criteria(text="équipements")).total == 0
