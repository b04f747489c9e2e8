from datetime import date

from orchestration.domain.extract.facts.events import extract_events
from orchestration.domain.extract.models import Document, EntityResult, EntitySpan, Person


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
    bi = evs["Trade Minister Jane Doe meeting with Commerce Minister Raj Kumar (Korea-India ministers’ meeting)"]
    assert (bi.event_type, str(bi.start_date), bi.city, bi.is_primary) == ("bilateral_meeting", "2025-03-11",
                                                                         "New Delhi", True)
    assert ("person", "kumar raj") in bi.participants
    g20 = evs["G20 Trade Ministers Meeting"]
    assert str(g20.start_date) == "2025-03-11" and not g20.is_primary


def test_outcome_nouns_do_not_make_events():
    d = doc("Korea and Japan discuss implementing summit outcomes", "They reviewed summit outcomes.")
    assert extract_events(d, EntityResult()) == []


def _person(pid, full, family, country, title=None):
    return Person(pid, full, family, full.split()[0], country_code=country, title=title)


def _spans(body, people, field="body"):
    out = []
    for p in people:
        for text in sorted({p.full_name, p.family_name}, key=len, reverse=True):
            start = 0
            while (i := body.find(text, start)) >= 0:
                if not any(s.start <= i < s.end for s in out):
                    out.append(EntitySpan("person", p.person_id, field, i, i + len(text), text))
                start = i + len(text)
    return sorted(out, key=lambda s: s.start)


def test_state_visits_are_visits_dated_to_the_month():
    body = ("The Korea-Chile Business Forum was held on March 3 in Santiago on the occasion of President Ana "
            "Silva's state visit to Chile. The deal follows the state visit of President Ana Silva to Lima in "
            "January last year.")
    p = _person("ana silva", "Ana Silva", "Silva", "KOR", "President")
    evs = by_name(extract_events(doc("x", body), EntityResult(people=[p], spans=_spans(body, [p]))))
    v = evs["State visit of President Ana Silva to Chile"]
    assert (v.event_type, str(v.start_date), v.date_precision) == ("visit", "2025-03-01", "month")
    lima = evs["State visit of President Ana Silva to Lima, Peru"]
    assert str(lima.start_date) == "2024-01-01"


def test_numbered_negotiation_rounds_take_their_subject():
    d = doc("Korea and Peru conclude second round of talks",
            "Korea and Peru concluded the second round of negotiations to upgrade the Korea-Peru free trade "
            "agreement, held in Lima from 3 to 7 March. The third round of negotiations will take place in Seoul.")
    evs = by_name(extract_events(d, EntityResult()))
    second = evs["second round of negotiations to upgrade the Korea-Peru free trade agreement"]
    assert (second.event_type, str(second.start_date), second.is_primary) == ("negotiation_round", "2025-03-03",
                                                                             True)
    assert "third round of negotiations to upgrade the Korea-Peru free trade agreement" in evs


def test_plant_ceremony_with_a_date_before_its_object():
    d = doc("x", "Acme Motors held a groundbreaking ceremony on March 2 for Acme Andes Cells, its new plant.")
    evs = by_name(extract_events(d, EntityResult()))
    e = evs["groundbreaking ceremony for Acme Andes Cells"]
    assert (e.event_type, str(e.start_date)) == ("ceremony", "2025-03-02")


def test_roundtable_with_companies_and_same_day_dates():
    body = ("The Korea-Chile ministerial talks took place on March 4 in Seoul. On the same day, the minister held "
            "a roundtable with executives of Chilean companies investing in Korea, including Lumen. "
            "In the afternoon, both sides held the Korea-Chile Lithium Business Roundtable in Seoul.")
    evs = by_name(extract_events(doc("x", body), EntityResult()))
    rt = evs["roundtable with executives of Chilean companies investing in Korea"]
    assert (rt.event_type, str(rt.start_date)) == ("roundtable", "2025-03-04")
    assert str(evs["Korea-Chile Lithium Business Roundtable"].start_date) == "2025-03-04"


