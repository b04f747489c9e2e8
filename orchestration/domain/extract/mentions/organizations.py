"""Organizations: reference-table lookup (`knowledge/organizations.csv`), acronym definitions and
grammar cues (head words such as Ministry/University/Association/Electronics, "company X",
"X, an affiliate of", "the Korea-based X", "companies (A, B, C)", "formerly known as X").

Also home of the small tokenizer shared with `people.py` and of `organization_key`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

from orchestration.domain.extract.knowledge import OrgRecord, org_cues, organization_records, word_set
from orchestration.domain.extract.mentions.countries import country_code
from orchestration.domain.extract.text import literal_alternation

# ---------------------------------------------------------------- keys


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


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(r"[^\W_](?:[\w&.'’\-–]*[^\W_])?|&")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
_DASH_SPLIT = re.compile(r"[-–]")
_ABBREV = {"Inc", "Co", "Corp", "Ltd", "Jr", "Sr", "St", "Dr", "Mr", "Mrs", "Ms", "Prof", "No", "Gov", "Sen", "Rep",
           "Amb", "Bros", "Pte", "Pty", "Dept"}


class Token(NamedTuple):
    """A word with its offsets (a named tuple: documents create hundreds, a dataclass is slower to build)."""

    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Words with offsets; "U.S.", "Inc." keep their final period, possessive "'s" is split off."""
    return list(_tokenize(text))


def _ends_in_initials(word: str) -> bool:
    """ "U.S", "Lee-J.H" (their final period is not read yet): the last dash-separated part is initials."""
    last_part = _DASH_SPLIT.split(word)[-1]
    return "." in last_part and bool(_INITIALS.fullmatch(last_part))


@lru_cache(maxsize=256)
def _tokenize(text: str) -> tuple[Token, ...]:
    # one document's texts are tokenized several times (chunks, people, back-references)
    out: list[Token] = []
    n = len(text)
    new = tuple.__new__  # Token(s, e, w) without the named tuple's Python-level __new__
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        word = m.group()
        if len(word) > 2 and word[-1] == "s" and word[-2] in "'’":
            out.append(new(Token, (s, e - 2, word[:-2])))
            out.append(new(Token, (e - 2, e, word[-2:])))
            continue
        # a following period belongs to abbreviations and initials (tested only when there is one)
        if e < n and text[e] == "." and (word in _ABBREV or (len(word) == 1 and word.isupper())
                                         or _ends_in_initials(word)):
            e += 1
            word += "."
        out.append(new(Token, (s, e, word)))
    return tuple(out)


def is_capitalised(word: str) -> bool:
    return bool(word) and (word[0].isupper() or (word[0].isdigit() and any(c.isalpha() for c in word)))


CONNECTORS = {"of", "for", "and", "&", "the", "de", "du", "des", "la", "le", "von", "van", "der", "den", "y"}


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


@cache
def _generic() -> frozenset[str]:
    return frozenset(w.lower() for w in word_set("org_cues.yaml", "generic_words")) | word_set(
        "people.yaml", "portfolio_words", lower=True)


@cache
def _not_name_words() -> frozenset[str]:
    return word_set("people.yaml", "not_name_words")


@cache
def splitting_titles() -> frozenset[str]:
    return frozenset({"Minister", "Ministers", "Secretary", "Ambassador", "President", "Vice-President", "Premier",
                      "Chancellor", "Commissioner", "Chairman", "Chairwoman", "Chairperson", "CEO", "COO", "CFO",
                      "CTO", "Governor", "Mayor", "Administrator", "Director", "Director-General", "Envoy", "Senator",
                      "Congressman", "Congresswoman", "Speaker", "Professor", "Dean", "Mr.", "Ms.", "Dr.", "Mrs.",
                      "Vice-Minister", "Vice-Chairman", "Vice-Chancellor", "Vice-Premier", "Undersecretary",
                      "Under-Secretary"})


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


@dataclass(frozen=True)
class OrgSpan:
    start: int
    end: int
    text: str
    info_key: str  # organization_id
    source: str  # reference | acronym | grammar | pattern | alias


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


# ---------------------------------------------------------------- acronyms


_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&.\-]{1,11})\s*\)")


def is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 2 and word[0].isupper()


