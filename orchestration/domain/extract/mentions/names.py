"""Person names: name parts, family/given name split and spelling preference.

The order-free natural key built from them is `resolve.keys.person_key`: it lowercases the name
parts, drops hyphens, periods and one-letter initials and sorts the parts, so "Dukgeun Ahn" =
"Ahn Duk-geun" = "Ahn Dukgeun" ("ahn dukgeun"). For East Asian names written with a split given
name ("Yoon Suk Yeol") the given-name syllables are joined, so "Yoon Suk-yeol" and "Yoon Suk Yeol"
share a key too.
"""
from __future__ import annotations

import re
from functools import cache

from orchestration.domain.extract.knowledge import word_set

_PART_SPLIT = re.compile(r"[\s,]+")
_HONORIFICS = word_set("people.yaml", "name_honorifics")
_SUFFIXES = word_set("people.yaml", "name_suffixes")


@cache
def _surnames() -> frozenset[str]:
    return frozenset(s.lower() for s in word_set("people.yaml", "east_asian_surnames"))


def is_east_asian_surname(word: str) -> bool:
    return word.strip(".,'’").lower() in _surnames()


def name_parts(name: str) -> list[str]:
    """Written name parts without honorifics, suffixes, initials or trailing possessives."""
    name = re.sub(r"['’]s?$", "", name.strip())
    parts = []
    for raw in _PART_SPLIT.split(name):
        p = raw.strip(".'’")
        low = p.lower().rstrip(".")
        if not p or low in _HONORIFICS or low in _SUFFIXES:
            continue
        if len(p.replace("-", "")) == 1:  # initial
            continue
        parts.append(p)
    return parts


def split_name(name: str) -> tuple[str | None, str | None]:
    """(family_name, given_name) in either name order; East Asian family names are recognised."""
    parts = name_parts(name)
    if not parts:
        return None, None
    if len(parts) == 1:
        return parts[0], None
    first, last = parts[0], parts[-1]
    first_ea, last_ea = is_east_asian_surname(first), is_east_asian_surname(last)
    if first_ea and (not last_ea or "-" in last or (len(parts) == 3 and "-" not in first)):
        return first, " ".join(parts[1:])
    if last_ea and not first_ea:
        return last, " ".join(parts[:-1])
    if first_ea and last_ea:
        return first, " ".join(parts[1:])
    return last, " ".join(parts[:-1])


def preferred_full_name(spellings: list[str]) -> str:
    """The spelling to show: the fullest one (most parts, then hyphenated/longest), first seen on ties."""
    best = None
    best_score: tuple[int, int] | None = None
    for s in spellings:
        score = (len(name_parts(s)), len(s))
        if best_score is None or score > best_score:
            best, best_score = s, score
    return best or ""
