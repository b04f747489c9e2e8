"""Write dbt_project/seeds/iso_countries.csv (every ISO 3166-1 country) from pycountry.

Usage: .venv/bin/python scripts/make_country_seed.py [output.csv]
The CSV is committed; rerun after a pycountry upgrade to refresh it.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import pycountry

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "iso_countries.csv"


def country_rows() -> list[tuple[str, str, str]]:
    """(alpha3, alpha2, name) for every ISO 3166-1 country, sorted by alpha3.

    `name` is pycountry's common English name when it has one (e.g. "South Korea",
    "Bolivia", "Taiwan"), else its ISO short name.
    """
    rows = []
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        rows.append((c.alpha_3, c.alpha_2, name))
    return sorted(rows)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = country_rows()
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["alpha3", "alpha2", "name"])
        w.writerows(rows)
    print(f"wrote {len(rows)} countries to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