def _initials(tokens: list[str]) -> list[list[str]]:
    out = []
    for t in tokens:
        parts = [p for p in re.split(r"[-–/]", t) if p]
        letters = []
        for p in parts:
            if p.replace(".", "").isupper() and len(p) > 1:
                letters.extend(c.lower() for c in p if c.isalpha())
            elif p[0].isalpha():
                letters.append(p[0].lower())
        out.append(letters)
    return out


def initials_match(acronym: str, words: list[str]) -> bool:
    """Do the words spell the acronym (letters in order, first letter from the first word)?"""
    letters = [c.lower() for c in acronym if c.isalpha()]
    if not letters or not words:
        return False
    inits = _initials(words)
    if not inits[0] or inits[0][0] != letters[0]:
        return False
    flat = [c for group in inits for c in group]
    i = 0
    for c in flat:
        if i < len(letters) and c == letters[i]:
            i += 1
    significant = [w for w in words if w.lower() not in CONNECTORS]
    return i == len(letters) and len(significant) <= len(letters) + 2


_LONG_FORM_CONNECTORS = CONNECTORS | {"in"}  # "British Chamber of Commerce in Korea (BCCK)"
_LONG_FORM_WINDOW = 160
_SHORT_WINDOW = 64


def _run_before(text: str, end: int) -> tuple[list[Token], int]:
    """The capitalised run (with connectors and list commas) that ends right at `end`, read within the
    160 characters before it, with the offset its tokens are relative to.

    A 64-character window is read first: its tokens after the first are those of the long window (only
    a word cut by the window's start can differ), so a run that stops at one of them is the same run;
    the long window is read only when the run reaches back to the short window's first token."""
    long_start = max(0, end - _LONG_FORM_WINDOW)
    for start in (max(long_start, end - _SHORT_WINDOW), long_start):
        before = text[start:end]
        toks = _tokenize(before)
        run: list[Token] = []
        stop = -1  # index of the token that ends the run
        for i in range(len(toks) - 1, -1, -1):
            t = toks[i]
            gap = before[t.end:run[0].start if run else len(before)]
            if gap.strip(" ,") or "  " in gap or not (is_capitalised(t.text) or t.text in _LONG_FORM_CONNECTORS):
                stop = i
                break
            run.insert(0, t)
        if stop >= 1 or start == long_start:
            return run, start
    raise AssertionError("unreachable: the long window always returns")


def acronym_long_form(text: str, paren_start: int) -> tuple[int, int] | None:
    """The capitalised span right before "(" that spells the acronym inside the parentheses."""
    m = _ACRONYM.match(text, paren_start)
    if not m:
        return None
    acronym = m.group(1)
    run, offset = _run_before(text, paren_start)
    connectors = _LONG_FORM_CONNECTORS
    while run and run[0].text in connectors:
        run.pop(0)
    for k in range(1, len(run) + 1):
        suffix = run[len(run) - k:]
        if suffix[0].text in connectors:
            continue
        if initials_match(acronym, [t.text for t in suffix]):
            return offset + suffix[0].start, offset + suffix[-1].end
    return None


def acronym_definitions(text: str) -> list[tuple[int, int, int, int, str]]:
    """(long_start, long_end, acr_start, acr_end, acronym) for "Long Name (ACR)" and "ACR (Long Name)"."""
    out = []
    for m in _ACRONYM.finditer(text):
        if not is_acronym(m.group(1)):
            continue
        lf = acronym_long_form(text, m.start())
        if lf:
            out.append((lf[0], lf[1], m.start(1), m.end(1), m.group(1)))
    for m in re.finditer(r"(?<![\w&])([A-Z][A-Za-z&\-]*[A-Z][A-Za-z]*)\s+\(([A-Z][^()]{3,100})\)", text):
        acr, long_form = m.group(1), m.group(2)
        words = [t.text for t in tokenize(long_form)]
        if is_acronym(acr) and all(is_capitalised(w) or w in CONNECTORS for w in words) \
                and initials_match(acr, words):
            out.append((m.start(2), m.end(2), m.start(1), m.end(1), acr))
    return out


