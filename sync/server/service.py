"""Push and pull as transactions on the server's database (no HTTP here)."""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, exists, literal, or_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from sync.protocol import (
    MAX_PULL_LIMIT,
    ChangeResult,
    DiffRequest,
    DiffResponse,
    DigestsResponse,
    ErrorCode,
    FilesRequest,
    FilesResponse,
    HandoverRequest,
    PushRequest,
    PushResponse,
    TombstoneResult,
    TombstonesRequest,
    TombstonesResponse,
)
from sync.schema import digest_text
from sync.server.changelog import Tx
from sync.server.db import read_tx, write_tx
from sync.server.digest import person_digests
from sync.server.errors import ApiError
from sync.server.handover import HandoverResult, hand_over
from sync.server.merge import (
    Actor,
    Merger,
    clamp_clocks,
    clock_report,
    load_replays,
    validate_batch,
)
from sync.server.models import (
    access,
    change_log,
    device,
    handover_request,
    purged_person,
    row_clock,
)
from sync.server.pull import Cursor, person_blocks, pull_page
from sync.server.sensitive import withhold_page, withholds
from sync.server.settings import ServerSettings
from sync.server.tombstone import entry_tombstone

log = logging.getLogger(__name__)

_RETRIES = 5


def _retryable(exc: DBAPIError) -> bool:
    """Serialization failures, deadlocks, a concurrent replay of the same change id."""
    if isinstance(exc, IntegrityError):
        return "change_id" in str(exc.orig) or "change_log" in str(exc.orig)
    code = getattr(exc.orig, "sqlstate", None)
    if code in ("40001", "40P01"):
        return True
    return isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower()


def push(
    engine: Engine, settings: ServerSettings, actor: Actor, request: PushRequest
) -> PushResponse:
    incoming = validate_batch(request.changes, actor)
    for attempt in range(_RETRIES):
        now = settings.now()
        try:
            return _push_once(engine, settings, actor, request, incoming, now)
        except DBAPIError as exc:
            if attempt == _RETRIES - 1 or not _retryable(exc):
                raise
            log.info("push retried after %s", type(exc.orig).__name__)
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _push_once(
    engine: Engine,
    settings: ServerSettings,
    actor: Actor,
    request: PushRequest,
    incoming: list[Any],
    now: Any,
) -> PushResponse:
    results: list[ChangeResult] = []
    with write_tx(engine) as connection:
        replays = load_replays(connection, [change.change_id for change in incoming])
        for change in incoming:
            previous = replays.get(change.change_id)
            if previous is not None and previous.content_hash != change.content_hash:
                raise ApiError(422, ErrorCode.CHANGE_ID_REUSED, change_id=change.change_id)
        fresh = [change for change in incoming if change.change_id not in replays]
        known = connection.execute(
            select(device.c.last_hlc, device.c.generation)
            .where(device.c.id == actor.device_id)
            .with_for_update()
        ).first()
        last_hlc = known.last_hlc if known else None
        stored_generation = known.generation if known else None
        offset = measured_offset(request.device_time, now)
        new_last, skew = clamp_clocks(
            fresh, last_hlc, now, settings.max_clock_ahead_ms, offset_ms=offset
        )
        tx = Tx(connection, now)
        merger = Merger(tx, actor)
        merger.seen_seq = seen_seq(request.cursor)
        outcomes = {change.change_id: merger.apply(change) for change in fresh}
        tx.flush()
        if settings.commit_delay_s:
            time.sleep(settings.commit_delay_s)
        for change in incoming:
            if change.change_id in replays:
                results.append(merger.replayed(change.change_id, replays[change.change_id]))
            else:
                results.append(outcomes[change.change_id].result(change.change_id))
        report = clock_report(skew, request.device_time, now, settings.max_clock_ahead_ms)
        values: dict[str, Any] = {"last_push_at": now, "last_seen_at": now, "last_hlc": new_last}
        if report is not None:
            values["clock_skew_ms"] = report.skew_ms
        elif request.device_time is not None:
            values["clock_skew_ms"] = 0
        restored = (
            request.generation is not None
            and stored_generation is not None
            and request.generation < stored_generation
        )
        generation = stored_generation
        if request.generation is not None and not restored:
            generation = max(request.generation, stored_generation or 0)
            values["generation"] = generation
        connection.execute(update(device).where(device.c.id == actor.device_id).values(**values))
    return PushResponse(
        results=results,
        server_time=now,
        clock=report,
        restored=restored,
        generation=generation,
    )


