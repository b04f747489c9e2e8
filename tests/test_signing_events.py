"""Signing events built from the agreements a release reports (facts/events/signings.signing_events)."""
from datetime import date

from orchestration.domain.extract.facts import extract_facts
from orchestration.domain.extract.models import Document, EntityResult, EntitySpan, Organization, Person


def _span(text, etype, eid, surface, field="body"):
    i = text.index(surface)
    return EntitySpan(etype, eid, field, i, i + len(surface), surface)


def test_a_release_about_a_signing_gets_the_signing_event_of_its_dated_instrument():
    title = "Alpha Bank and Beta Council Sign $5 Billion Agreement"
    body = ("Jo Kim, chairman of the Alpha Bank, and Al Hamid, secretary general of the Beta Council, inked a "
            "$5 billion memorandum of understanding (MOU) Thursday at the bank's annual conference.")
    spans = [_span(title, "organization", "alpha bank", "Alpha Bank", "title"),
             _span(title, "organization", "beta council", "Beta Council", "title"),
             _span(body, "organization", "alpha bank", "Alpha Bank"),
             _span(body, "organization", "beta council", "Beta Council")]
    orgs = [Organization("alpha bank", "Alpha Bank"), Organization("beta council", "Beta Council")]
    facts = extract_facts(Document("x", title, body, date(2025, 4, 9)), EntityResult(spans=spans, organizations=orgs))
    (s,) = [e for e in facts.events if e.event_type == "signing"]
    assert "Alpha Bank" in s.name and "Beta Council" in s.name and "MOU" in s.name and "signing" in s.name
    assert str(s.start_date) == "2025-04-03"  # the Thursday before publication
    assert set(s.participants) == {("organization", "alpha bank"), ("organization", "beta council")}


def test_a_witnessed_signing_is_named_by_its_witness():
    body = ("President Ana Ruiz Monday witnessed the signing of two agreements that will see two companies "
            "invest in Ruritania. The Alpha Fund and Gamma Wind signed a deal worth $232 million.")
    people = [Person("ana ruiz", "Ana Ruiz", "Ruiz", "Ana", title="President", country_code="RUR")]
    spans = [_span(body, "person", "ana ruiz", "Ana Ruiz"), _span(body, "country", "RUR", "Ruritania")]
    facts = extract_facts(Document("x", "President witnesses signing of deals", body, date(2025, 8, 28)),
                          EntityResult(spans=spans, people=people))
    (s,) = [e for e in facts.events if e.event_type == "signing"]
    assert s.name == "Signing of two agreements witnessed by President Ana Ruiz"
    assert str(s.start_date) == "2025-08-25"


def test_no_signing_event_for_an_instrument_only_mentioned():
    body = ("The ministers discussed the implementation of the existing trade agreement. Later in the year they "
            "reviewed the Ruritania-Freedonia Free Trade Agreement, which entered into force in 2020.")
    facts = extract_facts(Document("x", "Ministers review trade ties", body, date(2025, 8, 28)), EntityResult())
    assert not [e for e in facts.events if e.event_type == "signing"]


def test_a_signing_the_text_does_not_date_is_on_the_day_of_the_lead():
    body = ("Minister Ali Hassan met yesterday with Minister Eva Stern of Freedonia. On the sidelines of the "
            "meeting, the ministers witnessed the signing of a Memorandum of Understanding between the Alpha "
            "Ministry and the Beta Agency.")
    spans = [_span(body, "person", "ali hassan", "Ali Hassan"), _span(body, "person", "eva stern", "Eva Stern"),
             _span(body, "organization", "alpha ministry", "Alpha Ministry"),
             _span(body, "organization", "beta agency", "Beta Agency")]
    orgs = [Organization("alpha ministry", "Alpha Ministry"), Organization("beta agency", "Beta Agency")]
    facts = extract_facts(Document("x", "Ruritania and Freedonia Sign MoU", body, date(2026, 2, 2)),
                          EntityResult(spans=spans, organizations=orgs))
    (s,) = [e for e in facts.events if e.event_type == "signing"]
    assert str(s.start_date) == "2026-02-01" and "MOU" in s.name
