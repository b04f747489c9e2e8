"""Events in one document: forums, meetings, summits, ceremonies, showcases ...

Grammar, not lists of events: an event mention is a noun phrase ending in an event head noun
("... Semiconductor Forum", "the Korea-Japan summit", "the opening ceremony of ..."), grown to the
left over the name and to the right over "of/on/for <Proper Name>", "at <venue event|place>".
Meetings between two named officials ("Minister A met Minister B on June 26 in ...") become
bilateral meetings named from the officials' countries. Repeated references to one event
("the Forum", "the SCCD Semiconductor Forum") are merged into one local event.

Cue words live in `orchestration/knowledge/event_types.yaml`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import pycountry
import yaml

from orchestration.domain.extract.knowledge import KNOWLEDGE_DIR
from orchestration.domain.extract.mentions.dates import (
    BACKWARD_WORDS,
    DateMention,
    dateline_date,
    find_dates,
    is_future,
)
from orchestration.domain.extract.models import Document, EntityResult, EntitySpan, Event, Sentence
from orchestration.domain.extract.text import document_sentences, literal_alternation

KNOWLEDGE = KNOWLEDGE_DIR / "event_types.yaml"

STOP = {"the", "of", "and", "at", "a", "an", "in", "on", "for", "s", "to", "with", "by", "its"}
SYNONYMS = {"u.s.": "us", "usa": "us", "rok": "korea", "korean": "korea", "japanese": "japan",
            "american": "us", "2nd": "second", "1st": "first", "3rd": "third"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "his", "her", "your"}
CONNECTORS = {"and", "of", "for", "&", "on"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "inaugural": 1, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
            "6th": 6, "7th": 7, "8th": 8, "9th": 9, "10th": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
            "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
            "nineteenth": 19, "twentieth": 20}
_NUM_ORDINAL = re.compile(r"(?:[1-9]\d{0,2})(?:st|nd|rd|th)")
MEETING_FAMILY = {"meeting", "ministerial_meeting", "bilateral_meeting", "dialogue", "negotiation_round"}
SHORT_COUNTRY = {"KOR": "Korea", "USA": "U.S.", "JPN": "Japan", "CHN": "China", "GBR": "UK", "RUS": "Russia",
                 "VNM": "Vietnam", "TWN": "Taiwan", "ARE": "UAE", "TUR": "Türkiye"}


# --------------------------------------------------------------------------- knowledge

@dataclass(frozen=True)
class _Knowledge:
    heads: dict[str, dict]
    max_head_words: int
    type_modifiers: list[dict]
    qualifiers: frozenset[str]
    anchor_words: frozenset[str]
    anchor_verbs: tuple[str, ...]
    stops: frozenset[str]
    followers: frozenset[str]
    locations: dict[str, tuple[str, str]]  # spelling (lower) -> (canonical city, ISO3)
    location_re: re.Pattern
    country_words: dict[str, str]
    head_starts: frozenset[str]  # first words of the heads (a cheap pre-check for _match_head)
    multi_country_res: tuple[tuple[str, str, re.Pattern], ...]  # several-word country spellings


@lru_cache(maxsize=1)
def knowledge() -> _Knowledge:
    data = yaml.safe_load(KNOWLEDGE.read_text(encoding="utf-8"))
    heads = {k.lower(): v for k, v in data["heads"].items()}
    locations: dict[str, tuple[str, str]] = {}
    for spellings, iso in data["locations"].items():
        names = [s.strip() for s in spellings.split("|")]
        for s in names:
            locations[s.lower()] = (names[0], iso)
    loc_alt = literal_alternation({s for k in data["locations"] for s in k.split("|")}, ignorecase=True)
    return _Knowledge(
        heads=heads,
        max_head_words=max(len(h.split()) for h in heads),
        type_modifiers=data.get("type_modifiers") or [],
        qualifiers=frozenset(str(w).lower() for w in data.get("name_qualifiers") or []),
        anchor_words=frozenset(str(w).lower() for w in data.get("anchor_words") or []),
        anchor_verbs=tuple(str(w).lower() for w in data.get("anchor_verbs") or []),
        stops=frozenset(str(w).lower() for w in data.get("name_stops") or []),
        followers=frozenset(str(w).lower() for w in data.get("head_followers") or []),
        locations=locations,
        location_re=re.compile(rf"(?<![\w.])(?:{loc_alt})(?![\w])", re.IGNORECASE),
        country_words=(country_words := {k.lower(): v for k, v in (data.get("country_words") or {}).items()}),
        head_starts=frozenset(h.split(" ")[0] for h in heads),
        multi_country_res=tuple((phrase, code, re.compile(rf"(?<![\w]){re.escape(phrase)}(?![\w])"))
                                for phrase, code in country_words.items() if len(code) == 3 and " " in phrase),
    )


# --------------------------------------------------------------------------- name tokens / countries

_NAME_SPLIT = re.compile(r"[\s\-–—/,()]+")
_NON_WORD = re.compile(r"[^\w]")


def name_tokens(name: str) -> set[str]:
    """Key tokens of an event name (lower case, six-letter stems, country spellings unified)."""
    return set(_name_tokens(name or ""))


@lru_cache(maxsize=4096)
def _name_tokens(name: str) -> frozenset[str]:
    s = name.lower().replace("united states", "us").replace("republic of korea", "korea")
    out = set()
    for raw in _NAME_SPLIT.split(s):
        t = SYNONYMS.get(raw, raw)
        t = SYNONYMS.get(t.strip(".'’"), t.strip(".'’"))
        t = _NON_WORD.sub("", t)
        if t and t not in STOP:
            out.add(t[:6])
    return frozenset(out)


@lru_cache(maxsize=4096)
def country_of_word(word: str) -> str | None:
    w = word.lower().strip(".,'’()").removesuffix("'s").removesuffix("’s")
    k = knowledge()
    if w in k.country_words:
        code = k.country_words[w]
        return code if len(code) == 3 else None
    if w.endswith(".") and w[:-1] in k.country_words:
        return k.country_words[w[:-1]]
    if len(w) > 3:
        try:
            return pycountry.countries.lookup(w).alpha_3
        except LookupError:
            return None
    return None


@lru_cache(maxsize=4096)
def countries_in_name(name: str) -> frozenset[str]:
    """Countries written in an event name: "Korea-U.S.-Japan", "Japan-Republic of Korea-United States"."""
    k = knowledge()
    low = name.lower()
    found = set()
    for phrase, code, phrase_re in k.multi_country_res:
        if phrase in low and phrase_re.search(low):
            found.add(code)
            low = low.replace(phrase, " ")
    for part in _NAME_SPLIT.split(low):
        part = part.strip("'’")
        if not part:
            continue
        code = country_of_word(part)
        if code is None and part.endswith(("'s", "’s")):
            code = country_of_word(part[:-2])
        if code:
            found.add(code)
    return frozenset(found)


def generic_tokens() -> set[str]:
    """Tokens that do not distinguish one event from another (heads, ordinals, qualifiers, countries)."""
    k = knowledge()
    out: set[str] = set()
    for words in list(k.heads) + list(k.qualifiers) + list(k.anchor_words):
        out |= name_tokens(words)
    for w in ("ministers", "minister", "ministerial", "meeting", "trilateral", "bilateral", "multilateral",
              "joint", "annual", "level", "high", "industry", "industrial", "ministers'"):
        out |= name_tokens(w)
    for w, code in k.country_words.items():
        if len(code) == 3:
            out |= name_tokens(w)
    out |= {"us", "korea", "japan", "china"}
    return out


def distinctive_tokens(name: str, acronyms: dict[str, set[str]] | None = None) -> set[str]:
    toks = name_tokens(name)
    for acr, expansion in (acronyms or {}).items():
        if acr in toks or (expansion and expansion <= toks):
            toks = (toks - expansion) | {acr}
    generic = _GENERIC_CACHE or _generic_cache()
    return {t for t in toks if t not in generic and not re.fullmatch(r"(19|20)\d\d", t)}


_GENERIC_CACHE: set[str] = set()


def _generic_cache() -> set[str]:
    _GENERIC_CACHE.update(generic_tokens())
    return _GENERIC_CACHE


def ordinal_of(name: str) -> int | None:
    for w in re.split(r"[\s\-–]+", name.lower()):
        if w in ORDINALS and w != "inaugural":
            return ORDINALS[w]
        if _NUM_ORDINAL.fullmatch(w):
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
            if w.lower() in {"and", "of", "for", "the", "&", "on", "in"}:
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
    """The first known city/venue area in `text`, written with a capital: (city, ISO3)."""
    k = knowledge()
    for m in k.location_re.finditer(text):
        if not m.group(0)[0].isupper():
            continue
        hit = k.locations.get(m.group(0).lower())
        if hit:
            return hit
    return None


# --------------------------------------------------------------------------- tokens

_TOKEN = re.compile(r"\([A-Z][A-Za-z&]{0,11}\)|[A-Za-z0-9][\w&.'’\-–]*|\S")


class _Tok:
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


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        t, s, e = m.group(0), m.start(), m.end()
        # a trailing period ends the sentence unless the token is an abbreviation such as "U.S." or "D.C."
        while len(t) > 1 and t[-1] in ".'’-–" and not (t[-1] == "." and "." in t[:-1]) and \
                not (t[-1] in "'’" and t[-2] == "s"):
            t, e = t[:-1], e - 1
        out.append(_Tok(t, s, e))
    return out


# --------------------------------------------------------------------------- mentions

@dataclass
class _Mention:
    name: str
    event_type: str
    head: str
    sentence: Sentence
    start: int  # offsets in the field
    end: int
    proper: bool  # has a capitalised (distinctive) part
    backref: bool
    standing: bool
    anchored: bool
    subordinate: bool = False
    date: DateMention | None = None
    city: tuple[str, str] | None = None
    attendees: int | None = None
    participants: list[tuple[str, str]] = field(default_factory=list)
    from_meeting_verb: bool = False
    short_ordinal: bool = False  # "the 3rd Dialogue": an ordinal and the bare head of a body named before

    @property
    def field(self) -> str:
        return self.sentence.field


def _possessive_head(word: str, k: _Knowledge) -> bool:
    """ "forum's": a one-word head less a possessive. (A word not ending in "s" can only be a head if it
    is in `head_starts`, so most words are settled without building the stripped forms.)"""
    return word[-1:] == "s" and word.removesuffix("'s").removesuffix("’s") in k.heads


def _match_head(toks: list[_Tok], i: int) -> tuple[str, int] | None:
    k = knowledge()
    if i >= len(toks):
        return None
    # every head starts with this token's word (or is this word, less a possessive)
    first = toks[i].low
    if first not in k.head_starts and not _possessive_head(first, k):
        return None
    for n in range(k.max_head_words, 0, -1):
        if i + n > len(toks):
            continue
        words = [t.low for t in toks[i:i + n]]
        if not all(t.is_word for t in toks[i:i + n]):
            continue
        phrase = " ".join(words)
        phrase = phrase.removesuffix("'s").removesuffix("’s")
        if phrase in k.heads:
            return phrase, i + n
    return None


def spec_of(head: str) -> dict:
    return knowledge().heads.get(head, {})


def _type_for(head: str, name: str) -> str:
    k = knowledge()
    base = k.heads[head]["type"]
    low = " " + re.sub(r"[\s\-–]+", " ", name.lower()) + " "
    for rule in k.type_modifiers:
        if base not in rule.get("head_types", []):
            continue
        for w in rule["words"]:
            if f" {str(w).lower()} " in low:
                return rule["type"]
    return base


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def _stop_word(toks: list[_Tok], j: int) -> bool:
    k = knowledge()
    if toks[j].low in k.stops:
        return True
    return j > 0 and f"{toks[j - 1].low} {toks[j].low}" in k.stops


def _grow_left(toks: list[_Tok], i: int, proper: bool, date_spans, person_spans) -> tuple[int, bool]:
    """Index of the first token of the name ending at head index i; and whether a determiner bounds it."""
    k = knowledge()
    j = i - 1
    first = i
    if proper:
        while j >= 0:
            t = toks[j]
            if not t.is_word or _stop_word(toks, j) or _overlaps(date_spans, t.start, t.end) or \
                    _overlaps(person_spans, t.start, t.end):
                break
            if t.is_cap or t.low in k.qualifiers:
                first = j
            elif t.low in CONNECTORS and j > 0 and toks[j - 1].is_word and toks[j - 1].is_cap and \
                    not _stop_word(toks, j - 1):
                pass  # tentatively inside the name
            else:
                break
            j -= 1
        return first, j >= 0 and toks[j].low in DETERMINERS
    # a lower-case head: a description bounded by a determiner ("the Korea-Japan summit")
    steps = 0
    while j >= 0 and steps < 8:
        t = toks[j]
        if not t.is_word or t.low in DETERMINERS or t.low.endswith(("'s", "’s")) and not t.low.endswith("s'") \
                and t.low not in k.qualifiers:
            break
        if _stop_word(toks, j) or t.low in {"and", "or", "but", "with", "in", "at", "to", "by", "from", "as",
                                             "that", "which", "who", "than", "of", "for", "on", "into"}:
            break
        if _overlaps(date_spans, t.start, t.end) or _overlaps(person_spans, t.start, t.end):
            break
        first = j
        j -= 1
        steps += 1
    bounded = j < 0 or toks[j].low in DETERMINERS or toks[j].low.endswith(("'s", "’s"))
    if not bounded:
        # no determiner: keep only the capitalised / qualifier words next to the head
        first = i
        j = i - 1
        while j >= 0 and toks[j].is_word and (toks[j].is_cap or toks[j].low in k.qualifiers) and \
                not _stop_word(toks, j) and not _overlaps(date_spans, toks[j].start, toks[j].end) and \
                not _overlaps(person_spans, toks[j].start, toks[j].end):
            first = j
            j -= 1
    return first, bounded


def _cap_run(toks: list[_Tok], j: int, date_spans, person_spans) -> int:
    """End index (exclusive) of a run of capitalised words starting at j (connectors allowed inside)."""
    end = j
    while j < len(toks):
        t = toks[j]
        if not t.is_word or _overlaps(date_spans, t.start, t.end) or _overlaps(person_spans, t.start, t.end):
            break
        if t.is_cap and t.low not in knowledge().stops:
            end = j + 1
        elif t.low in CONNECTORS and j + 1 < len(toks) and toks[j + 1].is_cap and toks[j + 1].is_word:
            pass
        else:
            break
        j += 1
    return end


_ROUND_OBJECTS = {"negotiations", "negotiation", "talks", "consultations", "consultation"}
_ROUND_STOPS = {"including", "where", "which", "who", "that", "held", "hosted", "in", "at", "during", "was",
                "were", "is", "will", "between", "from"}
_WITH_HEADS = {"roundtable", "roundtables", "round table"}
_PHRASE_STOPS = {"including", "where", "which", "who", "that", "to", "on", "at", "during", "as", "while", "hosted",
                 "held", "attended", "co-hosted", "organized", "organised", "and", "was", "were", "is", "will",
                 "in"}


def _free_phrase(toks: list[_Tok], j: int, date_spans, limit: int, stops: set[str]) -> int:
    """End index (exclusive) of a descriptive phrase starting at j: words up to punctuation, a date,
    a clause word in `stops` or `limit` tokens; trailing connectors are dropped."""
    end = j
    while end < len(toks) and end - j < limit:
        t = toks[end]
        if not t.is_word or _overlaps(date_spans, t.start, t.end) or (end > j and t.low in stops):
            break
        end += 1
    while end > j and toks[end - 1].low in CONNECTORS | {"the", "a", "an", "with", "from", "by"}:
        end -= 1
    return end


_VENUE_FOLLOWERS = {"in", "on", "this", "last", "next", "earlier", "later", "and", "to", "for", "with", "where",
                    "which", "that", "during", "as"}
_BY_VERBS = {"hosted", "organized", "organised", "co-hosted", "cohosted", "convened", "co-organized", "sponsored"}


def _host_phrase(toks: list[_Tok], e: int, date_spans) -> int:
    """ "a roundtable hosted by the American Chamber of Commerce of the Philippines (AmCham Philippines)":
    end index of the host phrase after a bare head, or e when there is none."""
    if not (e + 2 < len(toks) and toks[e].low in _BY_VERBS and toks[e + 1].low == "by"):
        return e
    j = e + 2
    if toks[j].low == "the" and j + 1 < len(toks):
        j += 1
    if not toks[j].is_cap:
        return e
    end = _free_phrase(toks, j, date_spans, 12, _PHRASE_STOPS - {"and", "in"} | {"with", "for", "under"})
    while end > j and not toks[end - 1].is_cap:
        end -= 1
    # a short parenthesised name right after it: "(AmCham Philippines)"
    if end < len(toks) and toks[end].text == "(":
        close = next((x for x in range(end + 1, min(end + 5, len(toks))) if toks[x].text == ")"), None)
        if close and all(t.is_cap for t in toks[end + 1:close]):
            end = close + 1
    return end if end > j else e


def _grow_right(toks: list[_Tok], e: int, date_spans, person_spans,
                head: str = "", bare: bool = False) -> tuple[int, tuple[int, int] | None]:
    """End index of the name whose head ends at token e, and a token range inside it to leave out of
    the name (a date between the head and its complement: "ceremony on July 3 for HLI Green Power").
    `bare`: the head stands alone ("a roundtable"), so its host may name it."""
    k = knowledge()
    cut: tuple[int, int] | None = None
    if bare:
        host_end = _host_phrase(toks, e, date_spans)
        if host_end > e:
            return host_end, None
        # "unveiled at a ceremony at Purdue University": the venue names a bare gathering
        if e + 1 < len(toks) and toks[e].low == "at":
            j = e + 2 if toks[e + 1].low == "the" and e + 2 < len(toks) else e + 1
            end = _cap_run(toks, j, date_spans, person_spans)
            nxt = toks[end] if end < len(toks) else None
            whole = nxt is None or not nxt.is_word or nxt.is_cap or nxt.low in _VENUE_FOLLOWERS or \
                _overlaps(date_spans, nxt.start, nxt.end)
            if end > j and toks[j].is_word and toks[j].text[0].isupper() and whole:
                return end, None
    if e < len(toks) and re.fullmatch(r"(19|20)\d\d", toks[e].text):
        e += 1
    if e < len(toks) and toks[e].is_acronym:
        e += 1
    # "round of negotiations to upgrade the UK's free trade agreement with Korea"
    if head in {"round", "rounds"} and e + 1 < len(toks) and toks[e].low == "of":
        j = e + 1
        if toks[j].low == "the" and j + 1 < len(toks):
            j += 1
        # "the first round of upgrade negotiations": one or two lower-case modifiers before the object
        for skip in (1, 2):
            if toks[j].low not in _ROUND_OBJECTS and j + skip < len(toks) and \
                    toks[j + skip].low in _ROUND_OBJECTS and \
                    all(t.is_word and t.text[0].islower() and t.low not in _ROUND_STOPS | CONNECTORS
                        for t in toks[j:j + skip]):
                j += skip
                break
        if toks[j].low in _ROUND_OBJECTS:
            e = j + 1
            if e < len(toks) and toks[e].low in {"on", "to", "for", "over"}:
                end = _free_phrase(toks, e + 1, date_spans, 12, _ROUND_STOPS)
                if end > e + 1:
                    e = end
            return e, None
    # "a roundtable with executives of German companies investing in Korea"
    if head in _WITH_HEADS and e + 1 < len(toks) and toks[e].low == "with":
        end = _free_phrase(toks, e + 1, date_spans, 12, _PHRASE_STOPS - {"and", "in"})
        if end > e + 1:
            return end, None
    # a date between a ceremony and its object: "held a completion ceremony on July 3 for X"
    if e + 2 < len(toks) and toks[e].low in {"on", "in"} and _overlaps(date_spans, toks[e + 1].start,
                                                                      toks[e + 1].end):
        j = e + 1
        while j < len(toks) and _overlaps(date_spans, toks[j].start, toks[j].end):
            j += 1
        if j < len(toks) and toks[j].low in {"of", "for"} and k.heads.get(head, {}).get("type") == "ceremony":
            cut = (e, j)
            e = j
    if e < len(toks) and toks[e].low in {"of", "on", "for"}:
        j = e + 1
        if j < len(toks) and toks[j].low == "the":
            j += 1
        end = _cap_run(toks, j, date_spans, person_spans)
        if end > j:
            e = end
        elif cut:
            e = cut[0]
            cut = None
    if e < len(toks) and toks[e].low == "at":
        j = e + 1
        if j < len(toks) and toks[j].low == "the":
            j += 1
        end = _cap_run(toks, j, date_spans, person_spans)
        if end > j:
            run = " ".join(t.text for t in toks[j:end])
            last = _match_head(toks, end - 1)
            if (last and last[1] == end) or run.lower() in k.locations:
                e = end
    return e, cut


_OCCASION = re.compile(r"\b(?P<act>launch|opening|completion|inauguration|groundbreaking|conclusion|unveiling|"
                       r"launching)\s+of\s+(?P<obj>(?:the\s+)?[^,;:\"“”]{3,140}?)\s+at\s+$", re.IGNORECASE)
# "co-chaired the plenary session of the U.S.-Brazil Commercial Dialogue": one sitting of a standing body
_SESSION_OF = re.compile(r"\b(?:plenary\s+session|plenary|session)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# "discussed the IPEF negotiations": a standing process named as what was talked about
_TOPIC_BEFORE = re.compile(r"\b(?:discussed|discuss|discussing|reviewed|review|reviewing|implementation of)"
                           r"\s+(?:the\s+)?(?:[^.;]{0,80},\s+(?:and\s+)?(?:the\s+)?)?$", re.IGNORECASE)
_SUBORDINATE = re.compile(r"(margins?|sidelines?|occasion|outcomes?|results?|part|ahead|run-up|preparation|"
                          r"implementation|implementing|follow-up)\s+of\s+(the\s+)?$|\bfor\s+(the\s+)?$|"
                          r"\bincluding\s+(an?|the)\s+$|\bat\s+the\s+$",
                          re.IGNORECASE)
_MARGINS = re.compile(r"(?:margins?|sidelines?|(?:opening|first)\s+day)\s+of\s+(the\s+)?$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _anchor_verb_re() -> re.Pattern:
    """An event verb right after a name ("..., which was held"): one pattern for all the anchor verbs
    (it matches where any one of the per-verb patterns would)."""
    verbs = knowledge().anchor_verbs
    alts = "|".join(re.escape(v) for v in verbs) if verbs else "(?!x)x"
    return re.compile(rf"\s*,?\s*(?:which|that)?\s*(?:was|were|is|will be)?\s*(?:{alts})\b")


def _sentence_mentions(sent: Sentence, entities: EntityResult, date_mentions: list[DateMention]) -> list[_Mention]:
    k = knowledge()
    toks = _tokens(sent.text)
    date_spans = [(d.start, d.end) for d in date_mentions if d.precision != "year"]
    person_spans = [(s.start - sent.start, s.end - sent.start) for s in entities.spans
                    if s.field == sent.field and s.entity_type == "person" and sent.start <= s.start < sent.end]
    out: list[_Mention] = []
    i = 0
    head_starts = k.head_starts
    while i < len(toks):
        low = toks[i].low
        # _match_head's first test inline: most words start no head
        hit = _match_head(toks, i) if low in head_starts or _possessive_head(low, k) else None
        if hit is None:
            i += 1
            continue
        head, he = hit
        if he < len(toks) and (_match_head(toks, he) is not None and toks[he].is_cap == toks[i].is_cap):
            i += 1  # "Ministerial Meeting": the later head ends the name
            continue
        if he < len(toks) and toks[he].low in k.followers:
            i = he
            continue
        head_cap = toks[i].text[0].isupper()
        if head_cap:
            # "Dialogue (SCCD) Semiconductor Forum": a head inside a longer capitalised name is not the end
            j = he + 1 if he < len(toks) and toks[he].is_acronym else he
            run_end = _cap_run(toks, j, date_spans, person_spans)
            if any(_match_head(toks, x) is not None for x in range(j, run_end)):
                i += 1
                continue
        first, bounded = _grow_left(toks, i, head_cap, date_spans, person_spans)
        # "the first Dialogue held in Washington", "the 3rd Dialogue": an ordinal and the capitalised head alone
        short_ordinal = head_cap and he - i == 1 and (first == i or first == i - 1) and i > 0 and \
            (toks[i - 1].low in ORDINALS or bool(_NUM_ORDINAL.fullmatch(toks[i - 1].low)))
        if short_ordinal:
            first = i - 1
        # a lower-case head with "meeting" used as a verb ("while meeting with")
        if not head_cap and head in {"meeting", "meetings"} and he < len(toks) and toks[he].low == "with":
            i = he
            continue
        bare = not head_cap and first == i and i > 0 and toks[i - 1].low in {"a", "an"}
        last, cut = _grow_right(toks, he, date_spans, person_spans, head, bare=bare)
        venue_prefix = ""
        if bare and last > he and toks[he].low == "at":
            # a gathering known only by its venue ("SK hynix unveiled the plant at a ceremony at Purdue
            # University this April") is an event when the sentence dates it and names its actor
            clause = max(sent.text.rfind(";", 0, toks[i].start), sent.text.rfind(", which", 0, toks[i].start) + 1,
                         0)
            orgs = [x for x in entities.spans if x.field == sent.field and x.entity_type == "organization" and
                    sent.start + clause <= x.start and x.end <= sent.start + toks[first].start]
            if not date_spans or not orgs:
                i = he
                continue
            venue_prefix = orgs[-1].text + " "
        while first < i and toks[first].low in CONNECTORS:
            first += 1
        name_toks = toks[first:last]
        if cut:
            name = sent.text[toks[first].start: toks[cut[0] - 1].end] + " " + \
                sent.text[toks[cut[1]].start: toks[last - 1].end]
            name_toks = toks[first:cut[0]] + toks[cut[1]:last]
        else:
            name = sent.text[toks[first].start: toks[last - 1].end]
        name = venue_prefix + name
        occasion = None
        if bare and not venue_prefix and last == he and date_spans and spec_of(head).get("type") == "ceremony":
            # "declared the official launch of negotiations to upgrade the FTA at a ceremony held in Seoul on
            # November 22": the ceremony is named by the act it marks
            occasion = _OCCASION.search(sent.text, 0, toks[i - 1].start)
            if occasion:
                name = f"{occasion.group('act').capitalize()} {head} of {occasion.group('obj').strip()}"
        inner = [t for t in name_toks[:i - first] + name_toks[he - first:]]
        proper = any(t.is_cap and t.low not in k.qualifiers for t in inner) or \
            (head_cap and any(t.is_cap for t in inner)) or occasion is not None
        det = toks[first - 1].low if first > 0 else ""
        # "the fourth round of negotiations": an ordinal names one occurrence of a standing process
        counted = bool(spec_of(head).get("standing")) and ordinal_of(name) is not None and \
            head in {"round", "rounds"} | {h for h, v in k.heads.items() if v["type"] == "negotiation_round"}
        backref = not proper and not counted and (det in {"the", "this", "that"} or (head_cap and first == i))
        if counted and not proper:
            proper = True
        if not proper and not backref:
            i = he
            continue
        spec = k.heads[head]
        if spec.get("capitalised_only") and not head_cap:
            i = he  # "last week": only a capitalised name ("Foreign Investment Week 2018") is an event
            continue
        # anchored: an ordinal in the name, or an event verb around it
        after = sent.text[toks[last - 1].end: toks[last - 1].end + 40].lower()
        before = sent.text[max(0, toks[first].start - 30): toks[first].start].lower()
        anchored = any(t.low in k.anchor_words or t.low in ORDINALS or _NUM_ORDINAL.fullmatch(t.low)
                       for t in name_toks) or \
            _anchor_verb_re().match(after) is not None or \
            bool(re.search(r"\b(held|hosted|co-hosted|convened|attended|launched|opened|organized|organised)"
                           r"\s+(?:the|a|an|its|their)?\s*$", before)) or \
            bool(_SESSION_OF.search(before))
        mention = _Mention(
            name=name, event_type=_type_for(head, name), head=head, sentence=sent,
            start=sent.start + toks[first].start, end=sent.start + toks[last - 1].end,
            proper=proper, backref=backref, standing=bool(spec.get("standing")), anchored=anchored,
        )
        if short_ordinal and last == he:
            mention.short_ordinal, mention.proper, mention.backref = True, False, True
        mention.subordinate = bool(_SUBORDINATE.search(sent.text[max(0, toks[first].start - 40): toks[first].start]))
        out.append(mention)
        i = last
    return out


# --------------------------------------------------------------------------- attributes

# words that keep a date from the event before/after them (a release's own dateline: "FOR IMMEDIATE RELEASE")
_GAP_BLOCK = re.compile(r";|\bimmediate release\b|\band\b|\bbut\b|\bwhile\b|\bwhereas\b|[\"“”]|\bincluding\b|"
                        r"\bsuch as\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")  # every _ATTENDEES match has one
_ATTENDEES = re.compile(
    r"(?:(?:approximately|about|around|over|more than|some|nearly|almost|roughly|up to|with)\s+)?"
    r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s+(?:[a-z-]+\s+){0,2}?"
    r"(?P<w>persons|people|participants|attendees|guests|delegates|visitors|officials)\b",
    re.IGNORECASE,
)


# "hold the 3rd Dialogue in Washington next year": only a place between the event and its date
_PLACE_GAP = re.compile(
    r"(?:\s+(?:(?:is|are|was|were)\s+(?:expected|scheduled|set|due|planned)\s+to\s+|will\s+|to\s+)"
    r"(?:take\s+place|be\s+held|convene))?"
    r"(?:\s+(?:in|at)\s+(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3},?)?(?:\s+(?:early|late|mid))?\s+")
_SINCE = re.compile(r"\b(?:since|until|till)\s+$", re.IGNORECASE)


def _attach_date(m: _Mention, mentions_in_sentence: list[_Mention], dates: list[DateMention], first_event: bool):
    s, e = m.start - m.sentence.start, m.end - m.sentence.start
    text = m.sentence.text
    others = [(o.start - m.sentence.start, o.end - m.sentence.start) for o in mentions_in_sentence if o is not m]

    def blocked(a: int, b: int) -> bool:
        return _overlaps(others, a, b) or bool(_GAP_BLOCK.search(text[a:b]))

    # "the first meeting of the Dialogue since 2019": a period's start is not the event's date
    dates = [d for d in dates if not _SINCE.search(text[max(0, d.start - 12): d.start])]
    inside = [d for d in dates if s <= d.start and d.end <= e]
    if inside:
        m.date = inside[0]
        return
    after = [d for d in dates if d.start >= e and (d.start - e <= (12 if d.precision == "year" else 90) or
                                                   _PLACE_GAP.fullmatch(text, e, d.start))
             and not blocked(e, d.start)]
    if after:
        m.date = after[0]
        return
    before = [d for d in dates if d.end <= s and s - d.end <= (6 if d.precision == "year" else 45)
              and not blocked(d.end, s)]
    if before:
        m.date = before[-1]
        return
    today_words = [d for d in dates if d.end <= s and d.text.lower() in _TODAY_WORDS and s - d.end <= 160
                   and not _overlaps(others, d.end, s)]
    if today_words:
        m.date = today_words[-1]  # "Today, U.S. Deputy Secretary ... hosted a roundtable with ..."
        return
    if first_event and dates and dates[0].start < 12 and dates[0].end <= s and dates[0].precision != "year":
        m.date = dates[0]  # "Today, ... held the second ... Meeting." / "On June 3, ..."
        return
    pre = text[max(0, s - 40): s]
    if _MARGINS.search(pre):
        main = [d for d in dates if d.end <= s and d.precision == "day"]
        if main:
            m.date = main[-1]


def _attach_city(m: _Mention, mentions_in_sentence: list[_Mention], first_event: bool):
    s, e = m.start - m.sentence.start, m.end - m.sentence.start
    text = m.sentence.text
    hit = find_location(m.name)
    if hit:
        m.city = hit
        return
    nxt = min([o.start - m.sentence.start for o in mentions_in_sentence if o.start > m.start] + [len(text)])
    window = text[e: min(nxt, e + 120)]
    loc = re.search(r"(?:\bin|\bat|[–—-])\s+(?:the\s+)?(.{0,60})", window)
    if loc:
        for lm in re.finditer(r"(?:\bin|\bat|[–—-])\s+", window):
            hit = find_location(window[lm.end(): lm.end() + 40].split(" on ")[0])
            if hit and window[lm.end():].lower().startswith(hit[0].lower().split()[0]):
                m.city = hit
                return
            if hit and re.match(r"[A-Z]", window[lm.end():]):
                cand = find_location(window[lm.end(): lm.end() + 25])
                if cand and window[lm.end():lm.end() + 25].lower().find(cand[0].lower().split()[0]) <= 12:
                    m.city = cand
                    return
    if first_event:
        head = text[:s]
        locs = [x for x in knowledge().location_re.finditer(head) if x.group(0)[0].isupper()]
        for x in locs:
            pre = head[max(0, x.start() - 4): x.start()]
            if re.search(r"(\bin|\bat)\s+$", pre) or x.group(0).isupper() or x.start() < 3:
                m.city = knowledge().locations[x.group(0).lower()]
                return


def _participants(m: _Mention, entities: EntityResult, whole_sentence: bool) -> list[tuple[str, str]]:
    sent = m.sentence
    lo, hi = (sent.start, sent.end) if whole_sentence else (m.start, m.end)
    out: list[tuple[str, str]] = []
    for sp in entities.spans:
        if sp.field == sent.field and lo <= sp.start and sp.end <= hi:
            pair = (sp.entity_type, sp.entity_id)
            if pair not in out:
                out.append(pair)
    for code in sorted(countries_in_name(m.name)):
        if ("country", code) not in out:
            out.append(("country", code))
    return out


# --------------------------------------------------------------------------- meetings between officials

_MEETING_KIND = r"(?:(?:bilateral|ministerial|ministers['’]|high-level|summit|trilateral|separate)\s+)?"
_MET = re.compile(
    r"\b(?:met|meets|meet|held talks|holds talks|had talks|"
    rf"(?:held|had|holds|has|hold) (?:an?|their) {_MEETING_KIND}(?:meeting|talks|summit)|"
    r"(?<=['’]s )[Mm]eeting|(?<=['’] )[Mm]eeting)(?:\s+with)?\b")
_MET_WORDS = ("met", "meet", "eeting", "talks", "summit")  # one of them is in every _MET match
_JOINT_VERB = re.compile(r"held|had|holds|has|hold")
_BETWEEN_SUBJECTS = re.compile(r"^(?:,[^,;.]{0,120},)?\s*(?:and|&)\s+(?:[^,;.]{0,60}?\s)?$")
_TODAY_WORDS = {"today", "yesterday", "earlier today", "this morning", "this afternoon"}


def _subjects(spans: list[EntitySpan], text: str, sent: Sentence, clause_start: int, v0: int) -> list[EntitySpan]:
    """The people who are the subject of a verb at v0: the last person named before it, and those joined
    to it by "and" ("Minister A and B, Germany's Vice-Chancellor, held a meeting")."""
    cand = [s for s in spans if s.entity_type == "person" and clause_start <= s.start and s.end <= v0]
    if not cand:
        return []
    out = [cand[-1]]
    for sp in reversed(cand[:-1]):
        between = text[sp.end - sent.start: out[0].start - sent.start]
        if sp.entity_id == out[0].entity_id or not _BETWEEN_SUBJECTS.match(between):
            break
        out.insert(0, sp)
    return out


_BARE_TITLE = re.compile(r"\b(?:the|The)\s+(?P<t>Secretary|Minister|President|Prime Minister|Chancellor|Ambassador|"
                         r"Governor|Chairman|Chairwoman|Premier)\b(?:\s+(?:and|&)\s+(?:the\s+)?[\w\s-]{1,40}?)?\s*"
                         r"(?:also\s+|then\s+|later\s+)?$")
_TITLED_NAME = re.compile(
    r"\s*(?:[A-Z][a-z]+['’]s\s+)?(?:(?:Vice|Deputy|Prime|Under|State|Foreign|Trade)\s+)?(?:President|Minister|Secretary|"
    r"Chancellor|Ambassador|Governor|Chairman|Chairwoman|Premier|Commissioner)"
    r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w&-]*(?:\s+(?:and|of|for|the|&|[A-Z][\w&-]*))*?)?\s+"
    r"(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})\b")


def _titled_subject(sent: Sentence, clause_start: int, v0: int, people_list) -> list[EntitySpan]:
    """ "The Secretary and the delegation met with ...": a bare title as subject is the person of the document
    who holds it (a title is a mention of the person already named)."""
    m = _BARE_TITLE.search(sent.text[clause_start - sent.start: v0 - sent.start])
    if not m:
        return []
    word = m.group("t").lower()
    holders = [p for p in people_list if p.title and p.title.lower().split()[0] == word.split()[0]]
    holders.sort(key=lambda p: (p.country_code is None, len(p.full_name.split()) < 2))
    if not holders:
        return []
    a = clause_start + m.start("t")
    return [EntitySpan("person", holders[0].person_id, sent.field, a, a + len(m.group("t")), m.group("t"))]


def _titled_object(sent: Sentence, v1: int, stop: int, spans: list[EntitySpan]) -> list[EntitySpan]:
    """ "held a bilateral meeting with Secretary of Trade and Industry Alfredo Pascual": a titled name right
    after "with" that entity recognition left out is still the other principal."""
    m = _TITLED_NAME.match(sent.text, v1 - sent.start)
    if not m or sent.start + m.end() > stop:
        return []
    a, b = sent.start + m.start("name"), sent.start + m.end("name")
    if any(x.entity_type == "person" and x.start < b and a < x.end for x in spans):
        return []
    return [EntitySpan("person", "~" + m.group("name"), sent.field, a, b, m.group("name"))]


def _titled_name(people: dict, sp: EntitySpan) -> str:
    """ "Secretary Gina Raimondo", "Prime Minister Kishida Fumio": a principal with the head of their title."""
    p = people.get(sp.entity_id)
    if p is None:
        return sp.text
    title = re.split(r"\s+(?:of|for|to)\s+|,", p.title or "")[0].strip()
    return f"{title} {p.full_name}".strip()


def _principals(people: dict, spans: list[EntitySpan]) -> str:
    """ "Sung–Ross": the family names of a meeting's principals, in the order the text names them."""
    names: list[str] = []
    for sp in spans:
        p = people.get(sp.entity_id)
        fam = (p.family_name if p and p.family_name else sp.text.split()[-1]).strip()
        if fam and fam not in names:
            names.append(fam)
    return "–".join(names)