def measured_offset(device_time: Any, now: Any) -> int:
    """How far ahead the device's clock is (ms), from the time it sent with its push."""
    if device_time is None:
        return 0
    return int((device_time - now).total_seconds() * 1000)


def diff(engine: Engine, actor: Actor, request: DiffRequest) -> DiffResponse:
    """Reconciliation (CouchDB's revs_diff): which of the device's rows the server lacks
    or holds in an older state (a server restored from a backup)."""
    response = DiffResponse()
    with read_tx(engine) as connection:
        by_table: dict[str, dict[Any, str]] = {}
        for table, row_id, hlc in request.rows:
            by_table.setdefault(table, {})[row_id] = hlc
        for table, rows in by_table.items():
            ids = sorted(rows)
            found: dict[Any, tuple[str, dict[str, str]]] = {}
            for start in range(0, len(ids), 500):
                for row_id, hlc, clocks in connection.execute(
                    select(row_clock.c.row_id, row_clock.c.hlc, row_clock.c.clocks).where(
                        row_clock.c.table_name == table,
                        row_clock.c.row_id.in_(ids[start : start + 500]),
                    )
                ):
                    found[row_id] = (hlc, dict(clocks))
            for row_id in ids:
                held = found.get(row_id)
                if held is None:
                    response.missing.append((table, row_id))
                elif held[0] < rows[row_id]:
                    response.older.append((table, row_id, held[1]))
    return response


def tombstones(
    engine: Engine, settings: ServerSettings, actor: Actor, request: TombstonesRequest
) -> TombstonesResponse:
    """Tombstones a device presents after finding its cursor unknown (this server restored
    from a backup): each purge this server decided and no longer knows is applied again,
    each MAC it never made is refused (``sync.server.tombstone``)."""
    from sync.server.admin import PresentedTombstone, reapply_tombstones

    presented = [
        PresentedTombstone(t.person_id, t.purged_at, t.reason, t.mac) for t in request.tombstones
    ]
    for attempt in range(_RETRIES):
        try:
            answers = reapply_tombstones(engine, settings, f"appareil:{actor.device_id}", presented)
            break
        except DBAPIError as exc:  # two devices presenting the same tombstone at once
            if attempt == _RETRIES - 1 or not _retryable(exc):
                raise
            time.sleep(0.01 * (attempt + 1))
    return TombstonesResponse(
        results=[
            TombstoneResult(person_id=person_id, status=status)  # type: ignore[arg-type]
            if status in ("applied", "known")
            else TombstoneResult(person_id=person_id, status="refused", code=ErrorCode(status))
            for person_id, status in answers
        ]
    )


def digests(engine: Engine, actor: Actor) -> DigestsResponse:
    """The digest of every person of the device's scope (issue 10: which files differ)."""
    if actor.referent_id is None:  # pragma: no cover - devices always have an account
        raise ApiError(403, ErrorCode.AUTH_REQUIRED)
    with read_tx(engine) as connection:
        found = person_digests(connection, actor.referent_id)
    return DigestsResponse(
        persons=[(person, digest_text(*found[person])) for person in sorted(found)]
    )


