"""Readers and refreshes at the same time.

* a separate process queries the published warehouse read-only in a loop
  (reconnecting each time, plus one connection held throughout) while a
  refresh with a new dump runs: no query fails, the held connection keeps
  its snapshot, a new connection sees the new data;
* two `python -m orchestration.refresh` refreshes started together on the same paths
  both succeed (the working-DB lock serialises their writing steps) and the
  published warehouse holds the right counts.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from conftest import materialize_all

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "raw" / "000_d41fcb9709c6051a.txt"
SEED_RECORDS = [b"-\n" + c.rstrip(b"\n") + b"\n" for c in SEED.read_bytes().split(b"-\n") if c]
DAGSTER = REPO / ".venv" / "bin" / "dagster"
PYTHON = REPO / ".venv" / "bin" / "python"
RUN_TIMEOUT_S = 600


class Tree:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.raw = root / "raw"
        self.db = root / "out" / "warehouse.duckdb"
        self.work = root / "work" / "work.duckdb"
        self.raw.mkdir(parents=True, exist_ok=True)


def documents(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from marts.dim_documents").fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Tree:
    t = Tree(tmp_path_factory.mktemp("concurrency"))
    (t.raw / "a.txt").write_bytes(b"".join(SEED_RECORDS[:4]))
    assert materialize_all(t.raw, t.db, t.work).success
    assert documents(t.db) == 4
    return t


_READER = textwrap.dedent("""
    import json, os, sys, time, duckdb
    db, stop, ready, mode = sys.argv[1:5]
    sql = ("select (select count(*) from marts.dim_documents), "
           "(select count(*) from marts.fct_events e join marts.bridge_event_documents b using (event_key))")
    held = duckdb.connect(db, read_only=True) if mode == "held" else None   # kept through the refresh
    held_first = held.execute(sql).fetchone() if held else None
    queries, errors, seen, worst = 0, [], set(), 0.0
    open(ready, "w").close()
    deadline = time.monotonic() + 900
    while not os.path.exists(stop) and time.monotonic() < deadline:
        t0 = time.perf_counter()
        try:
            if held is not None:
                row = held.execute(sql).fetchone()
                if row != held_first:
                    errors.append(f"held connection changed: {row}")
            else:  # reconnect each time, as the README tells readers to
                con = duckdb.connect(db, read_only=True)
                try:
                    row = con.execute(sql).fetchone()
                finally:
                    con.close()
            seen.add(row)
            queries += 1
        except Exception as exc:  # noqa: BLE001 - every failure is reported
            errors.append(f"{type(exc).__name__}: {exc}")
        worst = max(worst, time.perf_counter() - t0)
        time.sleep(0.002)  # leave the refresh some CPU on small machines
    extra = {}
    if held is not None:
        # DuckDB shares one database instance per path and process: while `held` is open, a new connection
        # in this process still reads the old file; after closing every connection it reads the new one.
        other = duckdb.connect(db, read_only=True)
        extra["same_process_new_connection"] = other.execute(sql).fetchone()
        other.close()
        held.close()
        fresh = duckdb.connect(db, read_only=True)
        extra["after_closing_all"] = fresh.execute(sql).fetchone()
        fresh.close()
    print(json.dumps({"queries": queries, "errors": errors[:20], "n_errors": len(errors),
                      "seen": sorted(seen), "worst_s": worst, **extra}))
