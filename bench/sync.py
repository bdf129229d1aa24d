"""Sync benchmark: every figure of issue 3, side by side, in one run.

Run from the repository root::

    .venv/bin/python bench/sync.py [--years 6] [--skip-throttled] [--devices 500]
                                   [--postgres-url postgresql+psycopg://…]

What it does, all on loopback, with a real server (uvicorn) and real SQLCipher devices,
the bytes on the wire counted by our TCP proxy (``tests/faults/tcp_fault_proxy.py``):

1. **Initial pull** of one referent's caseload (``spie_desktop.demo``: 150 persons, enough
   years of history for about 25,000 rows) into a fresh encrypted device store: seconds,
   bytes on the wire, against (a) the same rows as zstd-compressed JSON lines (target: at
   most 1.3× the bytes) and (b) inserting the same rows with plain SQLite ``executemany``
   (target: apply time at most 3×); target under 3 s.
2. **A sync with nothing to do**: round trips and bytes (target: one, under 2 KB).
3. **Push of 1,000 changes**, **pull of 100 changes**.
4. The same initial pull through the proxy **throttled to 64 kbit/s with 300 ms round
   trip**; then once more **cut in the middle** and resumed: the bytes re-sent.
5. The server on **PostgreSQL** (``--postgres-url`` or ``SPIE_TEST_POSTGRES_URL``; two
   uvicorn workers) under ``--devices`` concurrent devices doing incremental syncs (each
   syncs every ``--period`` seconds on average, one in ten syncs also pushes a change):
   p50/p99 latency and errors (target: p99 under 200 ms, no error).

The figures are printed and written to ``bench/results/sync.md``.

``--team`` (issue 14, *Scale*) measures instead the first sync of a supervisor's device at
the issue's scale: a server (SQLite, its own process) loaded with ``--team-referents`` (20)
referents × ``--team-persons`` (150) persons, ``--team-years`` (4) years of history, the
demo supervisor (``demo.responsable``) overseeing every team; her fresh device's first sync
(seconds, rows, bytes, requests, pages, apply time), then a sync with nothing to do. The
loaded server is cached in ``bench/.cache-team-server/`` (keyed by the generator, the
server's loader and its schema) and copied for each run; ``--profile`` runs the first sync
under cProfile (device side) and prints where the time goes. Written to
``bench/results/sync-team.md`` (only at full scale; a smaller ``--team-referents`` prints).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "tests" / "faults"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import httpx  # noqa: E402
import zstandard  # noqa: E402
from tcp_fault_proxy import FaultProxy  # noqa: E402

from bench import percentile  # noqa: E402
from spie_desktop.demo import DemoSpec, generate  # noqa: E402
from spie_desktop.domain.codec import row_to_dict  # noqa: E402
from spie_desktop.domain.models import SYNCED_MODELS, Note  # noqa: E402
from spie_desktop.store.store import Store  # noqa: E402
from sync import client as sync_client  # noqa: E402
from sync.client import RetryPolicy  # noqa: E402
from sync.schema import PULLED_TABLES  # noqa: E402
from sync.server.admin import Admin  # noqa: E402
from sync.server.db import database_url, make_engine  # noqa: E402
from sync.server.demo import create_accounts, load_rows  # noqa: E402
from sync.server.settings import ServerSettings  # noqa: E402
from tests.support.devkit import Device, ServerProcess  # noqa: E402

PASSWORD = "demo-spie-2026"
RESULTS = ROOT / "bench" / "results" / "sync.md"
TEAM_RESULTS = ROOT / "bench" / "results" / "sync-team.md"
TEAM_CACHE = ROOT / "bench" / ".cache-team-server"
SUPERVISOR = "demo.responsable"


def _kb(value: float) -> str:
    return f"{value / 1024:,.1f} KiB".replace(",", "\u202f")


class ApplyTimer:
    """Wall time spent applying pull pages (``sync.apply.apply_page``) during a sync."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._original: Callable[..., Any] = sync_client.apply_page

    def __enter__(self) -> ApplyTimer:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return self._original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        sync_client.apply_page = timed
        return self

    def __exit__(self, *_exc: object) -> None:
        sync_client.apply_page = self._original


def _device(
    root: Path, name: str, url: str, username: str = "demo.referent", **options: Any
) -> Device:
    device = Device(
        root / "devices",
        name,
        url,
        retry=RetryPolicy(attempts=10, base_delay=0.2, max_delay=2.0),
        **options,
    )
    device.login(username, PASSWORD)
    return device


def _pulled_rows(store: Store) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    with store.read() as session:
        for table in PULLED_TABLES:
            model = SYNCED_MODELS[table]
            rows[table] = [row_to_dict(obj) for obj in session.query(model).all()]
    return rows


def _jsonl_zstd(rows: dict[str, list[dict[str, Any]]]) -> int:
    lines = []
    for table, items in rows.items():
        for item in items:
            lines.append(
                json.dumps({"table": table, **item}, ensure_ascii=False, separators=(",", ":"))
            )
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return len(zstandard.ZstdCompressor(level=3).compress(data))