def files(
    engine: Engine, settings: ServerSettings, actor: Actor, request: FilesRequest
) -> FilesResponse:
    """Whole files of persons of the device's scope (a repair after a digest mismatch);
    persons outside it are listed as missing, never sent."""
    if actor.referent_id is None:  # pragma: no cover - devices always have an account
        raise ApiError(403, ErrorCode.AUTH_REQUIRED)
    asked = sorted(set(request.person_ids))
    with read_tx(engine) as connection:
        visible = set(
            connection.execute(
                select(access.c.person_id).where(
                    access.c.referent_id == actor.referent_id,
                    access.c.to_seq.is_(None),
                    access.c.person_id.in_(asked),
                )
            ).scalars()
        )
        chosen = [person for person in asked if person in visible]
        page: dict[str, Any] = {"snapshot": person_blocks(connection, chosen), "changes": []}
        if withholds(actor):
            withhold_page(connection, page)  # issue 11: never a sensitive note's text
        hlc = connection.execute(
            select(row_clock.c.hlc)
            .where(row_clock.c.person_id.in_(chosen))
            .order_by(row_clock.c.hlc.desc())
            .limit(1)
        ).scalar_one_or_none()
        missing = [person for person in asked if person not in visible]
        tombstones = _tombstones_of(connection, actor.referent_id, missing)
    return FilesResponse.model_validate(
        {
            "snapshot": page["snapshot"],
            "missing": missing,
            "tombstones": tombstones,
            "hlc": hlc,
            "server_time": settings.now(),
        }
    )


def _tombstones_of(
    connection: Connection, referent_id: uuid.UUID, persons: list[uuid.UUID]
) -> list[dict[str, str]]:
    """The authenticated purge decisions (the log's purge entries) of those of ``persons``
    that were purged while this account followed them (as the log would have told it): a
    device that learns of a purge by asking for the file (after a full download, which
    carries no purge entry) keeps the decision too, to show it to a server restored from
    an older backup. Purges made before decisions were signed have no MAC: none given."""
    if not persons:
        return []
    # The log's rule (``sync.server.scope.visible_condition``): an access open at the purge.
    followed_then = exists(
        select(literal(1)).where(
            access.c.referent_id == referent_id,
            access.c.person_id == change_log.c.person_id,
            access.c.from_seq < change_log.c.seq,
            or_(access.c.to_seq.is_(None), access.c.to_seq >= change_log.c.seq),
        )
    )
    rows = connection.execute(
        select(change_log.c.person_id, change_log.c.fields)
        .where(
            change_log.c.kind == "purge",
            change_log.c.person_id.in_(persons),
            followed_then,
            change_log.c.person_id.in_(select(purged_person.c.person_id)),
        )
        .order_by(change_log.c.person_id, change_log.c.seq.desc())
    ).all()
    found: list[dict[str, str]] = []
    given: set[uuid.UUID] = set()
    for person_id, fields in rows:
        stone = entry_tombstone(person_id, fields)
        if stone is not None and person_id not in given:  # the newest signed decision
            given.add(person_id)
            found.append(stone)
    return found