def defined_name_type(acronym: str, words: list[str]) -> str | None:
    """Type of a name its text defines with an acronym although the head-word grammar alone would not
    take it: one initial per word, and either the last word is an organization head ("Public Investment
    Fund (PIF)") or a head is followed by a country ("Hyundai Motor Manufacturing Indonesia (HMMI)")."""
    significant = [w for w in words if w not in CONNECTORS]
    letters = [c for c in acronym if c.isalpha()]
    if len(significant) < 2 or len(significant) != len(letters) or not initials_match(acronym, words):
        return None
    if any(w in _non_org_heads() for w in words) or words[0] in splitting_titles():
        return None
    if head_type(words[-1]):
        return head_type(words[-1])
    if country_code(words[-1]) and any(head_type(w) for w in words[:-1]):
        return next(head_type(w) for w in reversed(words[:-1]) if head_type(w))
    return None


# ---------------------------------------------------------------- grammar


_PAREN_ACR = re.compile(r"\(\s*[A-Z][A-Za-z0-9&.\-]{0,11}\s*\)(?=\s+[A-Z])")


def chunk_text_mask(text: str) -> str:
    """Text with "(ACR)" blanked where a name continues after it, so the chunker reads through it."""
    return _PAREN_ACR.sub(lambda m: " " * len(m.group(0)), text)


@cache
def _portfolio() -> frozenset[str]:
    return word_set("people.yaml", "portfolio_words", lower=True)


_DATELINE = re.compile(r"[A-Z]{4,}(?:[ ,]+[A-Z][A-Za-z.]*)?\s*[–—-]\s")


def capitalised_chunks(text: str) -> list[list[Token]]:
    """Maximal runs of capitalised words joined by spaces and name connectors ("of", "and", "&")."""
    return [list(c) for c in _capitalised_chunks(text)]


@lru_cache(maxsize=64)
def _capitalised_chunks(text: str) -> tuple[tuple[Token, ...], ...]:
    # grammar_candidates and pattern_candidates both read the chunks of each text
    masked = chunk_text_mask(text)
    toks = _tokenize(masked)
    chunks: list[tuple[Token, ...]] = []
    cur: list[Token] = []

    def flush():
        while cur and cur[-1].text in CONNECTORS:
            cur.pop()
        while cur and cur[0].text in CONNECTORS:
            cur.pop(0)
        if cur:
            chunks.append(tuple(cur))
        cur.clear()

    for i, t in enumerate(toks):
        word = t.text
        # (a dateline starts with four capitals: test that before the regex)
        if cur and masked[t.start:t.start + 4].isupper() and _DATELINE.match(masked, t.start):
            flush()
            continue
        first = word[0]  # is_capitalised(word), inline: this loop runs over every token of the text
        proper = (first.isupper() or (first.isdigit() and any(c.isalpha() for c in word))) \
            and not word.lower().endswith("-based") and word not in ("'s", "’s")
        if cur:
            gap = masked[cur[-1].end:t.start]
            ok_gap = gap == " " or (gap.strip() == "" and "\n" not in gap)
            if not ok_gap and gap.strip() == ",":
                # list inside "Ministry of Trade, Industry and Energy"
                has_of = any(x.text in ("of", "for") for x in cur)
                ok_gap = has_of and (word.lower() in _portfolio() or word == "and") and (
                    word != "and" or (i + 1 < len(toks) and toks[i + 1].text.lower() in _portfolio()))
            if not ok_gap:
                flush()
        if proper:
            cur.append(t)
        elif word in CONNECTORS and cur:
            if word == "the" and cur[-1].text not in ("of", "for"):
                flush()
                continue
            cur.append(t)
        elif cur:
            flush()
    flush()
    return tuple(chunks)


@cache
def _venue_phrases() -> tuple[str, ...]:
    return tuple(org_cues().get("venue_phrases") or [])


@dataclass
class Candidate:
    start: int
    end: int
    text: str
    organization_type: str


def _is_distinctive(word: str) -> bool:
    return not is_generic(word) and word not in splitting_titles()


def evaluate_segment(text: str, toks: list[Token]) -> Candidate | None:
    """Is this run of capitalised words an organization name? (head-word grammar)"""
    cand = _evaluate_segment(text, toks)
    if cand is None and toks and _adjective(toks[0].text) and len(toks) > 2:
        cand = _evaluate_segment(text, toks, keep_adjective=True)
    return cand


