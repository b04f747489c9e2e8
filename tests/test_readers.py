"""Readers other than the pipeline's DuckDB open the published warehouse: DuckDB 1.4.4 (in its own
environment, `make duckdb1-venv`) runs the example queries of docs/marts.md, and SQLAlchemy with
duckdb-engine (what Superset uses) reflects every mart, under DuckDB 2.0.1 and 1.4.4.

Both run scripts/reader_check.py in the reader's interpreter, so the queries come from the doc itself.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import REPO, materialize_all
from test_example_queries import QUERIES

from orchestration.domain.warehouse.config import marts_db_path
from orchestration.domain.warehouse.health import table_row_counts
from orchestration.domain.warehouse.storage import READERS_STORAGE_VERSION, storage_version

CHECK = REPO / "scripts" / "reader_check.py"
DUCKDB1_PYTHON = REPO / ".venv-duckdb1" / "bin" / "python"


@pytest.fixture(scope="session")
def duckdb1_python() -> Path:
    """The interpreter of the DuckDB 1.4.4 environment, made by `make duckdb1-venv` when missing (`make test`
    makes it first; not remade from here when present, so a test never reinstalls the running venv)."""
    if not (DUCKDB1_PYTHON.parents[1] / ".installed").exists():
        done = subprocess.run(["make", "-s", "duckdb1-venv"], cwd=REPO, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"make duckdb1-venv failed:\n{done.stdout}\n{done.stderr}"
    return DUCKDB1_PYTHON


def reader_check(python: Path | str, db: Path, *args: str) -> dict:
    done = subprocess.run([str(python), str(CHECK), str(db), *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{python} could not read {db}:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout)


def _expected(db: Path) -> dict[str, dict]:
    """What DuckDB 2.0.1 says of every mart: columns in order, primary key columns, row count."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, rows in table_row_counts(con, schema="marts").items():
            columns = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' "
                "and table_name = ? order by ordinal_position", [table]).fetchall()]
            pk = con.execute("select constraint_column_names from duckdb_constraints() where schema_name = 'marts' "
                             "and table_name = ? and constraint_type = 'PRIMARY KEY'", [table]).fetchall()
            out[table] = {"columns": columns, "primary_key": list(pk[0][0]) if pk else [], "rows": rows}
        return out
    finally:
        con.close()


def _unordered(queries: dict[str, list[list]]) -> dict[str, list[str]]:
    """Query results compared as sets of rows, lists made by string_agg as sets of items: string_agg without
    ORDER BY (events_per_month) may list the same participants in another order from one run to the next."""
    def cell(value):
        return "; ".join(sorted(value.split("; "))) if isinstance(value, str) else value
    return {name: sorted(json.dumps([cell(v) for v in row]) for row in rows) for name, rows in queries.items()}


def _row_counts(db: Path) -> dict[str, int]:
    return {name: len(rows) for name, rows in reader_check(sys.executable, db)["queries"].items()}


def test_published_file_is_in_the_readers_storage_version(seed_warehouse):
    assert storage_version(seed_warehouse.db_path) == READERS_STORAGE_VERSION
    assert storage_version(marts_db_path(seed_warehouse.work_db)) == READERS_STORAGE_VERSION


def test_duckdb_1_4_runs_the_example_queries(seed_warehouse, duckdb1_python):
    report = reader_check(duckdb1_python, seed_warehouse.db_path)
    assert report["versions"]["duckdb"] == "1.4.4"
    assert set(report["queries"]) == set(QUERIES)  # every example query of docs/marts.md
    counts = {name: len(rows) for name, rows in report["queries"].items()}
    assert all(counts.values()), counts
    assert counts == _row_counts(seed_warehouse.db_path)  # as many rows as under the writer's DuckDB 2.0.1


@pytest.mark.parametrize("reader", ["duckdb-2.0.1", "duckdb-1.4.4"])
def test_sqlalchemy_reflects_every_mart(seed_warehouse, reader, request):
    """MetaData.reflect, get_columns, get_pk_constraint and a count on every mart: what Superset's dataset
    editor asks for, with duckdb-engine 0.17.0 and SQLAlchemy 2.0.44, on the file opened read-only."""
    python = sys.executable if reader == "duckdb-2.0.1" else request.getfixturevalue("duckdb1_python")
    report = reader_check(python, seed_warehouse.db_path, "--sqlalchemy")
    assert report["versions"] == {"duckdb": reader.split("-")[1], "sqlalchemy": "2.0.44", "duckdb_engine": "0.17.0"}
    expected = _expected(seed_warehouse.db_path)
    assert len(expected) >= 12 and set(report["tables"]) == set(expected)
    for table, want in expected.items():
        got = report["tables"][table]
        assert [c[0] for c in got["columns"]] == want["columns"], table
        assert got["reflected_columns"] == want["columns"], table
        assert got["primary_key"] == want["primary_key"], table
        assert got["rows"] == want["rows"], table
    assert expected["dim_documents"]["rows"] == 8 and expected["fct_events"]["rows"] > 0


def _rewrite_in_default_format(marts: Path) -> None:
    """The marts file as a build from before the storage setting left it: same tables, DuckDB 2.0's format."""
    old = marts.with_name("old-format.duckdb")
    con = duckdb.connect(":memory:")
    con.execute("attach ? as built (read_only)", [str(marts)])
    con.execute("attach ? as old_format", [str(old)])
    con.execute("copy from database built to old_format")
    con.close()
    old.replace(marts)


def test_an_old_format_warehouse_is_retired_and_republished_readable(seed_warehouse, duckdb1_python, tmp_path):
    """Upgrade path: marts file and published file in DuckDB 2.0's default format, nothing new in the dumps.
    The next refresh retires the marts file, dbt rebuilds it, and the published file opens in DuckDB 1.4.4."""
    work, db = tmp_path / "work" / "work.duckdb", tmp_path / "out" / "warehouse.duckdb"
    work.parent.mkdir()
    db.parent.mkdir()
    shutil.copy(seed_warehouse.work_db, work)
    shutil.copy(marts_db_path(seed_warehouse.work_db), marts_db_path(work))
    _rewrite_in_default_format(marts_db_path(work))
    shutil.copy(marts_db_path(work), db)  # what the previous pipeline had published
    assert storage_version(db) != READERS_STORAGE_VERSION
    refused = subprocess.run([str(duckdb1_python), str(CHECK), str(db)], capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "version number" in refused.stderr  # DuckDB 1.4.4 cannot open it

    result = materialize_all(seed_warehouse.raw_dir, db, work)
    assert result.success
    assert result.asset_materializations_for_node("published_warehouse")
    assert storage_version(marts_db_path(work)) == READERS_STORAGE_VERSION  # recreated: a version is never lowered
    assert storage_version(db) == READERS_STORAGE_VERSION
    report = reader_check(duckdb1_python, db)
    assert report["versions"]["duckdb"] == "1.4.4"
    assert _unordered(report["queries"]) == _unordered(reader_check(duckdb1_python, seed_warehouse.db_path)["queries"])
    assert _expected(db) == _expected(seed_warehouse.db_path)  # same marts, row for row counted
