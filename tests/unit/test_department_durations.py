"""The deadline durations come from the department's settings (issue 13, What 4): property
tests across month ends and leap years, with the values the server's model accepts — and
the values it refuses never reach the deadlines."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spie_desktop.domain.department_settings import (
    DepartmentSettingsValues,
    parse_text_value,
    validate_values,
    with_value,
)
from spie_desktop.errors import ValidationError

MONTH_ENDS = st.builds(
    lambda year, month, back: (
        date(year, month, calendar.monthrange(year, month)[1]) - timedelta(days=back)
    ),
    st.integers(2020, 2032),
    st.integers(1, 12),
    st.integers(0, 3),
)
DAYS = st.one_of(MONTH_ENDS, st.dates(date(2020, 1, 1), date(2032, 12, 31)))


@given(start=DAYS, months=st.integers(1, 12), more=st.integers(0, 11))
def test_contract_due_follows_the_setting_across_month_ends(
    start: date, months: int, more: int
) -> None:
    shorter = validate_values({"contract_months": months}).path_settings()
    due = shorter.contract_due(start)
    index = start.year * 12 + start.month - 1 + months
    year, month0 = divmod(index, 12)
    assert (due.year, due.month) == (year, month0 + 1)
    last = calendar.monthrange(due.year, due.month)[1]
    assert due.day == min(start.day, last)  # 31 January + 1 month: 28 or 29 February
    longer = validate_values({"contract_months": min(12, months + more)}).path_settings()
    assert longer.contract_due(start) >= due  # a longer duration never brings it forward


@given(start=DAYS, weeks=st.integers(1, 52))
def test_orientation_due_is_the_set_number_of_weeks(start: date, weeks: int) -> None:
    settings = validate_values({"orientation_weeks": weeks}).path_settings()
    assert settings.orientation_due(start) - start == timedelta(weeks=weeks)


@given(start=DAYS, ordinary=st.integers(1, 24), extra=st.integers(0, 23))
def test_social_review_extended_never_before_ordinary(
    start: date, ordinary: int, extra: int
) -> None:
    extended = min(24, ordinary + extra)
    settings = validate_values(
        {"social_review_months": ordinary, "social_review_extended_months": extended}
    ).path_settings()
    assert settings.social_review_due(start, extended=True) >= settings.social_review_due(
        start, extended=False
    )


def test_defaults_are_the_law() -> None:
    law = DepartmentSettingsValues().path_settings()
    assert law.orientation_due(date(2025, 1, 1)) == date(2025, 2, 12)  # six weeks
    assert law.contract_due(date(2025, 1, 31)) == date(2025, 2, 28)  # one month
    assert law.social_review_due(date(2024, 8, 31), extended=False) == date(2025, 2, 28)
    assert law.social_review_due(date(2024, 2, 29), extended=True) == date(2025, 2, 28)
    assert law.legacy_conversion_deadline == date(2027, 1, 1)


@given(st.integers(-(10**6), 10**6))
def test_out_of_bounds_months_are_refused(value: int) -> None:
    current = DepartmentSettingsValues()
    if 1 <= value <= 12:
        assert with_value(current, "contract_months", value).contract_months == value
    else:
        with pytest.raises(ValidationError) as refused:
            with_value(current, "contract_months", value)
        assert refused.value.code == "invalid_setting"
        assert "contract_months" in refused.value.message


@pytest.mark.parametrize("raw", ["1.5", "1e3", "", "  ", "0x10", "٣", "True"])
def test_months_text_that_is_no_integer_is_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        parse_text_value("contract_months", raw)


def test_wire_types_are_strict() -> None:
    for data in ({"contract_months": "3"}, {"contract_months": True}, {"retention_months": 2.0}):
        with pytest.raises(ValidationError):
            validate_values(data)
    with pytest.raises(ValidationError):
        validate_values({"supervisors_may_reveal": "yes"})
