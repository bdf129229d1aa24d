"""The supervisor's team dashboard: figures per referent and for the team, a 12-month trend.

One read model (:class:`TeamDashboard`) built in one read transaction from two grouped
queries (persons by referent, appointments by referent) and one for the trend, so that a
team of 20 referents × 150 persons with four years of history is counted in a few tens of
milliseconds (``bench/ui.py``).

Every figure names the exact list behind it (:func:`figure_list`): a caseload filter
(:class:`~spie_desktop.services.caseload.CaseloadFilter`, counted with the very clauses the
list uses, :func:`~spie_desktop.services.caseload.filter_conditions`) or an appointments
filter (:class:`AppointmentFilter`, the no-shows of a period).
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    and_,
    bindparam,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from spie_desktop.domain.deadlines import PARIS, PathAlert, add_months, paris_day, path_settings
from spie_desktop.domain.enums import AppointmentStatus, Role
from spie_desktop.domain.models import Appointment, Person, Referent, person_name
from spie_desktop.services.caseload import (
    ALERT_NO_CONTACT_DAYS,
    CaseloadFilter,
    filter_conditions,
)
from spie_desktop.store.local_models import PersonSummary

HELD = (AppointmentStatus.SEEN.value, AppointmentStatus.NOSHOW.value)
TREND_MONTHS = 12


class Figure:
    """The dashboard's figures, in display order."""

    CASELOAD = "caseload"
    NO_CONTACT = "no_contact"
    MISSED = "missed"
    REPORTS = "reports"
    OVERDUE = "overdue"
    DEADLINES = "deadlines"
    CONTRACTS_ENDING = "contracts_ending"
    NOSHOW_3M = "noshow_3m"
    NOSHOW_12M = "noshow_12m"


