"""The initial pull of ``bench/sync.py``'s scenario over a slower link, side by side.

Run from the root of the tree to measure (this file may live in another tree: it loads the
``bench/sync.py`` of the current directory, so that a baseline worktree is measured with its
own code)::

    .venv/bin/python bench/sync_link.py [--rate 1000000] [--rtt 0.05]
    (cd ../baseline && /path/to/main/.venv/bin/python /path/to/main/bench/sync_link.py)

One referent's caseload (150 persons, ~25,000 rows) on a real server (its own process), a
fresh SQLCipher device pulling through the TCP proxy throttled to ``--rate`` bytes per
second each way with ``--rtt`` seconds of round trip (default: 8 Mbit/s, 50 ms — a
departmental server over ADSL). Prints the seconds, pages and rows.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path.cwd()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=1_000_000, help="bytes per second")
    parser.add_argument("--rtt", type=float, default=0.05, help="round trip, seconds")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    # This file's folder holds a ``sync.py`` that would hide the ``sync`` package.
    here = Path(__file__).resolve().parent
    sys.path[:] = [str(ROOT), str(ROOT / "tests" / "faults")] + [
        p for p in sys.path if Path(p or ".").resolve() != here
    ]
    spec = importlib.util.spec_from_file_location("bench_sync", ROOT / "bench" / "sync.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    root = Path(tempfile.mkdtemp(prefix="spie-bench-link-"))
    data_dir = root / "server"
    data_dir.mkdir()
    settings = bench.ServerSettings(
        database_url=bench.database_url(data_dir, None), data_dir=data_dir
    ).fast_hashing()
    admin = bench.Admin(bench.make_engine(settings.database_url), settings)
    demo = bench.DemoSpec(
        referents=1, persons_per_referent=150, seed=args.seed, min_years=5.5, max_years=6.5
    )
    bench.load_rows(admin, bench.generate(demo))
    bench.create_accounts(admin, None, bench.PASSWORD)
    server = bench.ServerProcess(data_dir).start()
    proxy = bench.FaultProxy(server.port).start()
    try:
        device = bench._device(root, "laptop", proxy.url)
        proxy.throttle(args.rate, rtt_s=args.rtt)
        began = time.perf_counter()
        report = device.sync()
        seconds = time.perf_counter() - began
        assert report.ok, report
        print(
            f"{ROOT.name}: initial pull at {args.rate * 8 / 1e6:g} Mbit/s, "
            f"{args.rtt * 1000:g} ms RTT: {seconds:.2f} s, {report.pages} pages, "
            f"{report.pulled_rows:,} rows"
        )
    finally:
        proxy.stop()
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
