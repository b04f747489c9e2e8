"""Staged ingest: batches are committed to ``ingest_staging`` one by one, ``ingest.*`` changes all at once.

Why: a 10 GB dump must ingest in bounded memory (one transaction over the whole dump grew RSS with the
dump), without a killed or failed ingest ever showing half a dump.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.domain.ingest import store
from orchestration.domain.ingest.batches import DumpWriter
from orchestration.domain.ingest.dumps import DumpReader
from orchestration.domain.ingest.store import ensure_schema, ingest_dump
from orchestration.domain.warehouse import memory

SEED = Path(__file__).resolve().parents[1] / "raw" / "000_d41fcb9709c6051a.txt"
TABLES = ["ingest.dump_files", "ingest.documents", "ingest.sightings", "ingest.rejects"]


def snapshot(con) -> dict[str, list]:
    return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def staged(con, name: str) -> int:
    return sum(con.execute(f"SELECT count(*) FROM ingest_staging.staged_{t} WHERE file_name = ?", [name]).fetchone()[0]
               for t in ("documents", "rejects"))


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(tmp_path / "work.duckdb"))
    ensure_schema(c)
    yield c
    c.close()


def test_failure_mid_dump_leaves_previous_state_and_no_staged_rows(con, tmp_path, monkeypatch):
    dump = tmp_path / "d.txt"
    dump.write_bytes(SEED.read_bytes())
    ingest_dump(con, dump, batch_size=1)
    before = snapshot(con)
    dump.write_bytes(SEED.read_bytes() + SEED.read_bytes().replace(b"-\n", b"-\nX", 1))  # changed file

    real_iter = DumpReader.__iter__

    def failing(self):
        for i, item in enumerate(real_iter(self)):
            if i == 5:
                raise OSError("disk went away")
            yield item

    monkeypatch.setattr(DumpReader, "__iter__", failing)
    with pytest.raises(OSError):
        ingest_dump(con, dump, batch_size=1)  # batches 1-5 were committed to staging
    assert snapshot(con) == before
    assert staged(con, "d.txt") == 0


def test_rows_left_by_a_killed_ingest_are_cleared_by_the_next_one(con, tmp_path):
    dump = tmp_path / "d.txt"
    dump.write_bytes(SEED.read_bytes())
    clean = duckdb.connect(str(tmp_path / "clean.duckdb"))
    ensure_schema(clean)
    expected = ingest_dump(clean, dump)
    # A killed ingest: its committed batches stay staged, ingest.* shows nothing of it.
    DumpWriter(con, "d.txt", expected_time := store._utc_naive(None))
    con.execute("INSERT INTO ingest_staging.staged_documents (file_name, document_id, title, body, record_number) "
                "VALUES ('d.txt', 'ghost', 't', 'b', 1)")
    con.execute("INSERT INTO ingest_staging.staged_rejects (file_name, record_number, reason) VALUES ('d.txt', 2, 'r')")
    assert con.execute("SELECT count(*) FROM ingest.documents").fetchone()[0] == 0
    res = ingest_dump(con, dump, now=expected_time)
    assert (res.records_read, res.documents_new, res.duplicates, res.rejects) == (
        expected.records_read, expected.documents_new, expected.duplicates, expected.rejects)
    assert con.execute("SELECT count(*) FROM ingest.documents WHERE document_id = 'ghost'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM ingest.sightings").fetchone()[0] == expected.records_read - \
        expected.rejects
    assert staged(con, "d.txt") == 0
    clean.close()


def test_duplicates_across_batches_counted_once(con, tmp_path):
    """The first sighting in the dump creates the document even when its copy lands in a later batch."""
    data = SEED.read_bytes()
    dump = tmp_path / "d.txt"
    dump.write_bytes(data + data)
    one = duckdb.connect()  # the same dump in one batch
    ensure_schema(one)
    whole = ingest_dump(one, dump, now=store._utc_naive(None).replace(microsecond=0))
    res = ingest_dump(con, dump, batch_size=2, now=store._utc_naive(None).replace(microsecond=0))
    assert res.documents_new + res.duplicates + res.rejects == res.records_read
    assert res.duplicates > 0 and res.documents_new > 0
    assert (res.documents_new, res.duplicates, res.rejects) == (whole.documents_new, whole.duplicates, whole.rejects)
    q = "SELECT document_id, record_number, byte_offset FROM ingest.documents ORDER BY 1"
    assert con.execute(q).fetchall() == one.execute(q).fetchall()  # the first sighting made each document
    one.close()


def test_memory_limit_is_restored_after_ingest(con, tmp_path):
    con.execute("SET memory_limit = '2GiB'")
    before = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    dump = tmp_path / "d.txt"
    dump.write_bytes(SEED.read_bytes())
    ingest_dump(con, dump)
    assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == before


@pytest.mark.parametrize("bad", ["1GB; DROP TABLE x", "lots", ""])
def test_memory_limit_setting_rejects_anything_but_a_size(bad):
    with pytest.raises(ValueError):
        memory.checked_size(bad)
