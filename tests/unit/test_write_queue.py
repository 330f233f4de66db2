"""SQLite's writers take turns in the order they came (p99 was 50-80x p50 when
the busy handler picked whoever retried at the right moment)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from core.db import Database
from core.migrate import upgrade
from core.orders.models import NumberSequence
from core.write_queue import WriteQueue
from tests.support import wait_for

DEADLINE = 10.0


def _until(condition: Callable[[], bool]) -> None:
    wait_for(condition, "the queue's state", DEADLINE, step=0.002)


def test_waiters_get_the_lock_in_the_order_they_asked() -> None:
    queue = WriteQueue()
    served: list[int] = []
    queue.acquire()
    threads = []
    for i in range(8):
        def turn(i: int = i) -> None:
            with queue:
                served.append(i)
        thread = threading.Thread(target=turn)
        thread.start()
        threads.append(thread)
        _until(lambda i=i: queue.waiting == i + 1)  # type: ignore[misc]
    queue.release()
    for thread in threads:
        thread.join(DEADLINE)
    assert served == list(range(8))


def test_the_holder_may_enter_again_and_a_stranger_may_not_release() -> None:
    queue = WriteQueue()
    with queue, queue:
        errors: list[Exception] = []

        def stranger() -> None:
            try:
                queue.release()
            except RuntimeError as exc:
                errors.append(exc)

        thread = threading.Thread(target=stranger)
        thread.start()
        thread.join(DEADLINE)
        assert len(errors) == 1
    with queue:  # free again after the nested exit
        pass


def test_sqlite_write_transactions_commit_in_arrival_order(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'queue.db'}"
    upgrade(url)
    db = Database(url)
    assert db.write_queue is not None
    committed: list[int] = []
    release = threading.Event()

    def holder() -> None:
        with db.write() as session:
            session.add(NumberSequence(name="held", value=0))
            session.flush()
            release.wait(DEADLINE)

    def writer(i: int) -> None:
        with db.write() as session:
            session.add(NumberSequence(name=f"w{i}", value=i))
            committed.append(i)

    first = threading.Thread(target=holder)
    first.start()
    _until(lambda: db.write_queue is not None and db.write_queue._owner is not None)
    threads = []
    for i in range(6):
        thread = threading.Thread(target=writer, args=(i,))
        thread.start()
        threads.append(thread)
        _until(lambda i=i: db.write_queue is not None  # type: ignore[misc]
               and db.write_queue.waiting == i + 1)
    release.set()
    for thread in [first, *threads]:
        thread.join(DEADLINE)
    db.dispose()
    assert committed == list(range(6))
