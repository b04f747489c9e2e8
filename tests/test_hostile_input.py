"""Hostile input at the domain level: what arrives in raw/ is never trusted.

Complements test_dumps.py / test_staging.py (which cover the parser's
statuses, single-encoding files, list_dump_files basics and hostile names at
the parser/staging level) with: property tests through ``ingest_dump``, mixed
encodings in one file, peak RSS of the parser in a child process on big
inputs, gzip bombs measured, landing-folder races, and order independence of
``ingest.documents``.

Big variants: ``WAREHOUSE_FULL_TESTS=1`` (1 GB dump, 50 MB record, 1 GB bomb).
"""
from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import os
import subprocess
import sys
import textwrap
import zlib
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import SEED_RECORDS, mutated_dump

from orchestration.domain.ingest import store as staging
from orchestration.domain.ingest.dumps import (
    REASON_UNDECODABLE,
    ParsedRecord,
    ParseLimits,
    RejectedRecord,
    normalize_body,
    normalize_title,
    parse_dump,
)
from orchestration.domain.ingest.store import ensure_schema, ingest_dump, list_dump_files, needs_ingest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "raw" / "000_d41fcb9709c6051a.txt"
SEED_BYTES = SEED.read_bytes()
FULL = os.environ.get("WAREHOUSE_FULL_TESTS") == "1"
T1, T2 = datetime(2024, 7, 1, 12), datetime(2024, 7, 2, 12)
RSS_LIMIT_MB = 300


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_schema(con)
    return con


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _docs(con) -> list[tuple]:
    return con.execute(
        "SELECT document_id, title, body, published_date, is_truncated, content_hash FROM ingest.documents "
        "ORDER BY document_id").fetchall()


def _accounting(res) -> None:
    assert res.documents_new + res.duplicates + res.rejects == res.records_read, res


# ------------------------------------------------------------ properties via staging

_PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def prop_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile_props")


@_PROPS
@given(dumps=st.lists(st.one_of(mutated_dump(), st.binary(max_size=2000)), min_size=1, max_size=3),
       gz=st.lists(st.booleans(), min_size=3, max_size=3))
def test_ingest_accounting_holds_for_arbitrary_and_mutated_dumps(prop_dir, dumps, gz):
    """records_read = new + duplicates + rejects per dump; the tables agree with the results."""
    con = _con()
    try:
        total_new = 0
        for i, data in enumerate(dumps):
            name = f"d{i}.txt.gz" if gz[i] else f"d{i}.txt"
            path = _write(prop_dir / name, gzip.compress(data) if gz[i] else data)
            res = ingest_dump(con, path, now=T1, force=True)
            assert res.status in {"loaded", "empty", "unreadable", "not_text", "too_large"}
            _accounting(res)
            reader = parse_dump(path)
            items = list(reader)
            assert reader.report.records_read == len(items) == res.records_read
            assert res.rejects == sum(isinstance(it, RejectedRecord) for it in items)
            total_new += res.documents_new
            n = con.execute("SELECT count(*) FROM ingest.sightings WHERE file_name = ?", [name]).fetchone()[0]
            assert n == res.documents_new + res.duplicates
            stored = con.execute("SELECT records_read, documents_new, duplicates, rejects FROM ingest.dump_files "
                                 "WHERE file_name = ?", [name]).fetchone()
            assert stored == (res.records_read, res.documents_new, res.duplicates, res.rejects)
        assert con.execute("SELECT count(*) FROM ingest.documents").fetchone()[0] == total_new
    finally:
        con.close()


# --------------------------------------------------------------------- encodings

KOREAN = ("-\n한국과 미국, 반도체 공급망 협력 강화\n"
          "산업통상자원부는 미국 상무부와 협력을 강화한다고 밝혔다. date2024-06-28\n")
LATIN = "-\nSociété Générale opens office in Zürich\nThe bank's façade was unveiled by the minister. date2024-06-27\n"
ASCII = "-\nPlain title\nPlain body. date2024-06-26\n"


