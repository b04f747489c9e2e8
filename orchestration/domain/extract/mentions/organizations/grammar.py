"""Organization names by their form: capitalised chunks, split and evaluated by their head words."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from orchestration.domain.extract.knowledge import alternation, org_cues, word_set
from orchestration.domain.extract.mentions.countries import country_code
from orchestration.domain.extract.mentions.organizations.acronyms import is_acronym
from orchestration.domain.extract.mentions.organizations.cues import (
    CONNECTORS,
    _head_types,
    _leader_surnames,
    _non_org_heads,
    _not_name_words,
    _weak_heads,
    head_type,
    is_generic,
    splitting_titles,
)
from orchestration.domain.extract.mentions.organizations.reference import lookup_reference
from orchestration.domain.extract.text import DASH_SPLIT, Token, is_capitalised, token_tuple, tokenize

# ---------------------------------------------------------------- grammar


_PAREN_ACR = re.compile(r"\(\s*[A-Z][A-Za-z0-9&.\-]{0,11}\s*\)(?=\s+[A-Z])")


def chunk_text_mask(text: str) -> str:
    """Text with "(ACR)" blanked where a name continues after it, so the chunker reads through it."""
    return _PAREN_ACR.sub(lambda m: " " * len(m.group(0)), text)


_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")


@cache
def _ordinal_words() -> frozenset[str]:
    return word_set("org_cues.yaml", "ordinal_words")


@cache
def _legal_forms() -> frozenset[str]:
    return word_set("org_cues.yaml", "legal_forms")


@cache
def _portfolio() -> frozenset[str]:
    return word_set("people.yaml", "portfolio_words", lower=True)


_DATELINE = re.compile(r"[A-Z]{4,}(?:[ ,]+[A-Z][A-Za-z.]*)?\s*[–—-]\s")


def capitalised_chunks(text: str) -> list[list[Token]]:
    """Maximal runs of capitalised words joined by spaces and name connectors ("of", "and", "&")."""
    return [list(c) for c in _capitalised_chunks(text)]


@lru_cache(maxsize=64)
def _capitalised_chunks(text: str) -> tuple[tuple[Token, ...], ...]:
    # grammar_candidates and pattern_candidates both read the chunks of each text
    masked = chunk_text_mask(text)
    toks = token_tuple(masked)
    chunks: list[tuple[Token, ...]] = []
    cur: list[Token] = []

    def flush():
        while cur and cur[-1].text in CONNECTORS:
            cur.pop()
        while cur and cur[0].text in CONNECTORS:
            cur.pop(0)
        if cur:
            chunks.append(tuple(cur))
        cur.clear()

    for i, t in enumerate(toks):
        word = t.text
        # (a dateline starts with four capitals: test that before the regex)
        if cur and masked[t.start:t.start + 4].isupper() and _DATELINE.match(masked, t.start):
            flush()
            continue
        first = word[0]  # is_capitalised(word), inline: this loop runs over every token of the text
        proper = (first.isupper() or (first.isdigit() and any(c.isalpha() for c in word))) \
            and not word.lower().endswith("-based") and word not in ("'s", "’s")
        if cur:
            gap = masked[cur[-1].end:t.start]
            ok_gap = gap == " " or (gap.strip() == "" and "\n" not in gap)
            if not ok_gap and gap.strip() == "," and "\n" not in gap and word in _legal_forms():
                ok_gap = True  # "GlobalWafers Co., Ltd.", "GlobalWafers America, LLC"
            elif not ok_gap and gap.strip() == ",":
                # list inside "Ministry of Trade, Industry and Energy"
                has_of = any(x.text in ("of", "for") for x in cur)
                ok_gap = has_of and (word.lower() in _portfolio() or word == "and") and (
                    word != "and" or (i + 1 < len(toks) and toks[i + 1].text.lower() in _portfolio()))
            if not ok_gap:
                flush()
        if proper:
            cur.append(t)
        elif word in CONNECTORS and cur:
            if word == "the" and cur[-1].text not in ("of", "for"):
                flush()
                continue
            cur.append(t)
        elif cur:
            flush()
    flush()
    return tuple(chunks)


@cache
def _venue_phrases() -> tuple[str, ...]:
    return tuple(org_cues().get("venue_phrases") or [])


@dataclass
class Candidate:
    start: int
    end: int
    text: str
    organization_type: str


def _is_distinctive(word: str) -> bool:
    return not is_generic(word) and word not in splitting_titles()


def evaluate_segment(text: str, toks: list[Token]) -> Candidate | None:
    """Is this run of capitalised words an organization name? (head-word grammar)"""
    cand = _evaluate_segment(text, toks)
    if cand is None and toks and _adjective(toks[0].text) and len(toks) > 2:
        cand = _evaluate_segment(text, toks, keep_adjective=True)
    return cand


def _evaluate_segment(text: str, toks: list[Token], keep_adjective: bool = False) -> Candidate | None:
    original = toks
    # leading words that are not part of a name
    while toks and (toks[0].text in _not_name_words() and toks[0].text not in _head_types()
                    or toks[0].text in CONNECTORS or toks[0].text.endswith("-based")
                    or (not keep_adjective and len(toks) > 1 and _adjective(toks[0].text))):
        toks = toks[1:]
    if len(toks) < 1:
        return None
    if _ORDINAL.fullmatch(toks[0].text) or toks[0].text in _ordinal_words():
        return None  # "19th Joint Ministerial Commission": a session of a body
    words = [t.text for t in toks]
    # the rightmost head not inside the "of ..." complement of an earlier strong head
    head = -1
    i = 0
    while i < len(words):
        w = words[i]
        if w in _head_types():
            head = i
            if i + 1 < len(words) and words[i + 1] in ("of", "for") and w not in _weak_heads():
                # skip the complement unless a later strong head with a distinctive name follows "and"
                j = i + 2
                while j < len(words) and words[j] not in ("and", "&"):
                    j += 1
                k = i + 2
                comp_end = len(words)
                while k < len(words):
                    if words[k] in ("and", "&") and k + 1 < len(words):
                        rest = words[k + 1:]
                        if any(r in _head_types() for r in rest) and _is_distinctive(rest[0]):
                            comp_end = k
                            break
                    k += 1
                i = comp_end
                if comp_end < len(words):
                    # a second organization follows: stop this one here
                    words = words[:comp_end]
                    toks = toks[:comp_end]
                    break
                continue
        i += 1
    if head < 0:
        return None
    # "Alfredo Pascual of the Philippine Department of ...": words before an "of" that carry no head are
    # not part of the name (a person, a place); the name starts after "of (the)"
    cut = next((k for k in range(head) if words[k] in ("of", "for")), None)
    if cut is not None and not any(words[x] in _head_types() for x in range(cut)):
        skip = cut + 1
        while skip < head and words[skip] in ("the", "The"):
            skip += 1
        toks, words, head = toks[skip:], words[skip:], head - skip
        original = toks
    # "(Head of) Agency for the U.S. Trade and Development Agency": a title's words around the real name
    if len(words) > 4 and words[0] in _head_types() and words[1] in ("of", "for") and words[2] in ("the", "The") \
            and words[-1] in _head_types() and words[-1] not in _weak_heads():
        toks, words, head = toks[3:], words[3:], len(words) - 4
        original = toks
    if words[head] in ("Administration", "Government") and head >= 1 and all(
            p in _leader_surnames() for w in words[:head] for p in DASH_SPLIT.split(w) if p):
        return None  # "the Biden-Harris Administration": a term of office
    # anything that makes it an event, programme or venue
    tail = words[head + 1:]
    legal = words[head] in _legal_forms() or words[head] in ("Corporation", "Company")
    if any(w in _non_org_heads() for w in words[head:]) or (
            head > 0 and words[head - 1] in _non_org_heads() and not legal) or any(
            " ".join(words).endswith(v) for v in _venue_phrases()):
        return None
    end = len(words) - 1
    if tail and tail[0] not in ("of", "for"):
        # "Toray Advanced Materials Korea": a company head followed by the country of the subsidiary
        end = head + 1 if len(tail) == 1 and head_type(words[head]) == "company" and country_code(tail[0]) \
            else head
    # "the Department of Commerce and India's Ministry ...": a trailing "and <country>" starts another name
    while end >= 2 and words[end - 1] in ("and", "&") and country_code(words[end]):
        end -= 2
    name_words = words[: end + 1]
    if len(name_words) < 2:
        return None
    h = words[head]
    others = name_words[:head] + name_words[head + 1:]
    if (h in _weak_heads() or head == 0) and not any(_is_distinctive(w) for w in others) \
            and not (head == 0 and len(name_words) > 2 and h not in _weak_heads()):
        return None
    typ = head_type(h) or "other"
    if typ != "government" and not keep_adjective and toks is not original and _adjective(original[0].text):
        return None  # "Indonesian Chamber of Commerce": the adjective belongs to the name
    if "Institute of Technology" in " ".join(name_words):
        typ = "university"
    first = toks[0]
    last = toks[end]
    return Candidate(first.start, last.end, text[first.start:last.end], typ)


@cache
def _adjectives() -> frozenset[str]:
    from orchestration.domain.extract.knowledge import countries_data
    return frozenset(str(a) for names in (countries_data().get("adjectives") or {}).values() for a in names)


def _adjective(word: str) -> bool:
    return word in _adjectives()


def split_chunk(toks: list[Token]) -> list[list[Token]]:
    """Split a capitalised run at title words and at "and" joining two complete names."""
    segments: list[list[Token]] = []
    cur: list[Token] = []
    for t in toks:
        if t.text in splitting_titles():
            if cur:
                segments.append(cur)
            cur = []
            continue
        cur.append(t)
    if cur:
        segments.append(cur)
    out: list[list[Token]] = []
    for seg in segments:
        start = 0
        for i, t in enumerate(seg):
            if t.text in ("and", "&") and i > start:
                left = seg[start:i]
                rest = [x.text for x in seg[i + 1:]]
                strong = left[-1].text in _head_types() and left[-1].text not in _weak_heads()
                weak = left[-1].text in _weak_heads()
                left_done = strong or lookup_reference(
                    " ".join(x.text for x in left)) is not None
                distinctive = any(_is_distinctive(r) for r in rest)
                left_has_strong = any(x.text in _head_types() and x.text not in _weak_heads() for x in left)
                rest_is_org = bool(rest) and _is_distinctive(rest[0]) and any(r in _head_types() for r in rest)
                nxt = [x.text for x in seg[i + 1:]]
                nxt = nxt[:next((k for k, w in enumerate(nxt) if w in ("and", "&")), len(nxt))]
                if len(nxt) == 1 and nxt[0] in _head_types():
                    continue  # "Delta Engineering & Construction": one name
                if left_has_strong and len(rest) == 1 and is_acronym(rest[0]) and rest[0].lower() not in _portfolio() \
                        and any(x.text in ("of", "for") for x in left):
                    out.append(left)  # "the Ministry of Commerce and Industry and NRW": two names
                    start = i + 1
                    continue
                if rest and ((left_done and (distinctive or any(r in _head_types() for r in rest)))
                             or (weak and distinctive) or (left_has_strong and rest_is_org)):
                    out.append(left)
                    start = i + 1
        out.append(seg[start:])
    return [s for s in out if s]


_DESCRIPTIVE = re.compile(r"(?:\b(?:"
                          + alternation("org_cues.yaml", "descriptive_determiners")
                          + r")\s+(?:(?!(?:" + alternation("org_cues.yaml", "not_descriptive_words")
                          + r")\b)[a-z][\w-]*\s+){0,2})$")


@cache
def _title_words() -> frozenset[str]:
    return word_set("people.yaml", "title_words")


def _person_like(word: str) -> bool:
    """A capitalised word that could be part of a person's name (not a head, generic word or acronym)."""
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and word[0].isupper() and not all(c.isupper() for c in letters) and len(letters) > 1 \
        and head_type(word) is None and not is_generic(word) and word not in _title_words()


