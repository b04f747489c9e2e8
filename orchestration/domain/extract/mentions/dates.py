"""Dates as press releases write them, resolved against the publication date.

"Thursday, June 27, 2024", "June 26, 2024", "on Tuesday", "on June 27", "27 June", "(April 2023)", "in May 2024",
"this May", "last October", "April last year", "at the beginning of June", "Today", "in 2023",
"last month", ranges ("from 22 to 26 January", "May 28-30": the first day).
Each mention carries its precision: day | month | year.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from orchestration.domain.extract.knowledge import alternation, word_list
from orchestration.domain.extract.text import literal_alternation

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_MONTH = (r"(?P<{g}>" + alternation("dates.yaml", "month_names") + r")")
_WEEKDAY = r"(?:(?:" + alternation("dates.yaml", "weekday_names") + r"),?\s+)?"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)"


def _m(g: str) -> str:
    return _MONTH.replace("{g}", g)


def _d(g: str) -> str:
    return _DAY.replace("{g}", g)


def _y(g: str) -> str:
    return _YEAR.replace("{g}", g)


# Alternatives, tried left to right at each position (longest forms first).
_PATTERN = re.compile(
    "|".join([
        rf"(?P<iso>\b{_y('iy')}-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)",
        # ranges: the first day counts ("from 22 to 26 January 2024", "May 28-30", "June 3 to 5, 2024")
        rf"(?P<rdm>\b(?:from\s+)?{_d('rd1')}\s*(?:-|–|to|and)\s*[0-3]?\d(?:st|nd|rd|th)?\s+{_m('rm1')}"
        rf"(?:,?\s+{_y('ry1')})?\b)",
        rf"(?P<rmd>{_WEEKDAY}\b{_m('rm2')}\s+{_d('rd2')}\s*(?:-|–|to)\s*[0-3]?\d(?:st|nd|rd|th)?\b"
        rf"(?:,?\s+{_y('ry2')})?(?!\s*(?:%|percent|GW|MW)))",
        rf"(?P<mdy>{_WEEKDAY}\b{_m('m1')}\s+{_d('d1')},?\s+{_y('y1')}\b)",
        rf"(?P<dmy>{_WEEKDAY}\b{_d('d2')}\s+{_m('m2')},?\s+{_y('y2')}\b)",
        rf"(?P<my>\b{_m('m3')},?\s+(?:of\s+)?{_y('y3')}\b)",
        r"(?P<rel_my>\b(?P<q4>"
        + alternation("dates.yaml", "month_qualifiers")
        + rf")\s*{_m('m4')}(?:\s+(?P<q4b>this|last|next)\s+year)?\b)",
        rf"(?P<m_rel>\b{_m('m5')}\s+(?:of\s+)?(?P<q5>this|last|next)\s+year\b)",
        rf"(?P<md>{_WEEKDAY}\b{_m('m6')}\s+{_d('d6')}\b(?![,]?\s*(?:19|20)\d\d)(?!\s*(?:%|percent|GW|MW)))",
        rf"(?P<dm>\b{_d('d7')}\s+{_m('m7')}\b)",
        rf"(?P<bare_m>\b{_m('m8')}\b(?!\s+(?:be|have|not|also|still)\b))",
        rf"(?P<in_y>\b{_y('y9')}\b(?!\s*[-–]))",
        r"(?P<rel_y>\b(?P<q10>this|last|next)\s+year\b)",
        r"(?P<wday>\b(?P<wdn>" + alternation("dates.yaml", "weekday_names") + r")\b)",
        r"(?P<rel_mo>\b(?P<q11>this|last|next|earlier this|later this)\s+month\b)",
        r"(?P<today>\b(?:" + alternation("dates.yaml", "today_words") + r")\b)",
    ]),
    re.IGNORECASE,
)


# Where a match of _PATTERN can start (a superset, for speed): a weekday (the optional weekday prefix has
# no word boundary in front), or after a word boundary (every other alternative opens with one) a digit, a
# month or one of the words opening the relative alternatives. _PATTERN is tried only at these positions,
# which gives exactly the matches of _PATTERN.finditer.
_WEEKDAY_NAMES = word_list("dates.yaml", "weekday_names")
_START_WORDS = word_list("dates.yaml", "start_words")
_START = re.compile(
    rf"\b(?:\d|{literal_alternation(_START_WORDS, ignorecase=True)})"
    rf"|{literal_alternation(_WEEKDAY_NAMES, ignorecase=True)}",
    re.IGNORECASE)
# The same on lower-cased ASCII text, where case-sensitive matching finds the same positions faster.
_START_LOWER = re.compile(
    rf"\b(?:\d|{literal_alternation(_START_WORDS)})|{literal_alternation(w.lower() for w in _WEEKDAY_NAMES)}")


@lru_cache(maxsize=512)
def _scan(text: str) -> tuple[re.Match, ...]:
    """The matches of _PATTERN.finditer(text) (they do not depend on the reference dates, so the
    sentences scanned by events, pledges and agreements are scanned once)."""
    out = []
    pos = 0
    n = len(text)
    if text.isascii():
        scanned, start_search = text.lower(), _START_LOWER.search  # same length, same positions
    else:
        scanned, start_search = text, _START.search
    match = _PATTERN.match
    while pos < n:
        c = start_search(scanned, pos)
        if c is None:
            break
        p = c.start()
        m = match(text, p)
        if m is None:
            pos = p + 1
            continue
        out.append(m)
        pos = m.end()  # no alternative matches the empty string
    return tuple(out)


_BARE_MONTH_BEFORE = re.compile(
    r"\b(?:" + alternation("dates.yaml", "bare_month_openers") + r")\s+$",
    re.IGNORECASE)
_YEAR_BEFORE = re.compile(r"\b(?:" + alternation("dates.yaml", "year_openers") + r")\s+$|\($", re.IGNORECASE)


_WEEKDAY_BEFORE = re.compile(r"\b(?:" + alternation("dates.yaml", "weekday_openers") + r")\s+$", re.IGNORECASE)
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

# "met in Washington Monday with", "inked an MOU Thursday at", "President X Monday witnessed": a weekday
# without "on", read as a date when it is a clause's adverb (not "Black Friday", not "Monday Night ...")
_NOT_WEEKDAY_BEFORE = re.compile(r"\b(?:" + alternation("dates.yaml", "weekday_non_date_before") + r")\s+$",
                                 re.IGNORECASE)
_WEEKDAY_AFTER = re.compile(r"[\s]*(?:[,.;:)]|$|(?:" + alternation("dates.yaml", "weekday_followers") + r")\b)")


def _bare_weekday(text: str, m: re.Match) -> bool:
    return not _NOT_WEEKDAY_BEFORE.search(text[max(0, m.start() - 12): m.start()]) and \
        bool(_WEEKDAY_AFTER.match(text, m.end()))


_AHEAD = re.compile(r"\b(?:ahead of|in the run-up to|in preparation for|prior to)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: date
    precision: str  # day | month | year
    text: str


def _month(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _infer_year(month: int, day: int | None, ref: date, future: bool) -> int:
    """The year of a month (and day) written without one: the nearest such date not later than
    the publication (plus a week of tolerance), unless the sentence speaks of the future."""
    y = ref.year
    probe = _safe(y, month, day or 1) or date(y, month, 1)
    if future:
        if probe < ref - timedelta(days=7 if day else 31):
            return y + 1
        return y
    if day is None:
        return y - 1 if month > ref.month else y
    return y - 1 if probe > ref + timedelta(days=7) else y


# Days written relative to the day the narrative is on ("The following day, ...", "the summit held
# that morning", "the meeting held the previous day"): resolved only against an `anchor` day.
_RELATIVE_DAY = re.compile(
    r"\b(?:(?P<next>the\s+following\s+day|the\s+next\s+day|a\s+day\s+later|the\s+day\s+after(?!\s+(?:the|its|his|her|their)\b))"
    r"|(?P<prev>the\s+previous\s+day|the\s+preceding\s+day|a\s+day\s+earlier|the\s+day\s+before"
    r"(?!\s+(?:the|its|his|her|their)\b))"
    r"|(?P<same>(?:on\s+)?the\s+same\s+day|(?:earlier|later)\s+(?:in|on)\s+the\s+day|(?:earlier|later)\s+that\s+"
    r"(?:day|morning|afternoon|evening)|that\s+(?:same\s+)?(?:day|morning|afternoon|evening)))\b",
    re.IGNORECASE)
# Every alternative of _RELATIVE_DAY contains one of these words: a cheap pre-check.
_RELATIVE_DAY_WORD = re.compile(r"day|morning|afternoon|evening", re.IGNORECASE)
BACKWARD_WORDS = re.compile(r"previous|preceding|earlier$|before$", re.IGNORECASE)


def relative_days(text: str, anchor: date) -> list[DateMention]:
    """ "the following day" / "the previous day" / "that morning" ... as days counted from `anchor`."""
    out: list[DateMention] = []
    if not _RELATIVE_DAY_WORD.search(text):
        return out
    for m in _RELATIVE_DAY.finditer(text):
        shift = 1 if m.group("next") else -1 if m.group("prev") else 0
        out.append(DateMention(m.start(), m.end(), anchor + timedelta(days=shift), "day", m.group(0)))
    return out


def find_dates(text: str, ref: date, today: date | None = None, future: bool = False,
               anchor: date | None = None) -> list[DateMention]:
    """Date mentions of `text` resolved against `ref` (publication date). `today` is what "today"
    means (the dateline date when the release carries one). `future`: the sentence speaks of what
    will happen, so yearless dates are read forward. `anchor`: the day the narrative is on, for
    "the following day", "the previous day", "that morning" (left out without it)."""
    today = today or ref
    out: list[DateMention] = []
    if anchor is not None:
        out.extend(relative_days(text, anchor))
    for m in _scan(text):
        kind = m.lastgroup
        g = m.groupdict()
        value: date | None = None
        precision = "day"
        if g["iso"]:
            value = _safe(int(g["iy"]), int(g["im"]), int(g["id"]))
        elif g["rdm"] or g["rmd"]:
            month = _month(g["rm1"] or g["rm2"])
            day = int(g["rd1"] or g["rd2"])
            year = g["ry1"] or g["ry2"]
            value = _safe(int(year) if year else _infer_year(month, day, ref, future), month, day)
        elif g["mdy"]:
            value = _safe(int(g["y1"]), _month(g["m1"]), int(g["d1"]))
        elif g["dmy"]:
            value = _safe(int(g["y2"]), _month(g["m2"]), int(g["d2"]))
        elif g["my"]:
            value, precision = _safe(int(g["y3"]), _month(g["m3"]), 1), "month"
        elif g["rel_my"]:
            month, q, qb = _month(g["m4"]), g["q4"].lower(), (g["q4b"] or "").lower()
            precision = "month"
            if qb:
                y = ref.year + {"this": 0, "last": -1, "next": 1}[qb]
            elif q == "this":
                y = ref.year
            elif q == "last":
                y = ref.year if month < ref.month else ref.year - 1
            elif q == "next":
                y = ref.year if month > ref.month else ref.year + 1
            else:
                y = _infer_year(month, None, ref, future)
            value = _safe(y, month, 1)
        elif g["m_rel"]:
            y = ref.year + {"this": 0, "last": -1, "next": 1}[g["q5"].lower()]
            value, precision = _safe(y, _month(g["m5"]), 1), "month"
        elif g["md"] or g["dm"]:
            month, day = _month(g["m6"] or g["m7"]), int(g["d6"] or g["d7"])
            # "the meeting came ahead of X's meeting with Y on January 13": what lies ahead is read forward
            ahead = future or bool(_AHEAD.search(text[max(0, m.start() - 100): m.start()]))
            value = _safe(_infer_year(month, day, ref, ahead), month, day)
        elif g["bare_m"]:
            if g["m8"][0].islower() or not _BARE_MONTH_BEFORE.search(text[max(0, m.start() - 20): m.start()]):
                continue  # "may" the verb; a month name needs "in", "of", "early" ... in front
            month = _month(g["m8"])
            value, precision = _safe(_infer_year(month, None, ref, future), month, 1), "month"
        elif g["in_y"]:
            if not _YEAR_BEFORE.search(text[max(0, m.start() - 12): m.start()]):
                continue
            value, precision = _safe(int(g["y9"]), 1, 1), "year"
        elif g["rel_y"]:
            y = ref.year + {"this": 0, "last": -1, "next": 1}[g["q10"].lower()]
            value, precision = _safe(y, 1, 1), "year"
        elif g["rel_mo"]:
            shift = {"last": -1, "next": 1}.get(g["q11"].lower(), 0)
            y, mo = divmod(ref.year * 12 + ref.month - 1 + shift, 12)
            value, precision = _safe(y, mo + 1, 1), "month"
        elif g["wday"]:
            # "on Tuesday": the nearest such day before the release (after it when the sentence looks ahead)
            pre = text[max(0, m.start() - 8): m.start()]
            opener = _WEEKDAY_BEFORE.search(pre)
            if g["wdn"][0].islower() or not (opener or _bare_weekday(text, m)):
                continue
            wd = _WEEKDAYS[g["wdn"].lower()]
            # a bare weekday is read forward only when its own clause looks ahead ("will be signed Thursday")
            ahead = future if opener else bool(_FUTURE.search(text[max(0, m.start() - 40): m.start()]))
            if ahead or pre.lower().rstrip().endswith("next"):
                value = today + timedelta(days=(wd - today.weekday()) % 7 or 7)
            else:
                value = today - timedelta(days=(today.weekday() - wd) % 7)
        elif g["today"]:
            word = m.group(0).lower()
            value = today + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(word, 0))
        if value is None or kind is None:
            continue
        if any(o.start < m.end() and m.start() < o.end for o in out):
            continue
        out.append(DateMention(m.start(), m.end(), value, precision, m.group(0)))
    out.sort(key=lambda d: d.start)
    return out


_HAS_YEAR = re.compile(r"(19|20)\d\d")


@lru_cache(maxsize=64)
def dateline_date(body: str, published: date, window: int = 300) -> date | None:
    """The date a release's dateline gives ("Thursday, June 27, 2024 WASHINGTON, D.C. - Today, ..."):
    a full date near the start of the body, no later than publication and at most ten days before."""
    for d in find_dates(body[:window], published):
        if d.precision == "day" and published - timedelta(days=10) <= d.value <= published and \
                _HAS_YEAR.search(d.text):
            return d.value
    return None


_FUTURE = re.compile(r"\b(" + alternation("dates.yaml", "future_cues") + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1024)
def is_future(sentence: str) -> bool:
    # event extraction asks it of each sentence more than once
    return bool(_FUTURE.search(sentence))