def _evaluate_segment(text: str, toks: list[Token], keep_adjective: bool = False) -> Candidate | None:
    original = toks
    # leading words that are not part of a name
    while toks and (toks[0].text in _not_name_words() and toks[0].text not in _head_types()
                    or toks[0].text in CONNECTORS or toks[0].text.endswith("-based")
                    or (not keep_adjective and len(toks) > 1 and _adjective(toks[0].text))):
        toks = toks[1:]
    if len(toks) < 1:
        return None
    words = [t.text for t in toks]
    # the rightmost head not inside the "of ..." complement of an earlier strong head
    head = -1
    i = 0
    while i < len(words):
        w = words[i]
        if w in _head_types():
            head = i
            if i + 1 < len(words) and words[i + 1] in ("of", "for") and w not in _weak_heads():
                # skip the complement unless a later strong head with a distinctive name follows "and"
                j = i + 2
                while j < len(words) and words[j] not in ("and", "&"):
                    j += 1
                k = i + 2
                comp_end = len(words)
                while k < len(words):
                    if words[k] in ("and", "&") and k + 1 < len(words):
                        rest = words[k + 1:]
                        if any(r in _head_types() for r in rest) and _is_distinctive(rest[0]):
                            comp_end = k
                            break
                    k += 1
                i = comp_end
                if comp_end < len(words):
                    # a second organization follows: stop this one here
                    words = words[:comp_end]
                    toks = toks[:comp_end]
                    break
                continue
        i += 1
    if head < 0:
        return None
    # "Alfredo Pascual of the Philippine Department of ...": words before an "of" that carry no head are
    # not part of the name (a person, a place); the name starts after "of (the)"
    cut = next((k for k in range(head) if words[k] in ("of", "for")), None)
    if cut is not None and not any(words[x] in _head_types() for x in range(cut)):
        skip = cut + 1
        while skip < head and words[skip] in ("the", "The"):
            skip += 1
        toks, words, head = toks[skip:], words[skip:], head - skip
        original = toks
    if words[head] in ("Administration", "Government") and head >= 1 and all(
            p in _leader_surnames() for w in words[:head] for p in _DASH_SPLIT.split(w) if p):
        return None  # "the Biden-Harris Administration": a term of office
    # anything that makes it an event, programme or venue
    tail = words[head + 1:]
    if any(w in _non_org_heads() for w in words[head:]) or (head > 0 and words[head - 1] in _non_org_heads()) or any(
            " ".join(words).endswith(v) for v in _venue_phrases()):
        return None
    end = len(words) - 1
    if tail and tail[0] not in ("of", "for"):
        # "Toray Advanced Materials Korea": a company head followed by the country of the subsidiary
        end = head + 1 if len(tail) == 1 and head_type(words[head]) == "company" and country_code(tail[0]) \
            else head
    # "the Department of Commerce and India's Ministry ...": a trailing "and <country>" starts another name
    while end >= 2 and words[end - 1] in ("and", "&") and country_code(words[end]):
        end -= 2
    name_words = words[: end + 1]
    if len(name_words) < 2:
        return None
    h = words[head]
    others = name_words[:head] + name_words[head + 1:]
    if (h in _weak_heads() or head == 0) and not any(_is_distinctive(w) for w in others) \
            and not (head == 0 and len(name_words) > 2 and h not in _weak_heads()):
        return None
    typ = head_type(h) or "other"
    if typ != "government" and not keep_adjective and toks is not original and _adjective(original[0].text):
        return None  # "Indonesian Chamber of Commerce": the adjective belongs to the name
    if "Institute of Technology" in " ".join(name_words):
        typ = "university"
    first = toks[0]
    last = toks[end]
    return Candidate(first.start, last.end, text[first.start:last.end], typ)


@cache
def _adjectives() -> frozenset[str]:
    from orchestration.domain.extract.knowledge import countries_data
    return frozenset(str(a) for names in (countries_data().get("adjectives") or {}).values() for a in names)


def _adjective(word: str) -> bool:
    return word in _adjectives()


