"""The numbered sitting of a named standing body ("the Partnership, whose second meeting was held ..."),
and the cues of a sentence on the same day as the one before."""
from __future__ import annotations

import re

from orchestration.domain.extract.facts.events.attributes import _GAP_BLOCK
from orchestration.domain.extract.facts.events.mentions import _Mention
from orchestration.domain.extract.facts.events.names import find_location
from orchestration.domain.extract.facts.events.phrases import _type_for
from orchestration.domain.extract.facts.events.vocabulary import knowledge
from orchestration.domain.extract.knowledge import alternation, word_list
from orchestration.domain.extract.mentions.dates import (
    DateMention,
)
from orchestration.domain.extract.models import EntityResult, Sentence

_SESSION = re.compile(
    r"(?P<name>(?:[A-Z][\w&.'’-]*\s+)(?:(?:[A-Z][\w&.'’-]*|and|of|for|on|&)\s+){0,7}?[A-Z][\w&.'’-]*?)"
    r"(?:['’]s|,\s+whose|,\s+of\s+which\s+the|\s+(?:held|holds|hosted|convened|opened)\s+its)\s+(?P<ord>"
    + alternation("event_types.yaml", "ordinal_words")
    + r"|\d+(?:st|nd|rd|th))\s+(?P<head>"
    + alternation("event_types.yaml", "session_heads")
    + r")\b")


_SESSION_HEADS = word_list("event_types.yaml", "session_heads")  # _SESSION's heads


def _session_mentions(sent: Sentence, dates: list[DateMention], existing: list[_Mention]) -> list[_Mention]:
    """ "the Korea-Germany Energy Partnership, whose second meeting was held in Seoul last November":
    the numbered meeting of a named standing body is an event."""
    out: list[_Mention] = []
    if not any(h in sent.text for h in _SESSION_HEADS):
        return out  # the pattern is slow and rarely matches: run it only when a head word is there
    for sm in _SESSION.finditer(sent.text):
        body = sm.group("name").strip()
        body = re.sub(r"^(?:" + alternation("event_types.yaml", "leading_determiners") + r")\s+", "", body)
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


_SAME_DAY = re.compile(r"^(?:\W*\w+\W+){0,3}?(?:"
                       + alternation("event_types.yaml", "same_day_cues", space=r"\s+")
                       + r"|in\s+the\s+(?:afternoon|morning|evening)|"
                       r"that\s+(?:afternoon|morning|evening)|later\s+in\s+the\s+day|at\s+the\s+same\s+(?:event|venue))\b",
                       re.IGNORECASE)




# "At a meeting held today, the Thailand Board of Investment (BOI) approved ...": a body's own sitting
_AT_A_MEETING = re.compile(r"(?:At|During)\s+(?:a|an|its|the)\s+(?:(?:"
                           + alternation("event_types.yaml", "sitting_qualifiers") + r")\s+)?(?P<head>"
                           + alternation("event_types.yaml", "session_heads")
                           + r")\b[^,;]{0,60},\s+(?:the\s+)?(?P<pre>(?:[A-Z][\w.-]*\s+){0,2})$")


def sitting_mentions(sent: Sentence, entities: EntityResult, dates: list[DateMention]) -> list[_Mention]:
    """ "At a meeting held today, the Board of Investment (BOI) approved ...": the organization the sentence
    opens on held the meeting (named after it, dated by the date of the opening phrase)."""
    opener = re.search(r"(?:^|[-–—:]\s)\s*(?P<at>At|During)\s", sent.text[:80])
    if opener is None:
        return []
    orgs = sorted((s for s in entities.spans if s.field == sent.field and s.entity_type == "organization" and
                   sent.start <= s.start < sent.start + 140), key=lambda s: s.start)
    for org in orgs[:1]:
        m = _AT_A_MEETING.match(sent.text, opener.start("at"), org.start - sent.start)
        if not m:
            return []
        rel_end = org.end - sent.start
        acr = re.match(r"\s*\([A-Z][A-Za-z&]{1,10}\)", sent.text[rel_end:])
        name = sent.text[m.start("pre"): rel_end + (acr.end() if acr else 0)] + f" {m.group('head')}"
        mention = _Mention(name=name, event_type="meeting", head=m.group("head"), sentence=sent,
                           start=sent.start + m.start("head"), end=org.end, proper=True, backref=False,
                           standing=False, anchored=True, from_meeting_verb=True)
        mention.date = next((d for d in dates if d.end <= m.end() and d.precision != "year"), None)
        mention.participants = [("organization", org.entity_id)]
        return [mention]
    return []


# "the eighth session of the Vietnam-China Joint Economic and Trade Cooperation Committee"
_SESSION_OF_BODY = re.compile(
    r"\b(?P<ord>(?i:" + alternation("event_types.yaml", "ordinal_words") + r")|\d{1,3}(?:st|nd|rd|th))\s+(?P<head>"
    + alternation("event_types.yaml", "session_heads") + r")\s+of\s+the\s+(?P<name>[A-Z][\w&.'’-]*"
    r"(?:\s+(?:and|of|for|on|&|[A-Z][\w&.'’-]*)){1,10})")


def numbered_sitting_mentions(sent: Sentence, dates: list[DateMention], existing: list[_Mention]) -> list[_Mention]:
    """ "the eighth session of the X Committee": the numbered sitting of a named body whose name ends in no
    event head (a "... Forum" or "... Dialogue" is read by the noun-phrase grammar)."""
    out: list[_Mention] = []
    if not any(h in sent.text for h in _SESSION_HEADS):
        return out
    for m in _SESSION_OF_BODY.finditer(sent.text):
        name = re.sub(r"(?:\s+(?:and|of|for|on|&))+$", "", m.group("name"))
        last = name.split()[-1].lower()
        if not name[0].isupper() or last in knowledge().heads or m.group("ord")[0].isupper() and m.start() > 0 \
                and sent.text[m.start() - 2:m.start()].strip() not in ("", ".", ",", ";"):
            continue
        s0 = sent.start + m.start()
        s1 = sent.start + m.start("name") + len(name)
        if any(o.start < s1 and s0 < o.end for o in existing):
            continue
        mention = _Mention(name=f"{m.group('ord').capitalize()} {m.group('head').lower()} of the {name}",
                           event_type="working_group_meeting", head=m.group("head").lower(), sentence=sent,
                           start=s0, end=s1, proper=True, backref=False, standing=False, anchored=True,
                           from_meeting_verb=True)
        after = [d for d in dates if 0 <= d.start - (s1 - sent.start) <= 60 and d.precision != "year"]
        mention.date = after[0] if after else None
        out.append(mention)
    return out
