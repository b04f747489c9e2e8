"""Country mentions: ISO names (pycountry) plus short forms, acronyms and adjectives from
`knowledge/countries.yaml`; hyphenated compounds ("Korea-U.S.-Japan") yield one mention per part.

Also the country helpers of the fact extractors: `country_of_word` and `countries_in_name` (the countries
written inside an event or agreement name, from the `name_words` of countries.yaml), `short_country_name`
("U.S.", "Korea": how names of events are labelled) and `country_common_name`.

Ambiguous words are filtered by context: "Georgia" (a U.S. state far more often in these texts),
"Jordan"/"Chad" next to another name word (a person), "New Mexico", "Latin American" and the like.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import pycountry

from orchestration.domain.extract.knowledge import countries_data, word_list
from orchestration.domain.extract.text import NAME_SPLIT, literal_alternation


@dataclass(frozen=True)
class CountrySpan:
    start: int
    end: int
    code: str
    text: str


def _clean_pycountry_name(name: str) -> str | None:
    if "," in name or "(" in name:
        return None
    return name


@cache
def _surface_table() -> dict[str, str]:
    data = countries_data()
    excluded = set(data.get("exclude_codes") or [])
    table: dict[str, str] = {}
    for c in pycountry.countries:
        if c.alpha_3 in excluded:
            continue
        for attr in ("name", "common_name", "official_name"):
            n = getattr(c, attr, None)
            n = _clean_pycountry_name(n) if n else None
            if n:
                table.setdefault(n, c.alpha_3)
    for key in ("aliases", "adjectives"):
        for code, names in (data.get(key) or {}).items():
            for n in names:
                table[str(n)] = code
    return table


@cache
def _pattern() -> re.Pattern[str]:
    alts = literal_alternation(_surface_table())  # longest first
    # names ending in "." must not be followed by a letter; others need a word boundary. A name not followed
    # by "-based" is preferred to one that is; the look-behind shared by both is tested once.
    return re.compile(rf"(?<![\w.])(?:(?:{alts})(?![\w])(?!-based)|(?:{alts})(?=-based))")


@cache
def _not_country_pattern() -> re.Pattern[str]:
    phrases = countries_data().get("not_country_phrases") or []
    return re.compile(r"(?<!\w)(?:" + literal_alternation(phrases) + r")(?!\w)")  # longest first


@cache
def _lowered_table() -> dict[str, str]:
    return {k.lower(): v for k, v in _surface_table().items() if len(k) > 3}


@cache
def _excluded_codes() -> frozenset[str]:
    return frozenset(countries_data().get("exclude_codes") or [])


def country_code(text: str) -> str | None:
    """ISO alpha-3 code of a country name, short form or adjective; None when it is not one."""
    if not text:
        return None
    return _country_code(text.strip())


@lru_cache(maxsize=1 << 16)
def _country_code(t: str) -> str | None:
    table = _surface_table()
    if t in table:
        return table[t]
    for cand in (t.rstrip("'’s").rstrip("'’"), t.replace("’", "'")):
        if cand in table:
            return table[cand]
    lowered = _lowered_table()
    if t.lower() in lowered:
        return lowered[t.lower()]
    try:
        c = pycountry.countries.lookup(t)
    except LookupError:
        return None
    return c.alpha_3 if c.alpha_3 not in _excluded_codes() else None


_NAME_WORD = re.compile(r"[A-Z][a-z]+")


_WORD_BEFORE = re.compile(r"([A-Za-z][\w.'’-]*)\s+$")
_WORD_AFTER = re.compile(r"\s+([A-Za-z][\w.'’-]*)")


def _neighbour_words(text: str, start: int, end: int) -> tuple[str, str]:
    before = _WORD_BEFORE.search(text[max(0, start - 30):start])
    after = _WORD_AFTER.match(text[end:end + 30])
    return (before.group(1) if before else "", after.group(1) if after else "")


def _in_compound_with_country(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    for s, e in spans:
        if (s, e) == (start, end):
            continue
        between = text[min(e, end):max(s, start)] if s >= end or e <= start else None
        if between is not None and between in ("-", "–", "—", "/") :
            return True
    return False


_CURRENCY_AFTER = re.compile(r"\$|\s*dollars?\b", re.IGNORECASE)


def find_countries(text: str) -> list[CountrySpan]:
    """Every country mention in `text`, with offsets."""
    data = countries_data()
    person_like = set(data.get("person_like") or [])
    state_like = set(data.get("us_state_like") or [])
    blocked = [(m.start(), m.end()) for m in _not_country_pattern().finditer(text)]
    table = _surface_table()
    raw = []
    for m in _pattern().finditer(text):
        s, e = m.start(), m.end()
        if any(bs <= s < be for bs, be in blocked):
            continue
        raw.append((s, e, m.group(0)))
    positions = [(s, e) for s, e, _ in raw]
    out = []
    for s, e, surface in raw:
        code = table[surface]
        before, after = _neighbour_words(text, s, e)
        if surface in person_like and (
                (_NAME_WORD.fullmatch(before) and before not in word_list("countries.yaml", "person_like_openers"))
                or _NAME_WORD.fullmatch(after)):
            continue
        if surface in state_like:
            prefix = text[max(0, s - 30):s]
            if not (re.search(r"(Republic|Government|President|Prime Minister|Embassy) of (the )?$", prefix)
                    or _in_compound_with_country(text, s, e, positions)):
                continue
        if surface == "US" and (after[:1].isdigit() or before in ("Let",)):
            continue
        if _CURRENCY_AFTER.match(text, e):  # "US$ 2 billion", "U.S. dollar": a currency, not the country
            continue
        if surface in ("Korea", "Korean") and text[max(0, s - 6):s] == "North ":
            continue
        out.append(CountrySpan(s, e, code, surface))
    return out


# ---------------------------------------------------------------- countries inside names

@cache
def name_words() -> dict[str, str]:
    """Lower-case country words of event and agreement names -> ISO alpha-3 (or a longer bloc code)."""
    return {k.lower(): v for k, v in (countries_data().get("name_words") or {}).items()}


@cache
def _multi_word_res() -> tuple[tuple[str, str, re.Pattern], ...]:
    """Several-word country spellings of `name_words`, each with its pattern."""
    return tuple((phrase, code, re.compile(rf"(?<![\w]){re.escape(phrase)}(?![\w])"))
                 for phrase, code in name_words().items() if len(code) == 3 and " " in phrase)


@lru_cache(maxsize=4096)
def country_of_word(word: str) -> str | None:
    w = word.lower().strip(".,'’()").removesuffix("'s").removesuffix("’s")
    words = name_words()
    if w in words:
        code = words[w]
        return code if len(code) == 3 else None
    if w.endswith(".") and w[:-1] in words:
        return words[w[:-1]]
    if len(w) > 3:
        try:
            return pycountry.countries.lookup(w).alpha_3
        except LookupError:
            return None
    return None


@lru_cache(maxsize=4096)
def countries_in_name(name: str) -> frozenset[str]:
    """Countries written in an event name: "Korea-U.S.-Japan", "Japan-Republic of Korea-United States"."""
    low = name.lower()
    found = set()
    for phrase, code, phrase_re in _multi_word_res():
        if phrase in low and phrase_re.search(low):
            found.add(code)
            low = low.replace(phrase, " ")
    for part in NAME_SPLIT.split(low):
        part = part.strip("'’")
        if not part:
            continue
        code = country_of_word(part)
        if code is None and part.endswith(("'s", "’s")):
            code = country_of_word(part[:-2])
        if code:
            found.add(code)
    return frozenset(found)


def country_common_name(code: str) -> str:
    c = pycountry.countries.get(alpha_3=code)
    return getattr(c, "common_name", None) or (c.name if c else code)


def short_country_name(code: str) -> str:
    """The short form used in event labels ("U.S.", "Korea", "UK"), else the common name."""
    short = countries_data().get("short_names") or {}
    return short[code] if code in short else country_common_name(code)
