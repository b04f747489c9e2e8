"""dbt's incremental build (dbt_project/macros/incremental.sql) equals a full build, keys included.

Dumps land one after another on a built warehouse, each refresh building incrementally from the change
log (orchestration/domain/extract/changes.py); then one full build of the same dumps from scratch. Every
mart table, every column but the ingest timestamps (when a document was seen or extracted), must be equal
row for row. The dumps make the clusters move: re-sent copies of seed articles, published a day earlier,
join the seed's events and pledges and become their primary reports, so pledge and agreement ids change
and the old ones must disappear from the marts.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest
from conftest import REPO, SEED_DUMP, SHARED, build_warehouse, copy_warehouse, materialize_all

from orchestration.domain.extract import changes
from orchestration.domain.warehouse import state
from orchestration.domain.warehouse.config import dbt_target_path

DEV_DUMP = SHARED / "gold" / "dev" / "dev_dump.txt"
HELDOUT_DUMP = REPO / "tests" / "data" / "heldout" / "heldout_dump.txt"
INGEST_TIMES = {"first_seen_at", "last_seen_at", "processed_at"}  # when, not what: differ between builds


def _records(dump: Path) -> list[str]:
    text = dump.read_text(encoding="utf-8").strip("\n")
    return [r.strip("\n") for r in re.split(r"(?m)^-$", text) if r.strip()]


def _write(path: Path, records: list[str]) -> Path:
    path.write_text("".join(f"-\n{r}\n" for r in records), encoding="utf-8")
    return path


def _resent(record: str) -> str:
    """The same article re-sent: title marked, published a day earlier (so it becomes the primary report)."""
    title, body = record.split("\n", 1)
    day = re.search(r"date(\s*)(\d{4})-(\d{2})-(\d{2})\s*$", body)
    assert day, record[:80]
    earlier = f"{day[2]}-{day[3]}-{max(int(day[4]) - 1, 1):02d}"
    return f"{title} (updated)\n{body[:day.start()]}date{day[1]}{earlier}"


def _marts(db: Path) -> dict[str, list[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for (table,) in con.execute("select table_name from duckdb_tables() where schema_name = 'marts' "
                                    "order by 1").fetchall():
            cols = [c for (c,) in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'marts' and table_name = ? "
                "order by column_index", [table]).fetchall() if c not in INGEST_TIMES]
            out[table] = sorted(map(repr, con.execute(f"select {', '.join(cols)} from marts.{table}").fetchall()))
        return out
    finally:
        con.close()


def _build_mode(work_db: Path) -> tuple[str | None, int]:
    with duckdb.connect(str(work_db), read_only=True) as con:
        return state.recorded(con, "build_mode"), con.execute(f"select count(*) from {changes.TABLE}").fetchone()[0]


def _nodes_run(work_db: Path) -> set[str]:
    """The dbt nodes the last build ran (its run_results.json)."""
    results = json.loads((dbt_target_path(work_db) / "run_results.json").read_text())
    return {r["unique_id"].rsplit(".", 1)[0] if r["unique_id"].startswith("test.") else r["unique_id"]
            for r in results["results"]}


@pytest.fixture(scope="module")
def dumps(tmp_path_factory) -> list[Path]:
    if not DEV_DUMP.exists():
        pytest.skip(f"{DEV_DUMP} not present")
    folder = tmp_path_factory.mktemp("dumps")
    dev, seed = _records(DEV_DUMP), _records(SEED_DUMP)
    half = len(dev) // 2
    return [
        SEED_DUMP,
        _write(folder / "010_dev_first_half.txt", dev[:half] + [_resent(r) for r in seed[:4]]),
        _write(folder / "020_dev_second_half.txt", dev[half:]),
        HELDOUT_DUMP,
    ]


def test_incremental_builds_equal_a_full_build(dumps, seed_warehouse, tmp_path):
    incremental = copy_warehouse(seed_warehouse, tmp_path / "inc")  # the seed dump, built whole
    assert _build_mode(incremental.work_db) == ("full (no complete incremental build recorded)", 0)
    for i, dump in enumerate(dumps[1:]):
        (incremental.raw_dir / dump.name).write_bytes(dump.read_bytes())
        result = materialize_all(incremental.raw_dir, incremental.db_path, incremental.work_db)
        assert result.success
        dbt_log = (dbt_target_path(incremental.work_db) / "dbt.log").read_text()
        if i:  # the first build here parses whole (its profile names a new path); later ones keep the parse
            assert "Unable to do partial parsing" not in dbt_log
        extracted = result.asset_materializations_for_node("extracted_facts")[0].metadata
        assert extracted["documents_extracted"].value == len(_records(dump))  # only the new dump's documents
        assert _build_mode(incremental.work_db) == ("incremental", 0)  # the change log applied, then pruned
        ran = _nodes_run(incremental.work_db)
        assert not {n for n in ran if n.startswith(("model.trade_news.stg_", "seed."))}  # views, seeds as built
        assert "test.trade_news.unique_stg_documents_document_id" in ran  # their tests still run
    full = build_warehouse(tmp_path / "full", dumps)
    built, rebuilt = _marts(incremental.db_path), _marts(full.db_path)
    assert built.keys() == rebuilt.keys()
    differ = {t: (len(built[t]), len(rebuilt[t])) for t in built if built[t] != rebuilt[t]}
    assert not differ, f"incremental build differs from a full build (rows incremental, full): {differ}"
    with duckdb.connect(str(full.db_path), read_only=True) as con:  # the re-sent copies did move the clusters
        assert con.execute("select count(*) from marts.bridge_pledge_documents group by pledge_key "
                           "order by 1 desc limit 1").fetchone()[0] >= 2


def test_a_changed_project_builds_whole(dumps, seed_warehouse, tmp_path):
    """A dbt project other than the one the incremental tables were built with rebuilds them whole."""
    built = copy_warehouse(seed_warehouse, tmp_path / "w")
    with duckdb.connect(str(built.work_db)) as con:
        state.record(con, "built_project", "another project", "test")
    (built.raw_dir / dumps[2].name).write_bytes(dumps[2].read_bytes())
    free_before = _free_blocks(built.db_path)  # the published copy of a marts file built once, from empty
    assert materialize_all(built.raw_dir, built.db_path, built.work_db).success
    assert _build_mode(built.work_db) == ("full (dbt project changed)", 0)
    # built into a new marts file: the published copy holds no free blocks of the tables the build replaced
    assert _free_blocks(built.db_path) <= free_before


def _free_blocks(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select free_blocks from pragma_database_size()").fetchone()[0]
