"""Sentence splitting that survives the abbreviations of press releases (U.S., D.C., app., Inc.)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from orchestration.domain.extract.models import Document, Sentence

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
    return list(_document_sentences(doc.title, doc.body))


@lru_cache(maxsize=16)
def _document_sentences(title: str, body: str) -> tuple[Sentence, ...]:
    # entity extraction and fact extraction both split each document
    head = [Sentence("title", 0, len(title), title)] if title else []
    return tuple(head + split_sentences(body, "body"))


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


def literal_alternation(literals: Iterable[str], ignorecase: bool = False) -> str:
    """Regex body matching exactly like ``"|".join(re.escape(x) for x in literals, longest first)``,
    written as a trie.

    `re` tries the branches of an alternation one by one at every position of the text; with hundreds
    of names that is most of the time spent in the big reference patterns. The trie tries one branch per
    possible next character instead. Where one literal extends another, the longer is tried first (children
    before the end of a node), as in the longest-first alternation; literals that are not prefixes of one
    another cannot both match at one position. Under `ignorecase`, two siblings that match each other's
    character would break that, so the plain alternation is returned then.
    """
    words = sorted(set(literals), key=len, reverse=True)
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def clash(node: dict) -> bool:
        kids = [c for c in node if c]
        return any(a != b and re.fullmatch(re.escape(a), b, re.IGNORECASE) for a in kids for b in kids) \
            or any(clash(sub) for sub in node.values())

    if ignorecase and clash(trie):
        return "|".join(re.escape(w) for w in words)

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in node.items() if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")

    return emit(trie)
