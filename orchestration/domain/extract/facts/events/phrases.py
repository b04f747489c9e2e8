"""Growing an event name around its head noun: left over the name, right over its complement, host or venue."""
from __future__ import annotations

import re

from orchestration.domain.extract.facts.events.vocabulary import CONNECTORS, DETERMINERS, _Knowledge, knowledge
from orchestration.domain.extract.knowledge import word_set
from orchestration.domain.extract.mentions.places import city_country
from orchestration.domain.extract.text import PhraseToken


def _possessive_head(word: str, k: _Knowledge) -> bool:
    """ "forum's": a one-word head less a possessive. (A word not ending in "s" can only be a head if it
    is in `head_starts`, so most words are settled without building the stripped forms.)"""
    return word[-1:] == "s" and word.removesuffix("'s").removesuffix("’s") in k.heads


def _match_head(toks: list[PhraseToken], i: int) -> tuple[str, int] | None:
    k = knowledge()
    if i >= len(toks):
        return None
    # every head starts with this token's word (or is this word, less a possessive)
    first = toks[i].low
    if first not in k.head_starts and not _possessive_head(first, k):
        return None
    for n in range(k.max_head_words, 0, -1):
        if i + n > len(toks):
            continue
        words = [t.low for t in toks[i:i + n]]
        if not all(t.is_word for t in toks[i:i + n]):
            continue
        phrase = " ".join(words)
        phrase = phrase.removesuffix("'s").removesuffix("’s")
        if phrase in k.heads:
            return phrase, i + n
    return None


def spec_of(head: str) -> dict:
    return knowledge().heads.get(head, {})


def _type_for(head: str, name: str) -> str:
    k = knowledge()
    base = k.heads[head]["type"]
    low = " " + re.sub(r"[\s\-–]+", " ", name.lower()) + " "
    for rule in k.type_modifiers:
        if base not in rule.get("head_types", []):
            continue
        for w in rule["words"]:
            if f" {str(w).lower()} " in low:
                return rule["type"]
    return base


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def _stop_word(toks: list[PhraseToken], j: int) -> bool:
    k = knowledge()
    if toks[j].low in k.stops:
        return True
    return j > 0 and f"{toks[j - 1].low} {toks[j].low}" in k.stops


def _grow_left(toks: list[PhraseToken], i: int, proper: bool, date_spans, person_spans) -> tuple[int, bool]:
    """Index of the first token of the name ending at head index i; and whether a determiner bounds it."""
    k = knowledge()
    j = i - 1
    first = i
    if proper:
        while j >= 0:
            t = toks[j]
            if not t.is_word or _stop_word(toks, j) or _overlaps(date_spans, t.start, t.end) or \
                    _overlaps(person_spans, t.start, t.end):
                break
            if t.is_cap or t.low in k.qualifiers:
                first = j
            elif t.low in CONNECTORS and j > 0 and toks[j - 1].is_word and toks[j - 1].is_cap and \
                    not _stop_word(toks, j - 1):
                pass  # tentatively inside the name
            else:
                break
            j -= 1
        return first, j >= 0 and toks[j].low in DETERMINERS
    # a lower-case head: a description bounded by a determiner ("the Korea-Japan summit")
    steps = 0
    while j >= 0 and steps < 8:
        t = toks[j]
        if not t.is_word or t.low in DETERMINERS or t.low.endswith(("'s", "’s")) and not t.low.endswith("s'") \
                and t.low not in k.qualifiers:
            break
        if _stop_word(toks, j) or t.low in word_set("event_types.yaml", "description_stops"):
            break
        if _overlaps(date_spans, t.start, t.end) or _overlaps(person_spans, t.start, t.end):
            break
        first = j
        j -= 1
        steps += 1
    bounded = j < 0 or toks[j].low in DETERMINERS or toks[j].low.endswith(("'s", "’s"))
    if not bounded:
        # no determiner: keep only the capitalised / qualifier words next to the head
        first = i
        j = i - 1
        while j >= 0 and toks[j].is_word and (toks[j].is_cap or toks[j].low in k.qualifiers) and \
                not _stop_word(toks, j) and not _overlaps(date_spans, toks[j].start, toks[j].end) and \
                not _overlaps(person_spans, toks[j].start, toks[j].end):
            first = j
            j -= 1
    return first, bounded


def _cap_run(toks: list[PhraseToken], j: int, date_spans, person_spans) -> int:
    """End index (exclusive) of a run of capitalised words starting at j (connectors allowed inside)."""
    end = j
    while j < len(toks):
        t = toks[j]
        if not t.is_word or _overlaps(date_spans, t.start, t.end) or _overlaps(person_spans, t.start, t.end):
            break
        if t.is_cap and t.low not in knowledge().stops:
            end = j + 1
        elif t.low in CONNECTORS and j + 1 < len(toks) and toks[j + 1].is_cap and toks[j + 1].is_word:
            pass
        else:
            break
        j += 1
    return end


_ROUND_OBJECTS = {"negotiations", "negotiation", "talks", "consultations", "consultation"}
_ROUND_STOPS = word_set("event_types.yaml", "round_stops")
_WITH_HEADS = {"roundtable", "roundtables", "round table"}
_PHRASE_STOPS = word_set("event_types.yaml", "phrase_stops")


