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
from urllib.parse import quote

from orchestration.domain.ingest.store import list_dump_files

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


def decide(raw_dir: Path, cursor: str | None, settle_seconds: float = 5.0, now: float | None = None,
           ingested: dict[str, tuple[int, int]] | None = None) -> LandingDecision:
    """`ingested` (the ledger: name -> (size, mtime in µs)) marks dumps already read by another run, such as
    the refresh command: they count as requested, so no run is asked for them."""
    ingested = ingested or {}
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
        if ingested.get(name) == (stat[0], stat[1] // 1000):
            requested[name] = list(stat)
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


# Substrings Dagster refuses in a partition key (dagster/_core/definitions/partitions/utils/base.py).
_BAD_KEY_PARTS = ("...", "\a", "\b", "\f", "\n", "\r", "\t", "\v", "\0")


def partition_key(file_name: str) -> str:
    """The Dagster partition key of a dump: its file name, percent-escaped when the name holds something a
    key may not (a newline, "..."). Plain names never contain "%", escaped ones always do: no collisions."""
    if "%" in file_name or any(part in file_name for part in _BAD_KEY_PARTS):
        return quote(file_name, safe="").replace(".", "%2E")  # quote() keeps dots; "..." must go
    return file_name


def contiguous_ranges(order: list[str], wanted: set[str] | list[str]) -> list[tuple[str, str]]:
    """The fewest (first, last) runs of consecutive keys of `order` that cover exactly `wanted`.

    A run can target a range of a dynamic partition set (in the order its keys were added), so a batch
    of dumps that landed together is one run, while a changed old dump is a run of its own."""
    wanted = set(wanted)
    out: list[tuple[str, str]] = []
    start = prev = None
    for key in order:
        if key in wanted:
            if start is None:
                start = key
            prev = key
        elif start is not None:
            out.append((start, prev))
            start = None
    if start is not None:
        out.append((start, prev))
    return out
