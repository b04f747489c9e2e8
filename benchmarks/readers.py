"""Many readers on the published warehouse while something (a refresh) runs: failures and query latency.

Used by tests/test_concurrency.py (50 readers through `python -m orchestration.refresh`: 0 failed
queries) and by `benchmarks/run.py --readers 50` (p50/p99 latency during and outside the refresh).

Readers are processes of several threads each; each thread opens its own read-only connection. In
`held` processes every thread keeps its connection for the whole run (it keeps the snapshot it opened,
as a BI pool does); in `reconnect` processes every thread reconnects for every query (as the README tells
readers to, to see new data). DuckDB shares one database instance per path within a process, so a
reconnecting thread sees the new file once every connection of its process has been closed.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

QUERIES = [
    "select count(*) from marts.dim_documents",
    "select count(*) from marts.fct_events e join marts.bridge_event_documents b using (event_key)",
    "select entity_type, count(*) from marts.fct_entity_mentions group by 1 order by 2 desc",
    "select coalesce(sum(amount_usd), 0) from marts.fct_pledges",
    "select count(*) from marts.dim_people p join marts.dim_organizations o on p.organization_key = o.organization_key",
]

_READER = textwrap.dedent("""
    import json, os, sys, threading, time, duckdb
    db, stop, ready, mode, threads, out, pause = sys.argv[1:8]
    queries = json.loads(os.environ["READER_QUERIES"])
    threads, pause = int(threads), float(pause)
    samples, errors, lock = [], [], threading.Lock()
    started = threading.Barrier(threads + 1)

    def worker(k):
        held = duckdb.connect(db, read_only=True) if mode == "held" else None
        started.wait()
        i = k
        while not os.path.exists(stop):
            sql = queries[i % len(queries)]
            i += 1
            t0, wall = time.perf_counter(), time.time()
            try:
                if held is not None:
                    held.execute(sql).fetchall()
                else:
                    con = duckdb.connect(db, read_only=True)
                    try:
                        con.execute(sql).fetchall()
                    finally:
                        con.close()
                with lock:
                    samples.append((wall, time.perf_counter() - t0))
            except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
                with lock:
                    errors.append(f"{wall:.3f} {type(exc).__name__}: {exc}")
            time.sleep(pause)
        if held is not None:
            held.close()

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    started.wait()
    open(ready, "w").close()
    for t in pool:
        t.join()
    with open(out, "w") as f:
        json.dump({"mode": mode, "samples": samples, "errors": errors}, f)
