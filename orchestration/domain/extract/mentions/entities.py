"""Entity extraction for one document: people, organizations, countries and every occurrence of them.

Order of work (both fields, title and body, are read together so the title can use names the body
defines):
  1. countries (`countries.py`);
  2. organizations: reference table, acronym definitions, head-word grammar, patterns around names
     (`organizations.py`), then every further occurrence of a known name, alias or acronym;
  3. people: titled names and appositions, then back-references ("Minister Ahn", "the Secretary")
     resolved to a person already named in the document (`people.py`);
  4. mentions with their evidence sentence, and the `EntitySpan`s handed to fact extraction.
"""
from __future__ import annotations

import re
from collections import Counter

from orchestration.domain.extract.knowledge import alternation, word_list
from orchestration.domain.extract.mentions.countries import find_countries
from orchestration.domain.extract.mentions.names import name_parts, preferred_full_name, split_name
from orchestration.domain.extract.mentions.organizations import (
    Candidate,
    OrgInfo,
    acronym_definitions,
    acronym_long_form,
    defined_name_type,
    evaluate_segment,
    grammar_candidates,
    head_type,
    info_from_record,
    list_items,
    lookup_reference,
    lookup_reference_in_country,
    non_org_heads,
    pattern_candidates,
    reference_spans,
    splitting_titles,
    valid_pattern_name,
    weak_alias_spans,
)
from orchestration.domain.extract.mentions.people import (
    PersonHit,
    acronym_titles,
    find_person_hits,
    is_name_token,
    is_particle,
    title_organization,
    titled_surname_titles,
)
from orchestration.domain.extract.models import Document, EntityResult, EntitySpan, Mention, Organization, Person
from orchestration.domain.extract.text import (
    Token,
    document_sentences,
    find_literals,
    is_capitalised,
    sentence_at,
    tokenize,
)
from orchestration.domain.resolve.keys import organization_key, person_key

FIELDS = ("title", "body")


class _Doc:
    def __init__(self, doc: Document):
        self.doc = doc
        self.texts = {"title": doc.title or "", "body": doc.body or ""}
        self.orgs: dict[str, OrgInfo] = {}
        self.org_spans: dict[str, list[tuple[int, int, str, str]]] = {f: [] for f in FIELDS}  # s, e, id, source
        self.acronyms: dict[str, str] = {}  # acronym defined in the doc -> organization id
        self.non_org_acronyms: set[str] = set()

    # ------------------------------------------------------------ organizations
    def register(self, info: OrgInfo) -> OrgInfo:
        cur = self.orgs.get(info.organization_id)
        if cur is None:
            self.orgs[info.organization_id] = info
            return info
        for a in [info.name, info.acronym, *info.aliases]:
            if a and a != cur.name and a not in cur.aliases and a != cur.acronym:
                cur.aliases.append(a)
        cur.acronym = cur.acronym or info.acronym
        cur.country_code = cur.country_code or info.country_code
        if cur.organization_type == "other":
            cur.organization_type = info.organization_type
        return cur

    def find_surface(self, text: str) -> str | None:
        key = organization_key(text)
        for oid, info in self.orgs.items():
            if any(organization_key(s) == key for s in info.surfaces()):
                return oid
        return None

    def add_span(self, f: str, s: int, e: int, org_id: str, source: str) -> None:
        if source == "acronym":  # a defined long form wins over shorter names read inside it
            self.org_spans[f] = [x for x in self.org_spans[f]
                                 if not (s <= x[0] and x[1] <= e and x[1] - x[0] < e - s and x[2] != org_id)]
        self.org_spans[f].append((s, e, org_id, source))

    def overlaps(self, f: str, s: int, e: int) -> list[tuple[int, int, str, str]]:
        return [x for x in self.org_spans[f] if x[0] < e and s < x[1]]


def _context_country(text: str, start: int, country_spans) -> str | None:
    """Country named just before an organization: "Korean", "the Korea-based", "the U.S.'"."""
    for c in country_spans:
        if start - 40 <= c.start and c.end <= start:
            between = text[c.end:start]
            if re.fullmatch(r"(?:-based)?(?:['’]s?)?\s+(?:[a-z][\w-]*\s+){0,3}", between):
                return c.code
    return None