def _meeting_mentions(sent: Sentence, entities: EntityResult, dates: list[DateMention],
                      existing: list[_Mention]) -> list[_Mention]:
    out: list[_Mention] = []
    if not any(w in sent.text for w in _MET_WORDS):
        return out
    people = {p.person_id: p for p in entities.people}
    spans = sorted((s for s in entities.spans if s.field == sent.field and sent.start <= s.start < sent.end),
                   key=lambda s: s.start)
    for vm in _MET.finditer(sent.text):
        v0, v1 = sent.start + vm.start(), sent.start + vm.end()
        rest = sent.text[vm.end():]
        if re.match(r"\s*(?:in\s+\w+(?:\s+\w+)?\s+)?(?:today\s+)?(?:for|at)\s+the\b", rest) and \
                not re.match(r"\s*(?:with\s+)?[A-Z]", rest):
            continue  # "met in Washington today for the inaugural meeting": the meeting is named elsewhere
        clause_start = sent.start + max(sent.text.rfind(";", 0, vm.start()) + 1, 0)
        subj = _subjects(spans, sent.text, sent, clause_start, v0) or \
            _titled_subject(sent, clause_start, v0, entities.people)
        stop = sent.end
        for d in dates:
            if sent.start + d.start > v1:
                stop = min(stop, sent.start + d.start)
                break
        for o in existing:
            if o.start > v1:
                stop = min(stop, o.start)
        m2 = re.search(r"\b(?:and|to)\s+(?:discuss|discussed|agreed|exchanged|reviewed|adopted|signed)\b",
                       sent.text[vm.end():])
        if m2:
            stop = min(stop, v1 + m2.start())
        m3 = re.search(r";|\b(?:who|which|where)\b", sent.text[vm.end():])
        if m3:
            stop = min(stop, v1 + m3.start())
        obj = [s for s in spans if s.entity_type == "person" and v1 <= s.start and s.end <= stop]
        if not subj:
            continue
        subj_ids = {s.entity_id for s in subj}
        obj = [s for s in obj if s.entity_id not in subj_ids]
        if not obj and vm.group(0).endswith("with"):
            obj = _titled_object(sent, v1, stop, spans)
        joint = _JOINT_VERB.match(vm.group(0)) or re.fullmatch(r"met|meet|meets", vm.group(0))
        if not obj and not (len(subj_ids) >= 2 and joint):
            continue

        def country(sp: EntitySpan, lo: int, stop: int = stop) -> str | None:
            p = people.get(sp.entity_id)
            if p and p.country_code:
                return p.country_code
            near = [c for c in spans if c.entity_type == "country" and lo <= c.start < sp.start]
            if near:
                return near[-1].entity_id
            # "Secretary of Trade and Industry Alfredo Pascual of the Philippine Department of ..."
            after = [c for c in spans if c.entity_type == "country" and sp.end <= c.start < min(stop, sp.end + 40)
                     and re.match(r"\s*(?:,\s*)?(?:of|from)\s+(?:the\s+)?$", sent.text[sp.end - sent.start:
                                                                                     c.start - sent.start])]
            return after[0].entity_id if after else None

        c1 = [c for c in (country(s, clause_start) for s in subj) if c]
        c2 = [c for c in (country(s, v1) for s in obj) if c]
        codes: list[str] = []
        for c in c1 + c2:
            if c not in codes:
                codes.append(c)
        principals = _principals(people, subj + obj)
        if len(codes) < 2 and "–" not in principals:
            continue
        titles = " ".join((people[s.entity_id].title or "") if s.entity_id in people else "" for s in subj + obj)
        region = sent.text[max(0, subj[0].start - sent.start - 60): stop - sent.start]
        ministers = bool(re.search(r"minister|secretary", titles + " " + region, re.IGNORECASE))
        if len(codes) < 2:
            # the principals' countries are not written: "Prime Minister Kishida's meeting with President Biden"
            kind = "bilateral meeting" if "bilateral" in vm.group(0).lower() else "meeting"
            name = f"{kind[0].upper()}{kind[1:]} of {_titled_name(people, subj[0])} with " + \
                " and ".join(_titled_name(people, o) for o in obj) if obj else f"{principals} {kind}"
        else:
            label = "-".join(SHORT_COUNTRY.get(c, _country_name(c)) for c in codes)
            name = f"{label} {'ministers’ meeting' if ministers else 'meeting'}"
            if "–" in principals:
                name += f" ({principals})"
        etype = "bilateral_meeting" if len(codes) <= 2 else "ministerial_meeting"
        m = _Mention(name=name, event_type=etype, head="meeting", sentence=sent, start=v0, end=v1,
                     proper=True, backref=False, standing=False, anchored=True, from_meeting_verb=True)
        later = [d for d in dates if sent.start + d.start >= v1 and d.precision != "year"]
        lead = subj[0].start - sent.start
        before = [d for d in dates if d.end <= lead and (lead - d.end <= 40 or d.text.lower() in _TODAY_WORDS)
                  and d.precision == "day"]
        if later and sent.start + later[0].start - v1 <= 160:
            m.date = later[0]
        elif dates and dates[0].start < 12:
            m.date = dates[0]
        elif before:
            m.date = before[-1]
        m.participants = [("person", s.entity_id) for s in subj + obj if not s.entity_id.startswith("~")] + \
            [("country", c) for c in codes]
        for s in subj + obj:
            p = people.get(s.entity_id)
            if p and p.organization_id and ("organization", p.organization_id) not in m.participants:
                m.participants.append(("organization", p.organization_id))
        window = sent.text[vm.end(): vm.end() + 160]
        for lm in re.finditer(r"\b(?:in|at)\s+", window):
            hit = find_location(window[lm.end(): lm.end() + 30])
            if hit and window[lm.end():].lower().startswith(hit[0].lower().split()[0][:4]):
                m.city = hit
                break
        out.append(m)
    return out