def test_mixed_encodings_in_one_utf8_bom_file(tmp_path):
    """A UTF-8-BOM file with records in UTF-8, EUC-KR/cp949, Latin-1 and one that cannot be told apart."""
    garbage = b"-\n\x81\x82\x83\x84 title \x9f\x9e\n\x80\x81\x9d body \xff\xfe\x81. date2024-01-01\n"
    # NULs after the first 8 KB (sniffed as text): that record alone is rejected
    utf16_record = "-\nUTF-16 inside\nbody. date2024-01-01\n".encode("utf-16-le")
    data = (b"\xef\xbb\xbf" + KOREAN.encode("utf-8") + KOREAN.encode("euc-kr") + LATIN.encode("latin-1")
            + garbage + ASCII.encode() + SEED_BYTES + b"\n-\n" + utf16_record + b"\n" + LATIN.encode("utf-8"))
    reader = parse_dump(_write(tmp_path / "mixed.txt", data))
    items = list(reader)
    rep = reader.report
    assert rep.status == "loaded" and rep.records_read == len(items) == rep.records_parsed + rep.records_rejected
    docs = [i for i in items if isinstance(i, ParsedRecord)]
    rejects = [i for i in items if isinstance(i, RejectedRecord)]
    assert [d.encoding for d in docs[:3]] == ["utf-8", "cp949", docs[2].encoding]
    assert docs[2].encoding in ("cp1252", "latin-1")
    assert docs[0].title == docs[1].title == "한국과 미국, 반도체 공급망 협력 강화"
    assert docs[0].document_id == docs[1].document_id  # same article, two encodings: one document
    assert docs[2].title == "Société Générale opens office in Zürich"
    assert docs[-1].document_id == docs[2].document_id
    assert len(docs) == 4 + 8 + 1 and len(rejects) == 2
    assert rejects[0].reason == REASON_UNDECODABLE and rejects[1].reason  # the UTF-16 fragment: some reason
    assert all(r.reason and r.excerpt is not None for r in rejects)
    assert docs[0].byte_offset == 5  # after the BOM and the first separator
    print(f"\nmixed file: encodings={rep.encodings} rejects={rep.reject_reasons}")


def test_utf16_file_with_korean_text_and_staging(tmp_path):
    con = _con()
    try:
        for enc in ("utf-16", "utf-16-be"):
            data = (KOREAN + LATIN + ASCII).encode(enc)
            if enc == "utf-16-be":
                data = b"\xfe\xff" + data
            res = ingest_dump(con, _write(tmp_path / f"{enc}.txt", data), now=T1)
            assert res.status == "loaded" and res.rejects == 0 and res.records_read == 3
            _accounting(res)
        titles = sorted(r[0] for r in con.execute("SELECT title FROM ingest.documents").fetchall())
        assert titles == sorted(["한국과 미국, 반도체 공급망 협력 강화", "Société Générale opens office in Zürich",
                                 "Plain title"])
        # UTF-16 without BOM cannot be told apart from binary: rejected as a whole file with a reason
        res = ingest_dump(con, _write(tmp_path / "nobom.txt", (KOREAN + ASCII).encode("utf-16-le")), now=T1)
        assert res.status == "not_text" and "BOM" in res.message
    finally:
        con.close()


# ------------------------------------------------------------ big input, bounded memory

_RSS_CHILD = textwrap.dedent("""
    import importlib.util, json, resource, sys, time

    def peak_kb():
        # ru_maxrss survives execve (it would report the forking pytest's peak): VmHWM is per process image
        try:
            with open("/proc/self/status") as f:
                return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
        except OSError:
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # load dumps.py alone (stdlib only), so the baseline RSS is the interpreter's, not pandas'/duckdb's
    spec = importlib.util.spec_from_file_location("dumps", sys.argv[3])
    dumps = importlib.util.module_from_spec(spec)
    sys.modules["dumps"] = dumps
    spec.loader.exec_module(dumps)
    ParseLimits, ParsedRecord, parse_dump = dumps.ParseLimits, dumps.ParsedRecord, dumps.parse_dump
    path, limits = sys.argv[1], json.loads(sys.argv[2])
    base = peak_kb()
    t0 = time.perf_counter()
    reader = parse_dump(path, ParseLimits(**limits))
    parsed = rejected = longest = 0
    for item in reader:
        if isinstance(item, ParsedRecord):
            parsed += 1
            longest = max(longest, len(item.body))
        else:
            rejected += 1
    r = reader.report
    print(json.dumps({"base_kb": base, "peak_kb": peak_kb(),
                      "seconds": time.perf_counter() - t0, "parsed": parsed, "rejected": rejected,
                      "longest": longest, "status": r.status, "message": r.message, "bytes_read": r.bytes_read,
                      "records_read": r.records_read}))
""")