def _handover_hash(request: HandoverRequest) -> str:
    content = json.dumps(
        [
            str(request.person_id),
            str(request.referent_id),
            str(request.from_referent_id or ""),
            (request.note or "").strip(),
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _replayed_handover(
    connection: Connection, actor: Actor, request: HandoverRequest, content_hash: str
) -> HandoverResult | None:
    """The first answer to a request sent again; a request id reused by another account or
    for another content is refused (``request_id_reused``)."""
    if request.request_id is None:
        return None
    seen = connection.execute(
        select(handover_request).where(handover_request.c.request_id == request.request_id)
    ).first()
    if seen is None:
        return None
    if seen.account_id != actor.account_id or seen.content_hash != content_hash:
        raise ApiError(409, ErrorCode.REQUEST_ID_REUSED)
    return HandoverResult(
        assignment_id=seen.assignment_id,
        person_id=seen.person_id,
        referent_id=seen.referent_id,
        ended_id=None,
        replayed=True,
    )


def handover(
    engine: Engine, settings: ServerSettings, actor: Actor, request: HandoverRequest
) -> HandoverResult:
    """A handover decided by a device's account, in one transaction.

    With a ``request_id`` it is idempotent: the decision is recorded with the request in
    the same transaction, and a request sent again (a retry after a lost answer, a queue
    replayed after a crash) gets the first answer and changes nothing. A refusal records
    nothing (it changed nothing): a request sent again is decided again."""
    content_hash = _handover_hash(request)
    for attempt in (1, 2):
        try:
            with write_tx(engine) as connection:
                replayed = _replayed_handover(connection, actor, request, content_hash)
                if replayed is not None:
                    return replayed
                tx = Tx(connection, settings.now())
                result = hand_over(
                    tx,
                    actor,
                    request.person_id,
                    request.referent_id,
                    request.note,
                    expected_from=request.from_referent_id,
                )
                if request.request_id is not None and actor.account_id is not None:
                    connection.execute(
                        handover_request.insert().values(
                            request_id=request.request_id,
                            account_id=actor.account_id,
                            device_id=actor.device_id,
                            person_id=request.person_id,
                            referent_id=request.referent_id,
                            content_hash=content_hash,
                            assignment_id=result.assignment_id,
                            decided_at=tx.now,
                        )
                    )
                tx.flush()
            return result
        except IntegrityError:
            # The same request decided concurrently by another worker: its answer wins.
            if attempt == 2 or request.request_id is None:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def seen_seq(cursor: str | None) -> int | None:
    """The seq up to which a device had pulled, from the cursor it sends with a push."""
    if not cursor:
        return None
    try:
        parsed = Cursor.parse(cursor)
    except ApiError:
        return None
    return max(parsed.seq, 0)


def pull(
    engine: Engine,
    settings: ServerSettings,
    actor: Actor,
    since: str,
    limit: int,
    with_counts: str = "always",
    *,
    generation: int | None = None,
    own: bool = False,
) -> dict[str, Any]:
    """One pull page. ``own``: include this device's own changes (a device restored from
    an older copy of itself gets back what it had pushed since)."""
    if actor.referent_id is None:  # pragma: no cover - devices always have an account
        raise ApiError(403, ErrorCode.AUTH_REQUIRED)
    limit = max(1, min(limit, MAX_PULL_LIMIT))
    with read_tx(engine) as connection:
        page = pull_page(
            connection,
            referent_id=actor.referent_id,
            device_id=None if own else actor.device_id,
            cursor_text=since,
            limit=limit,
            with_counts=with_counts,
        )
        if withholds(actor):
            # Issue 11: a supervisor's device never receives a sensitive note's text.
            withhold_page(connection, page)
        stored = connection.execute(
            select(device.c.generation).where(device.c.id == actor.device_id)
        ).scalar_one_or_none()
    page["protocol"] = 1
    page["generation"] = stored
    page["restored"] = bool(generation is not None and stored is not None and generation < stored)
    page["server_time"] = settings.now().isoformat().replace("+00:00", "Z")
    if not page["more"]:
        _seen(engine, settings, actor, page["next"])
    return page


def _seen(engine: Engine, settings: ServerSettings, actor: Actor, cursor: str) -> None:
    """Remember the device's last complete pull (admin listing); best effort."""
    now = settings.now()
    try:
        with write_tx(engine) as connection:
            connection.execute(
                update(device)
                .where(
                    device.c.id == actor.device_id,
                    # Bookkeeping for the administrator, not for sync: at most once a
                    # minute per device, so that pulls stay read-only on the whole.
                    or_(
                        device.c.last_pull_at.is_(None),
                        device.c.last_pull_at < now - timedelta(minutes=1),
                    ),
                )
                .values(last_pull_at=now, last_seen_at=now, cursor=cursor)
            )
    except DBAPIError as exc:  # pragma: no cover - never fail a pull for bookkeeping
        log.warning("could not record the device's cursor: %s", exc)
