"""Streaming parser for raw press-release dumps.

Format: records separated by a line holding only ``-`` (the file starts with
one).  A record is a title line and a body line whose last token is ``date``
immediately followed by an ISO date (``... citizens. date2024-06-28``).

The parser never reads a whole file into memory: it reads lines in binary with
a size limit, so one record is held at most up to ``max_record_bytes``.  It
never raises for bad input: bad records become :class:`RejectedRecord`, and
whole-file problems end up in :attr:`DumpReader.report` (``status`` one of
``loaded | empty | unreadable | not_text | too_large``).

Byte offsets are 0-based positions of the record's first non-blank line in the
*decoded-from-gzip* byte stream (for plain files: in the file itself).

Usage::

    reader = parse_dump(path)
    for item in reader:           # ParsedRecord | RejectedRecord
        ...
    reader.report.status          # available once iteration has finished
"""
from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from orchestration.domain.ingest.ids import document_id, normalize_body, normalize_title
from orchestration.domain.ingest.records import (
    EXCERPT_CHARS,
    bytes_excerpt,
    count_date_tokens,
    date_at_end,
    decode_lines,
    excerpt,
    lines_head,
    strip_bounds,
)

__all__ = [
    "DumpReader",
    "DumpReport",
    "ParseLimits",
    "ParsedRecord",
    "RejectedRecord",
    "document_id",
    "normalize_body",
    "normalize_title",
    "count_reasons",
    "parse_dump",
    "REASON_EMPTY_BODY",
    "REASON_EMPTY_TITLE",
    "REASON_IMPOSSIBLE_DATE",
    "REASON_NO_DATE",
    "REASON_RUN_TOGETHER",
    "REASON_TOO_LARGE",
    "REASON_UNDECODABLE",
]

# Reject reasons (stable strings: they land in ingest.rejects.reason).
REASON_NO_DATE = "no date token"
REASON_IMPOSSIBLE_DATE = "impossible date"
REASON_EMPTY_TITLE = "empty title"
REASON_EMPTY_BODY = "empty body"
REASON_RUN_TOGETHER = "runs together with next record"
REASON_UNDECODABLE = "undecodable bytes"
REASON_TOO_LARGE = "record too large"

# File statuses.
STATUS_LOADED = "loaded"
STATUS_EMPTY = "empty"
STATUS_UNREADABLE = "unreadable"
STATUS_NOT_TEXT = "not_text"
STATUS_TOO_LARGE = "too_large"

_GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = codecs.BOM_UTF8
_SNIFF_BYTES = 8192
_DISCARD_CHUNK = 1 << 20
_MIN_LINE_LIMIT = 1024
# A line is read at most this much at a time: a longer one grows in one bytearray instead of being
# assembled by readline and then joined and stripped (three full copies of a 60 MB line).
_LINE_CHUNK = 1 << 20

_SENTENCE_END = tuple(".!?\"”’')]…。")


@dataclass(frozen=True)
class ParseLimits:
    """Size limits; defaults suit multi-GB dumps."""

    max_record_bytes: int = 64 * 1024 * 1024
    max_decompressed_bytes: int = 20 * 1024**3
    # gzip bomb: once more than `ratio_check_min_bytes` are decompressed, the
    # decompressed/compressed ratio must stay at or below `max_compression_ratio`.
    max_compression_ratio: float = 200.0
    ratio_check_min_bytes: int = 256 * 1024 * 1024


@dataclass(frozen=True)
class ParsedRecord:
    record_number: int  # 1-based, counting every record read (parsed or rejected)
    byte_offset: int
    title: str
    body: str
    published_date: date
    is_truncated: bool
    encoding: str = "utf-8"

    @property
    def document_id(self) -> str:
        return document_id(self.title, self.published_date, self.body)


@dataclass(frozen=True)
class RejectedRecord:
    record_number: int
    byte_offset: int
    reason: str
    excerpt: str


@dataclass
class DumpReport:
    status: str = STATUS_LOADED
    message: str | None = None
    records_read: int = 0
    records_parsed: int = 0
    records_rejected: int = 0
    is_gzip: bool = False
    bytes_read: int = 0  # decoded (decompressed) bytes consumed by the parser
    size_bytes: int | None = None  # on-disk size, None if the file could not be opened
    content_sha256: str | None = None  # sha256 of the on-disk bytes, None if unreadable
    encodings: dict[str, int] = field(default_factory=dict)  # records per detected encoding
    reject_reasons: dict[str, int] = field(default_factory=dict)


