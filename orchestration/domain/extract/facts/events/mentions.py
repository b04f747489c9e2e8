"""Noun-phrase event mentions of one sentence ("the 3rd Korea-Japan Industry Forum", "a roundtable hosted by ...")."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from orchestration.domain.extract.facts.events.names import ordinal_of
from orchestration.domain.extract.facts.events.phrases import (
    _cap_run,
    _grow_left,
    _grow_right,
    _match_head,
    _possessive_head,
    _type_for,
    spec_of,
)
from orchestration.domain.extract.facts.events.vocabulary import _NUM_ORDINAL, CONNECTORS, ORDINALS, knowledge
from orchestration.domain.extract.knowledge import alternation
from orchestration.domain.extract.mentions.dates import (
    DateMention,
)
from orchestration.domain.extract.models import EntityResult, Sentence
from orchestration.domain.extract.text import phrase_tokens

# --------------------------------------------------------------------------- mentions

@dataclass
class _Mention:
    name: str
    event_type: str
    head: str
    sentence: Sentence
    start: int  # offsets in the field
    end: int
    proper: bool  # has a capitalised (distinctive) part
    backref: bool
    standing: bool
    anchored: bool
    subordinate: bool = False
    date: DateMention | None = None
    city: tuple[str, str] | None = None
    attendees: int | None = None
    participants: list[tuple[str, str]] = field(default_factory=list)
    from_meeting_verb: bool = False
    short_ordinal: bool = False  # "the 3rd Dialogue": an ordinal and the bare head of a body named before

    @property
    def field(self) -> str:
        return self.sentence.field


_OCCASION = re.compile(r"\b(?P<act>"
                       + alternation("event_types.yaml", "occasion_acts")
                       + r")\s+of\s+(?P<obj>(?:the\s+)?[^,;:\"“”]{3,140}?)\s+at\s+$", re.IGNORECASE)
# "co-chaired the plenary session of the U.S.-Brazil Commercial Dialogue": one sitting of a standing body
_SESSION_OF = re.compile(r"\b(?:plenary\s+session|plenary|session)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# "discussed the IPEF negotiations": a standing process named as what was talked about
_TOPIC_BEFORE = re.compile(r"\b(?:" + alternation("event_types.yaml", "topic_verbs") + r")"
                           r"\s+(?:the\s+)?(?:[^.;]{0,80},\s+(?:and\s+)?(?:the\s+)?)?$", re.IGNORECASE)
_SUBORDINATE = re.compile(r"("
                          + alternation("event_types.yaml", "subordinate_nouns")
                          + r")\s+of\s+(the\s+)?$|\bfor\s+(the\s+)?$|"
                          r"\bincluding\s+(an?|the)\s+$|\bat\s+the\s+$",
                          re.IGNORECASE)
_MARGINS = re.compile(r"(?:margins?|sidelines?|(?:opening|first)\s+day)\s+of\s+(the\s+)?$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _anchor_verb_re() -> re.Pattern:
    """An event verb right after a name ("..., which was held"): one pattern for all the anchor verbs
    (it matches where any one of the per-verb patterns would)."""
    verbs = knowledge().anchor_verbs
    alts = "|".join(re.escape(v) for v in verbs) if verbs else "(?!x)x"
    return re.compile(rf"\s*,?\s*(?:which|that)?\s*(?:was|were|is|will be)?\s*(?:{alts})\b")


def _sentence_mentions(sent: Sentence, entities: EntityResult, date_mentions: list[DateMention]) -> list[_Mention]:
    k = knowledge()
    toks = phrase_tokens(sent.text)
    date_spans = [(d.start, d.end) for d in date_mentions if d.precision != "year"]
    person_spans = [(s.start - sent.start, s.end - sent.start) for s in entities.spans
                    if s.field == sent.field and s.entity_type == "person" and sent.start <= s.start < sent.end]
    out: list[_Mention] = []
    i = 0
    head_starts = k.head_starts
    while i < len(toks):
        low = toks[i].low
        # _match_head's first test inline: most words start no head
        hit = _match_head(toks, i) if low in head_starts or _possessive_head(low, k) else None
        if hit is None:
            i += 1
            continue
        head, he = hit
        if he < len(toks) and (_match_head(toks, he) is not None and toks[he].is_cap == toks[i].is_cap):
            i += 1  # "Ministerial Meeting": the later head ends the name
            continue
        if he < len(toks) and toks[he].low in k.followers:
            i = he
            continue
        head_cap = toks[i].text[0].isupper()
        if head_cap:
            # "Dialogue (SCCD) Semiconductor Forum": a head inside a longer capitalised name is not the end
            j = he + 1 if he < len(toks) and toks[he].is_acronym else he
            run_end = _cap_run(toks, j, date_spans, person_spans)
            if any(_match_head(toks, x) is not None for x in range(j, run_end)):
                i += 1
                continue
        first, bounded = _grow_left(toks, i, head_cap, date_spans, person_spans)
        # "the first Dialogue held in Washington", "the 3rd Dialogue": an ordinal and the capitalised head alone
        short_ordinal = head_cap and he - i == 1 and (first == i or first == i - 1) and i > 0 and \
            (toks[i - 1].low in ORDINALS or bool(_NUM_ORDINAL.fullmatch(toks[i - 1].low)))
        if short_ordinal:
            first = i - 1
        # a lower-case head with "meeting" used as a verb ("while meeting with")
        if not head_cap and head in {"meeting", "meetings"} and he < len(toks) and toks[he].low == "with":
            i = he
            continue
        bare = not head_cap and first == i and i > 0 and toks[i - 1].low in {"a", "an"}
        last, cut = _grow_right(toks, he, date_spans, person_spans, head, bare=bare)
        venue_prefix = ""
        if bare and last > he and toks[he].low == "at":
            # a gathering known only by its venue ("SK hynix unveiled the plant at a ceremony at Purdue
            # University this April") is an event when the sentence dates it and names its actor
            clause = max(sent.text.rfind(";", 0, toks[i].start), sent.text.rfind(", which", 0, toks[i].start) + 1,
                         0)
            orgs = [x for x in entities.spans if x.field == sent.field and x.entity_type == "organization" and
                    sent.start + clause <= x.start and x.end <= sent.start + toks[first].start]
            if not date_spans or not orgs:
                i = he
                continue
            venue_prefix = orgs[-1].text + " "
        while first < i and toks[first].low in CONNECTORS:
            first += 1
        name_toks = toks[first:last]
        if cut:
            name = sent.text[toks[first].start: toks[cut[0] - 1].end] + " " + \
                sent.text[toks[cut[1]].start: toks[last - 1].end]
            name_toks = toks[first:cut[0]] + toks[cut[1]:last]
        else:
            name = sent.text[toks[first].start: toks[last - 1].end]
        name = venue_prefix + name
        occasion = None
        if bare and not venue_prefix and last == he and date_spans and spec_of(head).get("type") == "ceremony":
            # "declared the official launch of negotiations to upgrade the FTA at a ceremony held in Seoul on
            # November 22": the ceremony is named by the act it marks
            occasion = _OCCASION.search(sent.text, 0, toks[i - 1].start)
            if occasion:
                name = f"{occasion.group('act').capitalize()} {head} of {occasion.group('obj').strip()}"
        inner = [t for t in name_toks[:i - first] + name_toks[he - first:]]
        proper = any(t.is_cap and t.low not in k.qualifiers for t in inner) or \
            (head_cap and any(t.is_cap for t in inner)) or occasion is not None
        det = toks[first - 1].low if first > 0 else ""
        # "the fourth round of negotiations": an ordinal names one occurrence of a standing process
        counted = bool(spec_of(head).get("standing")) and ordinal_of(name) is not None and \
            head in {"round", "rounds"} | {h for h, v in k.heads.items() if v["type"] == "negotiation_round"}
        backref = not proper and not counted and (det in {"the", "this", "that"} or (head_cap and first == i))
        if counted and not proper:
            proper = True
        if not proper and not backref:
            i = he
            continue
        spec = k.heads[head]
        if spec.get("capitalised_only") and not head_cap:
            i = he  # "last week": only a capitalised name ("Foreign Investment Week 2018") is an event
            continue
        # anchored: an ordinal in the name, or an event verb around it
        after = sent.text[toks[last - 1].end: toks[last - 1].end + 40].lower()
        before = sent.text[max(0, toks[first].start - 30): toks[first].start].lower()
        anchored = any(t.low in k.anchor_words or t.low in ORDINALS or _NUM_ORDINAL.fullmatch(t.low)
                       for t in name_toks) or \
            _anchor_verb_re().match(after) is not None or \
            bool(re.search(r"\b(" + alternation("event_types.yaml", "anchoring_verbs_before") + r")"
                           r"\s+(?:the|a|an|its|their)?\s*$", before)) or \
            bool(_SESSION_OF.search(before))
        mention = _Mention(
            name=name, event_type=_type_for(head, name), head=head, sentence=sent,
            start=sent.start + toks[first].start, end=sent.start + toks[last - 1].end,
            proper=proper, backref=backref, standing=bool(spec.get("standing")), anchored=anchored,
        )
        if short_ordinal and last == he:
            mention.short_ordinal, mention.proper, mention.backref = True, False, True
        mention.subordinate = bool(_SUBORDINATE.search(sent.text[max(0, toks[first].start - 40): toks[first].start]))
        out.append(mention)
        i = last
    return out


