"""The reference table (`knowledge/organizations.csv`): look-ups by name, alias, key and country, and the
spans of reference names and weak aliases in a text."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from orchestration.domain.extract.knowledge import OrgRecord, organization_records
from orchestration.domain.extract.mentions.countries import country_code
from orchestration.domain.extract.mentions.organizations.cues import _non_org_heads
from orchestration.domain.extract.text import is_capitalised, literal_alternation
from orchestration.domain.resolve.keys import organization_key

# ---------------------------------------------------------------- reference table


@dataclass
class OrgInfo:
    """An organization known in one document."""

    organization_id: str
    name: str
    acronym: str | None = None
    aliases: list[str] = field(default_factory=list)
    organization_type: str = "other"
    country_code: str | None = None
    from_reference: bool = False

    def surfaces(self) -> list[str]:
        out = [self.name] + ([self.acronym] if self.acronym else []) + list(self.aliases)
        seen, res = set(), []
        for s in out:
            if s and s not in seen:
                seen.add(s)
                res.append(s)
        return res


def info_from_record(rec: OrgRecord) -> OrgInfo:
    return OrgInfo(organization_key(rec.name), rec.name, rec.acronym, list(rec.aliases), rec.organization_type,
                   rec.country_code, True)


@cache
def _reference_surfaces() -> dict[str, OrgRecord]:
    table: dict[str, OrgRecord] = {}
    for rec in organization_records():
        for s in (rec.name, rec.acronym, *rec.aliases):
            if s:
                table.setdefault(s, rec)
    return table


@cache
def _reference_lower() -> dict[str, OrgRecord]:
    return {k.lower(): v for k, v in _reference_surfaces().items() if " " in k and len(k) >= 10}


@cache
def _reference_keys() -> dict[str, OrgRecord]:
    """organization_key of every record name and alias -> the first record (in file order) having it."""
    table: dict[str, OrgRecord] = {}
    for rec in organization_records():
        for s in (rec.name, *rec.aliases):
            table.setdefault(organization_key(s), rec)
    return table


_LEADING_THE = re.compile(r"^(?:[Tt]he)\s+")


def lookup_reference(name: str) -> OrgRecord | None:
    """Reference record for a name, alias or acronym (multi-word names match case-insensitively)."""
    n = name.strip()
    table = _reference_surfaces()
    if n in table:
        return table[n]
    n2 = _LEADING_THE.sub("", n)
    if n2 in table:
        return table[n2]
    low = _reference_lower()
    if n2.lower() in low:
        return low[n2.lower()]
    return _reference_keys().get(organization_key(n2))


@cache
def _reference_pattern() -> re.Pattern[str]:
    """Any reference name, alias or acronym (longest first) standing as a whole name."""
    return re.compile(rf"(?<![\w&])(?:{literal_alternation(_reference_surfaces())})(?![\w&])")


@cache
def _reference_pattern_ci() -> re.Pattern[str]:
    alts = literal_alternation(_reference_lower(), ignorecase=True)
    return re.compile(rf"(?<![\w&])(?:{alts})(?![\w&])", re.IGNORECASE)


@cache
def _weak_alias_pattern() -> tuple[re.Pattern[str], dict[str, OrgRecord]]:
    table = {w: rec for rec in organization_records() for w in rec.weak_aliases}
    alts = literal_alternation(table) or "(?!x)x"
    return re.compile(rf"(?<![\w&-])(?:{alts})(?![\w&])"), table


def _inside_event_name(text: str, s: int, e: int) -> bool:
    """A reference name ending in an event word, read inside a longer capitalised name: "Korea-Poland
    Nuclear Power Business Roundtable" is an event, not the Business Roundtable."""
    if text[s:e].split()[-1] not in _non_org_heads():
        return False
    prev = re.search(r"([\w&.'’-]+) $", text[max(0, s - 40):s])
    return bool(prev) and is_capitalised(prev.group(1)) and prev.group(1).lower() not in ("the", "a", "an")