def _name_country(s: int, e: int, country_spans) -> str | None:
    for c in country_spans:
        if s <= c.start and c.end <= e:
            return c.code
    return None


_PERSON_APPOSITION = re.compile(
    r",\s+(?:the\s+|a\s+|an\s+)?(?:[A-Z][\w.-]*\s+){0,3}(?:" + "|".join(sorted(
        word_list("people.yaml", "appositive_titles"), key=len, reverse=True))
    + r")\b")


def _find_organizations(d: _Doc, countries: dict[str, list]) -> None:
    doc_codes = {c.code for f in FIELDS for c in countries[f]}
    # 1. reference table
    for f in FIELDS:
        text = d.texts[f]
        for s, e, rec in reference_spans(text):
            info = d.register(info_from_record(rec))
            surface = text[s:e]
            if surface not in info.surfaces():
                info.aliases.append(surface)
            d.add_span(f, s, e, info.organization_id, "reference")
        for s, e, rec in weak_alias_spans(text):
            if rec.country_code in doc_codes:
                info = d.register(info_from_record(rec))
                d.add_span(f, s, e, info.organization_id, "weak")
    # 2. acronym definitions
    for f in FIELDS:
        text = d.texts[f]
        for ls, le, as_, ae, acr in acronym_definitions(text):
            long_form = text[ls:le]
            words = long_form.split()
            if ((words[-1] in non_org_heads() or words[-1].removesuffix("s") in non_org_heads())
                    and not any(head_type(w) for w in words[:-1])) or re.fullmatch(r"[A-Z]+[A-Z]s", acr):
                # "Economic Partnership Agreement (EPA)", "economic development organizations (EDOs)"
                d.non_org_acronyms.add(acr)
                continue
            ctx_country = _name_country(ls, le, countries[f]) or _context_country(text, ls, countries[f])
            rec = lookup_reference(long_form) or lookup_reference_in_country(long_form, ctx_country) \
                or lookup_reference(acr)
            if rec is not None:
                info = d.register(info_from_record(rec))
                if acr not in info.surfaces():
                    info.aliases.append(acr)
                d.acronyms[acr] = info.organization_id
                if long_form.split()[0] not in splitting_titles() and long_form.split()[0] not in (
                        "Minister", "Secretary"):  # "Minister of Trade, Industry and Energy (MOTIE)": a title
                    if long_form not in info.surfaces():
                        info.aliases.append(long_form)
                    d.add_span(f, ls, le, info.organization_id, "acronym")
                    d.add_span(f, as_, ae, info.organization_id, "acronym")
                continue
            first = long_form.split()[0]
            if first in splitting_titles() or first in ("Minister", "Secretary"):
                continue
            after = text[ae + 1:ae + 40]
            if re.match(r"\s[A-Z]", after):
                d.non_org_acronyms.add(acr)  # "Carbon Free Energy (CFE) Initiative": read as one name
                continue
            toks = tokenize(long_form)
            cand = evaluate_segment(text, [Token(ls + t.start, ls + t.end, t.text) for t in toks])
            if cand is None or cand.end - cand.start < (le - ls) - 1:
                typ = defined_name_type(acr, [t.text for t in toks])
                if typ is None:
                    d.non_org_acronyms.add(acr)
                    continue
                cand = Candidate(ls, le, long_form, typ)
            country = _name_country(ls, le, countries[f]) or _context_country(text, ls, countries[f])
            info = d.register(OrgInfo(organization_key(long_form), long_form, acr, [], cand.organization_type,
                                      country))
            d.acronyms[acr] = info.organization_id
            d.add_span(f, ls, le, info.organization_id, "acronym")
            d.add_span(f, as_, ae, info.organization_id, "acronym")
    # a reference acronym the document defines as something else, or as another organization, is read so
    for f in FIELDS:
        text = d.texts[f]
        kept = []
        for sp in d.org_spans[f]:
            surface = text[sp[0]:sp[1]]
            if sp[3] in ("reference", "weak") and surface in d.non_org_acronyms:
                continue
            if sp[3] in ("reference", "weak") and surface in d.acronyms and d.acronyms[surface] != sp[2]:
                sp = (sp[0], sp[1], d.acronyms[surface], "acronym")
            kept.append(sp)
        d.org_spans[f] = kept
    # 2b. "Export-Import Bank of the United States (Ex-Im Bank)": a short name in parentheses after a name
    for f in FIELDS:
        _parenthesised_aliases(d, f, countries[f])
    # 3. grammar and patterns
    for f in FIELDS:
        text = d.texts[f]
        pcands, alias_pairs = pattern_candidates(text)
        for cand in grammar_candidates(text) + pcands:
            over = d.overlaps(f, cand.start, cand.end)
            if any(not (cand.start <= o[0] and o[1] <= cand.end and (o[1] - o[0]) < (cand.end - cand.start))
                   for o in over):
                continue
            if over and cand.organization_type == "company" and not any(
                    cand.text.split()[-1] != d.texts[f][o[0]:o[1]].split()[-1] for o in over):
                continue
            if any(o[1] == cand.end and o[0] > cand.start and re.search(r"\s(?:and|&)\s+$", text[cand.start:o[0]])
                   for o in over):
                continue  # "Korea Zinc and Hyundai Steel", "North Carolina and Panasonic Energy": a list
            in_country = lookup_reference_in_country(cand.text, _context_country(text, cand.start, countries[f]))
            rec = in_country or lookup_reference(cand.text)
            known = d.find_surface(cand.text)
            if known is not None and (in_country is None or known == organization_key(in_country.name)):
                d.add_span(f, cand.start, cand.end, known, "grammar")
                continue
            if rec is not None:
                info = d.register(info_from_record(rec))
                if cand.text not in info.surfaces():
                    info.aliases.append(cand.text)
            elif _joins_known(d, cand.text):
                continue  # "DEC and Ex-Im Bank anticipate": two organizations, each known on its own
            else:
                name = re.sub(r"^(?:[Tt]he)\s+", "", cand.text)
                if name in d.non_org_acronyms:
                    continue
                country = _name_country(cand.start, cand.end, countries[f]) or _context_country(
                    text, cand.start, countries[f])
                variants = [cand.text] if cand.text != name else []
                if "(" in name:
                    # "Ewha-Syensqo Research & Innovation (R&I) Center": also "... R&I Center"
                    m = re.search(r"\(([^()]*)\)", name)
                    lf = acronym_long_form(name, m.start()) if m else None
                    if lf:
                        variants.append((name[:lf[0]] + m.group(1) + name[m.end():]).replace("  ", " "))
                    name = re.sub(r"\s*\([^()]*\)\s*", " ", name).strip()
                    variants.append(cand.text)
                info = d.register(OrgInfo(organization_key(name), name, None, list(dict.fromkeys(variants)),
                                          cand.organization_type, country))
            d.add_span(f, cand.start, cand.end, info.organization_id, "grammar")
        for (os_, oe), (ns, ne) in alias_pairs:
            target = next((x[2] for x in d.org_spans[f] if x[0] <= ns and ne <= x[1]), None)
            if target and target in d.orgs:
                old = text[os_:oe]
                if old not in d.orgs[target].surfaces():
                    d.orgs[target].aliases.append(old)
                old_id = organization_key(old)
                if old_id != target and old_id in d.orgs and not d.orgs[old_id].from_reference:
                    del d.orgs[old_id]  # the former name is the same organization
                    for g in FIELDS:
                        d.org_spans[g] = [(a, b, target if o == old_id else o, src)
                                          for a, b, o, src in d.org_spans[g]]
    for f in FIELDS:  # again, after the names the grammar found
        _parenthesised_aliases(d, f, countries[f])
    # 3a. "AfDB President Adesina", "DFC Chief Executive Officer Adam Boehler": an acronym heading a title
    for f in FIELDS:
        _acronyms_before_titles(d, f, countries[f])
    # 3b. lists mostly made of organizations: the other names in them are organizations too
    for f in FIELDS:
        text = d.texts[f]
        for items in list_items(text):
            known = [next((o for o in d.org_spans[f] if o[0] < e and s < o[1]), None) for s, e in items]
            n_known = sum(1 for k in known if k)
            if n_known * 2 < len(items) or n_known == len(items):
                continue
            if len({k[2] for k in known if k}) < 2:
                continue  # "Ministry of Trade, Industry and Energy, Cheong Seung-il": one name's own commas
            types = Counter(d.orgs[k[2]].organization_type for k in known if k and k[2] in d.orgs)
            for (s, e), k in zip(items, known, strict=True):
                if k:
                    continue
                span = re.sub(r"\s*\([^()]*\)$", "", text[s:e])
                if _PERSON_APPOSITION.match(text, s + len(span)):
                    continue  # "Darpan Jain, Joint Secretary of ...": a person
                if re.search(r"\b(?:in|at|near|from|into)\s+$", text[max(0, s - 8):s]):
                    continue  # "... with POSCO in Gwangyang, and ...": a place
                cand = valid_pattern_name(text, (s, s + len(span)))
                if cand is None or any(c.start < cand.end and cand.start < c.end for c in countries[f]) \
                        and cand.end - cand.start <= max(c.end - c.start for c in countries[f]):
                    continue
                typ = cand.organization_type if cand.text.split()[-1] in cand.text and head_type(
                    cand.text.split()[-1]) else types.most_common(1)[0][0]
                rec = lookup_reference(cand.text)
                info = d.register(info_from_record(rec) if rec else OrgInfo(
                    organization_key(cand.text), cand.text, None, [], typ, None))
                d.add_span(f, cand.start, cand.end, info.organization_id, "list")
    # 4. every further occurrence of a known surface (names, aliases seen, defined acronyms)
    surfaces: dict[str, str] = {}
    for oid, info in d.orgs.items():
        for s in info.surfaces():
            if len(s) >= 2 and (s.isupper() or len(s) >= 4) and s not in d.non_org_acronyms:
                surfaces.setdefault(s, oid)
    for acr, oid in d.acronyms.items():
        surfaces[acr] = oid
    if surfaces:
        for f in FIELDS:
            text = d.texts[f]
            for s, e in find_literals(text, surfaces, "&"):
                if not d.overlaps(f, s, e):
                    d.add_span(f, s, e, surfaces[text[s:e]], "repeat")


