"""People: names introduced by titles ("U.S. Secretary of Commerce Gina Raimondo", "MOTIE Minister
Dukgeun Ahn", "Trade Minister Cheong"), "Name, Title of Org" appositions, and back-references
("Minister Ahn", "the Secretary") that point at a person already named in the document.

The title phrase also gives the person's title, organization (an adjacent organization or the
ministry a portfolio implies, `knowledge/title_organizations.csv`) and country.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache, lru_cache

from orchestration.domain.extract.knowledge import title_organizations, word_set
from orchestration.domain.extract.mentions.organizations import head_type
from orchestration.domain.extract.text import Token, tokenize

_PARTICLES = word_set("people.yaml", "name_particles")
CORE_TITLES = word_set("people.yaml", "core_titles")


@cache
def title_words() -> frozenset[str]:
    return word_set("people.yaml", "title_words")


@cache
def acronym_titles() -> frozenset[str]:
    """Titles whose holder's organization may be written as an acronym before them ("AfDB President")."""
    return word_set("people.yaml", "acronym_titles")


@cache
def titled_surname_titles() -> frozenset[str]:
    """Titles before which a surname alone names a person ("President Obama", "Commissioner Simson")."""
    return word_set("people.yaml", "titled_surname_titles")


@cache
def _lower_titles() -> frozenset[str]:
    """Title words as an apposition writes them in lower case ("Fred Hochberg, chairman and president of")."""
    return frozenset(w.lower() for w in title_words() if w[0].isalpha() and not w.endswith("."))


def _apposition_title(word: str) -> bool:
    return word in title_words() or word in _lower_titles()


def _apposition_modifier(word: str) -> bool:
    return word in _modifiers() or word.capitalize() in _modifiers()


@cache
def _modifiers() -> frozenset[str]:
    return word_set("people.yaml", "title_modifiers")


@cache
def _portfolio() -> frozenset[str]:
    return word_set("people.yaml", "portfolio_words", lower=True)


@cache
def _not_name() -> frozenset[str]:
    return word_set("people.yaml", "not_name_words") | word_set("org_cues.yaml", "non_org_heads")


@dataclass
class PersonHit:
    """A person occurrence found in one field."""

    field: str
    start: int
    end: int
    text: str
    kind: str  # name | surname | title
    title: str | None = None
    title_words: list[str] = field(default_factory=list)
    organization_id: str | None = None
    country_code: str | None = None
    portfolio: frozenset[str] = frozenset()


def _span_index(spans: list[tuple[int, int, str]], toks: list[Token]) -> dict[int, tuple[int, int, str]]:
    """Token index -> the first span (in list order) that contains the token.

    Tokens are sorted and do not overlap, so the tokens inside a span are one run found by bisection
    (rather than testing every span against every token)."""
    starts = [t.start for t in toks]
    found: dict[int, tuple[int, int, str]] = {}
    for s, e, key in spans:
        i = bisect_left(starts, s)
        while i < len(toks) and toks[i].end <= e:
            found.setdefault(i, (s, e, key))
            i += 1
    return dict(sorted(found.items()))


@lru_cache(maxsize=1 << 16)
def is_name_token(word: str) -> bool:
    if not word or not word[0].isalpha() or not word[0].isupper():
        return False
    if word in _not_name() or word in title_words() or word in _modifiers() or head_type(word):
        return False
    letters = [c for c in word if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return False  # acronym
    return not (len(letters) == 1 and not word.endswith("."))


def is_particle(word: str) -> bool:
    """Name particles: "bin", "Al" (Arabic), "von", "van der", "de" ..."""
    return word.lower() in _PARTICLES or word.lower() in ("ibn", "bint", "abu")


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end:b.start]


