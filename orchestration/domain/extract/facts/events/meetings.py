"""Meetings between named officials ("Minister A met Secretary B on June 26 in Seoul")."""
from __future__ import annotations

import re

from orchestration.domain.extract.facts.events.mentions import _Mention
from orchestration.domain.extract.facts.events.names import find_location
from orchestration.domain.extract.knowledge import alternation, word_set
from orchestration.domain.extract.mentions.countries import short_country_name
from orchestration.domain.extract.mentions.dates import (
    DateMention,
)
from orchestration.domain.extract.models import EntityResult, EntitySpan, Sentence

# --------------------------------------------------------------------------- meetings between officials

_MEETING_KIND = r"(?:(?:bilateral|ministerial|ministers['’]|high-level|summit|trilateral|separate)\s+){0,2}"
_MET = re.compile(
    r"\b(?:" + alternation("event_types.yaml", "meeting_verbs") + r"|"
    rf"(?:held|had|holds|has|hold) (?:(?:an?|their|his|her)\s+)?{_MEETING_KIND}(?:meetings?|talks|summit)|"
    r"(?<=['’]s )[Mm]eeting|(?<=['’] )[Mm]eeting)(?:\s+with)?\b")
_MET_WORDS = ("met", "meet", "eeting", "talks", "summit")  # one of them is in every _MET match
_JOINT_VERB = re.compile(r"held|had|holds|has|hold")
_BETWEEN_SUBJECTS = re.compile(r"^(?:,[^,;.]{0,120},)?\s*(?:and|&)\s+(?:[^,;.]{0,60}?\s)?$")
_OWN_NAME = re.compile(r"\b(?:the|a|an)\s+(?P<name>[^,;.]{3,80}?['’])\s*$")
_CLAUSE_BREAK = re.compile(r"[,;:()\"“”]")
_VERB_DATE_GAP = re.compile(r"\s*(?:in\s+[A-Z][\w.]*(?:,?\s+[A-Z][\w.]*){0,2},?\s*)?")
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


_BARE_TITLE = re.compile(r"\b(?:the|The)\s+(?P<t>"
                         + alternation("people.yaml", "bare_subject_titles")
                         + r")\b(?:\s+(?:and|&)\s+(?:the\s+)?[\w\s-]{1,40}?)?\s*"
                         r"(?:also\s+|then\s+|later\s+)?$")
