"""Pledges: a named party commits (or has spent) a stated amount of money.

A money amount (money.py) becomes a pledge only when a funding word is tied to it in its clause
(invest, pledge, commit, fund, support, budget, declaration of investment, R&D project ...) and it is
not a trade / market / sales figure. Status: realized for money already spent ("has invested",
"thus far"), pledged otherwise. One figure written in two currencies is one pledge; a figure
repeated (headline and body) is one pledge.
"""
from __future__ import annotations

import re
from datetime import date

from orchestration.domain.extract.knowledge import alternation
from orchestration.domain.extract.mentions.countries import country_of_word
from orchestration.domain.extract.mentions.dates import find_dates
from orchestration.domain.extract.mentions.money import MoneyMention, find_money
from orchestration.domain.extract.models import Document, EntityResult, EntitySpan, Pledge, Sentence
from orchestration.domain.extract.text import document_sentences

_FUNDING = re.compile(
    r"\b(" + alternation("money.yaml", "funding_words") + r")\b",
    re.IGNORECASE,
)
_NOT_PLEDGE_AFTER = re.compile(
    r"^\s*(?:worth\s+of\s+)?(?:in\s+)?(?:(?:" + alternation("money.yaml", "statistic_adjectives") + r")\s+)?"
    r"(" + alternation("money.yaml", "not_pledge_after_nouns") + r")(?![\w-])",
    re.IGNORECASE,
)
_NOT_PLEDGE_BEFORE = re.compile(
    r"\b(exports?|imports?|trade(?: volume)?|sales|revenues?|turnover|market(?: size| value)?|"
    + alternation("money.yaml", "statistic_nouns")
    + r"|"
    r"(?:investment )?(?:position|stock|inflows?|outflows?))"
    r"(?:\s+\w+){0,4}\s+(?:"
    + alternation("money.yaml", "statistic_verbs")
    + r"|(?:"
    + alternation("money.yaml", "growth_verbs")
    + r")(?: from)?)\s+$",
    re.IGNORECASE,
)
# investment statistics: "FDI in Korea reached a record USD 22.9 billion", "cumulative investment in India has
# reached about USD 7.2 billion" -- a total of many investors' money, not one party's commitment
_INVESTMENT_STATISTIC = re.compile(
    r"\b(?:FDI|foreign direct investment|investments?|inflows?)\b(?:\s+[\w()'’-]+){0,5}?\s+"
    r"(?:has |have |had )?(?:"
    + alternation("money.yaml", "statistic_totals")
    + r")(?:\s+(?:a|an)\s+(?:record|all-time)(?:\s+high)?(?:\s+of)?)?\s+$",
    re.IGNORECASE,
)
# a range "from USD 12.1 billion in 2009 to USD 27.8 billion": the second figure of a growth statistic
_RANGE_END = re.compile(r"\bfrom\s+[^\s\d]*\s?\d[\d.,]*(?:\s+\w+){0,2}(?:\s+in\s+\d{4})?\s+to\s+$", re.IGNORECASE)
_REALIZED = re.compile(
    r"\b(?:(?:has|have|had|having)\s+(?:\w+\s+){0,3}?(?:"
    + alternation("money.yaml", "realized_verbs")
    + r")|"
    + alternation("money.yaml", "realized_adverbs")
    + r")\b",
    re.IGNORECASE,
)
_PLEDGED = re.compile(
    r"\b(" + alternation("money.yaml", "pledge_cues") + r")\b",
    re.IGNORECASE,
)
_REPORTING = re.compile(r"\b(?:" + alternation("text.yaml", "reporting_verbs") + r")\b(?:\s+\w+){0,6}?\s+that\b",
                        re.IGNORECASE)
# between two amounts of one list: ", Cuckoo Homesys Co. Ltd (" / ") and YoungReem Tech Co. Ltd. ("
_LIST_CONTINUES = re.compile(r"\)?,?\s+(?:and\s+)?(?:[A-Z][\w&.'’-]*\s+){1,6}\(")
_RECIPIENT_TYPES = {"university", "research_institute"}


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(text.rfind(";", 0, start), -1) + 1
    hi = text.find(";", end)
    return lo, (hi if hi != -1 else len(text))


def _spans_in(spans: list[EntitySpan], field: str, lo: int, hi: int) -> list[EntitySpan]:
    return [s for s in spans if s.field == field and lo <= s.start and s.end <= hi]