def _headline_names(hits: list[PersonHit]) -> list[PersonHit]:
    """A headline's capitalised words run on after a name ("Secretary Locke Completes Clean Energy ..."):
    a headline name whose first words are those of a person the body names is cut to them."""
    body_parts = {x.lower().replace("-", "") for h in hits if h.field == "body" and h.kind == "name"
                  for x in name_parts(h.text)}
    out = []
    for h in hits:
        words = h.text.split()
        if h.field == "title" and h.kind == "name" and body_parts:
            k = 0
            while k < len(words) and words[k].lower().replace("-", "") in body_parts:
                k += 1
            if 0 < k < len(words):
                text = " ".join(words[:k])
                h = PersonHit(h.field, h.start, h.start + len(text), text, "name" if k >= 2 else "surname",
                              h.title, h.title_words, h.organization_id, h.country_code, h.portfolio)
        out.append(h)
    return out


_PAREN_SHORT = re.compile(r"\s?\(\s*([A-Z][\w&.’'-]*(?:\s[A-Z][\w&.’'-]*){0,2})\s*\)")


def _parenthesised_aliases(d: _Doc, f: str, country_spans) -> None:
    """"Export-Import Bank of the United States (Ex-Im Bank)", "Korea Water Resources Corporation (K-Water)":
    a short name of one to three capitalised words in parentheses right after a known organization, with
    the same first letter, is another name of it (acronyms proper are read by `acronym_definitions`)."""
    text = d.texts[f]
    for _s, e, oid, _ in list(d.org_spans[f]):
        m = _PAREN_SHORT.match(text, e)
        if not m or oid not in d.orgs:
            continue
        short = m.group(1)
        name = re.sub(r"^(?:[Tt]he)\s+", "", d.orgs[oid].name)
        if short[0] != name[0] or short in d.orgs[oid].surfaces() or short in d.acronyms or len(short) < 3 \
                or any(c.start < m.end(1) and m.start(1) < c.end for c in country_spans):
            continue
        d.orgs[oid].aliases.append(short)
        old = organization_key(short)
        if old != oid and old in d.orgs and not d.orgs[old].from_reference:
            del d.orgs[old]  # read as a name of its own by the grammar: the same organization
            for g in FIELDS:
                d.org_spans[g] = [(a, b, oid if o == old else o, src) for a, b, o, src in d.org_spans[g]]
        d.org_spans[f] = [x for x in d.org_spans[f] if not (x[0] == m.start(1) and x[1] == m.end(1))]
        d.add_span(f, m.start(1), m.end(1), oid, "alias")


