"""The directory of partner services (data·inclusion v1), issue 16: import and pull.

- **Import** (``spie-server admin directory import FILE…``): the v1 JSON of the API's
  listings (``{"items": [...]}`` pages, or bare lists) and the open-data export (bare
  lists, or one document ``{"structures": [...], "services": [...]}``). A record with a
  ``structure_id`` is a service, any other a structure. Each record is validated with the
  schema's own JSON Schema (``resources/referentials/data-inclusion-v1``, jsonschema-rs,
  formats checked); a bad one is reported with its file, index and reason, the good ones
  are kept. A record already held is updated in place when its content changed; a full
  import (the default, when it holds services) marks *closed* the imported services it no
  longer lists — never deleted, never the department's own (``origin = local``).
- **Version**: every write of one transaction takes the next value of the ``directory``
  row of ``server_counter``; that row stays locked until commit, so versions become
  visible in order (the same reasoning as the change log's ``seq``).
- **Pull** (``GET /sync/directory``): the records after a cursor ``<version>:<kind>:<id>``
  in that order, a page at a time. The directory is the department's (one server per
  department), the same for every device, so it is not in the per-person change log.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Text,
    and_,
    cast,
    insert,
    or_,
    select,
    tuple_,
    update,
)

from spie_desktop.errors import SpieError
from spie_desktop.resources import resource_path
from sync.protocol import ErrorCode
from sync.server.db import read_tx, write_tx
from sync.server.errors import ApiError
from sync.server.models import directory_record, server_counter

KINDS = ("structure", "service")
SCHEMA_DIR = ("referentials", "data-inclusion-v1")
DEFAULT_PAGE = 2000
MAX_PAGE = 5000
LOCAL_SOURCE = "departement"


class DirectoryError(SpieError):
    code = "directory_error"

    def __init__(self, message: str, code: str = "directory_error") -> None:
        super().__init__(message, code=code)


@dataclass
class Problem:
    file: str
    index: int | None
    kind: str | None
    record_id: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "index": self.index,
            "kind": self.kind,
            "id": self.record_id,
            "reason": self.reason,
        }


@dataclass
class DirectoryReport:
    created: dict[str, int] = field(default_factory=lambda: {"structure": 0, "service": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"structure": 0, "service": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"structure": 0, "service": 0})
    reopened: int = 0
    closed: int = 0
    version: int | None = None
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "reopened": self.reopened,
            "closed": self.closed,
            "version": self.version,
            "problems": [p.as_dict() for p in self.problems],
        }


# -- validation -------------------------------------------------------------------------------


@cache
def schema_document(kind: str) -> dict[str, Any]:
    path = resource_path(*SCHEMA_DIR, f"{kind}.json")
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


@cache
def _validator(kind: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(schema_document(kind), validate_formats=True)


def validation_errors(kind: str, record: Any) -> list[str]:
    """Why ``record`` is not a valid data·inclusion v1 ``kind`` (empty if it is)."""
    reasons = []
    for error in _validator(kind).iter_errors(record):
        where = "/".join(str(part) for part in error.instance_path) or "(enregistrement)"
        reasons.append(f"{where} : {error.message}")
    return sorted(reasons)


def kind_of(record: Mapping[str, Any]) -> str:
    return "service" if "structure_id" in record else "structure"


# -- reading the files ------------------------------------------------------------------------


def _records_of(document: Any, name: str) -> Iterator[tuple[str | None, int, Any]]:
    """(kind hint, index, record) of one file: bare list, API page, or open-data export."""
    if isinstance(document, list):
        for index, record in enumerate(document):
            yield None, index, record
        return
    if isinstance(document, dict):
        if isinstance(document.get("items"), list):
            for index, record in enumerate(document["items"]):
                yield None, index, record
            return
        keys = [key for key in ("structures", "services") if isinstance(document.get(key), list)]
        if keys:
            for key in keys:
                for index, record in enumerate(document[key]):
                    yield key[:-1], index, record
            return
    raise DirectoryError(
        f'{name} : ni une liste d\'enregistrements, ni une page {{"items": […]}}, ni un '
        'export {"structures": […], "services": […]}.',
        "invalid_file",
    )


def read_files(paths: Iterable[Path]) -> tuple[list[tuple[str, dict[str, Any]]], list[Problem]]:
    """The valid records of the files (kind, record) and the problems of the others."""
    records: list[tuple[str, dict[str, Any]]] = []
    problems: list[Problem] = []
    for path in paths:
        name = path.name
        try:
            document = json.loads(path.read_bytes())
        except OSError as exc:
            raise DirectoryError(f"{path} : fichier illisible ({exc.strerror}).", "io") from None
        except ValueError as exc:
            raise DirectoryError(f"{name} : JSON invalide ({exc}).", "invalid_json") from None
        for hint, index, record in _records_of(document, name):
            if not isinstance(record, dict):
                problems.append(Problem(name, index, hint, None, "pas un objet JSON"))
                continue
            kind = kind_of(record) if hint is None else hint
            record_id = record.get("id") if isinstance(record.get("id"), str) else None
            reasons = validation_errors(kind, record)
            if reasons:
                problems.append(Problem(name, index, kind, record_id, " ; ".join(reasons)))
                continue
            records.append((kind, record))
    return records, problems


# -- writing ----------------------------------------------------------------------------------


def content_hash(record: Mapping[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _next_version(connection: Connection) -> int:
    """The next directory version; the counter row stays locked until commit."""
    value = connection.execute(
        update(server_counter)
        .where(server_counter.c.name == "directory")
        .values(value=server_counter.c.value + 1)
        .returning(server_counter.c.value)
    ).scalar_one_or_none()
    if value is None:
        connection.execute(insert(server_counter).values(name="directory", value=1))
        value = 1
    return int(value)


def head(engine: Engine) -> int:
    """The directory's current version (0: no directory)."""
    with read_tx(engine) as connection:
        return current_version(connection)