def _country_name(code: str) -> str:
    c = pycountry.countries.get(alpha_3=code)
    return getattr(c, "common_name", None) or (c.name if c else code)


# --------------------------------------------------------------------------- visits, signings, sessions

_VISIT_WORD = re.compile(r"visit", re.IGNORECASE)  # in every _VISIT match
_VISIT = re.compile(r"\b(?P<kind>state|official|working|royal)\s+visits?\s+(?:(?P<of>of)\s+|to\s+)", re.IGNORECASE)
_VISITOR_TITLES = re.compile(
    r"((?:[A-Z][A-Za-z.]*\s+){0,2}(?:President|Prime Minister|King|Queen|Crown Prince|Chancellor|Emir|Sultan|"
    r"Premier|Vice President|Prince|Sheikh|Governor|Chairman))\s+$")
_PLACE = re.compile(r"(?:the\s+)?((?:[A-Z][\w.'’-]*)(?:\s+(?:[A-Z][\w.'’-]*|of|and)){0,3})")


def _person_with_title(sent: Sentence, sp: EntitySpan, people: dict) -> str:
    p = people.get(sp.entity_id)
    full = p.full_name if p else sp.text
    if p and len(full.split()) < len(sp.text.split()):
        full = sp.text
    pre = sent.text[:sp.start - sent.start]
    m = _VISITOR_TITLES.search(pre)
    return f"{m.group(1)} {full}" if m else full


