"""One writer at a time on the working database.

DuckDB refuses a second writing process instead of waiting for it, so every
step that writes the working database first takes an exclusive advisory
lock on a file beside it: a second refresh waits for the first instead of
failing or interleaving writes. The lock dies with its process (SIGKILL
included), so nothing needs cleaning after a crash.
"""
from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def work_db_lock(work_db: Path) -> Path:
    """The lock file every writer of `work_db` takes (the one place its name is decided)."""
    return work_db.with_name(work_db.name + ".lock")


@contextmanager
def exclusive_lock(path: Path, timeout_s: float = 3600.0, poll_s: float = 0.2) -> Iterator[float]:
    """Yields the seconds spent waiting for the lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(path, "a+") as handle:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() - started > timeout_s:
                    raise TimeoutError(f"waited {timeout_s:.0f}s for {path}") from None
                time.sleep(poll_s)
        try:
            yield time.monotonic() - started
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
