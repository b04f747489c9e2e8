from datetime import date

from orchestration.domain.extract.facts.pledges import extract_pledges
from orchestration.domain.extract.models import Document, EntityResult, EntitySpan, Organization


def spans_for(text, items):
    out = []
    for etype, eid, surface in items:
        i = text.index(surface)
        out.append(EntitySpan(etype, eid, "body", i, i + len(surface), surface))
    return out


def test_pledged_and_realized_with_parties_and_alt_currency():
    body = ("The Ministry of Economy announced on March 12 that Acme Motors submitted a declaration of investment "
            "in Poland totaling EUR 1.1 billion (USD 1.2 billion). Having invested about €300 million in "
            "Poland so far, Acme plans to expand its plant. Bilateral trade reached USD 40 billion last year.")
    ents = EntityResult(
        organizations=[Organization("acme motors", "Acme Motors", organization_type="company")],
        spans=spans_for(body, [("organization", "ministry of economy", "Ministry of Economy"),
                               ("organization", "acme motors", "Acme Motors"),
                               ("country", "POL", "Poland")]),
    )
    doc = Document("x", "Acme pledges EUR 1.1 bln in Poland", body, date(2025, 3, 14))
    ps = extract_pledges(doc, ents)
    assert [(p.amount, p.currency, p.status) for p in ps] == [(1.1e9, "EUR", "pledged"), (300e6, "EUR", "realized")]
    first = ps[0]
    assert (first.alt_amount, first.alt_currency, first.usd_amount_stated) == (1.2e9, "USD", 1.2e9)
    assert first.target_country_code == "POL" and str(first.pledge_date) == "2025-03-12"
    assert ("organization", "acme motors", "pledger") in first.parties
    assert ("organization", "ministry of economy", "pledger") not in first.parties
    assert ps[1].is_approximate


def test_numbers_that_are_not_pledges():
    body = "Exports of semiconductors reached $12 billion, and the market is worth USD 3 trillion."
    assert extract_pledges(Document("x", "t", body, date(2025, 1, 2)), EntityResult()) == []


def test_support_in_an_mou_names_recipient():
    body = "Hanbit University and Zeta Chemicals signed an MOU on the pledged support of over KRW 2 billion in R&D."
    ents = EntityResult(
        organizations=[Organization("hanbit university", "Hanbit University", organization_type="university",
                                    country_code="KOR"),
                       Organization("zeta chemicals", "Zeta Chemicals", organization_type="company")],
        spans=spans_for(body, [("organization", "hanbit university", "Hanbit University"),
                               ("organization", "zeta chemicals", "Zeta Chemicals")]),
    )
    (p,) = extract_pledges(Document("x", "t", body, date(2025, 1, 2)), ents)
    assert (p.amount, p.currency, p.status, p.is_approximate) == (2e9, "KRW", "pledged", True)
    assert ("organization", "zeta chemicals", "pledger") in p.parties
    assert ("organization", "hanbit university", "recipient") in p.parties
    assert p.target_country_code == "KOR"


def test_investment_statistics_and_growth_ranges_are_not_pledges():
    body = ("Foreign direct investment in Freedonia reached a record USD 9.4 billion last year. "
            "Cumulative investment in Sylvania has reached about USD 3.1 billion. "
            "Bilateral trade has more than doubled from USD 4.2 billion in 2012 to USD 9.9 billion last year. "
            "The country's investment position of $210 billion makes it the largest source of capital.")
    assert extract_pledges(Document("x", "t", body, date(2025, 1, 2)), EntityResult()) == []


def test_company_investment_next_to_a_statistic_is_still_a_pledge():
    body = ("Trade reached USD 20 billion last year, and Acme Motors will invest USD 1.5 billion in a new plant.")
    ents = EntityResult(spans=spans_for(body, [("organization", "acme motors", "Acme Motors")]))
    ps = extract_pledges(Document("x", "t", body, date(2025, 1, 2)), ents)
    assert [(p.amount, p.status) for p in ps] == [(1.5e9, "pledged")]


def test_amounts_listed_after_a_pledged_one_are_pledges_of_their_own_companies():
    body = ("The companies were Dongjin Semichem which planned to invest RM499.2 million, Cuckoo Homesys Co. Ltd "
            "(RM104 million) and YoungReem Tech Co. Ltd. (RM33.3 million).")
    ents = EntityResult(
        organizations=[Organization(k, n, organization_type="company") for k, n in (
            ("dongjin semichem", "Dongjin Semichem"), ("cuckoo homesys co ltd", "Cuckoo Homesys Co. Ltd"),
            ("youngreem tech co ltd", "YoungReem Tech Co. Ltd."))],
        spans=spans_for(body, [("organization", "dongjin semichem", "Dongjin Semichem"),
                               ("organization", "cuckoo homesys co ltd", "Cuckoo Homesys Co. Ltd"),
                               ("organization", "youngreem tech co ltd", "YoungReem Tech Co. Ltd.")]),
    )
    ps = extract_pledges(Document("x", "t", body, date(2018, 10, 20)), ents)
    assert [(p.amount, p.currency) for p in ps] == [(499.2e6, "MYR"), (104e6, "MYR"), (33.3e6, "MYR")]
    assert [[q[1] for q in p.parties if q[2] == "pledger"] for p in ps] == [
        ["dongjin semichem"], ["cuckoo homesys co ltd"], ["youngreem tech co ltd"]]


def test_sales_economies_and_export_credit():
    doc = Document("x", "t", "The mission has garnered RM1 billion in potential sales. The United States with its "
                             "$30 trillion economy welcomes investors.", date(2018, 1, 2))
    assert extract_pledges(doc, EntityResult()) == []
    body = "The bank anticipates that as much as $5 billion in export-credit support may be approved."
    (p,) = extract_pledges(Document("x", "t", body, date(2013, 4, 10)), EntityResult())
    assert (p.amount, p.currency, p.is_approximate) == (5e9, "USD", True)
