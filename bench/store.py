"""Store benchmark: the app's own queries on SQLCipher vs plain SQLite, same rows.

Run from the repository root::

    .venv/bin/python bench/store.py [--persons 10000] [--repeat 30]

It builds (once, cached under ``bench/.cache/``) a demo store of ``--persons`` persons
(``spie_desktop.demo``: 10,000 persons is about one million rows) twice with the same rows:
encrypted (SQLCipher through :class:`Store`) and plain SQLite (:meth:`Store.open_plain`).
The cache is reused when the spec, the reference date, the generator and the schema are
unchanged; ``--rebuild`` forces a new one.

Then, in one process, it measures on both stores, alternating which goes first, after a
warm-up, ``--repeat`` times each:

- the caseload list for each filter of :class:`CaseloadFilter`: ``caseload_keys`` then
  ``caseload_rows`` of the first 50 ids (what the UI shows first);
- a person's ``timeline`` (a different random person each repetition, the same on both
  stores);
- ``dashboard_counts`` (whole store, and one referent);
- ``Store.open_with_key`` / ``Store.open_plain``: opening once the key is derived, migration
  check included.

Medians, p95 and the encrypted/plain ratio per query are printed as a Markdown table and
written to ``bench/results/store.md``. As an extra column the plain file is also read through
SQLCipher's own SQLite with no key, since Python's ``sqlite3`` may be another SQLite version:
the difference between the two plain columns is the SQLite version, not encryption.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, event, select, text  # noqa: E402
from sqlalchemy.pool import QueuePool  # noqa: E402
from sqlcipher3 import dbapi2 as sqlcipher_dbapi  # noqa: E402

from bench import percentile  # noqa: E402
from spie_desktop import demo  # noqa: E402
from spie_desktop.domain.models import Person, Referent  # noqa: E402
from spie_desktop.services.caseload import (  # noqa: E402
    CaseloadFilter,
    caseload_keys,
    caseload_rows,
    dashboard_counts,
)
from spie_desktop.services.timeline import timeline  # noqa: E402
from spie_desktop.store import engine as store_engine  # noqa: E402
from spie_desktop.store import migrate  # noqa: E402
from spie_desktop.store.engine import DATABASE_FILE  # noqa: E402
from spie_desktop.store.file_keyring import FileKeyring  # noqa: E402
from spie_desktop.store.store import Store  # noqa: E402
from spie_desktop.store.vault import Vault  # noqa: E402

CACHE_DIR = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results" / "store.md"
PASSPHRASE = "banc d'essai du magasin"
PERSONS_PER_REFERENT = 200
FIRST_PAGE = 50
WARMUP = 3

TARGET_RATIO = 1.25
TARGET_CASELOAD_MS = 50.0
TARGET_TIMELINE_MS = 10.0
TARGET_OPEN_MS = 100.0


# -- building the two stores ---------------------------------------------------------------


def spec_for(persons: int, seed: int) -> demo.DemoSpec:
    referents = max(1, round(persons / PERSONS_PER_REFERENT))
    per_referent = max(1, round(persons / referents))
    spec = demo.DemoSpec(referents=referents, persons_per_referent=per_referent, seed=seed)
    return demo.DemoSpec(
        referents=spec.referents,
        persons_per_referent=spec.persons_per_referent,
        seed=spec.seed,
        now=demo.reference_now(spec),
    )


def cache_key(spec: demo.DemoSpec) -> str:
    """Changes with the spec, the reference date, the generator's code and the schema."""
    assert spec.now is not None
    digest = hashlib.sha256()
    digest.update(Path(demo.__file__).read_bytes())
    digest.update(migrate.head_revision().encode())
    return (
        f"r{spec.referents}x{spec.persons_per_referent}-s{spec.seed}-{spec.now:%Y%m%d}"
        f"-{digest.hexdigest()[:10]}"
    )


@dataclass
class Built:
    root: Path
    meta: dict[str, Any]

    @property
    def encrypted_dir(self) -> Path:
        return self.root / "encrypted"

    @property
    def plain_path(self) -> Path:
        return self.root / "plain" / DATABASE_FILE

    @property
    def keyring(self) -> FileKeyring:
        return FileKeyring(self.root / "keyring.json")


