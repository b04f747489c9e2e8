"""End to end on the seed dump: every contract table filled, dbt tests pass, a second run changes nothing."""
from __future__ import annotations

import duckdb
from conftest import materialize_all

from orchestration.domain.warehouse.freshness import NOTHING_NEW

CONTRACT_TABLES = [
    "dim_documents", "dim_countries", "dim_people", "dim_organizations", "fct_entity_mentions", "fct_events",
    "bridge_event_documents", "bridge_event_participants", "fct_pledges", "bridge_pledge_parties",
    "bridge_pledge_documents", "fct_agreements", "bridge_agreement_parties", "bridge_agreement_documents",
]


def _counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in CONTRACT_TABLES}
    finally:
        con.close()


def test_seed_build_fills_every_contract_table(seed_warehouse):
    assert seed_warehouse.result.success
    counts = _counts(seed_warehouse.db_path)
    assert all(n > 0 for n in counts.values()), counts
    assert counts["dim_documents"] == 8
    assert counts["dim_countries"] >= 249
    checks = seed_warehouse.result.get_asset_check_evaluations()
    assert checks, "dbt tests should run as asset checks"
    failed = [c.check_name for c in checks if not c.passed]
    assert not failed, failed


def test_published_file_holds_only_marts(seed_warehouse):
    con = duckdb.connect(str(seed_warehouse.db_path), read_only=True)
    schemas = {r[0] for r in con.execute(
        "select distinct table_schema from information_schema.tables").fetchall()}
    con.close()
    assert schemas == {"marts"}


def test_second_run_same_counts_and_no_new_work(seed_warehouse):
    before = _counts(seed_warehouse.db_path)
    keys_before = _keys(seed_warehouse.db_path)
    result = materialize_all(seed_warehouse.raw_dir, seed_warehouse.db_path, seed_warehouse.work_db)
    assert result.success
    assert _counts(seed_warehouse.db_path) == before
    assert _keys(seed_warehouse.db_path) == keys_before
    ingest = result.asset_materializations_for_node("ingested_dumps")[0].metadata
    assert ingest["dumps_read"].value == 0
    assert ingest["skipped_downstream"].value.endswith("not run: " + NOTHING_NEW)  # the planner saw nothing new
    assert not result.asset_materializations_for_node("extracted_facts")  # neither extracted nor built


def _keys(db) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "documents": con.execute("select document_key from marts.dim_documents order by 1").fetchall(),
            "people": con.execute("select person_key from marts.dim_people order by 1").fetchall(),
            "events": con.execute("select event_key from marts.fct_events order by 1").fetchall(),
            "pledges": con.execute("select pledge_key from marts.fct_pledges order by 1").fetchall(),
            "agreements": con.execute("select agreement_key from marts.fct_agreements order by 1").fetchall(),
        }
    finally:
        con.close()


def test_accounting_per_dump(seed_warehouse):
    con = duckdb.connect(str(seed_warehouse.work_db), read_only=True)
    try:
        rows = con.execute("select records_read, documents_new, duplicates, rejects from ingest.dump_files").fetchall()
    finally:
        con.close()
    assert rows and all(r[0] == r[1] + r[2] + r[3] for r in rows)
    assert rows[0][0] == 8


def test_keys_stable_across_full_rebuild(seed_warehouse, tmp_path):
    """A rebuild from scratch (new working DB, new published file) gives the same keys."""
    from conftest import build_warehouse

    rebuilt = build_warehouse(tmp_path, sorted(seed_warehouse.raw_dir.iterdir()))
    assert rebuilt.result.success
    assert _keys(rebuilt.db_path) == _keys(seed_warehouse.db_path)
    assert _counts(rebuilt.db_path) == _counts(seed_warehouse.db_path)


def test_dbt_docs_generate(seed_warehouse, tmp_path):
    """`dbt docs generate` works on the built working database (a subprocess: dbt keeps the file open)."""
    import os
    import subprocess

    from orchestration.dbt_project import dbt_executable
    from orchestration.domain.warehouse.config import DBT_PROJECT_DIR

    env = dict(os.environ, WAREHOUSE_WORK_DB=str(seed_warehouse.work_db))
    subprocess.run([dbt_executable(), "docs", "generate", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
                    str(DBT_PROJECT_DIR), "--target-path", str(tmp_path / "target"), "--quiet"],
                   env=env, check=True, timeout=300)
    catalog = (tmp_path / "target" / "catalog.json").read_text()
    assert "fct_events" in catalog
