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


def test_a_batch_whose_first_thousand_people_have_no_alias_is_stored(staged):
    """DuckDB types a frame's column from its first rows: empty alias lists there must not make a later
    alias fail the insert (it did for batches of 1,000 documents)."""
    extract_store.ensure_schema(staged)
    doc = staged.execute("select document_id from ingest.documents limit 1").fetchone()[0]
    cols = extract_store.COLUMNS["people"]
    people = [tuple({"document_id": doc, "person_id": f"p{i}", "full_name": f"Person {i}",
                     "aliases": [] if i < 1500 else ["P. Last"]}.get(c) for c in cols) for i in range(1501)]
    rows = {name: [] for name in extract_store.COLUMNS} | {"people": people}
    extract_store._store(staged, rows, [doc], "test")
    assert staged.execute("select count(*), count(*) filter (where len(aliases) > 0) from extract.people "
                          "where document_id = ?", [doc]).fetchall() == [(1501, 1)]


def test_events_a_failed_run_left_unresolved_are_resolved_by_the_next(staged, monkeypatch):
    def killed(*args, **kwargs):
        raise RuntimeError("stopped while resolving events")

    monkeypatch.setattr(extract_store.event_store, "refresh", killed)
    with pytest.raises(RuntimeError):
        extract_store.run_extraction(staged, workers=1)
    monkeypatch.undo()
    assert extract_store.event_store.unresolved_documents(staged)  # extracted, stored, not resolved
    run = extract_store.run_extraction(staged, workers=1)
    assert run.documents == 0 and run.events_resolved > 0  # nothing to extract, yet the events resolved
    assert extract_store.event_store.unresolved_documents(staged) == []
    q = "select document_id, local_id, event_id from extract.event_clusters order by all"
    resumed = staged.execute(q).fetchall()
    extract_store.refresh_event_clusters(staged)  # from scratch
    assert staged.execute(q).fetchall() == resumed
