from datetime import date

from orchestration.domain.events import extract_events
from orchestration.domain.models import Document, EntityResult, EntitySpan, Person


def doc(title, body, pub=date(2025, 3, 14)):
    return Document("x", title, body, pub)


def by_name(events):
    return {e.name: e for e in events}


def test_named_forum_with_date_city_attendees_and_backreference():
    d = doc("Korea and Saudi Arabia hold Korea-Saudi Hydrogen Investment Forum",
            "Trade Minister Kim attended the Korea-Saudi Hydrogen Investment Forum on March 12 in Riyadh. "
            "The Forum was attended by about 150 persons from both countries. "
            "The forum will be regularized.")
    evs = extract_events(d, EntityResult())
    assert len(evs) == 1
    e = evs[0]
    assert e.name == "Korea-Saudi Hydrogen Investment Forum"
    assert (e.event_type, str(e.start_date), e.date_precision) == ("forum", "2025-03-12", "day")
    assert (e.city, e.country_code, e.attendees, e.is_primary) == ("Riyadh", "SAU", 150, True)


def test_lowercase_descriptions_ordinals_and_standing_bodies():
    d = doc("Korea and Germany review cooperation",
            "The ministers welcomed the Korea-Germany summit held last October and the third Korea-Germany "
            "Energy Dialogue (February 2025). They noted progress of the Korea-Germany Battery Working Group "
            "and agreed to continue discussions.")
    evs = by_name(extract_events(d, EntityResult()))
    assert "Korea-Germany summit" in evs
    assert str(evs["Korea-Germany summit"].start_date) == "2024-10-01"
    dialogue = evs["third Korea-Germany Energy Dialogue"]
    assert (str(dialogue.start_date), dialogue.date_precision) == ("2025-02-01", "month")
    assert not any("Working Group" in n for n in evs)  # a standing body, not a meeting


def test_working_group_held_is_an_event_and_no_date_stays_unknown():
    d = doc("x", "The Korea-Chile Critical Minerals Working Group held this January reviewed supply chains. "
                 "Both sides launched the Korea-Chile Mining Investment Roundtable in Santiago.")
    evs = by_name(extract_events(d, EntityResult()))
    wg = evs["Korea-Chile Critical Minerals Working Group"]
    assert (wg.event_type, str(wg.start_date)) == ("working_group_meeting", "2025-01-01")
    rt = evs["Korea-Chile Mining Investment Roundtable"]
    assert (rt.start_date, rt.date_precision, rt.city) == (None, "unknown", "Santiago")


def test_meeting_between_two_officials_becomes_a_bilateral_meeting():
    body = ("Trade Minister Jane Doe met Indian Commerce Minister Raj Kumar on March 11 in New Delhi on the "
            "sidelines of the G20 Trade Ministers Meeting and discussed supply chains.")
    s1 = body.index("Jane Doe")
    s2 = body.index("Raj Kumar")
    ents = EntityResult(
        people=[Person("doe jane", "Jane Doe", "Doe", "Jane", country_code="KOR", title="Trade Minister"),
                Person("kumar raj", "Raj Kumar", "Kumar", "Raj", country_code="IND", title="Commerce Minister")],
        spans=[EntitySpan("person", "doe jane", "body", s1, s1 + 8, "Jane Doe"),
               EntitySpan("person", "kumar raj", "body", s2, s2 + 9, "Raj Kumar")],
    )
    evs = by_name(extract_events(doc("Korea and India discuss trade", body), ents))
    bi = evs["Korea-India ministers’ meeting"]
    assert (bi.event_type, str(bi.start_date), bi.city, bi.is_primary) == ("bilateral_meeting", "2025-03-11",
                                                                         "New Delhi", True)
    assert ("person", "kumar raj") in bi.participants
    g20 = evs["G20 Trade Ministers Meeting"]
    assert str(g20.start_date) == "2025-03-11" and not g20.is_primary


def test_outcome_nouns_do_not_make_events():
    d = doc("Korea and Japan discuss implementing summit outcomes", "They reviewed summit outcomes.")
    assert extract_events(d, EntityResult()) == []