def test_two_ministers_holding_a_meeting_and_possessive_meeting_titles():
    a = _person("kim min", "Kim Min", "Kim", "KOR", "Minister")
    b = _person("diaz rosa", "Rosa Diaz", "Diaz", "CHL", "Minister")
    body = ("Minister Kim Min and Rosa Diaz, Chile's Minister of Economy, held a ministerial meeting on March 4 "
            "in Santiago and adopted a joint statement.")
    evs = extract_events(doc("x", body), EntityResult(people=[a, b], spans=_spans(body, [a, b])))
    names = [e.name for e in evs]
    assert names == ["Minister Kim Min and Minister Rosa Diaz meeting (Korea-Chile ministers’ meeting)"]
    assert (evs[0].event_type, str(evs[0].start_date)) == ("bilateral_meeting", "2025-03-04")

    title = "Readout of Minister Rosa Diaz's Meeting with Korean Minister Kim Min"
    body2 = "Today, Chilean Minister Rosa Diaz met with Korean Minister Kim Min in Santiago."
    ents = EntityResult(people=[a, b], spans=_spans(title, [a, b], "title") + _spans(body2, [a, b]))
    evs = extract_events(doc(title, body2), ents)
    assert len(evs) == 1 and evs[0].is_primary and str(evs[0].start_date) == "2025-03-14"
    assert evs[0].name.startswith("Minister Rosa Diaz meeting with Minister Kim Min")


def test_numbered_meeting_of_a_named_partnership():
    d = doc("x", "The ministers upgraded the Korea-Chile Mining Partnership, whose third meeting was held in "
                 "Seoul last October.")
    evs = by_name(extract_events(d, EntityResult()))
    e = evs["third Korea-Chile Mining Partnership meeting"]
    assert (e.event_type, str(e.start_date), e.city) == ("dialogue", "2024-10-01", "Seoul")


def test_signing_reported_as_the_main_subject_is_a_signing_event():
    a = _person("kim min", "Kim Min", "Kim", "KOR", "Minister")
    b = _person("diaz rosa", "Rosa Diaz", "Diaz", "CHL", "Minister")
    body = ("Minister Kim Min and Rosa Diaz signed the Korea-Chile Critical Minerals Partnership Agreement (CMPA) "
            "on March 10 in Seoul. At the same signing ceremony, two companies signed an MOU.")
    evs = extract_events(doc("Korea and Chile sign minerals agreement", body),
                         EntityResult(people=[a, b], spans=_spans(body, [a, b])))
    assert [(e.name, e.event_type, str(e.start_date), e.is_primary) for e in evs] == [
        ("Korea-Chile CMPA signing ceremony", "signing", "2025-03-10", True)]


def test_signing_at_a_named_forum_is_not_a_separate_event():
    body = "Twelve companies signed MOUs at the Korea-Chile Investment Forum held on March 3 in Seoul."
    evs = extract_events(doc("Korea and Chile sign 12 MOUs at investment forum", body), EntityResult())
    assert [e.event_type for e in evs] == ["forum"]


def test_business_partnering_event():
    d = doc("x", "KOTRA will co-host a Korea-Chile business partnering event in Santiago this November.")
    evs = by_name(extract_events(d, EntityResult()))
    assert str(evs["Korea-Chile business partnering event"].start_date) == "2025-11-01"


def test_following_day_and_that_morning_date_events_from_the_narrative():
    body = ("Minister Kim attended the Korea-Peru Trade Forum in Lima on March 3. The following day, the ministers "
            "attended the Korea-Peru Business Forum in Lima. The forum followed the Korea-Peru summit held that "
            "morning. At the trade forum held the previous day, two MOUs were signed.")
    evs = by_name(extract_events(doc("x", body), EntityResult()))
    assert str(evs["Korea-Peru Business Forum"].start_date) == "2025-03-04"
    assert str(evs["Korea-Peru summit"].start_date) == "2025-03-04"
    assert str(evs["Korea-Peru Trade Forum"].start_date) == "2025-03-03"