def _add(parties: list[tuple[str, str, str]], item: tuple[str, str, str]) -> None:
    if item not in parties and not any(p[0] == item[0] and p[1] == item[1] for p in parties):
        parties.append(item)


def _purpose(text: str, pos: int, immediate: bool = True) -> str | None:
    rest = text[pos:]
    for m in re.finditer(r"\b(?:"
                         + alternation("money.yaml", "purpose_prepositions")
                         + r")\s+(?!the\s+past\b|over\b|order\b|the occasion\b)",
                         rest[:160]):
        if immediate and m.start() > 3:
            break
        phrase = re.split(r"[,;.()]|\s+(?:and\s+(?:agreed|held|will|plans?)|"
                          + alternation("money.yaml", "purpose_stops")
                          + r")\b", rest[m.end():])[0].strip()
        words = phrase.split()
        if not words:
            continue
        if len(words) <= 3 and country_of_word(" ".join(words)) or (len(words) == 1 and country_of_word(words[0])):
            continue  # "in Korea" is the target, not the purpose
        if words[0].lower() in {"the", "a", "an"} and len(words) <= 2:
            continue
        return " ".join(words[:12])
    return None


def _one_pledge(doc: Document, sent: Sentence, money: MoneyMention, entities: EntityResult,
                org_types: dict[str, str], person_orgs: dict[str, str | None],
                in_list: bool = False) -> Pledge | None:
    """The pledge `money` states, if it is one. `in_list`: the amount continues a list of pledged amounts
    ("A, which plans to invest RM499 million, B (RM104 million) and C (RM74 million)"), so the funding word
    of the list's first amount counts for it."""
    text = sent.text
    lo, hi = _clause_bounds(text, money.start, money.end)
    before = text[lo:money.start]
    after = text[money.end:hi]
    if _NOT_PLEDGE_AFTER.search(after) or _NOT_PLEDGE_BEFORE.search(before[-60:]) \
            or _INVESTMENT_STATISTIC.search(before[-90:]) or _RANGE_END.search(before[-60:]):
        return None
    window = text[max(lo, money.start - 110): min(hi, money.end + 70)]
    if not in_list and not _FUNDING.search(window):
        return None
    # status from the nearest cue before the amount, else just after it
    cues = [(m.end(), "realized") for m in _REALIZED.finditer(before[-110:])] + \
           [(m.end(), "pledged") for m in _PLEDGED.finditer(before[-110:])]
    if cues:
        status = max(cues)[1]
    elif _REALIZED.search(after[:70]):
        status = "realized"
    else:
        status = "pledged"

    # parties
    field = sent.field
    subj_lo = sent.start + lo
    rep = list(_REPORTING.finditer(text[lo:money.start]))
    if rep:
        subj_lo = sent.start + lo + rep[-1].end()
    before_spans = _spans_in(entities.spans, field, subj_lo, sent.start + money.start)
    after_spans = _spans_in(entities.spans, field, sent.start + money.end, sent.start + hi)
    parties: list[tuple[str, str, str]] = []
    orgs = [s for s in before_spans if s.entity_type == "organization"]
    if in_list and orgs:
        orgs = orgs[-1:]  # "..., Cuckoo Homesys Co. Ltd (RM104 million)": the name before the amount
    people = [s for s in before_spans if s.entity_type == "person"]
    if orgs:
        funders = [s for s in orgs if org_types.get(s.entity_id) not in _RECIPIENT_TYPES] or orgs
        receivers = [s for s in orgs if s not in funders]
        for s in funders:
            _add(parties, ("organization", s.entity_id, "pledger"))
        for s in receivers:
            _add(parties, ("organization", s.entity_id, "recipient"))
    elif people:
        for s in people:
            _add(parties, ("person", s.entity_id, "pledger"))
            if person_orgs.get(s.entity_id):
                _add(parties, ("organization", person_orgs[s.entity_id], "pledger"))
    else:
        later = [s for s in _spans_in(entities.spans, field, sent.start + money.end, sent.end)
                 if s.entity_type == "organization"]
        # "..., Corning plans to invest": the subject follows a fronted participle clause
        if re.match(r"^[^,]*,\s*$", text[money.end: (later[0].start - sent.start) if later else money.end]) and later:
            _add(parties, ("organization", later[0].entity_id, "pledger"))
        else:
            countries = [s for s in before_spans if s.entity_type == "country"]
            for s in countries[:1]:
                _add(parties, ("country", s.entity_id, "pledger"))
    # recipients: "to/for <organization>" after the amount
    for m in re.finditer(r"\b(?:to|for|with)\s+(?:the\s+)?", after):
        nxt = [s for s in after_spans if s.entity_type == "organization" and
               s.start == sent.start + money.end + m.end()]
        for s in nxt:
            _add(parties, ("organization", s.entity_id, "recipient"))

    # target country: "in/into/to <country>" after (or just before) the amount
    target = None
    for s in _spans_in(entities.spans, field, sent.start + max(lo, money.start - 80), sent.start + hi):
        if s.entity_type != "country":
            continue
        pre = doc.text(field)[max(0, s.start - 8): s.start].lower()
        if re.search(r"\b(in|into|to)\s+(the\s+)?$", pre):
            target = s.entity_id
            break
    if target is None:
        m = re.search(r"\b(?:in|into)\s+((?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)",
                      text[max(lo, money.start - 80):hi])
        if m:
            target = country_of_word(m.group(1).removeprefix("the ")) or None
    if target is None:
        recips = [p for p in parties if p[2] == "recipient" and p[0] == "organization"]
        for r in recips:
            c = next((o.country_code for o in entities.organizations if o.organization_id == r[1]), None)
            if c:
                target = c
                break

    dates = [d for d in find_dates(text, doc.published_date) if d.precision in ("day", "month")]
    pledge_date: date | None = dates[0].value if dates else doc.published_date
    purpose = _purpose(text, money.end)
    if purpose is None:
        cue = list(_FUNDING.finditer(text[max(lo, money.start - 110):money.start]))
        if cue:
            c0 = max(lo, money.start - 110) + cue[-1].start()
            phrase = re.split(r"[,;()]|\s+(?:totaling|totalling|worth|of|amounting)\b", text[c0:money.start])[0]
            purpose = " ".join(phrase.split()[:10]) or None
        if purpose is None:
            after_cue = _FUNDING.search(text[money.end:hi])
            if after_cue:
                purpose = _purpose(text, money.end + after_cue.start(), immediate=False)
    return Pledge(
        local_id="", amount=money.amount, currency=money.currency,
        usd_amount_stated=money.amount if money.currency == "USD" else (
            money.alt_amount if money.alt_currency == "USD" else None),
        alt_amount=money.alt_amount, alt_currency=money.alt_currency, status=status,
        is_approximate=money.is_approximate, target_country_code=target, purpose=purpose,
        pledge_date=pledge_date, evidence=text, field=field,
        start=sent.start + money.start, end=sent.start + money.end, parties=parties,
    )


