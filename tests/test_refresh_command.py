"""`python -m orchestration.refresh` (what `make refresh` runs): a console a person reads, and nothing done
when nothing is new."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.domain.warehouse import freshness, state
from orchestration.domain.warehouse.config import WarehouseConfig

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "raw" / "000_d41fcb9709c6051a.txt"


def _refresh(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orchestration.refresh"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("refresh")
    (root / "raw").mkdir()
    (root / "home").mkdir()
    shutil.copy(SEED, root / "raw" / SEED.name)
    shutil.copy(REPO / ".dagster_home" / "dagster.yaml", root / "home" / "dagster.yaml")
    env = dict(os.environ, WAREHOUSE_RAW_DIR=str(root / "raw"), WAREHOUSE_DB_PATH=str(root / "w.duckdb"),
               DAGSTER_HOME=str(root / "home"), WAREHOUSE_GOLD_FILE="", WAREHOUSE_SCORER="")
    env.pop("WAREHOUSE_WORK_DB", None)
    first = _refresh(env)
    published = (root / "w.duckdb").stat()
    second = _refresh(env)
    return root, env, first, second, published


def test_first_refresh_prints_one_line_per_stage_and_the_log_path(runs):
    root, _, first, _, _ = runs
    assert first.returncode == 0, first.stdout + first.stderr
    out = first.stdout
    assert re.search(r"^ingest +read 1 dump\(s\): 8 records -> 8 new documents, 0 duplicates, 0 rejects", out, re.M)
    assert re.search(r"^extract +8 documents in", out, re.M)
    assert re.search(r"^dbt +built \d+ models and seeds, \d+ tests passed$", out, re.M)
    assert re.search(r"^publish +.*w\.duckdb", out, re.M)
    assert re.search(r"^events +\d+", out, re.M)  # the summary of what the warehouse holds
    assert len(out.splitlines()) < 25 and "DEBUG" not in out and "DEBUG" not in first.stderr
    assert "Warning" not in first.stderr, first.stderr  # no BetaWarning or other noise on a clean run
    log = Path(re.search(r"^log +(\S+)", out, re.M).group(1))
    dbt_out = Path(re.search(r"dbt output: (\S+)\)", out).group(1))
    text = log.read_text()
    assert log.is_relative_to(root / "home") and "Finished execution of run" in text
    assert "Finished running" in dbt_out.read_text()  # dbt's own lines are in their file


def test_nothing_new_builds_and_publishes_nothing(runs):
    root, env, _, second, published = runs
    assert second.returncode == 0, second.stdout + second.stderr
    assert "ingest    nothing new" in second.stdout and "extract   no document awaiting extraction" in second.stdout
    assert "dbt       skipped: nothing new" in second.stdout
    assert "publish   skipped" in second.stdout
    assert "emitted no result" not in second.stderr
    after = (root / "w.duckdb").stat()
    assert (after.st_ino, after.st_mtime_ns) == (published.st_ino, published.st_mtime_ns)  # not re-published
    # the planner saw nothing new: the run holds the ingest step alone, which says why the rest did not run
    log = Path(re.search(r"^log +(\S+)", second.stdout, re.M).group(1)).read_text()
    steps = re.findall(r'Started execution of step "([^"]+)"', log)
    assert steps and all(step.startswith("ingested_dumps") for step in steps), steps  # the step and its check
    assert "extract, dbt build and publish not run: nothing new" in log


def test_a_new_dump_after_nothing_new_is_built(runs):
    root, env, _, _, published = runs
    text = SEED.read_text(encoding="utf-8")
    first_record = text.split("\n-\n")[0]
    (root / "raw" / "b.txt").write_text(first_record.replace("\n", " again\n", 1), encoding="utf-8")
    third = _refresh(env)
    assert third.returncode == 0, third.stdout + third.stderr
    assert re.search(r"^ingest +read 1 dump\(s\): 1 records", third.stdout, re.M), third.stdout
    assert re.search(r"^dbt +built", third.stdout, re.M)
    assert (root / "w.duckdb").stat().st_ino != published.st_ino


def test_fingerprints_follow_their_inputs(tmp_path):
    project = tmp_path / "dbt"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: x\n")
    (project / "models" / "a.sql").write_text("select 1")
    before = state.project_fingerprint(project)
    (project / "models" / "a.sql").write_text("select 2")
    assert state.project_fingerprint(project) != before
    con = duckdb.connect()
    empty = state.data_fingerprint(con)  # a fresh database: tables missing, still a fingerprint
    con.execute("create schema ingest; create table ingest.documents (still_present boolean, last_seen_at timestamp)")
    con.execute("insert into ingest.documents values (true, now())")
    assert state.data_fingerprint(con) != empty
    assert state.recorded(con, "published") is None
    state.record(con, "published", "abc", "run-1")
    assert state.recorded(con, "published") == "abc"


def test_nothing_new_is_told_only_when_nothing_is(seed_warehouse, tmp_path):
    """The planner's look (freshness.nothing_new): any new dump, pending document, project change or an
    unreadable published file means there is work."""
    built = WarehouseConfig(seed_warehouse.raw_dir, seed_warehouse.db_path, seed_warehouse.work_db)
    assert freshness.nothing_new(built) == freshness.NOTHING_NEW
    touched = tmp_path / "raw"
    shutil.copytree(seed_warehouse.raw_dir, touched, copy_function=shutil.copy)  # same bytes, new mtime: read again
    assert freshness.nothing_new(WarehouseConfig(touched, built.db_path, built.work_db)) is None
    (touched / SEED.name).unlink()
    (touched / "new.txt").write_text("-\nA release\nA body. date2024-01-02\n")
    assert freshness.nothing_new(WarehouseConfig(touched, built.db_path, built.work_db)) is None
    project = tmp_path / "dbt"
    shutil.copytree(REPO / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    assert freshness.nothing_new(built, project) == freshness.NOTHING_NEW
    (project / "models" / "marts" / "new_model.sql").write_text("select 1 as x")
    assert freshness.nothing_new(built, project) is None
    assert freshness.nothing_new(WarehouseConfig(built.raw_dir, tmp_path / "absent.duckdb", built.work_db)) is None
    work = tmp_path / "work.duckdb"
    shutil.copy(built.work_db, work)
    with duckdb.connect(str(work)) as con:
        con.execute("delete from extract.processed where document_id = "
                    "(select min(document_id) from extract.processed)")
    assert freshness.nothing_new(WarehouseConfig(built.raw_dir, built.db_path, work)) is None  # one awaits extraction
