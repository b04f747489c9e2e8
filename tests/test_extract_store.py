"""Extraction over staged documents: only new work, same result on any number of workers."""
from __future__ import annotations

import duckdb
import pytest
from conftest import SEED_DUMP

from orchestration.domain.extract import store as extract_store
from orchestration.domain.extract.version import pending_documents
from orchestration.domain.ingest import store as staging


@pytest.fixture
def staged(tmp_path):
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    staging.ensure_schema(con)
    staging.ingest_dump(con, SEED_DUMP)
    yield con
    con.close()


def _snapshot(con) -> dict[str, list]:
    return {name: sorted(map(repr, con.execute(f"select * from extract.{name}").fetchall()))
            for name in extract_store.COLUMNS}


def test_parallel_equals_serial_and_reruns_do_nothing(staged, tmp_path):
    first = extract_store.run_extraction(staged, workers=2, batch=3)
    assert first.documents == 8 and not first.failed
    assert first.workers == 2
    parallel = _snapshot(staged)
    assert all(parallel[t] for t in ("mentions", "people", "organizations", "events", "pledges", "agreements"))
    again = extract_store.run_extraction(staged, workers=2)
    assert again.documents == 0
    serial = extract_store.run_extraction(staged, version="test-bump", workers=1)
    assert serial.documents == 8  # a version bump reprocesses everything
    assert _snapshot(staged) == parallel
    assert pending_documents(staged, "test-bump") == 0


def test_failing_document_is_reported_not_fatal(staged, monkeypatch):
    from orchestration.domain.extract import pipeline as extract_module

    real = extract_module.extract_document

    def flaky(doc):
        if doc.title.startswith("Korea and Japan"):
            raise ValueError("boom")
        return real(doc)

    monkeypatch.setattr(extract_store, "extract_document", flaky)
    run = extract_store.run_extraction(staged, workers=1)
    assert run.documents == 7
    assert len(run.failed) == 1 and "boom" in run.failed[0][1]
    assert pending_documents(staged) == 1  # retried next refresh