def test_undated_event_in_an_undated_sentence_takes_the_narrative_day():
    body = ("Minister Kim and Minister Diaz held talks in Lima on March 3. The talks took place on the occasion "
            "of the Korea-Peru summit, at which the leaders upgraded relations. "
            "The Korea-Peru Energy Working Group will be revived.")
    evs = by_name(extract_events(doc("x", body), EntityResult()))
    assert str(evs["Korea-Peru summit"].start_date) == "2025-03-03"
    assert not any("Working Group" in n for n in evs)  # a standing body, and the sentence speaks of the future


def test_bare_numbered_round_takes_the_subject_named_before():
    body = ("Korea and Peru held the 11th round of negotiations to upgrade the Korea-Peru FTA in Seoul on "
            "March 3. Building on the 10th round held in Lima last December, the sides agreed to meet again at "
            "the 12th round in Lima this May.")
    evs = by_name(extract_events(doc("Korea and Peru hold 11th round of FTA upgrade talks", body),
                                 EntityResult()))
    tenth = evs["10th round of negotiations to upgrade the Korea-Peru FTA"]
    assert (str(tenth.start_date), tenth.date_precision) == ("2024-12-01", "month")
    assert "12th round of negotiations to upgrade the Korea-Peru FTA" in evs


def test_meeting_of_the_short_named_dialogue_takes_its_full_name_and_no_since_date():
    body = ("The ministers convened the Korea-Peru Commercial Dialogue in Lima on March 10, the first "
            "ministerial-level meeting of the Dialogue since 2019.")
    evs = extract_events(doc("x", body), EntityResult())
    assert len(evs) == 1
    assert evs[0].name == "first ministerial-level meeting of the Korea-Peru Commercial Dialogue"
    assert str(evs[0].start_date) == "2025-03-10"


def test_signing_at_a_meeting_is_not_separate_and_a_signing_names_its_topic():
    a = _person("kim min", "Kim Min", "Kim", "KOR", "Minister")
    b = _person("diaz rosa", "Rosa Diaz", "Diaz", "PER", "Minister")
    body = ("Minister Kim Min held a ministerial meeting with Minister Rosa Diaz in Lima on March 3 and signed an "
            "MOU on critical minerals.")
    evs = extract_events(doc("Korea and Peru sign MOU on critical minerals", body),
                         EntityResult(people=[a, b], spans=_spans(body, [a, b])))
    assert [e.event_type for e in evs] == ["bilateral_meeting"]

    body = ("Minister Kim Min and Minister Rosa Diaz signed a memorandum of understanding (MOU) on critical "
            "minerals supply chains, clean energy and energy security between the two ministries in Seoul on "
            "March 12, following the Korea-Peru summit.")
    evs = by_name(extract_events(doc("Korea and Peru sign MOU on critical minerals", body),
                                 EntityResult(people=[a, b], spans=_spans(body, [a, b]))))
    e = evs["Korea-Peru MOU on critical minerals supply chains, clean energy and energy security signing ceremony"]
    assert (e.event_type, str(e.start_date)) == ("signing", "2025-03-12")


def test_meetings_with_principals_without_countries_and_bare_title_subjects():
    a = _person("moss ann", "Ann Moss", "Moss", "USA", "Secretary of Commerce")
    b = _person("cruz leo", "Leo Cruz", "Cruz", None, "President")
    c = _person("tan bo", "Bo Tan", "Tan", None, "Prime Minister")
    body = ("Secretary Ann Moss led the mission. On March 11, the Secretary and the delegation met with President "
            "Leo Cruz at the palace. The Secretary also held a bilateral meeting with Secretary of Trade Mia "
            "Santos of the Philippine trade department. The mission came ahead of Prime Minister Bo Tan's "
            "meeting with President Leo Cruz on March 20.")
    spans = _spans(body, [a, b, c])
    i = body.index("the Secretary and")
    spans.append(EntitySpan("person", "moss ann", "body", i + 4, i + 13, "Secretary"))
    spans.append(EntitySpan("country", "PHL", "body", body.index("Philippine"), body.index("Philippine") + 10,
                            "Philippine"))
    evs = by_name(extract_events(doc("x", body), EntityResult(people=[a, b, c], spans=sorted(
        spans, key=lambda s: s.start))))
    e = evs["Secretary of Commerce Ann Moss meeting with President Leo Cruz"]
    assert (e.event_type, str(e.start_date)) == ("bilateral_meeting", "2025-03-11")
    santos = "Secretary of Commerce Ann Moss bilateral meeting with Mia Santos (U.S.-Philippines ministers’ meeting)"
    assert str(evs[santos].start_date) == "2025-03-11"
    assert str(evs["Prime Minister Bo Tan meeting with President Leo Cruz"].start_date) == "2025-03-20"


