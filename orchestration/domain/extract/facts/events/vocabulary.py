"""The event cue words of `knowledge/event_types.yaml`, read once through the knowledge loader: heads,
qualifiers, anchor verbs, stops, places, and the words of event names (stops, synonyms, ordinals ...)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from orchestration.domain.extract.knowledge import knowledge_file, word_map, word_set
from orchestration.domain.extract.text import literal_alternation

_FILE = "event_types.yaml"

STOP = word_set(_FILE, "name_token_stops")
SYNONYMS = word_map(_FILE, "name_token_synonyms")
DETERMINERS = word_set(_FILE, "determiners")
CONNECTORS = word_set(_FILE, "name_connectors")
ORDINALS: dict[str, int] = word_map(_FILE, "ordinals")
_NUM_ORDINAL = re.compile(r"(?:[1-9]\d{0,2})(?:st|nd|rd|th)")
MEETING_FAMILY = word_set(_FILE, "meeting_family")


# --------------------------------------------------------------------------- knowledge

@dataclass(frozen=True)
class _Knowledge:
    heads: dict[str, dict]
    max_head_words: int
    type_modifiers: list[dict]
    qualifiers: frozenset[str]
    anchor_words: frozenset[str]
    anchor_verbs: tuple[str, ...]
    stops: frozenset[str]
    followers: frozenset[str]
    locations: dict[str, tuple[str, str]]  # spelling (lower) -> (canonical city, ISO3)
    location_re: re.Pattern
    head_starts: frozenset[str]  # first words of the heads (a cheap pre-check for _match_head)


@lru_cache(maxsize=1)
def knowledge() -> _Knowledge:
    data = knowledge_file(_FILE)
    heads = {k.lower(): v for k, v in data["heads"].items()}
    locations: dict[str, tuple[str, str]] = {}
    for spellings, iso in data["locations"].items():
        names = [s.strip() for s in spellings.split("|")]
        for s in names:
            locations[s.lower()] = (names[0], iso)
    loc_alt = literal_alternation({s for k in data["locations"] for s in k.split("|")}, ignorecase=True)
    return _Knowledge(
        heads=heads,
        max_head_words=max(len(h.split()) for h in heads),
        type_modifiers=data.get("type_modifiers") or [],
        qualifiers=frozenset(str(w).lower() for w in data.get("name_qualifiers") or []),
        anchor_words=frozenset(str(w).lower() for w in data.get("anchor_words") or []),
        anchor_verbs=tuple(str(w).lower() for w in data.get("anchor_verbs") or []),
        stops=frozenset(str(w).lower() for w in data.get("name_stops") or []),
        followers=frozenset(str(w).lower() for w in data.get("head_followers") or []),
        locations=locations,
        location_re=re.compile(rf"(?<![\w.])(?:{loc_alt})(?![\w])", re.IGNORECASE),
        head_starts=frozenset(h.split(" ")[0] for h in heads),
    )


