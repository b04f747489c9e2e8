"""Organization names by the phrases around them: "companies such as A, B and C", "X, an affiliate of",
"the Korea-based X", "formerly known as X", lists of names."""
from __future__ import annotations

import re
from functools import cache

from orchestration.domain.extract.knowledge import alternation, word_map
from orchestration.domain.extract.mentions.countries import country_code
from orchestration.domain.extract.mentions.organizations.cues import (
    _head_types,
    _non_org_heads,
    _not_name_words,
    company_nouns,
    head_type,
    splitting_titles,
)
from orchestration.domain.extract.mentions.organizations.grammar import (
    Candidate,
    _is_distinctive,
    capitalised_chunks,
    chunk_ending_at,
    chunk_starting_at,
)
from orchestration.domain.extract.text import literal_alternation, tokenize

# ---------------------------------------------------------------- patterns around names

_PLURAL_TYPES = word_map("org_cues.yaml", "plural_list_types")


@cache
def _noun_alt() -> str:
    return literal_alternation(company_nouns())  # longest first


@cache
def _noun_patterns() -> tuple[re.Pattern[str], ...]:
    nouns = _noun_alt()
    return (re.compile(rf"\b(?:{nouns})\s+(?=[A-Z0-9])"),
            re.compile(rf"\b[\w.]+-based\s+(?:(?:{nouns})\s+)?(?=[A-Z0-9])"),
            re.compile(rf"\b(?:{nouns})\s*(?:\((?=[A-Z])|,?\s+(?:such as|including|like|namely)\s+(?=[A-Z]))"),
            re.compile(rf"\s*(?:,|--|—|–)\s+(?:a|an|the|its|their)\s+(?:[\w&'’-]+\s+){{0,6}}?"
                       rf"(?:{nouns}|affiliate|subsidiary|unit|arm|joint venture)\b"),
            re.compile(rf"\s+(?:is|was|has been|remains)\s+(?:a|an|one of the)\s+(?:[\w&-]+\s+){{0,6}}?"
                       rf"(?:{nouns})\b"))


_POSSESSIVE = re.compile(r"([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)['’]s\s+(?=[A-Z0-9])")


def skip_country_possessive(text: str, pos: int) -> int:
    """Position after a leading "Canada's " (the country of the name that follows), else pos."""
    m = _POSSESSIVE.match(text, pos)
    return m.end() if m and country_code(m.group(1)) else pos


def valid_pattern_name(text: str, span: tuple[int, int] | None) -> Candidate | None:
    if not span:
        return None
    s, e = span
    toks = tokenize(text[s:e])
    while toks and (toks[0].text in ("The", "the") or toks[0].text in _not_name_words()
                    and toks[0].text not in _head_types()):
        toks = toks[1:]
    if not toks:
        return None
    words = [t.text for t in toks]
    if words[0] in splitting_titles() or any(w in _non_org_heads() for w in words):
        return None
    if not any(_is_distinctive(w) or w.isupper() for w in words):
        return None
    if len(words) == 1 and (country_code(words[0]) or re.fullmatch(r"[A-Z]+[A-Z]s", words[0])):
        return None  # a country; a plural acronym names a class ("EDOs", "SMEs")
    name = text[s + toks[0].start:s + toks[-1].end]
    typ = next((head_type(w) for w in reversed(words) if head_type(w)), None) or "company"
    return Candidate(s + toks[0].start, s + toks[-1].end, name, typ)


def _list_items(text: str, pos: int, closing: str | None) -> list[tuple[int, int]]:
    """Items of "A, B, and C" starting at pos, up to `closing` or the end of the sentence."""
    end = text.find(closing, pos) if closing else -1
    if end < 0:
        m = re.search(r"[.;:](?:\s|$)|\)", text[pos:])
        end = pos + (m.start() if m else min(len(text) - pos, 300))
    segment = text[pos:end]
    items = []
    for m in re.finditer(r"[^,]+", segment):
        piece = m.group(0)
        for part in re.split(r"\s+and\s+|^\s*and\s+", piece):
            if not part.strip():
                continue
            off = pos + m.start() + piece.find(part)
            lead = len(part) - len(part.lstrip())
            items.append((off + lead, off + len(part.rstrip())))
    return items