def test_two_named_ministers_who_met():
    a = _person("kim min", "Kim Min", "Kim", "KOR", "Minister")
    b = _person("diaz rosa", "Rosa Diaz", "Diaz", "PER", "Minister")
    body = "Talks gained momentum after Minister Kim Min and Peru's Minister Rosa Diaz met in Lima last September."
    evs = extract_events(doc("x", body), EntityResult(people=[a, b], spans=_spans(body, [a, b])))
    name = "Minister Kim Min and Minister Rosa Diaz meeting (Korea-Peru ministers’ meeting)"
    assert [(e.name, str(e.start_date)) for e in evs] == [(name, "2024-09-01")]


def test_bare_gatherings_named_by_host_or_venue_and_investment_weeks():
    body = ("On March 12, the two ministers held a roundtable hosted by the American Chamber of Commerce in Peru "
            "(AmCham Peru) with 100 business leaders.")
    evs = by_name(extract_events(doc("x", body), EntityResult()))
    rt = evs["roundtable hosted by the American Chamber of Commerce in Peru (AmCham Peru)"]
    assert (rt.event_type, str(rt.start_date)) == ("roundtable", "2025-03-12")

    body = "The plant, which Acme Chips first unveiled at a ceremony at Lima University this January, opens soon."
    ents = EntityResult(spans=[EntitySpan("organization", "acme chips", "body", body.index("Acme"),
                                          body.index("Acme") + 10, "Acme Chips")])
    evs = by_name(extract_events(doc("x", body), ents))
    assert str(evs["Acme Chips ceremony at Lima University"].start_date) == "2025-01-01"
    body = "The minister spoke at a ceremony at Lima University about chips."
    assert extract_events(doc("x", body), EntityResult()) == []  # undated: no knowable time

    body = ("The minister attended the investment ceremony on November 13 in Seoul, held on the opening day of "
            "Foreign Investment Week 2024 organized by KOTRA.")
    evs = by_name(extract_events(doc("x", body, pub=date(2024, 11, 14)), EntityResult()))
    assert str(evs["Foreign Investment Week 2024"].start_date) == "2024-11-13"


def test_week_is_an_event_only_as_a_capitalised_name():
    assert extract_events(doc("x", "Acme announced last week that it will invest."), EntityResult()) == []
    evs = extract_events(doc("x", "The Korea Energy Week 2025 opened in Seoul on March 3."), EntityResult())
    assert [(e.name, str(e.start_date)) for e in evs] == [("Korea Energy Week 2025", "2025-03-03")]


def test_body_that_held_its_numbered_meeting_is_dated_by_the_sentence_opening():
    d = doc("Korea and Peru hold 4th Energy Dialogue",
            "On Monday, the Korea-Peru Mining Working Group held its third meeting in Lima to prepare the agenda.",
            pub=date(2025, 3, 12))
    evs = by_name(extract_events(d, EntityResult()))
    wg = evs["third Korea-Peru Mining Working Group meeting"]
    assert (str(wg.start_date), wg.date_precision) == ("2025-03-10", "day")


