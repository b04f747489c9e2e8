"""Normalised text and the hashes that identify a record: ``document_id`` and ``content_hash``.

Why a module of its own: a body may be 64 MB, so everything here works on pieces of about 1 MB
(NFC-normalised, whitespace-collapsed and hashed piece by piece) and never builds a second full copy
of the text. The results are exactly those of the plain definitions in the docstrings.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from datetime import date

__all__ = ["content_hash", "document_id", "normalize_body", "normalize_title"]

_NORMALIZE_CHUNK = 1 << 20
# Where a piece may end: before an ASCII whitespace character (those str.isspace() counts). Such a
# character has canonical combining class 0 and composes with nothing, so NFC never looks across it:
# NFC(a + b) == NFC(a) + NFC(b) when b starts with one. Words are not cut either.
_ASCII_SPACE = re.compile(r"[ \t\n\r\x0b\x0c\x1c-\x1f]")


def _collapsed_pieces(text: str, chunk: int = _NORMALIZE_CHUNK) -> Iterator[str]:
    """Pieces whose concatenation is ``" ".join(unicodedata.normalize("NFC", text).split())``.

    About `chunk` characters at a time: normalising a 50 MB body at once builds a full copy (four bytes
    a character inside ``unicodedata`` for non-ASCII text) and ``split()`` ~10 million word objects.
    A stretch without ASCII whitespace is taken whole.
    """
    n, i, first = len(text), 0, True
    while i < n:
        j = min(n, i + chunk)
        if j < n:
            m = _ASCII_SPACE.search(text, j)
            j = m.start() if m else n
        piece = " ".join(unicodedata.normalize("NFC", text[i:j]).split())
        if piece:
            if not first:
                yield " "
            yield piece
            first = False
        i = j


def normalize_title(title: str) -> str:
    """NFC, whitespace runs collapsed to one space, stripped, casefolded."""
    return "".join(_collapsed_pieces(title)).casefold()


def normalize_body(body: str) -> str:
    """NFC, whitespace runs collapsed to one space, stripped."""
    return "".join(_collapsed_pieces(body))


def document_id(title: str, published_date: date, body: str) -> str:
    """Stable id: same article (modulo whitespace / title case) in two dumps -> same id.

    Equals sha256(f"{normalize_title(title)}\\n{date}\\n{sha256(normalize_body(body))}")[:32], computed
    piece by piece so that a huge record does not multiply its size in memory.
    """
    body_sha = hashlib.sha256()
    for piece in _collapsed_pieces(body):
        body_sha.update(piece.encode("utf-8"))
    key = hashlib.sha256()
    for piece in _collapsed_pieces(title):
        key.update(piece.casefold().encode("utf-8"))
    key.update(f"\n{published_date.isoformat()}\n{body_sha.hexdigest()}".encode())
    return key.hexdigest()[:32]


def content_hash(title: str, body: str, chunk: int = _NORMALIZE_CHUNK) -> str:
    """sha256 of ``title + "\\n" + body`` (UTF-8), without building that string (bodies can be 64 MB)."""
    sha = hashlib.sha256(title.encode("utf-8"))
    sha.update(b"\n")
    for i in range(0, len(body), chunk):
        sha.update(body[i: i + chunk].encode("utf-8"))
    return sha.hexdigest()