def _joins_known(d: _Doc, name: str) -> bool:
    """Is this name two names joined by "and", one of them an organization already known?"""
    parts = [re.sub(r"^(?:[Tt]he)\s+", "", p).strip() for p in re.split(r"\s+and\s+", name)]
    return len(parts) > 1 and any(p in d.acronyms or d.find_surface(p) or lookup_reference(p) for p in parts)


def _acronyms_before_titles(d: _Doc, f: str, country_spans) -> None:
    text = d.texts[f]
    titles = acronym_titles()
    for m in _ACRONYM_TOKEN.finditer(text):
        acr = m.group(1)
        nxt = re.match(r"\s+([A-Z][\w-]*)", text[m.end():m.end() + 40])
        if not nxt or nxt.group(1) not in titles or acr in d.non_org_acronyms or d.overlaps(f, m.start(1), m.end(1)) \
                or any(c.start < m.end(1) and m.start(1) < c.end for c in country_spans):
            continue
        oid = d.acronyms.get(acr) or d.find_surface(acr)
        if oid is None:
            rec = lookup_reference(acr)
            info = d.register(info_from_record(rec) if rec else OrgInfo(organization_key(acr), acr, acr, [],
                                                                         "other", None))
            oid = info.organization_id
        d.acronyms.setdefault(acr, oid)
        d.add_span(f, m.start(1), m.end(1), oid, "acronym-title")