def test_ordinal_and_bare_capitalised_head_take_the_full_name_named_before():
    d = doc("Korea and Brazil hold Energy Dialogue",
            "The ministers co-chaired the 2nd Korea-Brazil Energy Dialogue (KBED) in Seoul on March 11, following "
            "the first Dialogue held in Brasilia last May. About 40 officials attended the Dialogue. They agreed "
            "to hold the 3rd Dialogue in Brasilia next year.")
    evs = by_name(extract_events(d, EntityResult()))
    assert str(evs["first Korea-Brazil Energy Dialogue"].start_date) == "2024-05-01"
    third = evs["3rd Korea-Brazil Energy Dialogue"]
    assert (str(third.start_date), third.date_precision) == ("2026-01-01", "year")
    assert evs["2nd Korea-Brazil Energy Dialogue (KBED)"].attendees == 40


def test_rounds_of_modified_negotiations_and_a_launch_ceremony():
    d = doc("Korea and Peru launch talks",
            "The ministers declared the official launch of negotiations to upgrade the Korea-Peru FTA at a "
            "ceremony held in Lima on March 10. The first round of upgrade negotiations was held in Lima on "
            "March 10 and 11. The second round is expected to take place in Seoul early next year.")
    evs = by_name(extract_events(d, EntityResult()))
    assert "Launch ceremony of negotiations to upgrade the Korea-Peru FTA" in evs
    assert str(evs["first round of upgrade negotiations"].start_date) == "2025-03-10"
    second = evs["second round of upgrade negotiations"]
    assert (str(second.start_date), second.date_precision) == ("2026-01-01", "year")


def test_a_longer_name_written_after_a_full_name_is_another_gathering():
    d = doc("Korea and Kenya meet on sidelines of summit",
            "The ministers met on March 5, on the sidelines of the 2025 Korea-Asia Summit. The Summit, held in "
            "Busan on March 4 and 5, gathered 30 delegations. On March 5, the minister co-hosted the Korea-Asia "
            "Business Summit. At the Business Summit, two MOUs were signed.")
    evs = by_name(extract_events(d, EntityResult()))
    assert str(evs["2025 Korea-Asia Summit"].start_date) == "2025-03-04"
    assert "Korea-Asia Business Summit" in evs
    assert "Business Summit" not in evs


def test_a_plenary_session_anchors_a_standing_dialogue_and_topics_are_no_events():
    d = doc("Readout of the Secretary's meeting",
            "FOR IMMEDIATE RELEASE Thursday, March 13, 2025 Today, the Secretary met with the Minister of "
            "Industry of Chile in Washington, D.C. to co-chair the plenary session of the U.S.-Chile Commercial "
            "Dialogue. On the same day, the Secretary discussed the Chile-Pacific Trade Framework negotiations.")
    evs = by_name(extract_events(d, EntityResult()))
    assert str(evs["U.S.-Chile Commercial Dialogue"].start_date) == "2025-03-13"
    assert not any("Framework" in n for n in evs)


def test_visit_during_a_dated_state_visit_and_site_visits():
    body = ("The summit took place on the occasion of President Ana Silva's state visit to Chile from March 3 "
            "to 6. Earlier on March 4, President Ana Silva visited the headquarters of Andes Copper in Santiago. "
            "The leaders recalled the commitments made by President Ana Silva during the April 2024 state visit "
            "to Lima.")
    p = _person("ana silva", "Ana Silva", "Silva", "KOR", "President")
    evs = by_name(extract_events(doc("x", body), EntityResult(people=[p], spans=_spans(body, [p]))))
    v = evs["State visit of President Ana Silva to Chile"]
    assert (str(v.start_date), v.date_precision) == ("2025-03-03", "day")
    site = evs["Visit to Andes Copper headquarters in Santiago"]
    assert (site.event_type, str(site.start_date)) == ("visit", "2025-03-04")
    lima = evs["State visit of President Ana Silva to Lima, Peru"]
    assert (str(lima.start_date), lima.date_precision) == ("2024-04-01", "month")


