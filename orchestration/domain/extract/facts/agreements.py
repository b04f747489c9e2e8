"""Agreements: formal instruments concluded between named parties (MOU, memorandum of terms, joint
statement, letter of intent, agreement, treaty).

An instrument word counts only when a concluding verb governs it ("X and Y signed/entered/sealed an
MOU", "an MOU was signed", "signing ... memoranda of terms with A ..., and with B ..."), or when the
document itself is a joint statement ("Joint Statement on ..."). Parties: the entities of the subject
just before the verb plus each "with <party>"; plural instruments with several "with" parties give
one agreement per counter-party. A readout or "agreed to cooperate" is not an agreement.
Cue words live in `orchestration/knowledge/agreement_types.yaml`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from orchestration.domain.extract.knowledge import alternation, knowledge_file
from orchestration.domain.extract.mentions.countries import countries_in_name
from orchestration.domain.extract.mentions.dates import DateMention, dateline_date, find_dates
from orchestration.domain.extract.mentions.organizations import company_nouns
from orchestration.domain.extract.models import Agreement, Document, EntityResult, EntitySpan, Event, Sentence
from orchestration.domain.extract.text import document_sentences, literal_alternation


@dataclass(frozen=True)
class _Kn:
    instrument: re.Pattern
    types: dict[str, str]  # lower/exact spelling -> type
    binding: dict[str, bool]
    signing: re.Pattern
    statement: re.Pattern
    non_binding: re.Pattern
    is_binding: re.Pattern


@lru_cache(maxsize=1)
def _kn() -> _Kn:
    data = knowledge_file("agreement_types.yaml")
    types: dict[str, str] = {}
    binding: dict[str, bool] = {}
    ci, cs = [], []
    for t, spec in data["types"].items():
        binding[t] = bool(spec.get("binding"))
        for p in spec.get("patterns") or []:
            types.setdefault(p.lower(), t)
            ci.append(p)
        for p in spec.get("exact_case") or []:
            types.setdefault(p, t)
            cs.append(p)
    alt_ci = literal_alternation(ci, ignorecase=True)  # longest first
    alt_cs = literal_alternation(cs)
    # a footnote marker may follow the word ("signed an agreement3 on ...")
    instrument = re.compile(rf"\b(?:(?i:{alt_ci})|{alt_cs})(?:\b|(?=\d\b))")

    def words(key: str) -> re.Pattern:
        return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in data.get(key) or []) + r")\b", re.IGNORECASE)

    return _Kn(instrument, types, binding, words("signing_verbs"), words("statement_verbs"),
               words("non_binding"), words("binding"))


def _type_of(word: str) -> str:
    kn = _kn()
    return kn.types.get(word) or kn.types.get(word.lower()) or "other"


_GAP_OK = re.compile(r"^(?:[\s,()'’]|and|&|as well as|the|its|their|\([A-Za-z&]+\)|both|(?<=['’])s\b)*$")


@lru_cache(maxsize=1)
def _descriptive_gap() -> re.Pattern:
    """Lowercase words describing the next party: "and the Polish energy companies ZE PAK and PGE"."""
    nouns = "|".join(sorted((re.escape(n) for n in company_nouns()), key=len, reverse=True))
    return re.compile(r"^[),\s]*(?:and|&|as well as)?\s*(?:"
                      + alternation("agreement_types.yaml", "party_determiners")
                      + rf")?\s*"
                      rf"(?:[A-Za-z][\w-]*\s+){{0,3}}"
                      rf"(?:{nouns})$")


def _gap_ok(gap: str) -> bool:
    gap = gap.strip()
    return bool(_GAP_OK.match(gap) or _descriptive_gap().match(gap))


# an appositive between the subject and its verb: "PIF, Saudi Arabia's sovereign wealth fund, today signed"
_APPOSITIVE = re.compile(r",\s+([^,;]{3,90}),\s*(?:(?:"
                         + alternation("agreement_types.yaml", "appositive_adverbs")
                         + r")\s+)*$", re.IGNORECASE)
_ADVERB_GAP = re.compile(r"^[\s)'’]*(?:(?:"
                         + alternation("agreement_types.yaml", "gap_adverbs")
                         + r")\s+)*$", re.IGNORECASE)


def _subject(spans: list[EntitySpan], text: str, verb_start: int) -> list[EntitySpan]:
    """Entity spans forming the subject just before a verb: 'A (A1) and the U.S.' B (B1) signed'."""
    app = _APPOSITIVE.search(text[:verb_start])
    if app and re.search(r"\b[a-z]{3,}\b", app.group(1)) and not re.match(r"\s*(?:and|or|but|which|who)\b",
                                                                          app.group(1)):
        verb_start = app.start()
    cands = sorted([s for s in spans if s.end <= verb_start], key=lambda s: s.start)
    if not cands:
        return []
    last = cands[-1]
    if not _ADVERB_GAP.match(text[last.end:verb_start]) or verb_start - last.end > 40:
        return []
    out = [last]
    for s in reversed(cands[:-1]):
        if s.end > out[-1].start:
            out.append(s)  # nested / overlapping spans
            continue
        gap = text[s.end:out[-1].start]
        title_gap = out[-1].entity_type == "person" and len(gap) <= 90 and _TITLE_GAP.match(gap)
        if not title_gap and (len(gap) > 40 or not _gap_ok(gap)):
            break
        if re.search(r"\b(?:with|between)\s+(?:the\s+)?$", text[max(0, s.start - 14):s.start]):
            break  # "... with B, and C signed": B is the counter-party of an earlier clause
        out.append(s)
    return list(reversed(out))


