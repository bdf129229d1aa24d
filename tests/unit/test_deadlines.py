"""Deadline arithmetic of the accompaniment path (spie_desktop.domain.deadlines).

Month ends (31 January + 1 month), leap years (29 February) and daylight-saving changes in
Europe/Paris (last Sunday of March and of October) are where calendar code goes wrong.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spie_desktop.domain.deadlines import (
    PARIS,
    ContractFacts,
    DecisionFacts,
    PathAlert,
    PathSettings,
    add_months,
    days_left,
    due_instant,
    paris_day,
    path_alerts,
    path_facts,
)
from spie_desktop.errors import ValidationError

DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
MONTHS = st.integers(min_value=0, max_value=36)


def last_sunday(year: int, month: int) -> date:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() + 1) % 7)


def test_month_end_and_leap_years_by_example() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2028, 2, 29), 48) == date(2032, 2, 29)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 31), 1) == date(2026, 4, 30)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


@given(DATES, MONTHS)
def test_add_months_lands_in_the_right_month_on_the_right_day(start: date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    last = calendar.monthrange(result.year, result.month)[1]
    # Same day number, or the month's last day when the month is shorter.
    assert result.day == min(start.day, last)
    assert result >= start


@given(DATES, MONTHS, MONTHS)
def test_add_months_is_monotonic_and_never_skips_a_month(
    start: date, first: int, second: int
) -> None:
    low, high = sorted((first, second))
    assert add_months(start, low) <= add_months(start, high)
    # Clamping never drifts: one step of n months equals n months from the start date.
    assert add_months(start, high) == add_months(start, high)
    if start.day <= 28:
        assert add_months(add_months(start, low), high - low) == add_months(start, high)


@given(DATES)
def test_contract_month_from_a_month_end_is_the_next_month_end_at_most(start: date) -> None:
    due = PathSettings().contract_due(start)
    assert 28 <= (due - start).days <= 31
    next_month = add_months(date(start.year, start.month, 1), 1)
    assert (due.year, due.month) == (next_month.year, next_month.month)


@given(DATES)
def test_orientation_is_due_six_weeks_later_whatever_the_clock_change(start: date) -> None:
    due = PathSettings().orientation_due(start)
    assert (due - start).days == 42
    assert due.weekday() == start.weekday()


@given(st.integers(min_value=2000, max_value=2080), st.sampled_from([3, 10]), st.integers(-3, 3))
def test_deadlines_across_daylight_saving_changes_count_calendar_days(
    year: int, month: int, offset: int
) -> None:
    """A deadline near the last Sunday of March/October: its instant is midnight in Paris
    (23 or 25 hours after the previous one), and « today » is the Paris date."""
    change = last_sunday(year, month)
    day = change + timedelta(days=offset)
    instant = due_instant(day)
    local = instant.astimezone(PARIS)
    assert local.time() == time(0, 0) and local.date() == day + timedelta(days=1)
    previous = due_instant(day - timedelta(days=1))
    hours = (instant - previous).total_seconds() / 3600
    assert hours == (23 if (month == 3 and day == change) else 25 if day == change else 24)
    # One second before the due instant is still the due day in Paris, not after it.
    assert paris_day(instant - timedelta(seconds=1)) == day
    assert paris_day(instant) == day + timedelta(days=1)
    assert days_left(day, instant - timedelta(seconds=1)) == 0
    assert days_left(day, instant) == -1


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2080, 12, 31)))
@settings(max_examples=300)
def test_paris_day_is_the_utc_day_or_the_next(naive: datetime) -> None:
    instant = naive.replace(tzinfo=UTC)
    day = paris_day(instant)
    assert day in (naive.date(), naive.date() + timedelta(days=1))
    # Paris is UTC+1 or UTC+2: late UTC evenings are already tomorrow.
    if naive.hour < 22:
        assert day == naive.date()
    else:
        assert day == naive.date() + timedelta(days=1) or naive.hour == 22


def test_utc_evening_before_a_month_end_is_already_the_next_day_in_paris() -> None:
    # 31 March 2026 23:30 UTC is 1 April 01:30 in Paris (summer time since 29 March).
    assert paris_day(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == date(2026, 4, 1)
    # 28 October 2026 23:30 UTC is 29 October 00:30 (winter time since 25 October).
    assert paris_day(datetime(2026, 10, 28, 23, 30, tzinfo=UTC)) == date(2026, 10, 29)
    with pytest.raises(ValueError):
        paris_day(datetime(2026, 1, 1))


@given(DATES, st.booleans())
def test_social_review_six_or_twelve_months(decided: date, obstacle: bool) -> None:
    facts = path_facts(
        PathSettings(),
        exited=False,
        rights_opened_on=None,
        decisions=[DecisionFacts(decided, decided, "social", "sante" if obstacle else None)],
        contracts=[],
    )
    assert facts.track_review_due_on == add_months(decided, 12 if obstacle else 6)


def test_a_new_decision_opens_a_new_month_for_the_contract() -> None:
    first = DecisionFacts(date(2026, 1, 10), date(2026, 1, 12), "professional", None)
    signed = ContractFacts("contrat_engagement", 1, "signed", date(2026, 2, 1), None, 900, 900)
    facts = path_facts(
        PathSettings(), exited=False, rights_opened_on=None, decisions=[first], contracts=[signed]
    )
    assert facts.contract_due_on is None
    second = DecisionFacts(date(2026, 5, 31), date(2026, 5, 31), "social", None)
    facts = path_facts(
        PathSettings(),
        exited=False,
        rights_opened_on=None,
        decisions=[first, second],
        contracts=[signed],
    )
    assert facts.contract_due_on == date(2026, 6, 30)
    # A review that keeps the track is not a new orientation: the signed contract stands.
    review = DecisionFacts(date(2026, 5, 31), date(2026, 5, 31), "professional", None)
    facts = path_facts(
        PathSettings(),
        exited=False,
        rights_opened_on=None,
        decisions=[first, review],
        contracts=[signed],
    )
    assert facts.contract_due_on is None
    # An older contract answered the decision of its time, not a decision made after it.
    legacy = ContractFacts("cer", 1, "signed", date(2024, 6, 1), None, 900)
    old = DecisionFacts(date(2024, 5, 2), date(2024, 5, 3), "professional", None)
    facts = path_facts(
        PathSettings(), exited=False, rights_opened_on=None, decisions=[old], contracts=[legacy]
    )
    assert facts.contract_due_on is None and facts.legacy_contract
    facts = path_facts(
        PathSettings(),
        exited=False,
        rights_opened_on=None,
        decisions=[old, second],
        contracts=[legacy],
    )
    assert facts.contract_due_on == date(2026, 6, 30) and facts.legacy_contract


@given(st.integers(0, 900), st.integers(0, 2000))
def test_below_floor_is_planned_under_the_persons_own_floor(floor: int, planned: int) -> None:
    contract = ContractFacts(
        "contrat_engagement", 1, "signed", date(2026, 2, 1), None, floor, planned
    )
    facts = path_facts(
        PathSettings(), exited=False, rights_opened_on=None, decisions=[], contracts=[contract]
    )
    assert facts.below_floor == (planned < floor)
    alerts = path_alerts(facts, PathSettings(), date(2026, 3, 1))
    assert (PathAlert.BELOW_FLOOR in alerts) == (planned < floor)


def test_exited_persons_have_no_deadline() -> None:
    facts = path_facts(
        PathSettings(), exited=True, rights_opened_on=date(2020, 1, 1), decisions=[], contracts=[]
    )
    assert path_alerts(facts, PathSettings(), date(2026, 1, 1)) == ()


@given(DATES, st.integers(0, 60), st.integers(-100, 100))
def test_an_alert_shows_exactly_from_lead_days_before_its_deadline(
    opened: date, lead: int, shift: int
) -> None:
    settings_ = PathSettings(alert_lead_days=lead)
    facts = path_facts(settings_, exited=False, rights_opened_on=opened, decisions=[], contracts=[])
    assert facts.orientation_due_on is not None
    today = facts.orientation_due_on + timedelta(days=shift)
    shown = PathAlert.ORIENTATION_DUE in path_alerts(facts, settings_, today)
    assert shown == (shift >= -lead)


def test_settings_refuse_nonsense_and_round_trip() -> None:
    custom = PathSettings(orientation_weeks=4, legacy_conversion_deadline=date(2026, 12, 31))
    assert PathSettings.from_dict(custom.to_dict()) == custom
    with pytest.raises(ValidationError):
        PathSettings(contract_months=0)
    with pytest.raises(ValidationError):
        PathSettings(social_review_months=12, social_review_extended_months=6)
    with pytest.raises(ValidationError):
        PathSettings.from_dict({"orientation_days": 3})
    with pytest.raises(ValidationError):
        PathSettings.from_dict({"legacy_conversion_deadline": "demain"})
