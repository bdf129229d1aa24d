"""Demo data for the desktop app, from :mod:`spie_desktop.demo` (one referent's caseload)."""

from __future__ import annotations

from collections.abc import Callable

from spie_desktop.store.store import Store

DEMO_PERSONS = 150


def load_local_demo(
    store: Store,
    progress: Callable[[int, int], None] | None = None,
    *,
    persons: int = DEMO_PERSONS,
    referents: int = 1,
) -> int:
    """Fill an empty store with the demo caseload, acting as ``demo.referent``.

    Returns the number of persons. ``progress(done, total)`` is called after each batch.
    """
    from spie_desktop.demo import DemoSpec, estimated_rows, load_into_store

    spec = DemoSpec(referents=referents, persons_per_referent=persons)
    total = max(int(estimated_rows(spec)), 1)

    def report(done: int) -> None:
        if progress is not None:
            progress(min(done, total), total)

    counts = load_into_store(store, spec, progress=report)
    with store.write() as session:
        store.set_state(session, "demo", "local")
    return int(counts.get("person", 0))