_ACRONYM_TOKEN = re.compile(r"(?<![\w&.’'-])([A-Z][a-z]?[A-Z][A-Za-z&]{0,6})(?![\w&’'-])")


def _resolve_people(d: _Doc, countries, hits: list[PersonHit]):
    doc_countries = Counter(c.code for f in FIELDS for c in countries[f])
    people: dict[str, dict] = {}
    order: list[str] = []
    for h in hits:
        if h.kind != "name":
            continue
        key = person_key(h.text)
        if not key:
            continue
        p = people.get(key)
        if p is None:
            p = people[key] = dict(spellings=[], hits=[], title=None, org=None, country=None, title_words=[])
            order.append(key)
        if h.text not in p["spellings"]:
            p["spellings"].append(h.text)
        p["hits"].append(h)
        if h.title and not p["title"]:
            p["title"] = h.title
            p["title_words"] = list(h.title_words)
        p["org"] = p["org"] or h.organization_id
        p["country"] = p["country"] or h.country_code
        if not p["org"] and h.title_words:
            implied = title_organization(h.title_words, h.portfolio, h.country_code, doc_countries)
            if implied:
                rec = lookup_reference(implied[0])
                p["org"] = organization_key(rec.name if rec else implied[0])
                p["country"] = p["country"] or implied[1]
    # "The Ministry of X (MX) announced that Minister Lee ...": a bare "Minister" of the announcing ministry
    publisher = _publisher(d)
    if publisher is not None:
        pub_country = d.orgs[publisher].country_code
        for p in people.values():
            words = set(p["title_words"])
            if not p["org"] and words and words <= {"Minister", "Vice-Minister"} \
                    and p["country"] in (None, pub_country) and all(
                        not h.portfolio for h in p["hits"]):
                p["org"] = publisher
                p["country"] = p["country"] or pub_country
    for p in people.values():
        if not p["country"] and p["org"]:
            info = d.orgs.get(p["org"])
            rec = lookup_reference(info.name) if info else None
            p["country"] = (info.country_code if info else None) or (rec.country_code if rec else None)
    return people, order


