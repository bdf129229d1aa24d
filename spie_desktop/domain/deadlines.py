"""Deadline arithmetic of the accompaniment path, in Europe/Paris calendar terms.

The law counts in calendar units: « six semaines », « un mois », « six mois » from a date
(art. D. 262-65-2, D. 262-65-2-1 CASF; D. 5411-14-1 code du travail). A month is added the
way a French civil-law deadline is: same day number in the target month, or its last day
when that month is shorter (31 January + 1 month = 28 or 29 February). Days never depend on
the time of day or on daylight-saving changes: the day of an instant is its date in Paris,
and a deadline falls due at the end of its day in Paris (``due_instant``).

The durations are department settings (:class:`PathSettings`) with the defaults of the law.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from spie_desktop.errors import ValidationError

PARIS = ZoneInfo("Europe/Paris")


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, clamped to the target month's last day."""
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last))


def add_weeks(start: date, weeks: int) -> date:
    return start + timedelta(weeks=weeks)


def paris_day(instant: datetime) -> date:
    """The calendar day in Paris of an aware instant (what « today » means for a deadline)."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime refused: pass a timezone-aware value")
    return instant.astimezone(PARIS).date()


def due_instant(day: date) -> datetime:
    """The instant a deadline of ``day`` passes: the next midnight in Paris, in UTC (so that
    subtracting two of them counts real hours: Python subtracts same-zone datetimes as
    wall-clock times, which hides the 23- and 25-hour days)."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=PARIS).astimezone(UTC)


def days_left(day: date, now: datetime) -> int:
    """Calendar days from today in Paris to ``day`` (negative once late)."""
    return (day - paris_day(now)).days


@dataclass(frozen=True)
class PathSettings:
    """The department's durations (defaults: the law's)."""

    orientation_weeks: int = 6
    contract_months: int = 1
    social_review_months: int = 6
    social_review_extended_months: int = 12
    contract_ending_days: int = 30
    alert_lead_days: int = 14
    legacy_conversion_deadline: date = date(2027, 1, 1)
    weekly_floor_minutes: int = 15 * 60

    def __post_init__(self) -> None:
        limits = {
            "orientation_weeks": (1, 52),
            "contract_months": (1, 12),
            "social_review_months": (1, 24),
            "social_review_extended_months": (1, 24),
            "contract_ending_days": (0, 365),
            "alert_lead_days": (0, 365),
            "weekly_floor_minutes": (0, 15 * 60),
        }
        for name, (low, high) in limits.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValidationError(
                    f"Paramètre de parcours invalide : {name} ({low} à {high}).",
                    field=name,
                    code="invalid_setting",
                )
        if self.social_review_extended_months < self.social_review_months:
            raise ValidationError(
                "Le réexamen prolongé ne peut précéder le réexamen ordinaire.",
                field="social_review_extended_months",
                code="invalid_setting",
            )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["legacy_conversion_deadline"] = self.legacy_conversion_deadline.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PathSettings:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValidationError(
                f"Paramètre de parcours inconnu : {', '.join(sorted(unknown))}.",
                code="invalid_setting",
            )
        values = dict(data)
        if "legacy_conversion_deadline" in values:
            try:
                values["legacy_conversion_deadline"] = date.fromisoformat(
                    str(values["legacy_conversion_deadline"])
                )
            except ValueError:
                raise ValidationError(
                    "Date limite de conversion invalide (AAAA-MM-JJ).",
                    field="legacy_conversion_deadline",
                    code="invalid_setting",
                ) from None
        return cls(**values)

    def fingerprint(self) -> str:
        return ",".join(f"{key}={value}" for key, value in sorted(self.to_dict().items()))

    # -- the rules --------------------------------------------------------------------------

    def orientation_due(self, rights_opened_on: date) -> date:
        """Six weeks after the opening (or transfer) of the right (D. 262-65-2 CASF)."""
        return add_weeks(rights_opened_on, self.orientation_weeks)

    def contract_due(self, notified_on: date) -> date:
        """One month after the notification of the orientation (D. 5411-14-1 c. trav.)."""
        return add_months(notified_on, self.contract_months)

    def social_review_due(self, decided_on: date, *, extended: bool) -> date:
        """Six months, or up to twelve with an obstacle of D. 262-65-2-1 CASF."""
        months = self.social_review_extended_months if extended else self.social_review_months
        return add_months(decided_on, months)


_current = PathSettings()


def path_settings() -> PathSettings:
    """The department settings in force in this process (set by the composition root)."""
    return _current


def set_path_settings(settings: PathSettings) -> None:
    global _current
    _current = settings


# -- a person's path, reduced to its deadlines -----------------------------------------------

LEGACY_TYPES = frozenset({"cer", "ppae", "cej", "pacea"})
ENGAGEMENT_TYPE = "contrat_engagement"
SOCIAL_TRACK = "social"
CURRENT_STATES = frozenset({"draft", "signed"})


@dataclass(frozen=True)
class DecisionFacts:
    decided_on: date
    notified_on: date | None
    track: str
    review_obstacle: str | None
    created_at: datetime | None = None


@dataclass(frozen=True)
class ContractFacts:
    contract_type: str
    version: int
    state: str
    signed_on: date | None
    ends_on: date | None
    weekly_floor_minutes: int
    planned_minutes_week: int = 0
    created_at: datetime | None = None


@dataclass(frozen=True)
class PathFacts:
    """The deadlines of one person's path (``None``: the deadline does not apply)."""

    orientation_due_on: date | None = None
    contract_due_on: date | None = None
    track_review_due_on: date | None = None
    contract_ends_on: date | None = None
    legacy_contract: bool = False
    weekly_floor_minutes: int | None = None
    planned_minutes_week: int = 0
    below_floor: bool = False


