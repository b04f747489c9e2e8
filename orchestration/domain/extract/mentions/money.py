"""Money amounts in press-release English: "$9.3 billion (₩13 trillion)", "KRW 850 billion",
"app. KRW 10 bln", "300 million yen", "over an estimated US$ 2 bn".

The currencies, their spellings, the scale words and the approximation words come from
`orchestration/knowledge/money.yaml`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from orchestration.domain.extract.knowledge import knowledge_file
from orchestration.domain.extract.text import literal_alternation

_DIGIT = re.compile(r"\d")
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


@dataclass(frozen=True)
class MoneyMention:
    start: int  # first character (including an approximation word such as "over")
    end: int  # end of the whole expression (including a parenthesised second currency)
    amount_start: int  # first character of the first figure (symbol or code included)
    amount: float
    currency: str
    alt_amount: float | None
    alt_currency: str | None
    is_approximate: bool
    text: str


@dataclass(frozen=True)
class _Grammar:
    pattern: re.Pattern
    exact: dict[str, str]  # code or letter symbol, as written -> ISO code
    lookup: dict[str, str]  # lower-cased word or sign -> ISO code
    scales: dict[str, float]
    approx: re.Pattern
    reach: int  # an expression starts at most this many characters before its first digit


def _alt(items: list[str]) -> str:
    """The spellings, longest first (as a trie: see text.literal_alternation)."""
    return literal_alternation(items, ignorecase=True)


def _exact_alt(items: list[str]) -> str:
    """Case-sensitive spellings inside the case-insensitive pattern."""
    return rf"(?-i:{literal_alternation(items)})" if items else "(?!x)x"


@lru_cache(maxsize=1)
def iso_currency_names() -> dict[str, str]:
    """ISO 4217 code -> ISO name, from pycountry (read once)."""
    import pycountry

    return {c.alpha_3: c.name for c in pycountry.currencies}


def known_currencies() -> tuple[str, ...]:
    """The ISO codes the grammar reads (the `currencies` of money.yaml)."""
    return tuple(knowledge_file("money.yaml")["currencies"])


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    data = knowledge_file("money.yaml")
    iso_names = iso_currency_names()
    exact: dict[str, str] = {}
    lookup: dict[str, str] = {}
    signs, letter_signs, codes, words = [], [], [], []
    for code, spec in data["currencies"].items():
        spec = spec or {}
        for s in spec.get("symbols") or []:
            if s[0].isalpha():
                letter_signs.append(s)
                exact[s] = code
            else:
                signs.append(s)
                lookup[s.lower()] = code
        for c in [code] + list(spec.get("codes") or []):
            codes.append(c)
            exact[c] = code
        iso = iso_names.get(code)
        for w in list(spec.get("words") or []) + ([iso, iso + "s"] if iso else []):
            words.append(w)
            lookup.setdefault(w.lower(), code)
    scales = {k.lower(): float(v) for k, v in data["scales"].items()}
    long_scales = [s for s in scales if len(s) > 1]
    short_scales = [s for s in scales if len(s) == 1]
    scale = (rf"(?:\s?(?P<{{p}}scale>{_alt(long_scales)})\b"
             rf"|(?P<{{p}}short>{_alt(short_scales)})\b)") if short_scales else \
        rf"(?:\s?(?P<{{p}}scale>{_alt(long_scales)})\b)"
    sign_alt = _alt(signs) if signs else "(?!x)x"

    def money(p: str) -> str:
        sc = scale.replace("{p}", p)
        prefix = (rf"(?:(?P<{p}sym>{sign_alt}|(?<![\w.&]){_exact_alt(letter_signs)})\s?"
                  rf"|(?<![A-Za-z])(?P<{p}code>{_exact_alt(codes)})\s?)"
                  rf"(?P<{p}num>{_NUMBER}){sc}?")
        sc2 = sc.replace(p + "scale", p + "scale2").replace(p + "short", p + "short2")
        suffix = (rf"(?<![\w.,])(?P<{p}num2>{_NUMBER}){sc2}?"
                  rf"\s?(?P<{p}unit>{_exact_alt(codes)}\b|(?:{_alt(words)})\b)")
        return rf"(?:{prefix}|{suffix})"

    approx_words = _alt([w.lower() for w in data.get("approximate") or []])
    pattern = re.compile(
        money("a")
        + rf"(?:\s*\(\s*(?:(?:{approx_words})\s+)*(?P<alt>{money('b')})\s*\))?",
        re.IGNORECASE,
    )
    approx = re.compile(rf"(?:(?<![\w.])(?:{approx_words})\s*)+$", re.IGNORECASE)
    # a symbol or code, one optional space, then the figure (or the figure first)
    reach = max(map(len, signs + letter_signs + codes), default=0) + 1
    return _Grammar(pattern, exact, lookup, scales, approx, reach)


def _matches(g: _Grammar, text: str) -> list[re.Match]:
    """The matches of g.pattern.finditer(text), trying the pattern only within `g.reach` characters
    before a digit (everywhere else it cannot match): most of a sentence is passed over."""
    out = []
    pos = 0  # positions before this are settled
    match = g.pattern.match
    for digit in _DIGIT.finditer(text):
        d = digit.start()
        p = max(pos, d - g.reach)
        while p <= d:
            m = match(text, p)
            if m is None:
                p += 1
            else:
                out.append(m)
                p = m.end()  # never empty: every expression has a figure
        pos = max(pos, p)
    return out


def _value(m: re.Match, p: str, g: _Grammar) -> tuple[float, str] | None:
    if m.group(p + "num") is not None:
        num = m.group(p + "num")
        cur = m.group(p + "sym") or m.group(p + "code")
        scale = m.group(p + "scale") or m.group(p + "short")
    else:
        num = m.group(p + "num2")
        cur = m.group(p + "unit")
        scale = m.group(p + "scale2") or m.group(p + "short2")
    if num is None or cur is None:
        return None
    code = g.exact.get(cur) or g.lookup.get(cur.lower())
    if code is None:
        return None
    value = Decimal(num.replace(",", ""))
    if scale:
        value *= Decimal(repr(g.scales[scale.lower()]))  # exact: "RM33.3 million" is 33300000, not 33299999.99
    return float(value), code


def find_money(text: str) -> list[MoneyMention]:
    """Every money expression in `text`, left to right, with a parenthesised second currency folded in."""
    out: list[MoneyMention] = []
    g = _grammar()
    for m in _matches(g, text):
        first = _value(m, "a", g)
        if first is None:
            continue
        # "in 2014 won the prize": a bare year followed by a currency word is not money
        if (m.group("anum2") is not None and not (m.group("ascale2") or m.group("ashort2"))
                and re.fullmatch(r"(1[89]|20)\d\d", m.group("anum2"))):
            continue
        alt = _value(m, "b", g) if m.group("alt") else None
        start = m.start()
        a = g.approx.search(text[max(0, start - 40): start])
        is_approx = a is not None
        if a is not None:
            start = max(0, start - 40) + a.start()
        if alt is not None and alt[1] == first[1]:
            alt = None
        out.append(MoneyMention(
            start=start, end=m.end(), amount_start=m.start(), amount=first[0], currency=first[1],
            alt_amount=alt[0] if alt else None, alt_currency=alt[1] if alt else None,
            is_approximate=is_approx, text=text[start:m.end()],
        ))
    return out
