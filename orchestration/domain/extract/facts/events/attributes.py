"""What a sentence says about an event mention: its date, its city, its attendees, its participants."""
from __future__ import annotations

import re

from orchestration.domain.extract.facts.events.meetings import _TODAY_WORDS
from orchestration.domain.extract.facts.events.mentions import _MARGINS, _Mention
from orchestration.domain.extract.facts.events.names import find_location
from orchestration.domain.extract.facts.events.phrases import _overlaps
from orchestration.domain.extract.facts.events.vocabulary import knowledge
from orchestration.domain.extract.knowledge import alternation
from orchestration.domain.extract.mentions.countries import countries_in_name
from orchestration.domain.extract.mentions.dates import (
    DateMention,
)
from orchestration.domain.extract.mentions.places import find_cities
from orchestration.domain.extract.models import EntityResult

# --------------------------------------------------------------------------- attributes

# words that keep a date from the event before/after them (a release's own dateline: "FOR IMMEDIATE RELEASE")
_GAP_BLOCK = re.compile(r";|\bimmediate release\b|\band\b|\bbut\b|\bwhile\b|\bwhereas\b|[\"“”]|\bincluding\b|"
                        r"\bsuch as\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")  # every _ATTENDEES match has one
_ATTENDEES = re.compile(
    r"(?:(?:" + alternation("event_types.yaml", "attendee_approximations") + r")\s+)?"
    r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s+(?:[a-z-]+\s+){0,2}?"
    r"(?P<w>" + alternation("event_types.yaml", "attendee_nouns") + r")\b",
    re.IGNORECASE,
)


# "hold the 3rd Dialogue in Washington next year": only a place between the event and its date
_PLACE_GAP = re.compile(
    r"(?:\s+(?:(?:is|are|was|were)\s+(?:expected|scheduled|set|due|planned)\s+to\s+|will\s+|to\s+)"
    r"(?:take\s+place|be\s+held|convene))?"
    r"(?:\s+(?:in|at)\s+(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3},?)?(?:\s+(?:early|late|mid))?\s+")
_SPAN_START = re.compile(r"\s*(?:\([^()]{0,12}\)\s*)?(?:-|–|to|until|through)\s*\d")
_FOUNDING = re.compile(r"\b(?:" + alternation("event_types.yaml", "founding_nouns") + r")\s+of\s+(?:the\s+)?$",
                       re.IGNORECASE)
_SINCE = re.compile(r"\b(?:since|until|till)\s+$", re.IGNORECASE)


def _attach_date(m: _Mention, mentions_in_sentence: list[_Mention], dates: list[DateMention], first_event: bool):
    s, e = m.start - m.sentence.start, m.end - m.sentence.start
    text = m.sentence.text
    others = [(o.start - m.sentence.start, o.end - m.sentence.start) for o in mentions_in_sentence if o is not m]

    def blocked(a: int, b: int) -> bool:
        return _overlaps(others, a, b) or bool(_GAP_BLOCK.search(text[a:b]))

    # "the first meeting of the Dialogue since 2019": a period's start is not the event's date
    dates = [d for d in dates if not _SINCE.search(text[max(0, d.start - 12): d.start])]
    if _FOUNDING.search(text, max(0, s - 40), s):
        # "the launch of the ROK-Central Asia Cooperation Forum in 2007": when the body was founded
        dates = [d for d in dates if not (d.precision == "year" and d.start >= e)]
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
    # ... unless the opening date starts a span of days ("From May 27 (Mon.) to 31 (Fri.), 2019, X visited
    # Canada to attend the Y meeting"): the span is the trip's, the meeting has a day of its own
    if first_event and dates and dates[0].start < 12 and dates[0].end <= s and dates[0].precision != "year" \
            and not _SPAN_START.match(text, dates[0].end):
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
        k = knowledge()
        locs = [(x.start(), x.group(0), k.locations[x.group(0).lower()]) for x in k.location_re.finditer(head)
                if x.group(0)[0].isupper()]
        locs += [(start, head[start:end], (name, iso)) for start, end, name, iso in find_cities(head)]
        for start, spelling, place in sorted(locs, key=lambda x: x[0]):
            pre = head[max(0, start - 4): start]
            if re.search(r"(\bin|\bat)\s+$", pre) or spelling.isupper() or start < 3:
                m.city = place
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




# "the Korea-US summit and G20 summit, held on June 28 to July 1 and on July 5 to 8, respectively"
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
_RANGE_GAP = re.compile(r"\s*(?:to|-|–|until|through)\s*", re.IGNORECASE)
# "the first round of negotiations ... will be held in Seoul from Monday, December 1": the sentence's own date
_HELD_ON = re.compile(r"\b(?:" + alternation("event_types.yaml", "held_auxiliaries", space=r"\s+")
                      + r")\s+held\b[^.;]{0,60}?\b(?:on|from)\s+$",
                      re.IGNORECASE)


def attach_respective_dates(mentions: list[_Mention], dates: list[DateMention]) -> None:
    """Dates listed after events with "respectively" go to the events in order (a range counts once)."""
    if len(mentions) < 2 or not dates or not _RESPECTIVELY.search(mentions[0].sentence.text):
        return
    text = mentions[0].sentence.text
    last = max(m.end - m.sentence.start for m in mentions)
    firsts: list[DateMention] = []
    for d in dates:
        if d.start < last or d.precision == "year":
            continue
        if firsts and _RANGE_GAP.fullmatch(text, firsts[-1].end, d.start):
            continue  # "June 28 to July 1": the end of a range
        firsts.append(d)
    # the events listed just before the dates ("the A and B, held on ... and on ..., respectively")
    ordered = sorted(mentions, key=lambda m: m.start)[-len(firsts):] if len(firsts) >= 2 else []
    if ordered and len(firsts) == len(ordered):
        for m, d in zip(ordered, firsts, strict=True):
            m.date = d


def attach_held_date(m: _Mention, dates: list[DateMention]) -> None:
    """ "<event> ... will be held in Seoul from Monday, December 1": the date the sentence holds it on."""
    if m.date is not None:
        return
    text = m.sentence.text
    for d in dates:
        if d.start >= m.end - m.sentence.start and d.precision != "year" and \
                _HELD_ON.search(text, m.end - m.sentence.start, d.start):
            m.date = d
            return
