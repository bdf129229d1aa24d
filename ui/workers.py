"""Background operations: the UI thread never waits on the store or the network.

Modelled on Anki's ``CollectionOp`` / ``QueryOp``:

* :meth:`Ops.write` runs a write use-case (:mod:`spie_desktop.services.usecases`) on the
  **single writer thread** (DESIGN §2: one writer to the local store at a time; the store's
  own lock is a second line of defence). The use-case returns an ``Outcome``: its value
  goes to the callback, its ``Changes`` (what the change recorder saw: persons, kinds of
  rows) to :attr:`Ops.data_changed`, from which the views decide whether to refresh;
* :meth:`Ops.read` runs a query (:mod:`spie_desktop.services.queries`) on a **small pool
  of reader threads** (SQLite in WAL mode serves concurrent readers);
* :meth:`Ops.background` runs work that does not need the store (the unlock KDF, network).

Results and errors come back on the UI thread through a queued Qt signal. A callback is
dropped when its owner widget has been deleted, or when the store was locked after the
operation started (the *epoch* changed): a result computed before a lock must not paint
personal data over the unlock screen.

Errors the callback does not handle go to :attr:`Ops.failed`; the main window shows them in
French (:func:`error_message`). Unexpected exceptions are logged by type and traceback only:
their message may quote SQL parameters, i.e. personal data, which must never reach a log.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QObject, Qt, Signal

from spie_desktop.errors import SpieError
from spie_desktop.services.operation import Changes, Outcome
from spie_desktop.store.store import Store
from ui.i18n import translate

log = logging.getLogger(__name__)

T = TypeVar("T")


class StoreLockedError(SpieError):
    code = "locked"
    default_message = "L'application est verrouillée : déverrouillez-la pour continuer."


def error_message(error: BaseException) -> str:
    """The French sentence to show for ``error``."""
    if isinstance(error, SpieError):
        return error.message
    return translate(
        "workers",
        "Une erreur inattendue est survenue. Vos données enregistrées ne sont pas perdues ; "
        "réessayez, et si le problème persiste, signalez-le à votre administrateur.",
    )


def log_unexpected(error: BaseException, where: str) -> None:
    """Log an unexpected error without its message (which may hold personal data)."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("unexpected %s in %s\n%s", type(error).__name__, where, frames)


@dataclass
class _Done(Generic[T]):
    epoch: int
    owner: QObject | None
    on_done: Callable[[T], None] | None
    on_error: Callable[[BaseException], None] | None
    is_write: bool
    label: str
    result: Any = None
    error: BaseException | None = None


