from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from orchestration.domain.resolve.events import canonical_events, resolve_events


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


def _unblocked_clusters(rows):
    """The greedy clustering examining every cluster for every mention, no blocking, no early stop:
    the definition `cluster_events` must reproduce exactly."""
    from orchestration.domain.resolve import events as er

    real = er.cluster_events(rows)
    items = sorted((m for c in real for m in c),
                   key=lambda x: (-er._RANK[x.precision], -len(x.tokens), -len(x.name), x.published, x.key))
    clusters: list[list] = []
    for it in items:
        best, best_score = None, 0.0
        for ci, c in enumerate(clusters):
            if any(m.key[0] == it.key[0] for m in c) or not all(er._compatible(m, it) for m in c):
                continue
            score = max(er._similar(m, it) for m in c)
            if score > best_score:
                best, best_score = ci, score
        if best is None:
            clusters.append([it])
        else:
            clusters[best].append(it)
    return real, clusters


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_blocking_gives_the_unblocked_result(data):
    # few families, many shared tokens and country sets, every date precision: every blocking route
    names = ["Korea-Japan Summit", "Japan-Korea summit", "Korea-Japan Hydrogen Summit", "Hydrogen Summit",
             "Korea-Japan Hydrogen Supply Chain Summit", "Supply Chain Summit", "Korea-U.S. Supply Chain Summit",
             "U.S.-Korea SCCD Summit", "Supply Chain and Commercial Dialogue (SCCD)", "2nd Hydrogen Summit",
             "3rd Hydrogen Summit", "Korea-Japan-U.S. Summit", "Trade Negotiations", "Hydrogen Supply Summit",
             "Hydrogen Battery Summit", "Battery Supply Summit", "Korea-Japan Battery Supply Summit"]
    types = ["summit", "summit", "summit", "bilateral_meeting", "ministerial_meeting"]
    days = [None, date(2024, 5, 1), date(2024, 5, 2), date(2024, 6, 1), date(2025, 5, 1)]
    people = ["p:ahn", "p:raimondo", "p:tai"]
    rows = []
    for i in range(data.draw(st.integers(2, 60))):
        d = data.draw(st.sampled_from(days))
        prec = "unknown" if d is None else data.draw(st.sampled_from(["day", "month", "year"]))
        r = row(f"d{data.draw(st.integers(0, 30))}", f"e{i}", data.draw(st.sampled_from(names)),
                data.draw(st.sampled_from(types)), d, prec)
        r["participants"] = [("person", p) for p in data.draw(st.sets(st.sampled_from(people), max_size=3))]
        r["country_code"] = data.draw(st.sampled_from([None, None, "KOR", "USA"]))  # blocks carry it
        rows.append(r)
    real, reference = _unblocked_clusters(rows)
    assert [[m.key for m in c] for c in real] == [[m.key for m in c] for c in reference]
