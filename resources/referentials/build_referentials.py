"""Regenerate ``carnet-de-bord.json`` from the shared Carnet de bord reference data.

Usage (from anywhere)::

    python resources/referentials/build_referentials.py [--shared DIR] [--out DIR]

The source lists live outside the repository (``<workspace>/shared/data``, i.e.
``Path(__file__).parents[3] / "shared" / "data"``); set ``SPIE_SHARED_DATA`` or pass
``--shared`` to read them from elsewhere. The generated JSON is committed: the application
never reads the shared directory at run time.

Themes keep their Carnet de bord codes. Targets, situations and actions only have a theme and a
label upstream, so each gets a stable code ``f"{theme}.{slug}"`` where ``slug`` is the label
lowercased, accents stripped, non-alphanumerics collapsed to ``_``, trimmed and cut to 60
characters; a collision within one kind gets ``_2``, ``_3``… in source order. The output is a
pure function of the input (same order, same bytes), so re-running it is safe.

English labels are not upstream: they live in ``carnet-de-bord.en.json`` next to this script
(``{kind: {code: label}}``, written for SPIE Desktop's English interface) and are merged as
``label_en``. Every entry must have one and every code there must exist, so an upstream change
that adds or renames a label fails the build instead of leaving French in the English UI.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

SOURCE_FILE = "carnet-de-bord-referentials.json"
OUTPUT_FILE = "carnet-de-bord.json"
ENGLISH_FILE = "carnet-de-bord.en.json"
SLUG_MAX = 60
THEMED_KINDS = ("targets", "situations", "actions")

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def default_shared_dir() -> Path:
    env = os.environ.get("SPIE_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def slugify(label: str) -> str:
    """Lowercase ASCII slug of ``label``: accents stripped, runs of other characters → ``_``."""
    decomposed = unicodedata.normalize("NFKD", label.lower())
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    slug = _NON_ALNUM.sub("_", ascii_only).strip("_")
    return slug[:SLUG_MAX].rstrip("_")


def _coded(entries: list[dict[str, Any]], kind: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        theme, label = entry.get("theme"), entry.get("label")
        if not isinstance(theme, str) or not isinstance(label, str) or not label.strip():
            raise ValueError(f"{kind}[{index}]: theme and label required, got {entry!r}")
        base = f"{theme}.{slugify(label)}"
        code, n = base, 1
        while code in seen:
            n += 1
            code = f"{base}_{n}"
        seen.add(code)
        out.append({"code": code, "theme": theme, "label": label})
    return out


def default_english_file() -> Path:
    return Path(__file__).resolve().parent / ENGLISH_FILE


def _with_english(
    kind: str, entries: list[dict[str, str]], english: dict[str, Any]
) -> list[dict[str, str]]:
    labels = english.get(kind)
    if not isinstance(labels, dict):
        raise ValueError(f"{ENGLISH_FILE}: {kind!r} must map codes to English labels")
    codes = [entry["code"] for entry in entries]
    unknown = sorted(set(labels) - set(codes))
    missing = [code for code in codes if code not in labels]
    if unknown or missing:
        raise ValueError(f"{ENGLISH_FILE}: {kind}: missing {missing}, unknown {unknown}")
    out: list[dict[str, str]] = []
    for entry in entries:
        label_en = labels[entry["code"]]
        if not isinstance(label_en, str) or not label_en.strip():
            raise ValueError(f"{ENGLISH_FILE}: {kind}.{entry['code']}: empty English label")
        out.append({**entry, "label_en": label_en})
    return out


def build(shared_dir: Path, english_file: Path | None = None) -> dict[str, Any]:
    """Return the ``carnet-de-bord.json`` document built from ``shared_dir`` and the English
    labels of ``english_file`` (default: ``carnet-de-bord.en.json`` next to this script)."""
    raw = json.loads((shared_dir / SOURCE_FILE).read_text(encoding="utf-8"))
    english_path = english_file if english_file is not None else default_english_file()
    english = json.loads(english_path.read_text(encoding="utf-8"))
    doc: dict[str, Any] = {
        "source": (
            f"{raw['source']}. Themes keep their upstream codes; codes of "
            "targets, situations and actions are derived from theme and label by "
            "resources/referentials/build_referentials.py (do not edit by hand); English "
            f"labels from {ENGLISH_FILE}."
        ),
        "themes": _with_english(
            "themes", [{"code": t["code"], "label": t["label"]} for t in raw["themes"]], english
        ),
    }
    for kind in THEMED_KINDS:
        doc[kind] = _with_english(kind, _coded(raw[kind], kind), english)
    return doc


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write(out_dir: Path, shared_dir: Path | None = None, english_file: Path | None = None) -> Path:
    """Build and write ``carnet-de-bord.json`` into ``out_dir``; return the written path."""
    doc = build(shared_dir if shared_dir is not None else default_shared_dir(), english_file)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / OUTPUT_FILE
    target.write_text(render(doc), encoding="utf-8", newline="\n")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None, help="shared data directory")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    target = write(args.out, args.shared)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
