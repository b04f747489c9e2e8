"""Sentence splitting that survives the abbreviations of press releases (U.S., D.C., app., Inc.)."""
from __future__ import annotations

import re

from .models import Document, Sentence

# Words that end in a period without ending a sentence.
_ABBREVIATIONS = {
    "u.s", "u.k", "d.c", "u.n", "e.u", "r.o.k", "p.r.c", "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr",
    "inc", "corp", "co", "ltd", "no", "nos", "vs", "etc", "e.g", "i.e", "app", "approx", "est", "gov",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "dept", "gen",
    "rep", "sen", "amb", "min", "sec", "vol", "fig", "a.m", "p.m", "u.s.a", "s",
}
_BOUNDARY = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z](?:[A-Za-z.]*[A-Za-z])?)\.?$")


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    match = _WORD_BEFORE.search(text[max(0, dot - 12): dot])
    if not match:
        return False
    word = match.group(1).lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str, field: str = "body") -> list[Sentence]:
    """Sentences with their offsets; whitespace between sentences belongs to none."""
    sentences: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if _is_abbreviation(text, m.start()):
            continue
        end = m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            sentences.append(Sentence(field, start, end, text[start:end]))
        start = m.end()
    end = len(text)
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(field, start, end, text[start:end]))
    return sentences


def document_sentences(doc: Document) -> list[Sentence]:
    """The title (one sentence) followed by the body's sentences."""
    title = [Sentence("title", 0, len(doc.title), doc.title)] if doc.title else []
    return title + split_sentences(doc.body, "body")


def sentence_at(sentences: list[Sentence], field: str, offset: int) -> Sentence | None:
    for s in sentences:
        if s.field == field and s.start <= offset < s.end:
            return s
    return None


def _word_char(c: str, extra: str) -> bool:
    return c.isalnum() or c == "_" or c in extra


def find_literals(text: str, literals, extra: str = "") -> list[tuple[int, int]]:
    """Spans of `literals` in `text` not inside a word: the matches of the regex
    ``(?<![\\w<extra>])(?:<literals, longest first>)(?![\\w<extra>])`` found by ``finditer``
    (leftmost, longest at a position, non-overlapping), without compiling a pattern per document."""
    best: dict[int, int] = {}  # start -> longest literal length that fits there
    n = len(text)
    for lit in literals:
        k = len(lit)
        if not k:
            continue
        i = text.find(lit)
        while i >= 0:
            if (i == 0 or not _word_char(text[i - 1], extra)) and (
                    i + k == n or not _word_char(text[i + k], extra)) and k > best.get(i, 0):
                best[i] = k
            i = text.find(lit, i + 1)
    out: list[tuple[int, int]] = []
    end = 0
    for i in sorted(best):
        if i >= end:
            end = i + best[i]
            out.append((i, end))
    return out