# Case-sensitive cues of pattern_candidates; each regex is run only when the text holds one of its words.
_ESTABLISHED_WORDS = ("established", "founded", "set up", "incorporated")
_ESTABLISHED = re.compile(r"\b(?:established|founded|set up|incorporated)\s+(?:the\s+|its\s+|a\s+)?(?=[A-Z])")
_FORMERLY = re.compile(r"\b[Ff]ormerly (?:known as |called |named )?(?:the )?")
_RENAMED = re.compile(r"\b(?:was|has been|had been|is being)\s+renamed\s+(?:as\s+|to\s+)?")


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def pattern_candidates(text: str) -> tuple[list[Candidate], list[tuple[tuple[int, int], tuple[int, int]]]]:
    """Organizations named by the words around them, and (alias span, name span) pairs."""
    noun_then_name, based, noun_list, appositive_noun, is_a_noun = _noun_patterns()
    out: list[Candidate] = []
    aliases: list[tuple[tuple[int, int], tuple[int, int]]] = []

    def add(span, typ=None):
        c = valid_pattern_name(text, span)
        if c:
            if typ and c.organization_type == "company" and not head_type(c.text.split()[-1]):
                c.organization_type = typ
            out.append(c)
        return c

    # "materials company Syensqo", "chipmaker Micron"
    for m in noun_then_name.finditer(text):
        span = chunk_starting_at(text, m.end(), 5)
        if span and span[1] - span[0] == len(text[span[0]:span[1]]) and not text[span[1]:span[1] + 2].startswith(
                " ("):
            add(span)
        # plural noun: "the energy companies ZE PAK and Polska Grupa Energetyczna (PGE)"
        plural = m.group(0).split()[0].lower()
        if span and plural.endswith("s") and plural != "s":
            nxt = re.match(r"(?:\s*\([^()]{1,15}\))?\s+and\s+(?=[A-Z])", text[span[1]:])
            if nxt:
                second = chunk_starting_at(text, span[1] + nxt.end(), 5)
                if second:
                    add(second)
    # "the Korea-based SKC", "U.S.-based Pacifico Energy"
    for m in based.finditer(text) if "-based" in text else ():
        add(chunk_starting_at(text, m.end(), 5))
    # lists: "three U.S companies (ON Semiconductor, Corning, Pacifico Energy)", "firms such as A and B"
    for m in noun_list.finditer(text):
        noun = m.group(0).split()[0].strip("(,").lower()
        closing = ")" if m.group(0).rstrip().endswith("(") else None
        for n_item, (s, e) in enumerate(_list_items(text, m.end(), closing)):
            s = skip_country_possessive(text, s)
            span = chunk_starting_at(text, s, 9)
            if span and span[1] >= e - 1:
                add(span, _PLURAL_TYPES.get(noun))
            elif n_item == 0:
                break  # "companies, including Toyota's plan to ...": not a list of names
    for chunk in capitalised_chunks(text):
        s, e = chunk[0].start, chunk[-1].end
        # "SSF of Austria plans to inject": the name without its country
        if len(chunk) >= 3 and chunk[-2].text == "of" and country_code(chunk[-1].text):
            e = chunk[-3].end
            after = text[chunk[-1].end:chunk[-1].end + 120]
        else:
            after = text[e:e + 120]
        if appositive_noun.match(after) or is_a_noun.match(after) \
                or (re.match(r"(?:,?\s+(?:which|that|who))?\s+(?:has |have |had )?(?:"
                             + alternation("org_cues.yaml", "investing_phrases")
                             + r")\b", after)
                    and not (len(chunk) == 1 and chunk[0].text.endswith("ing")
                             and re.search(r"(?:^|[.!?]\s+)$", text[:s]))):
            add((s, e))
    # "Syensqo established the Rhodia Silica Korea in Incheon"
    for m in _ESTABLISHED.finditer(text) if _has_any(text, _ESTABLISHED_WORDS) else ():
        span = chunk_starting_at(text, m.end(), 6)
        if span and re.match(r"\s+(?:in|at|as|with|on)\b", text[span[1]:span[1] + 6]):
            add(span)
    # former names
    for m in _FORMERLY.finditer(text) if "ormerly " in text else ():
        old = chunk_starting_at(text, m.end(), 5)
        appositive = text[m.start() - 2:m.start()] in (", ", " (")
        if old and text[old[1]:old[1] + 2] == ", " and not appositive:
            new = chunk_starting_at(text, old[1] + 2, 5)
            if new and add(new):
                aliases.append((old, new))
                continue
        if old:
            end_new = m.start() - 2
            acr = re.search(r"\s\([A-Z][A-Za-z&.\-]{1,11}\)$", text[max(0, end_new - 16):end_new])
            if acr and text[m.start() - 2:m.start()] == ", ":
                end_new -= len(acr.group(0))  # "X Corporation (XC), formerly the Y": X, not "(XC)"
            new = chunk_ending_at(text, end_new) if text[m.start() - 2:m.start()] in (", ", " (") else None
            if new and add(new):
                aliases.append((old, new))
    for m in _RENAMED.finditer(text) if "renamed" in text else ():
        new = chunk_starting_at(text, m.end(), 5)
        old = chunk_ending_at(text, m.start() - 1)
        if new and old and add(new):
            aliases.append((old, new))
    return out, aliases


_LIST = re.compile(r"(?:[A-Z][\w&.'’\-]*(?:\s+(?:of|for|and|&|the)?\s*[A-Z(][\w&.'’\-)]*){0,7}"
                   r"(?:,\s+|,?\s+and\s+)){2,}(?:and\s+)?[A-Z][\w&.'’\-]*(?:\s+(?:of|for|&)?\s*[A-Z(][\w&.'’\-)]*){0,7}")


def list_items(text: str) -> list[list[tuple[int, int]]]:
    """Comma-separated lists of capitalised names ("A, B, C, and D"), as item spans."""
    out = []
    for m in _LIST.finditer(text):
        items = []
        for part in re.finditer(r"[^,]+", m.group(0)):
            piece = part.group(0)
            for sub in re.split(r"^\s*and\s+|\s+and\s+(?=[A-Z])", piece):
                if sub.strip():
                    off = m.start() + part.start() + piece.find(sub)
                    lead = len(sub) - len(sub.lstrip())
                    items.append((off + lead, off + len(sub.rstrip())))
        if len(items) >= 3:
            out.append(items)
    return out