# ------------------------------------------------------------------- byte layers


class _LimitExceeded(Exception):
    pass


class _HashingRaw(io.RawIOBase):
    """Raw on-disk bytes; hashes and counts everything that passes through."""

    def __init__(self, f: BinaryIO) -> None:
        self._f = f
        self.sha = hashlib.sha256()
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        n = self._f.readinto(b)
        if n:
            self.sha.update(memoryview(b)[:n])
            self.count += n
        return n or 0

    def drain(self) -> None:
        buf = bytearray(1 << 20)
        while self.readinto(buf):
            pass


class _DecodedRaw(io.RawIOBase):
    """Decoded (possibly decompressed) byte stream with size / ratio limits."""

    def __init__(self, read: Callable[[int], bytes], compressed: _HashingRaw | None, limits: ParseLimits) -> None:
        self._read = read
        self._compressed = compressed
        self._limits = limits
        self._pending: BaseException | None = None
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        if self._pending is not None:
            exc, self._pending = self._pending, None
            raise exc
        view = memoryview(b)
        filled = 0
        while filled < len(view):
            try:
                data = self._read(len(view) - filled)
            except (OSError, EOFError, zlib.error) as exc:
                if not filled:
                    raise
                self._pending = exc  # hand out what was decoded before the failure first
                break
            if not data:
                break
            view[filled: filled + len(data)] = data
            filled += len(data)
        self.count += filled
        if self._compressed is not None:
            lim = self._limits
            if self.count > lim.max_decompressed_bytes:
                raise _LimitExceeded(f"decompressed size exceeds {lim.max_decompressed_bytes} bytes")
            if (
                self.count > lim.ratio_check_min_bytes
                and self.count > lim.max_compression_ratio * max(self._compressed.count, 1)
            ):
                raise _LimitExceeded(
                    f"compression ratio above {lim.max_compression_ratio:g} after {self.count} bytes (gzip bomb?)"
                )
        return filled


# ------------------------------------------------------------------ raw records


@dataclass
class _RawRecord:
    offset: int
    lines: list  # list[bytes] (binary mode) or list[str] (UTF-16/32 mode)
    oversize: bool
    head: bytes | str  # first bytes of the record, for excerpts


# ------------------------------------------------------------------------ reader


