"""The cue words of organization names (`knowledge/org_cues.yaml`, `people.yaml`): head words by type,
weak heads, non-organization heads, generic words, the titles that end a name, company nouns."""
from __future__ import annotations

import re
from functools import cache

from orchestration.domain.extract.knowledge import org_cues, word_set
from orchestration.domain.extract.mentions.countries import country_code

CONNECTORS = word_set("org_cues.yaml", "name_connectors")


# ---------------------------------------------------------------- cue tables


@cache
def _head_types() -> dict[str, str]:
    out: dict[str, str] = {}
    for typ, words in (org_cues().get("heads") or {}).items():
        for w in words:
            out.setdefault(str(w), typ)
    return out


def head_type(word: str) -> str | None:
    return _head_types().get(word)


@cache
def _weak_heads() -> frozenset[str]:
    return word_set("org_cues.yaml", "weak_heads")


@cache
def _leader_surnames() -> frozenset[str]:
    return word_set("org_cues.yaml", "leader_surnames")


@cache
def _non_org_heads() -> frozenset[str]:
    return word_set("org_cues.yaml", "non_org_heads")


def non_org_heads() -> frozenset[str]:
    """Head words of events, programmes, documents, venues and places (not organizations)."""
    return _non_org_heads()


@cache
def _generic() -> frozenset[str]:
    return frozenset(w.lower() for w in word_set("org_cues.yaml", "generic_words")) | word_set(
        "people.yaml", "portfolio_words", lower=True)


@cache
def _not_name_words() -> frozenset[str]:
    return word_set("people.yaml", "not_name_words")


@cache
def splitting_titles() -> frozenset[str]:
    return frozenset(word_set("people.yaml", "splitting_titles"))


@cache
def company_nouns() -> frozenset[str]:
    return word_set("org_cues.yaml", "company_nouns")


def is_generic(word: str) -> bool:
    parts = [p for p in re.split(r"[-–/]", word) if p]
    if len(parts) > 1 and all(is_generic(p) for p in parts):
        return True
    w = word.strip(".,'’")
    return (w.lower() in _generic() or country_code(w) is not None or w in _not_name_words()
            or w.lower() in CONNECTORS)