def _free_phrase(toks: list[PhraseToken], j: int, date_spans, limit: int, stops: set[str]) -> int:
    """End index (exclusive) of a descriptive phrase starting at j: words up to punctuation, a date,
    a clause word in `stops` or `limit` tokens; trailing connectors are dropped."""
    end = j
    while end < len(toks) and end - j < limit:
        t = toks[end]
        if not t.is_word or _overlaps(date_spans, t.start, t.end) or (end > j and t.low in stops):
            break
        end += 1
    while end > j and toks[end - 1].low in CONNECTORS | word_set("event_types.yaml", "phrase_trailing_words"):
        end -= 1
    return end


_VENUE_FOLLOWERS = word_set("event_types.yaml", "venue_followers")
_BY_VERBS = word_set("event_types.yaml", "host_verbs")


def _host_phrase(toks: list[PhraseToken], e: int, date_spans) -> int:
    """ "a roundtable hosted by the American Chamber of Commerce of the Philippines (AmCham Philippines)":
    end index of the host phrase after a bare head, or e when there is none."""
    if not (e + 2 < len(toks) and toks[e].low in _BY_VERBS and toks[e + 1].low == "by"):
        return e
    j = e + 2
    if toks[j].low == "the" and j + 1 < len(toks):
        j += 1
    if not toks[j].is_cap:
        return e
    end = _free_phrase(toks, j, date_spans, 12, _PHRASE_STOPS - {"and", "in"} | {"with", "for", "under"})
    while end > j and not toks[end - 1].is_cap:
        end -= 1
    # a short parenthesised name right after it: "(AmCham Philippines)"
    if end < len(toks) and toks[end].text == "(":
        close = next((x for x in range(end + 1, min(end + 5, len(toks))) if toks[x].text == ")"), None)
        if close and all(t.is_cap for t in toks[end + 1:close]):
            end = close + 1
    return end if end > j else e


def _grow_right(toks: list[PhraseToken], e: int, date_spans, person_spans,
                head: str = "", bare: bool = False) -> tuple[int, tuple[int, int] | None]:
    """End index of the name whose head ends at token e, and a token range inside it to leave out of
    the name (a date between the head and its complement: "ceremony on July 3 for HLI Green Power").
    `bare`: the head stands alone ("a roundtable"), so its host may name it."""
    k = knowledge()
    cut: tuple[int, int] | None = None
    if bare:
        host_end = _host_phrase(toks, e, date_spans)
        if host_end > e:
            return host_end, None
        # "unveiled at a ceremony at Purdue University": the venue names a bare gathering
        if e + 1 < len(toks) and toks[e].low == "at":
            j = e + 2 if toks[e + 1].low == "the" and e + 2 < len(toks) else e + 1
            end = _cap_run(toks, j, date_spans, person_spans)
            nxt = toks[end] if end < len(toks) else None
            whole = nxt is None or not nxt.is_word or nxt.is_cap or nxt.low in _VENUE_FOLLOWERS or \
                _overlaps(date_spans, nxt.start, nxt.end)
            if end > j and toks[j].is_word and toks[j].text[0].isupper() and whole:
                return end, None
    if e < len(toks) and re.fullmatch(r"(19|20)\d\d", toks[e].text):
        e += 1
    if e < len(toks) and toks[e].is_acronym:
        e += 1
    # "round of negotiations to upgrade the UK's free trade agreement with Korea"
    if head in {"round", "rounds"} and e + 1 < len(toks) and toks[e].low == "of":
        j = e + 1
        if toks[j].low == "the" and j + 1 < len(toks):
            j += 1
        # "the first round of upgrade negotiations": one or two lower-case modifiers before the object
        for skip in (1, 2):
            if toks[j].low not in _ROUND_OBJECTS and j + skip < len(toks) and \
                    toks[j + skip].low in _ROUND_OBJECTS and \
                    all(t.is_word and t.text[0].islower() and t.low not in _ROUND_STOPS | CONNECTORS
                        for t in toks[j:j + skip]):
                j += skip
                break
        if toks[j].low in _ROUND_OBJECTS:
            e = j + 1
            if e < len(toks) and toks[e].low in {"on", "to", "for", "over"}:
                end = _free_phrase(toks, e + 1, date_spans, 12, _ROUND_STOPS)
                if end > e + 1:
                    e = end
            return e, None
    # "a roundtable with executives of German companies investing in Korea"
    if head in _WITH_HEADS and e + 1 < len(toks) and toks[e].low == "with":
        end = _free_phrase(toks, e + 1, date_spans, 12, _PHRASE_STOPS - {"and", "in"})
        if end > e + 1:
            return end, None
    # a date between a ceremony and its object: "held a completion ceremony on July 3 for X"
    if e + 2 < len(toks) and toks[e].low in {"on", "in"} and _overlaps(date_spans, toks[e + 1].start,
                                                                      toks[e + 1].end):
        j = e + 1
        while j < len(toks) and _overlaps(date_spans, toks[j].start, toks[j].end):
            j += 1
        if j < len(toks) and toks[j].low in {"of", "for"} and k.heads.get(head, {}).get("type") == "ceremony":
            cut = (e, j)
            e = j
    if e < len(toks) and toks[e].low in {"of", "on", "for"}:
        j = e + 1
        if j < len(toks) and toks[j].low == "the":
            j += 1
        end = _cap_run(toks, j, date_spans, person_spans)
        if end > j:
            e = end
        elif cut:
            e = cut[0]
            cut = None
    if e < len(toks) and toks[e].low == "at":
        j = e + 1
        if j < len(toks) and toks[j].low == "the":
            j += 1
        end = _cap_run(toks, j, date_spans, person_spans)
        if end > j:
            run = " ".join(t.text for t in toks[j:end])
            last = _match_head(toks, end - 1)
            if (last and last[1] == end) or run.lower() in k.locations or city_country(run):
                e = end
    return e, cut



