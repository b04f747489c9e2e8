from datetime import date

from orchestration.domain.extract.facts.agreements import extract_agreements
from orchestration.domain.extract.models import Document, EntityResult, EntitySpan, Person


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


def _ents(body, items, people=()):
    return EntityResult(spans=spans_for(body, items), people=list(people))


def test_mou_signed_between_two_parties_after_the_instrument():
    body = ("The ministers welcomed the memorandum of understanding signed on the same day between the Alpha "
            "Trade Agency (ATA) and the Beta Export Organization (BEO) to support joint market entry.")
    ents = _ents(body, [("organization", "ata", "Alpha Trade Agency"), ("organization", "ata", "ATA"),
                        ("organization", "beo", "Beta Export Organization"), ("organization", "beo", "BEO")])
    (a,) = extract_agreements(Document("x", "t", body, date(2025, 3, 14)), ents)
    assert a.agreement_type == "mou" and set(a.parties) == {("organization", "ata"), ("organization", "beo")}
    assert a.subject.startswith("support joint market entry")


def test_passive_mou_was_signed_between():
    body = "An MOU was signed between Gamma Power and Delta Grid on wind energy."
    ents = _ents(body, [("organization", "gamma", "Gamma Power"), ("organization", "delta", "Delta Grid")])
    (a,) = extract_agreements(Document("x", "t", body, date(2025, 3, 14)), ents)
    assert set(a.parties) == {("organization", "gamma"), ("organization", "delta")}


def test_possessive_and_appositive_subjects():
    body = ("Omega Motors and the Sovereign Fund (SF), Ruritania's sovereign wealth fund, today signed an MOU "
            "on a vehicle plant. MIX and Ruritania's Ministry of Industry (MOI) signed an MOU on robotics.")
    ents = _ents(body, [("organization", "omega", "Omega Motors"), ("organization", "sf", "Sovereign Fund"),
                        ("organization", "sf", "SF"), ("country", "RUR", "Ruritania"),
                        ("organization", "mix", "MIX"), ("organization", "moi", "Ministry of Industry"),
                        ("organization", "moi", "MOI")])
    ents.spans.append(EntitySpan("country", "RUR", "body", body.index("Ruritania's Min"),
                                 body.index("Ruritania's Min") + 9, "Ruritania"))
    out = extract_agreements(Document("x", "t", body, date(2025, 3, 14)), ents)
    assert [set(a.parties) for a in out] == [{("organization", "omega"), ("organization", "sf")},
                                             {("organization", "mix"), ("organization", "moi")}]


def test_three_companies_with_a_descriptive_phrase_sign_a_letter_of_intent():
    body = ("Kappa Nuclear (KN) and the Ruritanian energy companies Zeta Power and Eta Grid (EG) signed a "
            "letter of intent (LOI) on a new reactor.")
    ents = _ents(body, [("organization", "kn", "Kappa Nuclear"), ("organization", "kn", "KN"),
                        ("organization", "zeta", "Zeta Power"), ("organization", "eta", "Eta Grid"),
                        ("organization", "eta", "EG")])
    (a,) = extract_agreements(Document("x", "t", body, date(2025, 3, 14)), ents)
    assert a.agreement_type == "letter_of_intent"
    assert set(a.parties) == {("organization", "kn"), ("organization", "zeta"), ("organization", "eta")}


def test_titled_people_as_signers_and_headline_countries_merge_into_body_agreement():
    title = "Korea and Poland sign MOU on nuclear cooperation"
    body = ("Minister Lee Min-ho and Poland's Deputy Prime Minister and Minister of State Assets Jan Nowak "
            "signed an MOU on nuclear cooperation on May 2.")
    spans = spans_for(title, [("country", "KOR", "Korea"), ("country", "POL", "Poland")], field="title")
    spans += spans_for(body, [("person", "lee minho", "Lee Min-ho"), ("country", "POL", "Poland"),
                              ("person", "jan nowak", "Jan Nowak")])
    people = [Person("lee minho", "Lee Min-ho", "Lee", "Min-ho", [], "Minister", "motie", "KOR"),
              Person("jan nowak", "Jan Nowak", "Nowak", "Jan", [], "Minister", "msa", "POL")]
    (a,) = extract_agreements(Document("x", title, body, date(2025, 5, 2)), EntityResult(spans=spans, people=people))
    assert a.field == "body"
    assert set(a.parties) == {("organization", "motie"), ("organization", "msa"), ("country", "KOR"),
                              ("country", "POL")}