_TITLED_NAME = re.compile(
    r"\s*(?:[A-Z][a-z]+['’]s\s+)?(?:(?:"
    + alternation("people.yaml", "titled_name_modifiers")
    + r")\s+)?(?:"
    + alternation("people.yaml", "titled_name_titles")
    + r")"
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


def _principal_label(people: dict, sp: EntitySpan) -> str:
    """A meeting's principal as the text presents them: the full title and name ("Minister of Climate Anna
    Moskwa"), an organization by its name; an honorific ("Mr.") is no title."""
    if sp.entity_type != "person":
        return sp.text
    p = people.get(sp.entity_id)
    if p is None:
        return sp.text
    name = p.full_name if len(p.full_name.split()) >= len(sp.text.split()) else sp.text
    title = (p.title or "").strip()
    if title.lower().rstrip(".") in word_set("people.yaml", "name_honorifics", lower=True):
        title = ""
    return f"{title} {name}".strip()


def _meeting_name(people: dict, subj: list[EntitySpan], obj: list[EntitySpan], kind: str) -> str:
    """ "Minister Lee Chang-yang meeting with Minister of Climate Anna Moskwa": who met whom, as an analyst
    names a bilateral meeting (the countries' label is added by the caller)."""
    who = " and ".join(dict.fromkeys(_principal_label(people, s) for s in subj))
    if not obj:
        return f"{who} {kind}"
    return f"{who} {kind} with " + " and ".join(dict.fromkeys(_principal_label(people, o) for o in obj))


# "he also had bilateral meetings with ...": a pronoun subject is the release's protagonist
_PRONOUN_SUBJECT = re.compile(r"\b(?:[Hh]e|[Ss]he)\s+(?:(?:"
                              + alternation("event_types.yaml", "pronoun_subject_adverbs") + r")\s+){0,2}$")


def _protagonist(entities: EntityResult, sent: Sentence, at: int) -> EntitySpan | None:
    """The first person the body names before `at` (press releases follow their principal)."""
    persons = [s for s in entities.spans if s.entity_type == "person" and s.field == "body" and s.end <= at]
    if sent.field != "body" or not persons:
        return None
    first = min(persons, key=lambda s: s.start)
    return EntitySpan("person", first.entity_id, sent.field, at, at, first.text)


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
        if not subj and _PRONOUN_SUBJECT.search(sent.text, 0, vm.start()):
            lead = _protagonist(entities, sent, v0)
            subj = [lead] if lead else []
        stop = sent.end
        for d in dates:
            # "met in Washington Monday with B": a date right after the verb does not end its object
            if sent.start + d.start > v1 and not _VERB_DATE_GAP.fullmatch(sent.text, vm.end(), d.start):
                stop = min(stop, sent.start + d.start)
                break
        for o in existing:
            if o.start > v1:
                stop = min(stop, o.start)
        m2 = re.search(r"\b(?:and|to)\s+(?:" + alternation("event_types.yaml", "meeting_followups") + r")\b",
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
        if not obj and re.search(r"\b(?:met|meet|meets|with)$", vm.group(0)):
            # "met with the Private Sector Advisory Council (PSAC)", "met business executives of leading
            # companies meeting under the umbrella of the Business Council (BCIU)": an organization as the other
            # side, the first one the clause names after the verb
            obj = [s for s in spans if s.entity_type == "organization" and s.end <= stop and
                   0 <= s.start - v1 <= 120 and not _CLAUSE_BREAK.search(sent.text, vm.end(), s.start - sent.start)][:1]
        joint = _JOINT_VERB.match(vm.group(0)) or re.fullmatch(r"met|meet|meets", vm.group(0))
        if not obj and not (len(subj_ids) >= 2 and joint):
            continue
        # "had bilateral meetings with A, B and C", "held separate talks": one meeting per counterpart
        separate = re.search(r"meetings|separate", vm.group(0)) is not None and len(obj) > 1
        for group in ([[o] for o in obj] if separate else [obj]):
            m = _one_meeting(sent, entities, people, spans, dates, vm, subj, group, clause_start, stop)
            if m is not None:
                out.append(m)
    return out


def _one_meeting(sent: Sentence, entities: EntityResult, people: dict, spans: list[EntitySpan],
                 dates: list[DateMention], vm: re.Match, subj: list[EntitySpan], obj: list[EntitySpan],
                 clause_start: int, stop: int) -> _Mention | None:
    """The meeting of `subj` with `obj` the verb match `vm` reports, named, dated and placed."""
    v0, v1 = sent.start + vm.start(), sent.start + vm.end()

    def country(sp: EntitySpan, lo: int) -> str | None:
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

    codes: list[str] = []
    for c in [country(s, clause_start) for s in subj] + [country(s, v1) for s in obj]:
        if c and c not in codes:
            codes.append(c)
    principals = _principals(people, subj + obj)
    if len(codes) < 2 and "–" not in principals:
        return None
    titles = " ".join((people[s.entity_id].title or "") if s.entity_id in people else "" for s in subj + obj)
    region = sent.text[max(0, subj[0].start - sent.start - 60): stop - sent.start]
    ministers = bool(re.search(r"minister|secretary", titles + " " + region, re.IGNORECASE))
    verb = vm.group(0).lower()
    kind = "talks" if "talks" in verb else "bilateral meeting" if "bilateral" in verb else "meeting"
    name = _meeting_name(people, subj, obj, kind)
    # "held the Korea-Vietnam industry and trade ministers' meeting with B": the text's own name comes first
    own = _OWN_NAME.search(sent.text, max(0, vm.start() - 90), vm.start())
    if own and re.search(r"['’]\s*$", own.group(0)):
        name = f"{own.group('name').strip()} meeting: {name}"
    if len(codes) >= 2:
        label = "-".join(short_country_name(c) for c in codes)
        name += f" ({label} {'ministers’ meeting' if ministers else 'meeting'})"
    etype = "bilateral_meeting" if len(codes) <= 2 else "ministerial_meeting"
    m = _Mention(name=name, event_type=etype, head="meeting", sentence=sent, start=v0, end=v1,
                 proper=True, backref=False, standing=False, anchored=True, from_meeting_verb=True)
    later = [d for d in dates if sent.start + d.start >= v1 and d.precision != "year"]
    lead = subj[0].start - sent.start
    before = [d for d in dates if d.end <= lead and (lead - d.end <= 40 or d.text.lower() in _TODAY_WORDS)
              and d.precision == "day"]
    inside = [d for d in dates if lead <= d.start and sent.start + d.end <= v0 and d.precision == "day"]
    if later and sent.start + later[0].start - v1 <= 160:
        m.date = later[0]
    elif dates and dates[0].start < 12:
        m.date = dates[0]
    elif before:
        m.date = before[-1]
    elif inside:
        m.date = inside[-1]  # "A met yesterday with B", "A Monday met B"
    m.participants = [(s.entity_type, s.entity_id) for s in subj + obj if not s.entity_id.startswith("~")] + \
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
    return m
