"""The text layer: sentences and tokens, shared by every extractor.

- `split_sentences` / `document_sentences`: sentence splitting that survives the abbreviations of press
  releases (U.S., D.C., app., Inc.).
- Tokens, in two variants of one tokenizer (they differ on purpose, and each extractor's rules are written
  against its variant):
  * `tokenize` -> `Token` (start, end, text): WORDS only, for names (organizations, people). "U.S." and
    "Inc." keep their final period, a possessive "'s" is its own token, punctuation is dropped.
  * `phrase_tokens` -> `PhraseToken`: every token of a sentence, punctuation included, and a
    parenthesised acronym "(SCCD)" as one token, for the noun phrases of events, whose growth stops at a
    comma or a parenthesis. A trailing period, apostrophe or dash is cut off unless the word is an
    abbreviation ("U.S.") or a plural possessive ("ministers'").
  * `NAME_SPLIT`: the separators of the words of a name ("Korea-U.S.-Japan Summit").
- `find_literals` / `literal_alternation`: fast matching of long literal lists.

The abbreviations are words of `knowledge/text.yaml`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple

from orchestration.domain.extract.knowledge import word_set
from orchestration.domain.extract.models import Document, Sentence


@cache
def _abbreviations() -> frozenset[str]:
    """Words that end in a period without ending a sentence."""
    return word_set("text.yaml", "sentence_abbreviations")

_BOUNDARY = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z](?:[A-Za-z.]*[A-Za-z])?)\.?$")


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    match = _WORD_BEFORE.search(text[max(0, dot - 12): dot])
    if not match:
        return False
    word = match.group(1).lower()
    return word in _abbreviations() or (len(word) == 1 and word.isalpha())


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


# ---------------------------------------------------------------- word tokens (names)

_TOKEN = re.compile(r"[^\W_](?:[\w&.'’\-–]*[^\W_])?|&")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
DASH_SPLIT = re.compile(r"[-–]")


class Token(NamedTuple):
    """A word with its offsets (a named tuple: documents create hundreds, a dataclass is slower to build)."""

    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Words with offsets; "U.S.", "Inc." keep their final period, possessive "'s" is split off."""
    return list(token_tuple(text))


def _ends_in_initials(word: str) -> bool:
    """ "U.S", "Lee-J.H" (their final period is not read yet): the last dash-separated part is initials."""
    last_part = DASH_SPLIT.split(word)[-1]
    return "." in last_part and bool(_INITIALS.fullmatch(last_part))


@lru_cache(maxsize=256)
def token_tuple(text: str) -> tuple[Token, ...]:
    """`tokenize` as a cached tuple (for callers that only read it)."""
    # one document's texts are tokenized several times (chunks, people, back-references)
    abbrev = word_set("text.yaml", "token_abbreviations")
    out: list[Token] = []
    n = len(text)
    new = tuple.__new__  # Token(s, e, w) without the named tuple's Python-level __new__
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        word = m.group()
        if len(word) > 2 and word[-1] == "s" and word[-2] in "'’":
            out.append(new(Token, (s, e - 2, word[:-2])))
            out.append(new(Token, (e - 2, e, word[-2:])))
            continue
        # a following period belongs to abbreviations and initials (tested only when there is one)
        if e < n and text[e] == "." and (word in abbrev or (len(word) == 1 and word.isupper())
                                         or _ends_in_initials(word)):
            e += 1
            word += "."
        out.append(new(Token, (s, e, word)))
    return tuple(out)


def is_capitalised(word: str) -> bool:
    return bool(word) and (word[0].isupper() or (word[0].isdigit() and any(c.isalpha() for c in word)))


# ---------------------------------------------------------------- phrase tokens (events)

NAME_SPLIT = re.compile(r"[\s\-–—/,()]+")
_PHRASE_TOKEN = re.compile(r"\([A-Z][A-Za-z&]{0,11}\)|[A-Za-z0-9][\w&.'’\-–]*|\S")


class PhraseToken:
    """A token of a sentence; `low`, read many times per token (heads, stops, connectors), is kept."""

    __slots__ = ("text", "start", "end", "low")

    def __init__(self, text: str, start: int, end: int):
        self.text = text
        self.start = start  # offset in the sentence
        self.end = end
        self.low = text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.is_acronym or self.text == "&"

    @property
    def is_acronym(self) -> bool:
        return self.text.startswith("(") and self.text.endswith(")") and len(self.text) > 2

    @property
    def is_cap(self) -> bool:
        return self.is_acronym or self.text[0].isupper() or self.text[0].isdigit()


_FOOTNOTE = re.compile(r"[A-Za-z]?[a-z]{3,}\d")


def phrase_tokens(text: str) -> list[PhraseToken]:
    out = []
    for m in _PHRASE_TOKEN.finditer(text):
        t, s, e = m.group(0), m.start(), m.end()
        # a trailing period ends the sentence unless the token is an abbreviation such as "U.S." or "D.C."
        while len(t) > 1 and t[-1] in ".'’-–" and not (t[-1] == "." and "." in t[:-1]) and \
                not (t[-1] in "'’" and t[-2] == "s"):
            t, e = t[:-1], e - 1
        if _FOOTNOTE.fullmatch(t):
            t, e = t[:-1], e - 1  # "Conference2": a footnote marker glued to a word
        out.append(PhraseToken(t, s, e))
    return out