def build(spec: demo.DemoSpec, rebuild: bool) -> Built:
    root = CACHE_DIR / cache_key(spec)
    meta_path = root / "meta.json"
    if meta_path.exists() and not rebuild:
        print(f"Magasins en cache réutilisés : {root}", file=sys.stderr)
        return Built(root, json.loads(meta_path.read_text(encoding="utf-8")))
    if CACHE_DIR.exists():
        for old in CACHE_DIR.iterdir():  # one cached build at a time: they weigh ~1 GB
            if old.is_dir():
                shutil.rmtree(old)
    root.mkdir(parents=True)
    built = Built(root, {})
    (root / "plain").mkdir()

    def report(label: str) -> Callable[[int], None]:
        total = demo.estimated_rows(spec)
        step = max(1, total // 20)
        marks = {"next": step}

        def progress(rows: int) -> None:
            if rows >= marks["next"]:
                print(f"  {label} : {rows:,} lignes", file=sys.stderr)
                marks["next"] = rows + step

        return progress

    timings: dict[str, float] = {}
    print("Construction du magasin chiffré…", file=sys.stderr)
    started = time.perf_counter()
    encrypted = Store.create(built.encrypted_dir, PASSPHRASE, keyring_backend=built.keyring)
    counts = demo.load_into_store(encrypted, spec, progress=report("chiffré"))
    timings["encrypted_load_s"] = time.perf_counter() - started
    encrypted.close()

    print("Construction du magasin en clair…", file=sys.stderr)
    started = time.perf_counter()
    plain = Store.open_plain(built.plain_path)
    plain_counts = demo.load_into_store(plain, spec, progress=report("en clair"))
    timings["plain_load_s"] = time.perf_counter() - started
    plain.close()
    if plain_counts != counts:
        raise SystemExit("Les deux magasins n'ont pas les mêmes lignes.")

    built.meta = {
        "spec": {
            "referents": spec.referents,
            "persons_per_referent": spec.persons_per_referent,
            "seed": spec.seed,
            "now": spec.now.isoformat() if spec.now else None,
        },
        "counts": counts,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **timings,
    }
    (root / "meta.json").write_text(json.dumps(built.meta, indent=2), encoding="utf-8")
    return built


def unkeyed_sqlcipher_engine(path: Path) -> Engine:
    """The plain file through SQLCipher's SQLite, never keyed (so not encrypted), with the
    store's connection pragmas and transaction handling."""
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        module=sqlcipher_dbapi,
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        connect_args={"check_same_thread": False},
    )
    pragmas = tuple(getattr(store_engine, "_COMMON_PRAGMAS", ()))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for statement in pragmas:
            cursor.execute(statement)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Query:
    name: str
    group: str  # caseload | timeline | dashboard | open
    run: Callable[[Store, int], int]  # (store, repetition) -> number of results
    samples: dict[str, list[float]] = field(default_factory=dict)
    results: int = 0


def caseload_query(flt: CaseloadFilter, now: datetime) -> Callable[[Store, int], int]:
    def run(store: Store, _rep: int) -> int:
        with store.read() as session:
            keys = caseload_keys(session, flt, now)
            first_page = [uuid.UUID(hex=key) for key in keys[:FIRST_PAGE]]
            caseload_rows(session, first_page, now)
        return len(keys)

    return run


