"""Natural keys: the ids that name one entity in every document (`organization_key`, `person_key`);
dbt merges the documents' entities by them."""
from __future__ import annotations

import re
from functools import lru_cache

from orchestration.domain.extract.mentions.names import is_east_asian_surname, name_parts, split_name

_KEY_DROP = re.compile(r"[.'’]")
_KEY_PUNCT = re.compile(r"[^\w\s]")


@lru_cache(maxsize=1 << 16)
def organization_key(name: str) -> str:
    """Natural id: lowercase, & -> and, punctuation removed, no leading "the"."""
    s = name.lower().replace("&", " and ")
    s = _KEY_DROP.sub("", s)
    s = _KEY_PUNCT.sub(" ", s)
    s = " ".join(s.split())
    return s[4:] if s.startswith("the ") else s


def person_key(name: str) -> str:
    """Order-free natural key of a person: lowercase parts, hyphens dropped, sorted, space-joined."""
    parts = name_parts(name)
    if len(parts) == 3:
        family, _ = split_name(name)
        if family and is_east_asian_surname(family) and all(len(p) <= 5 and "-" not in p for p in parts):
            rest = [p for p in parts if p != family]
            parts = [family, "".join(rest)]
    keys = sorted(p.lower().replace("-", "").replace("‐", "") for p in parts)
    return " ".join(k for k in keys if k)