def _without_trailing_person(seg: list[Token]) -> list[Token]:
    """A title's organization followed by the person's name ("Acting Administrator for the U.S. Agency for
    International Development (USAID) John Barsa"): the name is not part of the organization."""
    run = 0
    while run < min(3, len(seg) - 2) and _person_like(seg[len(seg) - 1 - run].text):
        run += 1
    for k in range(run, 1, -1):
        if seg[len(seg) - 1 - k].text not in CONNECTORS:
            return seg[:len(seg) - k]
    return seg


def grammar_candidates(text: str) -> list[Candidate]:
    out = []
    heads = _head_types()
    for chunk in capitalised_chunks(text):
        if not any(t.text in heads for t in chunk):
            continue  # the grammar needs a head word in the name (evaluate_segment would find none)
        if _DESCRIPTIVE.search(text[max(0, chunk[0].start - 60):chunk[0].start]) and not any(
                t.text in _legal_forms() for t in chunk):
            continue  # "its Energy Solutions unit": a description, unless a legal form makes it a company
        for seg in split_chunk(chunk):
            # strip an "of"/"at" complement of a title ("CEO of Acme Corp.")
            while seg and seg[0].text in CONNECTORS:
                seg = seg[1:]
            if len(seg) > 3 and any(t.text in _title_words() for t in chunk if t.end <= seg[-3].start):
                seg = _without_trailing_person(seg)
            cand = evaluate_segment(text, seg)
            if cand:
                out.append(cand)
    return out