def _publisher(d: _Doc) -> str | None:
    """The ministry a press release speaks for: "The Ministry of X (MX) announced/said that ..." at the
    start of the body."""
    text = d.texts["body"]
    spans = sorted(d.org_spans["body"])
    if not spans:
        return None
    s, e, oid, _ = spans[0]
    if oid not in d.orgs or not re.match(r"^\W*(?:[A-Z][\w.]*,?\s+){0,6}?(?:[Tt]he\s+)?$", text[:s]):
        return None
    info = d.orgs[oid]
    if info.organization_type != "government" or not re.search(r"\bMinistry\b", info.name):
        return None
    if not re.match(r"\s*(?:\([^()]{1,15}\)\s*)?(?:has\s+|on\s+\w+\s+\d+\s+)?(?:"
                    + alternation("text.yaml", "reporting_verbs_entities")
                    + r")\b", text[e:]):
        return None
    return oid


def _new_titled_surname(h: PersonHit, parts_of: dict[str, set[str]], texts: dict[str, str]) -> bool:
    """A surname after a person title ("President Obama") that no named person of the document carries:
    not part of a longer name here ("King Abdullah Economic City") nor after a given name elsewhere
    ("Marcos Pereira"), and, in a headline, written in the body too."""
    ws = [x.lower().replace("-", "") for x in h.text.split() if not is_particle(x)] or [h.text.lower()]
    if any(all(w in parts for w in ws) for parts in parts_of.values()):
        return False
    if not any(w in titled_surname_titles() for w in h.title_words) or len(h.text) < 3:
        return False
    if re.match(r"\s+[A-Z]", texts[h.field][h.end:h.end + 2]):
        return False
    pattern = re.compile(rf"\b([A-Z][\w’'-]*)\s+{re.escape(h.text)}\b")
    if any(is_name_token(m.group(1)) for t in texts.values() for m in pattern.finditer(t)):
        return False
    return h.field == "body" or re.search(rf"\b{re.escape(h.text)}\b", texts["body"]) is not None


def _position(f: str, s: int) -> tuple[int, int]:
    return (0 if f == "title" else 1, s)


