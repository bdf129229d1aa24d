#!/usr/bin/env bash
# Check the PyInstaller bundle (Linux, and macOS for the parts that do not need ldd/Xvfb).
#
#   tools/build_check.sh [--build] [--timing [RUNS]]
#
#   --build        build first (pyinstaller --noconfirm --clean build.spec)
#   --timing [N]   also measure the cold start to the unlock screen, N runs (default 5),
#                  under a private Xvfb (needs the xvfb and x11-utils packages)
#
# Always:
#   1. dist/spie-desktop/spie-desktop --self-test, in place;
#   2. the same from a copy of the folder in a temporary directory, with an empty
#      environment (env -i HOME=… PATH=/usr/bin:/bin): no Python, no venv, no repository;
#   3. every ELF file of the bundle resolves its libraries (ldd: nothing "not found", nothing
#      from the venv or the repository); the system libraries it relies on are listed;
#   4. the size on disk, at most SPIE_BUNDLE_MAX_MIB (default 121) MiB (`du -sm`).
# Exit status: 0 when every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=0
RUNS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD=1 ;;
    --timing)
      RUNS=5
      if [ $# -gt 1 ] && [[ "$2" =~ ^[0-9]+$ ]]; then RUNS="$2"; shift; fi ;;
    *) echo "usage: $0 [--build] [--timing [RUNS]]" >&2; exit 2 ;;
  esac
  shift
done

REPO=$(pwd)
BUNDLE="$REPO/dist/spie-desktop"
EXE="$BUNDLE/spie-desktop"
PYINSTALLER="${PYINSTALLER:-$REPO/.venv/bin/pyinstaller}"

if [ "$BUILD" = 1 ]; then
  start=$(date +%s)
  "$PYINSTALLER" --noconfirm --clean build.spec
  echo "== build: $(( $(date +%s) - start )) s"
fi
[ -x "$EXE" ] || { echo "no bundle at $EXE: run make dist" >&2; exit 1; }

WORK=$(mktemp -d /tmp/spie-bundle-check.XXXXXX)
XVFB_PID=""
cleanup() {
  if [ -n "$XVFB_PID" ]; then kill "$XVFB_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== self-test (in place)"
start=$(date +%s%N)
"$EXE" --self-test
echo "  self-test run: $(( ($(date +%s%N) - start) / 1000000 )) ms"

echo "== self-test (copy in $WORK, empty environment)"
cp -a "$BUNDLE" "$WORK/spie-desktop"
mkdir -p "$WORK/home"
env -i HOME="$WORK/home" PATH=/usr/bin:/bin TMPDIR="$WORK" \
  "$WORK/spie-desktop/spie-desktop" --self-test

# Stronger: hide every Python of this machine (the repository and its venv, the interpreter
# the venv was made from, the system's) in a private mount namespace, then run it again.
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 \
    && unshare -m --propagation private true 2>/dev/null; then
  echo "== self-test (copy, every Python of this machine hidden)"
  BUILD_PYTHON=""
  if [ -x "$REPO/.venv/bin/python" ]; then
    BUILD_PYTHON=$(dirname "$(dirname "$(readlink -f "$REPO/.venv/bin/python")")")
  fi
  unshare -m --propagation private sh -c '
    set -e
    exe=$1; home=$2; shift 2
    for dir in "$@" /usr/lib/python3* /usr/local/lib/python3*; do
      [ -d "$dir" ] && mount -t tmpfs -o ro,size=1k none "$dir"
    done
    for file in /usr/bin/python3* /usr/local/bin/python3*; do
      [ -e "$file" ] && mount --bind /dev/null "$file"
    done
    if command -v python3 >/dev/null 2>&1 && python3 -c pass 2>/dev/null; then
      echo "a Python is still reachable" >&2; exit 1
    fi
    exec env -i HOME="$home" PATH=/usr/bin:/bin "$exe" --self-test
  ' sh "$WORK/spie-desktop/spie-desktop" "$WORK/home" "$REPO" ${BUILD_PYTHON:+"$BUILD_PYTHON"}
fi

# The modules and libraries build.spec packed (tools/packed_modules.py) are unpacked in the
# copy, at their place, so that ldd sees every ELF file as the running application does (the
# .zst files stay: the application, timed below, still loads those).
if [ -f "$WORK/spie-desktop/_internal/packed-modules.json" ]; then
  "${PYTHON:-$REPO/.venv/bin/python}" - "$WORK/spie-desktop/_internal" <<'PY'
import pathlib, sys, zstandard
for packed in pathlib.Path(sys.argv[1]).rglob("*.zst"):
    with packed.open("rb") as src, packed.with_suffix("").open("wb") as out:
        zstandard.ZstdDecompressor().copy_stream(src, out)
PY
fi

if command -v ldd >/dev/null 2>&1; then
  echo "== shared libraries"
  missing=0
  : > "$WORK/system-libs"
  while IFS= read -r -d '' file; do
    head -c 4 "$file" 2>/dev/null | grep -q $'\x7fELF' || continue
    # The bootloader puts _internal/ first on LD_LIBRARY_PATH: resolve the same way.
    out=$(LD_LIBRARY_PATH="$WORK/spie-desktop/_internal" ldd "$file" 2>&1 || true)
    lost=$(grep "not found" <<<"$out" | awk '{print $1}' | sort -u | tr '\n' ' ' || true)
    if [ -n "$lost" ]; then
      echo "  not found for ${file#"$WORK"/}: $lost"
      # Wayland's own libraries come from the system (PyInstaller never bundles them) and
      # exist wherever there is a Wayland session; elsewhere Qt uses xcb. Anything else
      # missing would break the application.
      for lib in $lost; do case "$lib" in libwayland-*) ;; *) missing=1 ;; esac; done
    fi
    if grep -E "=> ($REPO|/work/)" <<<"$out" | grep -v "=> $WORK" >/dev/null; then
      echo "  ${file#"$WORK"/} uses a library outside the bundle:"
      grep -E "=> ($REPO|/work/)" <<<"$out"
      missing=1
    fi
    grep -oE "=> /[^ ]+" <<<"$out" | awk '{print $2}' | grep -v "^$WORK" >> "$WORK/system-libs" || true
  done < <(find "$WORK/spie-desktop" -type f -print0)
  echo "  system libraries used: $(sort -u "$WORK/system-libs" | xargs -n1 basename | sort -u | tr '\n' ' ')"
  [ "$missing" = 0 ] || { echo "unresolved libraries" >&2; exit 1; }
