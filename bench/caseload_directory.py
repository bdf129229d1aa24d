"""Does a full partner directory slow the caseload? (issue 16: « no slower caseload »)

Run from the repository root::

    .venv/bin/python bench/caseload_directory.py [--persons 2000] [--services 20000] [--repeat 20]

It takes the demo store of ``bench/store.py`` (built once, cached under ``bench/.cache/``),
copies its encrypted store, loads ``--services`` partner services (and their structures, from
``tests.support.directory_data``) into the copy as a directory sync leaves them
(``directory.apply_records``: rows and the words' index), then times the caseload queries of
``bench/store.py`` and the dashboard counts on both stores in one process, alternating which
goes first. Medians and p95 side by side, written to ``bench/results/caseload_directory.md``.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import percentile  # noqa: E402
from bench import store as store_bench  # noqa: E402
from spie_desktop.services import directory  # noqa: E402
from spie_desktop.services.caseload import CaseloadFilter, dashboard_counts  # noqa: E402
from spie_desktop.store.store import Store  # noqa: E402
from spie_desktop.store.vault import Vault  # noqa: E402
from tests.support import directory_data  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "caseload_directory.md"


def _record(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "id": data["id"], "status": "open", "origin": "import", "data": data}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=2_000)
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)

    spec = store_bench.spec_for(args.persons, args.seed)
    assert spec.now is not None
    now = spec.now
    built = store_bench.build(spec, False)
    with tempfile.TemporaryDirectory(prefix="spie-bench-caseload-directory-") as tmp:
        copy = Path(tmp) / "with-directory"
        shutil.copytree(built.encrypted_dir, copy)
        stores: dict[str, Store] = {}
        for name, data_dir in (("without directory", built.encrypted_dir), ("with it", copy)):
            vault = Vault.load(data_dir, keyring_backend=built.keyring)
            key = vault.unlock(store_bench.PASSPHRASE)
            stores[name] = Store.open_with_key(data_dir, key, device_id=vault.device_id)
        structures = directory_data.structures(max(1, args.services // 20))
        services = directory_data.services(args.services, structures)
        started = time.perf_counter()
        with stores["with it"].write() as session:
            directory.apply_records(session, [_record("structure", s) for s in structures])
            for first in range(0, len(services), 5_000):
                chunk = services[first : first + 5_000]
                directory.apply_records(session, [_record("service", s) for s in chunk])
        loaded_s = time.perf_counter() - started

        filters = [
            ("aucun filtre", CaseloadFilter()),
            ("recherche « mar »", CaseloadFilter(search="mar")),
            ("sans contact depuis 45 j", CaseloadFilter(not_seen_for_days=45)),
            ("frein mobilité", CaseloadFilter(barrier_theme="mobilite")),
            ("alertes seulement", CaseloadFilter(alerts_only=True)),
        ]
        queries = [
            store_bench.Query(f"caseload : {label}", "caseload", store_bench.caseload_query(f, now))
            for label, f in filters
        ]

        def run_dashboard(store: Store, _rep: int) -> int:
            with store.read() as session:
                return dashboard_counts(session, now).followed

        queries.append(store_bench.Query("dashboard counts", "dashboard", run_dashboard))
        store_bench.measure(queries, stores, args.repeat, store_bench.WARMUP)
        for store in stores.values():
            store.close()

    lines = [
        "# The caseload with and without the partner directory",
        "",
        f"- Command: `.venv/bin/python bench/caseload_directory.py --persons {args.persons} "
        f"--services {args.services} --repeat {args.repeat}`",
        f"- Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {platform.platform()}",
        f"- {args.services:,} services loaded into the copy in {loaded_s:.1f} s",
        "",
        "| query (encrypted store) | without directory: median / p95 | with it | ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    for query in queries:
        without = query.samples["without directory"]
        with_it = query.samples["with it"]
        ratio = statistics.median(with_it) / statistics.median(without)
        lines.append(
            f"| {query.name} | {statistics.median(without):.1f} / "
            f"{percentile(without, 0.95):.1f} ms | {statistics.median(with_it):.1f} / "
            f"{percentile(with_it, 0.95):.1f} ms | {ratio:.2f}× |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
