"""Huge records go through the pieces path (lines read 1 MB at a time, text normalised and hashed piece by
piece) and come out exactly as the plain definitions say; records over the ingest limit are rejects.

Why: a 10 GB dump with a few huge records must ingest in bounded memory (peak RSS is measured by
``benchmarks/big_dump.py``, not here) without changing a single id, hash, body or reject.
"""
from __future__ import annotations

import hashlib
import unicodedata
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orchestration.domain.ingest import dumps, ids, store
from orchestration.domain.ingest.dumps import REASON_TOO_LARGE, ParsedRecord, RejectedRecord, parse_dump
from orchestration.domain.ingest.store import ensure_schema, ingest_dump

SEED = Path(__file__).resolve().parents[1] / "raw" / "000_d41fcb9709c6051a.txt"
MB = 1024 * 1024


def plain_document_id(title: str, published: date, body: str) -> str:
    """The definition, on whole strings: what the pieces must reproduce."""
    t = " ".join(unicodedata.normalize("NFC", title).split()).casefold()
    b = " ".join(unicodedata.normalize("NFC", body).split())
    body_sha = hashlib.sha256(b.encode()).hexdigest()
    return hashlib.sha256(f"{t}\n{published.isoformat()}\n{body_sha}".encode()).hexdigest()[:32]


TRICKY = st.lists(st.sampled_from(  # combining marks, Hangul jamo, singletons, Unicode and ASCII whitespace
    list("ab eé\t\n\r\x1c\x0b") + ["e\u0301", "\u0301", "\u0327\u0301", "\u1100", "\u1161", "\u11a8", "\uac00",
                                   "\u3000", "\u00a0", "\u2000", "\u212b", "A\u030a", "\u0344", " \u0301"]
), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=TRICKY | st.text(max_size=40), chunk=st.integers(min_value=1, max_value=8))
def test_pieces_equal_whole_text_normalisation(text, chunk):
    whole = " ".join(unicodedata.normalize("NFC", text).split())
    assert "".join(ids._collapsed_pieces(text, chunk)) == whole


@settings(max_examples=100, deadline=None)
@given(title=TRICKY, body=TRICKY)
def test_document_id_equals_its_definition(title, body):
    assert ids.document_id(title, date(2024, 6, 28), body) == plain_document_id(title, date(2024, 6, 28), body)