def split_chunk(toks: list[Token]) -> list[list[Token]]:
    """Split a capitalised run at title words and at "and" joining two complete names."""
    segments: list[list[Token]] = []
    cur: list[Token] = []
    for t in toks:
        if t.text in splitting_titles():
            if cur:
                segments.append(cur)
            cur = []
            continue
        cur.append(t)
    if cur:
        segments.append(cur)
    out: list[list[Token]] = []
    for seg in segments:
        start = 0
        for i, t in enumerate(seg):
            if t.text in ("and", "&") and i > start:
                left = seg[start:i]
                rest = [x.text for x in seg[i + 1:]]
                strong = left[-1].text in _head_types() and left[-1].text not in _weak_heads()
                weak = left[-1].text in _weak_heads()
                left_done = strong or lookup_reference(
                    " ".join(x.text for x in left)) is not None
                distinctive = any(_is_distinctive(r) for r in rest)
                left_has_strong = any(x.text in _head_types() and x.text not in _weak_heads() for x in left)
                rest_is_org = bool(rest) and _is_distinctive(rest[0]) and any(r in _head_types() for r in rest)
                nxt = [x.text for x in seg[i + 1:]]
                nxt = nxt[:next((k for k, w in enumerate(nxt) if w in ("and", "&")), len(nxt))]
                if len(nxt) == 1 and nxt[0] in _head_types():
                    continue  # "Delta Engineering & Construction": one name
                if rest and ((left_done and (distinctive or any(r in _head_types() for r in rest)))
                             or (weak and distinctive) or (left_has_strong and rest_is_org)):
                    out.append(left)
                    start = i + 1
        out.append(seg[start:])
    return [s for s in out if s]


_DESCRIPTIVE = re.compile(r"(?:\b(?:its|their|our|his|her|a|an|this|that|each|every)\s+(?:[a-z][\w-]*\s+){0,2})$")


def grammar_candidates(text: str) -> list[Candidate]:
    out = []
    heads = _head_types()
    for chunk in capitalised_chunks(text):
        if not any(t.text in heads for t in chunk):
            continue  # the grammar needs a head word in the name (evaluate_segment would find none)
        if _DESCRIPTIVE.search(text[max(0, chunk[0].start - 60):chunk[0].start]):
            continue
        for seg in split_chunk(chunk):
            # strip an "of"/"at" complement of a title ("CEO of Acme Corp.")
            while seg and seg[0].text in CONNECTORS:
                seg = seg[1:]
            cand = evaluate_segment(text, seg)
            if cand:
                out.append(cand)
    return out


def chunk_starting_at(text: str, pos: int, max_tokens: int = 6) -> tuple[int, int] | None:
    """The capitalised name starting at `pos` (stops at lowercase words and punctuation)."""
    m = re.match(r"[\s]*", text[pos:])
    pos += m.end() if m else 0
    toks = []
    for t in tokenize(text[pos:pos + 200]):
        if toks and text[pos + toks[-1].end:pos + t.start].strip():
            break
        if not toks and not is_capitalised(t.text):
            return None
        if is_capitalised(t.text) or (t.text in ("&", "and", "of") and toks):
            if t.text in ("'s", "’s"):
                break
            toks.append(t)
        else:
            break
        if len(toks) >= max_tokens:
            break
    while toks and toks[-1].text in CONNECTORS:
        toks.pop()
    if not toks:
        return None
    # a list "A and B": keep only the first name
    for i, t in enumerate(toks):
        if t.text == "and":
            toks = toks[:i]
            break
    return pos + toks[0].start, pos + toks[-1].end


def chunk_ending_at(text: str, pos: int, max_tokens: int = 6) -> tuple[int, int] | None:
    """The capitalised name that ends right before `pos`."""
    before = text[max(0, pos - 160):pos]
    off = pos - len(before)
    toks = tokenize(before)
    run: list[Token] = []
    for t in reversed(toks):
        gap_end = run[0].start if run else len(before)
        if before[t.end:gap_end].strip():
            break
        if is_capitalised(t.text) or (t.text in ("&", "of") and run):
            run.insert(0, t)
        else:
            break
        if len(run) >= max_tokens:
            break
    while run and run[0].text in CONNECTORS:
        run.pop(0)
    if not run:
        return None
    return off + run[0].start, off + run[-1].end


# ---------------------------------------------------------------- patterns around names

_PLURAL_TYPES = {"universities": "university", "university": "university", "institutions": "other",
                 "institution": "other", "association": "association", "agency": "government",
                  "bank": "company", "banks": "company", "fund": "other"}


@cache
def _noun_alt() -> str:
    return literal_alternation(company_nouns())  # longest first