class DumpReader:
    """Iterate a dump once; then read :attr:`report`."""

    def __init__(self, path: str | Path, limits: ParseLimits | None = None) -> None:
        self.path = Path(path)
        self.limits = limits or ParseLimits()
        self.report = DumpReport()
        self._used = False

    # public -----------------------------------------------------------------
    def __iter__(self) -> Iterator[ParsedRecord | RejectedRecord]:
        if self._used:
            raise RuntimeError("DumpReader can be iterated only once")
        self._used = True
        return self._run()

    # internals --------------------------------------------------------------
    def _fail(self, status: str, message: str) -> None:
        self.report.status = status
        self.report.message = message

    def _run(self) -> Iterator[ParsedRecord | RejectedRecord]:
        rep = self.report
        try:
            f = open(self.path, "rb", buffering=0)  # noqa: SIM115 - closed in finally
        except OSError as exc:
            self._fail(STATUS_UNREADABLE, f"cannot open: {exc.__class__.__name__}: {exc.strerror or exc}")
            return
        hashing = _HashingRaw(f)
        decoded: _DecodedRaw | None = None
        ok_to_hash = True
        try:
            try:
                rep.size_bytes = self.path.stat().st_size
                disk = io.BufferedReader(hashing, buffer_size=1 << 16)
                rep.is_gzip = disk.peek(2)[:2] == _GZIP_MAGIC
                if rep.is_gzip:
                    gz = gzip.GzipFile(fileobj=disk, mode="rb")
                    decoded = _DecodedRaw(gz.read1, hashing, self.limits)
                else:
                    decoded = _DecodedRaw(disk.read, None, self.limits)
                stream = io.BufferedReader(decoded, buffer_size=1 << 20)
                yield from self._parse_stream(stream)
            except _LimitExceeded as exc:
                self._fail(STATUS_TOO_LARGE, str(exc))
            except (OSError, EOFError, zlib.error) as exc:
                self._fail(STATUS_UNREADABLE, f"read error after {rep.records_read} records: "
                                              f"{exc.__class__.__name__}: {exc}")
            if decoded is not None:
                rep.bytes_read = decoded.count
            try:
                hashing.drain()
            except OSError:
                ok_to_hash = False
        finally:
            f.close()
        rep.content_sha256 = hashing.sha.hexdigest() if ok_to_hash else None

    def _sniff(self, head: bytes) -> tuple[str | None, int]:
        """Return (text encoding for whole-stream decoding or None for per-record, BOM length)."""
        if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            return "utf-32", 4
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16", 2
        if head.startswith(_UTF8_BOM):
            return None, 3
        return None, 0

    def _parse_stream(self, stream: io.BufferedReader) -> Iterator[ParsedRecord | RejectedRecord]:
        rep = self.report
        head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
        if not head:
            self._fail(STATUS_EMPTY, "file is empty" + (" (after decompression)" if rep.is_gzip else ""))
            return
        text_encoding, bom = self._sniff(head)
        if text_encoding is None:
            if b"\x00" in head:
                self._fail(STATUS_NOT_TEXT, "binary content: NUL bytes in the first 8 KB "
                                            "(UTF-16/32 without a BOM is not supported)")
                return
            controls = sum(1 for b in head if (b < 0x20 and b not in b"\t\n\r\f\v") or b == 0x7F)
            if controls > 0.10 * len(head):
                self._fail(STATUS_NOT_TEXT, f"binary content: {controls} control bytes in the first {len(head)} bytes")
                return
            stream.read(bom)
            raw_records = self._raw_records(stream, bom, bytes_len=len, sep=b"-", nl=b"\n", char_bytes=1)
        else:
            text = io.TextIOWrapper(stream, encoding=text_encoding, errors="replace", newline="\n")
            le = "utf-16-le" if text_encoding == "utf-16" else "utf-32-le"
            width = 2 if text_encoding == "utf-16" else 4

            def blen(s: str) -> int:
                return len(s.encode(le, "surrogatepass"))

            raw_records = self._raw_records(text, bom, bytes_len=blen, sep="-", nl="\n", char_bytes=width)

        for raw in raw_records:
            rep.records_read += 1
            item = self._build(raw, rep.records_read, text_encoding)
            if isinstance(item, ParsedRecord):
                rep.records_parsed += 1
                rep.encodings[item.encoding] = rep.encodings.get(item.encoding, 0) + 1
            else:
                rep.records_rejected += 1
                rep.reject_reasons[item.reason] = rep.reject_reasons.get(item.reason, 0) + 1
            yield item
        if rep.records_read == 0 and rep.status == STATUS_LOADED:
            self._fail(STATUS_EMPTY, "no records (only separators or blank lines)")

    def _raw_records(self, reader, start: int, *, bytes_len, sep, nl, char_bytes: int) -> Iterator[_RawRecord]:
        """Group lines into records, tracking byte offsets; memory bounded by max_record_bytes."""
        max_rec = self.limits.max_record_bytes
        pos = start
        at_line_start = True
        rec: _RawRecord | None = None
        rec_size = 0
        parts: list = []
        empty = nl[:0]
        while True:
            if rec is not None and rec.oversize:
                limit = _DISCARD_CHUNK
            else:
                limit = min(_LINE_CHUNK, max(_MIN_LINE_LIMIT, (max_rec - rec_size) // char_bytes + 2))
            piece = reader.readline(limit)
            if not piece:
                break
            n = bytes_len(piece)
            complete = piece.endswith(nl)
            if at_line_start and piece.strip() == sep:
                if rec is not None:
                    if parts:
                        self._end_line(rec, parts, empty)
                    yield rec
                rec, rec_size, parts = None, 0, []
            elif rec is None:
                if piece.strip():
                    rec = _RawRecord(offset=pos, lines=[], oversize=False, head=piece[:EXCERPT_CHARS * 4])
                    rec_size = n
                    parts = [piece]
                    if rec_size > max_rec:
                        rec.oversize, parts = True, []
                    elif complete:
                        self._end_line(rec, parts, empty)
            else:
                rec_size += n
                if not rec.oversize:
                    if rec_size > max_rec:
                        rec.oversize, parts, rec.lines = True, [], []
                    else:
                        self._append(parts, piece)
                        if complete:
                            self._end_line(rec, parts, empty)
            pos += n
            at_line_start = complete
        if rec is not None:
            if parts:
                self._end_line(rec, parts, empty)
            yield rec

    @staticmethod
    def _append(parts: list, piece: bytes | str) -> None:
        """Add the next piece of a line; in binary mode a line of several pieces grows in one bytearray."""
        if not parts or not isinstance(piece, bytes):
            parts.append(piece)
            return
        if type(parts[0]) is bytes:
            parts[0] = bytearray(parts[0])
        parts[0] += piece

    @staticmethod
    def _end_line(rec: _RawRecord, parts: list, empty) -> None:
        line = empty.join(parts) if len(parts) > 1 else parts[0]
        parts.clear()
        if isinstance(line, bytearray):  # a long line: stripped in place, not copied
            end = len(line)
            while end and line[end - 1] in b"\r\n":
                end -= 1
            del line[end:]
        else:
            line = line.rstrip(b"\r\n" if isinstance(line, bytes) else "\r\n")
        if line and not line.isspace():  # same test as line.strip(), without its copy
            rec.lines.append(line)

    def _build(self, raw: _RawRecord, number: int, text_encoding: str | None) -> ParsedRecord | RejectedRecord:
        def reject(reason: str, excerpt: str) -> RejectedRecord:
            return RejectedRecord(number, raw.offset, reason, excerpt)

        if raw.oversize:
            return reject(REASON_TOO_LARGE, bytes_excerpt(raw.head))
        if text_encoding is None:
            decoded = decode_lines(raw.lines)
            if decoded is None:
                return reject(REASON_UNDECODABLE, bytes_excerpt(lines_head(raw.lines, b"\n")))
            lines, encoding = decoded
        else:
            lines, encoding = raw.lines, text_encoding
            if any("\ufffd" in line for line in lines):
                return reject(REASON_UNDECODABLE, excerpt(lines_head(lines, "\n")))
        raw.lines = []  # the record's bytes are not needed any more: free them before the body is cut out
        tokens = sum(count_date_tokens(line) for line in lines)
        if tokens > 1 or len(lines) > 2:
            return reject(REASON_RUN_TOGETHER, excerpt(lines_head(lines, "\n")))
        if len(lines) == 1:
            reason = REASON_EMPTY_TITLE if date_at_end(lines[0]) else REASON_EMPTY_BODY
            return reject(reason, excerpt(lines[0]))
        title, body_line = lines[0].strip(), lines[1]
        found = date_at_end(body_line)
        if found is None:
            return reject(REASON_NO_DATE, excerpt(lines_head(lines, "\n")))
        start, match = found
        try:
            published = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return reject(REASON_IMPOSSIBLE_DATE, excerpt(lines_head(lines, "\n")))
        begin, end = strip_bounds(body_line, start)
        body = body_line[begin:end]  # = body_line[:start].strip(), one copy
        if not body:
            return reject(REASON_EMPTY_BODY, excerpt(lines_head(lines, "\n")))
        if not title:  # pragma: no cover - non-empty lines guarantee a title
            return reject(REASON_EMPTY_TITLE, excerpt(lines_head(lines, "\n")))
        return ParsedRecord(
            record_number=number,
            byte_offset=raw.offset,
            title=title,
            body=body,
            published_date=published,
            is_truncated=not body.endswith(_SENTENCE_END),
            encoding=encoding,
        )


def parse_dump(path: str | Path, limits: ParseLimits | None = None) -> DumpReader:
    """Iterable of ParsedRecord | RejectedRecord; `.report` holds the DumpReport after iteration."""
    return DumpReader(path, limits)


def count_reasons(items: list[ParsedRecord | RejectedRecord]) -> Counter[str]:
    """Small helper for tests and reports: reject reasons in a list of parse results."""
    return Counter(i.reason for i in items if isinstance(i, RejectedRecord))
