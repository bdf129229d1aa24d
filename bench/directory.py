"""Directory benchmark (issue 16): 20,000 partner services on the device.

Run from the repository root::

    .venv/bin/python bench/directory.py [--services 20000] [--repeat 50]

1. A real server on loopback (SQLite, a thread), the directory imported from data·inclusion
   files made by ``tests.support.directory_data`` (``--services`` services, one structure per
   20), then a fresh device (real SQLCipher store, real ``SyncClient``): its first sync is
   timed (login excluded), and the import too.
2. On that device, each search of the Annuaire view ``--repeat`` times after a warm-up: words
   (accent-free), a barrier theme, theme + commune, distance 10 km from a commune, public +
   fees + reception mode, everything at once. Median and p95 printed as Markdown and written
   to ``bench/results/directory.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spie_desktop.services import directory
from spie_desktop.services.directory import Criteria
from sync.server.admin import Admin
from sync.server.db import database_url
from sync.server.directory import import_files
from sync.server.settings import ServerSettings
from tests.support import directory_data
from tests.support.devkit import Device, ServerThread

RESULTS = Path(__file__).resolve().parent / "results" / "directory.md"
PASSWORD = "mot-de-passe-bench"


def _searches(position: tuple[float, float]) -> dict[str, Criteria]:
    return {
        "words « permis conduire »": Criteria(text="permis conduire"),
        "words « epicerie venissieux »": Criteria(text="epicerie venissieux"),
        "theme « mobilite »": Criteria(theme="mobilite"),
        "theme + commune": Criteria(theme="logement", code_insee="69266"),
        "distance ≤ 10 km": Criteria(near=position, radius_km=10),
        "public + fees + mode": Criteria(
            public="femmes", frais="gratuit", mode_accueil="en-presentiel"
        ),
        "all at once": Criteria(
            text="atelier",
            theme="preparer_sa_candidature",
            near=position,
            radius_km=15,
            public="jeunes",
            frais="gratuit",
            mode_accueil="en-presentiel",
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="spie-bench-directory-") as tmp:
        root = Path(tmp)
        data_dir = root / "server"
        data_dir.mkdir()
        settings = ServerSettings(
            database_url=database_url(data_dir, None), data_dir=data_dir
        ).fast_hashing()
        server = ServerThread(settings).start()
        try:
            admin = Admin(server.engine, settings, migrate_schema=False, actor="bench")
            admin.create_user("alice.martin", first_name="Alice", last_name="Martin",
                              role="referent", team=None, password=PASSWORD)  # fmt: skip
            structures = directory_data.structures(max(1, args.services // 20))
            services = directory_data.services(args.services, structures)
            (root / "structures.json").write_text(json.dumps(structures), encoding="utf-8")
            (root / "services.json").write_text(json.dumps({"items": services}), encoding="utf-8")
            started = time.perf_counter()
            report = import_files(
                server.engine, [root / "structures.json", root / "services.json"],
                now=settings.now(),
            )  # fmt: skip
            import_s = time.perf_counter() - started
            assert not report.problems, report.problems[:3]
            device = Device(root / "devices", "bench", server.url)
            device.login("alice.martin", PASSWORD)
            started = time.perf_counter()
            sync = device.sync()
            first_sync_s = time.perf_counter() - started
            assert sync.directory == len(structures) + len(services), sync.directory
            started = time.perf_counter()
            device.sync()
            idle_sync_s = time.perf_counter() - started
            rows: list[tuple[str, float, float, int]] = []
            with device.store.read() as session:
                found = directory.commune_position(session, "Vénissieux", "69200")
                assert found is not None
                searches = _searches(found[1])
                rng = random.Random(16)
                names = list(searches)
                for name in names * 3:  # warm-up
                    directory.search(session, searches[name])
                timings: dict[str, list[float]] = {name: [] for name in names}
                totals: dict[str, int] = {}
                for _ in range(args.repeat):
                    rng.shuffle(names)
                    for name in names:
                        t0 = time.perf_counter()
                        result = directory.search(session, searches[name])
                        timings[name].append((time.perf_counter() - t0) * 1000)
                        totals[name] = result.total
                for name in searches:
                    values = sorted(timings[name])
                    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
                    rows.append((name, statistics.median(values), p95, totals[name]))
            device.close()
        finally:
            server.stop()
    lines = [
        f"# Directory: {args.services:,} services on the device",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}; "
        f"repeat {args.repeat}. Command: `.venv/bin/python bench/directory.py "
        f"--services {args.services} --repeat {args.repeat}`.",
        "",
        "| step | seconds |",
        "| --- | ---: |",
        f"| server import ({len(structures):,} structures + {args.services:,} services, "
        f"validated) | {import_s:.2f} |",
        f"| first directory sync of a fresh device (loopback) | {first_sync_s:.2f} |",
        f"| next sync, nothing new | {idle_sync_s:.2f} |",
        "",
        "| search | median (ms) | p95 (ms) | matches |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {n} | {m:.1f} | {p:.1f} | {t:,} |" for n, m, p, t in rows),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