# "during his state visit", "during the April 2023 state visit to Washington"
_VISIT_LEAD = re.compile(r"\b(?:during|on|for|ahead of|after)\s+(?:an?|his|her|their|the)\s+"
                         r"(?:[A-Z][a-z]+\.?\s+(?:[0-3]?\d,?\s+)?(?:(?:19|20)\d\d\s+)?|(?:19|20)\d\d\s+)?$")
_DAY_RANGE = re.compile(r"\d\s*(?:-|–|to|and)\s*\d")


def _visit_mentions(sent: Sentence, entities: EntityResult, dates: list[DateMention]) -> list[_Mention]:
    """ "President X's state visit to Saudi Arabia", "the state visit of President X to London",
    "President X, who was on a state visit to Korea": one visit by a named person to a named place."""
    out: list[_Mention] = []
    if not _VISIT_WORD.search(sent.text):
        return out
    people = {p.person_id: p for p in entities.people}
    persons = sorted((s for s in entities.spans if s.entity_type == "person" and s.field == sent.field and
                      sent.start <= s.start < sent.end), key=lambda s: s.start)
    for vm in _VISIT.finditer(sent.text):
        visitor: EntitySpan | None = None
        rest_off = vm.end()
        if vm.group("of"):
            visitor = next((sp for sp in persons if 0 <= sp.start - sent.start - vm.end() <= 30), None)
            if visitor is None:
                continue
            after_person = sent.text[visitor.end - sent.start:]
            to = re.match(r"\s+to\s+", after_person)
            if not to:
                continue
            rest_off = visitor.end - sent.start + to.end()
        else:
            pre = sent.text[:vm.start()]
            poss = re.search(r"['’]s\s+$", pre)
            who = re.search(r",\s+who\s+(?:was|is|were|are)\s+(?:on|making|paying)\s+(?:an?|his|her|their)\s+$", pre)
            lead = _VISIT_LEAD.search(pre)
            end_at = None
            if poss:
                end_at = poss.start()
            elif who:
                end_at = who.start()
            if end_at is not None:
                visitor = next((sp for sp in reversed(persons) if 0 <= end_at - (sp.end - sent.start) <= 2), None)
            elif lead:
                near = [sp for sp in persons if sp.end - sent.start <= vm.start()]
                visitor = near[-1] if near and vm.start() - (near[-1].end - sent.start) <= 60 else None
            if visitor is None:
                continue
        pm = _PLACE.match(sent.text, rest_off)
        if not pm:
            continue
        place = pm.group(1).rstrip(".,")
        if re.search(r"\s(?:of|and)$", place):
            place = re.sub(r"\s(?:of|and)$", "", place)
        loc = find_location(place)
        if loc and country_of_word(place) is None:
            place = f"{place}, {SHORT_COUNTRY.get(loc[1], _country_name(loc[1]))}"
        name = f"{vm.group('kind').capitalize()} visit of {_person_with_title(sent, visitor, people)} to {place}"
        v0 = sent.start + min(vm.start(), visitor.start - sent.start)
        v1 = sent.start + pm.end()
        m = _Mention(name=name, event_type="visit", head="visit", sentence=sent, start=v0, end=v1, proper=True,
                     backref=False, standing=False, anchored=True, from_meeting_verb=True)
        e = pm.end()
        after = [d for d in dates if 0 <= d.start - e <= 30]
        before = [d for d in dates if d.end <= vm.start()]
        d = after[0] if after else (before[-1] if before else None)
        if d is not None:
            # a visit lasts days: the month is what the text reliably gives, unless it gives the span of
            # days ("from December 11 to 14"), whose first day is the visit's start
            if d.precision == "day" and not _DAY_RANGE.search(d.text):
                d = DateMention(d.start, d.end, d.value.replace(day=1), "month", d.text)
            m.date = d
        m.participants = [("person", visitor.entity_id)]
        if loc:
            m.city = loc
        out.append(m)
    return out