# the title before a person's name: "Minister Lee and Poland's Deputy Prime Minister and Minister of State
# Assets Jacek Sasin signed"
_TITLE_GAP = re.compile(r"^(?:['’]s)?\s*(?:,?\s*(?:and|&|the|its|their|[Tt]he)\s+)*(?:['’]s\s+)?"
                        r"(?:(?:[A-Z][\w.&'’-]*|of|for|and|the|on|,)\s*)+$")


def _between(spans: list[EntitySpan], text: str, pos: int) -> list[EntitySpan]:
    """The parties of "... between A (A1) and the B (B1)" starting at `pos`."""
    cands = sorted([s for s in spans if s.start >= pos], key=lambda s: s.start)
    if not cands or not _gap_ok(text[pos:cands[0].start]) or cands[0].start - pos > 40:
        return []
    out = [cands[0]]
    for s in cands[1:]:
        if s.start < out[-1].end:
            out.append(s)
            continue
        gap = text[max(x.end for x in out):s.start]
        if len(gap) > 40 or not _gap_ok(gap):
            break
        out.append(s)
    return out


def _parties(spans: list[EntitySpan], people: dict[str, tuple[str | None, str | None]]) -> list[tuple[str, str]]:
    orgs: list[tuple[str, str]] = []
    countries: list[tuple[str, str]] = []
    signer_countries: list[tuple[str, str]] = []
    for s in spans:
        if s.entity_type == "organization":
            item = ("organization", s.entity_id)
            if item not in orgs:
                orgs.append(item)
        elif s.entity_type == "country":
            item = ("country", s.entity_id)
            if item not in countries:
                countries.append(item)
        elif s.entity_type == "person":
            org, country = people.get(s.entity_id, (None, None))
            if org and ("organization", org) not in orgs:
                orgs.append(("organization", org))
            if country and ("country", country) not in countries:
                countries.append(("country", country))
            if country and not org and ("country", country) not in signer_countries:
                signer_countries.append(("country", country))  # a signer known only by country
    return orgs + signer_countries if orgs else countries


def _subject_phrase(text: str) -> str | None:
    m = re.match(r"^\s*(?:\([A-Za-z]+\)\s*)?(?:,\s*[^,]{0,80},\s*)?(?:"
                 + alternation("agreement_types.yaml", "subject_prepositions")
                 + r")\s+(.+)",
                 text)
    if not m:
        return None
    phrase = re.split(r"[;.]|,\s+(?:and|with|which|while)\b|\s+and\s+(?:agreed|held|decided|will|discussed)\b|"
                      r",\s+and\b", m.group(1))[0].strip(" ,")
    words = phrase.split()
    return " ".join(words[:16]) if words else None