def test_a_lead_sentence_signing_is_an_event_and_same_day_signings_are_dated():
    body = ("Minister Ana Silva and Secretary Juan Perez signed a joint declaration on the launch of "
            "negotiations for a Korea-Peru Economic Partnership Agreement in Lima on March 5. On the same day, "
            "the two ministries agreed on follow-up work.")
    a = _person("ana silva", "Ana Silva", "Silva", "KOR", "Minister")
    b = _person("juan perez", "Juan Perez", "Perez", "PER", "Secretary")
    evs = extract_events(doc("Korea and Peru declare launch of EPA talks", body),
                         EntityResult(people=[a, b], spans=_spans(body, [a, b])))
    signing = [e for e in evs if e.event_type == "signing"]
    assert len(signing) == 1 and "Korea-Peru" in signing[0].name and str(signing[0].start_date) == "2025-03-05"


def test_a_release_dateline_does_not_date_a_standing_body_in_the_repeated_title():
    d = doc("Readout of the Secretary's Meeting with the Minister at the U.S.-Chile Commercial Dialogue",
            "Readout of the Secretary's Meeting with the Minister at the U.S.-Chile Commercial Dialogue FOR "
            "IMMEDIATE RELEASE Friday, March 14, 2025 SANTIAGO - The two sides reviewed export controls.")
    evs = extract_events(d, EntityResult())
    assert not any(e.name == "U.S.-Chile Commercial Dialogue" for e in evs)


# ---- verb frames: who met whom, trips, signings, dates listed "respectively"

def _span(text, etype, eid, surface, field="body"):
    i = text.index(surface)
    return EntitySpan(etype, eid, field, i, i + len(surface), surface)


def test_meeting_named_by_who_met_whom_dated_by_a_bare_weekday():
    body = ("RURITANIA – Trade Commissioner Ana Lopez met in Ruritania City Monday with Freedonia’s Prime Minister "
            "Tomas Berg to discuss next steps in trade relations.")
    people = [Person("ana lopez", "Ana Lopez", "Lopez", "Ana", title="Trade Commissioner", country_code="USA"),
              Person("berg tomas", "Tomas Berg", "Berg", "Tomas", title="Prime Minister", country_code="KOR")]
    ents = EntityResult(people=people, spans=[_span(body, "person", "ana lopez", "Ana Lopez"),
                                              _span(body, "person", "berg tomas", "Tomas Berg")])
    (e,) = extract_events(doc("Commissioner meets Prime Minister", body, date(2025, 3, 12)), ents)  # a Wednesday
    assert e.name.startswith("Trade Commissioner Ana Lopez meeting with Prime Minister Tomas Berg")
    assert (e.event_type, str(e.start_date)) == ("bilateral_meeting", "2025-03-10")


def test_bilateral_meetings_with_several_counterparts_are_one_meeting_each():
    body = ("From November 7 to 9, 2025, Mr. Ken Sato, Minister of Trade, visited Beijing. Taking this "
            "opportunity, he also had bilateral meetings with Mr. Li Wei, Minister of Commerce, China, and "
            "Ambassador Mary Stone, United States Trade Representative.")
    people = [Person("ken sato", "Ken Sato", "Sato", "Ken", title="Minister", country_code="JPN"),
              Person("li wei", "Li Wei", "Li", "Wei", title="Mr.", country_code="CHN"),
              Person("mary stone", "Mary Stone", "Stone", "Mary", title="Ambassador", country_code="USA")]
    ents = EntityResult(people=people, spans=[_span(body, "person", "ken sato", "Ken Sato"),
                                              _span(body, "person", "li wei", "Li Wei"),
                                              _span(body, "person", "mary stone", "Mary Stone")])
    evs = [e for e in extract_events(doc("Minister Sato Visited China", body, date(2025, 11, 10)), ents)
           if e.event_type == "bilateral_meeting"]
    assert sorted(e.name.split(" (")[0] for e in evs) == [
        "Minister Ken Sato bilateral meeting with Ambassador Mary Stone",
        "Minister Ken Sato bilateral meeting with Li Wei"]
    assert all(str(e.start_date)[:7] == "2025-11" for e in evs)