def _executemany_baseline(store: Store, target: Path) -> float:
    """Seconds to insert the device's rows (storage form) with plain sqlite3 executemany,
    into the same schema, same pragmas (WAL, synchronous=FULL, foreign keys)."""
    Store.open_plain(target).close()  # the same schema, by the same migrations
    tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    with store.read() as session:
        connection = session.connection()
        for table in PULLED_TABLES:
            result = connection.exec_driver_sql(f"SELECT * FROM {table}")
            tables[table] = (list(result.keys()), [tuple(row) for row in result])
    database = sqlite3.connect(target, isolation_level=None)
    for pragma in (
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = FULL",
        "PRAGMA foreign_keys = ON",
    ):
        database.execute(pragma)
    start = time.perf_counter()
    database.execute("BEGIN")
    for table, (columns, rows) in tables.items():
        marks = ", ".join("?" for _ in columns)
        database.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    database.execute("COMMIT")
    elapsed = time.perf_counter() - start
    database.close()
    return elapsed


# -- PostgreSQL under load ------------------------------------------------------------------------


async def _load(
    url: str,
    tokens: list[tuple[str, str, str]],
    start_seq: int,
    person_ids: dict[str, list[str]],
    duration: float,
    period: float,
) -> dict[str, Any]:
    latencies: dict[str, list[float]] = {"pull": [], "push": []}
    errors: list[str] = []
    limits = httpx.Limits(max_connections=len(tokens) + 10, max_keepalive_connections=len(tokens))
    async with httpx.AsyncClient(
        base_url=url, limits=limits, timeout=30, headers={"Accept-Encoding": "zstd, gzip"}
    ) as client:
        deadline = time.monotonic() + duration

        async def device(token: str, device_id: str, referent: str) -> None:
            rng = random.Random(device_id)
            cursor = str(start_seq)
            node = device_id.replace("-", "")
            counter = 0
            headers = {"Authorization": f"Bearer {token}"}
            await asyncio.sleep(rng.uniform(0, period))
            while time.monotonic() < deadline:
                try:
                    pushed = False
                    if rng.random() < 0.1 and person_ids.get(referent):
                        pushed = True
                        counter += 1
                        wall = time.time_ns() // 1_000_000
                        change = {
                            "change_id": str(uuid.uuid4()),
                            "table": "person",
                            "row_id": rng.choice(person_ids[referent]),
                            "op": "upsert",
                            "fields": {"city": f"Ville {rng.randint(1, 99)}"},
                            "hlc": f"{wall:012x}-{counter % 65536:04x}-{node}",
                        }
                        began = time.perf_counter()
                        response = await client.post(
                            "/sync/push", json={"changes": [change]}, headers=headers
                        )
                        latencies["push"].append(time.perf_counter() - began)
                        if response.status_code != 200:
                            errors.append(f"push {response.status_code} {response.text[:100]}")
                    more = True
                    while more:
                        began = time.perf_counter()
                        # As the real client: counts when it pushed, else only
                        # when the page brings changes.
                        response = await client.get(
                            "/sync/pull",
                            params={"since": cursor, "counts": "always" if pushed else "auto"},
                            headers=headers,
                        )
                        latencies["pull"].append(time.perf_counter() - began)
                        if response.status_code != 200:
                            errors.append(f"pull {response.status_code} {response.text[:100]}")
                            break
                        page = response.json()
                        cursor, more = page["next"], page["more"]
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                await asyncio.sleep(rng.uniform(0.5 * period, 1.5 * period))

        await asyncio.gather(*(device(t, d, r) for t, d, r in tokens))
    return {"latencies": latencies, "errors": errors}


