"""The demo's accompaniment paths: realistic, consistent with the rules, every alert shown."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from spie_desktop.demo import DemoSpec, generate, load_into_store
from spie_desktop.domain.deadlines import PATH_ALERTS
from spie_desktop.services.caseload import CaseloadFilter, caseload_ids
from spie_desktop.store.store import Store

NOW = datetime(2026, 11, 23, tzinfo=UTC)
SPEC = DemoSpec(referents=1, persons_per_referent=150, seed=2026, now=NOW)


def test_demo_paths_follow_the_rules() -> None:
    rows: dict[str, list[dict]] = {}
    for name, batch in generate(SPEC):
        rows.setdefault(name, []).extend(batch)
    persons = {p["id"]: p for p in rows["person"]}
    for contract in rows["engagement_contract"]:
        if contract["weekly_floor_minutes"] < 900:
            assert contract["floor_reason"] is not None
        if contract["state"] in ("signed", "renewed"):
            assert contract["signed_on"] is not None
        if contract["contract_type"] != "contrat_engagement":
            assert contract["signed_on"] < date(2025, 1, 1)
        elif contract["signed_on"] is not None:
            assert contract["signed_on"] >= date(2025, 1, 1)
        if contract["ends_on"] and contract["starts_on"]:
            assert contract["ends_on"] >= contract["starts_on"]
    for decision in rows["orientation_decision"]:
        assert decision["notified_on"] >= decision["decided_on"]
        assert decision["decided_on"] <= NOW.date()
    exited = {pid for pid, p in persons.items() if p["follow_up_status"] == "sorti"}
    assert {r["person_id"] for r in rows["closing_review"]} == exited
    tracks = Counter(d["track"] for d in rows["orientation_decision"])
    assert set(tracks) == {"social", "socio_professional", "professional"}
    extended = [d for d in rows["orientation_decision"] if d["review_obstacle"]]
    assert extended and all(d["track"] == "social" for d in extended)
    legacy = [c for c in rows["engagement_contract"] if c["contract_type"] != "contrat_engagement"]
    assert legacy
    for breach in rows.get("breach", []):
        assert breach["invited_on"] >= breach["occurred_on"]
        if breach["decision_on"]:
            assert breach["decision_on"] >= breach["invited_on"]


@pytest.fixture
def demo_store(store: Store) -> Store:
    load_into_store(store, SPEC)
    return store


def test_every_path_alert_shows_in_the_demo_and_most_are_on_time(demo_store: Store) -> None:
    now = NOW + timedelta(hours=10)
    with demo_store.read() as session:
        followed = len(caseload_ids(session, CaseloadFilter(include_exited=False), now))
        counts = {
            alert: len(caseload_ids(session, CaseloadFilter(path_alert=alert), now))
            for alert in PATH_ALERTS
        }
    assert all(count > 0 for count in counts.values()), counts
    # Most paths are on time: the late or due-soon ones are a minority of the caseload.
    dated = counts["orientation_due"] + counts["contract_to_sign"] + counts["track_review_due"]
    assert dated < followed / 3, (counts, followed)


def test_the_demo_has_corrected_breach_decisions_kept_as_history() -> None:
    """Some decided breaches were corrected (50 % typed for 30 %): the wrong version is a
    tombstone deleted at the instant its correction was created, same breach."""
    spec = DemoSpec(referents=2, persons_per_referent=400, seed=2026, now=NOW)
    breaches = [row for name, batch in generate(spec) if name == "breach" for row in batch]
    tombs = [b for b in breaches if b["deleted_at"] is not None]
    live = {(b["person_id"], b["kind"], b["occurred_on"], b["created_at"]): b for b in breaches}
    assert tombs
    for old in tombs:
        new = live[(old["person_id"], old["kind"], old["occurred_on"], old["deleted_at"])]
        assert new["deleted_at"] is None and new["id"] != old["id"]
        assert (old["decision_percent"], new["decision_percent"]) == (50, 30)
        assert old["created_at"] < old["deleted_at"] <= NOW
