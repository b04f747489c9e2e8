from __future__ import annotations

import gzip
import os
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.domain.ingest import batches
from orchestration.domain.ingest.store import ensure_schema, ingest_dump, list_dump_files, needs_ingest

SEED = Path(__file__).resolve().parents[1] / "raw" / "000_d41fcb9709c6051a.txt"
SEED_BYTES = SEED.read_bytes()
SEED_RECORDS = [b"-\n" + c.rstrip(b"\n") + b"\n" for c in SEED_BYTES.split(b"-\n") if c]
T1, T2, T3 = datetime(2024, 7, 1, 12), datetime(2024, 7, 2, 12), datetime(2024, 7, 3, 12)
TABLES = ["ingest.dump_files", "ingest.documents", "ingest.sightings", "ingest.rejects"]


@pytest.fixture
def con():
    c = duckdb.connect()
    ensure_schema(c)
    yield c
    c.close()


def snapshot(con) -> dict[str, list]:
    return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def count(con, sql: str, params=None) -> int:
    return con.execute(sql, params or []).fetchone()[0]


def write(path: Path, data: bytes, mtime_ns: int | None = None) -> Path:
    path.write_bytes(data)
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def check_accounting(res) -> None:
    assert res.documents_new + res.duplicates + res.rejects == res.records_read


def test_schema_columns_follow_architecture(con):
    expected = {
        "dump_files": ["file_name", "file_path", "size_bytes", "mtime", "content_sha256", "status", "message",
                       "records_read", "documents_new", "documents_existing", "duplicates", "rejects",
                       "first_ingested_at", "last_ingested_at"],
        "documents": ["document_id", "title", "body", "published_date", "is_truncated", "content_hash",
                      "source_file", "record_number", "byte_offset", "first_seen_at", "last_seen_at", "still_present"],
        "sightings": ["document_id", "file_name", "content_sha256", "record_number", "byte_offset", "seen_at"],
        "rejects": ["file_name", "content_sha256", "record_number", "byte_offset", "reason", "excerpt", "seen_at"],
    }
    for table, cols in expected.items():
        got = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'ingest' AND table_name = ? "
            "ORDER BY ordinal_position", [table]).fetchall()]
        assert got == cols
    ensure_schema(con)  # idempotent


def test_ingest_seed_then_unchanged_reingest_is_noop(con, tmp_path):
    path = write(tmp_path / "000_seed.txt", SEED_BYTES)
    assert needs_ingest(con, path)
    res = ingest_dump(con, path, now=T1)
    assert (res.status, res.skipped, res.records_read, res.documents_new, res.duplicates, res.rejects) == (
        "loaded", False, 8, 8, 0, 0)
    check_accounting(res)
    assert count(con, "SELECT count(*) FROM ingest.documents") == 8
    assert count(con, "SELECT count(*) FROM ingest.sightings WHERE content_sha256 = ?", [res.content_sha256]) == 8
    row = con.execute("SELECT size_bytes, status, records_read, first_ingested_at FROM ingest.dump_files").fetchone()
    assert row == (len(SEED_BYTES), "loaded", 8, T1)
    dates = [r[0].isoformat() for r in con.execute(
        "SELECT published_date FROM ingest.documents ORDER BY record_number").fetchall()]
    assert dates == ["2024-06-28"] * 3 + ["2024-06-27"] * 5

    before = snapshot(con)
    assert not needs_ingest(con, path)
    again = ingest_dump(con, path, now=T2)
    assert again.skipped and again.documents_new == 8 and again.records_read == 8
    assert snapshot(con) == before


def test_same_content_under_second_name(con, tmp_path):
    a = write(tmp_path / "a.txt", SEED_BYTES)
    b = write(tmp_path / "b.txt.gz", gzip.compress(SEED_BYTES))
    ingest_dump(con, a, now=T1)
    res = ingest_dump(con, b, now=T2)
    assert (res.documents_new, res.documents_existing, res.duplicates, res.records_read) == (0, 8, 8, 8)
    check_accounting(res)
    assert count(con, "SELECT count(*) FROM ingest.documents") == 8
    assert count(con, "SELECT count(*) FROM ingest.sightings") == 16
    assert count(con, "SELECT count(DISTINCT file_name) FROM ingest.sightings") == 2
    assert con.execute("SELECT DISTINCT first_seen_at, last_seen_at, source_file FROM ingest.documents").fetchall() == [
        (T1, T2, "a.txt")]