def chunk_starting_at(text: str, pos: int, max_tokens: int = 6) -> tuple[int, int] | None:
    """The capitalised name starting at `pos` (stops at lowercase words and punctuation)."""
    m = re.match(r"[\s]*", text[pos:])
    pos += m.end() if m else 0
    toks = []
    for t in tokenize(text[pos:pos + 200]):
        if toks and text[pos + toks[-1].end:pos + t.start].strip():
            break
        if not toks and not is_capitalised(t.text):
            return None
        if is_capitalised(t.text) or (t.text in ("&", "and", "of") and toks):
            if t.text in ("'s", "’s"):
                break
            toks.append(t)
        else:
            break
        if len(toks) >= max_tokens:
            break
    while toks and toks[-1].text in CONNECTORS:
        toks.pop()
    if not toks:
        return None
    # a list "A and B": keep only the first name
    for i, t in enumerate(toks):
        if t.text == "and":
            toks = toks[:i]
            break
    return pos + toks[0].start, pos + toks[-1].end


def chunk_ending_at(text: str, pos: int, max_tokens: int = 6) -> tuple[int, int] | None:
    """The capitalised name that ends right before `pos`."""
    before = text[max(0, pos - 160):pos]
    off = pos - len(before)
    toks = tokenize(before)
    run: list[Token] = []
    for t in reversed(toks):
        gap_end = run[0].start if run else len(before)
        if before[t.end:gap_end].strip():
            break
        if is_capitalised(t.text) or (t.text in ("&", "of") and run):
            run.insert(0, t)
        else:
            break
        if len(run) >= max_tokens:
            break
    while run and run[0].text in CONNECTORS:
        run.pop(0)
    if not run:
        return None
    return off + run[0].start, off + run[-1].end