_SITE_VISIT = re.compile(
    r"\b(?:visited|toured)\s+(?:the\s+)?(?:(?P<fac1>headquarters|plant|factory|campus|facility|facilities|site|"
    r"fab|laboratory|research\s+center|R&D\s+center|shipyard)\s+of\s+(?P<org1>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})"
    r"|(?P<org2>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})['’]s\s+(?:new\s+)?(?P<fac2>headquarters|plant|factory|"
    r"campus|facility|facilities|site|fab|laboratory|research\s+center|R&D\s+center|shipyard))"
    r"(?:\s+in\s+(?P<place>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?))?")


def _site_visit_mentions(sent: Sentence, entities: EntityResult, dates: list[DateMention]) -> list[_Mention]:
    """ "On December 12, President Yoon and Minister Lee visited the headquarters of ASML in Veldhoven":
    named officials visiting a company's site on a given day."""
    out = []
    day_dates = [d for d in dates if d.precision == "day"]
    if not day_dates or "visited" not in sent.text and "toured" not in sent.text:
        return out
    for vm in _SITE_VISIT.finditer(sent.text):
        clause_start = sent.start + max(sent.text.rfind(";", 0, vm.start()) + 1, 0)
        spans = sorted((x for x in entities.spans if x.field == sent.field and sent.start <= x.start < sent.end),
                       key=lambda x: x.start)
        if not _subjects(spans, sent.text, sent, clause_start, sent.start + vm.start()):
            continue
        org = (vm.group("org1") or vm.group("org2")).strip()
        facility = (vm.group("fac1") or vm.group("fac2")).strip()
        place = (vm.group("place") or "").rstrip(".")
        name = f"Visit to {org} {facility}" + (f" in {place}" if place else "")
        m = _Mention(name=name, event_type="visit", head="visit", sentence=sent, start=sent.start + vm.start(),
                     end=sent.start + vm.end(), proper=True, backref=False, standing=False, anchored=True,
                     from_meeting_verb=True)
        near = min(day_dates, key=lambda d: abs(d.start - vm.start()))
        m.date = near
        if place:
            m.city = find_location(place)
        m.participants = [(x.entity_type, x.entity_id) for x in spans if x.end <= sent.start + vm.end()]
        out.append(m)
    return out