PERSON_FIGURES = (
    Figure.CASELOAD,
    Figure.NO_CONTACT,
    Figure.MISSED,
    Figure.REPORTS,
    Figure.OVERDUE,
    Figure.DEADLINES,
    Figure.CONTRACTS_ENDING,
)
RATE_FIGURES = (Figure.NOSHOW_3M, Figure.NOSHOW_12M)
FIGURES = PERSON_FIGURES + RATE_FIGURES
RATE_MONTHS = {Figure.NOSHOW_3M: 3, Figure.NOSHOW_12M: 12}


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole team, one referent, or the persons without a referent."""

    referent_id: uuid.UUID | None = None
    unassigned: bool = False

    @property
    def is_team(self) -> bool:
        return self.referent_id is None and not self.unassigned


TEAM = Scope()
UNASSIGNED = Scope(unassigned=True)


@dataclass(frozen=True)
class AppointmentFilter:
    """Appointments starting in [since, until) with one of ``statuses`` (all if empty)."""

    since: datetime | None = None
    until: datetime | None = None
    statuses: tuple[str, ...] = ()
    referent_id: uuid.UUID | None = None
    without_referent: bool = False


@dataclass(frozen=True)
class Rate:
    """No-shows among the appointments held or missed (seen + no-show) of a period."""

    noshow: int
    held: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.noshow / self.held if self.held else None


@dataclass(frozen=True)
class ScopeFigures:
    scope: Scope
    name: str
    counts: dict[str, int]
    rates: dict[str, Rate]

    def value(self, figure: str) -> int:
        """The size of the list the figure opens (for a rate: its no-shows)."""
        if figure in RATE_FIGURES:
            return self.rates[figure].noshow
        return self.counts[figure]


@dataclass(frozen=True)
class MonthPoint:
    month: date  # the 1st of the month (Paris)
    since: datetime
    until: datetime
    seen: int
    noshow: int

    @property
    def rate(self) -> Rate:
        return Rate(self.noshow, self.seen + self.noshow)


@dataclass(frozen=True)
class TeamDashboard:
    now: datetime
    no_contact_days: int
    team: ScopeFigures
    referents: tuple[ScopeFigures, ...]  # every referent, then « sans référent » if any
    trend: tuple[MonthPoint, ...]
    trend_scope: Scope = field(default_factory=Scope)
    # [seen, no-show] per trend month, by the appointment's referent (None: no referent):
    # every row's own trend, without another query (the screen's per-referent chart).
    monthly: dict[uuid.UUID | None, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    def rows(self) -> tuple[ScopeFigures, ...]:
        return (*self.referents, self.team)

    def trend_for(self, scope: Scope) -> tuple[MonthPoint, ...]:
        """The 12-month trend of the team, of one referent, or of « sans référent »."""
        if scope.is_team:
            chosen = list(self.monthly.values())
        else:
            key = None if scope.unassigned else scope.referent_id
            chosen = [self.monthly[key]] if key in self.monthly else []
        return tuple(
            replace(
                point,
                seen=sum(values[i][0] for values in chosen),
                noshow=sum(values[i][1] for values in chosen),
            )
            for i, point in enumerate(self.trend)
        )


@dataclass(frozen=True)
class AppointmentRow:
    appointment_id: uuid.UUID
    person_id: uuid.UUID
    person_name: str
    referent_id: uuid.UUID | None
    referent_name: str | None
    starts_at: datetime
    status: str
    purpose: str
    mode: str


def _paris_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=PARIS)


def rate_window(figure: str, now: datetime) -> tuple[datetime, datetime]:
    """[since, until): from the same Paris day 3 (or 12) months ago to now."""
    since = _paris_midnight(add_months(paris_day(now), -RATE_MONTHS[figure]))
    return since, now


def person_filter(figure: str, scope: Scope, now: datetime, days: int) -> CaseloadFilter:
    """The caseload list a person figure counts."""
    base = CaseloadFilter(
        include_exited=False,
        referent_id=scope.referent_id,
        without_referent=scope.unassigned,
    )
    filters = {
        Figure.CASELOAD: base,
        Figure.NO_CONTACT: CaseloadFilter(
            include_exited=False,
            referent_id=scope.referent_id,
            without_referent=scope.unassigned,
            not_seen_for_days=days,
        ),
        Figure.MISSED: _with(base, missed_not_rescheduled=True),
        Figure.REPORTS: _with(base, outcome_pending=True),
        Figure.OVERDUE: _with(base, overdue_actions=True),
        Figure.DEADLINES: _with(base, deadline_missed=True),
        Figure.CONTRACTS_ENDING: _with(base, path_alert=PathAlert.CONTRACT_ENDING),
    }
    return filters[figure]


def _with(base: CaseloadFilter, **changes: Any) -> CaseloadFilter:
    return replace(base, **changes)


def noshow_filter(
    scope: Scope, since: datetime, until: datetime, statuses: tuple[str, ...] = ()
) -> AppointmentFilter:
    return AppointmentFilter(
        since=since,
        until=until,
        statuses=statuses or (AppointmentStatus.NOSHOW.value,),
        referent_id=scope.referent_id,
        without_referent=scope.unassigned,
    )


def figure_list(
    figure: str, scope: Scope, now: datetime, days: int = ALERT_NO_CONTACT_DAYS
) -> CaseloadFilter | AppointmentFilter:
    """The exact list behind a figure of the dashboard."""
    if figure in RATE_FIGURES:
        since, until = rate_window(figure, now)
        return noshow_filter(scope, since, until)
    return person_filter(figure, scope, now, days)


def appointment_conditions(flt: AppointmentFilter) -> list[Any]:
    """The WHERE clauses of ``flt`` on Appointment ⋈ Person."""
    return [Appointment.deleted_at.is_(None), Person.deleted_at.is_(None), *_window(flt)]


def _window(flt: AppointmentFilter) -> list[Any]:
    """The clauses of ``flt`` on the appointment alone (dates, statuses, referent)."""
    conditions: list[Any] = []
    if flt.since is not None:
        conditions.append(Appointment.starts_at >= flt.since)
    if flt.until is not None:
        conditions.append(Appointment.starts_at < flt.until)
    if flt.statuses:
        conditions.append(Appointment.status.in_(flt.statuses))
    if flt.without_referent:
        conditions.append(Appointment.referent_id.is_(None))
    elif flt.referent_id is not None:
        conditions.append(Appointment.referent_id == flt.referent_id)
    return conditions


def appointment_rows(
    session: Session, flt: AppointmentFilter, *, limit: int | None = None, offset: int = 0
) -> list[AppointmentRow]:
    """The appointments of ``flt``, newest first (a drill-down list), one page of them.

    The page is chosen on the appointments alone, walking ``ix_appointment_status_start``
    (status, date, person; rowid) backwards and stopping after the page (the deleted
    persons as one subquery), then only its rows are joined to the names: a page of 200
    among the team's 6,000 no-shows of a year is read, not 25,000 sorted and joined."""
    rowid: ColumnElement[int] = literal_column("appointment.rowid", Integer)
    conditions: list[Any] = [
        Appointment.deleted_at.is_(None),
        Appointment.person_id.not_in(select(Person.id).where(Person.deleted_at.is_not(None))),
        *_window(flt),
    ]
    page = (
        select(rowid.label("rid"), Appointment.starts_at, Appointment.person_id)
        .select_from(Appointment)
        .where(*conditions)
        .order_by(Appointment.starts_at.desc(), Appointment.person_id.desc(), rowid.desc())
        .offset(max(offset, 0))
    )
    if limit is not None:
        page = page.limit(limit)
    chosen = page.subquery("page")
    statement = (
        select(
            Appointment.id,
            Appointment.person_id,
            Person.last_name,
            Person.first_name,
            Appointment.referent_id,
            Referent.first_name,
            Referent.last_name,
            Appointment.starts_at,
            Appointment.status,
            Appointment.purpose,
            Appointment.mode,
        )
        .select_from(chosen)
        .join(Appointment, rowid == chosen.c.rid)
        .join(Person, Person.id == Appointment.person_id)
        .outerjoin(Referent, Referent.id == Appointment.referent_id)
        .order_by(chosen.c.starts_at.desc(), chosen.c.person_id.desc(), chosen.c.rid.desc())
    )
    return [
        AppointmentRow(
            appointment_id=row[0],
            person_id=row[1],
            person_name=person_name(row[2], row[3]),
            referent_id=row[4],
            referent_name=f"{row[5]} {row[6]}" if row[5] else None,
            starts_at=row[7],
            status=row[8],
            purpose=row[9],
            mode=row[10],
        )
        for row in session.execute(statement)
    ]


