"""Trim the ICU data that Qt's Linux wheels ship to what a French application needs.

PySide6's Linux wheels bring their own ICU, whose data library ``libicudata.so.NN`` is
31 MiB: the collation, names, currencies, units and time-zone names of every language of
the world, and ~200 legacy character converters. SPIE Desktop speaks French and English.
This tool rebuilds the library with the same exported symbol (``icudtNN_dat``) and only:

* every item that is not a locale (normalisation, casing, properties, break rules and
  dictionaries, time-zone rules, plural rules, likely subtags…);
* the locale items of ``root``, French and English (``fr``, ``fr_FR``, ``en_GB``…) in every
  tree (collation, names, currencies, units, zones, number spelling);
* the converters of Windows-1252 and ISO-8859-15 (Latin-1, UTF-8/16/32 are algorithmic).

What is dropped falls back to ``root`` in ICU (collation of Chinese by code point, for
example) or reports a missing converter; Qt copes with both. The work is done by ICU's own
``icupkg`` (Debian: icu-devtools) and binutils' ``as`` and ``ld``; the data blob is found
through the library's dynamic symbol table.

    python tools/icu_trim.py LIBICUDATA OUTPUT_DIR     (build.spec calls trim_icu_data)
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

KEPT_LOCALES = re.compile(r"^(root|fr|en)(_[A-Za-z0-9_]*)?\.res$")
LOCALE_ITEM = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9_]*)?\.res$")
NOT_LOCALES = {"res_index.res", "pool.res"}  # each tree's index and shared strings
KEPT_CONVERTERS = {
    "ibm-5348_P100-1997.cnv",  # windows-1252
    "ibm-923_P100-1998.cnv",  # ISO-8859-15
}
DATA_SYMBOL = re.compile(rb"^icudt(\d+)_dat$")
ICU_DATA_MAGIC = b"\xda\x27"  # bytes 2–3 of every ICU data header
TOOLS = ("icupkg", "as", "ld")


class IcuTrimError(RuntimeError):
    """The data could not be trimmed; the caller keeps the original library."""


def find_data_blob(library: Path) -> tuple[str, int, int]:
    """(symbol name, file offset, size) of the ``icudtNN_dat`` object in an ELF library."""
    data = library.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise IcuTrimError(f"{library.name}: not a 64-bit little-endian ELF file")
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)
    ]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab = sections[link][4]
        for pos in range(offset, offset + size, entsize):
            st_name, _st_info, _other, st_shndx, st_value, st_size = struct.unpack_from(
                "<IBBHQQ", data, pos
            )
            end = data.index(b"\0", strtab + st_name)
            symbol = data[strtab + st_name : end]
            if DATA_SYMBOL.match(symbol) and 0 < st_shndx < len(sections):
                section = sections[st_shndx]
                file_offset = section[4] + (st_value - section[3])
                blob = data[file_offset : file_offset + 4]
                if blob[2:4] != ICU_DATA_MAGIC:
                    raise IcuTrimError(f"{library.name}: {symbol.decode()} is not ICU data")
                return symbol.decode(), file_offset, st_size
    raise IcuTrimError(f"{library.name}: no icudtNN_dat symbol")


def items_to_drop(items: list[str]) -> list[str]:
    dropped = []
    for item in items:
        tree, _, name = item.rpartition("/")
        if name.endswith(".cnv"):
            if name not in KEPT_CONVERTERS:
                dropped.append(item)
        elif tree == "translit":
            dropped.append(item)  # transliteration: Qt never asks for it
        elif LOCALE_ITEM.match(name) and not KEPT_LOCALES.match(name) and name not in NOT_LOCALES:
            dropped.append(item)
    return dropped


def _run(*command: str, cwd: Path) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise IcuTrimError(f"{' '.join(command)}: {done.stderr.strip() or done.returncode}")
    return done.stdout


def trim_icu_data(library: Path, output_dir: Path) -> Path:
    """Write a trimmed copy of ``library`` (same file name and soname) into ``output_dir``."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        raise IcuTrimError(f"tools missing: {', '.join(missing)} (icu-devtools, binutils)")
    symbol, offset, size = find_data_blob(library)
    version = DATA_SYMBOL.match(symbol.encode())
    assert version is not None
    package = f"icudt{version.group(1).decode()}l"  # l: little-endian, ASCII family
    output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="icu-trim-") as temp:
        work = Path(temp)
        (work / "in").mkdir()
        (work / "out").mkdir()
        with library.open("rb") as handle:
            handle.seek(offset)
            (work / "in" / f"{package}.dat").write_bytes(handle.read(size))
        items = _run("icupkg", "-l", f"in/{package}.dat", cwd=work).split()
        dropped = items_to_drop(items)
        for needed in ("coll/root.res", "coll/fr.res", "res_index.res", "fr.res", "uts46.nrm"):
            if needed not in items or needed in dropped:
                raise IcuTrimError(f"unexpected ICU data layout: {needed}")
        (work / "drop.txt").write_text("\n".join(dropped) + "\n", encoding="ascii")
        _run("icupkg", "-r", "drop.txt", f"in/{package}.dat", f"out/{package}.dat", cwd=work)
        kept = set(_run("icupkg", "-l", f"out/{package}.dat", cwd=work).split())
        if kept != set(items) - set(dropped):
            raise IcuTrimError("icupkg did not keep the expected items")
        (work / "data.S").write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n"
            f"\t.type {symbol}, @object\n"
            "\t.balign 16\n"
            f"{symbol}:\n"
            f'\t.incbin "out/{package}.dat"\n'
            f"\t.size {symbol}, . - {symbol}\n"
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        _run("as", "-o", "data.o", "data.S", cwd=work)
        target = output_dir / library.name
        _run(
            "ld", "-shared", "-s", "-z", "noexecstack", "-soname", library.name,
            "-o", str(target.resolve()), "data.o", cwd=work,
        )  # fmt: skip
    find_data_blob(target)  # the symbol is there and points at ICU data
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    source, output_dir = Path(argv[0]), Path(argv[1])
    try:
        target = trim_icu_data(source, output_dir)
    except (IcuTrimError, OSError) as exc:
        print(f"icu_trim: {exc}", file=sys.stderr)
        return 1
    before, after = source.stat().st_size, target.stat().st_size
    print(f"{target}: {after / 2**20:.1f} MiB (was {before / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