def extract_entities(doc: Document) -> EntityResult:
    d = _Doc(doc)
    countries = {f: find_countries(d.texts[f]) for f in FIELDS}
    _find_organizations(d, countries)

    # ---- people
    hits: list[PersonHit] = []
    for f in FIELDS:
        org_spans = [(s, e, oid) for s, e, oid, _ in d.org_spans[f]]
        ctry = [(c.start, c.end, c.code) for c in countries[f]]
        hits.extend(find_person_hits(d.texts[f], f, org_spans, ctry))
    hits = _headline_names(hits)
    people, order = _resolve_people(d, countries, hits)
    person_spans: dict[str, list[tuple[int, int, str]]] = {f: [] for f in FIELDS}
    for key in order:
        for h in people[key]["hits"]:
            person_spans[h.field].append((h.start, h.end, key))
    parts_of = {k: {x.lower().replace("-", "") for sp in people[k]["spellings"] for x in name_parts(sp)}
                for k in order}
    # back-references by surname / by title; a titled surname nobody in the document carries is a person
    # known by that name alone ("President Obama", "Commissioner Simson")
    for h in sorted((h for h in hits if h.kind in ("surname", "title")), key=lambda h: _position(h.field, h.start)):
        if h.kind == "surname" and _new_titled_surname(h, parts_of, d.texts):
            key = person_key(h.text)
            if key and key not in people:
                people[key] = dict(spellings=[h.text], hits=[], title=h.title, org=h.organization_id,
                                   country=h.country_code, title_words=list(h.title_words))
                order.append(key)
                parts_of[key] = {x.lower().replace("-", "") for x in name_parts(h.text)}
                person_spans[h.field].append((h.start, h.end, key))
                continue
        target = None
        if h.kind == "surname":
            ws = [x.lower().replace("-", "") for x in h.text.split() if not is_particle(x)] or [h.text.lower()]
            w = ws[-1]
            cands = [k for k in order if all(x in parts_of[k] for x in ws)]
            target = cands[0] if len(cands) == 1 else None
            if len(cands) > 1:
                fam = [k for k in cands if (split_name(people[k]["spellings"][0])[0] or "").lower() == w]
                target = fam[0] if fam else cands[0]
        else:
            cands = [k for k in order if h.text in people[k]["title_words"]
                     or (people[k]["title"] and h.text in people[k]["title"].split())]
            if cands:
                before = [(max((_position(x.field, x.start) for x in people[k]["hits"]
                                if _position(x.field, x.start) <= _position(h.field, h.start)), default=None), k)
                          for k in cands]
                before = [b for b in before if b[0] is not None]
                target = max(before)[1] if before else cands[0]
        if target:
            person_spans[h.field].append((h.start, h.end, target))
    # the same name written in another order or spelling without a title ("Later, Dukgeun Ahn said")
    for f in FIELDS:
        text = d.texts[f]
        toks = tokenize(text)
        is_name = [is_name_token(t.text) for t in toks]
        for i in range(len(toks)):
            if not is_name[i]:
                continue  # both widths start with this token
            for width in (3, 2):
                seq = toks[i:i + width]
                if len(seq) < width or not all(is_name[i:i + width]) or any(
                        text[a.end:b.start] != " " for a, b in zip(seq, seq[1:], strict=False)):
                    continue
                key = person_key(" ".join(t.text for t in seq))
                if key in people:
                    s, e = seq[0].start, seq[-1].end
                    if not any(a < e and s < b for a, b, _ in person_spans[f]):
                        person_spans[f].append((s, e, key))
                        if text[s:e] not in people[key]["spellings"]:
                            people[key]["spellings"].append(text[s:e])
                    break
    # further occurrences of the full spellings and of the family name
    for k in order:
        p = people[k]
        forms = sorted(set(p["spellings"]), key=len, reverse=True)
        fam = split_name(preferred_full_name(p["spellings"]))[0]
        for f in FIELDS:
            text = d.texts[f]
            for form in forms + ([fam] if fam and len(fam) >= 3 and is_name_token(fam) else []):
                for s, e in find_literals(text, (form,), "-"):
                    if any(a < e and s < b for a, b, _ in person_spans[f]):
                        continue
                    if form == fam:
                        nxt = re.match(r"\s+([A-Z][\w-]*)", text[e:e + 30])
                        if nxt and is_name_token(nxt.group(1)):
                            continue
                    person_spans[f].append((s, e, k))
    # organizations may not cover a person's name
    for f in FIELDS:
        d.org_spans[f] = [o for o in d.org_spans[f]
                          if not any(a < o[1] and o[0] < b for a, b, _ in person_spans[f])]

    # ---- output
    sentences = document_sentences(doc)
    result = EntityResult()

    def evidence(f: str, s: int) -> str:
        sent = sentence_at(sentences, f, s)
        return sent.text if sent else d.texts[f]

    rows: list[tuple[str, str, str, int, int]] = []
    for f in FIELDS:
        text = d.texts[f]
        seen = set()
        for s, e, oid, _ in sorted(d.org_spans[f]):
            if (s, e, oid) not in seen and oid in d.orgs:
                seen.add((s, e, oid))
                rows.append(("organization", oid, f, s, e))
        for c in countries[f]:
            rows.append(("country", c.code, f, c.start, c.end))
        for s, e, k in sorted(set(person_spans[f])):
            rows.append(("person", k, f, s, e))
        del text
    rows.sort(key=lambda r: (_position(r[2], r[3]), r[0]))
    for typ, eid, f, s, e in rows:
        surface = d.texts[f][s:e]
        result.mentions.append(Mention(typ, eid, surface, f, s, e, evidence(f, s)))
        result.spans.append(EntitySpan(typ, eid, f, s, e, surface))

    mentioned_orgs = {r[1] for r in rows if r[0] == "organization"}
    for oid, info in d.orgs.items():
        if oid not in mentioned_orgs:
            continue
        seen_surfaces = {d.texts[f][s:e] for f in FIELDS for s, e, o, _ in d.org_spans[f] if o == oid}
        aliases = [a for a in dict.fromkeys(info.aliases + sorted(seen_surfaces))
                   if a and a != info.name and a != info.acronym]
        result.organizations.append(Organization(oid, info.name, info.acronym, aliases, info.organization_type,
                                                 info.country_code))
    for k in order:
        p = people[k]
        full = preferred_full_name(p["spellings"])
        family, given = split_name(full)
        aliases = [s for s in p["spellings"] if s != full]
        result.people.append(Person(k, full, family, given, aliases, p["title"], p["org"], p["country"]))
    return result


__all__ = ["extract_entities", "is_capitalised"]