def test_duplicates_within_one_dump_and_rejects(con, tmp_path):
    bad = b"-\nTitle\nBody. date2024-02-30\n-\nNo date here\nbody\n"
    data = SEED_RECORDS[0] + SEED_RECORDS[1] + SEED_RECORDS[0] + bad + SEED_RECORDS[0].replace(b"\n", b"\r\n")
    res = ingest_dump(con, write(tmp_path / "d.txt", data), now=T1)
    assert (res.records_read, res.documents_new, res.duplicates, res.rejects, res.documents_existing) == (
        6, 2, 2, 2, 0)
    check_accounting(res)
    rejects = con.execute("SELECT record_number, reason, file_name FROM ingest.rejects ORDER BY 1").fetchall()
    assert rejects == [(4, "impossible date", "d.txt"), (5, "no date token", "d.txt")]
    assert count(con, "SELECT count(*) FROM ingest.sightings") == 4
    assert con.execute("SELECT record_number FROM ingest.documents ORDER BY 1").fetchall() == [(1,), (2,)]
    stored = con.execute("SELECT documents_new, duplicates, rejects FROM ingest.dump_files").fetchone()
    assert stored == (2, 2, 2)


def test_changed_dump_is_read_again(con, tmp_path):
    path = write(tmp_path / "a.txt", SEED_BYTES, mtime_ns=1_700_000_000_000_000_000)
    write(tmp_path / "b.txt", SEED_RECORDS[7])  # record 8 is also in b
    ingest_dump(con, path, now=T1)
    ingest_dump(con, tmp_path / "b.txt", now=T1)
    new_record = b"-\nA brand new release\nSomething happened. date2024-07-01\n"
    changed = b"".join(SEED_RECORDS[:6]) + new_record  # records 7 and 8 dropped
    write(path, changed, mtime_ns=1_700_000_100_000_000_000)
    assert needs_ingest(con, path)
    res = ingest_dump(con, path, now=T2)
    assert (res.skipped, res.records_read, res.documents_new, res.documents_existing, res.duplicates) == (
        False, 7, 1, 6, 6)
    check_accounting(res)
    assert count(con, "SELECT count(*) FROM ingest.documents") == 9  # never deleted
    assert count(con, "SELECT count(*) FROM ingest.sightings WHERE file_name = 'a.txt'") == 7
    assert count(con, "SELECT count(*) FROM ingest.sightings WHERE file_name = 'a.txt' AND seen_at = ?", [T2]) == 7
    gone = con.execute("SELECT title, first_seen_at, last_seen_at FROM ingest.documents "
                       "WHERE NOT still_present").fetchall()
    assert len(gone) == 1 and gone[0][0].startswith("Korea and Japan discuss") and gone[0][1:] == (T1, T1)
    in_b = con.execute("SELECT still_present, last_seen_at FROM ingest.documents "
                       "WHERE title LIKE 'U.S.-based advanced industry%'").fetchone()
    assert in_b == (True, T1)
    kept = con.execute("SELECT first_seen_at, last_seen_at FROM ingest.documents WHERE still_present "
                       "AND record_number <= 6 AND source_file = 'a.txt'").fetchall()
    assert set(kept) == {(T1, T2)} and len(kept) == 6
    row = con.execute("SELECT first_ingested_at, last_ingested_at, size_bytes, records_read FROM ingest.dump_files "
                      "WHERE file_name = 'a.txt'").fetchone()
    assert row == (T1, T2, len(changed), 7)
    # the dropped record comes back: present again, first_seen_at kept
    write(path, SEED_BYTES, mtime_ns=1_700_000_200_000_000_000)
    res = ingest_dump(con, path, now=T3)
    assert (res.documents_new, res.duplicates) == (0, 8)
    assert con.execute("SELECT first_seen_at, last_seen_at FROM ingest.documents WHERE title LIKE 'Korea and Japan%'"
                       ).fetchone() == (T1, T3)
    assert count(con, "SELECT count(*) FROM ingest.documents WHERE NOT still_present") == 1  # the brand new one


def test_touched_file_with_same_content_reads_again_without_changes(con, tmp_path):
    path = write(tmp_path / "a.txt", SEED_BYTES, mtime_ns=1_700_000_000_000_000_000)
    ingest_dump(con, path, now=T1)
    write(path, SEED_BYTES, mtime_ns=1_700_000_001_000_000_000)
    res = ingest_dump(con, path, now=T2)
    assert not res.skipped and res.documents_new == 0 and res.duplicates == 8
    assert count(con, "SELECT count(*) FROM ingest.sightings") == 8
    assert not needs_ingest(con, path)


def test_needs_ingest_verify_hash_catches_same_size_and_mtime(con, tmp_path):
    path = write(tmp_path / "a.txt", SEED_BYTES, mtime_ns=1_700_000_000_123_456_789)
    ingest_dump(con, path, now=T1)
    assert not needs_ingest(con, path, verify_hash=True)
    write(path, SEED_BYTES.replace(b"date2024-06-28", b"date2024-06-29"), mtime_ns=1_700_000_000_123_456_789)
    assert not needs_ingest(con, path)
    assert needs_ingest(con, path, verify_hash=True)
    res = ingest_dump(con, path, now=T2, force=True)
    assert res.documents_new == 3