def appointment_count(session: Session, flt: AppointmentFilter) -> int:
    statement = (
        select(func.count())
        .select_from(Appointment)
        .join(Person, Person.id == Appointment.person_id)
        .where(*appointment_conditions(flt))
    )
    return int(session.execute(statement).scalar_one())


def referent_names(session: Session) -> dict[uuid.UUID, str]:
    """Every referent of the team (active, or still holding persons), by name."""
    holding = select(Person.referent_id).where(Person.deleted_at.is_(None)).distinct()
    rows = session.execute(
        select(Referent.id, Referent.first_name, Referent.last_name)
        .where(
            Referent.deleted_at.is_(None),
            (and_(Referent.role == Role.REFERENT.value, Referent.active.is_(True)))
            | Referent.id.in_(holding),
        )
        .order_by(Referent.last_name, Referent.first_name, Referent.id)
    )
    return {row[0]: f"{row[1]} {row[2]}" for row in rows}


def team_dashboard(
    session: Session,
    now: datetime,
    *,
    days: int = ALERT_NO_CONTACT_DAYS,
    trend_scope: Scope = TEAM,
) -> TeamDashboard:
    """The dashboard's figures (see the module docstring)."""
    names: dict[uuid.UUID | None, str] = {k: v for k, v in referent_names(session).items()}
    path_settings()  # loaded once here, not inside the grouped query's clause building
    # Persons: one grouped pass, one filtered count per figure (the lists' own clauses).
    group = Person.referent_id
    person_columns = [
        func.count().filter(and_(*filter_conditions(person_filter(f, TEAM, now, days), now)))
        for f in PERSON_FIGURES
    ]
    by_referent: dict[uuid.UUID | None, dict[str, int]] = {}
    statement = (
        select(group, *person_columns)
        .select_from(Person)
        .join(PersonSummary, PersonSummary.person_id == Person.id)
        .where(Person.deleted_at.is_(None))
        .group_by(group)
    )
    for row in session.execute(statement):
        by_referent[row[0]] = dict(zip(PERSON_FIGURES, (int(v) for v in row[1:]), strict=True))
    # Appointments: no-shows and held ones over 3 and 12 months, and the monthly trend, by the
    # appointment's referent, in one range scan of ix_appointment_start_status.
    rates_by, trends = _outcomes(session, now)
    empty_counts = dict.fromkeys(PERSON_FIGURES, 0)
    empty_rates = {figure: Rate(0, 0) for figure in RATE_FIGURES}
    keys: list[uuid.UUID | None] = list(names)
    others = {key for key in (*by_referent, *rates_by) if key is not None and key not in names}
    if others:  # a former referent (inactive) whose appointments are still in the window
        known = session.execute(
            select(Referent.id, Referent.first_name, Referent.last_name).where(
                Referent.id.in_(others)
            )
        )
        names.update({row[0]: f"{row[1]} {row[2]}" for row in known})
        for key in sorted(others, key=lambda k: (names.get(k, "?"), k.hex)):
            keys.append(key)
            names.setdefault(key, "?")
    rows = [
        ScopeFigures(
            Scope(referent_id=key),
            names[key] or "?",
            by_referent.get(key, empty_counts),
            rates_by.get(key, empty_rates),
        )
        for key in keys
        if key is not None
    ]
    if None in by_referent or None in rates_by:
        rows.append(
            ScopeFigures(
                UNASSIGNED,
                "Sans référent",
                by_referent.get(None, empty_counts),
                rates_by.get(None, empty_rates),
            )
        )
    team_counts = {f: sum(r.counts[f] for r in rows) for f in PERSON_FIGURES}
    team_rates = {
        f: Rate(sum(r.rates[f].noshow for r in rows), sum(r.rates[f].held for r in rows))
        for f in RATE_FIGURES
    }
    team = ScopeFigures(TEAM, "Équipe", team_counts, team_rates)
    return TeamDashboard(
        now=now,
        no_contact_days=days,
        team=team,
        referents=tuple(rows),
        trend=tuple(_trend_of(trends, trend_scope, now)),
        trend_scope=trend_scope,
        monthly={
            key: tuple((values[0], values[1]) for values in months)
            for key, months in trends.items()
        },
    )


