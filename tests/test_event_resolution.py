from datetime import date

from orchestration.domain.event_resolution import canonical_events, resolve_events


def row(doc, lid, name, etype, d=None, prec="unknown"):
    return dict(document_id=doc, local_id=lid, event_name=name, event_type=etype, start_date=d,
                date_precision=prec, city=None, country_code=None, published_date=date(2025, 3, 14))


ROWS = [
    row("a", "e1", "Korea-Canada Critical Minerals Investment Council (CMIC) Plenary Forum", "forum",
        date(2025, 3, 12), "day"),
    row("b", "e1", "Canada-Korea CMIC Plenary Forum", "forum"),
    row("b", "e2", "Korea-Canada-Australia trilateral trade ministers’ meeting", "ministerial_meeting",
        date(2025, 3, 11), "day"),
    row("c", "e1", "Australia-Republic of Korea-Canada Trade Ministerial Meeting", "ministerial_meeting",
        date(2025, 3, 11), "day"),
    row("c", "e2", "Korea-Canada ministers’ meeting", "bilateral_meeting", date(2025, 3, 11), "day"),
    row("d", "e1", "Korea-Canada-Australia Trade Ministerial Meeting", "ministerial_meeting",
        date(2024, 3, 11), "day"),
]


def test_same_event_across_documents():
    ids = resolve_events(ROWS)
    assert ids[("a", "e1")] == ids[("b", "e1")]  # acronym + country order
    assert ids[("b", "e2")] == ids[("c", "e1")]  # trilateral wording vs the official name
    assert ids[("c", "e2")] != ids[("c", "e1")]  # bilateral on the margins: other countries
    assert ids[("d", "e1")] != ids[("c", "e1")]  # a year earlier


def test_ids_do_not_depend_on_row_order():
    assert resolve_events(ROWS) == resolve_events(list(reversed(ROWS)))
    canon = canonical_events(ROWS)
    forum = canon[resolve_events(ROWS)[("b", "e1")]]
    assert forum["start_date"] == "2025-03-12" and "CMIC" in forum["event_name"]


def test_same_people_same_day_link_differently_worded_reports():
    a = dict(row("m", "e1", "Korea-Chile ministers’ meeting (Kim–Diaz)", "bilateral_meeting", date(2025, 3, 4),
                 "day"), participants=[("person", "kim min"), ("person", "diaz rosa")])
    b = dict(row("r", "e1", "Chile-Korea ministers’ meeting", "bilateral_meeting", date(2025, 3, 4), "day"),
             participants=[("person", "diaz rosa"), ("person", "kim min")])
    c = dict(row("x", "e1", "Korea-Chile Business Roundtable", "roundtable", date(2025, 3, 4), "day"),
             participants=[("person", "kim min")])
    d = dict(row("y", "e1", "roundtable with Korean Minister Kim Min and Chilean executives", "roundtable",
                 date(2025, 3, 4), "day"), participants=[("person", "kim min"), ("person", "ana lopez")])
    e = dict(row("z", "e1", "Korea-Peru ministers’ meeting (Kim–Ruiz)", "bilateral_meeting", date(2025, 3, 4),
                 "day"), participants=[("person", "kim min"), ("person", "ruiz jose")])
    ids = resolve_events([a, b, c, d, e])
    assert ids[("m", "e1")] == ids[("r", "e1")]
    assert ids[("x", "e1")] == ids[("y", "e1")]  # one shared principal, same day, both roundtables
    assert ids[("z", "e1")] != ids[("m", "e1")]  # one shared minister is not enough for a meeting
