"""Memory of a full event resolution, the refresh process and the resolver's forked child apart.

    .venv/bin/python benchmarks/resolve_memory.py --work-db /path/to/work.duckdb

Runs `event_store.refresh` from scratch on a copy of a built working database (say the 100k archive of
`benchmarks/run.py --table`), under the resolvers' DuckDB limit (RESOLVE_MEMORY_LIMIT, as in the extract
step), and samples the PSS of this process and of its children every 50 ms. Prints one line: events
resolved, seconds, and this process's and the child's PSS at the peak of their sum. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import psutil

from orchestration.domain.extract import event_store
from orchestration.domain.warehouse.memory import RESOLVE_MEMORY_LIMIT, memory_limit


def _pss(process: psutil.Process) -> int:
    try:
        return process.memory_full_info().pss
    except psutil.Error:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work-db", type=Path, required=True)
    args = parser.parse_args()
    me = psutil.Process()
    peak = {"tree": 0, "parent": 0, "child": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            parent = _pss(me)
            child = sum(_pss(c) for c in me.children(recursive=True))
            if parent + child > peak["tree"]:
                peak.update(tree=parent + child, parent=parent, child=child)
            time.sleep(0.05)

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "work.duckdb"
        shutil.copy(args.work_db, work)
        threading.Thread(target=sample, daemon=True).start()
        started = time.perf_counter()
        with duckdb.connect(str(work)) as con, memory_limit(con, RESOLVE_MEMORY_LIMIT):
            events = event_store.refresh(con, None)
        seconds = time.perf_counter() - started
        done.set()
    print(json.dumps({"events": events, "seconds": round(seconds, 1),
                      **{f"peak_pss_{k}_mb": round(v / 2**20) for k, v in peak.items()}}))


if __name__ == "__main__":
    main()