async def _raw_get(port: int, path: str, token: str) -> int:
    """A bare HTTP/1.1 GET on a new connection (no client library in the way: with 500
    simultaneous requests, httpx's own connection pool would cost more than the server)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept-Encoding: zstd\r\n"
            "Connection: close\r\n\r\n"
        ).encode("ascii")
    )
    await writer.drain()
    data = await reader.read()
    writer.close()
    return int(data.split(b" ", 2)[1]) if data else 0


async def _burst(url: str, tokens: list[tuple[str, str, str]], cursor: int) -> dict[str, Any]:
    """Every device syncs at the same moment (9 a.m., everyone unlocks): one pull each."""
    latencies: list[float] = []
    errors: list[str] = []
    port = int(url.rsplit(":", 1)[1])
    start = asyncio.Event()

    async def one(token: str) -> None:
        await start.wait()
        began = time.perf_counter()
        try:
            status = await _raw_get(port, f"/sync/pull?since={cursor}&counts=always", token)
            if status != 200:
                errors.append(str(status))
        except OSError as exc:
            errors.append(type(exc).__name__)
        latencies.append(time.perf_counter() - began)

    tasks = [asyncio.create_task(one(token)) for token, _, _ in tokens]
    await asyncio.sleep(0.5)
    began = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    return {"latencies": latencies, "errors": errors, "seconds": time.perf_counter() - began}


def _postgres_load(
    root: Path, pg_url: str, devices: int, duration: float, period: float
) -> dict[str, Any]:
    import psycopg
    from sqlalchemy import select
    from sqlalchemy.engine import make_url

    from sync.server.changelog import current_seq
    from sync.server.models import account

    base = make_url(pg_url)
    name = f"spie_bench_{uuid.uuid4().hex[:8]}"
    admin_conninfo = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_conninfo, autocommit=True) as pg:
        pg.execute(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    data_dir = root / "pg-server"
    data_dir.mkdir()
    settings = ServerSettings(database_url=url, data_dir=data_dir).fast_hashing()
    engine = make_engine(url)
    server: ServerProcess | None = None
    try:
        admin = Admin(engine, settings)
        spec = DemoSpec(referents=10, persons_per_referent=30, seed=7, min_years=1, max_years=3)
        load_rows(admin, generate(spec))
        create_accounts(admin, None, PASSWORD)
        from spie_desktop.domain.models import Person, Referent

        person_table = Person.__table__
        referent_table = Referent.__table__
        with engine.connect() as connection:
            referents = [
                row.username
                for row in connection.execute(
                    select(account.c.username).where(
                        account.c.role == "referent", account.c.active.is_(True)
                    )
                )
            ]
            person_ids: dict[str, list[str]] = {}
            for username, person_id in connection.execute(
                select(referent_table.c.username, person_table.c.id).join(
                    person_table, person_table.c.referent_id == referent_table.c.id
                )
            ):
                person_ids.setdefault(username, []).append(str(person_id))
            start_seq = current_seq(connection)
        server = ServerProcess(data_dir, database_url=url, workers=2)
        server.start()
        tokens: list[tuple[str, str, str]] = []

        async def login_all() -> None:
            semaphore = asyncio.Semaphore(16)
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:

                async def one(index: int) -> None:
                    username = referents[index % len(referents)]
                    device_id = str(uuid.uuid4())
                    async with semaphore:
                        response = await client.post(
                            "/auth/login",
                            json={
                                "username": username,
                                "password": PASSWORD,
                                "device_id": device_id,
                            },
                        )
                    response.raise_for_status()
                    tokens.append((response.json()["access_token"], device_id, username))

                await asyncio.gather(*(one(i) for i in range(devices)))

        began = time.perf_counter()
        asyncio.run(login_all())
        login_seconds = time.perf_counter() - began
        _wait_idle()  # let the Argon2 storm of the logins settle before measuring
        load_avg = os.getloadavg()[0]
        result = asyncio.run(_load(server.url, tokens, start_seq, person_ids, duration, period))
        _wait_idle()
        with engine.connect() as connection:
            head_now = current_seq(connection)
        # Everyone was up to date a minute ago: the morning sync brings what changed since.
        result["burst"] = asyncio.run(_burst(server.url, tokens, max(start_seq, head_now - 100)))
        result["login_seconds"] = login_seconds
        result["load_before"] = load_avg
        result["load_after"] = os.getloadavg()[0]
        result["persons"] = spec.persons
        result["referents"] = len(referents)
        return result
    finally:
        if server is not None:
            server.stop()
        engine.dispose()
        with psycopg.connect(admin_conninfo, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _cpu_times() -> tuple[int, int]:
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    return fields[3] + fields[4], sum(fields)


def _wait_idle(threshold: float = 0.7, limit_s: float = 90.0) -> None:
    """Wait until the machine is at least ``threshold`` idle over one second (Linux)."""
    if not os.path.exists("/proc/stat"):
        time.sleep(5)
        return
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        idle0, total0 = _cpu_times()
        time.sleep(1.0)
        idle1, total1 = _cpu_times()
        if total1 > total0 and (idle1 - idle0) / (total1 - total0) >= threshold:
            return


# -- a supervisor's first sync at the scale (issue 14) ------------------------------------


def _team_spec(args: argparse.Namespace) -> DemoSpec:
    return DemoSpec(
        referents=args.team_referents,
        persons_per_referent=args.team_persons,
        seed=args.seed,
        min_years=args.team_years,
        max_years=args.team_years,
    )


def _team_cache_dir(spec: DemoSpec) -> Path:
    """Where the loaded server of ``spec`` is kept: keyed like ``bench/ui.py``'s team store
    (the generator's source, the schema's head revision) and by the server's loader."""
    import hashlib

    from spie_desktop import demo as demo_module
    from sync.server import demo as server_demo
    from sync.server import migrate as server_migrate

    digest = hashlib.sha256(Path(demo_module.__file__).read_bytes())
    digest.update(Path(server_demo.__file__).read_bytes())
    digest.update(server_migrate.head_revision().encode())
    name = (
        f"team-r{spec.referents}x{spec.persons_per_referent}-y{spec.min_years:g}-s{spec.seed}"
        f"-{digest.hexdigest()[:10]}"
    )
    return TEAM_CACHE / name