""")


@dataclass
class ReaderResults:
    samples: list[tuple[float, float]] = field(default_factory=list)  # (wall time started, seconds)
    errors: list[str] = field(default_factory=list)
    readers: int = 0

    def latencies(self, start: float | None = None, end: float | None = None, inside: bool = True) -> list[float]:
        """Latencies of queries started inside [start, end] (or outside it)."""
        if start is None or end is None:
            return [s for _, s in self.samples]
        return [s for t, s in self.samples if (start <= t <= end) == inside]


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class ReaderPool:
    """`processes` reader processes of `threads` threads; the first `held` processes hold connections."""

    def __init__(self, db: Path, workdir: Path, processes: int = 10, threads: int = 5, held: int = 4,
                 pause_s: float = 1.0, python: str = sys.executable) -> None:
        self.db, self.workdir, self.pause_s, self.python = db, workdir, pause_s, python
        self.modes = ["held" if i < held else "reconnect" for i in range(processes)]
        self.threads = threads
        self.procs: list[tuple[subprocess.Popen, Path, Path]] = []
        workdir.mkdir(parents=True, exist_ok=True)
        self.stop_file = workdir / "stop"

    def __enter__(self) -> ReaderPool:
        self.stop_file.unlink(missing_ok=True)
        env = dict(os.environ, READER_QUERIES=json.dumps(QUERIES))
        for i, mode in enumerate(self.modes):
            ready, out = self.workdir / f"ready{i}", self.workdir / f"reader{i}.json"
            proc = subprocess.Popen([self.python, "-c", _READER, str(self.db), str(self.stop_file), str(ready), mode,
                                     str(self.threads), str(out), str(self.pause_s)],
                                    env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
            self.procs.append((proc, ready, out))
        deadline = time.monotonic() + 120
        for proc, ready, _ in self.procs:
            while not ready.exists():
                if proc.poll() is not None or time.monotonic() > deadline:
                    self._kill()
                    raise RuntimeError(f"a reader did not start: {proc.stderr.read() if proc.stderr else ''}")
                time.sleep(0.05)
        return self

    def _kill(self) -> None:
        for proc, _, _ in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)

    def stop(self) -> ReaderResults:
        self.stop_file.touch()
        results = ReaderResults(readers=len(self.procs) * self.threads)
        for proc, _, out in self.procs:
            _, err = proc.communicate(timeout=120)
            if proc.returncode != 0 or not out.exists():
                results.errors.append(f"reader process exited {proc.returncode}: {err[-2000:]}")
                continue
            data = json.loads(out.read_text())
            results.samples += [tuple(s) for s in data["samples"]]
            results.errors += data["errors"]
        return results

    def __exit__(self, *exc: object) -> None:
        self._kill()


def summary(results: ReaderResults, start: float, end: float) -> dict:
    """Query counts and p50/p99 latency (ms) during [start, end] and outside it."""
    out: dict = {"readers": results.readers, "failed_queries": len(results.errors)}
    for label, inside in (("during", True), ("outside", False)):
        lat = results.latencies(start, end, inside)
        out[f"queries_{label}"] = len(lat)
        for q in (50, 99):
            value = percentile(lat, q)
            out[f"p{q}_ms_{label}"] = round(value * 1000, 1) if value is not None else None
    return out


def bench(n: int, pause_s: float = 1.0, workdir: Path | None = None, quiet_s: float = 10.0) -> dict:
    """`n` readers (5 threads per process, 40 % of processes holding connections) on a warehouse built
    from the seed dump, `quiet_s` seconds before and after a refresh that publishes a new dump."""
    import shutil
    import tempfile

    repo = Path(__file__).resolve().parents[1]
    seed = repo / "raw" / "000_d41fcb9709c6051a.txt"
    base = workdir or Path(tempfile.mkdtemp(prefix="twreaders-"))
    raw, home = base / "raw", base / "dagster_home"
    raw.mkdir(parents=True, exist_ok=True)
    home.mkdir(exist_ok=True)
    shutil.copy(repo / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    db = base / "out" / "warehouse.duckdb"
    env = dict(os.environ, WAREHOUSE_RAW_DIR=str(raw), WAREHOUSE_DB_PATH=str(db),
               WAREHOUSE_WORK_DB=str(base / "work" / "work.duckdb"), DAGSTER_HOME=str(home),
               WAREHOUSE_GOLD_FILE="", WAREHOUSE_SCORER="")
    records = [b"-\n" + c.rstrip(b"\n") + b"\n" for c in seed.read_bytes().split(b"-\n") if c]
    (raw / "a.txt").write_bytes(b"".join(records[:4]))
    refresh = [sys.executable, "-m", "orchestration.refresh"]
    subprocess.run(refresh, cwd=repo, env=env, check=True, capture_output=True, timeout=900)
    processes = max(1, n // 5)
    with ReaderPool(db, base / "readers", processes=processes, threads=n // processes,
                    held=max(1, processes * 2 // 5), pause_s=pause_s) as pool:
        time.sleep(quiet_s)
        (raw / "b.txt").write_bytes(b"".join(records[4:]))
        start = time.time()
        subprocess.run(refresh, cwd=repo, env=env, check=True, capture_output=True, timeout=900)
        end = time.time()
        time.sleep(quiet_s)
        results = pool.stop()
    if workdir is None:
        shutil.rmtree(base, ignore_errors=True)
    return {"refresh_s": round(end - start, 1), "pause_s": pause_s, **summary(results, start, end),
            "errors": results.errors[:5]}
