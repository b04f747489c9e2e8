"""The shortcuts taken for extraction speed give exactly what the plain forms they replace give.

Each test compares a fast path with the straightforward code it stands for (kept here as the reference):
trie alternations, candidate-position scans, bisected span lookup, the short look-back window.
"""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from orchestration.domain.extract.mentions import dates, money, people
from orchestration.domain.extract.mentions.organizations import acronyms, reference
from orchestration.domain.extract.text import Token, is_capitalised, literal_alternation, tokenize

# small alphabets make literals that extend one another and texts full of near-matches; "ſ", "K" (Kelvin sign)
# and "ı" match ASCII letters case-insensitively
LETTERS = "abAB sS.-&ſKkıI"
literals = st.lists(st.text(LETTERS, min_size=1, max_size=5), min_size=1, max_size=12)
texts = st.text(LETTERS + "x1,", max_size=60)


def plain_alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@settings(max_examples=300, deadline=None)
@given(literals, texts, st.booleans())
def test_literal_alternation_matches_like_the_longest_first_alternation(words, text, ignorecase):
    flags = re.IGNORECASE if ignorecase else 0
    for template in (r"(?:{})", r"(?<![\w&])(?:{})(?![\w&])", r"(?:{})(?=-)"):
        plain = re.compile(template.format(plain_alternation(words)), flags)
        trie = re.compile(template.format(literal_alternation(words, ignorecase=ignorecase)), flags)
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_case_insensitive_siblings_fall_back_to_the_plain_alternation():
    # "s" and "ſ" match each other case-insensitively: the trie would try "s" before the longer "ſbb"
    words = ["saaa", "ſbb", "s"]
    plain = re.compile(f"(?:{plain_alternation(words)})", re.IGNORECASE)
    trie = re.compile(f"(?:{literal_alternation(words, ignorecase=True)})", re.IGNORECASE)
    assert trie.match("sbb").span() == plain.match("sbb").span() == (0, 3)


DATE_WORDS = ["June", "jun.", "Sept", "Monday", "xMonday,", "3", "27th", "2024", "-", "to", "from", "this", "last",
              "next", "year", "month", "mid-", "today", "may", "May", "be", "the", "same", "day", "of", ",", "%",
              "2024-06-03", "ſept", "market", "amid", "decision"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(DATE_WORDS), max_size=12), st.sampled_from(["", " ", "x"]))
def test_date_scan_gives_the_matches_of_the_pattern(words, sep):
    text = sep.join(words)
    assert [m.span() for m in dates._scan.__wrapped__(text)] == [m.span() for m in dates._PATTERN.finditer(text)]


MONEY_WORDS = ["$", "US$", "U.S.$", "USD", "KRW", "₩", "won", "yen", "dollars", "billion", "bn", "k", "(", ")",
               "approximately", "1,000", "2.5", "300", "2014", " ", ".", ",", "x", "¥", "A$", "in"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MONEY_WORDS), max_size=14), st.sampled_from(["", " "]))
def test_money_scan_gives_the_matches_of_the_pattern(words, sep):
    text = sep.join(words)
    g = money._grammar()
    assert [m.span() for m in money._matches(g, text)] == [m.span() for m in g.pattern.finditer(text)]


def naive_span_index(spans, toks):
    out = {}
    for i, t in enumerate(toks):
        for s, e, key in spans:
            if s <= t.start and t.end <= e:
                out[i] = (s, e, key)
                break
    return out


@settings(max_examples=300, deadline=None)
@given(st.text("Ab .'s-", max_size=40), st.lists(st.tuples(st.integers(-2, 42), st.integers(-2, 42)), max_size=6))
def test_span_index_finds_the_first_containing_span(text, bounds):
    toks = tokenize(text)
    spans = [(s, e, f"k{i}") for i, (s, e) in enumerate(bounds)]
    assert people._span_index(spans, toks) == naive_span_index(spans, toks)


RUN_WORDS = ["Korea", "Institute", "for", "of", "and", "the", "Trade", "U.S.", "Inc.", "Energy's", "in", "K.", "R&D",
             ",", "  ", "x", "Lee-J.H.", "O’Neil's", "Advancement", "Technology", "Dr."]


def long_window_run(text: str, end: int) -> list[Token]:
    """The run as acronym_long_form read it: always from the 160 characters before `end`."""
    before = text[max(0, end - 160):end]
    run: list[Token] = []
    for t in reversed(tokenize(before)):
        gap = before[t.end:run[0].start if run else len(before)]
        if gap.strip(" ,") or "  " in gap:
            break
        if not (is_capitalised(t.text) or t.text in acronyms._LONG_FORM_CONNECTORS):
            break
        run.insert(0, t)
    return [Token(t.start + end - len(before), t.end + end - len(before), t.text) for t in run]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(RUN_WORDS), max_size=40), st.integers(0, 20))
def test_short_window_reads_the_same_run(words, cut):
    text = " ".join(words)[cut:] + " (KIAT)"
    end = len(text) - len(" (KIAT)") + 1
    run, offset = acronyms._run_before(text, end)
    assert [Token(t.start + offset, t.end + offset, t.text) for t in run] == long_window_run(text, end)


def plain_reference_spans(text: str):
    out = []
    for pattern, table, key in ((reference._reference_pattern(), reference._reference_surfaces(), str),
                                (reference._reference_pattern_ci(), reference._reference_lower(), str.lower)):
        for m in pattern.finditer(text):
            if not reference._inside_event_name(text, m.start(), m.end()):
                out.append((m.start(), m.end(), table[key(m.group(0))]))
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted(reference._reference_lower())), min_size=1, max_size=3),
       st.sampled_from(["", " ", "x", "-", " Forum "]), st.sampled_from([str.upper, str.title, str.lower, str]))
def test_reference_names_are_found_alike_in_lowered_ascii_text(names, sep, case):
    text = sep.join(case(n) for n in names)
    assert reference.reference_spans(text) == plain_reference_spans(text)