@cache
def _reference_pattern_lower() -> re.Pattern[str] | None:
    """_reference_pattern_ci for ASCII text, to run case-sensitively (faster) on the lower-cased text.

    On ASCII text a case-insensitive match is a match of the lower-cased text, and a name with a
    non-ASCII letter cannot match at all, unless that letter matches an ASCII one case-insensitively
    (as "ſ" matches "s"): then there is no such pattern (None)."""
    names = list(_reference_lower())
    wide = {c for n in names for c in n if not c.isascii()}
    if any(re.fullmatch(re.escape(c), chr(a), re.IGNORECASE) for c in wide for a in range(128)):
        return None
    alts = literal_alternation(n for n in names if n.isascii())
    return re.compile(rf"(?<![\w&])(?:{alts})(?![\w&])")


def reference_spans(text: str) -> list[tuple[int, int, OrgRecord]]:
    out = []
    for m in _reference_pattern().finditer(text):
        if not _inside_event_name(text, m.start(), m.end()):
            out.append((m.start(), m.end(), _reference_surfaces()[m.group(0)]))
    lower_pattern = _reference_pattern_lower() if text.isascii() else None
    if lower_pattern is not None:
        matches = lower_pattern.finditer(text.lower())  # same offsets: ASCII lower-casing keeps lengths
    else:
        matches = _reference_pattern_ci().finditer(text)
    for m in matches:
        if not _inside_event_name(text, m.start(), m.end()):
            out.append((m.start(), m.end(), _reference_lower()[m.group(0).lower()]))
    return out


def lookup_reference_in_country(name: str, code: str | None) -> OrgRecord | None:
    """Reference record of one country whose name, without the country ("Ministry of Investment of
    Saudi Arabia", "Saudi Ministry of Investment"), is this name: "Saudi Arabia's Ministry of Investment"."""
    if not code:
        return None
    return _country_stripped_keys().get(code, {}).get(organization_key(_LEADING_THE.sub("", name)))


@cache
def _country_stripped_keys() -> dict[str, dict[str, OrgRecord]]:
    """country code -> {key of a record name/alias without its country: first record (file order)}."""
    out: dict[str, dict[str, OrgRecord]] = {}
    for rec in organization_records():
        code = rec.country_code
        if not code:
            continue
        table = out.setdefault(code, {})
        for n in (rec.name, *rec.aliases):
            k = organization_key(n)
            m = re.match(r"(.+) of (?:the )?(.+)$", k)
            if m and country_code(_title_case(m.group(2))) == code:
                k = m.group(1)
            words = k.split()
            if len(words) > 1 and country_code(_title_case(words[0])) == code:
                k = " ".join(words[1:])
            table.setdefault(k, rec)
    return out


def _title_case(s: str) -> str:
    return " ".join(w.upper() if w in ("uae", "uk", "us", "usa") else w.capitalize() for w in s.split())


def weak_alias_spans(text: str) -> list[tuple[int, int, OrgRecord]]:
    """Weak aliases ("Commerce" for the U.S. Department of Commerce) used on their own as a name."""
    pattern, table = _weak_alias_pattern()
    out = []
    for m in pattern.finditer(text):
        s, e = m.start(), m.end()
        before = text[max(0, s - 40):s]
        after = text[e:e + 40]
        prev = re.search(r"([\w.'’&]+)\s*$", before)
        sentence_start = re.search(r"(?:[!?:;]|[a-z]\.)\s+$|^\s*$", before) is not None
        if prev and not sentence_start and (prev.group(1) in ("of", "for", "&") or is_capitalised(prev.group(1))):
            continue
        if re.match(r"[-–—][A-Z]", after):
            out.append((s, e, table[m.group(0)]))
            continue
        nxt = re.match(r"\s+([\w.&'’-]+)(?:\s+([\w.&'’-]+))?", after)
        if nxt:
            w1, w2 = nxt.group(1), nxt.group(2) or ""
            if is_capitalised(w1) and not w1.isupper():
                continue
            if w1 in ("and", "&") and is_capitalised(w2) and not w2.isupper():
                continue
        out.append((s, e, table[m.group(0)]))
    return out


