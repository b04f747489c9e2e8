"""Trips: an official's visit to a country and a trade or investment mission, as headlines and leads write them.

    "METI State Minister Isozaki Visits Canada"            -> "METI State Minister Isozaki visit to Canada"
    "Minister Piyush Goyal concludes 3-day visit to Australia" -> "Minister Piyush Goyal visit to Australia"
    "Secretary Locke Completes Clean Energy Trade Mission" -> "Secretary Locke Clean Energy Trade Mission"
    "The Ministry of ... (MITI) trade and investment mission to Seoul" -> "MITI trade and investment mission to Seoul"

A trip lasts days: it is dated by the first day of the span of days the lead gives ("on March 11-12"), else by
the one day it names ("visited Poland on June 30"), else at month precision by the lead's first date or the
release's own month. Verbs and trip nouns are words of `knowledge/event_types.yaml`.
"""
from __future__ import annotations

import re
from datetime import date

from orchestration.domain.extract.facts.events.mentions import _Mention
from orchestration.domain.extract.facts.events.names import find_location
from orchestration.domain.extract.knowledge import alternation
from orchestration.domain.extract.mentions.countries import country_of_word
from orchestration.domain.extract.mentions.dates import DateMention
from orchestration.domain.extract.models import Sentence

_PLACE = r"(?:the\s+)?(?P<place>[A-Z][\w.'’-]*(?:\s+(?:of\s+)?[A-Z][\w.'’-]*){0,3})"
# "<who> Visits Canada", "<who> concludes 3-day visit to Australia", "<who> arrives in Seoul"
_VISIT = re.compile(
    r"(?P<who>(?:[A-Z][\w.&'’-]*\s+){1,6}?)(?:(?:" + alternation("event_types.yaml", "trip_report_verbs")
    + r")\s+(?:(?:" + alternation("event_types.yaml", "determiners")
    + r")\s+)?(?:[\w-]+\s+){0,3}?(?:visit|trip|tour)\s+(?:to|of)\s+|"
    r"(?:" + alternation("event_types.yaml", "visit_verbs") + r")\s+|"
    r"(?:[a-z][\w-]*\s+)?(?i:trip|visit|tour)\s+to\s+)" + _PLACE)
# "<who> Leads|Completes ... Trade Mission (to X)"
_MISSION_TITLE = re.compile(
    r"(?P<who>(?:[A-Z][\w.&'’-]*\s+){1,6}?)(?i:" + alternation("event_types.yaml", "mission_lead_verbs")
    + r")\s+(?P<mission>(?:[A-Z][\w&'’-]*\s+|and\s+|of\s+){0,8}?(?i:" + alternation("event_types.yaml", "mission_heads")
    + r"))(?:\s+to\s+" + _PLACE + r")?")
# "The Ministry of ...'s (MITI) trade and investment mission to Seoul", "MITI's trade mission to Seoul"
_OWNED_MISSION = re.compile(
    r"(?P<owner>[A-Z][\w.&'’-]*(?:\s+(?:of|and|&|for|[A-Z][\w.&'’-]*)){0,8}?)['’]s?\s*(?:\((?P<acr>[A-Z]{2,8})\)\s+)?"
    r"(?P<mission>(?:[a-z][\w-]*\s+|and\s+){0,4}?(?:" + alternation("event_types.yaml", "mission_heads")
    + r"))\s+to\s+" + _PLACE)


def _place(raw: str) -> str:
    """The place a trip goes to, without the words that follow it in a headline ("Canada to attend")."""
    words = raw.split()
    for n in range(len(words), 0, -1):
        cand = " ".join(words[:n]).rstrip(".,")
        if country_of_word(cand) or find_location(cand) or n == 1:
            return cand
    return raw


def _month(lead_dates: list[DateMention], published: date) -> DateMention:
    """The trip's date (see the module doc)."""
    # the first day of a span of days ("a two-day visit to Manila on March 11-12") rather than the release's
    # own date line ("Tuesday, March 12, 2024 MANILA - Today, ... concluded ...")
    spans = [x for x in lead_dates if x.precision == "day" and _SPAN.search(x.text) and not x.text.endswith("day")]
    d = spans[0] if spans else next((x for x in lead_dates if x.precision in ("day", "month")), None)
    if d is not None and (spans or d.precision == "day" and not _SPAN.search(d.text)):
        return d
    value = d.value if d else published
    return DateMention(d.start if d else 0, d.end if d else 0, value.replace(day=1), "month", d.text if d else "")


_SPAN = re.compile(r"\d\s*(?:-|–|to|and)\s*\d|^[A-Z][a-z]+day$")  # a span of days; a weekday of a trip


def _who(raw: str) -> str:
    return re.sub(r"^(?:.*[,:;]\s*)?(?:The|the|With|A)\s+", "", raw.strip()).strip()


def trip_mentions(sent: Sentence, lead_dates: list[DateMention], published: date,
                  existing: list[_Mention]) -> list[_Mention]:
    """Visits and missions of a headline or a lead sentence (see the module doc)."""
    out: list[_Mention] = []
    text = sent.text
    frames = (_VISIT, _MISSION_TITLE, _OWNED_MISSION) if sent.field == "title" else (_OWNED_MISSION,)
    for rx in frames:
        for m in rx.finditer(text):
            if rx is _OWNED_MISSION:
                owner = m.group("acr") or m.group("owner")
                name = f"{_who(owner)} {m.group('mission')} to {_place(m.group('place'))}"
            elif rx is _MISSION_TITLE:
                name = f"{_who(m.group('who'))} {m.group('mission')}"
                if m.group("place"):
                    name += f" to {_place(m.group('place'))}"
            else:
                name = f"{_who(m.group('who'))} visit to {_place(m.group('place'))}"
            if len(name.split()) < 4:
                continue
            s0, s1 = sent.start + m.start(), sent.start + m.end()
            if any(o.start < s1 and s0 < o.end for o in out):
                continue
            mention = _Mention(name=name, event_type="visit", head="visit", sentence=sent, start=s0, end=s1,
                               proper=True, backref=False, standing=False, anchored=True, from_meeting_verb=True)
            mention.date = _month(lead_dates, published)
            place = find_location(m.group("place") or "")
            if place:
                mention.city = place
            out.append(mention)
    if out:
        # the phrase the trip frame read ("Leads Successful Presidential ... Mission") is the same trip
        existing[:] = [e for e in existing if not any(o.start <= e.start and e.end <= o.end for o in out)]
    return out