def test_trips_from_the_headline_dated_by_the_lead():
    d = doc("Trade Minister Ken Sato Visits Ruritania",
            "From May 27 to 31, 2025, Trade Minister Ken Sato visited Ruritania to attend a conference.",
            date(2025, 5, 31))
    (visit,) = [e for e in extract_events(d, EntityResult()) if e.event_type == "visit"]
    assert visit.name == "Trade Minister Ken Sato visit to Ruritania"
    assert (str(visit.start_date), visit.date_precision) == ("2025-05-27", "day")  # the span's first day
    d = doc("The Ministry of Trade’s (MOT) trade and investment mission to Seoul generates sales",
            "The mission from Oct 18-20, 2025 met buyers.", date(2025, 10, 20))
    names = [e.name for e in extract_events(d, EntityResult())]
    assert "MOT trade and investment mission to Seoul" in names


def test_dates_listed_respectively_and_held_from_a_day():
    d = doc("x", "The Minister discussed the issues following the Korea-US summit and G20 summit, held on June 28 "
                 "to July 1 and on July 5 to 8, respectively.", date(2025, 7, 12))
    evs = by_name(extract_events(d, EntityResult()))
    assert str(evs["Korea-US summit"].start_date) == "2025-06-28"
    assert str(evs["G20 summit"].start_date) == "2025-07-05"
    d = doc("x", "The first official round of negotiations for a trade pact between Korea and Ruritania will be "
                 "held in Seoul from Monday, December 1, to Thursday, December 4.", date(2025, 11, 28))
    (r,) = extract_events(d, EntityResult())
    assert (r.event_type, str(r.start_date)) == ("negotiation_round", "2025-12-01")


def test_a_sitting_of_the_body_the_sentence_opens_on():
    body = ("RURITANIA CITY, Nov. 1, 2025 -- At a meeting held today, the Ruritania Board of Trade (RBT) approved "
            "new investments.")
    ents = EntityResult(spans=[_span(body, "organization", "board of trade", "Board of Trade"),
                               _span(body, "organization", "board of trade", "RBT")])
    evs = extract_events(doc("Board approves investments", body, date(2025, 11, 1)), ents)
    assert [(e.name, str(e.start_date)) for e in evs] == [("Ruritania Board of Trade (RBT) meeting", "2025-11-01")]


def test_an_organization_as_the_other_side_of_a_meeting():
    body = ("On March 11, Secretary Ann Moss met with the Private Sector Council (PSC) of Ruritania to discuss "
            "supply chains.")
    people = [Person("moss ann", "Ann Moss", "Moss", "Ann", title="Secretary of Commerce", country_code="USA")]
    ents = EntityResult(people=people, spans=[_span(body, "person", "moss ann", "Ann Moss"),
                                              _span(body, "organization", "psc", "Private Sector Council"),
                                              _span(body, "country", "RUR", "Ruritania")])
    (e,) = extract_events(doc("x", body, date(2025, 3, 14)), ents)
    assert e.name.startswith("Secretary of Commerce Ann Moss meeting with Private Sector Council")
    assert str(e.start_date) == "2025-03-11" and ("organization", "psc") in e.participants


def test_the_founding_year_of_a_standing_body_is_not_a_sitting():
    d = doc("Outcome of 5th Ruritania-Freedonia Cooperation Forum",
            "The 5th Ruritania-Freedonia Cooperation Forum was held in Ruritania City in October. Since the launch "
            "of the Ruritania-Freedonia Cooperation Forum in 2007, trade has grown.", date(2025, 10, 17))
    evs = extract_events(d, EntityResult())
    assert len(evs) == 1 and str(evs[0].start_date)[:7] == "2025-10"


def test_the_numbered_session_of_a_named_committee():
    d = doc("x", "On April 22, the two ministers signed an MOU. The signing took place within the framework of the "
                 "eighth session of the Ruritania-Freedonia Joint Economic and Trade Cooperation Committee that "
                 "opened on the same day.", date(2025, 4, 22))
    evs = by_name(extract_events(d, EntityResult()))
    s = evs["Eighth session of the Ruritania-Freedonia Joint Economic and Trade Cooperation Committee"]
    assert str(s.start_date) == "2025-04-22"