def _load_team_server(spec: DemoSpec, target: Path) -> dict[str, Any]:
    """Load ``spec`` into a fresh SQLite server in ``target``: every staff account, the demo
    supervisor overseeing every team (so that she holds all ``spec.persons``)."""
    settings = ServerSettings(
        database_url=database_url(target, None), data_dir=target
    ).fast_hashing()
    engine = make_engine(settings.database_url)
    admin = Admin(engine, settings, actor="bench")
    try:
        began = time.perf_counter()
        counts = load_rows(admin, generate(spec))
        loaded = time.perf_counter() - began
        accounts = create_accounts(admin, None, PASSWORD)
        overseen = 0
        for team in admin.list_teams():
            if f"{SUPERVISOR} (supervisor)" not in team["members"]:
                admin.supervise(SUPERVISOR, team["id"])
                overseen += 1
        return {
            "counts": counts,
            "rows": sum(v for k, v in counts.items() if not k.startswith("_")),
            "accounts": accounts,
            "teams": overseen + 1,
            "load_s": round(loaded, 1),
            "setup_s": round(time.perf_counter() - began, 1),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    finally:
        engine.dispose()


def _team_server(spec: DemoSpec, work: Path) -> tuple[Path, dict[str, Any]]:
    """A copy of the cached loaded server (built first when missing) in ``work``."""
    import shutil

    cache = _team_cache_dir(spec)
    ready = cache / "ready.json"
    if not ready.exists():
        if cache.exists():
            shutil.rmtree(cache)
        (cache / "server").mkdir(parents=True)
        print(f"Chargement du serveur ({spec.persons} personnes)…", file=sys.stderr)
        info = _load_team_server(spec, cache / "server")
        info["cached"] = False
        ready.write_text(json.dumps(info), encoding="utf-8")
    else:
        info = json.loads(ready.read_text(encoding="utf-8"))
        info["cached"] = True
    began = time.perf_counter()
    shutil.copytree(cache / "server", work / "server")
    info["copy_s"] = time.perf_counter() - began
    info["cache"] = str(cache.relative_to(ROOT))
    return work / "server", info


def _team_main(args: argparse.Namespace) -> int:
    import cProfile
    import pstats
    import subprocess

    spec = _team_spec(args)
    uptime_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    root = Path(tempfile.mkdtemp(prefix="spie-bench-sync-team-"))
    data_dir, info = _team_server(spec, root)
    server = ServerProcess(data_dir).start()
    proxy = FaultProxy(server.port).start()
    figures: dict[str, Any] = {"server": info}
    try:
        device = _device(root, "responsable", proxy.url, SUPERVISOR)
        _wait_idle(limit_s=30)  # the server's start and the copy settle before measuring
        figures["uptime_before"] = uptime_before
        figures["uptime_start"] = subprocess.run(
            ["uptime"], capture_output=True, text=True
        ).stdout.strip()
        proxy.stats.bytes_down = proxy.stats.bytes_up = 0
        profile = cProfile.Profile() if args.profile else None
        with ApplyTimer() as timer:
            began = time.perf_counter()
            if profile is not None:
                profile.enable()
            report = device.sync()
            if profile is not None:
                profile.disable()
            initial_s = time.perf_counter() - began
        assert report.ok and report.counts_ok, report
        with device.store.read() as session:
            connection = session.connection()
            held = {
                table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
                for table in PULLED_TABLES
            }
        figures["initial"] = {
            "seconds": initial_s,
            "apply_s": timer.seconds,
            "rows": sum(held.values()),
            "held": held,
            "pulled_rows": report.pulled_rows,
            "down": proxy.stats.bytes_down,
            "up": proxy.stats.bytes_up,
            "requests": report.requests,
            "pages": report.pages,
            "digest_ok": report.digest_ok,
        }
        print(f"first sync: {figures['initial']}", file=sys.stderr)
        if profile is not None:
            stats_path = TEAM_CACHE / f"first-sync-r{spec.referents}.pstats"
            profile.dump_stats(stats_path)
            stats = pstats.Stats(str(stats_path), stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)
            print(f"profile: {stats_path}", file=sys.stderr)

        proxy.stats.bytes_down = proxy.stats.bytes_up = 0
        began = time.perf_counter()
        idle = device.sync()
        figures["idle"] = {
            "seconds": time.perf_counter() - began,
            "requests": idle.requests,
            "bytes": proxy.stats.bytes_down + proxy.stats.bytes_up,
            "ok": idle.ok,
        }
        print(f"no-op sync: {figures['idle']}", file=sys.stderr)
        device.close()
    finally:
        proxy.stop()
        server.stop()
    figures["uptime_after"] = subprocess.run(
        ["uptime"], capture_output=True, text=True
    ).stdout.strip()
    text = _team_report(args, spec, figures)
    print(text)
    full = (args.team_referents, args.team_persons, args.team_years) == (20, 150, 4.0)
    if full and not args.profile:
        TEAM_RESULTS.parent.mkdir(parents=True, exist_ok=True)
        TEAM_RESULTS.write_text(text, encoding="utf-8")
    import shutil

    shutil.rmtree(root, ignore_errors=True)
    return 0


def _team_report(args: argparse.Namespace, spec: DemoSpec, figures: dict[str, Any]) -> str:
    server = figures["server"]
    initial = figures["initial"]
    idle = figures["idle"]
    counts = server["counts"]
    table_counts = ", ".join(f"{k} {v:,}" for k, v in counts.items() if not k.startswith("_"))
    held = ", ".join(f"{k} {v:,}" for k, v in initial["held"].items() if v)
    built = (
        f"loaded from the cache `{server['cache']}/` (built {server['built_at']} in "
        f"{server['setup_s']:.0f} s)"
        if server["cached"]
        else f"loaded in {server['setup_s']:.0f} s (rows {server['load_s']:.0f} s, then "
        f"accounts and scopes), now cached in `{server['cache']}/`"
    )
    command = "`.venv/bin/python bench/sync.py --team`"
    if (args.team_referents, args.team_persons, args.team_years) != (20, 150, 4.0):
        command = (
            f"`.venv/bin/python bench/sync.py --team --team-referents {args.team_referents} "
            f"--team-persons {args.team_persons} --team-years {args.team_years:g}`"
        )
    lines = [
        "# Sync benchmark: a supervisor's first sync at the issue's scale (issue 14)",
        "",
        f"- Command: {command} (from the repository root)",
        f"- Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPU, "
        f"{platform.platform()}, Python {platform.python_version()}",
        f"- Load (`uptime`): before `{figures['uptime_before']}`; when the first sync began "
        f"`{figures['uptime_start']}`; after `{figures['uptime_after']}` (the machine is "
        "shared: other work inflates times)",
        f"- Server: `spie-server serve` in its own process, SQLite (WAL, synchronous=FULL), "
        f"{built}; copied for the run in {server['copy_s']:.1f} s. Data: `spie_desktop.demo`, "
        f"{spec.referents} referents × {spec.persons_per_referent} persons, "
        f"{spec.min_years:g} years of history, seed {spec.seed}, {server['teams']} teams, "
        f"`{SUPERVISOR}` overseeing all of them (`spie-server admin teams supervise`). Server "
        f"rows: {server['rows']:,} ({table_counts}; audit events stay on the server).",
        "- Device: a fresh SQLCipher store through `sync.client.SyncClient` (counts and the "
        "scope digest compared at the end of the sync, as the app does after a first sync); "
        "bytes counted on the wire by `tests/faults/tcp_fault_proxy.py` (HTTP headers "
        "included, zstd bodies)",
        "",
        "| Figure | Measured |",
        "| --- | --- |",
        f"| First sync of the supervisor's device | {initial['seconds']:.1f} s |",
        f"| … rows held by the device afterwards | {initial['rows']:,} "
        f"({initial['held']['person']:,} persons) |",
        f"| … bytes on the wire | {_kb(initial['down'])} down, {_kb(initial['up'])} up |",
        f"| … requests, pages | {initial['requests']} requests, {initial['pages']} pull pages |",
        f"| … of which applying the pages (`sync.apply.apply_page`: values, upserts, caseload "
        f"summaries, cursor) | {initial['apply_s']:.1f} s "
        f"({initial['apply_s'] / initial['seconds'] * 100:.0f} %) |",
        f"| Sync with nothing to do, right after | {idle['requests']} request(s), "
        f"{idle['bytes']:,} bytes, {idle['seconds'] * 1000:.0f} ms |",
        "",
        f"Rows on the device by table: {held}.",
        "",
        "The dashboard shown on a store of this size (the same generator and scale, 488,666 "
        "rows) is measured by `.venv/bin/python bench/ui.py --team-only`: see "
        "`bench/results/ui-team.md`.",
        "",
    ]
    return "\n".join(lines)


# -- main -----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=150)
    parser.add_argument(
        "--years",
        type=float,
        default=6.0,
        help="history per person (demo years; 6 gives ~25,000 rows)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-throttled", action="store_true")
    parser.add_argument("--postgres-url", default=os.environ.get("SPIE_TEST_POSTGRES_URL"))
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument(
        "--period",
        type=float,
        default=30.0,
        help="mean seconds between two syncs of a device (the app: 5 min, and after edits)",
    )
    parser.add_argument(
        "--only-postgres",
        action="store_true",
        help="only the PostgreSQL load figures (printed, not written)",
    )
    parser.add_argument(
        "--team",
        action="store_true",
        help="only a supervisor's first sync at the scale of issue 14 (20 × 150 persons, 4 years)",
    )
    parser.add_argument("--team-referents", type=int, default=20)
    parser.add_argument("--team-persons", type=int, default=150)
    parser.add_argument("--team-years", type=float, default=4.0)
    parser.add_argument(
        "--profile", action="store_true", help="with --team: cProfile of the first sync"
    )
    args = parser.parse_args()
    if args.team:
        return _team_main(args)
    if args.only_postgres:
        if not args.postgres_url:
            parser.error("--only-postgres needs --postgres-url")
        result = _postgres_load(
            Path(tempfile.mkdtemp()), args.postgres_url, args.devices, args.duration, args.period
        )
        both = result["latencies"]["pull"] + result["latencies"]["push"]
        print(
            f"{len(both)} requests, p50 {percentile(both, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(both, 0.99) * 1000:.0f} ms, errors {len(result['errors'])}"
        )
        burst = result["burst"]
        print(
            f"burst: {len(burst['latencies'])} pulls in {burst['seconds']:.1f} s, p50 "
            f"{percentile(burst['latencies'], 0.5) * 1000:.0f} ms, p99 "
            f"{percentile(burst['latencies'], 0.99) * 1000:.0f} ms, "
            f"errors {len(burst['errors'])}"
        )
        return 0

    root = Path(tempfile.mkdtemp(prefix="spie-bench-sync-"))
    lines: list[str] = []
    figures: dict[str, Any] = {}
    load_before = os.getloadavg()[0]
    started = time.perf_counter()

    # -- server with one referent's caseload ----------------------------------------------
    data_dir = root / "server"
    data_dir.mkdir()
    settings = ServerSettings(
        database_url=database_url(data_dir, None), data_dir=data_dir
    ).fast_hashing()
    engine = make_engine(settings.database_url)
    admin = Admin(engine, settings)
    spec = DemoSpec(
        referents=1,
        persons_per_referent=args.persons,
        seed=args.seed,
        min_years=max(0.5, args.years - 0.5),
        max_years=args.years + 0.5,
    )
    began = time.perf_counter()
    counts = load_rows(admin, generate(spec))
    create_accounts(admin, None, PASSWORD)
    figures["load_s"] = time.perf_counter() - began
    # The server in its own process (as deployed), so that it does not share the GIL
    # with the device being measured.
    server = ServerProcess(data_dir).start()
    proxy = FaultProxy(server.port).start()
    print(f"server ready: {counts}", file=sys.stderr)

    # -- 1. initial pull -------------------------------------------------------------------
    device = _device(root, "laptop", proxy.url)
    proxy.stats.bytes_down = proxy.stats.bytes_up = 0
    with ApplyTimer() as timer:
        began = time.perf_counter()
        report = device.sync()
        initial_s = time.perf_counter() - began
    assert report.ok and report.counts_ok, report
    rows = _pulled_rows(device.store)
    total_rows = sum(len(v) for v in rows.values())
    figures["initial"] = {
        "seconds": initial_s,
        "apply_s": timer.seconds,
        "rows": total_rows,
        "down": proxy.stats.bytes_down,
        "up": proxy.stats.bytes_up,
        "requests": report.requests,
        "pages": report.pages,
    }
    jsonl = _jsonl_zstd(rows)
    baseline_s = _executemany_baseline(device.store, root / "baseline.db")
    figures["jsonl_zstd"] = jsonl
    figures["executemany_s"] = baseline_s
    print(f"initial pull: {figures['initial']}", file=sys.stderr)

    # -- 2. nothing to do ------------------------------------------------------------------
    proxy.stats.bytes_down = proxy.stats.bytes_up = 0
    began = time.perf_counter()
    idle = device.sync()
    figures["idle"] = {
        "seconds": time.perf_counter() - began,
        "requests": idle.requests,
        "bytes": proxy.stats.bytes_down + proxy.stats.bytes_up,
    }

    # -- 3. push 1,000 changes, pull 100 changes -------------------------------------------
    person_ids = [p["id"] for p in rows["person"]]
    with device.write() as session:
        now = datetime.now(UTC)
        for index in range(1000):
            session.add(
                Note(
                    person_id=uuid.UUID(person_ids[index % len(person_ids)]),
                    author_id=device.actor.referent_id,
                    written_at=now,
                    kind="suivi",
                    text=f"Note de banc d'essai n° {index}.",
                    sensitive=False,
                )
            )
    assert device.client.pending_count() == 1000
    proxy.stats.bytes_down = proxy.stats.bytes_up = 0
    began = time.perf_counter()
    pushed = device.sync()
    figures["push"] = {
        "seconds": time.perf_counter() - began,
        "changes": pushed.pushed,
        "requests": pushed.requests,
        "up": proxy.stats.bytes_up,
        "down": proxy.stats.bytes_down,
    }
    assert pushed.pushed == 1000 and pushed.counts_ok
    with admin.session() as s:
        for index in range(100):
            s.write(
                "person",
                uuid.UUID(person_ids[index % len(person_ids)]),
                {"city": f"Commune {index}"},
            )
    proxy.stats.bytes_down = proxy.stats.bytes_up = 0
    began = time.perf_counter()
    pulled = device.sync()
    figures["pull100"] = {
        "seconds": time.perf_counter() - began,
        "changes": pulled.pulled_changes,
        "requests": pulled.requests,
        "down": proxy.stats.bytes_down,
        "up": proxy.stats.bytes_up,
    }
    assert pulled.pulled_changes == 100, pulled

    # -- 4. throttled initial pull, then cut and resumed -----------------------------------
    if not args.skip_throttled:
        proxy.throttle(8_000, rtt_s=0.3)  # 64 kbit/s, 300 ms round trip
        slow = _device(root, "rural", proxy.url)
        proxy.stats.bytes_down = proxy.stats.bytes_up = 0
        began = time.perf_counter()
        slow_report = slow.sync()
        figures["throttled"] = {
            "seconds": time.perf_counter() - began,
            "down": proxy.stats.bytes_down,
            "up": proxy.stats.bytes_up,
            "ok": slow_report.ok,
            "pages": slow_report.pages,
        }
        cut = _device(root, "rural-cut", proxy.url)
        proxy.stats.bytes_down = proxy.stats.bytes_up = 0
        proxy.stats.requests.clear()
        # Let a few pages through, then cut the next one in its middle.
        skip = max(1, slow_report.pages // 2)
        for _ in range(skip):
            proxy.cut_response("/sync/pull", after_bytes=10**12)  # pass-through placeholders
        rule = proxy.cut_response("/sync/pull", after_bytes=20_000)
        began = time.perf_counter()
        cut_report = cut.sync()
        pulls = [line for line in proxy.stats.requests if "/sync/pull" in line]
        figures["cut"] = {
            "seconds": time.perf_counter() - began,
            "down": proxy.stats.bytes_down,
            "ok": cut_report.ok,
            "cut_done": rule.hits == 1,
            "pull_requests": len(pulls),
            "distinct": len(set(pulls)),
            "counts_ok": cut_report.counts_ok,
        }
        proxy.throttle(None)
        slow.close()
        cut.close()

    device.close()
    proxy.stop()
    server.stop()
    engine.dispose()

    # -- 5. PostgreSQL, many devices ---------------------------------------------------------
    if args.postgres_url:
        figures["pg"] = _postgres_load(
            root, args.postgres_url, args.devices, args.duration, args.period
        )
    figures["total_s"] = time.perf_counter() - started
    load_after = os.getloadavg()[0]
    _write(args, spec, counts, figures, load_before, load_after, lines)
    print("\n".join(lines))
    return 0


def _write(
    args: argparse.Namespace,
    spec: DemoSpec,
    counts: dict[str, int],
    figures: dict[str, Any],
    load_before: float,
    load_after: float,
    lines: list[str],
) -> None:
    initial = figures["initial"]
    ratio_bytes = initial["down"] / figures["jsonl_zstd"]
    ratio_apply = initial["apply_s"] / figures["executemany_s"]
    idle_ok = figures["idle"]["requests"] == 1 and figures["idle"]["bytes"] < 2048
    table_counts = ", ".join(f"{k} {v:,}" for k, v in counts.items() if not k.startswith("_"))
    lines += [
        "# Sync benchmark",
        "",
        "- Command: `.venv/bin/python bench/sync.py` (from the repository root)",
        f"- Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {figures['total_s']:.0f} s in all",
        f"- Machine: {os.cpu_count()} CPU, {platform.platform()}; load average (1 min) "
        f"{load_before:.2f} before, {load_after:.2f} after (other work on the machine "
        "inflates times)",
        f"- Python {platform.python_version()}; server: `spie-server serve` (FastAPI + "
        "uvicorn, its own process), SQLite "
        "(WAL, synchronous=FULL); device: SQLCipher store through `sync.client.SyncClient`; "
        "bytes counted on the wire by `tests/faults/tcp_fault_proxy.py` (HTTP headers "
        "included, zstd bodies)",
        f"- Data: `spie_desktop.demo`, {spec.persons} persons of one referent, "
        f"{spec.min_years:g}–{spec.max_years:g} years of history, seed {spec.seed} "
        f"(server rows: {table_counts}; audit events stay on the server)",
        "",
        "| Figure | Measured | Compared with | Ratio | Target | Met |",
        "| --- | ---: | --- | ---: | --- | --- |",
        f"| Initial pull, {initial['rows']:,} rows, loopback: time | {initial['seconds']:.2f} s "
        f"({initial['pages']} pages, {initial['requests']} requests) | — | — | < 3 s | "
        f"{'yes' if initial['seconds'] < 3 else 'no'} |",
        f"| Initial pull: bytes on the wire (down + up) | {_kb(initial['down'])} + "
        f"{_kb(initial['up'])} | same rows as zstd JSON lines: {_kb(figures['jsonl_zstd'])} | "
        f"{ratio_bytes:.2f}× | ≤ 1.3× | {'yes' if ratio_bytes <= 1.3 else 'no'} |",
        f"| Initial pull: apply time (SQLCipher, pages + cursor + summaries) | "
        f"{initial['apply_s']:.2f} s | plain SQLite `executemany` of the same rows: "
        f"{figures['executemany_s']:.2f} s | {ratio_apply:.2f}× | ≤ 3× | "
        f"{'yes' if ratio_apply <= 3 else 'no'} |",
        f"| Sync with nothing to do | {figures['idle']['requests']} round trip, "
        f"{figures['idle']['bytes']:,} bytes, {figures['idle']['seconds'] * 1000:.0f} ms | — | "
        f"— | 1 round trip, < 2 KB | "
        f"{'yes' if idle_ok else 'no'} |",
        f"| Push of 1,000 changes (then the pull of the same sync) | "
        f"{figures['push']['seconds']:.2f} s, {figures['push']['requests']} requests, "
        f"{_kb(figures['push']['up'])} up, {_kb(figures['push']['down'])} down | — | — | — | — |",
        f"| Pull of 100 changes | {figures['pull100']['seconds'] * 1000:.0f} ms, "
        f"{figures['pull100']['requests']} request(s), {_kb(figures['pull100']['down'])} down | "
        "— | — | — | — |",
    ]
    if "throttled" in figures:
        slow = figures["throttled"]
        cut = figures["cut"]
        resent = cut["down"] - slow["down"]
        page_bytes = slow["down"] / max(slow["pages"], 1)
        # Every page asked for, none applied twice, and less than one page of bytes again.
        # (Extra requests are those the server's keep-alive timeout closed while the slow
        # link was still delivering the previous answer: retried before any byte came.)
        resumed = (
            cut["ok"]
            and cut["cut_done"]
            and cut["distinct"] == slow["pages"]
            and resent < page_bytes
        )
        lines += [
            f"| Initial pull at 64 kbit/s, 300 ms RTT | {slow['seconds']:.1f} s, "
            f"{_kb(slow['down'])} down, {slow['pages']} pages | — | — | completes | "
            f"{'yes' if slow['ok'] else 'no'} |",
            f"| Same, cut in the middle of a page and resumed | {cut['seconds']:.1f} s, "
            f"{_kb(cut['down'])} down; {cut['distinct']} pages, {cut['pull_requests']} pull "
            f"requests (retries after the cut and after keep-alive closes) | uncut run: "
            f"{_kb(slow['down'])} | re-sent {_kb(max(resent, 0))} (part of the cut page; a "
            f"page is ~{_kb(page_bytes)}) | resumes, re-sends nothing applied | "
            f"{'yes' if resumed else 'no'} |",
        ]
    if "pg" in figures:
        pg = figures["pg"]
        pulls = pg["latencies"]["pull"]
        pushes = pg["latencies"]["push"]
        both = pulls + pushes
        burst = pg["burst"]["latencies"]
        p99 = percentile(both, 0.99) * 1000
        lines += [
            f"| PostgreSQL, {args.devices} devices syncing every ~{args.period:g} s for "
            f"{args.duration:g} s ({len(pulls):,} pulls, {len(pushes):,} pushes): latency | "
            f"p50 {percentile(both, 0.5) * 1000:.0f} ms, p99 {p99:.0f} ms (pull p99 "
            f"{percentile(pulls, 0.99) * 1000:.0f} ms, push p99 "
            f"{percentile(pushes, 0.99) * 1000:.0f} ms) | — | — | p99 < 200 ms | "
            f"{'yes' if p99 < 200 else 'no'} |",
            f"| Same: errors | {len(pg['errors'])} | — | — | none | "
            f"{'yes' if not pg['errors'] else 'no'} |",
            f"| PostgreSQL, the {args.devices} devices all syncing at the same instant (first "
            f"sync of the day, counts compared) | {len(burst)} pulls served in "
            f"{pg['burst']['seconds']:.1f} s: p50 {percentile(burst, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(burst, 0.99) * 1000:.0f} ms, {len(pg['burst']['errors'])} "
            "errors | — | — | (no target: worst case) | — |",
        ]
    lines += [""]
    if "pg" in figures:
        pg = figures["pg"]
        lines += [
            f"PostgreSQL run: {pg['persons']} persons of {pg['referents']} referents "
            "(`spie_desktop.demo`), `spie-server serve --workers 2` on the same 2-CPU machine as "
            "the load generator (one asyncio process, httpx); each device starts from the "
            "current cursor (as if synced), waits 0.5–1.5 periods between syncs, and one sync "
            "in ten first pushes one change to one of its referent's persons (the app syncs "
            "every 5 minutes and after edits: the period here is far shorter). Logins "
            f"({args.devices}, Argon2) took {pg['login_seconds']:.0f} s and are not counted. "
            f"Load average {pg['load_before']:.2f} before, {pg['load_after']:.2f} after.",
            "",
        ]
        if pg["errors"]:
            lines += ["Errors (first 5): " + "; ".join(pg["errors"][:5]), ""]
    else:
        lines += ["PostgreSQL figures skipped: no `--postgres-url` / `SPIE_TEST_POSTGRES_URL`.", ""]
    lines += [
        "How the baselines are made: *zstd JSON lines* = every pulled row (all columns, JSON "
        "form of `spie_desktop.domain.codec`), one object per line with its table, zstd "
        "level 3; *executemany* = the same rows in their storage form inserted with Python's "
        "`sqlite3.executemany` into the same schema (same indexes and constraints, WAL, "
        "synchronous=FULL), one transaction. The apply time of the sync is the time spent in "
        "`sync.apply.apply_page` (value conversion, upserts, caseload summaries, cursor), "
        "not counting the network and JSON decoding.",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