_SIGN_TITLE = re.compile(r"\b(?:sign|signs|signed|signing|ink|inks|inked)\b", re.IGNORECASE)
_SIGNED = re.compile(r"\b(?:signed|sign|inked)\s+(?:(?:an?|the|two|three|\d+)\s+)?", re.IGNORECASE)
_INSTRUMENT = re.compile(
    r"(?P<cap>(?:[A-Z][\w&.'’-]*\s+){0,8}?(?:Agreement|Memorandum of Understanding|Treaty|Accord|Declaration|"
    r"Charter|Protocol|Arrangement|Letter of Intent|Partnership Agreement)(?:\s+\((?P<acr>[A-Za-z]{2,10})\))?)|"
    r"(?P<low>MOUs?|MoUs?|memorand(?:um|a) of understanding|LOIs?|letters? of intent|agreements?|contracts?|"
    r"treaty|joint declaration|declaration)")


def _instrument_label(m: re.Match) -> str:
    if m.group("cap"):
        return m.group("acr") or m.group("cap").strip()
    low = m.group("low").lower()
    if low.startswith(("mou", "memorand")):
        return "MOU"
    if low.startswith(("loi", "letter")):
        return "LOI"
    return re.sub(r"s$", "", low)


def _signing_mention(doc: Document, sentences: list[Sentence], entities: EntityResult,
                     dates_of: dict[int, list[DateMention]], found: list[_Mention]) -> _Mention | None:
    """When a release is about a signing (its title says so, or its text speaks of a signing ceremony),
    the first signing it reports is an event: "Korea-Poland MOU signing ceremony"."""
    body = [x for x in sentences if x.field == "body"]
    # ... or its lead reports a signing ("Minister A and Cabinet Secretary B signed a joint declaration on ...")
    if not (_SIGN_TITLE.search(doc.title) or re.search(r"signing ceremony", doc.body, re.IGNORECASE) or
            (body and _SIGNED.search(body[0].text))):
        return None
    people = {p.person_id: p for p in entities.people}
    for si, sent in enumerate(body):
        for sm in _SIGNED.finditer(sent.text):
            if re.match(r"\s*(?:at|during|on the sidelines of)\s", sent.text[sm.end():]):
                continue
            im = _INSTRUMENT.match(sent.text, sm.end())
            if not im:
                continue
            tail = sent.text[im.end(): im.end() + 160]
            at_event = [o for o in found if o.sentence is sent and o.start >= sent.start + im.end() and
                        re.search(r"\b(?:at|during)\s+(?:the\s+)?$", sent.text[:o.start - sent.start][-20:])]
            if at_event and not at_event[0].from_meeting_verb:
                return None  # signed at a named forum or summit: that event is the occasion
            if _signed_at_meeting(sent, body[si - 1] if si else None, sm.start(), found, dates_of):
                return None  # "held a ministerial meeting ... and signed an MOU": the meeting is the event
            clause_start = sent.start + max(sent.text.rfind(";", 0, sm.start()) + 1, 0)
            v0 = sent.start + sm.start()
            spans = sorted((x for x in entities.spans if x.field == "body" and sent.start <= x.start < sent.end),
                           key=lambda x: x.start)
            subj = _subjects(spans, sent.text, sent, clause_start, v0)
            codes: list[str] = []
            for sp in subj:
                p = people.get(sp.entity_id)
                if p and p.country_code and p.country_code not in codes:
                    codes.append(p.country_code)
            instrument = _instrument_label(im)
            in_name = countries_in_name(im.group(0))
            if len(codes) < 2:
                title_codes = [x.entity_id for x in entities.spans if x.field == "title" and
                               x.entity_type == "country"]
                for c in title_codes:
                    if c not in codes:
                        codes.append(c)
            orgs = list({x.entity_id: x for x in reversed(
                [x for x in spans if x.entity_type == "organization" and clause_start <= x.start and x.end <= v0]
            )}.values())[::-1]
            if len(in_name) >= 2 and im.group("cap"):
                label = "-".join(SHORT_COUNTRY.get(c, _country_name(c)) for c in codes if c in in_name) or \
                    "-".join(sorted(in_name))
            elif not subj and len(orgs) >= 2:
                label = "–".join(dict.fromkeys(o.text for o in orgs))
            elif len(codes) >= 2:
                label = "-".join(SHORT_COUNTRY.get(c, _country_name(c)) for c in codes)
            else:
                continue
            topic = _instrument_topic(sent.text, im.end(), dates_of.get(id(sent), []))
            name = f"{label} {instrument} {topic + ' ' if topic else ''}signing ceremony"
            dates = dates_of.get(id(sent), [])
            e = im.end()
            after = [d for d in dates if d.start >= sm.start() and d.start - e <= 250 and d.precision != "year"
                     and not re.search(r";|\b(?:which|who|whose)\b", sent.text[e:d.start])]
            # "Today, ..." / "On the same day, X and Y signed ...": a date opening the sentence
            before = [d for d in dates if d.end <= sm.start() and (d.text.lower() in _TODAY_WORDS or
                                                                   (d.start < 8 and d.precision == "day"))]
            m = _Mention(name=name, event_type="signing", head="ceremony", sentence=sent, start=v0,
                         end=sent.start + im.end(), proper=True, backref=False, standing=False, anchored=True,
                         from_meeting_verb=True)
            m.date = after[0] if after else (before[-1] if before else None)
            m.participants = [("person", x.entity_id) for x in subj] + [("country", c) for c in codes] + \
                [("organization", o.entity_id) for o in orgs]
            loc = re.search(r"\bin\s+([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)", tail[:80])
            if loc:
                m.city = find_location(loc.group(1))
            return m
    return None


