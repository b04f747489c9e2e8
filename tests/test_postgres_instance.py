"""The production instance profile (deploy/dagster.yaml) against a real PostgreSQL server.

A throwaway cluster on 127.0.0.1 (Debian's server binaries; CI installs them) holds the Dagster instance;
`dagster-daemon` runs the sensor and the run queue, the DefaultRunLauncher runs each refresh in a process of
its own. Shown: a sensor tick lands a dump; a second refresh launched meanwhile (`dagster job launch`) is
recorded and waits in the queue until the first ends (the `warehouse/refresh` tag limit); the dump
partitions and the sensor cursor are still there when the instance is opened again after the daemon
stopped; `dagster run list` reads the history; with the server stopped, a refresh fails within seconds
naming the server's host and port.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dagster as dg
import duckdb
import psutil
import pytest
from conftest import REPO, SEED_DUMP

from orchestration.deploy.local_postgres import LocalCluster, find_bin_dir

BIN = Path(sys.executable).parent
REFRESH_TAG = "warehouse/refresh"


@pytest.fixture(scope="module")
def cluster():
    if find_bin_dir() is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but the PostgreSQL server binaries are missing (.ci/run installs them)")
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql)")
    # not pytest's tmp_path: when we are root the server runs as `postgres`, which must reach the folder
    root = Path(tempfile.mkdtemp(prefix="pg-instance-"))
    root.chmod(0o755)
    pg = LocalCluster(root / "pg")
    pg.start()
    try:
        yield pg
    finally:
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)


def _aged_copy(data: bytes, path: Path) -> None:
    """A dump that has settled (written a minute ago), dropped in with an atomic rename."""
    part = path.with_name(f".{path.name}.part")
    part.write_bytes(data)
    old = time.time() - 60
    os.utime(part, (old, old))
    os.rename(part, path)


def _documents(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from marts.dim_documents").fetchone()[0]
    finally:
        con.close()


def _wait(predicate, seconds: float, what: str, proc: subprocess.Popen, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        assert proc.poll() is None, f"dagster-daemon exited: {log.read_text()[-3000:]}"
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}; daemon log: {log.read_text()[-3000:]}")


def _stop_tree(proc: subprocess.Popen) -> None:
    """Stop the daemon and what it started (its code server and run workers have sessions of their own)."""
    children = psutil.Process(proc.pid).children(recursive=True)
    os.killpg(proc.pid, signal.SIGTERM)
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    _, alive = psutil.wait_procs(children, timeout=15)
    for child in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    psutil.wait_procs(alive, timeout=15)


def test_instance_on_postgres_queues_refreshes_and_keeps_state(cluster: LocalCluster, tmp_path: Path, monkeypatch):
    home, raw = tmp_path / "dagster_home", tmp_path / "raw"
    home.mkdir()
    raw.mkdir()
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    db = tmp_path / "pub" / "warehouse.duckdb"
    env = {**cluster.env(), "DAGSTER_HOME": str(home), "WAREHOUSE_RAW_DIR": str(raw), "WAREHOUSE_DB_PATH": str(db),
           "WAREHOUSE_WORK_DB": str(tmp_path / "work" / "work.duckdb"), "WAREHOUSE_SENSOR_SETTLE_SECONDS": "1",
           "WAREHOUSE_GOLD_FILE": ""}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    _aged_copy(SEED_DUMP.read_bytes(), raw / "a.txt")

    # the server listens on loopback only
    postmaster = psutil.Process(int((cluster.data / "postmaster.pid").read_text().split()[0]))
    listening = {c.laddr.ip for c in postmaster.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN}
    assert listening == {"127.0.0.1"}, listening

    instance = dg.DagsterInstance.get()
    assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
    assert type(instance.run_launcher).__name__ == "DefaultRunLauncher"
    assert "Postgres" in type(instance.run_storage).__name__

    log = tmp_path / "daemon.log"
    started = time.monotonic()
    with open(log, "wb") as out:
        daemon = subprocess.Popen([str(BIN / "dagster-daemon"), "run", "-w", str(REPO / "workspace.yaml")],
                                  cwd=REPO, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        # the sensor's first tick adds partition a.txt and requests its refresh; a second refresh of the same
        # dump is launched from the CLI meanwhile (it finds nothing new, so it is quick once it may start)
        first = _wait(lambda: instance.get_runs(), 120, "the sensor's run", daemon, log)
        assert len(first) == 1 and first[0].tags.get("dagster/sensor_name") == "raw_dump_sensor"
        launched = subprocess.run(
            [str(BIN / "dagster"), "job", "launch", "-w", str(REPO / "workspace.yaml"), "-j", "refresh_warehouse",
             "--tags", json.dumps({"dagster/partition": "a.txt", "warehouse/trigger": "cli"})],
            cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True, timeout=120)
        assert launched.returncode == 0, launched.stdout + launched.stderr
        statuses: list[tuple[str, ...]] = []

        def both_done():
            runs = sorted(instance.get_runs(), key=lambda r: r.tags.get("warehouse/trigger", "sensor"), reverse=True)
            statuses.append(tuple(r.status.value for r in runs))
            return len(runs) == 2 and all(r.is_finished for r in runs) and runs

        runs = _wait(both_done, 400, "two refreshes to finish", daemon, log)
    finally:
        _stop_tree(daemon)
    print(f"sensor run + queued CLI run done in {time.monotonic() - started:.1f}s")
    assert [r.status for r in runs] == [dg.DagsterRunStatus.SUCCESS] * 2, log.read_text()[-3000:]
    assert runs[0].run_id == first[0].run_id and all(r.tags.get(REFRESH_TAG) == "true" for r in runs)
    # the tag limit: one refresh at a time; the second waited in the queue and started after the first ended
    assert any(s[1] == "QUEUED" and s[0] in ("STARTING", "STARTED") for s in statuses if len(s) == 2), statuses
    records = [instance.get_run_record_by_id(r.run_id) for r in runs]
    assert records[0].end_time <= records[1].start_time
    assert _documents(db) == 8  # the dump the sensor saw is in the published warehouse

    # the daemon is gone; a fresh instance reads the partitions and the sensor cursor back from PostgreSQL
    instance.dispose()
    reopened = dg.DagsterInstance.get()
    assert reopened.get_dynamic_partitions("dumps") == ["a.txt"]
    states = [s for s in reopened.all_instigator_state() if s.instigator_name == "raw_dump_sensor"]
    cursor = states[0].instigator_data.cursor
    assert cursor and "a.txt" in cursor
    from orchestration.defs.automation import raw_dump_sensor

    again = raw_dump_sensor(dg.build_sensor_context(cursor=cursor, instance=reopened))
    assert not again.run_requests  # the restored cursor knows the dump: nothing is requested twice
    reopened.dispose()

    listed = subprocess.run([str(BIN / "dagster"), "run", "list"], env={**os.environ, **env},
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert all(r.run_id in listed.stdout for r in runs)

    # the server stops: a refresh says so within seconds, naming where it tried
    cluster.stop()
    started = time.monotonic()
    down = subprocess.run([sys.executable, "-m", "orchestration.refresh"], cwd=REPO, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=90)
    elapsed = time.monotonic() - started
    assert down.returncode == 2, down.stdout + down.stderr
    assert f"127.0.0.1:{cluster.port}" in down.stderr and "cannot reach the PostgreSQL server" in down.stderr
    assert elapsed < 60, f"took {elapsed:.0f}s to report the server down"
    print(f"server down reported in {elapsed:.1f}s")
