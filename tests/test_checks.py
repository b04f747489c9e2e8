"""Reconciliation asset checks fail when a record or a document is unaccounted for."""
from __future__ import annotations

import shutil

import duckdb

from orchestration.defs.dbt import documents_reach_marts
from orchestration.defs.ingest import records_reconcile
from orchestration.domain.warehouse.config import marts_db_path
from orchestration.resources import WarehouseResource


def _copy(seed_warehouse, tmp_path) -> WarehouseResource:
    """The working database of the seed warehouse and its marts file."""
    work = tmp_path / "work.duckdb"
    shutil.copy(seed_warehouse.work_db, work)
    shutil.copy(marts_db_path(seed_warehouse.work_db), marts_db_path(work))
    return WarehouseResource(raw_dir=str(seed_warehouse.raw_dir), db_path=str(tmp_path / "w.duckdb"),
                             work_db=str(work))


def test_checks_pass_on_seed(seed_warehouse, tmp_path):
    warehouse = _copy(seed_warehouse, tmp_path)
    assert records_reconcile(warehouse=warehouse).passed
    assert documents_reach_marts(warehouse=warehouse).passed


def test_records_reconcile_fails_when_counts_disagree(seed_warehouse, tmp_path):
    warehouse = _copy(seed_warehouse, tmp_path)
    con = duckdb.connect(warehouse.work_db)
    con.execute("update ingest.dump_files set rejects = rejects + 1")
    con.close()
    result = records_reconcile(warehouse=warehouse)
    assert not result.passed
    assert result.metadata["dumps_not_reconciled"].value


def test_documents_reach_marts_fails_when_a_document_is_missing(seed_warehouse, tmp_path):
    warehouse = _copy(seed_warehouse, tmp_path)
    con = duckdb.connect(str(marts_db_path(tmp_path / "work.duckdb")))
    con.execute("delete from marts.dim_documents "
                "where document_id = (select min(document_id) from marts.dim_documents)")
    con.close()
    result = documents_reach_marts(warehouse=warehouse)
    assert not result.passed
    assert result.metadata["documents_missing"].value == 1


def test_documents_reach_marts_fails_without_the_marts_file(seed_warehouse, tmp_path):
    warehouse = _copy(seed_warehouse, tmp_path)
    marts_db_path(tmp_path / "work.duckdb").unlink()
    result = documents_reach_marts(warehouse=warehouse)
    assert not result.passed
    assert result.metadata["documents_missing"].value == 8