def current_version(connection: Connection) -> int:
    value = connection.execute(
        select(server_counter.c.value).where(server_counter.c.name == "directory")
    ).scalar_one_or_none()
    return int(value or 0)


def _upsert(
    connection: Connection,
    records: list[tuple[str, dict[str, Any]]],
    *,
    origin: str,
    now: datetime,
    report: DirectoryReport,
    version: int,
) -> None:
    held: dict[tuple[str, str], tuple[str, str]] = {}
    ids = {(kind, record["id"]) for kind, record in records}
    for kind in KINDS:
        wanted = [record_id for k, record_id in ids if k == kind]
        for start in range(0, len(wanted), 500):
            rows = connection.execute(
                select(
                    directory_record.c.id,
                    directory_record.c.content_hash,
                    directory_record.c.status,
                ).where(
                    directory_record.c.kind == kind,
                    directory_record.c.id.in_(wanted[start : start + 500]),
                )
            )
            for record_id, digest, status in rows:
                held[(kind, record_id)] = (digest, status)
    new_rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for kind, record in records:
        key = (kind, record["id"])
        if key in seen:  # the same record twice in one import: the last one wins
            new_rows = [row for row in new_rows if (row["kind"], row["id"]) != key]
        seen.add(key)
        digest = content_hash(record)
        values = {
            "origin": origin,
            "status": "open",
            "data": record,
            "content_hash": digest,
            "version": version,
            "updated_at": now,
        }
        if key not in held:
            new_rows.append({"kind": kind, "id": record["id"], **values})
            report.created[kind] += 1
            held[key] = (digest, "open")
            continue
        old_digest, old_status = held[key]
        if old_digest == digest and old_status == "open":
            report.unchanged[kind] += 1
            continue
        connection.execute(
            update(directory_record)
            .where(directory_record.c.kind == kind, directory_record.c.id == record["id"])
            .values(**values)
        )
        held[key] = (digest, "open")
        if old_status != "open":
            report.reopened += 1
        report.updated[kind] += 1
    for start in range(0, len(new_rows), 1000):
        connection.execute(insert(directory_record), new_rows[start : start + 1000])


def import_files(
    engine: Engine, paths: Iterable[Path], *, now: datetime, full: bool = True
) -> DirectoryReport:
    """Import data·inclusion files (see the module docstring)."""
    records, problems = read_files(list(paths))
    report = DirectoryReport(problems=problems)
    if not records and not full:
        return report
    with write_tx(engine) as connection:
        version = _next_version(connection)
        report.version = version
        _upsert(connection, records, origin="import", now=now, report=report, version=version)
        imported_services = {record["id"] for kind, record in records if kind == "service"}
        if full and imported_services:
            open_ids = connection.execute(
                select(directory_record.c.id).where(
                    directory_record.c.kind == "service",
                    directory_record.c.origin == "import",
                    directory_record.c.status == "open",
                )
            ).scalars()
            to_close = [record_id for record_id in open_ids if record_id not in imported_services]
            for start in range(0, len(to_close), 500):
                connection.execute(
                    update(directory_record)
                    .where(
                        directory_record.c.kind == "service",
                        directory_record.c.id.in_(to_close[start : start + 500]),
                    )
                    .values(status="closed", version=version, updated_at=now)
                )
            report.closed = len(to_close)
    return report


