from datetime import date

from orchestration.domain.agreements import extract_agreements
from orchestration.domain.models import Document, EntityResult, EntitySpan, Person


def spans_for(text, items, field="body"):
    out = []
    for etype, eid, surface in items:
        i = text.index(surface)
        out.append(EntitySpan(etype, eid, field, i, i + len(surface), surface))
    return out


def test_mou_between_subjects():
    body = ("On March 3, the Korea Battery Industry Association (KBIA) and the German Battery Council (GBC) signed "
            "a memorandum of understanding (MOU) for battery recycling cooperation and agreed to meet yearly.")
    ents = EntityResult(spans=spans_for(body, [("organization", "kbia", "Korea Battery Industry Association"),
                                               ("organization", "kbia", "KBIA"),
                                               ("organization", "gbc", "German Battery Council"),
                                               ("organization", "gbc", "GBC")]))
    (a,) = extract_agreements(Document("x", "t", body, date(2025, 3, 14)), ents)
    assert (a.agreement_type, a.is_binding, str(a.signed_date)) == ("mou", False, "2025-03-03")
    assert set(a.parties) == {("organization", "kbia"), ("organization", "gbc")}
    assert a.subject == "battery recycling cooperation"


def test_plural_memoranda_with_two_counterparties_are_two_agreements():
    body = ("They noted the Department of Energy recently signing non-binding letters of intent with Volta Inc. "
            "to support a plant in Ohio, and with Nordic Cells, an affiliate of Nordic Group, to support a "
            "facility in Texas.")
    ents = EntityResult(spans=spans_for(body, [("organization", "department of energy", "Department of Energy"),
                                               ("organization", "volta", "Volta Inc."),
                                               ("organization", "nordic cells", "Nordic Cells"),
                                               ("organization", "nordic group", "Nordic Group")]))
    agrs = extract_agreements(Document("x", "t", body, date(2025, 3, 14)), ents)
    assert [a.agreement_type for a in agrs] == ["letter_of_intent", "letter_of_intent"]
    assert [sorted(p[1] for p in a.parties) for a in agrs] == [["department of energy", "volta"],
                                                               ["department of energy", "nordic cells"]]
    assert all(a.signed_date is None and not a.is_binding for a in agrs)


def test_readouts_and_agreed_to_are_not_agreements():
    body = "The two ministers agreed to cooperate and reached an agreement to continue discussions."
    assert extract_agreements(Document("x", "Joint Readout: X", body, date(2025, 1, 1)), EntityResult()) == []


def test_joint_statement_document():
    title = "Joint Statement on the Korea-Australia Trade Ministers' Meeting"
    body = "Joint Statement March 10, 2025 – Canberra. We, Minister Ann Lee and Minister Tom Hall met today."
    ents = EntityResult(
        people=[Person("ann lee", "Ann Lee", "Lee", "Ann", organization_id="motie", country_code="KOR"),
                Person("hall tom", "Tom Hall", "Hall", "Tom", organization_id="dfat", country_code="AUS")],
        spans=spans_for(body, [("person", "ann lee", "Ann Lee"), ("person", "hall tom", "Tom Hall")]),
    )
    (a,) = extract_agreements(Document("x", title, body, date(2025, 3, 11)), ents)
    assert a.agreement_type == "joint_statement" and not a.is_binding
    assert {("organization", "motie"), ("organization", "dfat"), ("country", "KOR"), ("country", "AUS")} \
        <= set(a.parties)
    assert str(a.signed_date) == "2025-03-10"