@cache
def _noun_patterns() -> tuple[re.Pattern[str], ...]:
    nouns = _noun_alt()
    return (re.compile(rf"\b(?:{nouns})\s+(?=[A-Z0-9])"),
            re.compile(rf"\b[\w.]+-based\s+(?:(?:{nouns})\s+)?(?=[A-Z0-9])"),
            re.compile(rf"\b(?:{nouns})\s*(?:\((?=[A-Z])|,?\s+(?:such as|including|like|namely)\s+(?=[A-Z]))"),
            re.compile(rf",\s+(?:a|an|the|its|their)\s+(?:[\w&-]+\s+){{0,6}}?"
                       rf"(?:{nouns}|affiliate|subsidiary|unit|arm|joint venture)\b"),
            re.compile(rf"\s+(?:is|was|has been|remains)\s+(?:a|an|one of the)\s+(?:[\w&-]+\s+){{0,6}}?"
                       rf"(?:{nouns})\b"))


_POSSESSIVE = re.compile(r"([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)['’]s\s+(?=[A-Z0-9])")


def skip_country_possessive(text: str, pos: int) -> int:
    """Position after a leading "Canada's " (the country of the name that follows), else pos."""
    m = _POSSESSIVE.match(text, pos)
    return m.end() if m and country_code(m.group(1)) else pos


def valid_pattern_name(text: str, span: tuple[int, int] | None) -> Candidate | None:
    if not span:
        return None
    s, e = span
    toks = tokenize(text[s:e])
    while toks and (toks[0].text in ("The", "the") or toks[0].text in _not_name_words()
                    and toks[0].text not in _head_types()):
        toks = toks[1:]
    if not toks:
        return None
    words = [t.text for t in toks]
    if words[0] in splitting_titles() or any(w in _non_org_heads() for w in words):
        return None
    if not any(_is_distinctive(w) or w.isupper() for w in words):
        return None
    if len(words) == 1 and country_code(words[0]):
        return None
    name = text[s + toks[0].start:s + toks[-1].end]
    typ = next((head_type(w) for w in reversed(words) if head_type(w)), None) or "company"
    return Candidate(s + toks[0].start, s + toks[-1].end, name, typ)


def _list_items(text: str, pos: int, closing: str | None) -> list[tuple[int, int]]:
    """Items of "A, B, and C" starting at pos, up to `closing` or the end of the sentence."""
    end = text.find(closing, pos) if closing else -1
    if end < 0:
        m = re.search(r"[.;:](?:\s|$)|\)", text[pos:])
        end = pos + (m.start() if m else min(len(text) - pos, 300))
    segment = text[pos:end]
    items = []
    for m in re.finditer(r"[^,]+", segment):
        piece = m.group(0)
        for part in re.split(r"\s+and\s+|^\s*and\s+", piece):
            if not part.strip():
                continue
            off = pos + m.start() + piece.find(part)
            lead = len(part) - len(part.lstrip())
            items.append((off + lead, off + len(part.rstrip())))
    return items


