"""The demo's agenda reads like a referent's (issue 12): ~4–8 appointments a day, none at the
weekend, never two at once — the demo Monday used to hold 21 (weekends moved to Mondays,
random hours)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from spie_desktop.demo import DemoSpec, generate, reference_now

PARIS = ZoneInfo("Europe/Paris")


def agenda_days(spec: DemoSpec) -> dict[tuple[Any, date], list[dict[str, Any]]]:
    days: dict[tuple[Any, date], list[dict[str, Any]]] = defaultdict(list)
    for table, rows in generate(spec):
        if table == "appointment":
            for row in rows:
                day = row["starts_at"].astimezone(PARIS).date()
                days[(row["referent_id"], day)].append(row)
    return days


@pytest.mark.parametrize("seed", [2026, 7])
def test_a_referents_day_holds_four_to_eight_appointments_never_two_at_once(seed: int) -> None:
    # A fixed « now » (a Wednesday): the same rows every day the suite runs.
    now = datetime(2026, 12, 2, tzinfo=UTC)
    spec = DemoSpec(referents=1, persons_per_referent=150, seed=seed, now=now)
    today = reference_now(spec).date()
    days = agenda_days(spec)
    coming = {key: rows for key, rows in days.items() if 0 <= (key[1] - today).days < 28}
    assert coming, "no planned appointments in the next four weeks"
    assert all(day.weekday() < 5 for _ref, day in days)  # nobody is seen at the weekend
    counts = [len(rows) for rows in coming.values()]
    assert max(counts) <= 8
    assert 3.5 <= sum(counts) / len(counts) <= 8
    # Mondays are no busier than the other weekdays (weekends used to land on them).
    by_weekday = defaultdict(int)
    for (_ref, day), rows in coming.items():
        by_weekday[day.weekday()] += len(rows)
    others = [by_weekday[d] for d in range(1, 5)]
    assert by_weekday[0] <= 1.5 * sum(others) / len(others)
    for rows in days.values():  # the whole history: a referent is in one place at a time
        rows.sort(key=lambda row: row["starts_at"])
        for first, second in itertools.pairwise(rows):
            end = first["starts_at"] + timedelta(minutes=first["duration_minutes"])
            assert second["starts_at"] >= end, (first["starts_at"], second["starts_at"])