fi

echo "== size"
du -sh "$BUNDLE"
du -sh --apparent-size "$BUNDLE" | sed 's/^/  apparent: /'
MAX_MIB="${SPIE_BUNDLE_MAX_MIB:-121}"
size_mib=$(du -sm "$BUNDLE" | cut -f1)
if [ "$size_mib" -gt "$MAX_MIB" ]; then
  echo "the bundle is $size_mib MiB, over its ceiling of $MAX_MIB MiB (README, build.spec)" >&2
  exit 1
fi
echo "  $size_mib MiB, ceiling $MAX_MIB MiB"

if [ "$RUNS" -gt 0 ]; then
  echo "== cold start to the unlock screen ($RUNS runs, Xvfb)"
  command -v Xvfb >/dev/null && command -v xwininfo >/dev/null || {
    echo "Xvfb and xwininfo are needed (apt-get install xvfb x11-utils)" >&2; exit 1; }
  DATA="$WORK/data"
  # A store must exist for the unlock screen to be the first screen (else: first start).
  env -i HOME="$WORK/home" PATH=/usr/bin:/bin SPIE_PASSPHRASE="phrase de passe de mesure" \
    "$WORK/spie-desktop/spie-desktop" init --data-dir "$DATA" >/dev/null
  for n in $(seq 90 140); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || break; done
  Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  XVFB_PID=$!
  for _ in $(seq 600); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.05; done
  python3 - "$WORK/spie-desktop/spie-desktop" "$DATA" ":$n" "$RUNS" "$WORK/home" <<'PY'
"""Time from exec() to the main window being mapped (xwininfo), RUNS times."""
import os
import re
import signal
import statistics
import subprocess
import sys
import time

exe, data, display, runs, home = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
TITLE = "SPIE — Accompagnement"
env = {"HOME": home, "PATH": "/usr/bin:/bin", "DISPLAY": display}


def mapped_window() -> bool:
    tree = subprocess.run(["xwininfo", "-display", display, "-root", "-tree"],
                          capture_output=True, text=True, errors="replace").stdout
    for line in tree.splitlines():
        if TITLE in line:
            window = line.split()[0]
            info = subprocess.run(["xwininfo", "-display", display, "-id", window],
                                  capture_output=True, text=True, errors="replace").stdout
            if re.search(r"Map State: IsViewable", info):
                return True
    return False


times = []
for run in range(runs):
    start = time.monotonic()
    process = subprocess.Popen([exe, "--data-dir", data], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while True:
        if process.poll() is not None:
            sys.exit(f"the application exited ({process.returncode}): "
                     f"{process.stderr.read().decode(errors='replace')[-500:]}")
        if mapped_window():
            break
        if time.monotonic() - start > 60:
            process.kill()
            sys.exit("no window after 60 s")
        time.sleep(0.01)
    elapsed = time.monotonic() - start
    times.append(elapsed)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    print(f"  run {run + 1}: {elapsed:.2f} s")
print(f"  median: {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})")
PY
fi
echo "== bundle checks passed"
