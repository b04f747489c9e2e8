from __future__ import annotations

import gzip
import os
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import mutated_dump

from orchestration.domain.ingest.dumps import (
    REASON_EMPTY_BODY,
    REASON_EMPTY_TITLE,
    REASON_IMPOSSIBLE_DATE,
    REASON_NO_DATE,
    REASON_RUN_TOGETHER,
    REASON_TOO_LARGE,
    REASON_UNDECODABLE,
    DumpReader,
    ParsedRecord,
    ParseLimits,
    RejectedRecord,
    document_id,
    parse_dump,
)

SEED = Path(__file__).resolve().parents[1] / "raw" / "000_d41fcb9709c6051a.txt"
SEED_BYTES = SEED.read_bytes()
SEED_DATES = [date(2024, 6, 28)] * 3 + [date(2024, 6, 27)] * 5


def run(path: Path, limits: ParseLimits | None = None) -> tuple[list, DumpReader]:
    reader = parse_dump(path, limits)
    items = list(reader)
    rep = reader.report
    assert rep.records_read == len(items) == rep.records_parsed + rep.records_rejected
    assert [i.record_number for i in items] == list(range(1, len(items) + 1))
    return items, reader


def write(tmp_path: Path, data: bytes, name: str = "dump.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def parsed(items: list) -> list[ParsedRecord]:
    return [i for i in items if isinstance(i, ParsedRecord)]


def rejected(items: list) -> list[RejectedRecord]:
    return [i for i in items if isinstance(i, RejectedRecord)]


def rec(title: str, body: str) -> str:
    return f"-\n{title}\n{body}\n"


# ----------------------------------------------------------------------- seed


def test_seed_dump_parses_to_eight_records():
    items, reader = run(SEED)
    docs = parsed(items)
    assert len(docs) == 8 and not rejected(items)
    assert [d.published_date for d in docs] == SEED_DATES
    assert reader.report.status == "loaded" and reader.report.message is None
    assert [d.is_truncated for d in docs] == [False, False, False, True, False, False, False, False]
    assert docs[3].body.endswith("increasing the availa")
    assert not any("date20" in d.body for d in docs)
    for d in docs:  # offsets point at the title line
        assert SEED_BYTES[d.byte_offset:].startswith(d.title.encode())
    assert len({d.document_id for d in docs}) == 8
    assert reader.report.content_sha256 is not None and reader.report.size_bytes == len(SEED_BYTES)


def test_crlf_bom_and_final_newline_give_same_documents(tmp_path):
    base = [d.document_id for d in parsed(run(SEED)[0])]
    crlf = SEED_BYTES.replace(b"\n", b"\r\n")
    for data in (crlf, b"\xef\xbb\xbf" + SEED_BYTES, SEED_BYTES + b"\n", crlf + b"\r\n", b"\xef\xbb\xbf" + crlf):
        path = write(tmp_path, data)
        docs = parsed(run(path)[0])
        assert [d.document_id for d in docs] == base
        assert not any("\r" in d.body or "\r" in d.title or "\ufeff" in d.title for d in docs)
        for d in docs:
            assert data[d.byte_offset:].startswith(d.title.encode())


def test_gzip_by_extension_and_by_magic(tmp_path):
    for name in ("dump.txt.gz", "dump.txt"):
        path = write(tmp_path, gzip.compress(SEED_BYTES), name)
        items, reader = run(path)
        assert len(parsed(items)) == 8 and reader.report.is_gzip
        assert reader.report.bytes_read == len(SEED_BYTES)


def test_truncated_gzip_keeps_records_read_before_failure(tmp_path):
    data = b"".join(rec(f"Title {i}", f"Body {i} {os.urandom(400).hex()}. date2024-01-02").encode()
                    for i in range(2000))
    blob = gzip.compress(data)
    path = write(tmp_path, blob[: len(blob) // 2], "cut.txt.gz")
    items, reader = run(path)
    assert reader.report.status == "unreadable"
    assert "read error" in reader.report.message
    docs = parsed(items)
    assert 0 < len(docs) < 2000
    assert all(d.body.startswith(f"Body {d.record_number - 1} ") for d in docs)
    assert reader.report.content_sha256 is not None  # the on-disk bytes were all read


def test_gzip_bomb_and_decompressed_limit(tmp_path):
    payload = ("-\nTitle\n" + "a" * 3_000_000 + ". date2024-01-01\n").encode()
    path = write(tmp_path, gzip.compress(payload), "bomb.gz")
    items, reader = run(path, ParseLimits(max_compression_ratio=50, ratio_check_min_bytes=1_000_000))
    assert reader.report.status == "too_large" and "ratio" in reader.report.message
    items, reader = run(path, ParseLimits(max_decompressed_bytes=100_000))
    assert reader.report.status == "too_large" and "exceeds" in reader.report.message
    items, reader = run(path)  # default limits: fine
    assert reader.report.status == "loaded" and len(parsed(items)) == 1


def test_utf16_with_bom(tmp_path):
    text = SEED_BYTES.decode("utf-8")
    for enc, bom in (("utf-16", 2), ("utf-16-be", 0), ("utf-32", 4)):
        data = text.encode(enc) if bom else b"\xfe\xff" + text.encode(enc)
        path = write(tmp_path, data)
        items, reader = run(path)
        docs = parsed(items)
        assert [d.published_date for d in docs] == SEED_DATES, enc
        assert docs[0].title.startswith("Korea and U.S.")
        width = 4 if enc == "utf-32" else 2
        assert docs[0].byte_offset == width + 2 * width  # BOM + "-\n"
        assert docs[0].encoding in ("utf-16", "utf-32")


def test_cp949_and_latin1_records(tmp_path):
    korean = rec("한국과 미국, 반도체 협력 강화", "산업통상자원부는 협력을 강화한다고 밝혔다. date2024-06-28")
    latin = rec("Café in Zürich", "Le ministre a visité la région. date2024-06-27")
    data = SEED_BYTES + b"\n" + korean.encode("cp949") + latin.encode("latin-1") + korean.encode("utf-8")
    items, _ = run(write(tmp_path, data))
    docs = parsed(items)
    assert len(docs) == 11
    assert docs[8].encoding == "cp949" and docs[8].title == "한국과 미국, 반도체 협력 강화"
    assert docs[9].encoding in ("cp1252", "latin-1") and docs[9].title == "Café in Zürich"
    assert docs[10].encoding == "utf-8" and docs[10].document_id == docs[8].document_id


def test_undecodable_record_is_rejected(tmp_path):
    bad = b"-\nTitle \x81\x81\x8d\xff\xfe\n\x90\x9d\x81 body \xff\x81. date2024-01-01\n"
    items, reader = run(write(tmp_path, SEED_BYTES + b"\n" + bad))
    assert len(parsed(items)) == 8
    [r] = rejected(items)
    assert r.reason == REASON_UNDECODABLE and r.record_number == 9 and "Title" in r.excerpt
    assert reader.report.status == "loaded"


@pytest.mark.parametrize(
    "record, reason",
    [
        ("-\nTitle\nBody without a date.\n", REASON_NO_DATE),
        ("-\nTitle\nBody with bad token. date2024/01/01\n", REASON_NO_DATE),
        ("-\nTitle\nBody. date2024-02-30\n", REASON_IMPOSSIBLE_DATE),
        ("-\nTitle\nBody. date2023-13-01\n", REASON_IMPOSSIBLE_DATE),
        ("-\nOnly a body line. date2024-01-01\n", REASON_EMPTY_TITLE),
        ("-\n   \nOnly a body line. date2024-01-01\n", REASON_EMPTY_TITLE),
        ("-\nOnly a title\n", REASON_EMPTY_BODY),
        ("-\nTitle\ndate2024-01-01\n", REASON_EMPTY_BODY),
        ("-\nTitle\nBody. date2024-01-01\nTitle 2\nBody 2. date2024-01-02\n", REASON_RUN_TOGETHER),
        ("-\nTitle\nBody. date2024-01-01Next title body date2024-01-02\n", REASON_RUN_TOGETHER),
        ("-\nTitle\nBody part one\nBody part two. date2024-01-01\n", REASON_RUN_TOGETHER),
    ],
)
def test_bad_records_are_rejected_with_reason(tmp_path, record, reason):
    good = rec("Good", "Good body. date2024-01-01")
    data = (good + record + good).encode()
    items, reader = run(write(tmp_path, data))
    assert [type(i).__name__ for i in items] == ["ParsedRecord", "RejectedRecord", "ParsedRecord"]
    r = items[1]
    assert r.reason == reason and r.record_number == 2
    assert data[r.byte_offset:].startswith(r.excerpt.split()[0].encode())
    assert r.excerpt and len(r.excerpt) <= 200
    assert reader.report.status == "loaded" and reader.report.reject_reasons == {reason: 1}


def test_truncated_bodies_are_kept_and_flagged(tmp_path):
    data = (rec("A", "Cut mid-wor date2024-01-01") + rec("B", 'He said "done." date2024-01-01')
            + rec("C", "Ends with paren (x) date2024-01-01") + rec("D", "Ends, with comma, date2024-01-01"))
    docs = parsed(run(write(tmp_path, data.encode()))[0])
    assert [d.is_truncated for d in docs] == [True, False, False, True]
    assert docs[0].body == "Cut mid-wor"


def test_record_too_large_is_rejected_and_parsing_continues(tmp_path):
    data = (rec("Small", "Fine. date2024-01-01") + rec("Big", "x" * 5000 + ". date2024-01-01")
            + rec("Big2", "y " * 3000 + ". date2024-01-01") + rec("After", "Fine too. date2024-01-02")).encode()
    items, _ = run(write(tmp_path, data), ParseLimits(max_record_bytes=1000))
    assert [getattr(i, "reason", None) for i in items] == [None, REASON_TOO_LARGE, REASON_TOO_LARGE, None]
    assert items[1].excerpt.startswith("Big") and data[items[3].byte_offset:].startswith(b"After")


def test_huge_record_with_bounded_memory(tmp_path):
    body = "word " * 10_000_000  # 50 MB single line
    data = rec("Huge", body + "end. date2024-01-01").encode() + rec("Next", "ok. date2024-01-02").encode()
    path = write(tmp_path, data)
    del data
    del body
    items, _ = run(path)  # default 64 MB limit: accepted
    assert [type(i).__name__ for i in items] == ["ParsedRecord", "ParsedRecord"]
    assert len(items[0].body) > 49_000_000
    del items
    tracemalloc.start()
    try:
        items, _ = run(path, ParseLimits(max_record_bytes=1_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [getattr(i, "reason", None) for i in items] == [REASON_TOO_LARGE, None]
    assert peak < 12_000_000


# -------------------------------------------------------------- file statuses


def test_empty_files(tmp_path):
    for data, name in ((b"", "e.txt"), (gzip.compress(b""), "e.gz"), (b"-\n-\n\n-\r\n-", "seps.txt"),
                       (b"\xef\xbb\xbf", "bom.txt"), (b"\n\n   \n", "blank.txt")):
        items, reader = run(write(tmp_path, data, name))
        assert items == [] and reader.report.status == "empty", name
        assert reader.report.message


def test_binary_files_are_not_text(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 10
    for data in (png, bytes(range(1, 32)) * 100, "-\nT\nB. date2024-01-01\n".encode("utf-16-le")):
        items, reader = run(write(tmp_path, data))
        assert items == [] and reader.report.status == "not_text"
    items, reader = run(write(tmp_path, gzip.compress(png), "png.gz"))
    assert reader.report.status == "not_text"


def test_unreadable_paths(tmp_path):
    for path in (tmp_path / "missing.txt", tmp_path):
        items, reader = run(path)
        assert items == [] and reader.report.status == "unreadable" and reader.report.message
        assert reader.report.content_sha256 is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_permission_denied_is_unreadable(tmp_path):
    path = write(tmp_path, SEED_BYTES)
    path.chmod(0)
    items, reader = run(path)
    assert items == [] and reader.report.status == "unreadable"


def test_reader_iterates_once():
    reader = parse_dump(SEED)
    list(reader)
    with pytest.raises(RuntimeError):
        list(reader)


# ------------------------------------------------------------------ document id


def test_document_id_normalisation():
    d = date(2024, 6, 28)
    base = document_id("Korea and U.S.  hold talks", d, "Body  text.\n")
    assert len(base) == 32 and int(base, 16) >= 0
    assert document_id("korea AND u.s. hold talks ", d, " Body text.") == base
    assert document_id("Korea and U.S. hold talks", date(2024, 6, 27), "Body text.") != base
    assert document_id("Korea and U.S. hold talks", d, "Body text") != base
    assert document_id("Korea and U.S. hold talks", d, "body text.") != base  # body is case-sensitive


# ----------------------------------------------------------------- properties

_PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def prop_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("props")


@_PROPS
@given(data=st.binary(max_size=3000), gz=st.booleans())
def test_arbitrary_bytes_never_raise(prop_dir, data, gz):
    path = write(prop_dir, gzip.compress(data) if gz else data, "arb.gz" if gz else "arb.txt")
    items, reader = run(path)
    assert reader.report.status in {"loaded", "empty", "unreadable", "not_text", "too_large"}




@_PROPS
@given(data=mutated_dump(max_records=4, max_edits=6), gz=st.booleans(), small=st.booleans())
def test_mutated_seed_records_never_raise(prop_dir, data, gz, small):
    path = write(prop_dir, gzip.compress(data) if gz else data, "mut.gz" if gz else "mut.txt")
    limits = ParseLimits(max_record_bytes=2000) if small else None
    items, reader = run(path, limits)
    for item in items:
        if isinstance(item, ParsedRecord):
            assert item.title and item.body and "\n" not in item.body
        else:
            assert item.reason and isinstance(item.excerpt, str)
    if not gz:
        offsets = [i.byte_offset for i in items]
        assert offsets == sorted(offsets) and all(0 <= o < len(data) for o in offsets)
