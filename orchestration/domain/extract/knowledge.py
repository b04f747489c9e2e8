"""Loading of the analyst-editable knowledge files in `orchestration/knowledge/` (cached).

Files:
  organizations.csv        reference table: name, acronym, aliases (|-separated), type, country, weak_aliases
  title_organizations.csv  (country, title word, portfolio words) -> organization implied by a title
  countries.yaml           country short forms, adjectives, exclusions (pycountry supplies ISO names)
  people.yaml              title words, modifiers, portfolio words, East Asian family names
  org_cues.yaml            organization head words by type, non-organization heads, company nouns
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
def _yaml(name: str) -> dict:
    with open(KNOWLEDGE_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def countries_data() -> dict:
    return _yaml("countries.yaml")


def people_data() -> dict:
    return _yaml("people.yaml")


def org_cues() -> dict:
    return _yaml("org_cues.yaml")


@cache
def word_set(file: str, key: str, lower: bool = False) -> frozenset[str]:
    data = _yaml(file).get(key) or []
    return frozenset((str(w).lower() if lower else str(w)) for w in data)
