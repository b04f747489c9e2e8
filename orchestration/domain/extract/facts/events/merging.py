"""One local event per gathering: rounds completed, short references expanded, mentions of one event merged."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from orchestration.domain.extract.facts.events.mentions import _Mention
from orchestration.domain.extract.facts.events.names import (
    _name_tokens,
    distinctive_tokens,
    name_tokens,
    ordinal_of,
)
from orchestration.domain.extract.facts.events.vocabulary import MEETING_FAMILY, ORDINALS, knowledge
from orchestration.domain.extract.knowledge import alternation
from orchestration.domain.extract.mentions.countries import countries_in_name
from orchestration.domain.extract.mentions.dates import (
    DateMention,
)
from orchestration.domain.extract.text import NAME_SPLIT

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
_LEADING_ORDINAL = re.compile(r"^(?:(?:19|20)\d\d|\d{1,3}(?:st|nd|rd|th)|"
                              + alternation("event_types.yaml", "ordinal_words")
                              + r")\s+", re.IGNORECASE)


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
    words = [w for w in NAME_SPLIT.split(re.sub(r"\([^()]*\)", " ", _base_name(name)))
             if w and not _ACRONYM_WORD.fullmatch(w)]
    return frozenset(t for t in _name_tokens(" ".join(words)) if t not in _plain_tokens())


_ACRONYM_WORD = re.compile(r"[A-Z0-9.&'’]+|(?:19|20)\d\d")


def _people(m: _Mention) -> frozenset[str]:
    return frozenset(pid for kind, pid in m.participants if kind == "person")


def _same_event(a: _Local, m: _Mention, acronyms: dict[str, set[str]]) -> bool:
    if _family(a.event_type) != _family(m.event_type) and a.best.head != m.head:
        return False
    if a.event_type == m.event_type == "visit" and m.name[:1].islower() and not countries_in_name(m.name) and \
            any(x.field == "title" for x in a.mentions):
        return True  # "the first Cabinet-level trade mission": the trip the headline names
    if m.from_meeting_verb and a.best.from_meeting_verb and _people(m) and _people(a.best) and \
            _people(m) != _people(a.best):
        return False  # "A met B", then "A met C": two meetings, however alike their names
    if m.from_meeting_verb and a.best.from_meeting_verb and _people(m) and _people(m) == _people(a.best) and \
            _family(a.event_type) == _family(m.event_type) == "meeting":
        return True  # "A met B ...", later "A and B discussed": one meeting, however the sentences name it
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