_NAME_BEFORE = re.compile(r"((?:[A-Z][\w.’'-]*\s+){1,8})$")


def _named_countries(doc: Document, text: str, im: re.Match) -> list[str]:
    """Countries in the capitalised name ending with the instrument word ("Korea-India Comprehensive
    Economic Partnership Agreement"), or in the name an acronym ("CEPA") stands for in the document."""
    names = []
    m = _NAME_BEFORE.search(text[max(0, im.start() - 120):im.start()])
    if m:
        names.append(m.group(1))
    word = im.group(0)
    if word.isupper():
        for field in (doc.title, doc.body):
            for d in re.finditer(r"((?:[A-Z][\w.’'-]*\s+){1,8})(?:[A-Z][\w-]*\s+)?\(" + re.escape(word) + r"\)",
                                 field):
                names.append(d.group(1))
    for n in names:
        codes = countries_in_name(n)
        if len(codes) >= 2:
            return sorted(codes)
    return []


# "With Tanzania, ...", "First, with Tanzania, ...", "Also, with eight African countries, including Ghana, ...,"
_FRONTED_WITH = re.compile(r"\s*(?:[A-Z][a-z]+,\s+)?[Ww]ith\s+(?P<list>[^;]{2,200}?),\s+(?=(?:the\s+)?[A-Za-z])")


_QUOTED = re.compile(r"\s*[“\"]|\s*(?:when|once|if)\b", re.IGNORECASE)  # a quotation or a condition


def _document_countries(entities: EntityResult) -> list[str]:
    """The countries of a document, those of its title first, then by how often the body names them."""
    title = [s.entity_id for s in entities.spans if s.entity_type == "country" and s.field == "title"]
    body = [s.entity_id for s in entities.spans if s.entity_type == "country" and s.field == "body"]
    ranked = sorted(dict.fromkeys(body), key=lambda c: -body.count(c))
    return list(dict.fromkeys(title + ranked))


_INTENDED = re.compile(r"\b(?:" + alternation("agreement_types.yaml", "intention_cues") + r")\s+(?:\w+\s+){0,5}$",
                       re.IGNORECASE)
_COUNTED = re.compile(r"\b(?:" + alternation("agreement_types.yaml", "count_words") + r"|\d+)\s+$", re.IGNORECASE)
_GENERIC_WORDS = frozenset(w.lower() for w in alternation("agreement_types.yaml", "generic_instruments").split("|"))
# "the Seoul government said Monday": the day of a statement, not of the instrument
_REPORTED = re.compile(r"\b(?:" + alternation("agreement_types.yaml", "reporting_verbs") + r")\s+(?:on\s+)?$",
                       re.IGNORECASE)
# "The agreement will be signed Thursday", "According to the agreement": a definite reference to an instrument
# the text introduced before
_DEFINITE = re.compile(r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:[a-z][\w-]*\s+){0,3}$")
# "The two Ministers signed an MOU": a subject that names the parties only as the principals of the text
_PAIR_SUBJECT = re.compile(r"\b(?:[Tt]he\s+two|[Bb]oth)\s+(?:" + alternation("agreement_types.yaml", "pair_nouns")
                           + r")\b", re.IGNORECASE)


def _date_for(sent_dates: list[DateMention], sentence: Sentence, events: list[Event]) -> date | None:
    sent_dates = [d for d in sent_dates if not _REPORTED.search(sentence.text, max(0, d.start - 16), d.start)]
    good = [d for d in sent_dates if d.precision in ("day", "month")]
    if good:
        return good[0].value
    for ev in events:
        if ev.field == sentence.field and sentence.start <= ev.start < sentence.end and ev.start_date:
            return ev.start_date
    m = re.search(r"\b(?:at|during|on the sidelines of|on the margins of)\s+the\s+(\w+)", sentence.text, re.IGNORECASE)
    if m:
        word = m.group(1).lower()
        for ev in events:
            if word[:5] in ev.name.lower() and ev.start_date:
                return ev.start_date
    return None