class Ops(QObject):
    """The application's executors. Lives on the UI thread."""

    #: a write changed data; carries its :class:`~spie_desktop.services.operation.Changes`.
    data_changed = Signal(object)
    #: an error that no callback handled (already logged when unexpected).
    failed = Signal(object)
    #: the number of operations in flight changed (for busy indicators and tests).
    busy_changed = Signal(int)
    _deliver = Signal(object)

    def __init__(self, parent: QObject | None = None, *, readers: int = 3) -> None:
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spie-writer")
        self._readers = ThreadPoolExecutor(max_workers=readers, thread_name_prefix="spie-reader")
        self._background = ThreadPoolExecutor(max_workers=2, thread_name_prefix="spie-bg")
        self._store: Store | None = None
        self._epoch = 0
        self._pending = 0
        self._lock = threading.Lock()
        self._closed = False
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)

    # -- the store -----------------------------------------------------------------------

    @property
    def store(self) -> Store | None:
        return self._store

    @property
    def epoch(self) -> int:
        return self._epoch

    def set_store(self, store: Store) -> None:
        self._store = store
        self._epoch += 1

    def drop_store(self) -> Future[None]:
        """Forget the store (lock): pending writes finish first, then its engine is disposed.

        Results of operations started before this call are discarded.
        """
        store, self._store = self._store, None
        self._epoch += 1

        def close() -> None:
            if store is not None:
                store.close()

        return self._writer.submit(close)

    # -- submitting ----------------------------------------------------------------------

    def write(
        self,
        use_case: Callable[[Store], Outcome[T]],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        owner: QObject | None = None,
        label: str = "write",
    ) -> None:
        """Run ``use_case(store)`` on the writer thread; ``on_done`` gets the outcome's value
        and :attr:`data_changed` its changes (when there are any)."""
        self._submit(self._writer, use_case, on_done, on_error, owner, True, label)

    def read(
        self,
        fn: Callable[[Store], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        owner: QObject | None = None,
        label: str = "read",
    ) -> None:
        """Run ``fn(store)`` (a query) on a reader thread."""
        self._submit(self._readers, fn, on_done, on_error, owner, False, label)

    def background(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        owner: QObject | None = None,
        label: str = "background",
        keep_across_lock: bool = True,
    ) -> None:
        """Run ``fn()`` (no store needed: key derivation, network) off the UI thread."""
        done: _Done[T] = _Done(
            self._epoch if not keep_across_lock else -1,
            owner,
            on_done,
            on_error,
            False,
            label,
        )
        self._start(self._background, lambda: fn(), done)

    def _submit(
        self,
        executor: ThreadPoolExecutor,
        fn: Callable[[Store], Any],
        on_done: Callable[[T], None] | None,
        on_error: Callable[[BaseException], None] | None,
        owner: QObject | None,
        is_write: bool,
        label: str,
    ) -> None:
        done: _Done[T] = _Done(self._epoch, owner, on_done, on_error, is_write, label)
        store = self._store
        if store is None:
            done.error = StoreLockedError()
            self._pending += 1
            self.busy_changed.emit(self._pending)
            self._deliver.emit(done)
            return

        def job() -> Any:
            result = fn(store)
            if is_write and not isinstance(result, Outcome):
                raise TypeError(f"{label}: a write must be a use-case returning an Outcome")
            return result

        self._start(executor, job, done)

    def _start(self, executor: ThreadPoolExecutor, job: Callable[[], Any], done: _Done[T]) -> None:
        if self._closed:
            return
        self._pending += 1
        self.busy_changed.emit(self._pending)

        def run() -> None:
            try:
                done.result = job()
            except BaseException as exc:  # delivered to the UI thread, never swallowed
                done.error = exc
            self._deliver.emit(done)

        executor.submit(run)

    # -- delivery on the UI thread ---------------------------------------------------------

    def _on_deliver(self, done: _Done[Any]) -> None:
        self._pending -= 1
        try:
            self._dispatch(done)
        finally:
            self.busy_changed.emit(self._pending)

    def _dispatch(self, done: _Done[Any]) -> None:
        stale = done.epoch not in (-1, self._epoch)
        owner_gone = done.owner is not None and not shiboken6.isValid(done.owner)
        if done.error is not None:
            error = done.error
            if not isinstance(error, SpieError):
                log_unexpected(error, done.label)
            if stale or owner_gone:
                return
            if done.on_error is not None:
                done.on_error(error)
            else:
                self.failed.emit(error)
            return
        result = done.result
        if done.is_write:
            outcome: Outcome[Any] = result
            result = outcome.value
            if outcome.changes and done.epoch == self._epoch:
                self.emit_changes(outcome.changes)
        if stale or owner_gone or done.on_done is None:
            return
        try:
            done.on_done(result)
        except Exception as exc:  # a bug in a callback: report, keep the loop alive
            log_unexpected(exc, f"callback of {done.label}")
            self.failed.emit(exc)

    def emit_changes(self, changes: Changes) -> None:
        """Announce changes made outside a use-case run here (a sync pull)."""
        self.data_changed.emit(changes)

    # -- waiting (tests, shutdown) ------------------------------------------------------------

    @property
    def pending(self) -> int:
        return self._pending

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until no operation is in flight (tests and shutdown)."""
        deadline = QDeadlineTimer(timeout_ms)
        app = QCoreApplication.instance()
        while self._pending and not deadline.hasExpired():
            if app is not None:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            threading.Event().wait(0.002)
        return self._pending == 0

    def shutdown(self) -> None:
        """Finish pending writes, close the store, stop the threads."""
        self._closed = True
        future = self.drop_store()
        future.result(timeout=30)
        for executor in (self._writer, self._readers, self._background):
            executor.shutdown(wait=True, cancel_futures=True)


class ProgressRelay(QObject):
    """Carries progress from a worker thread to the UI thread (queued signal)."""

    progressed = Signal(int, int)

    def __call__(self, done: int, total: int = 0) -> None:
        self.progressed.emit(done, total)