def trend_months(now: datetime) -> list[tuple[date, datetime, datetime]]:
    """The last 12 Paris months, this one included: (1st of month, since, until)."""
    first = paris_day(now).replace(day=1)
    months = []
    for back in range(TREND_MONTHS - 1, -1, -1):
        start = add_months(first, -back)
        end = add_months(start, 1)
        months.append((start, _paris_midnight(start), min(_paris_midnight(end), now)))
    return months


_Key = uuid.UUID | None


def _boundaries(now: datetime) -> list[datetime]:
    """The instants that cut the last 12 months into disjoint buckets: each rate window and
    each trend month is a union of consecutive buckets (each appointment counted once)."""
    cuts = {rate_window(figure, now)[0] for figure in RATE_FIGURES}
    cuts.update(since for _month, since, _until in trend_months(now))
    cuts.add(now)
    return sorted(cuts)


@functools.lru_cache(maxsize=8)
def _outcome_statements(buckets: int, excluded: bool) -> tuple[Any, Any]:
    """Per referent (and for « no referent »), one count per (bucket, status): built once per
    shape and executed with bound instants (``b0``…), so that a refresh neither rebuilds
    nor recompiles hundreds of subqueries. Each count is a seek into the covering
    ``ix_appointment_start_status`` (status, referent, date, person, deleted)."""
    kind = Appointment.__table__.c.starts_at.type
    cuts = [bindparam(f"b{i}", type_=kind) for i in range(buckets + 1)]
    deleted: BindParameter[Any] = bindparam("deleted", expanding=True)

    def counts(referent: Any) -> list[Any]:
        match = (
            Appointment.referent_id.is_(None)
            if referent is None
            else Appointment.referent_id == referent
        )
        return [
            select(func.count())
            .select_from(Appointment)
            .where(
                Appointment.status == status,
                match,
                Appointment.starts_at >= cuts[i],
                Appointment.starts_at < cuts[i + 1],
                Appointment.deleted_at.is_(None),
                *([Appointment.person_id.not_in(deleted)] if excluded else []),
            )
            .scalar_subquery()
            for i in range(buckets)
            for status in HELD
        ]

    per_referent = select(Referent.id, *counts(Referent.id)).select_from(Referent)
    unassigned = select(*counts(None))
    return per_referent, unassigned


