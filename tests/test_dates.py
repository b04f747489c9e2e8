from datetime import date

from orchestration.domain.extract.mentions.dates import dateline_date, find_dates

PUB = date(2025, 3, 14)


def resolved(text, **kw):
    return [(str(d.value), d.precision) for d in find_dates(text, PUB, **kw)]


def test_full_and_partial_dates():
    assert resolved("Friday, March 14, 2025") == [("2025-03-14", "day")]
    assert resolved("on March 12 in Riyadh") == [("2025-03-12", "day")]
    assert resolved("held on 5 March") == [("2025-03-05", "day")]
    assert resolved("the first round (November 2023)") == [("2023-11-01", "month")]


def test_relative_months_and_years():
    assert resolved("the summit held this February") == [("2025-02-01", "month")]
    assert resolved("completed last October") == [("2024-10-01", "month")]
    assert resolved("agreed in September last year") == [("2024-09-01", "month")]
    assert resolved("at the beginning of January") == [("2025-01-01", "month")]
    # a later month without a year is last year's, unless the sentence speaks of the future
    assert resolved("held on November 20") == [("2024-11-20", "day")]
    assert resolved("will be held on November 20", future=True) == [("2025-11-20", "day")]


def test_today_uses_the_dateline():
    body = "FOR IMMEDIATE RELEASE Wednesday, March 12, 2025 TOKYO - Today, the ministers met."
    d = dateline_date(body, PUB)
    assert d == date(2025, 3, 12)
    assert resolved("Today, the ministers met", today=d) == [("2025-03-12", "day")]


def test_may_the_verb_is_not_a_date():
    assert resolved("countries that may misuse them") == []


def test_ranges_give_the_first_day_and_relative_months():
    assert resolved("held in Lima from 3 to 7 February") == [("2025-02-03", "day")]
    assert resolved("on February 10-12, 2025 in Lima") == [("2025-02-10", "day")]
    assert resolved("the summit in Lima last month") == [("2025-02-01", "month")]
    assert resolved("a fair later this month") == [("2025-03-01", "month")]


def test_relative_days_need_an_anchor():
    anchor = date(2025, 3, 4)
    assert resolved("The following day, the ministers attended the forum.") == []
    assert resolved("The following day, the ministers attended the forum.", anchor=anchor) == [("2025-03-05", "day")]
    assert resolved("the summit held that morning", anchor=anchor) == [("2025-03-04", "day")]
    assert resolved("At the meeting held the previous day, they signed.", anchor=anchor) == [("2025-03-03", "day")]
    assert resolved("Earlier in the day, the leaders met.", anchor=anchor) == [("2025-03-04", "day")]
    # "the day before the summit" counts from the summit, not from the narrative's day
    assert resolved("the day before the summit", anchor=anchor) == []


def test_a_yearless_day_ahead_of_the_report_is_read_forward():
    assert resolved("The meeting came ahead of the leaders' talks in Lima on March 20.") == [("2025-03-20", "day")]
    assert resolved("The meeting came ahead of the leaders' talks in Lima on 20 March.") == [("2025-03-20", "day")]


def test_bare_weekdays_are_the_nearest_such_day_around_the_release():
    # PUB is Friday, March 14, 2025
    assert resolved("the forum held in Lisbon on Tuesday, with") == [("2025-03-11", "day")]
    assert resolved("On Friday, the ministers met") == [("2025-03-14", "day")]
    assert resolved("The talks will resume next Monday.", future=True) == [("2025-03-17", "day")]
    assert resolved("Wednesday was a holiday") == []  # a weekday needs "on", "last", "next" ... in front
