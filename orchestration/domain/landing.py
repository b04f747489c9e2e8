"""What changed in the landing folder since the sensor last looked.

A dump is ready once it is not hidden, not a `*.part`/`*.tmp` upload, and
its size and mtime are the same as on the previous look (or it has not been
touched for `settle_seconds`). The cursor is plain JSON so it survives
restarts of the Dagster daemon.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from .staging import list_dump_files

Stat = tuple[int, int]  # (size, mtime_ns)


@dataclass
class LandingDecision:
    ready_changes: dict[str, Stat]  # files new or changed since the last request, and settled
    waiting: list[str]  # files still being written
    cursor: str

    @property
    def run_key(self) -> str | None:
        if not self.ready_changes:
            return None
        blob = json.dumps(sorted((k, v) for k, v in self.ready_changes.items()))
        return "dumps-" + hashlib.sha256(blob.encode()).hexdigest()[:16]


def snapshot(raw_dir: Path) -> dict[str, Stat]:
    out: dict[str, Stat] = {}
    for path in list_dump_files(raw_dir):
        try:
            st = path.stat()
        except OSError:  # vanished between listing and stat
            continue
        out[path.name] = (st.st_size, st.st_mtime_ns)
    return out


def decide(raw_dir: Path, cursor: str | None, settle_seconds: float = 5.0, now: float | None = None) -> LandingDecision:
    state = json.loads(cursor) if cursor else {}
    requested: dict[str, list[int]] = state.get("requested", {})
    previous: dict[str, list[int]] = state.get("seen", {})
    now = time.time() if now is None else now
    current = snapshot(raw_dir)
    ready: dict[str, Stat] = {}
    waiting: list[str] = []
    for name, stat in current.items():
        if list(stat) == requested.get(name):
            continue
        settled = list(stat) == previous.get(name) or (now - stat[1] / 1e9) >= settle_seconds
        if settled:
            ready[name] = stat
        else:
            waiting.append(name)
    new_requested = {k: v for k, v in requested.items() if k in current}
    new_requested.update({k: list(v) for k, v in ready.items()})
    new_cursor = json.dumps({"requested": new_requested, "seen": {k: list(v) for k, v in current.items()}},
                            sort_keys=True)
    return LandingDecision(ready, sorted(waiting), new_cursor)