def test_one_counterparty_per_instrument_in_a_sentence():
    body = ("Omega Power signed an MOU on turbine supply with Sigma Works, and Theta Engineering signed an MOU "
            "with the Kappa Technical University on training engineers.")
    ents = _ents(body, [("organization", "omega", "Omega Power"), ("organization", "sigma", "Sigma Works"),
                        ("organization", "theta", "Theta Engineering"),
                        ("organization", "kappa", "Kappa Technical University")])
    got = {frozenset(a.parties) for a in extract_agreements(Document("x", "t", body, date(2025, 3, 14)), ents)}
    assert got == {frozenset({("organization", "omega"), ("organization", "sigma")}),
                   frozenset({("organization", "theta"), ("organization", "kappa")})}


def test_already_concluded_preliminary_terms_and_an_agreement_in_force():
    body = ("The announcement follows last month's preliminary terms with Zeta Packaging for up to $300 million. "
            "The two countries negotiate an upgrade of the Korea-Japan Comprehensive Economic Partnership "
            "Agreement (CEPA). "
            "Since the CEPA entered into force in 2012, trade has grown.")
    ents = _ents(body, [("organization", "zeta", "Zeta Packaging")])
    got = {(a.agreement_type, frozenset(a.parties))
           for a in extract_agreements(Document("x", "t", body, date(2025, 3, 14)), ents)}
    assert ("memorandum_of_terms", frozenset({("organization", "zeta")})) in got
    assert ("agreement", frozenset({("country", "KOR"), ("country", "JPN")})) in got


# ---- definite references, acronyms in parentheses, pronoun and "the two Ministers" subjects

def test_a_definite_reference_is_the_instrument_named_before_and_may_date_it():
    body = ("Ruritania will sign a free trade agreement (FTA) this week with Freedonia, the government said Monday. "
            "The agreement will be signed Thursday at the foreign ministry. Once signed, the agreement goes to "
            "parliament.")
    ents = _ents(body, [("country", "RUR", "Ruritania"), ("country", "FRE", "Freedonia")])
    out = extract_agreements(Document("x", "t", body, date(2025, 3, 10)), ents)  # a Monday
    assert len(out) == 1
    assert set(out[0].parties) == {("country", "RUR"), ("country", "FRE")}
    assert str(out[0].signed_date) == "2025-03-13"  # Thursday, not the Monday of the statement


def test_a_parenthesised_acronym_is_the_same_instrument():
    title = "Minister signs memorandum of understanding (MoU) with Freedonia"
    spans = spans_for(title, [("country", "FRE", "Freedonia")], field="title")
    out = extract_agreements(Document("x", title, "The ceremony took place in the capital.", date(2025, 3, 10)),
                             EntityResult(spans=spans))
    assert [a.agreement_type for a in out] == ["mou"]


def test_they_also_signed_takes_the_signers_of_the_instrument_before():
    body = ("The Alpha Agency signed an MoU on hydrogen with Freedonia. They also signed a Joint Statement with "
            "the Beta Bank on a grant.")
    ents = _ents(body, [("organization", "alpha", "Alpha Agency"), ("country", "FRE", "Freedonia"),
                        ("organization", "beta", "Beta Bank")])
    out = extract_agreements(Document("x", "t", body, date(2025, 3, 10)), ents)
    js = next(a for a in out if a.agreement_type == "joint_statement")
    assert set(js.parties) == {("organization", "alpha"), ("organization", "beta")}


def test_the_two_ministers_are_the_principals_of_the_text():
    body = ("Minister Lee Min-ho met with Jan Nowak, Freedonia's Minister of Climate. The two Ministers signed an "
            "MOU for energy cooperation between their respective Ministries.")
    people = [Person("lee minho", "Lee Min-ho", "Lee", "Min-ho", [], "Minister", "motie", "KOR"),
              Person("jan nowak", "Jan Nowak", "Nowak", "Jan", [], "Minister", None, "FRE")]
    ents = _ents(body, [("person", "lee minho", "Lee Min-ho"), ("person", "jan nowak", "Jan Nowak")], people)
    (a,) = extract_agreements(Document("x", "t", body, date(2025, 3, 10)), ents)
    assert set(a.parties) == {("organization", "motie"), ("country", "FRE")}


def test_an_aim_to_sign_is_no_agreement_and_memorandums_reached_are():
    body = ("The Council discussed the Ruritania-Freedonia Free Trade Agreement with the target of signing the "
            "agreement no later than the summit.")
    ents = _ents(body, [("country", "RUR", "Ruritania"), ("country", "FRE", "Freedonia")])
    assert extract_agreements(Document("x", "t", body, date(2025, 9, 10)), ents) == []
    body = ("The Ministry of Trade said four memorandums of understanding (MOUs) were reached at the fair in "
            "Freedonia.")
    ents = _ents(body, [("organization", "mot", "Ministry of Trade"), ("country", "FRE", "Freedonia")])
    (a,) = extract_agreements(Document("x", "t", body, date(2025, 4, 21)), ents)
    assert a.agreement_type == "mou" and ("organization", "mot") in a.parties