def _outcomes(
    session: Session, now: datetime
) -> tuple[dict[_Key, dict[str, Rate]], dict[_Key, list[list[int]]]]:
    """Per referent of the appointment: the rates, and per trend month [seen, no-show]."""
    cuts = _boundaries(now)
    buckets = len(cuts) - 1
    # Persons deleted by the server are few (usually none): read once, not in every count.
    deleted = list(
        session.execute(select(Person.id).where(Person.deleted_at.is_not(None))).scalars()
    )
    per_referent, unassigned = _outcome_statements(buckets, bool(deleted))
    params: dict[str, Any] = {f"b{i}": cut for i, cut in enumerate(cuts)}
    if deleted:
        params["deleted"] = deleted
    results: list[tuple[_Key, list[int]]] = [
        (row[0], [int(v) for v in row[1:]]) for row in session.execute(per_referent, params)
    ]
    results.append((None, [int(v) for v in session.execute(unassigned, params).one()]))
    windows = [rate_window(figure, now) for figure in RATE_FIGURES]
    windows += [(since, until) for _month, since, until in trend_months(now)]
    spans = [
        [i for i in range(buckets) if since <= cuts[i] and cuts[i + 1] <= until]
        for since, until in windows
    ]
    rates: dict[_Key, dict[str, Rate]] = {}
    trend: dict[_Key, list[list[int]]] = {}
    for referent, values in results:
        if not any(values):
            continue
        pairs = [  # per window: [seen, no-show]
            [sum(values[2 * i] for i in span), sum(values[2 * i + 1] for i in span)]
            for span in spans
        ]
        rates[referent] = {
            figure: Rate(pairs[i][1], pairs[i][0] + pairs[i][1])
            for i, figure in enumerate(RATE_FIGURES)
        }
        trend[referent] = pairs[len(RATE_FIGURES) :]
    return rates, trend


def _trend_of(trends: dict[_Key, list[list[int]]], scope: Scope, now: datetime) -> list[MonthPoint]:
    months = trend_months(now)
    if scope.is_team:
        chosen = list(trends.values())
    else:
        chosen = [trends.get(None if scope.unassigned else scope.referent_id, [])]
    points = []
    for index, (month, since, until) in enumerate(months):
        seen = sum(values[index][0] for values in chosen if values)
        missed = sum(values[index][1] for values in chosen if values)
        points.append(MonthPoint(month, since, until, seen, missed))
    return points


def month_noshow_filter(point: MonthPoint, scope: Scope) -> AppointmentFilter:
    """The no-shows of one month of the trend (what its bar opens)."""
    return noshow_filter(scope, point.since, point.until)
