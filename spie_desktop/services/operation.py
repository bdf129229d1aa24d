"""The use-case API: what the UI and the command line call (DESIGN §2, "use-cases own
their transactions").

A *write use-case* takes the :class:`~spie_desktop.store.store.Store`, opens one write
transaction, commits it and returns an :class:`Outcome`: its own value (a new row's id,
a revealed text…) and the :class:`Changes` the change recorder saw in that transaction
(the persons whose file changed, the synced tables written). Nobody declares by hand
what a write touched: the recorder (:mod:`spie_desktop.store.changes`) is the one source
of truth, the same one that keeps the caseload summaries and the outbox. A use-case that
raises has rolled back: it changed nothing and returns nothing.

A *query* takes the store, reads in one read transaction and returns plain data (frozen
dataclasses, tuples, ids), never ORM rows: nothing lazy leaves the core.

Both are built from a service function taking a SQLAlchemy ``Session`` first, with
:func:`write_use_case` and :func:`query`; the service functions stay composable (a
use-case may call several in its one transaction), the decorated ones are the API.
Modelled on Anki's ``CollectionOp``/``QueryOp`` and the ``OpChanges`` its backend returns.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Concatenate, Generic, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from spie_desktop.domain.models import SYNCED_MODELS
from spie_desktop.store.changes import recorded_changes
from spie_desktop.store.store import Store

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """What a write changed: ``persons`` whose file changed, ``kinds`` of rows (synced
    table names, e.g. ``"appointment"``). ``everything`` stands for changes nobody listed
    (a sync pull): every view should refresh."""

    persons: frozenset[uuid.UUID] = frozenset()
    kinds: frozenset[str] = frozenset()
    everything: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(self.persons or self.kinds)

    def concerns_person(self, person_id: uuid.UUID | None) -> bool:
        return self.everything or (person_id is not None and person_id in self.persons)

    def concerns_kinds(self, kinds: Iterable[str]) -> bool:
        return self.everything or not self.kinds.isdisjoint(kinds)

    def __repr__(self) -> str:  # ids only: never personal data
        if self.everything:
            return "Changes(everything)"
        return f"Changes(persons={len(self.persons)}, kinds={sorted(self.kinds)})"


NO_CHANGES = Changes()
ALL_CHANGED = Changes(everything=True)
#: every kind of row but the audit log's: what a screen shows (opening a file or reading
#: a sensitive note writes an audit event, which changes nothing on screen).
CONTENT_KINDS = frozenset(SYNCED_MODELS) - {"audit_event"}


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """A write use-case's result: its own value and what the transaction changed."""

    value: T
    changes: Changes


def run_write(store: Store, work: Callable[[Session], T]) -> Outcome[T]:
    """Run ``work`` in one write transaction; the changes are the recorder's."""
    with store.write() as session:
        seen = recorded_changes(session)
        value = work(session)
    # Committed: the commit's final flush has been seen too.
    return Outcome(value, Changes(frozenset(seen.persons), frozenset(seen.tables)))


def run_query(store: Store, work: Callable[[Session], T]) -> T:
    """Run ``work`` in one read transaction."""
    with store.read() as session:
        return work(session)


def write_use_case(
    fn: Callable[Concatenate[Session, P], T],
) -> Callable[Concatenate[Store, P], Outcome[T]]:
    """``fn(session, …) -> T`` becomes the use-case ``fn(store, …) -> Outcome[T]``."""

    @functools.wraps(fn)
    def use_case(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> Outcome[T]:
        return run_write(store, lambda session: fn(session, *args, **kwargs))

    return use_case


def query(fn: Callable[Concatenate[Session, P], T]) -> Callable[Concatenate[Store, P], T]:
    """``fn(session, …) -> T`` becomes the query ``fn(store, …) -> T``."""

    @functools.wraps(fn)
    def read(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return run_query(store, lambda session: fn(session, *args, **kwargs))

    return read
