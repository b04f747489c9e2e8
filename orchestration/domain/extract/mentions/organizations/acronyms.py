"""Acronyms defined in a text ("Korea Trade-Investment Promotion Agency (KOTRA)"): long forms, initials,
and the organization type a definition implies."""
from __future__ import annotations

import re

from orchestration.domain.extract.mentions.countries import country_code
from orchestration.domain.extract.mentions.organizations.cues import (
    CONNECTORS,
    _non_org_heads,
    head_type,
    splitting_titles,
)
from orchestration.domain.extract.text import Token, is_capitalised, token_tuple, tokenize

# ---------------------------------------------------------------- acronyms


_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&.\-]{1,11})\s*\)")


def is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 2 and word[0].isupper()


def _initials(tokens: list[str]) -> list[list[str]]:
    out = []
    for t in tokens:
        parts = [p for p in re.split(r"[-–/]", t) if p]
        letters = []
        for p in parts:
            if p.replace(".", "").isupper() and len(p) > 1:
                letters.extend(c.lower() for c in p if c.isalpha())
            elif p[0].isalpha():
                letters.append(p[0].lower())
        out.append(letters)
    return out


def initials_match(acronym: str, words: list[str]) -> bool:
    """Do the words spell the acronym (letters in order, first letter from the first word)?"""
    letters = [c.lower() for c in acronym if c.isalpha()]
    if not letters or not words:
        return False
    inits = _initials(words)
    if not inits[0] or inits[0][0] != letters[0]:
        return False
    flat = [c for group in inits for c in group]
    i = 0
    for c in flat:
        if i < len(letters) and c == letters[i]:
            i += 1
    significant = [w for w in words if w.lower() not in CONNECTORS]
    return i == len(letters) and len(significant) <= len(letters) + 2


_LONG_FORM_CONNECTORS = CONNECTORS | {"in"}  # "British Chamber of Commerce in Korea (BCCK)"
_LONG_FORM_WINDOW = 160
_SHORT_WINDOW = 64


def _run_before(text: str, end: int) -> tuple[list[Token], int]:
    """The capitalised run (with connectors and list commas) that ends right at `end`, read within the
    160 characters before it, with the offset its tokens are relative to.

    A 64-character window is read first: its tokens after the first are those of the long window (only
    a word cut by the window's start can differ), so a run that stops at one of them is the same run;
    the long window is read only when the run reaches back to the short window's first token."""
    long_start = max(0, end - _LONG_FORM_WINDOW)
    for start in (max(long_start, end - _SHORT_WINDOW), long_start):
        before = text[start:end]
        toks = token_tuple(before)
        run: list[Token] = []
        stop = -1  # index of the token that ends the run
        for i in range(len(toks) - 1, -1, -1):
            t = toks[i]
            gap = before[t.end:run[0].start if run else len(before)]
            if gap.strip(" ,") or "  " in gap or not (is_capitalised(t.text) or t.text in _LONG_FORM_CONNECTORS):
                stop = i
                break
            run.insert(0, t)
        if stop >= 1 or start == long_start:
            return run, start
    raise AssertionError("unreachable: the long window always returns")


def acronym_long_form(text: str, paren_start: int) -> tuple[int, int] | None:
    """The capitalised span right before "(" that spells the acronym inside the parentheses."""
    m = _ACRONYM.match(text, paren_start)
    if not m:
        return None
    acronym = m.group(1)
    run, offset = _run_before(text, paren_start)
    connectors = _LONG_FORM_CONNECTORS
    while run and run[0].text in connectors:
        run.pop(0)
    for k in range(1, len(run) + 1):
        suffix = run[len(run) - k:]
        if suffix[0].text in connectors:
            continue
        if initials_match(acronym, [t.text for t in suffix]):
            return offset + suffix[0].start, offset + suffix[-1].end
    return None


def acronym_definitions(text: str) -> list[tuple[int, int, int, int, str]]:
    """(long_start, long_end, acr_start, acr_end, acronym) for "Long Name (ACR)" and "ACR (Long Name)"."""
    out = []
    for m in _ACRONYM.finditer(text):
        if not is_acronym(m.group(1)):
            continue
        lf = acronym_long_form(text, m.start())
        if lf:
            out.append((lf[0], lf[1], m.start(1), m.end(1), m.group(1)))
    for m in re.finditer(r"(?<![\w&])([A-Z][A-Za-z&\-]*[A-Z][A-Za-z]*)\s+\(([A-Z][^()]{3,100})\)", text):
        acr, long_form = m.group(1), m.group(2)
        words = [t.text for t in tokenize(long_form)]
        if is_acronym(acr) and all(is_capitalised(w) or w in CONNECTORS for w in words) \
                and initials_match(acr, words):
            out.append((m.start(2), m.end(2), m.start(1), m.end(1), acr))
    return out


def defined_name_type(acronym: str, words: list[str]) -> str | None:
    """Type of a name its text defines with an acronym although the head-word grammar alone would not
    take it: one initial per word, and either the last word is an organization head ("Public Investment
    Fund (PIF)") or a head is followed by a country ("Hyundai Motor Manufacturing Indonesia (HMMI)")."""
    significant = [w for w in words if w not in CONNECTORS]
    letters = [c for c in acronym if c.isalpha()]
    if len(significant) < 2 or len(significant) != len(letters) or not initials_match(acronym, words):
        return None
    # "Defense Acquisition Program Administration (DAPA)": a programme word inside the name is fine when an
    # organization head ends it; "Knowledge Sharing Program (KSP)" is a programme
    if words[-1] in _non_org_heads() or (not head_type(words[-1]) and any(w in _non_org_heads() for w in words)) \
            or words[0] in splitting_titles():
        return None
    if head_type(words[-1]):
        return head_type(words[-1])
    if country_code(words[-1]) and any(head_type(w) for w in words[:-1]):
        return next(head_type(w) for w in reversed(words[:-1]) if head_type(w))
    return None