def test_file_level_statuses_are_recorded(con, tmp_path):
    empty = write(tmp_path / "empty.txt", b"")
    binary = write(tmp_path / "bin.txt", b"\x00\x01\x02" * 1000)
    rows = b"".join(f"-\nTitle {i}\nBody {i} {os.urandom(300).hex()}. date2024-01-01\n".encode() for i in range(2000))
    blob = gzip.compress(rows)
    cut = write(tmp_path / "cut.gz", blob[: len(blob) // 2])
    for path, status in ((empty, "empty"), (binary, "not_text"), (cut, "unreadable")):
        res = ingest_dump(con, path, now=T1)
        assert res.status == status and res.message
        check_accounting(res)
        stored = con.execute("SELECT status, message, records_read FROM ingest.dump_files WHERE file_name = ?",
                             [path.name]).fetchone()
        assert stored == (status, res.message, res.records_read)
    assert 0 < count(con, "SELECT count(*) FROM ingest.sightings WHERE file_name = 'cut.gz'") < 2000
    assert needs_ingest(con, cut) and not needs_ingest(con, empty)  # unreadable files are retried


@pytest.mark.parametrize("name", [
    "it's; DROP TABLE ingest.documents; --.txt",
    'quo"te\'s.txt',
    "한국 덤프 ✓ (1).txt",
    "x' OR '1'='1",
])
def test_hostile_file_names(con, tmp_path, name):
    path = write(tmp_path / name, SEED_BYTES)
    res = ingest_dump(con, path, now=T1)
    assert res.file_name == name and res.documents_new == 8
    changed = SEED_BYTES.replace(b"energy security. date2024", b"energy sec date2024")  # truncated copy
    other = ingest_dump(con, write(tmp_path / "plain.txt", changed), now=T1)
    assert other.documents_new == 1
    assert con.execute("SELECT file_name FROM ingest.dump_files ORDER BY file_name").fetchall() == sorted(
        [(name,), ("plain.txt",)])
    assert count(con, "SELECT count(*) FROM ingest.sightings WHERE file_name = ?", [name]) == 8
    assert count(con, "SELECT count(*) FROM ingest.documents WHERE source_file = ?", [name]) == 8
    res2 = ingest_dump(con, path, now=T2, force=True)
    assert res2.duplicates == 8 and count(con, "SELECT count(*) FROM ingest.sightings") == 16


def test_crash_mid_dump_leaves_previous_state(con, tmp_path, monkeypatch):
    path = write(tmp_path / "a.txt", SEED_BYTES, mtime_ns=1_700_000_000_000_000_000)
    ingest_dump(con, path, now=T1)
    before = snapshot(con)
    write(path, b"".join(SEED_RECORDS[:4]) + b"-\nNew\nNew body. date2024-01-01\n", mtime_ns=1_700_000_500_000_000_000)
    calls = {"n": 0}
    real = batches.DumpWriter.write_documents

    def boom(self, rows):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("simulated crash")
        return real(self, rows)

    monkeypatch.setattr(batches.DumpWriter, "write_documents", boom)
    with pytest.raises(RuntimeError, match="simulated crash"):
        ingest_dump(con, path, now=T2, batch_size=2)
    assert snapshot(con) == before
    monkeypatch.undo()
    res = ingest_dump(con, path, now=T3)  # works afterwards, connection not stuck in a transaction
    assert res.documents_new == 1 and res.records_read == 5


def test_100k_records_fast(con, tmp_path):
    path = tmp_path / "big.txt"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(100_000):
            f.write(f"-\nRelease {i}\nMinistry statement number {i} on trade. date2024-0{i % 9 + 1}-1{i % 9}\n")
        f.write("-\nRelease 5\nMinistry statement number 5 on trade. date2024-06-15\n-\nbad\n")
    start = time.perf_counter()
    res = ingest_dump(con, path, now=T1)
    elapsed = time.perf_counter() - start
    assert (res.records_read, res.documents_new, res.duplicates, res.rejects) == (100_002, 100_000, 1, 1)
    assert count(con, "SELECT count(*) FROM ingest.sightings") == 100_001
    assert elapsed < 30, elapsed


def test_list_dump_files(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    outside = write(tmp_path / "outside.txt", SEED_BYTES)
    for name in ("b.txt", "a.txt.gz", ".hidden.txt", "c.txt.part", "d.TMP", "it's; x.txt"):
        write(raw / name, b"x")
    (raw / "subdir").mkdir()
    (raw / "link_in.txt").symlink_to(raw / "b.txt")
    (raw / "link_out.txt").symlink_to(outside)
    (raw / "link_broken.txt").symlink_to(raw / "missing.txt")
    (raw / "link_dir").symlink_to(raw / "subdir")
    names = [p.name for p in list_dump_files(raw)]
    assert names == ["a.txt.gz", "b.txt", "it's; x.txt", "link_in.txt"]
    assert list_dump_files(tmp_path / "nope") == []
