"""Integration: `make dev` (dagster dev) on a temporary landing folder listens on loopback only and refreshes
the warehouse when a dump is dropped in."""
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
import psutil
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


LOOPBACK = {"127.0.0.1", "::1"}


def _listening(proc: subprocess.Popen) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket the process tree of `proc` listens on."""
    found: set[tuple[str, int]] = set()
    root = psutil.Process(proc.pid)
    for p in [root, *root.children(recursive=True)]:
        try:
            conns = p.net_connections(kind="inet")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        found |= {(c.laddr.ip, c.laddr.port) for c in conns if c.status == psutil.CONN_LISTEN}
    return found


def _wait_listening(proc: subprocess.Popen, port: int, log_path: Path, timeout_s: float = 120) -> set:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, log_path.read_text()[-3000:]
        found = _listening(proc)
        if any(p == port for _, p in found):
            return found
        time.sleep(0.5)
    raise AssertionError(f"nothing listens on {port}: " + log_path.read_text()[-3000:])


def test_make_dev_listens_on_loopback_and_refreshes_when_a_dump_lands(tmp_path: Path):
    raw, home = tmp_path / "raw", tmp_path / "dagster_home"
    raw.mkdir()
    home.mkdir()
    shutil.copy(REPO / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    db = tmp_path / "pub" / "warehouse.duckdb"
    env = dict(os.environ, DAGSTER_HOME=str(home), WAREHOUSE_RAW_DIR=str(raw), WAREHOUSE_DB_PATH=str(db),
               WAREHOUSE_WORK_DB=str(tmp_path / "work" / "work.duckdb"), WAREHOUSE_SENSOR_SETTLE_SECONDS="1")
    port = _free_port()
    env.update(DEV_PORT=str(port), VENV=str(Path(sys.executable).parent.parent))
    env.pop("DEV_HOST", None)  # the default is what is tested
    log_path = tmp_path / "dagster_dev.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(["make", "-s", "dev"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            listening = _wait_listening(proc, port, log_path)
            print(f"make dev listens on {sorted(listening)}")
            assert ("127.0.0.1", port) in listening
            assert {ip for ip, _ in listening} <= LOOPBACK, listening  # webserver, code server: loopback only
            shutil.copy(SEED_DUMP, raw / ".incoming.part")
            os.rename(raw / ".incoming.part", raw / SEED_DUMP.name)
            started = time.monotonic()
            while time.monotonic() - started < 240 and _documents(db) != 8:
                assert proc.poll() is None, log_path.read_text()[-3000:]
                time.sleep(2)
            assert _documents(db) == 8, log_path.read_text()[-3000:]
            print(f"dump landed -> marts published in {time.monotonic() - started:.1f}s")
            later = _listening(proc)  # by now the code server and the daemon are up too
            print(f"after the refresh, make dev listens on {sorted(later)}")
            assert {ip for ip, _ in later} <= LOOPBACK, later
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
