"""Events in one document: forums, meetings, summits, ceremonies, showcases ...

Grammar, not lists of events: an event mention is a noun phrase ending in an event head noun
("... Semiconductor Forum", "the Korea-Japan summit", "the opening ceremony of ..."), grown to the
left over the name and to the right over "of/on/for <Proper Name>", "at <venue event|place>".
Meetings between two named officials ("Minister A met Minister B on June 26 in ...") become
bilateral meetings named from the officials' countries. Repeated references to one event
("the Forum", "the SCCD Semiconductor Forum") are merged into one local event.

    extract_events(doc, entities, sentences) -> list[Event]

Modules: vocabulary (the cue words of `knowledge/event_types.yaml`), names (name tokens, ordinals,
acronyms, places), phrases (growing a name around its head), mentions (noun-phrase mentions of a
sentence), attributes (date, city, attendees, participants), meetings, visits, sessions, signings
(verb frames), merging (one local event per gathering).
"""
from __future__ import annotations

import re

from orchestration.domain.extract.facts.events.attributes import (
    _ATTENDEES,
    _DIGIT,
    _attach_city,
    _attach_date,
    _participants,
    attach_held_date,
    attach_respective_dates,
)
from orchestration.domain.extract.facts.events.meetings import _meeting_mentions
from orchestration.domain.extract.facts.events.mentions import _TOPIC_BEFORE, _Mention, _sentence_mentions
from orchestration.domain.extract.facts.events.merging import (
    _complete_rounds,
    _dates_compatible,
    _expand_short_references,
    _family,
    _Local,
    _same_event,
)
from orchestration.domain.extract.facts.events.names import find_acronyms, ordinal_of
from orchestration.domain.extract.facts.events.sessions import (
    _SAME_DAY,
    _session_mentions,
    numbered_sitting_mentions,
    sitting_mentions,
)
from orchestration.domain.extract.facts.events.signings import _signing_mention
from orchestration.domain.extract.facts.events.trips import trip_mentions
from orchestration.domain.extract.facts.events.visits import _site_visit_mentions, _visit_mentions
from orchestration.domain.extract.mentions.dates import (
    BACKWARD_WORDS,
    DateMention,
    dateline_date,
    find_dates,
    is_future,
)
from orchestration.domain.extract.models import Document, EntityResult, Event, Sentence
from orchestration.domain.extract.text import document_sentences

_POSSESSIVE_DATE = re.compile(r"['’]s\s+$")


def extract_events(doc: Document, entities: EntityResult, sentences: list[Sentence] | None = None) -> list[Event]:
    sentences = sentences or document_sentences(doc)
    dateline = dateline_date(doc.body, doc.published_date)
    today = dateline or doc.published_date
    acronyms = find_acronyms(doc.title + "\n" + doc.body)
    all_mentions: list[_Mention] = []
    lead_sentence = next((s for s in sentences if s.field == "body"), None)
    lead_dates = [d for d in find_dates(lead_sentence.text, doc.published_date, today=today)
                  if d.precision != "year"] if lead_sentence is not None and not is_future(lead_sentence.text) else []
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
        found += sitting_mentions(sent, entities, dates)
        found += numbered_sitting_mentions(sent, dates, found)
        found += _site_visit_mentions(sent, entities, dates)
        if sent.field == "title" or sent is lead_sentence:
            found += trip_mentions(sent, lead_dates, doc.published_date, found)
        found.sort(key=lambda m: m.start)
        for idx, m in enumerate(found):
            if not m.from_meeting_verb:
                _attach_date(m, found, dates, first_event=idx == 0)
                _attach_city(m, found, first_event=idx == 0)
                m.participants = _participants(m, entities, whole_sentence=idx == 0 and not m.subordinate)
                if idx == 0:
                    attach_held_date(m, dates)
        attach_respective_dates([m for m in found if not m.from_meeting_verb], dates)
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
        # "Minister Lee met with B and discussed ... submitted in April": a meeting the sentence does not date
        # took place on the day the narrative is on
        if last_day is not None and sent.field == "body" and not is_future(sent.text):
            for m in found:
                if m.date is None and m.from_meeting_verb and _family(m.event_type) == "meeting":
                    m.date = last_day
        if sent.field == "body":
            # "held the previous day" looks back: the narrative stays on its day; "President Yoon's June 29
            # visit" dates another event, not the narrative
            day_dates = [d for d in dates if d.precision == "day" and not BACKWARD_WORDS.search(d.text)
                         and not _POSSESSIVE_DATE.search(sent.text, max(0, d.start - 3), d.start)]
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
            # ("the virtual Investing in Africa’s Future conference": a lower-case head is a description too)
            target = next((ev for ev in locals_ if (m.name[:1].islower() or m.name.split()[-1][:1].islower()) and
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
        if d is None and i in primary and not any(is_future(m.sentence.text) for m in ev.mentions):
            # the release's own subject, reported that day (its dateline, else its publication date)
            d = DateMention(0, 0, dateline or doc.published_date, "day", "dateline")
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

