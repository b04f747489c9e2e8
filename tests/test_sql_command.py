"""`make sql`: an interactive read-only DuckDB CLI session on the published warehouse, driven under tmux."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
from conftest import REPO

TMUX = shutil.which("tmux")


def _env(db_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SQL", "TMUX", "MAKEFLAGS", "MAKELEVEL"}}
    return env | {"WAREHOUSE_DB_PATH": str(db_path), **extra}


def _make_sql(db_path: Path, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", "sql"], cwd=REPO, env=_env(db_path, **extra), capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def _cells(screen: str) -> list[list[str]]:
    """The rows of the DuckDB CLI's boxed tables on a screen, as lists of cell texts."""
    return [[c.strip() for c in line.strip().strip("│").split("│")] for line in screen.splitlines()
            if line.strip().startswith("│")]


class Pane:
    """One tmux session on a private server socket (never the user's tmux server)."""

    def __init__(self, socket: Path, name: str):
        self.socket, self.name = socket, name

    def tmux(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([TMUX, "-S", str(self.socket), *args], capture_output=True, text=True, timeout=30)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name).stdout

    def type_line(self, text: str) -> None:
        # -l: literal keys; a trailing space keeps tmux from reading a final ';' as its command separator
        self.tmux("send-keys", "-t", self.name, "-l", text + " ")
        self.tmux("send-keys", "-t", self.name, "Enter")

    def wait_for(self, text: str, timeout_s: float = 60.0) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never showed on the screen:\n{self.screen()}")

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", self.name).returncode == 0


def test_make_sql_is_an_interactive_read_only_session(seed_warehouse, tmp_path):
    if TMUX is None:
        if os.environ.get("CI"):  # .ci/run installs tmux: missing there is a failure, not a skip
            pytest.fail("tmux is not installed: .ci/run should have installed it")
        pytest.skip("tmux is not installed here (.ci/run installs it); the interactive session cannot be driven")
    pane = Pane(tmp_path / "tmux.sock", "sql")
    started = pane.tmux("new-session", "-d", "-s", pane.name, "-x", "160", "-y", "50", "-c", str(REPO),
                        "-e", f"WAREHOUSE_DB_PATH={seed_warehouse.db_path}", "make -s sql")
    assert started.returncode == 0, started.stderr
    try:
        pane.wait_for("DuckDB v1.5.6")
        pane.type_line("select count(*) as documents_here, 40 + 2 as answer from marts.dim_documents;")
        pane.wait_for("answer")
        screen = pane.wait_for("└")  # the end of the CLI's boxed result table
        assert ["8", "42"] in _cells(screen), screen
        pane.type_line("create table marts.scratch as select 1 as x;")
        screen = pane.wait_for("read-only mode")
        assert "Cannot execute statement" in screen
        pane.type_line(".quit")
        deadline = time.monotonic() + 30
        while pane.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not pane.alive()  # the session was the CLI: quitting it ends `make sql`
    finally:
        pane.tmux("kill-server")
    con = duckdb.connect(str(seed_warehouse.db_path), read_only=True)
    try:
        assert not con.execute("select * from duckdb_tables() where table_name = 'scratch'").fetchall()
    finally:
        con.close()


def test_make_sql_runs_one_statement(seed_warehouse):
    done = _make_sql(seed_warehouse.db_path, SQL="select count(*) as n from marts.fct_events")
    assert done.returncode == 0, done.stderr
    n = duckdb.connect(str(seed_warehouse.db_path), read_only=True).execute(
        "select count(*) from marts.fct_events").fetchone()[0]
    assert n > 0 and ["n"] in _cells(done.stdout) and [str(n)] in _cells(done.stdout), done.stdout


def test_make_sql_says_when_nothing_is_published(tmp_path):
    missing = tmp_path / "none" / "warehouse.duckdb"
    done = _make_sql(missing)
    assert done.returncode != 0
    assert f"no warehouse published at {missing} yet" in done.stderr and "make refresh" in done.stderr


def test_make_sql_says_when_the_file_is_in_an_old_storage_version(tmp_path):
    old = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(old))  # DuckDB 2.0's default format: the CLI (1.5.6) cannot read it
    con.execute("create schema marts")
    con.execute("create table marts.t as select 1 as x")
    con.close()
    done = _make_sql(old)
    assert done.returncode != 0
    assert "not in storage version" in done.stderr and "make refresh" in done.stderr