def _same_amount(a: Pledge, b: Pledge) -> bool:
    figs_a = [(a.amount, a.currency)] + ([(a.alt_amount, a.alt_currency)] if a.alt_amount else [])
    figs_b = [(b.amount, b.currency)] + ([(b.alt_amount, b.alt_currency)] if b.alt_amount else [])
    return any(ca == cb and x and abs(x - y) <= 0.02 * x for x, ca in figs_a for y, cb in figs_b)


def extract_pledges(doc: Document, entities: EntityResult, sentences: list[Sentence] | None = None) -> list[Pledge]:
    sentences = sentences or document_sentences(doc)
    org_types = {o.organization_id: o.organization_type for o in entities.organizations}
    person_orgs = {p.person_id: p.organization_id for p in entities.people}
    found: list[Pledge] = []
    # body first, so a headline figure repeats a body pledge rather than the reverse
    for sent in sorted(sentences, key=lambda s: (s.field == "title", s.start)):
        last_end = None  # end of the last pledged amount of this sentence
        for money in find_money(sent.text):
            in_list = last_end is not None and _LIST_CONTINUES.fullmatch(sent.text[last_end:money.start]) is not None
            p = _one_pledge(doc, sent, money, entities, org_types, person_orgs, in_list)
            if p is None:
                last_end = None
                continue
            last_end = money.end
            dup = next((q for q in found if _same_amount(q, p)), None)
            if dup is not None:
                if not dup.parties:
                    dup.parties.extend(p.parties)
                if dup.alt_amount is None and p.alt_amount is not None:
                    dup.alt_amount, dup.alt_currency = p.alt_amount, p.alt_currency
                continue
            found.append(p)
    found.sort(key=lambda p: (p.field != "title", p.start))
    for i, p in enumerate(found, 1):
        p.local_id = f"p{i}"
    return found
