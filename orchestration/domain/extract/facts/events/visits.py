"""State visits of a named person to a place, and officials' visits to a company's site."""
from __future__ import annotations

import re

from orchestration.domain.extract.facts.events.meetings import _subjects
from orchestration.domain.extract.facts.events.mentions import _Mention
from orchestration.domain.extract.facts.events.names import find_location
from orchestration.domain.extract.knowledge import alternation
from orchestration.domain.extract.mentions.countries import country_of_word, short_country_name
from orchestration.domain.extract.mentions.dates import (
    DateMention,
)
from orchestration.domain.extract.models import EntityResult, EntitySpan, Sentence

# --------------------------------------------------------------------------- visits, signings, sessions

_VISIT_WORD = re.compile(r"visit", re.IGNORECASE)  # in every _VISIT match
_VISIT = re.compile(r"\b(?P<kind>state|official|working|royal)\s+visits?\s+(?:(?P<of>of)\s+|to\s+)", re.IGNORECASE)
_VISITOR_TITLES = re.compile(
    r"((?:[A-Z][A-Za-z.]*\s+){0,2}(?:" + alternation("people.yaml", "visitor_titles") + r"))\s+$")
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
            place = f"{place}, {short_country_name(loc[1])}"
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
    r"\b(?:visited|toured)\s+(?:the\s+)?(?:(?P<fac1>"
    + alternation("event_types.yaml", "site_facilities", space=r"\s+")
    + r")\s+of\s+(?P<org1>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})"
    r"|(?P<org2>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})['’]s\s+(?:new\s+)?(?P<fac2>"
    + alternation("event_types.yaml", "site_facilities", space=r"\s+")
    + r"))"
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


