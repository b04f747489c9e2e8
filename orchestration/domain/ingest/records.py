"""What one record's lines say: their encoding, the date token ending the body, where the body's
whitespace ends, the excerpt a reject keeps.

Why a module of its own: these read a record that may be 16-64 MB, so each works on the line in place
(bounds instead of stripped copies, a head instead of a joined record) and never multiplies it.
"""
from __future__ import annotations

import re

__all__ = ["EXCERPT_CHARS", "bytes_excerpt", "count_date_tokens", "date_at_end", "decode_lines", "excerpt",
           "lines_head", "strip_bounds"]

EXCERPT_CHARS = 200
_LEADING_SPACE = re.compile(r"\s*")  # \s is str.isspace()'s set, as str.strip() uses
_DATE_VALUE = re.compile(r"date(\d{4})-(\d{2})-(\d{2})")
_DATE_TOKEN = re.compile(r"date\d{4}-\d{2}-\d{2}")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
# Non-ASCII characters that plausibly occur in Latin-1/cp1252 English/European text.
_LATIN_PUNCT = set("\u00a0¡¢£¤¥§©«®°±²³´µ¶·¹º»¼½¾¿×÷–—‘’‚“”„†‡•…‰‹›€™")


def excerpt(text: str) -> str:
    text = " ".join(text[: EXCERPT_CHARS * 4].split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def bytes_excerpt(data: bytes | bytearray | str) -> str:
    if isinstance(data, str):
        return excerpt(data)
    # The excerpt reads the first EXCERPT_CHARS * 4 characters: at most 4 bytes each (a character cut at
    # the end of this prefix lies past them), so a huge record is never decoded whole for its excerpt.
    data = data[: EXCERPT_CHARS * 16]
    try:
        return excerpt(data.decode("utf-8"))
    except UnicodeDecodeError:
        return excerpt(data.decode("utf-8", "backslashreplace"))


def lines_head(lines: list, sep: bytes | str) -> bytes | str:
    """The start of ``sep.join(lines)``, as much as an excerpt can read (not a copy of a huge record)."""
    limit = EXCERPT_CHARS * 16
    head, total = [], 0
    for line in lines:
        head.append(line[: limit - total])
        total += len(head[-1]) + len(sep)
        if total >= limit:
            break
    return sep.join(head)


def strip_bounds(line: str, end: int) -> tuple[int, int]:
    """(begin, end) such that ``line[begin:end] == line[:end].strip()``, without copying the line."""
    begin = _LEADING_SPACE.match(line, 0, end).end()  # type: ignore[union-attr] - \s* always matches
    if begin == end:
        return end, end
    tail = line[max(begin, end - 4096): end]
    kept = len(tail.rstrip())
    if kept:
        return begin, end - (len(tail) - kept)
    return begin, begin + len(line[begin:end].rstrip())  # > 4 KB of trailing whitespace: rare, copies once


def count_date_tokens(line: str) -> int:
    """`dateYYYY-MM-DD` tokens starting a whitespace-separated word (may be followed by more text)."""
    if line.count("date") == 0:
        return 0
    return sum(1 for m in _DATE_TOKEN.finditer(line) if m.start() == 0 or line[m.start() - 1].isspace())


def date_at_end(line: str) -> tuple[int, re.Match[str]] | None:
    """(start index, match) of the `dateYYYY-MM-DD` token ending the line, if any."""
    end = strip_bounds(line, len(line))[1]  # len(line.rstrip()) but for leading space, without a copy
    start = line.rfind("date", 0, end)
    if start < 0 or (start > 0 and not line[start - 1].isspace()):
        return None
    match = _DATE_VALUE.fullmatch(line, start, end)
    return (start, match) if match else None


def _plausible_latin(text: str) -> bool:
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return True
    letters = sum(1 for c in text if c.isalpha())
    if any(not (c.isalpha() or c in _LATIN_PUNCT) for c in non_ascii):
        return False
    # Western text is mostly ASCII letters; lots of accented letters smells of another encoding.
    return len(non_ascii) <= max(3, 0.15 * letters)


def decode_lines(lines: list[bytes]) -> tuple[list[str], str] | None:
    """Decode one record's lines: UTF-8, else cp949 with Hangul, else Latin-1/cp1252 if plausible."""
    try:
        return [line.decode("utf-8") for line in lines], "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        decoded = [line.decode("cp949") for line in lines]
        joined = "".join(decoded)
        non_ascii = sum(1 for c in joined if ord(c) > 127)
        if non_ascii and len(_HANGUL.findall(joined)) >= 0.5 * non_ascii:
            return decoded, "cp949"
    except UnicodeDecodeError:
        pass
    for enc in ("cp1252", "latin-1"):
        try:
            decoded = [line.decode(enc) for line in lines]
        except UnicodeDecodeError:
            continue
        if not any("\x80" <= c <= "\x9f" for line in decoded for c in line) and _plausible_latin("".join(decoded)):
            return decoded, enc
    return None