def find_person_hits(text: str, field_name: str, org_spans: list[tuple[int, int, str]],
                     country_spans: list[tuple[int, int, str]]) -> list[PersonHit]:
    toks = tokenize(text)
    org_at = _span_index(org_spans, toks)
    ctry_at = _span_index(country_spans, toks)
    hits: list[PersonHit] = []
    n = len(toks)

    def in_title_group(i: int) -> bool:
        w = toks[i].text
        if w in title_words():
            return True
        if w in _modifiers() and i + 1 < n and _gap(text, toks[i], toks[i + 1]) == " ":
            return in_title_group(i + 1)
        return False

    i = 0
    used_name_tokens: set[int] = set()
    while i < n:
        if not in_title_group(i) or i in org_at:
            i += 1
            continue
        # ---- the title group (modifiers, title words, "and" between titles)
        g_start = i
        j = i
        core: list[str] = []
        portfolio_in_group: set[str] = set()
        while j < n:
            w = toks[j].text
            if w in title_words() or (w in _modifiers() and in_title_group(j)):
                if w in title_words():
                    core.append(w)
                elif w.lower() in _portfolio():
                    portfolio_in_group.add(w.lower())
                j += 1
                if j < n and toks[j].text == "and" and j + 1 < n and in_title_group(j + 1) \
                        and _gap(text, toks[j - 1], toks[j]) == " ":
                    j += 1
                continue
            break
        g_end = j  # exclusive
        # ---- prefix: portfolio words, countries and organizations before the title
        p = g_start
        country = None
        org = None
        portfolio = set(portfolio_in_group)
        while p > 0:
            prev = toks[p - 1]
            gap = _gap(text, prev, toks[p])
            if gap not in (" ", ", "):
                break
            if p - 1 in org_at:
                span = org_at[p - 1]
                org = org or span[2]
                while p > 0 and org_at.get(p - 1) == span:
                    p -= 1
                continue
            if p - 1 in ctry_at and gap == " ":
                country = country or ctry_at[p - 1][2]
                p -= 1
                continue
            low = prev.text.lower()
            if prev.text[0].isupper() and (low in _portfolio() or prev.text in _modifiers()):
                portfolio.add(low)
                p -= 1
                continue
            if prev.text == "and" and p - 2 >= 0 and toks[p - 2].text.lower() in _portfolio():
                p -= 1
                continue
            if prev.text == "'s" or prev.text == "’s":
                break
            break
        prefix_start = p
        # ---- complement: "of Trade, Industry, and Energy", "of Samsung Electronics", "to the U.S."
        k = g_end
        if k < n and toks[k].text in ("of", "for", "to", "at") and _gap(text, toks[k - 1], toks[k]) == " ":
            k += 1
            if k < n and toks[k].text == "the":
                k += 1
            while k < n:
                gap = _gap(text, toks[k - 1], toks[k])
                if gap not in (" ", ", "):
                    break
                if k in org_at:
                    org = org or org_at[k][2]
                    e = org_at[k][1]
                    while k < n and toks[k].end <= e:
                        k += 1
                    continue
                if k in ctry_at and gap == " ":
                    country = country or ctry_at[k][2]
                    k += 1
                    continue
                w = toks[k].text
                if w == "of" and portfolio and (k + 1 in ctry_at or (
                        k + 2 < n and toks[k + 1].text == "the" and k + 2 in ctry_at)):
                    k += 1  # "Minister of Commerce and Industry of India Piyush Goyal"
                    if toks[k].text == "the":
                        k += 1
                    continue
                if w.lower() in _portfolio() and (w[0].isupper() or w in ("and", "&")):
                    if w[0].isupper():
                        portfolio.add(w.lower())
                    k += 1
                    continue
                if w in ("and", "&", "the", "for") and k + 1 < n and (toks[k + 1].text.lower() in _portfolio()
                                                               or k + 1 in org_at):
                    k += 1
                    continue
                # "Head of Agency for the U.S. Trade and Development Agency": a head word, then its organization
                if (head_type(w) or w in ("for", "of")) and any(k + j in org_at for j in (1, 2, 3)) and all(
                        toks[k + j].text in ("for", "of", "the") for j in range(1, next(
                            j for j in (1, 2, 3) if k + j in org_at))):
                    k += 1
                    continue
                break
        # ---- "(MOTIE)" after the title
        last_end = toks[k - 1].end
        m = re.match(r"\s*\(([^()]{1,15})\)", text[last_end:])
        if m:
            inner_start = last_end + m.start(1)
            for s, e, key in org_spans:
                if s <= inner_start < e:
                    org = org or key
            last_end += m.end()
            while k < n and toks[k].start < last_end:
                k += 1
        # ---- the name ("Minister of Trade and Industry, Mandisi Mpahlwa,": after a comma when the title has
        # a complement; honorifics such as "Dr", "H E", "Datuk" skipped)
        name_toks, q = _name_after(text, toks, k, last_end, org_at, ctry_at, comma=k > g_end)
        title_start = toks[prefix_start].start
        first_title_tok = g_start
        # title text without leading country / organization
        tt_start = toks[first_title_tok].start
        while prefix_start < first_title_tok and (prefix_start in org_at or prefix_start in ctry_at):
            prefix_start += 1
        tt_start = toks[prefix_start].start if prefix_start < first_title_tok else toks[first_title_tok].start
        title_text = re.sub(r"\s*\([^()]*\)?$", "", text[tt_start:toks[k - 1].end]).strip(" ,")
        if name_toks:
            s, e = toks[name_toks[0]].start, toks[name_toks[-1]].end
            kind = "name" if sum(1 for x in name_toks if not is_particle(toks[x].text)) >= 2 else "surname"
            hits.append(PersonHit(field_name, s, e, text[s:e], kind, title_text, core, org, country,
                                  frozenset(portfolio)))
            used_name_tokens.update(name_toks)
            i = q
            continue
        before = text[max(0, title_start - 4):title_start]
        if re.search(r"\b[Tt]he\s$", before):
            for idx in range(g_start, g_end):
                w = toks[idx].text
                if w in CORE_TITLES:
                    hits.append(PersonHit(field_name, toks[idx].start, toks[idx].end, w, "title", w, [w]))
        i = max(g_end, i + 1)
    hits.extend(_appositions(text, field_name, toks, org_at, ctry_at, used_name_tokens))
    return hits