def extract_agreements(doc: Document, entities: EntityResult, events: list[Event] | None = None,
                       sentences: list[Sentence] | None = None) -> list[Agreement]:
    kn = _kn()
    events = events or []
    sentences = sentences or document_sentences(doc)
    people = {p.person_id: (p.organization_id, p.country_code) for p in entities.people}
    today = dateline_date(doc.body, doc.published_date) or doc.published_date
    doc_countries = _document_countries(entities)
    out: list[Agreement] = []

    def add(agr: Agreement) -> None:
        key = (agr.agreement_type, frozenset(agr.parties))
        for a in out:
            if (a.agreement_type, frozenset(a.parties)) == key:
                return
        out.append(agr)

    # the document itself is a joint statement ("Joint Statement on ...", "Joint Statement <name> <date>")
    jm = re.match(r"\s*(joint (?:statement|declaration|communiqu[eé]))\b", doc.title, re.IGNORECASE) or \
        re.match(r"\s*(joint (?:statement|declaration|communiqu[eé]))\b", doc.body, re.IGNORECASE)
    if jm:
        field = "title" if re.match(r"\s*joint", doc.title, re.IGNORECASE) else "body"
        lead = [s for s in sentences if s.field == "body"][:3]
        scope = [s for s in entities.spans if (s.field == "title") or
                 any(x.start <= s.start < x.end and s.field == "body" for x in lead)]
        parties: list[tuple[str, str]] = []
        for s in scope:
            if s.entity_type == "person":
                org, country = people.get(s.entity_id, (None, None))
                for item in ([("organization", org)] if org else []) + ([("country", country)] if country else []):
                    if item not in parties:
                        parties.append(item)
            elif s.entity_type == "country" and ("country", s.entity_id) not in parties:
                parties.append(("country", s.entity_id))
        for code in sorted(countries_in_name(doc.title)):
            if ("country", code) not in parties:
                parties.append(("country", code))
        subj = re.sub(r"^\s*joint (?:statement|declaration|communiqu[eé])\s*(?:on|of|regarding)?\s*[:\-–]?\s*", "",
                      doc.title, flags=re.IGNORECASE).strip() or None
        sent = sentences[0] if field == "title" else next(s for s in sentences if s.field == "body")
        if parties:
            jtype = _type_of(jm.group(1).lower())
            add(Agreement(
                local_id="", agreement_type=jtype if jtype != "other" else "joint_statement", signed_date=today,
                subject=subj, is_binding=False, evidence=sent.text, field=field, start=jm.start(1),
                end=jm.end(1), parties=parties,
            ))

    for sent in sentences:
        text = sent.text
        instruments = list(kn.instrument.finditer(text))
        if not instruments:  # dates and spans are needed only for an instrument word
            continue
        sent_dates = find_dates(text, doc.published_date, today=today)
        spans = sorted([s for s in entities.spans if s.field == sent.field and sent.start <= s.start < sent.end],
                       key=lambda s: s.start)
        local = [EntitySpan(s.entity_type, s.entity_id, s.field, s.start - sent.start, s.end - sent.start, s.text)
                 for s in spans]
        prev_end = -10
        for im in instruments:
            word = im.group(0)
            atype = _type_of(word)
            after_prev, prev_end = (text[prev_end:im.start()] if prev_end >= 0 else "-"), im.end()
            if atype == "other" or re.fullmatch(r"\s*\(", after_prev):
                continue  # "memorandum of understanding (MoU)": the acronym is the same instrument
            clause_lo = max(text.rfind(";", 0, im.start()), -1) + 1
            before = text[clause_lo:im.start()]
            verbs = list((kn.statement if atype == "joint_statement" else kn.signing).finditer(before))
            if atype == "joint_statement":
                verbs += list(kn.signing.finditer(before))
                verbs.sort(key=lambda v: v.start())
            verb = None
            if verbs and im.start() - (clause_lo + verbs[-1].end()) <= 70:
                verb = verbs[-1]
                verb_start = clause_lo + verb.start()
            else:
                post = re.match(r"^\s*(?:\([A-Za-z]+\)\s*)?(?:(?:"
                                + alternation("agreement_types.yaml", "passive_auxiliaries")
                                + r")\s+(?:\w+\s+)?)?("
                                + alternation("agreement_types.yaml", "concluded_verbs")
                                + r"|"
                                r"entered into (?:force|effect)|came into (?:force|effect)|took effect)\b",
                                text[im.end():])
                # "last month's preliminary terms with Amkor": an instrument already concluded
                done = re.search(r"\b(?:last|previous|earlier this|this)\s+(?:week|month|year)['’]s\s+$",
                                 text[max(0, im.start() - 40):im.start()])
                if not post and not done:
                    continue
                verb_start = None
            if _INTENDED.search(text, max(0, clause_lo, im.start() - 60), im.start()):
                continue  # "with the target of signing the agreement", "aims to sign an FTA": not concluded
            if atype == "agreement":
                prev = text[max(0, im.start() - 30):im.start()].lower()
                if re.search(r"\b("
                             + alternation("agreement_types.yaml", "reached_cues")
                             + r")\s+(an?\s+|the\s+)?$", prev):
                    continue
            if verb_start is not None:
                subj_spans = _subject(local, text, verb_start)
            else:
                subj_spans = _subject(local, text, clause_lo + len(before.rstrip(" ,")) -
                                      len(re.search(r"((?:an?|the)\s+(?:[\w-]+\s+){0,4})?$", before).group(0)))
            after_parties = im.end()
            # "an MOU (was) signed on the same day between A and B"
            bm = re.match(r"^[^.;]{0,160}?\bbetween\s+", text[im.end():])
            if bm and not re.search(r"\bwith\b", bm.group(0)):
                between = _between(local, text, im.end() + bm.end())
                subj_spans = subj_spans + [b for b in between if b not in subj_spans]
                after_parties = max((b.end for b in between), default=after_parties)
                after_parties += len(re.match(r"\)?", text[after_parties:]).group(0))
            # counter-parties: every "with <entity>" after the instrument
            with_parts: list[tuple[list[EntitySpan], int]] = []
            # ... or fronted before the subject: "With Tanzania and Madagascar, MOTIE entered MOUs on ..."
            fm = _FRONTED_WITH.match(text, clause_lo)
            cut = text.rfind(",", fm.start("list"), verb_start if verb_start is not None else im.start()) \
                if fm else -1
            if fm and cut > 0:
                front = [s for s in local if fm.start("list") <= s.start and s.end <= cut
                         and s.entity_type in ("country", "organization")]
                with_parts.extend(([s], s.start) for s in front)
                subj_spans = [s for s in subj_spans if s not in front]
            # up to the next instrument: "A signed an MOU with B, and C signed an MOU with D"
            limit = next((o.start() for o in instruments if o.start() >= im.end() and
                          not re.fullmatch(r"\s*\(", text[im.end():o.start()])), len(text))
            for wm in re.finditer(r"\bwith\s+(?:the\s+)?", text[im.end():limit]):
                pos = im.end() + wm.end()
                if pos - im.end() > 260:
                    break
                first = [s for s in local if s.start == pos or (s.start > pos and s.start - pos <= 12 and
                                                                 s.entity_type == "organization")]
                if first:
                    group = [s for s in local if first[0].start <= s.start < first[0].end + 1] or first[:1]
                    with_parts.append((group[:1] if group[0].entity_type != "country" or len(group) == 1
                                       else [g for g in group if g.entity_type == "organization"][:1] or group[:1],
                                       pos))
            if out and not bm and not with_parts and not subj_spans and _DEFINITE.search(text, 0, im.start()) \
                    and not re.match(r"\s+(?:[a-z]+\s+)?by\s", text[im.end():]):
                prior = next((a for a in reversed(out) if a.agreement_type == atype or word.lower() in
                              ("agreement", "deal", "memorandum")), None)
                if prior is not None:
                    # the same instrument again: it may say when it is signed ("will be signed Thursday")
                    if prior.signed_date is None:
                        prior.signed_date = _date_for(sent_dates, sent, events)
                    continue
            base = _parties(subj_spans, people)
            if not base and out and re.match(r"\s*(?:They|Both sides|The two sides)\b", text[clause_lo:]):
                # "They also signed a Joint Statement with ...": the signers of the instrument before
                base = [p for p in out[-1].parties if p[0] == "organization"] or list(out[-1].parties)
            if not base and _PAIR_SUBJECT.search(text, clause_lo, verb_start or im.start()):
                # the two principals of the text sign: their organizations (or countries)
                principals = [s for s in entities.spans if s.entity_type == "person"]
                seen: set[str] = set()
                pair: list[EntitySpan] = []
                for sp in principals:
                    code = people.get(sp.entity_id, (None, None))[1]
                    if sp.entity_id not in {x.entity_id for x in pair} and (code is None or code not in seen):
                        pair.append(sp)
                        seen.add(code or sp.entity_id)
                    if len(pair) == 2:
                        break
                base = _parties(pair, people) if len(pair) == 2 else []
            if not base and not with_parts and atype in ("agreement", "treaty"):
                # "the Korea-India CEPA entered into force": the countries named in the instrument's name
                base = [("country", c) for c in _named_countries(doc, text, im)]
            binding = kn.binding.get(atype, True)
            ctx = text[max(0, im.start() - 40): im.end() + 10]
            if kn.non_binding.search(ctx):
                binding = False
            elif kn.is_binding.search(ctx):
                binding = True
            signed = _date_for(sent_dates, sent, events)
            if re.search(r"\brecently\b", before[-60:], re.IGNORECASE) and not sent_dates:
                signed = None
            plural = word.lower().endswith(("s", "memoranda", "letters")) or word.lower().startswith("memoranda")
            groups: list[tuple[list[tuple[str, str]], int]] = []
            if with_parts and (plural or len(with_parts) > 1):
                for grp, pos in with_parts:
                    groups.append((base + [p for p in _parties(grp, people) if p not in base], pos))
            else:
                extra = [p for grp, _ in with_parts for p in _parties(grp, people)]
                groups.append((base + [p for p in extra if p not in base], with_parts[-1][1] if with_parts else
                               after_parties))
            counted = not groups[0][0] and _COUNTED.search(text, 0, im.start()) is not None
            if len(groups) == 1 and len(groups[0][0]) < 2 and not with_parts and not _QUOTED.match(text) and \
                    not (counted and not any(s.entity_type == "organization" for s in local)):
                # ("witnessed the signing of two agreements": whose, the sentence does not say)
                # "The two Ministers signed an MOU", "witnessed the signing of an agreement": the subject names
                # no party; the sentence's entities are the parties, else the document's countries
                parties = list(groups[0][0])
                for p in _parties(local, people) + [("country", c) for c in doc_countries]:
                    if len(parties) >= 2:
                        break
                    if p not in parties:
                        parties.append(p)
                groups = [(parties, groups[0][1])]
            for parties, pos in groups:
                if len(parties) < 2 and not (parties and (with_parts or atype == "joint_statement")):
                    continue
                subj_text = text[pos:]
                if with_parts:
                    ent = next((s for s in local if s.start >= pos), None)
                    subj_text = text[ent.end:] if ent else subj_text
                subject = (_subject_phrase(text[im.end():]) if bm else None) or _subject_phrase(subj_text) \
                    or _subject_phrase(text[im.end():])
                add(Agreement(
                    local_id="", agreement_type=atype, signed_date=signed, subject=subject, is_binding=binding,
                    evidence=text, field=sent.field, start=sent.start + im.start(), end=sent.start + im.end(),
                    parties=parties,
                ))
    # a headline naming only countries ("Korea and Poland sign MOU") restates an agreement of the body; so does
    # one sharing a party with it ("Ex-Im Bank and Dubai Council Sign $5 Billion Agreement") or a generic "deal"
    for a in [a for a in out if a.field == "title"]:
        generic = doc.title[a.start:a.end].lower() in _GENERIC_WORDS
        body = next((b for b in out if b.field == "body" and (
            (b.agreement_type == a.agreement_type or generic) and all(t == "country" for t, _ in a.parties)
            or set(a.parties) & set(b.parties))), None)
        if body is not None:
            body.parties.extend(p for p in a.parties if p not in body.parties)
            out.remove(a)
    for i, a in enumerate(out, 1):
        a.local_id = f"a{i}"
    return out