_TOPIC_STOPS = re.compile(r"\s+(?:between|with|among|by|under|in\s+(?=[A-Z])|at\s+(?=[A-Z])|which|that|who|to\s+"
                          r"(?:be|the)\b|and\s+(?:agreed|discussed|said|will)\b)|[;:.()\"“”]|,\s+(?=[A-Z])")


def _instrument_topic(text: str, pos: int, dates: list[DateMention]) -> str:
    """ "an MOU on critical minerals supply chains, clean energy transition and energy security between ...":
    what the instrument is about, as far as its own phrase goes."""
    m = re.match(r"\s+(?:\([A-Za-z]{2,10}\)\s+)?(on|for|regarding|concerning)\s+", text[pos:])
    if not m:
        return ""
    start = pos + m.end()
    end = min([d.start for d in dates if d.start >= start] + [len(text)])
    stop = _TOPIC_STOPS.search(text, start, end)
    if stop:
        end = stop.start()
    words = text[start:end].split()[:14]
    while words and words[-1].lower().strip(",") in {"on", "in", "at", "and", "of", "for", "the", "a", "to"}:
        words.pop()
    return f"{m.group(1)} {' '.join(words).rstrip(',')}" if words else ""


def _signed_at_meeting(sent: Sentence, prev: Sentence | None, verb: int, found: list[_Mention],
                       dates_of: dict[int, list[DateMention]]) -> bool:
    """A signing reported as part of a meeting: the meeting named in the same sentence before the verb,
    or in the sentence before when the signing sentence gives no date of its own."""
    def meeting(m: _Mention) -> bool:
        return _family(m.event_type) == "meeting" and not m.backref
    if any(m.sentence is sent and m.start < sent.start + verb and meeting(m) for m in found):
        return True
    own = [d for d in dates_of.get(id(sent), []) if d.precision != "year"]
    return prev is not None and not own and any(m.sentence is prev and meeting(m) for m in found)


_SESSION = re.compile(
    r"(?P<name>(?:[A-Z][\w&.'’-]*\s+)(?:(?:[A-Z][\w&.'’-]*|and|of|for|on|&)\s+){0,7}?[A-Z][\w&.'’-]*?)"
    r"(?:['’]s|,\s+whose|,\s+of\s+which\s+the|\s+(?:held|holds|hosted|convened|opened)\s+its)\s+(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth|tenth|inaugural|\d+(?:st|nd|rd|th))\s+(?P<head>meeting|session|plenary|round|edition|gathering)\b")


_SESSION_HEADS = ("meeting", "session", "plenary", "round", "edition", "gathering")  # _SESSION's heads


def _session_mentions(sent: Sentence, dates: list[DateMention], existing: list[_Mention]) -> list[_Mention]:
    """ "the Korea-Germany Energy Partnership, whose second meeting was held in Seoul last November":
    the numbered meeting of a named standing body is an event."""
    out: list[_Mention] = []
    if not any(h in sent.text for h in _SESSION_HEADS):
        return out  # the pattern is slow and rarely matches: run it only when a head word is there
    for sm in _SESSION.finditer(sent.text):
        body = sm.group("name").strip()
        body = re.sub(r"^(?:The|A|An|This|Its|Their)\s+", "", body)
        if not body or not any(c.isupper() for c in body):
            continue
        name = f"{sm.group('ord')} {body} {sm.group('head')}"
        etype = _type_for("meeting", name) if sm.group("head") != "round" else "negotiation_round"
        if etype == "meeting":
            etype = "other"
        s0, s1 = sent.start + sm.start("name"), sent.start + sm.end()
        if any(o.start <= s0 < o.end and o.from_meeting_verb for o in existing):
            continue
        m = _Mention(name=name, event_type=etype, head=sm.group("head"), sentence=sent, start=s0, end=s1,
                     proper=True, backref=False, standing=False, anchored=True, from_meeting_verb=True)
        e = sm.end()
        after = [d for d in dates if 0 <= d.start - e <= 60 and not _GAP_BLOCK.search(sent.text[e:d.start])]
        # "On Monday, the X Working Group held its second meeting": a date opening the sentence
        lead = [d for d in dates if d.start < 12 and d.end <= sm.start() and d.precision != "year"]
        if after:
            m.date = after[0]
        elif lead:
            m.date = lead[0]
        tail = sent.text[e:e + 60]
        loc = re.search(r"\bin\s+([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)", tail)
        if loc:
            m.city = find_location(loc.group(1))
        out.append(m)
    return out


_SAME_DAY = re.compile(r"^(?:\W*\w+\W+){0,3}?(?:on\s+the\s+same\s+day|the\s+same\s+day|on\s+that\s+day|that\s+day|"
                       r"later\s+that\s+day|earlier\s+that\s+day|in\s+the\s+(?:afternoon|morning|evening)|"
                       r"that\s+(?:afternoon|morning|evening)|later\s+in\s+the\s+day|at\s+the\s+same\s+(?:event|venue))\b",
                       re.IGNORECASE)


# --------------------------------------------------------------------------- merging

def _dates_compatible(a: DateMention | None, b: DateMention | None) -> bool:
    if a is None or b is None:
        return True
    n = {"day": 10, "month": 7, "year": 4}[min(a.precision, b.precision, key=lambda p: {"day": 3, "month": 2,
                                                                                         "year": 1}[p])]
    return a.value.isoformat()[:n] == b.value.isoformat()[:n]


def _family(t: str) -> str:
    return "meeting" if t in MEETING_FAMILY else t


@dataclass
class _Local:
    mentions: list[_Mention]

    @property
    def best(self) -> _Mention:
        named = [m for m in self.mentions if not m.backref]
        return max(named, key=lambda m: (m.proper, len(name_tokens(m.name)), len(m.name), m.field == "body"))

    @property
    def event_type(self) -> str:
        types = [m.event_type for m in self.mentions if not m.backref]
        for t in types:
            if t not in {"meeting", "dialogue"}:
                return t
        return types[0]

    @property
    def date(self) -> DateMention | None:
        dated = [m for m in self.mentions if m.date is not None]
        if not dated:
            return None
        rank = {"day": 3, "month": 2, "year": 1}
        # "signed ... on June 5, on the sidelines of the Summit": the date of a side reference ranks last
        return max(dated, key=lambda m: (rank[m.date.precision], not m.subordinate)).date


def _base_name(name: str) -> str:
    """An event name without its principals suffix ("Korea-U.S. ministers’ meeting (Sung–Ross)")."""
    return re.sub(r"\s*\([^()]*–[^()]*\)$", "", name)


_ROUND_NAME = re.compile(r"^(?P<ord>\S+)\s+(?P<head>rounds?\s+of\s+(?:the\s+)?(?P<mod>(?:[a-z][\w-]*\s+){0,2}?)"
                         r"(?:negotiations?|talks|consultations?))"
                         r"(?P<rest>\s+(?:on|to|for|over)\s+.+)?$", re.IGNORECASE)


_BARE_ROUND = re.compile(r"^\S+\s+round$", re.IGNORECASE)


def _complete_rounds(mentions: list[_Mention]) -> None:
    """ "the second round of negotiations" continues the negotiations the text named before
    ("the first round of negotiations to upgrade the FTA"): it takes their subject."""
    subject = None
    for m in mentions:
        rm = _ROUND_NAME.match(m.name)
        if not rm:
            continue
        rest = rm.group("rest") or ""
        if (rest or rm.group("mod")) and (subject is None or len(rest) + len(rm.group("head")) >
                                          len(subject[1]) + len(subject[0])):
            subject = (rm.group("head"), rest)
    if subject is None:
        return
    for m in mentions:
        rm = _ROUND_NAME.match(m.name)
        if rm and not rm.group("rest") and ordinal_of(m.name) and subject[1]:
            m.name = f"{rm.group('ord')} {rm.group('head')}{subject[1]}"
        elif _BARE_ROUND.match(m.name) and ordinal_of(m.name):
            # "Building on the 10th round held in New Delhi": the round of the negotiations named before
            m.name = f"{m.name.split()[0]} {subject[0]}{subject[1]}"


_OF_THE_HEAD = re.compile(r"\b(?:of|at|under)\s+the\s+(?P<head>[A-Z][a-z]+)$")


_TRAILING_ACRONYM = re.compile(r"\s*\([A-Za-z&]{2,12}\)$")
_LEADING_ORDINAL = re.compile(r"^(?:(?:19|20)\d\d|\d{1,3}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|"
                              r"seventh|eighth|ninth|tenth|inaugural)\s+", re.IGNORECASE)


def _expand_short_references(mentions: list[_Mention]) -> None:
    """ "the first ministerial-level meeting of the Dialogue": the capitalised head alone is the text's short
    reference to the body it named before ("the U.S.-India Commercial Dialogue"): the name takes it in full."""
    for idx, m in enumerate(mentions):
        if m.short_ordinal:
            full = [o for o in mentions[:idx] if o.head == m.head and not o.backref and o.proper and
                    not o.short_ordinal and _TRAILING_ACRONYM.sub("", o.name).lower().endswith(m.head) and
                    len(o.name.split()) > 1]
            if full:
                fname = _LEADING_ORDINAL.sub("", _TRAILING_ACRONYM.sub("", full[-1].name))
                m.name = f"{m.name.split()[0]} {fname}"
                m.proper, m.backref, m.anchored = True, False, True
            continue
        om = _OF_THE_HEAD.search(m.name)
        if not om or om.group("head").lower() not in knowledge().heads:
            continue
        head = om.group("head").lower()
        full = [o for o in mentions[:idx] if o.head == head and not o.backref and o.proper and
                o.name.lower().endswith(head) and len(o.name.split()) > 1]
        if full:
            fname = re.sub(r"^(?:19|20)\d\d\s+", "", full[-1].name)
            m.name = m.name[:om.start("head")] + fname