def latest_decision(decisions: list[DecisionFacts]) -> DecisionFacts | None:
    if not decisions:
        return None
    return max(decisions, key=_decision_key)


def opening_decision(decisions: list[DecisionFacts]) -> DecisionFacts | None:
    """The decision that set the current track: the first of the latest run of decisions
    on the same track (later ones were reviews that kept it)."""
    ordered = sorted(decisions, key=_decision_key)
    if not ordered:
        return None
    opening = ordered[-1]
    for decision in reversed(ordered[:-1]):
        if decision.track != opening.track:
            break
        opening = decision
    return opening


def _decision_key(decision: DecisionFacts) -> tuple[date, datetime]:
    return (decision.decided_on, decision.created_at or datetime.min.replace(tzinfo=UTC))


def current_contract(contracts: list[ContractFacts]) -> ContractFacts | None:
    """The version in force or being drawn up: the newest draft or signed one."""
    live = [c for c in contracts if c.state in CURRENT_STATES]
    if not live:
        return None
    return max(live, key=lambda c: (c.version, c.created_at or datetime.min.replace(tzinfo=PARIS)))


def path_facts(
    settings: PathSettings,
    *,
    exited: bool,
    rights_opened_on: date | None,
    decisions: list[DecisionFacts],
    contracts: list[ContractFacts],
) -> PathFacts:
    """The deadlines the law sets for a person, from their decisions and contracts."""
    if exited:
        return PathFacts()
    decision = latest_decision(decisions)
    orientation_due = None
    contract_due = None
    review_due = None
    if decision is None:
        if rights_opened_on is not None:
            orientation_due = settings.orientation_due(rights_opened_on)
    else:
        # The month runs from the notification (from the decision while not yet notified)
        # of the decision that set the current track; a contract signed before it does not
        # answer it: a new decision opens a new month (D. 5411-14-1 code du travail). A
        # review that keeps the track is not a new orientation and opens nothing. An older
        # contract (CER, PPAE…) signed after a pre-2025 decision answered it in its time.
        opening = opening_decision(decisions) or decision
        notified = opening.notified_on or opening.decided_on
        answered = any(
            c.signed_on is not None
            and c.signed_on >= opening.decided_on
            and c.state in ("signed", "renewed", "ended")
            for c in contracts
        )
        if not answered:
            contract_due = settings.contract_due(notified)
        if decision.track == SOCIAL_TRACK:
            review_due = settings.social_review_due(
                decision.decided_on, extended=decision.review_obstacle is not None
            )
    contract = current_contract(contracts)
    ends_on = None
    legacy = False
    floor: int | None = None
    planned = 0
    below = False
    if contract is not None and contract.state == "signed":
        ends_on = contract.ends_on
        legacy = contract.contract_type in LEGACY_TYPES
        if not legacy:
            floor = contract.weekly_floor_minutes
            planned = contract.planned_minutes_week
            below = planned < floor
    return PathFacts(
        orientation_due_on=orientation_due,
        contract_due_on=contract_due,
        track_review_due_on=review_due,
        contract_ends_on=ends_on,
        legacy_contract=legacy,
        weekly_floor_minutes=floor,
        planned_minutes_week=planned,
        below_floor=below,
    )


# -- alerts ----------------------------------------------------------------------------------


class PathAlert:
    ORIENTATION_DUE = "orientation_due"
    CONTRACT_TO_SIGN = "contract_to_sign"
    TRACK_REVIEW_DUE = "track_review_due"
    CONTRACT_ENDING = "contract_ending"
    LEGACY_TO_CONVERT = "legacy_to_convert"
    BELOW_FLOOR = "below_floor"


PATH_ALERTS = (
    PathAlert.ORIENTATION_DUE,
    PathAlert.CONTRACT_TO_SIGN,
    PathAlert.TRACK_REVIEW_DUE,
    PathAlert.CONTRACT_ENDING,
    PathAlert.LEGACY_TO_CONVERT,
    PathAlert.BELOW_FLOOR,
)


def alert_horizon(settings: PathSettings, alert: str, today: date) -> date:
    """A dated alert shows once its deadline is on or before this day."""
    if alert == PathAlert.CONTRACT_ENDING:
        return today + timedelta(days=settings.contract_ending_days)
    return today + timedelta(days=settings.alert_lead_days)


def path_alerts(facts: PathFacts, settings: PathSettings, today: date) -> tuple[str, ...]:
    dated = {
        PathAlert.ORIENTATION_DUE: facts.orientation_due_on,
        PathAlert.CONTRACT_TO_SIGN: facts.contract_due_on,
        PathAlert.TRACK_REVIEW_DUE: facts.track_review_due_on,
        PathAlert.CONTRACT_ENDING: facts.contract_ends_on,
    }
    alerts = [
        alert
        for alert, due in dated.items()
        if due is not None and due <= alert_horizon(settings, alert, today)
    ]
    if facts.legacy_contract:
        alerts.append(PathAlert.LEGACY_TO_CONVERT)
    if facts.below_floor:
        alerts.append(PathAlert.BELOW_FLOOR)
    return tuple(alerts)


def alert_due_on(facts: PathFacts, alert: str, settings: PathSettings) -> date | None:
    return {
        PathAlert.ORIENTATION_DUE: facts.orientation_due_on,
        PathAlert.CONTRACT_TO_SIGN: facts.contract_due_on,
        PathAlert.TRACK_REVIEW_DUE: facts.track_review_due_on,
        PathAlert.CONTRACT_ENDING: facts.contract_ends_on,
        PathAlert.LEGACY_TO_CONVERT: settings.legacy_conversion_deadline,
    }.get(alert)