def measure(queries: list[Query], stores: dict[str, Store], repeat: int, warmup: int) -> None:
    """Run every query on every store, ``repeat`` times after ``warmup`` runs.

    Each repetition alternates the order of the stores. The garbage of the previous run is
    collected before each timed run: otherwise a full collection lands on whichever store
    happens to run after the others and is charged to that store (seen: 34 ms runs turned
    into 90–150 ms ones, always for the last store of the round).
    """
    names = list(stores)
    for query in queries:
        query.samples = {name: [] for name in names}
    gc.collect()
    gc.freeze()  # the long-lived objects of the set-up are not scanned again
    for rep in range(-warmup, repeat):
        order = names if rep % 2 == 0 else list(reversed(names))
        for query in queries:
            for name in order:
                gc.collect()
                started = time.perf_counter()
                query.results = query.run(stores[name], max(rep, 0))
                elapsed = (time.perf_counter() - started) * 1000
                if rep >= 0:
                    query.samples[name].append(elapsed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat doit être positif")

    spec = spec_for(args.persons, args.seed)
    assert spec.now is not None
    now = spec.now
    built = build(spec, args.rebuild)

    vault = Vault.load(built.encrypted_dir, keyring_backend=built.keyring)
    data_key = vault.unlock(PASSPHRASE)
    encrypted = Store.open_with_key(built.encrypted_dir, data_key, device_id=vault.device_id)
    plain = Store.open_plain(built.plain_path)
    unkeyed = Store(
        unkeyed_sqlcipher_engine(built.plain_path),
        device_id="plain-sqlcipher",
        data_dir=built.plain_path.parent,
    )
    stores = {"encrypted": encrypted, "plain": plain, "plain_sqlcipher": unkeyed}

    with plain.read() as session:
        referent_id = session.execute(
            select(Referent.id).where(Referent.username == demo.DEMO_REFERENT)
        ).scalar_one()
        person_ids: list[uuid.UUID] = list(
            session.execute(select(Person.id).order_by(Person.id)).scalars()
        )
    rng = random.Random(args.seed)
    picks = [rng.choice(person_ids) for _ in range(args.repeat + 1)]

    filters: list[tuple[str, CaseloadFilter]] = [
        ("aucun filtre", CaseloadFilter()),
        ("recherche « mar »", CaseloadFilter(search="mar")),
        ("statut en accompagnement", CaseloadFilter(follow_up_statuses=("en_accompagnement",))),
        ("orientation professionnelle", CaseloadFilter(orientations=("professional",))),
        ("référent (demo.referent)", CaseloadFilter(referent_id=referent_id)),
        ("sans contact depuis 45 j", CaseloadFilter(not_seen_for_days=45)),
        ("rendez-vous sous 7 j", CaseloadFilter(next_appointment_within_days=7)),
        ("frein mobilité", CaseloadFilter(barrier_theme="mobilite")),
        ("actions échues", CaseloadFilter(overdue_actions=True)),
        ("alertes seulement", CaseloadFilter(alerts_only=True)),
    ]
    queries = [
        Query(f"caseload : {label}", "caseload", caseload_query(flt, now)) for label, flt in filters
    ]

    def run_timeline(store: Store, rep: int) -> int:
        with store.read() as session:
            return len(timeline(session, picks[rep]))

    def run_dashboard(store: Store, _rep: int) -> int:
        with store.read() as session:
            return dashboard_counts(session, now).followed

    def run_dashboard_referent(store: Store, _rep: int) -> int:
        with store.read() as session:
            return dashboard_counts(session, now, referent_id).followed

    def run_open(store: Store, _rep: int) -> int:
        if store is encrypted:
            opened = Store.open_with_key(built.encrypted_dir, data_key, device_id=vault.device_id)
        elif store is plain:
            opened = Store.open_plain(built.plain_path)
        else:
            opened = Store(
                unkeyed_sqlcipher_engine(built.plain_path),
                device_id="plain-sqlcipher",
                data_dir=built.plain_path.parent,
            )
        opened.close()
        return 1

    queries += [
        Query("timeline (personne au hasard)", "timeline", run_timeline),
        Query("tableau de bord (tous)", "dashboard", run_dashboard),
        Query("tableau de bord (un référent)", "dashboard", run_dashboard_referent),
        Query("ouverture (clé dérivée, migrations vérifiées)", "open", run_open),
    ]

    print(f"Mesures : {args.repeat} répétitions × {len(queries)} requêtes…", file=sys.stderr)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    measure(queries, stores, args.repeat, WARMUP)
    elapsed = time.perf_counter() - started
    load = (load_before, os.getloadavg()[0])

    with encrypted.engine.connect() as connection:
        cipher_version = connection.execute(text("PRAGMA cipher_version")).scalar_one()
        cipher_sqlite = connection.execute(text("SELECT sqlite_version()")).scalar_one()
    for store in stores.values():
        store.close()

    report = render(args, spec, built, queries, cipher_version, cipher_sqlite, elapsed, load)
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(f"Écrit dans {args.output}", file=sys.stderr)
    return 0


# -- report ----------------------------------------------------------------------------------


def target_of(query: Query) -> tuple[str, float | None]:
    return {
        "caseload": ("< 50 ms", TARGET_CASELOAD_MS),
        "timeline": ("< 10 ms", TARGET_TIMELINE_MS),
        "open": ("< 100 ms", TARGET_OPEN_MS),
    }.get(query.group, ("—", None))


def render(
    args: argparse.Namespace,
    spec: demo.DemoSpec,
    built: Built,
    queries: list[Query],
    cipher_version: str,
    cipher_sqlite: str,
    elapsed: float,
    load: tuple[float, float],
) -> str:
    counts: dict[str, int] = built.meta["counts"]
    total_rows = sum(counts.values())
    size_enc = (built.encrypted_dir / DATABASE_FILE).stat().st_size
    size_plain = built.plain_path.stat().st_size
    command = (
        ".venv/bin/python bench/store.py"
        + (f" --persons {args.persons}" if args.persons != 10_000 else "")
        + (f" --repeat {args.repeat}" if args.repeat != 30 else "")
        + (f" --seed {args.seed}" if args.seed != 2026 else "")
    )
    lines = [
        "# Store benchmark — SQLCipher vs plain SQLite",
        "",
        f"- Command: `{command}` (from the repository root)",
        f"- Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {elapsed:.0f} s of measurements",
        f"- Machine: {os.cpu_count()} CPU (nproc), {platform.platform()}, "
        f"{platform.processor() or platform.machine()}; load average (1 min) "
        f"{load[0]:.2f} before and {load[1]:.2f} after the measurements (other work on the "
        "machine inflates medians and p95)",
        f"- Python {platform.python_version()}; SQLCipher {cipher_version} "
        f"(SQLite {cipher_sqlite}); plain baseline: Python's sqlite3 (SQLite "
        f"{sqlite3.sqlite_version})",
        f"- Data: `spie_desktop.demo`, {spec.persons:,} persons ({spec.referents} referents × "
        f"{spec.persons_per_referent}), seed {spec.seed}, reference date {spec.now:%Y-%m-%d}; "
        f"{total_rows:,} rows: " + ", ".join(f"{name} {count:,}" for name, count in counts.items()),
        f"- Files: encrypted {size_enc / 1e6:.0f} MB, plain {size_plain / 1e6:.0f} MB; "
        f"generation + load {built.meta['encrypted_load_s']:.0f} s encrypted, "
        f"{built.meta['plain_load_s']:.0f} s plain (built {built.meta['built_at']})",
        f"- Method: one process, stores open and warm, {WARMUP} warm-up runs then "
        f"{args.repeat} measured runs per query and store, alternating which store goes first; "
        "each caseload run is `caseload_keys` + `caseload_rows` of the first "
        f"{FIRST_PAGE} ids, in a read session as the UI does; timeline on a different random "
        "person each run (same person on both stores); garbage collected before each timed "
        "run (set-up objects frozen), so that a full collection is not charged to whichever "
        "store runs last.",
        "",
        "Times in milliseconds. *Ratio* = encrypted median / plain median. The last two "
        "columns read the plain file through SQLCipher's SQLite without a key, to separate "
        "the cost of encryption from the difference of SQLite versions.",
        "",
        "| Query | Results | Encrypted median | Encrypted p95 | Plain median | Plain p95 "
        "| Ratio | Target | Met | Plain (SQLCipher's SQLite) median | Ratio vs it |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |",
    ]
    ratios: list[float] = []
    ratios_same_engine: list[float] = []
    failures: list[str] = []
    for query in queries:
        enc = query.samples["encrypted"]
        pla = query.samples["plain"]
        same = query.samples["plain_sqlcipher"]
        enc_median, pla_median, same_median = (
            statistics.median(enc),
            statistics.median(pla),
            statistics.median(same),
        )
        ratio = enc_median / pla_median
        ratio_same = enc_median / same_median
        ratios.append(ratio)
        ratios_same_engine.append(ratio_same)
        target_label, target = target_of(query)
        enc_p95 = percentile(enc, 0.95)
        met = "—"
        if target is not None:
            met = "yes" if enc_p95 < target else ("median only" if enc_median < target else "NO")
            if enc_median >= target:
                failures.append(query.name)
        results = f"{query.results:,}" if query.group in ("caseload", "timeline") else ""
        lines.append(
            f"| {query.name} | {results} | {enc_median:.2f} | {enc_p95:.2f} | {pla_median:.2f} "
            f"| {percentile(pla, 0.95):.2f} | {ratio:.2f}× | {target_label} | {met} "
            f"| {same_median:.2f} | {ratio_same:.2f}× |"
        )
    overall = statistics.median(ratios)
    overall_same = statistics.median(ratios_same_engine)
    if overall > TARGET_RATIO:
        failures.append("median ratio")
    lines += [
        "",
        f"**Median ratio over all queries: {overall:.2f}×** (target ≤ {TARGET_RATIO}×; "
        f"{overall_same:.2f}× against the same SQLite engine without encryption).",
        "",
        "Targets: caseload list < 50 ms, timeline < 10 ms, open < 100 ms, checked on the "
        'encrypted store ("yes": p95 under target; "median only": median under target, '
        "p95 over).",
        "",
        "Result: "
        + ("all targets met." if not failures else "missed: " + ", ".join(failures) + "."),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