@lru_cache(maxsize=1)
def _plain_tokens() -> frozenset[str]:
    """Tokens that never tell two gatherings apart: one-word heads, qualifiers, ordinals."""
    k = knowledge()
    out: set[str] = set()
    for words in [h for h in k.heads if " " not in h] + list(k.qualifiers) + list(ORDINALS):
        out |= name_tokens(words)
    return frozenset(out)


@lru_cache(maxsize=4096)
def _core_tokens(name: str) -> frozenset[str]:
    """The words of a name that tell it apart, less acronyms, years, ordinals and bare heads."""
    words = [w for w in _NAME_SPLIT.split(re.sub(r"\([^()]*\)", " ", _base_name(name)))
             if w and not _ACRONYM_WORD.fullmatch(w)]
    return frozenset(t for t in _name_tokens(" ".join(words)) if t not in _plain_tokens())


_ACRONYM_WORD = re.compile(r"[A-Z0-9.&'’]+|(?:19|20)\d\d")


def _same_event(a: _Local, m: _Mention, acronyms: dict[str, set[str]]) -> bool:
    if _family(a.event_type) != _family(m.event_type) and a.best.head != m.head:
        return False
    if a.date and m.date and not _dates_compatible(a.date, m.date):
        return False
    ca, cm = countries_in_name(a.best.name), countries_in_name(m.name)
    if ca and cm and ca != cm:
        return False
    oa, om = ordinal_of(a.best.name), ordinal_of(m.name)
    if oa and om and oa != om:
        return False
    ta, tm = distinctive_tokens(_base_name(a.best.name), acronyms), distinctive_tokens(_base_name(m.name), acronyms)
    # "the 2024 Korea-Africa Summit" ... later "the Korea-Africa Business Summit": a name the text wrote in
    # full before, grown by a word, is a more specific gathering (a short reference comes after, not before)
    if m.field == "body" and m.proper and not m.backref:
        cm_ = _core_tokens(m.name)
        if any(x.field == "body" and x.proper and not x.backref and _core_tokens(x.name) < cm_ for x in a.mentions) \
                and not any(_core_tokens(x.name) >= cm_ for x in a.mentions if not x.backref):
            return False
    if oa and om and (not ta or not tm):
        return True  # "the first round" = "the first round of negotiations to upgrade the FTA"
    if not ta or not tm:
        if not tm and a.best.head == m.head and m.proper and _core_tokens(m.name) and \
                _core_tokens(m.name) <= _core_tokens(a.best.name):
            return True  # "the Korea-Africa Business Summit" ... "At the Business Summit"
        return bool(ca and cm and ca == cm and a.best.head == m.head) and not (ta or tm)
    # "the 2024 Korea-Africa Summit" ... later "the Korea-Africa Business Summit": a name the text wrote in
    # full before, grown by a word, is a more specific gathering (a short reference comes after, not before)
    return len(ta & tm) / min(len(ta), len(tm)) >= 0.6


# --------------------------------------------------------------------------- entry point

def extract_events(doc: Document, entities: EntityResult, sentences: list[Sentence] | None = None) -> list[Event]:
    sentences = sentences or document_sentences(doc)
    dateline = dateline_date(doc.body, doc.published_date)
    today = dateline or doc.published_date
    acronyms = find_acronyms(doc.title + "\n" + doc.body)
    all_mentions: list[_Mention] = []
    dates_of: dict[int, list[DateMention]] = {}
    last_day: DateMention | None = None
    for sent in sentences:
        anchor = last_day.value if last_day is not None and sent.field == "body" else None
        dates = find_dates(sent.text, doc.published_date, today=today, future=is_future(sent.text), anchor=anchor)
        dates_of[id(sent)] = dates
        found = _sentence_mentions(sent, entities, dates)
        found += _meeting_mentions(sent, entities, dates, found)
        found += _visit_mentions(sent, entities, dates)
        found += _session_mentions(sent, dates, found)
        found += _site_visit_mentions(sent, entities, dates)
        found.sort(key=lambda m: m.start)
        for idx, m in enumerate(found):
            if not m.from_meeting_verb:
                _attach_date(m, found, dates, first_event=idx == 0)
                _attach_city(m, found, first_event=idx == 0)
                m.participants = _participants(m, entities, whole_sentence=idx == 0 and not m.subordinate)
        for am in _ATTENDEES.finditer(sent.text) if found and _DIGIT.search(sent.text) else ():
            pos = sent.start + am.start()
            earlier = [m for m in found if m.end <= pos]
            nearest = earlier[-1] if earlier else min(found, key=lambda m: abs(m.start - pos))
            nearest.attendees = int(am.group("n").replace(",", ""))
        # "On the same day, ...", "In the afternoon, ...": the day of the last dated sentence
        if last_day is not None and sent.field == "body" and _SAME_DAY.search(sent.text):
            for m in found:
                # a standing body only named in the sentence ("discussed the IPEF negotiations") is no event
                if m.date is None and not m.backref and (not m.standing or m.anchored):
                    m.date = last_day
        # an undated event in an undated sentence of the narrative ("The signing took place on the
        # occasion of ..., following the Korea-Australia summit") happened on the day the text is on
        if last_day is not None and sent.field == "body" and not is_future(sent.text) and \
                not any(d.precision != "year" for d in dates):
            for m in found:
                if m.date is None and not m.backref and (not m.standing or m.anchored):
                    m.date = last_day
        if sent.field == "body":
            # "held the previous day" looks back: the narrative stays on its day
            day_dates = [d for d in dates if d.precision == "day" and not BACKWARD_WORDS.search(d.text)]
            if day_dates:
                last_day = day_dates[-1]
        # standing bodies count only when anchored in time
        found = [m for m in found if m.backref or not m.standing or m.anchored or
                 (m.date is not None and m.date.precision != "year" and
                  not _TOPIC_BEFORE.search(m.sentence.text, 0, m.start - m.sentence.start))]
        all_mentions.extend(found)
    signing = _signing_mention(doc, sentences, entities, dates_of, all_mentions)
    if signing is not None:
        all_mentions.append(signing)
        all_mentions.sort(key=lambda m: (m.field != "title", m.start))
    _complete_rounds(all_mentions)
    _expand_short_references(all_mentions)

    locals_: list[_Local] = []
    for m in all_mentions:
        if m.backref:
            fits = [ev for ev in reversed(locals_)
                    if ev.best.head == m.head or _family(ev.event_type) == _family(m.event_type)]
            # "the first Dialogue held last December" is a side reference: "the Dialogue" is still the main one
            target = next((ev for ev in fits if not all(x.short_ordinal for x in ev.mentions)),
                          fits[0] if fits else None)
            if target is not None:
                target.mentions.append(m)
            continue
        target = next((ev for ev in locals_ if _same_event(ev, m, acronyms)), None)
        if target is None and m.field == "body":
            # the title names what the lead reports: "Readout of X's Roundtable with ..." / "hosted a roundtable"
            target = next((ev for ev in locals_ if m.name[:1].islower() and
                           any(x.field == "title" for x in ev.mentions) and ev.best.head == m.head and
                           _dates_compatible(ev.date, m.date) and
                           not (ordinal_of(ev.best.name) and ordinal_of(m.name) and
                                ordinal_of(ev.best.name) != ordinal_of(m.name))), None)
        if target is None:
            locals_.append(_Local([m]))
        else:
            target.mentions.append(m)

    # the primary event: named in the title, else the first main-clause event of the lead sentence
    primary: set[int] = {i for i, ev in enumerate(locals_) if any(m.field == "title" for m in ev.mentions)}
    if not primary:
        lead = next((s for s in sentences if s.field == "body"), None)
        for i, ev in enumerate(locals_):
            if lead and any(m.sentence == lead and not m.subordinate and not m.backref for m in ev.mentions):
                primary.add(i)
                break

    events: list[Event] = []
    for i, ev in enumerate(locals_):
        best = ev.best
        evidence_m = next((m for m in ev.mentions if m.field == "body" and m.date is not None and
                           m.date == ev.date), None) or (best if best.field == "body" else next(
                               (m for m in ev.mentions if m.field == "body"), best))
        d = ev.date
        if d is None and i in primary and dateline is not None and not any(
                is_future(m.sentence.text) for m in ev.mentions):
            d = DateMention(0, 0, dateline, "day", "dateline")  # the release's own subject, reported that day
        city = next((m.city for m in ev.mentions if m.city), None)
        attendees = max((m.attendees for m in ev.mentions if m.attendees), default=None)
        participants: list[tuple[str, str]] = []
        for m in ev.mentions:
            for p in m.participants:
                if p not in participants:
                    participants.append(p)
        events.append(Event(
            local_id=f"e{i + 1}", name=best.name, event_type=ev.event_type,
            start_date=d.value if d else None, date_precision=d.precision if d else "unknown",
            city=city[0] if city else None, country_code=city[1] if city else None,
            attendees=attendees, is_primary=i in primary, evidence=evidence_m.sentence.text,
            field=evidence_m.field, start=evidence_m.start, end=evidence_m.end, participants=participants,
        ))
    return events


def event_dates(events: list[Event]) -> dict[str, date | None]:
    return {e.local_id: e.start_date for e in events}