def test_a_target_date_is_read_forward():
    d = doc("x", "The Council discussed the agreement with the target of signing it no later than the "
                 "Ruritania-Freedonia Summit (6th October).", date(2025, 9, 10))
    evs = by_name(extract_events(d, EntityResult()))
    assert str(evs["Ruritania-Freedonia Summit"].start_date) == "2025-10-06"


def test_footnote_markers_and_a_lower_case_head_describing_the_headline_event():
    d = doc("Minister Announces Package at the RFEC Ministerial Conference",
            "Minister Ana Lopez presided over the 7th Ruritania Freedonia Economic Cooperation (RFEC)1 Ministerial "
            "Conference2 and announced a package.", date(2025, 9, 13))
    evs = extract_events(d, EntityResult())
    assert len(evs) == 1 and evs[0].event_type == "conference" and evs[0].is_primary
    d = doc("Agency Convenes Leaders for Investment Conference",
            "Today, the Agency hosted the virtual Investing in Ruritania’s Future conference to bring together "
            "leaders.", date(2025, 10, 16))
    (e,) = extract_events(d, EntityResult())
    assert str(e.start_date) == "2025-10-16"


def test_a_span_of_days_opening_the_sentence_is_the_trip_not_the_meeting():
    d = doc("State Minister Sato Visits Ruritania",
            "From May 27 (Mon.) to 31 (Fri.), 2025, Mr. Ken Sato visited Ruritania to attend the Fourth Clean "
            "Energy Ministerial (CEM4) meeting. He attended the Fourth Clean Energy Ministerial held on May 28.",
            date(2025, 5, 31))
    evs = [e for e in extract_events(d, EntityResult()) if e.event_type != "visit"]
    assert [str(e.start_date) for e in evs] == ["2025-05-28"]


def test_a_trip_is_dated_by_its_span_of_days_not_by_the_release_date_line():
    d = doc("Secretary Moss Leads First-Ever Trade Mission to Ruritania",
            "FOR IMMEDIATE RELEASE Tuesday, March 12, 2025 RURITANIA CITY - Today, Secretary Ann Moss concluded the "
            "first-ever Trade Mission to Ruritania, a two-day visit on March 11-12 leading a delegation.",
            date(2025, 3, 12))
    (trip,) = [e for e in extract_events(d, EntityResult()) if e.event_type == "visit"]
    assert (str(trip.start_date), trip.date_precision) == ("2025-03-11", "day")


def test_a_meeting_the_text_names_keeps_its_name_and_one_meeting_per_pair_of_principals():
    body = ("Minister Ken Sato held the Ruritania-Freedonia industry ministers' meeting with Freedonia's Minister "
            "Eva Stern on June 22. Minister Ken Sato and Minister Eva Stern met again to discuss batteries.")
    people = [Person("ken sato", "Ken Sato", "Sato", "Ken", title="Minister", country_code="JPN"),
              Person("eva stern", "Eva Stern", "Stern", "Eva", title="Minister", country_code="DEU")]
    spans = [EntitySpan("person", "ken sato", "body", i, i + 8, "Ken Sato")
             for i in (body.index("Ken Sato"), body.rindex("Ken Sato"))]
    spans += [EntitySpan("person", "eva stern", "body", i, i + 9, "Eva Stern")
              for i in (body.index("Eva Stern"), body.rindex("Eva Stern"))]
    evs = extract_events(doc("x", body, date(2025, 6, 23)), EntityResult(people=people, spans=sorted(
        spans, key=lambda s: s.start)))
    meetings = [e for e in evs if e.event_type.endswith("meeting")]
    assert len(meetings) == 1
    assert meetings[0].name.startswith("Ruritania-Freedonia industry ministers' meeting: Minister Ken Sato meeting")
