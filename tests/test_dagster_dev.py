"""Integration: `dagster dev` on a temporary landing folder refreshes the warehouse when a dump is dropped in."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import REPO, SEED_DUMP

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _documents(db: Path) -> int:
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return -1
    try:
        return con.execute("select count(*) from marts.dim_documents").fetchone()[0]
    except duckdb.Error:
        return -1
    finally:
        con.close()


def test_dagster_dev_refreshes_when_a_dump_lands(tmp_path: Path):
    raw, home = tmp_path / "raw", tmp_path / "dagster_home"
    raw.mkdir()
    home.mkdir()
    shutil.copy(REPO / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    db = tmp_path / "pub" / "warehouse.duckdb"
    env = dict(os.environ, DAGSTER_HOME=str(home), WAREHOUSE_RAW_DIR=str(raw), WAREHOUSE_DB_PATH=str(db),
               WAREHOUSE_WORK_DB=str(tmp_path / "work" / "work.duckdb"), WAREHOUSE_SENSOR_SETTLE_SECONDS="1")
    dagster = Path(sys.executable).parent / "dagster"
    log_path = tmp_path / "dagster_dev.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(dagster), "dev", "-w", str(REPO / "workspace.yaml"), "--port", str(_free_port())],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            time.sleep(5)
            shutil.copy(SEED_DUMP, raw / ".incoming.part")
            os.rename(raw / ".incoming.part", raw / SEED_DUMP.name)
            started = time.monotonic()
            while time.monotonic() - started < 240 and _documents(db) != 8:
                assert proc.poll() is None, log_path.read_text()[-3000:]
                time.sleep(2)
            assert _documents(db) == 8, log_path.read_text()[-3000:]
            print(f"dump landed -> marts published in {time.monotonic() - started:.1f}s")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