# Case-sensitive cues of pattern_candidates; each regex is run only when the text holds one of its words.
_ESTABLISHED_WORDS = ("established", "founded", "set up", "incorporated")
_ESTABLISHED = re.compile(r"\b(?:established|founded|set up|incorporated)\s+(?:the\s+|its\s+|a\s+)?(?=[A-Z])")
_FORMERLY = re.compile(r"\b[Ff]ormerly (?:known as |called |named )?(?:the )?")
_RENAMED = re.compile(r"\b(?:was|has been|had been|is being)\s+renamed\s+(?:as\s+|to\s+)?")


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def pattern_candidates(text: str) -> tuple[list[Candidate], list[tuple[tuple[int, int], tuple[int, int]]]]:
    """Organizations named by the words around them, and (alias span, name span) pairs."""
    noun_then_name, based, noun_list, appositive_noun, is_a_noun = _noun_patterns()
    out: list[Candidate] = []
    aliases: list[tuple[tuple[int, int], tuple[int, int]]] = []

    def add(span, typ=None):
        c = valid_pattern_name(text, span)
        if c:
            if typ and c.organization_type == "company" and not head_type(c.text.split()[-1]):
                c.organization_type = typ
            out.append(c)
        return c

    # "materials company Syensqo", "chipmaker Micron"
    for m in noun_then_name.finditer(text):
        span = chunk_starting_at(text, m.end(), 5)
        if span and span[1] - span[0] == len(text[span[0]:span[1]]) and not text[span[1]:span[1] + 2].startswith(
                " ("):
            add(span)
        # plural noun: "the energy companies ZE PAK and Polska Grupa Energetyczna (PGE)"
        plural = m.group(0).split()[0].lower()
        if span and plural.endswith("s") and plural != "s":
            nxt = re.match(r"(?:\s*\([^()]{1,15}\))?\s+and\s+(?=[A-Z])", text[span[1]:])
            if nxt:
                second = chunk_starting_at(text, span[1] + nxt.end(), 5)
                if second:
                    add(second)
    # "the Korea-based SKC", "U.S.-based Pacifico Energy"
    for m in based.finditer(text) if "-based" in text else ():
        add(chunk_starting_at(text, m.end(), 5))
    # lists: "three U.S companies (ON Semiconductor, Corning, Pacifico Energy)", "firms such as A and B"
    for m in noun_list.finditer(text):
        noun = m.group(0).split()[0].strip("(,").lower()
        closing = ")" if m.group(0).rstrip().endswith("(") else None
        for n_item, (s, e) in enumerate(_list_items(text, m.end(), closing)):
            s = skip_country_possessive(text, s)
            span = chunk_starting_at(text, s, 9)
            if span and span[1] >= e - 1:
                add(span, _PLURAL_TYPES.get(noun))
            elif n_item == 0:
                break  # "companies, including Toyota's plan to ...": not a list of names
    for chunk in capitalised_chunks(text):
        s, e = chunk[0].start, chunk[-1].end
        after = text[e:e + 120]
        if appositive_noun.match(after) or is_a_noun.match(after) \
                or (re.match(r"\s+(?:has |have |had )?(?:invested|plans to invest|will invest|is investing|"
                             r"intends to invest|aims to invest)\b", after)
                    and not (len(chunk) == 1 and chunk[0].text.endswith("ing")
                             and re.search(r"(?:^|[.!?]\s+)$", text[:s]))):
            add((s, e))
    # "Syensqo established the Rhodia Silica Korea in Incheon"
    for m in _ESTABLISHED.finditer(text) if _has_any(text, _ESTABLISHED_WORDS) else ():
        span = chunk_starting_at(text, m.end(), 6)
        if span and re.match(r"\s+(?:in|at|as|with|on)\b", text[span[1]:span[1] + 6]):
            add(span)
    # former names
    for m in _FORMERLY.finditer(text) if "ormerly " in text else ():
        old = chunk_starting_at(text, m.end(), 5)
        appositive = text[m.start() - 2:m.start()] in (", ", " (")
        if old and text[old[1]:old[1] + 2] == ", " and not appositive:
            new = chunk_starting_at(text, old[1] + 2, 5)
            if new and add(new):
                aliases.append((old, new))
                continue
        if old:
            end_new = m.start() - 2
            acr = re.search(r"\s\([A-Z][A-Za-z&.\-]{1,11}\)$", text[max(0, end_new - 16):end_new])
            if acr and text[m.start() - 2:m.start()] == ", ":
                end_new -= len(acr.group(0))  # "X Corporation (XC), formerly the Y": X, not "(XC)"
            new = chunk_ending_at(text, end_new) if text[m.start() - 2:m.start()] in (", ", " (") else None
            if new and add(new):
                aliases.append((old, new))
    for m in _RENAMED.finditer(text) if "renamed" in text else ():
        new = chunk_starting_at(text, m.end(), 5)
        old = chunk_ending_at(text, m.start() - 1)
        if new and old and add(new):
            aliases.append((old, new))
    return out, aliases


_LIST = re.compile(r"(?:[A-Z][\w&.'’\-]*(?:\s+(?:of|for|and|&|the)?\s*[A-Z(][\w&.'’\-)]*){0,7}"
                   r"(?:,\s+|,?\s+and\s+)){2,}(?:and\s+)?[A-Z][\w&.'’\-]*(?:\s+(?:of|for|&)?\s*[A-Z(][\w&.'’\-)]*){0,7}")


def list_items(text: str) -> list[list[tuple[int, int]]]:
    """Comma-separated lists of capitalised names ("A, B, C, and D"), as item spans."""
    out = []
    for m in _LIST.finditer(text):
        items = []
        for part in re.finditer(r"[^,]+", m.group(0)):
            piece = part.group(0)
            for sub in re.split(r"^\s*and\s+|\s+and\s+(?=[A-Z])", piece):
                if sub.strip():
                    off = m.start() + part.start() + piece.find(sub)
                    lead = len(sub) - len(sub.lstrip())
                    items.append((off + lead, off + len(sub.rstrip())))
        if len(items) >= 3:
            out.append(items)
    return out