""")


def _start_reader(db: Path, tmp_path: Path, mode: str) -> tuple[subprocess.Popen, Path]:
    ready = tmp_path / f"ready_{mode}"
    proc = subprocess.Popen([sys.executable, "-c", _READER, str(db), str(tmp_path / "stop"), str(ready), mode],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    return proc, ready


def test_reader_during_refresh_never_fails(tree, tmp_path):
    old = documents(tree.db)
    readers = {mode: _start_reader(tree.db, tmp_path, mode) for mode in ("loop", "held")}
    stats = {}
    try:
        deadline = time.monotonic() + 60
        for proc, ready in readers.values():
            while not ready.exists():
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
                time.sleep(0.05)
        (tree.raw / "b.txt").write_bytes(b"".join(SEED_RECORDS[4:]))
        t0 = time.monotonic()
        result = materialize_all(tree.raw, tree.db, tree.work)
        refresh_s = time.monotonic() - t0
        time.sleep(1.0)  # let the readers query the new file too
        (tmp_path / "stop").touch()
        for mode, (proc, _) in readers.items():
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
            stats[mode] = json.loads(out.strip().splitlines()[-1])
    finally:
        for proc, _ in readers.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
    assert result.success
    publish_s = result.asset_materializations_for_node("published_warehouse")[0].metadata["publish_seconds"].value
    loop, held = stats["loop"], stats["held"]
    print(f"\nrefresh {refresh_s:.1f}s (publish {publish_s:.3f}s); reconnecting reader: {loop['queries']} queries, "
          f"{loop['n_errors']} errors, slowest {loop['worst_s'] * 1000:.0f} ms, snapshots {loop['seen']}; "
          f"held connection: {held['queries']} queries, {held['n_errors']} errors, snapshots {held['seen']}; "
          f"same-process new connection while held: {held['same_process_new_connection']}, "
          f"after closing all: {held['after_closing_all']}")
    assert loop["n_errors"] == 0 and held["n_errors"] == 0, (loop["errors"], held["errors"])
    assert loop["queries"] > 50 and held["queries"] > 50
    assert documents(tree.db) == 8  # a connection opened after the refresh sees the new data
    assert [s[0] for s in loop["seen"]] == [old, 8]  # old or new, never anything in between
    assert [s[0] for s in held["seen"]] == [old]  # a held connection keeps its snapshot
    assert held["after_closing_all"][0] == 8


def _env(t: Tree, home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(WAREHOUSE_RAW_DIR=str(t.raw), WAREHOUSE_DB_PATH=str(t.db), WAREHOUSE_WORK_DB=str(t.work),
               DAGSTER_HOME=str(home), WAREHOUSE_GOLD_FILE="", WAREHOUSE_SCORER="", PYTHONUNBUFFERED="1")
    return env


_STEP_DONE = re.compile(r'Finished execution of step "([a-z_]+)" in ([0-9.]+)(ms|s|m)')


def _step_seconds(log: str) -> dict[str, float]:
    scale = {"ms": 0.001, "s": 1.0, "m": 60.0}
    return {m.group(1): float(m.group(2)) * scale[m.group(3)] for m in _STEP_DONE.finditer(log)}


def test_two_refreshes_at_once(tree, tmp_path):
    home = tree.root / "dagster_home"
    home.mkdir(exist_ok=True)
    shutil.copy(REPO / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    if not (tree.raw / "b.txt").exists():
        (tree.raw / "b.txt").write_bytes(b"".join(SEED_RECORDS[4:]))
    # a third dump of new articles (same bodies, new titles and dates: new documents)
    updates = b"".join(r.replace(b"-\n", b"-\nUpdate: ", 1).replace(b"date2024-06-2", b"date2024-07-2")
                       for r in SEED_RECORDS[:3])
    (tree.raw / "c.txt").write_bytes(updates)
    # An instance in use is already initialised; two first-ever runs racing to create Dagster's own
    # sqlite storage would test Dagster, not the warehouse.
    subprocess.run([str(DAGSTER), "instance", "migrate"], cwd=REPO, env=_env(tree, home), check=True,
                   capture_output=True, timeout=120)
    cmd = [str(PYTHON), "-m", "orchestration.refresh", "--verbose"]  # the checks below read Dagster event lines
    procs, logs = [], []
    started = time.monotonic()
    try:
        for i in range(2):
            log = open(tmp_path / f"run{i}.log", "w")  # noqa: SIM115 - closed below
            logs.append(log)
            procs.append(subprocess.Popen(cmd, cwd=REPO, env=_env(tree, home), stdout=log, stderr=subprocess.STDOUT,
                                          start_new_session=True))
        ended = []
        for p in procs:
            p.wait(timeout=RUN_TIMEOUT_S)
            ended.append(time.monotonic() - started)
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=30)
        for log in logs:
            log.close()
    texts = [(tmp_path / f"run{i}.log").read_text(errors="replace") for i in range(2)]
    steps = [_step_seconds(t) for t in texts]
    print(f"\ntwo refreshes at once: wall {ended[0]:.1f}s / {ended[1]:.1f}s; step seconds run0 {steps[0]}; "
          f"run1 {steps[1]}")
    for p, text in zip(procs, texts, strict=True):
        assert p.returncode == 0, text[-3000:]
        assert "RUN_SUCCESS" in text
    # exactly one of them found the new dump; the other found nothing new (it waited for the lock)
    assert documents(tree.db) == 11
    con = duckdb.connect(str(tree.work), read_only=True)
    try:
        rows = con.execute("select file_name, records_read, documents_new from ingest.dump_files order by 1").fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == ["a.txt", "b.txt", "c.txt"] and rows[2][1:] == (3, 3)
    con = duckdb.connect(str(tree.db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()]
        assert len(tables) == 14  # the tables of CONTRACT.md
        assert all(con.execute(f"select count(*) from marts.{t}").fetchone()[0] > 0 for t in tables)
    finally:
        con.close()
    assert not list(tree.db.parent.glob(".*publishing*"))


# ---------------------------------------------------------------- many readers

def test_fifty_readers_through_a_refresh(tree, tmp_path):
    """50 readers (10 processes x 5 threads; 20 hold their connection, 30 reconnect per query) query the marts
    in a loop while `python -m orchestration.refresh` publishes a new dump: not one query fails."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from readers import ReaderPool, summary

    home = tree.root / "dagster_home"
    home.mkdir(exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(REPO / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    before = documents(tree.db)
    briefings = b"".join(r.replace(b"-\n", b"-\nBriefing: ", 1) for r in SEED_RECORDS[:2])
    with ReaderPool(tree.db, tmp_path / "readers", processes=10, threads=5, held=4, python=str(PYTHON)) as pool:
        time.sleep(1.0)  # some queries before the refresh
        (tree.raw / "d_briefings.txt").write_bytes(briefings)
        start = time.time()
        done = subprocess.run([str(PYTHON), "-m", "orchestration.refresh"], cwd=REPO, env=_env(tree, home),
                              capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        end = time.time()
        time.sleep(1.0)  # and some on the new file
        results = pool.stop()
    figures = summary(results, start, end)
    print(f"\nrefresh {end - start:.1f}s under 50 readers: {figures}")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert results.errors == [], results.errors[:10]
    assert figures["queries_during"] > 100 and figures["queries_outside"] > 50
    assert documents(tree.db) == before + 2