def _honorific_end(text: str, toks: list[Token], q: int) -> int:
    """Index of the first token after honorifics at `q` ("Dr", "H E", "Datuk Seri", "Senator The Hon.")."""
    while q < len(toks):
        two = " ".join(t.text for t in toks[q:q + 2])
        if q + 1 < len(toks) and two in _name_honorifics():
            q += 2
        elif toks[q].text in _name_honorifics():
            q += 1
        else:
            break
    return q


def _name_after(text: str, toks: list[Token], k: int, last_end: int, org_at, ctry_at,
                comma: bool) -> tuple[list[int], int]:
    """The name tokens starting at token `k` (right after a title ending at `last_end`) and the index after
    them. A name after a comma must have two words and end the phrase ("..., Rania El Mashat, ...")."""
    n = len(toks)
    if k >= n:
        return [], k
    gap = text[last_end:toks[k].start]
    if gap not in (" ", ", ") or (gap == ", " and not comma):
        return [], k
    q = _honorific_end(text, toks, k)
    if q > k and (q >= n or text[toks[q - 1].end:toks[q].start] != " "):
        return [], k
    name_toks: list[int] = []
    while q < n and sum(1 for x in name_toks if not is_particle(toks[x].text)) < 4:
        if name_toks and text[toks[name_toks[-1]].end:toks[q].start] != " ":
            break
        # a particle inside a name, or leading it ("President von der Leyen")
        particle = is_particle(toks[q].text) and q + 1 < n and (
            is_name_token(toks[q + 1].text) or is_particle(toks[q + 1].text))
        if q in org_at or q in ctry_at or not (is_name_token(toks[q].text) or particle):
            break
        name_toks.append(q)
        q += 1
    while name_toks and is_particle(toks[name_toks[-1]].text):
        name_toks.pop()
        q -= 1
    if gap == ", ":
        words = sum(1 for x in name_toks if not is_particle(toks[x].text))
        after = text[toks[name_toks[-1]].end:toks[name_toks[-1]].end + 2] if name_toks else ""
        nxt = toks[q].text if q < n else ""
        if words < 2 or not (after[:1] in ("", ",", ".", ";", ")") or (after[:1] == " " and nxt[:1].islower())):
            return [], k
    return name_toks, q


