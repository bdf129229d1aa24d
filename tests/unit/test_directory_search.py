"""The directory's offline search (issue 16), on a real SQLCipher store."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spie_desktop.services import directory
from spie_desktop.services.directory import Criteria, search
from spie_desktop.store.store import Store
from tests.support import directory_data


def _record(kind: str, data: dict[str, Any], status: str = "open") -> dict[str, Any]:
    return {"kind": kind, "id": data["id"], "status": status, "origin": "import", "data": data}


def _load(store: Store, count: int = 200) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    structures = directory_data.structures(14)
    services = directory_data.services(count, structures)
    with store.write() as session:
        directory.apply_records(session, [_record("structure", s) for s in structures])
        directory.apply_records(session, [_record("service", s) for s in services])
    return structures, services


def _ids(store: Store, criteria: Criteria) -> set[str]:
    with store.read() as session:
        result = search(session, criteria)
    assert result.total >= len(result.hits)
    return {hit.id for hit in result.hits}


def test_each_criterion_filters_exactly(store: Store) -> None:
    _structures, services = _load(store)
    big = 10_000

    def expect(predicate: Any) -> set[str]:
        return {s["id"] for s in services if predicate(s)}

    mobilite = set(directory.theme_mapping()["mobilite"])
    assert _ids(store, Criteria(theme="mobilite", limit=big)) == expect(
        lambda s: mobilite & set(s.get("thematiques", []))
    )
    assert _ids(store, Criteria(code_insee="69259", limit=big)) == expect(
        lambda s: s.get("code_insee") == "69259"
    )
    assert _ids(store, Criteria(frais="payant", limit=big)) == expect(
        lambda s: s.get("frais") == "payant"
    )
    assert _ids(store, Criteria(mode_accueil="a-distance", limit=big)) == expect(
        lambda s: "a-distance" in s.get("modes_accueil", [])
    )
    assert _ids(store, Criteria(public="femmes", limit=big)) == expect(
        lambda s: {"femmes", "tous-publics"} & set(s.get("publics", []))
    )
    # Control: each filter keeps some and drops some.
    for criteria in (Criteria(theme="mobilite"), Criteria(code_insee="69259"),
                     Criteria(frais="payant"), Criteria(mode_accueil="a-distance")):  # fmt: skip
        found = _ids(store, Criteria(**{**criteria.__dict__, "limit": big}))
        assert 0 < len(found) < len(services)


def test_distance_from_the_persons_commune(store: Store) -> None:
    _load(store)
    with store.read() as session:
        code, position = directory.commune_position(session, "VENISSIEUX", "69200") or ("", (0, 0))
        assert code == "69259"
        result = search(session, Criteria(near=position, radius_km=5, limit=10_000))
    assert result.hits
    distances = [hit.distance_km for hit in result.hits]
    assert all(d is not None and d <= 5 for d in distances)
    assert distances == sorted(distances)  # type: ignore[type-var]
    communes = {hit.commune for hit in result.hits}
    assert "Vénissieux" in communes and "Villefranche-sur-Saône" not in communes
    with store.read() as session:
        assert directory.commune_position(session, "Nulle-Part") is None


def _shout(text: str) -> str:
    """The same words typed another way: capitals, accents dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(index=st.integers(0, 199), typed=st.sampled_from(["as is", "shout"]))
def test_text_search_ignores_accents_and_case(store: Store, index: int, typed: str) -> None:
    with store.read() as session:
        empty = search(session, Criteria(limit=1)).total == 0
    if empty:
        _load(store)
    services = directory_data.services(200, directory_data.structures(14))
    name = services[index]["nom"]
    query = name if typed == "as is" else _shout(name)
    assert services[index]["id"] in _ids(store, Criteria(text=query, limit=10_000))


