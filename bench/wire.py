"""Wire benchmark (issue 9): the 25,000-row initial pull, typed with pydantic or msgspec.

Run from the repository root::

    .venv/bin/python bench/wire.py [--years 6] [--repeat 7]

The same pages a device downloads on its first sync (one referent, 150 persons, about
25,000 rows, pages of 5,000 rows), fetched from a real server on loopback, then on each
side of the wire, in one run:

- **device, parse**: ``json.loads`` into dicts (untyped, as before issue 9) against
  ``PullResponse.model_validate_json`` (pydantic, the protocol models) and
  ``msgspec.json.decode(type=…)`` (msgspec Structs mirroring the same models, written here
  only to measure: msgspec is not a dependency of the product);
- **server, build**: ``json.dumps`` of the page dict against building the page through
  ``PullResponse`` then ``model_dump_json``, and through msgspec.

Medians of ``--repeat`` runs, per whole download. msgspec is measured when it is installed
(``.venv/bin/pip install msgspec``); its column is left out otherwise. Figures are printed and
written to ``bench/results/wire.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
# bench/ (this script's folder, first on the path) holds sync.py: the package comes first.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import httpx  # noqa: E402

from spie_desktop.demo import DemoSpec, generate  # noqa: E402
from sync.protocol import MAX_PULL_LIMIT, PROTOCOL_VERSION, PullResponse  # noqa: E402
from sync.server.admin import Admin  # noqa: E402
from sync.server.db import database_url, make_engine  # noqa: E402
from sync.server.demo import create_accounts, load_rows  # noqa: E402
from sync.server.settings import ServerSettings  # noqa: E402
from tests.support.devkit import Device, ServerThread  # noqa: E402

PASSWORD = "demo-spie-2026"
RESULTS = ROOT / "bench" / "results" / "wire.md"

try:
    import msgspec
except ImportError:  # measured only where installed
    msgspec = None  # type: ignore[assignment]


if msgspec is not None:
    # msgspec Structs with the fields and constraints of sync.protocol's pull models (module
    # level: the annotations are strings, resolved in this module's namespace).

    class RowBlockS(msgspec.Struct):
        table: str
        columns: list[str]
        rows: list[list[Any]]
        hlcs: list[str | None] | None = None

    class PulledChangeS(msgspec.Struct):
        seq: int
        kind: Literal["change", "grant", "revoke", "purge", "conflict"]
        table: str | None = None
        row_id: uuid.UUID | None = None
        person_id: uuid.UUID | None = None
        op: Literal["upsert", "delete"] | None = None
        fields: dict[str, Any] = msgspec.field(default_factory=dict)
        hlc: str | None = None
        clocks: dict[str, str] | None = None
        read_only: bool | None = None
        snapshot: list[RowBlockS] = msgspec.field(default_factory=list)

    class PullResponseS(msgspec.Struct):
        mode: Literal["snapshot", "log"]
        next: str
        more: bool
        server_time: datetime
        protocol: int = PROTOCOL_VERSION
        snapshot: list[RowBlockS] = msgspec.field(default_factory=list)
        changes: list[PulledChangeS] = msgspec.field(default_factory=list)
        counts: dict[str, int] | None = None
        hlc: str | None = None
        restored: bool = False
        generation: int | None = None


def _pages(url: str, token: str) -> list[bytes]:
    """Every page of a first download, as the server sends them (uncompressed)."""
    pages: list[bytes] = []
    cursor = "0"
    with httpx.Client(base_url=url, timeout=120) as client:
        while True:
            answer = client.get(
                "/sync/pull",
                params={"since": cursor, "limit": MAX_PULL_LIMIT, "protocol": PROTOCOL_VERSION},
                headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
            )
            answer.raise_for_status()
            pages.append(answer.content)
            document = answer.json()
            cursor = document["next"]
            if not document["more"]:
                return pages


def _median(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def _rows(documents: list[dict[str, Any]]) -> int:
    total = 0
    for document in documents:
        total += sum(len(block["rows"]) for block in document.get("snapshot", []))
        total += len(document.get("changes", []))
        for change in document.get("changes", []):
            total += sum(len(block["rows"]) for block in change.get("snapshot", []))
    return total


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=150)
    parser.add_argument("--years", type=float, default=6.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="spie-bench-wire-"))
    data_dir = root / "server"
    data_dir.mkdir()
    settings = ServerSettings(
        database_url=database_url(data_dir, None), data_dir=data_dir
    ).fast_hashing()
    admin = Admin(make_engine(settings.database_url), settings)
    spec = DemoSpec(
        referents=1,
        persons_per_referent=args.persons,
        seed=args.seed,
        min_years=max(0.5, args.years - 0.5),
        max_years=args.years + 0.5,
    )
    load_rows(admin, generate(spec))
    create_accounts(admin, None, PASSWORD)
    server = ServerThread(settings).start()
    try:
        device = Device(root / "devices", "laptop", server.url)
        device.login("demo.referent", PASSWORD)
        raw = _pages(server.url, device.client._token())
        device.close()
    finally:
        server.stop()

    dicts = [json.loads(page) for page in raw]
    rows = _rows(dicts)
    size = sum(len(page) for page in raw)
    figures: dict[str, dict[str, float | None]] = {"parse": {}, "build": {}}
    repeat = args.repeat

    # Device side: bytes → values the apply step reads.
    figures["parse"]["json.loads (untyped)"] = _median(
        lambda: [json.loads(page) for page in raw], repeat
    )
    figures["parse"]["pydantic model_validate_json"] = _median(
        lambda: [PullResponse.model_validate_json(page) for page in raw], repeat
    )
    # Server side: the page dict → bytes.
    figures["build"]["json.dumps (untyped)"] = _median(
        lambda: [json.dumps(d, separators=(",", ":"), ensure_ascii=False) for d in dicts], repeat
    )
    figures["build"]["pydantic model_validate + model_dump_json"] = _median(
        lambda: [PullResponse.model_validate(d).model_dump_json() for d in dicts], repeat
    )
    if msgspec is not None:
        pull_struct = PullResponseS
        decoder = msgspec.json.Decoder(pull_struct)
        encoder = msgspec.json.Encoder()
        figures["parse"]["msgspec decode(type=…)"] = _median(
            lambda: [decoder.decode(page) for page in raw], repeat
        )
        figures["build"]["msgspec convert + encode"] = _median(
            lambda: [encoder.encode(msgspec.convert(d, pull_struct)) for d in dicts], repeat
        )
    # Equivalence: the typed parse reads back what the server sent.
    for page, document in zip(raw, dicts, strict=True):
        typed = PullResponse.model_validate_json(page).model_dump(mode="json")
        assert typed["next"] == document["next"] and typed["more"] == document["more"]
        assert len(typed["snapshot"]) == len(document.get("snapshot", []))

    lines = [
        "# Wire benchmark (bench/wire.py)",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.processor() or platform.machine()}"
        f" · Python {platform.python_version()} · median of {repeat} runs",
        "",
        f"First download of one referent's caseload: {rows:,} rows in {len(raw)} pages, "
        f"{size / 1e6:.1f} MB of JSON before compression.",
        "",
        "| side | how | whole download | per 1,000 rows |",
        "| --- | --- | ---: | ---: |",
    ]
    for side, label in (("parse", "device: parse"), ("build", "server: build")):
        for how, seconds in figures[side].items():
            assert seconds is not None
            lines.append(
                f"| {label} | {how} | {seconds * 1000:.0f} ms | "
                f"{seconds * 1000 / rows * 1000:.2f} ms |"
            )
    if msgspec is None:
        lines += ["", "msgspec not installed: its rows are absent (`pip install msgspec`)."]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