@cache
def _name_honorifics() -> frozenset[str]:
    return word_set("people.yaml", "name_prefix_honorifics")


def _appositions(text, field_name, toks, org_at, ctry_at, used) -> list[PersonHit]:
    """"Gina Raimondo, U.S. Secretary of Commerce" and "John Doe, CEO of Acme"."""
    out = []
    n = len(toks)
    i = 0
    while i < n:
        if i in used or not is_name_token(toks[i].text) or i in org_at or i in ctry_at:
            i += 1
            continue
        j = i
        while j < n and j - i < 6 and j not in used and j not in org_at and j not in ctry_at \
                and (is_name_token(toks[j].text) or (j > i and is_particle(toks[j].text) and j + 1 < n
                                                     and is_name_token(toks[j + 1].text)))\
                and (j == i or _gap(text, toks[j - 1], toks[j]) == " "):
            j += 1
        if j - i >= 2 and j < n and _gap(text, toks[j - 1], toks[j]) == ", " and \
                (i == 0 or toks[i - 1].text not in title_words()):
            k = j
            if toks[k].text in ("the", "a", "an"):
                k += 1
            org = country = None
            steps = 0
            while k < n and steps < 8:
                w = toks[k].text
                if k in org_at:
                    org = org or org_at[k][2]
                elif k in ctry_at:
                    country = country or ctry_at[k][2]
                elif w in ("'s", "’s") and (k - 1 in org_at or k - 1 in ctry_at):
                    pass  # "Germany's Vice-Chancellor"
                elif _apposition_title(w):
                    break
                elif not (_apposition_modifier(w) or w.lower() in _portfolio()):
                    k = n
                    break
                k += 1
                steps += 1
            if k < n and _apposition_title(toks[k].text):
                e = k
                while e + 1 < n and (_apposition_title(toks[e + 1].text) or toks[e + 1].text in ("of", "for", "and")
                                     or toks[e + 1].text.lower() in _portfolio() or e + 1 in org_at
                                     or e + 1 in ctry_at or _apposition_modifier(toks[e + 1].text)):
                    e += 1
                    if e in org_at:
                        org = org or org_at[e][2]
                    if e in ctry_at:
                        country = country or ctry_at[e][2]
                title_text = text[toks[k].start:toks[e].end].strip(" ,")
                s, end = toks[i].start, toks[j - 1].end
                portfolio = frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", title_text)
                                      if w.lower() in _portfolio())
                out.append(PersonHit(field_name, s, end, text[s:end], "name", title_text,
                                     [w.capitalize() if w in _lower_titles() else w for w in title_text.split()
                                      if _apposition_title(w)], org, country,
                                     portfolio))
                i = e + 1
                continue
        i = max(j, i + 1)
    return out


def title_organization(core_titles: list[str], portfolio: frozenset[str], country: str | None,
                       doc_countries: dict[str, int]) -> tuple[str, str] | None:
    """(organization name, country) implied by a title such as "Minister of Trade, Industry and Energy"."""
    if not portfolio:
        return None
    kinds = {t.lower().replace("-", " ").split()[-1] for t in core_titles}
    rows = [r for r in title_organizations() if r[1] in kinds]
    exact = [r for r in rows if r[2] == portfolio]
    cands = exact or sorted((r for r in rows if r[2] <= portfolio), key=lambda r: -len(r[2]))
    if not exact and cands:
        best = len(cands[0][2])
        cands = [r for r in cands if len(r[2]) == best]
    if country:
        cands = [r for r in cands if r[0] == country]
    elif not (exact and len({r[0] for r in exact}) == 1):
        cands = sorted((r for r in cands if doc_countries.get(r[0])), key=lambda r: -doc_countries[r[0]])
    if not cands:
        return None
    return cands[0][3], cands[0][0]