def add_local_service(engine: Engine, values: Mapping[str, Any], *, now: datetime) -> str:
    """A service of the department itself (``origin = local``), validated like the others.

    ``values`` holds data·inclusion fields; ``id``, ``source`` and ``date_maj`` are set here
    unless given. The structure (``structure_id``) must already be in the directory."""
    record: dict[str, Any] = {key: value for key, value in values.items() if value is not None}
    record.setdefault("source", LOCAL_SOURCE)
    record.setdefault("id", f"{LOCAL_SOURCE}--{uuid.uuid4().hex[:12]}")
    record.setdefault("date_maj", date.today().isoformat())
    reasons = validation_errors("service", record)
    if reasons:
        raise DirectoryError("Service refusé : " + " ; ".join(reasons), "invalid_value")
    with write_tx(engine) as connection:
        structure = connection.execute(
            select(directory_record.c.id).where(
                directory_record.c.kind == "structure",
                directory_record.c.id == record["structure_id"],
            )
        ).scalar_one_or_none()
        if structure is None:
            raise DirectoryError(
                f"Structure inconnue de l'annuaire : « {record['structure_id']} ».",
                "unknown_structure",
            )
        version = _next_version(connection)
        _upsert(
            connection,
            [("service", record)],
            origin="local",
            now=now,
            report=DirectoryReport(),
            version=version,
        )
    return str(record["id"])


def counts(engine: Engine) -> dict[str, int]:
    with read_tx(engine) as connection:
        out: dict[str, int] = {}
        for kind, status in (("structure", "open"), ("service", "open"), ("service", "closed")):
            out[f"{kind}_{status}"] = len(
                connection.execute(
                    select(directory_record.c.id).where(
                        directory_record.c.kind == kind, directory_record.c.status == status
                    )
                ).all()
            )
        return out


# -- pull -------------------------------------------------------------------------------------


def _parse_cursor(text: str) -> tuple[int, str, str]:
    if text in ("", "0"):
        return 0, "", ""
    try:
        version, kind, record_id = text.split(":", 2)
        return int(version), kind, record_id
    except ValueError:
        raise ApiError(
            410, ErrorCode.CURSOR_UNKNOWN, detail="curseur d'annuaire illisible"
        ) from None


def _page_rows(engine: Engine, since: str, limit: int, *, raw: bool) -> tuple[list[Any], bool]:
    version, kind, record_id = _parse_cursor(since)
    limit = max(1, min(limit, MAX_PAGE))
    with read_tx(engine) as connection:
        head = current_version(connection)
        if version > head:
            raise ApiError(410, ErrorCode.CURSOR_UNKNOWN, detail="curseur d'annuaire inconnu")
        c = directory_record.c
        after = or_(
            c.version > version,
            and_(c.version == version, tuple_(c.kind, c.id) > tuple_(kind, record_id)),
        )
        data = cast(c.data, Text).label("data") if raw else c.data
        rows = connection.execute(
            select(c.kind, c.id, c.status, c.origin, c.version, data)
            .where(after)
            .order_by(c.version, c.kind, c.id)
            .limit(limit + 1)
        ).all()
    return list(rows[:limit]), len(rows) > limit


def _next_cursor(rows: list[Any], since: str) -> str:
    if not rows:
        return since or "0"
    last = rows[-1]
    return f"{last.version}:{last.kind}:{last.id}"


def pull_page(engine: Engine, since: str, limit: int) -> dict[str, Any]:
    """The directory records after ``since``, in (version, kind, id) order."""
    rows, more = _page_rows(engine, since, limit, raw=False)
    return {
        "records": [
            {"kind": r.kind, "id": r.id, "status": r.status, "origin": r.origin, "data": r.data}
            for r in rows
        ],
        "next": _next_cursor(rows, since),
        "more": more,
    }


def pull_page_json(engine: Engine, since: str, limit: int) -> str:
    """:func:`pull_page` as the JSON body of ``GET /sync/directory`` (``DirectoryPage``),
    each record's ``data`` spliced in as the database holds it: the JSON text the import
    wrote, validated then, neither parsed nor validated again for every device's download
    (parsing, validating and serialising 20,000 records cost more than reading them). The
    few other fields are checked here against the protocol's values."""
    rows, more = _page_rows(engine, since, limit, raw=True)
    parts = []
    for r in rows:
        if r.kind not in KINDS or r.status not in _STATUSES or r.origin not in _ORIGINS:
            raise ValueError(f"directory record {r.kind}:{r.id} out of the protocol")
        head = json.dumps({"kind": r.kind, "id": r.id, "status": r.status, "origin": r.origin})
        parts.append(f'{head[:-1]},"data":{r.data}}}')
    cursor = json.dumps(_next_cursor(rows, since))
    return f'{{"records":[{",".join(parts)}],"next":{cursor},"more":{"true" if more else "false"}}}'


_STATUSES = ("open", "closed")
_ORIGINS = ("import", "local")
