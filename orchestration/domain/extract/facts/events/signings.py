"""A release about a signing: the first signing it reports is an event ("Korea-Poland MOU signing ceremony")."""
from __future__ import annotations

import re

from orchestration.domain.extract.facts.events.meetings import _TODAY_WORDS, _subjects
from orchestration.domain.extract.facts.events.mentions import _Mention
from orchestration.domain.extract.facts.events.merging import _family
from orchestration.domain.extract.facts.events.names import find_location
from orchestration.domain.extract.knowledge import alternation, word_map, word_set
from orchestration.domain.extract.mentions.countries import countries_in_name, short_country_name
from orchestration.domain.extract.mentions.dates import (
    DateMention,
    dateline_date,
    find_dates,
    is_future,
)
from orchestration.domain.extract.models import Agreement, Document, EntityResult, Event, Sentence
from orchestration.domain.extract.text import document_sentences

_SIGN_TITLE = re.compile(r"\b(?:" + alternation("event_types.yaml", "signing_words") + r")\b", re.IGNORECASE)
_SIGNED = re.compile(r"\b(?:signed|sign|inked)\s+(?:(?:an?|the|two|three|\d+)\s+)?", re.IGNORECASE)
_INSTRUMENT = re.compile(
    r"(?P<cap>(?:[A-Z][\w&.'’-]*\s+){0,8}?(?:"
    + alternation("event_types.yaml", "signed_instruments")
    + r")(?:\s+\((?P<acr>[A-Za-z]{2,10})\))?)|"
    r"(?P<low>MOUs?|MoUs?|memorand(?:um|a) of understanding|"
    + alternation("event_types.yaml", "signed_instruments_lower")
    + r")")


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
                label = "-".join(short_country_name(c) for c in codes if c in in_name) or \
                    "-".join(sorted(in_name))
            elif not subj and len(orgs) >= 2:
                label = "–".join(dict.fromkeys(o.text for o in orgs))
            elif len(codes) >= 2:
                label = "-".join(short_country_name(c) for c in codes)
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
    while words and words[-1].lower().strip(",") in word_set("event_types.yaml", "topic_trailing_words"):
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




_SIGN_VERB = re.compile(r"\b(?:" + alternation("event_types.yaml", "signing_words") + r")\b", re.IGNORECASE)
_WITNESSED = re.compile(r"\b(?:witness(?:ed|es)?|attend(?:ed|s)?|at)\s+the\s+signing\s+(?:ceremony\s+)?of\s+"
                        r"(?P<obj>[^,;:\"“”]{3,120}?)(?=\s+(?:"
                        + alternation("event_types.yaml", "witnessed_object_stops") + r")\b|[,;.]|$)",
                        re.IGNORECASE)


_ACRONYM_OF = word_map("event_types.yaml", "instrument_acronyms")  # "mou" -> "MOU": how a name abbreviates it


def _party_label(entities: EntityResult, party: tuple[str, str]) -> str:
    """An agreement party as a name reads it: an organization's name (with its acronym), a country's short name."""
    kind, pid = party
    if kind == "country":
        return short_country_name(pid)
    org = next((o for o in entities.organizations if o.organization_id == pid), None)
    if org is None:
        return pid
    return f"{org.name} ({org.acronym})" if org.acronym and org.acronym not in org.name else org.name


def signing_events(doc: Document, entities: EntityResult, agreements: list[Agreement],
                   events: list[Event]) -> list[Event]:
    """The signing of the first instrument a release reports, when the release is about it (its title speaks of
    a signing, the lead reports it, or the text witnesses it): "Ex-Im Bank–Dubai Economic Council MOU signing",
    "Signing of two agreements witnessed by President Uhuru Kenyatta". Nothing when the events already hold a
    signing."""
    if any(e.event_type == "signing" for e in events):
        return []
    lead = [s for s in document_sentences(doc) if s.field == "body"][:2]
    about = bool(_SIGN_TITLE.search(doc.title))
    people = {p.person_id: p for p in entities.people}
    fit = [a for a in sorted(agreements, key=lambda a: (a.field != "title", a.start))
           if _SIGN_VERB.search(a.evidence) and (about or _WITNESSED.search(a.evidence) or a.field == "title" or
                                                 any(s.text == a.evidence for s in lead))]
    # the first that the text dates (a headline restates the body's signing without its day)
    fit = sorted(fit, key=lambda a: a.signed_date is None)[:1]
    # "President X witnessed the signing of two agreements": the lead's witnessed signing comes first, whether or
    # not the sentence names its parties
    sent = next((s for s in lead if _WITNESSED.search(s.text)), None)
    if sent is not None and not (fit and fit[0].evidence == sent.text) or not fit:
        sent = sent or next((s for s in document_sentences(doc)[:4] if s.field == "body" and
                             _WITNESSED.search(s.text)), None)
        if sent is not None:
            dates = find_dates(sent.text, doc.published_date)
            day = next((d.value for d in dates if d.precision == "day"), None)
            fit = [Agreement("", "other", day, None, False, sent.text, "body", sent.start, sent.start, [])]
    for a in fit:
        text = a.evidence
        witnessed = _WITNESSED.search(text)
        instrument = doc.text(a.field)[a.start:a.end]
        if witnessed:
            sent_start = doc.text(a.field).find(text)
            who = [s for s in entities.spans if s.entity_type == "person" and s.field == a.field and
                   sent_start <= s.start < sent_start + witnessed.start()]
            ceremony = "ceremony " if re.search(r"signing\s+ceremony", witnessed.group(0), re.IGNORECASE) else ""
            name = f"Signing {ceremony}of {witnessed.group('obj').strip()}"
            acronym = _ACRONYM_OF.get(a.agreement_type, "")
            if acronym and acronym.lower() not in name.lower():
                name += f" ({acronym})"
            if a.parties:
                name += " (" + "–".join(dict.fromkeys(_party_label(entities, p) for p in a.parties)) + ")"
            if who:
                p = people.get(who[-1].entity_id)
                title = (p.title or "") if p else ""
                name += f" witnessed by {title} {p.full_name if p else who[-1].text}".replace("  ", " ")
        else:
            labels = "–".join(dict.fromkeys(_party_label(entities, p) for p in a.parties))
            short = re.split(r"\s+with\s+|,\s+", a.subject or "")[0]
            topic = f" on {short}" if short and len(short.split()) <= 14 else ""
            acronym = _ACRONYM_OF.get(a.agreement_type, "")
            if acronym and acronym.lower() not in instrument.lower():
                instrument += f" ({acronym})"
            name = f"{labels} {instrument}{topic} signing ceremony"
        day, precision = a.signed_date, "day"
        if day is None and not is_future(text) and not re.search(r"\brecently\b", text, re.IGNORECASE):
            # the day the release's lead is on ("met yesterday ... On the sidelines ... witnessed the signing")
            lead_days = [d.value for d in find_dates(lead[0].text, doc.published_date,
                                                     today=dateline_date(doc.body, doc.published_date))
                         if d.precision == "day"] if lead and not is_future(lead[0].text) else []
            day = (lead_days[0] if lead_days else None) or dateline_date(doc.body, doc.published_date) or \
                doc.published_date
        return [Event(local_id=f"e{len(events) + 1}", name=name, event_type="signing", start_date=day,
                      date_precision=precision if day else "unknown", city=None, country_code=None,
                      attendees=None, is_primary=about or not any(e.is_primary for e in events), evidence=text,
                      field=a.field, start=a.start, end=a.end, participants=list(a.parties))]
    return []