def _parse_in_child(path: Path, **limits) -> dict:
    out = subprocess.run([sys.executable, "-c", _RSS_CHILD, str(path), json.dumps(limits),
                          str(REPO / "orchestration" / "domain" / "ingest" / "dumps.py")], cwd=REPO,
                         capture_output=True, text=True, timeout=900, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _write_big_dump(path: Path, target_bytes: int) -> int:
    """Distinct records (~2 KB each) until target_bytes; returns the record count."""
    filler = ("The ministry said bilateral cooperation on supply chains, semiconductors and batteries "
              "would deepen further. ") * 18
    n = 0
    written = 0
    with open(path, "w", encoding="utf-8") as f:
        while written < target_bytes:
            chunk = "".join(f"-\nRelease {n + i} on trade\n{filler}Item {n + i}. date2024-0{(n + i) % 9 + 1}-15\n"
                            for i in range(1000))
            f.write(chunk)
            written += len(chunk.encode())
            n += 1000
    return n


def test_big_dump_parses_with_bounded_rss(tmp_path):
    size = (1024 if FULL else 50) * 1024 * 1024
    path = tmp_path / "big.txt"
    n = _write_big_dump(path, size)
    res = _parse_in_child(path)
    mb = path.stat().st_size / 1e6
    print(f"\n{mb:.0f} MB dump, {n} records: peak RSS {res['peak_kb'] / 1024:.0f} MB "
          f"(interpreter+imports {res['base_kb'] / 1024:.0f} MB), {res['seconds']:.1f}s, "
          f"{mb / res['seconds']:.0f} MB/s")
    assert res["status"] == "loaded" and res["parsed"] == n and res["rejected"] == 0
    assert res["peak_kb"] / 1024 < RSS_LIMIT_MB


def test_single_huge_record_with_bounded_rss(tmp_path):
    mb = 50 if FULL else 5
    path = tmp_path / "huge_record.txt"
    with open(path, "w", encoding="utf-8") as f:
        f.write("-\nHuge\n")
        chunk = "word " * (1024 * 1024 // 10)  # 0.5 MB
        for _ in range(mb * 2):
            f.write(chunk)
        f.write("end. date2024-01-01\n-\nNext\nok. date2024-01-02\n")
    res = _parse_in_child(path)  # default limits: the record is accepted whole
    print(f"\n{mb} MB single record: peak RSS {res['peak_kb'] / 1024:.0f} MB "
          f"(base {res['base_kb'] / 1024:.0f} MB), {res['seconds']:.2f}s")
    assert (res["parsed"], res["rejected"]) == (2, 0) and res["longest"] > mb * 2 * len(chunk)
    assert res["peak_kb"] / 1024 < RSS_LIMIT_MB
    limited = _parse_in_child(path, max_record_bytes=1024 * 1024)  # over the limit: rejected, the next one kept
    print(f"with a 1 MB record limit: peak RSS {limited['peak_kb'] / 1024:.0f} MB")
    assert (limited["parsed"], limited["rejected"]) == (1, 1)
    assert limited["peak_kb"] <= res["peak_kb"]


_INGEST_CHILD = textwrap.dedent("""
    import json, sys, time
    import duckdb
    from orchestration.domain.ingest.store import ensure_schema, ingest_dump

    def peak_kb():
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))

    con = duckdb.connect()
    ensure_schema(con)
    base = peak_kb()
    t0 = time.perf_counter()
    res = ingest_dump(con, sys.argv[1])
    length = con.execute("select max(length(body)) from ingest.documents").fetchone()[0]
    print(json.dumps({"base_kb": base, "peak_kb": peak_kb(), "seconds": time.perf_counter() - t0,
                      "new": res.documents_new, "rejects": res.rejects, "longest": length}))
""")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_single_huge_record_through_staging_with_bounded_rss(tmp_path):
    """The whole ingest path (parse, document_id, content hash, DuckDB insert) of one huge record."""
    mb = 50 if FULL else 5
    path = tmp_path / "huge_record.txt"
    chunk = "word " * (1024 * 1024 // 10)
    with open(path, "w", encoding="utf-8") as f:
        f.write("-\nHuge\n")
        for _ in range(mb * 2):
            f.write(chunk)
        f.write("end. date2024-01-01\n-\nNext\nok. date2024-01-02\n")
    out = subprocess.run([sys.executable, "-c", _INGEST_CHILD, str(path)], cwd=REPO, capture_output=True,
                         text=True, timeout=600, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    grew = (res["peak_kb"] - res["base_kb"]) / 1024
    print(f"\n{mb} MB record through ingest_dump: peak RSS {res['peak_kb'] / 1024:.0f} MB "
          f"(+{grew:.0f} MB over duckdb+pandas imports), {res['seconds']:.2f}s")
    assert (res["new"], res["rejects"]) == (2, 0) and res["longest"] > mb * 2 * len(chunk)
    assert grew < max(RSS_LIMIT_MB - 100, 8 * mb)  # a few copies of the record, never one object per word


# -------------------------------------------------------------------- gzip bombs

def _bomb(path: Path, decompressed: int) -> None:
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
    block = b"-\nBomb\n" + b"A" * (1 << 20)
    with open(path, "wb") as f:
        for _ in range(decompressed // len(block)):
            f.write(comp.compress(block))
        f.write(comp.flush())


def test_gzip_bomb_rejected_without_unpacking(tmp_path):
    size = (1024 if FULL else 200) * 1024 * 1024
    path = tmp_path / "bomb.txt.gz"
    _bomb(path, size)
    before = sorted(p.name for p in tmp_path.iterdir())
    limit = 10 * 1024 * 1024
    res = _parse_in_child(path, max_decompressed_bytes=limit)
    print(f"\nbomb {path.stat().st_size / 1e3:.0f} KB -> {size / 1e6:.0f} MB: status {res['status']} after "
          f"{res['bytes_read'] / 1e6:.1f} MB decoded, {res['seconds']:.2f}s, peak RSS {res['peak_kb'] / 1024:.0f} MB")
    assert res["status"] == "too_large" and "exceeds" in res["message"]
    assert res["bytes_read"] <= limit + 2 * (1 << 20)  # stopped right after the limit, not at the end
    assert res["peak_kb"] / 1024 < RSS_LIMIT_MB
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing unpacked to disk
    ratio = _parse_in_child(path, max_compression_ratio=100, ratio_check_min_bytes=5 * 1024 * 1024)
    assert ratio["status"] == "too_large" and "ratio" in ratio["message"]
    assert ratio["bytes_read"] < 8 * 1024 * 1024


def test_file_level_hostile_inputs_through_staging(tmp_path):
    """Bomb, truncated gzip, binary .txt, empty, separators only: a status and a reason, accounting intact."""
    bomb = tmp_path / "bomb.gz"
    _bomb(bomb, 20 * 1024 * 1024)
    blob = gzip.compress(b"".join(SEED_RECORDS) * 50)
    cases = {
        bomb: "too_large",
        _write(tmp_path / "cut.txt.gz", blob[: len(blob) * 2 // 3]): "unreadable",
        _write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(4000)): "not_text",
        _write(tmp_path / "empty.txt", b""): "empty",
        _write(tmp_path / "seps.txt", b"-\n-\r\n\n-\n  \n-"): "empty",
        _write(tmp_path / "gz_of_seps.gz", gzip.compress(b"-\n" * 1000)): "empty",
    }
    con = _con()
    try:
        for path, status in cases.items():
            res = ingest_dump(con, path, now=T1, limits=ParseLimits(max_decompressed_bytes=5 * 1024 * 1024))
            assert (res.status, bool(res.message)) == (status, True), (path.name, res)
            _accounting(res)
        row = con.execute("SELECT count(*) FROM ingest.dump_files").fetchone()
        assert row == (len(cases),)
        kept = con.execute("SELECT count(*) FROM ingest.documents").fetchone()[0]
        assert kept == 8  # only what the truncated gzip held before the cut (seed repeated: 8 distinct)
    finally:
        con.close()


# ------------------------------------------------------------------ landing folder

def test_symlinks_escaping_raw_are_not_followed(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    secret = _write(tmp_path / "secret.txt", SEED_BYTES)
    (tmp_path / "elsewhere").mkdir()
    _write(raw / "ok.txt", SEED_BYTES)
    (raw / "rel_escape.txt").symlink_to(Path("..") / "secret.txt")
    (raw / "abs_escape.txt").symlink_to(secret)
    (raw / "via_dir").symlink_to(tmp_path / "elsewhere")
    (raw / "chain.txt").symlink_to(raw / "abs_escape.txt")  # inside link to an outside link
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    (raw / "proc.txt").symlink_to("/proc/self/environ")
    assert [p.name for p in list_dump_files(raw)] == ["ok.txt"]


HOSTILE_NAMES = [
    "x'; drop table ingest.documents; --.txt",
    'say "hello" world.txt',
    "a b  c\t.txt",
    "semi;colon;.txt",
    "한국 무역 보도자료 ✓.txt",
    "Ω≈ç√ emoji 🚢.txt.gz",
    "new\nline.txt",
    "$(touch pwned).txt",
    "%s%s%n.txt",
    "back\\slash.txt",
]


def write_hostile_dumps(raw: Path) -> None:
    """One single-record dump under each of HOSTILE_NAMES (gzipped where the name says so)."""
    raw.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(HOSTILE_NAMES):
        rec = f"-\nRelease for {name!r}\nBody number {i}. date2024-03-0{i % 9 + 1}\n".encode()
        _write(raw / name, gzip.compress(rec) if name.endswith(".gz") else rec)


def test_hostile_file_names_from_the_landing_folder(tmp_path):
    raw = tmp_path / "raw"
    write_hostile_dumps(raw)
    con = _con()
    try:
        files = list_dump_files(raw)
        assert sorted(p.name for p in files) == sorted(HOSTILE_NAMES)
        for path in files:
            res = ingest_dump(con, path, now=T1)
            assert (res.file_name, res.status, res.documents_new) == (path.name, "loaded", 1)
            assert not needs_ingest(con, path)
        assert con.execute("SELECT count(*) FROM ingest.documents").fetchone()[0] == len(HOSTILE_NAMES)
        names = sorted(r[0] for r in con.execute("SELECT file_name FROM ingest.dump_files").fetchall())
        assert names == sorted(HOSTILE_NAMES)
        assert sorted(r[0] for r in con.execute("SELECT DISTINCT source_file FROM ingest.documents").fetchall()) == \
            sorted(HOSTILE_NAMES)
        assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()
    finally:
        con.close()


def test_dump_vanishing_before_ingest_is_unreadable(tmp_path):
    con = _con()
    try:
        path = _write(tmp_path / "gone.txt", SEED_BYTES)
        assert needs_ingest(con, path)
        path.unlink()
        res = ingest_dump(con, path, now=T1)
        assert res.status == "unreadable" and res.records_read == 0 and "cannot open" in res.message
        assert needs_ingest(con, path)  # retried once it is back
        _write(path, SEED_BYTES)
        assert ingest_dump(con, path, now=T2).documents_new == 8
    finally:
        con.close()


def test_dump_deleted_while_read_keeps_what_was_opened(tmp_path, monkeypatch):
    """POSIX: an unlinked file stays readable through the open descriptor; the read completes."""
    path = _write(tmp_path / "a.txt", SEED_BYTES)
    real_iter = staging.DumpReader.__iter__

    def deleting_iter(self):
        it = real_iter(self)
        first = next(it)
        self.path.unlink()
        yield first
        yield from it

    monkeypatch.setattr(staging.DumpReader, "__iter__", deleting_iter)
    con = _con()
    try:
        res = ingest_dump(con, path, now=T1)
        assert (res.status, res.documents_new) == ("loaded", 8)
        assert res.content_sha256 == hashlib.sha256(SEED_BYTES).hexdigest()
        assert needs_ingest(con, path)  # missing now: asked again, and then recorded unreadable
    finally:
        con.close()


@pytest.mark.parametrize("when", ["before_open", "while_reading"])
def test_dump_replaced_between_check_and_ingest(tmp_path, monkeypatch, when):
    """Contents replaced (atomic rename) after needs_ingest: what was read is recorded consistently and the
    new contents are read on the next pass -- never a mix of the recorded stat and other contents."""
    path = _write(tmp_path / "a.txt", b"".join(SEED_RECORDS[:4]))
    os.utime(path, ns=(1_700_000_000_000_000_000,) * 2)
    replacement = b"".join(SEED_RECORDS[4:]) + b"-\nA new release\nNew body. date2024-07-01\n"
    con = _con()
    try:
        assert needs_ingest(con, path)
        real_init = staging.DumpReader.__init__
        real_iter = staging.DumpReader.__iter__

        def replace() -> None:
            tmp = tmp_path / "a.txt.tmp"
            _write(tmp, replacement)
            os.replace(tmp, path)

        if when == "before_open":
            def init(self, p, limits=None):
                replace()
                real_init(self, p, limits)
            monkeypatch.setattr(staging.DumpReader, "__init__", init)
        else:
            def it(self):
                inner = real_iter(self)
                first = next(inner)
                replace()
                yield first
                yield from inner
            monkeypatch.setattr(staging.DumpReader, "__iter__", it)
        res = ingest_dump(con, path, now=T1)
        monkeypatch.undo()
        read_bytes = replacement if when == "before_open" else b"".join(SEED_RECORDS[:4])
        assert res.content_sha256 == hashlib.sha256(read_bytes).hexdigest()
        _accounting(res)
        size, sha = con.execute("SELECT size_bytes, content_sha256 FROM ingest.dump_files").fetchone()
        assert sha == res.content_sha256
        # the recorded stat describes the file before the swap, so the swapped file is never taken as done
        assert needs_ingest(con, path)
        again = ingest_dump(con, path, now=T2)
        assert again.content_sha256 == hashlib.sha256(replacement).hexdigest() and again.records_read == 5
        assert not needs_ingest(con, path)
        titles = {r[0] for r in con.execute("SELECT title FROM ingest.documents WHERE still_present").fetchall()}
        assert "A new release" in titles and len(titles) == 5
    finally:
        con.close()


def test_same_dump_under_two_names_then_one_shrinks(tmp_path):
    con = _con()
    try:
        a = _write(tmp_path / "a.txt", SEED_BYTES)
        b = _write(tmp_path / "copy of a.txt.gz", gzip.compress(SEED_BYTES))
        assert ingest_dump(con, a, now=T1).documents_new == 8
        second = ingest_dump(con, b, now=T1)
        assert (second.documents_new, second.duplicates) == (0, 8)
        _write(a, b"".join(SEED_RECORDS[:2]))
        _write(b, gzip.compress(b"".join(SEED_RECORDS[:3])))
        os.utime(a, ns=(1_800_000_000_000_000_000,) * 2)
        os.utime(b, ns=(1_800_000_000_000_000_000,) * 2)
        ingest_dump(con, a, now=T2)
        ingest_dump(con, b, now=T2)
        rows = con.execute("SELECT count(*), count(*) FILTER (WHERE still_present) FROM ingest.documents").fetchone()
        assert rows == (8, 3)  # nothing deleted; 5 no longer in any dump
        assert con.execute("SELECT count(*) FROM ingest.sightings").fetchone()[0] == 5
    finally:
        con.close()


# ---------------------------------------------------------------- order independence

def test_ingest_order_and_repetition_do_not_change_documents(tmp_path):
    """Every order of three overlapping dumps (and ingesting each twice) gives the same ingest.documents."""
    r = SEED_RECORDS
    dumps = {
        "a.txt": b"".join(r[0:4]) + b"-\nBad\nno date\n",
        "b.txt.gz": gzip.compress(b"".join(r[2:7])),
        "c.txt": b"".join(r[5:8]) + r[0] + "-\n미국\n한국 기사. date2024-05-01\n".encode("cp949"),
    }
    paths = {n: _write(tmp_path / n, d) for n, d in dumps.items()}
    results = set()
    counts = set()
    for order in itertools.permutations(paths):
        con = _con()
        try:
            for name in order:
                ingest_dump(con, paths[name], now=T1)
            for name in order:  # repeated, forced: no change
                ingest_dump(con, paths[name], now=T2, force=True)
            results.add(tuple(_docs(con)))
            counts.add(con.execute("SELECT count(*), count(*) FILTER (WHERE still_present) FROM ingest.documents"
                                   ).fetchone())
        finally:
            con.close()
    assert len(results) == 1 and counts == {(9, 9)}


def test_whitespace_variants_same_ids_in_any_order(tmp_path):
    """A whitespace/title-case variant of an article is the same document whichever dump is read first; the
    stored text is that of the first sighting (documented), so only its normalised form is order-free."""
    variant = SEED_RECORDS[1].replace(b". ", b".  ", 3).replace(b"\n", b"\r\n")
    title_end = variant.index(b"\r\n", 3)
    variant = variant[:3] + variant[3:title_end].upper() + variant[title_end:]
    paths = [_write(tmp_path / "a.txt", b"".join(SEED_RECORDS[:3])), _write(tmp_path / "b.txt", variant)]
    seen = []
    for order in (paths, paths[::-1]):
        con = _con()
        try:
            for path in order:
                _accounting(ingest_dump(con, path, now=T1))
            rows = con.execute("SELECT document_id, title, body FROM ingest.documents ORDER BY 1").fetchall()
        finally:
            con.close()
        seen.append(rows)
    ids = [[r[0] for r in rows] for rows in seen]
    assert ids[0] == ids[1] and len(ids[0]) == 3
    norm = [[(r[0], normalize_title(r[1]), normalize_body(r[2])) for r in rows] for rows in seen]
    assert norm[0] == norm[1]
    assert seen[0] != seen[1]  # raw text: first sighting wins (documented in staging.py)