def test_accented_words_match_unaccented_queries(store: Store) -> None:
    _load(store)
    found = _ids(store, Criteria(text="epicerie SOLIDAIRE", limit=10_000))
    assert found
    with store.read() as session:
        for service_id in found:
            hit = directory.service(session, service_id)
            assert hit is not None and "Épicerie" in hit.name
        near = search(session, Criteria(text="permis VENISSIEUX", limit=10_000)).hits
    assert near and {hit.commune for hit in near} == {"Vénissieux"}
    assert _ids(store, Criteria(text="zzzz introuvable")) == set()
    # Punctuation is not searched (LIKE wildcards neither): « 100%_ » is « 100 ».
    assert _ids(store, Criteria(text="100%_")) == _ids(store, Criteria(text="100")) != set()


def test_closed_services_are_hidden_unless_asked(store: Store) -> None:
    _structures, services = _load(store, 20)
    with store.write() as session:
        directory.apply_records(session, [_record("service", services[0], status="closed")])
    assert services[0]["id"] not in _ids(store, Criteria(limit=100))
    assert services[0]["id"] in _ids(store, Criteria(include_closed=True, limit=100))


def test_opening_hours_parsed_or_shown_raw() -> None:
    tuesday_morning = datetime(2026, 12, 1, 9, 0)
    hours = directory.opening_hours("Mo-Fr 08:30-12:30; PH off", at=tuesday_morning)
    assert hours is not None and hours.parsed
    assert hours.text == "lun.–ven. 08:30–12:30 ; jours fériés fermé"
    assert hours.is_open is True and hours.change_today
    assert hours.next_change == datetime(2026, 12, 1, 12, 30)
    assert directory.french_state(hours) == "Ouvert — ferme à 12:30"
    evening = directory.opening_hours("Mo-Fr 08:30-12:30", at=datetime(2026, 12, 4, 18, 0))
    assert evening is not None and evening.is_open is False
    assert directory.french_state(evening) == "Fermé — ouvre lundi à 08:30"
    raw = directory.opening_hours("sur rendez-vous")
    assert raw is not None and not raw.parsed and raw.text == "sur rendez-vous"
    assert directory.opening_hours("  ") is None


def test_hours_that_never_change_or_change_weeks_away_say_only_the_state() -> None:
    """A rule that never opens (« Mo 08:00-18:00 off ») once made the library search up to
    year 9999 for a change, seconds per partner in the directory's list; a change weeks away
    cannot be said « ouvre lundi » either. Both now say only the state."""
    wednesday = datetime(2026, 12, 2, 10, 0)
    for rule in ("Mo 08:00-18:00 off", "Mo 08:00-18:00; Mo off", "2099 Mo-Su 12:30-17:00"):
        hours = directory.opening_hours(rule, at=wednesday)
        assert hours is not None and hours.parsed, rule
        assert hours.is_open is False and hours.next_change is None, rule
        assert directory.french_state(hours) == "Fermé", rule
    always = directory.opening_hours("24/7", at=wednesday)
    assert always is not None and always.is_open is True and always.next_change is None
    # Monday-only: closed on Monday evening, the next opening six days and a half away.
    monday_evening = datetime(2026, 11, 30, 19, 0)
    weekly = directory.opening_hours("Mo 08:00-18:00", at=monday_evening)
    assert weekly is not None and weekly.next_change == datetime(2026, 12, 7, 8, 0)
    assert directory.french_state(weekly) == "Fermé — ouvre lundi à 08:00"


def test_contact_and_mobilisation_lines() -> None:
    data = directory_data.services(3, directory_data.structures(1))[2]
    data.update(
        modes_mobilisation=["telephoner", "envoyer-un-courriel"],
        mobilisable_par=["professionnels"],
        contact_nom_prenom="Camille Martin",
    )
    assert directory.mobilisation_line(data).startswith(
        "téléphoner, envoyer un courriel — par le professionnel."
    )
    assert directory.contact_line(data).startswith("Camille Martin · +334")