def _huge_dump(path: Path) -> Path:
    """Seed records around MB-size records of every shape the parser treats on its own (> one 1 MB piece)."""
    sentence = "The ministries reviewed supply chain cooperation, investment and export finance. "
    ascii_body = sentence * (3 * MB // len(sentence))
    accents = ("Caf\u00e9 cre\u0301me \uac00\u1100\u1161 \u3000 \u00a0 \u212b A\u030a. " * (2 * MB // 30))
    seed = SEED.read_bytes().rstrip(b"\n") + b"\n"  # its last line has no newline
    parts = [
        seed,
        f"-\nA huge release (CRLF)\r\n{ascii_body} date2024-06-28\r\n".encode(),
        f"-\nA huge release\n   {accents}   date2024-06-27   \n".encode(),
        f"-\nA huge release\n{ascii_body} date2024-06-26\n{ascii_body} date2024-06-26\n".encode(),  # run together
        f"-\nA huge release without a date\n{ascii_body}\n".encode(),
        b"-\nA huge undecodable release\n" + ascii_body.encode() + b"\x81\x8d\x8f\x90\x9d date2024-06-25\n",
        f"-\nA release over the ingest limit\n{ascii_body * 2} date2024-06-24\n".encode(),
        seed,  # the same records again: duplicates
    ]
    path.write_bytes(b"".join(parts))
    return path


@pytest.fixture(scope="module")
def huge_dump(tmp_path_factory) -> Path:
    return _huge_dump(tmp_path_factory.mktemp("huge") / "huge.txt")


def test_pieces_path_parses_like_the_plain_path(huge_dump, monkeypatch):
    pieces = list(parse_dump(huge_dump))
    monkeypatch.setattr(dumps, "_LINE_CHUNK", 1 << 30)  # every line read whole, as before the pieces path
    plain = list(parse_dump(huge_dump))
    assert pieces == plain
    kinds = [(type(i).__name__, getattr(i, "reason", None)) for i in pieces if i.byte_offset >= SEED.stat().st_size]
    assert kinds[:6] == [("ParsedRecord", None), ("ParsedRecord", None),
                         ("RejectedRecord", "runs together with next record"), ("RejectedRecord", "no date token"),
                         ("RejectedRecord", "undecodable bytes"), ("ParsedRecord", None)]
    huge = [i for i in pieces if isinstance(i, ParsedRecord) and len(i.body) > MB]
    assert huge[1].body == huge[1].body.strip() and huge[1].published_date == date(2024, 6, 27)
    assert all(len(i.excerpt) <= 200 for i in pieces if isinstance(i, RejectedRecord))


def test_huge_records_ingest_with_their_defined_ids_and_the_too_large_one_is_a_reject(huge_dump, tmp_path,
                                                                                      monkeypatch):
    monkeypatch.setattr(store, "MAX_RECORD_BYTES", 4 * MB)
    expected = list(parse_dump(huge_dump, dumps.ParseLimits(max_record_bytes=4 * MB)))
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    try:
        res = ingest_dump(con, huge_dump)
        rows = con.execute("SELECT document_id, title, body, published_date, content_hash, record_number, "
                           "byte_offset FROM ingest.documents ORDER BY record_number").fetchall()
        rejects = con.execute("SELECT file_name, record_number, byte_offset, reason FROM ingest.rejects "
                              "ORDER BY record_number").fetchall()
    finally:
        con.close()
    assert res.records_read == len(expected) == res.documents_new + res.duplicates + res.rejects
    assert res.duplicates == 8 and res.documents_new == len(rows)
    firsts: dict[str, ParsedRecord] = {}
    for item in expected:
        if isinstance(item, ParsedRecord):
            firsts.setdefault(item.document_id, item)
    assert [(r.document_id, r.title, r.body, r.published_date, r.record_number, r.byte_offset)
            for r in firsts.values()] == [r[:4] + r[5:] for r in rows]
    for document, title, body, published, content, _, _ in rows:
        assert document == plain_document_id(title, published, body)
        assert content == hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()
    assert sum(len(r[2]) > MB for r in rows) == 2
    assert rejects == [("huge.txt", i.record_number, i.byte_offset, i.reason)
                       for i in expected if isinstance(i, RejectedRecord)]
    assert ("huge.txt", 14, rejects[-1][2], REASON_TOO_LARGE) == rejects[-1]


def test_a_keyed_documents_table_is_rebuilt_without_its_key_keeping_its_rows(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    try:
        ensure_schema(con)
        con.execute("DROP TABLE ingest.documents")
        con.execute("CREATE TABLE ingest.documents (document_id VARCHAR PRIMARY KEY, title VARCHAR, body VARCHAR, "
                    "published_date DATE, is_truncated BOOLEAN, content_hash VARCHAR, source_file VARCHAR, "
                    "record_number BIGINT, byte_offset BIGINT, first_seen_at TIMESTAMP, last_seen_at TIMESTAMP, "
                    "still_present BOOLEAN)")
        con.execute("INSERT INTO ingest.documents VALUES ('d1', 't', 'b', DATE '2024-06-28', false, 'h', 'f', 1, 0, "
                    "NULL, NULL, true)")
        before = con.execute("SELECT * FROM ingest.documents").fetchall()
        columns = con.execute("DESCRIBE ingest.documents").fetchall()
        ensure_schema(con)
        ensure_schema(con)  # once only
        keys = con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'documents' "
                           "AND constraint_type = 'PRIMARY KEY'").fetchone()[0]
        assert keys == 0
        assert con.execute("SELECT * FROM ingest.documents").fetchall() == before
        assert [c[:2] for c in con.execute("DESCRIBE ingest.documents").fetchall()] == [c[:2] for c in columns]
    finally:
        con.close()
