"""Facts of one document: events, pledges and agreements, tied to the entities found before.

    extract_facts(doc, entities) -> FactResult

Helpers: events.py (event mentions, local merging), pledges.py + money.py (amounts),
agreements.py (instruments), dates.py (relative dates). Cross-document event identity is
event_resolution.resolve_events.
"""
from __future__ import annotations

from orchestration.domain.extract.facts.agreements import extract_agreements
from orchestration.domain.extract.facts.events import extract_events
from orchestration.domain.extract.facts.events.signings import signing_events
from orchestration.domain.extract.facts.pledges import extract_pledges
from orchestration.domain.extract.models import Document, EntityResult, FactResult
from orchestration.domain.extract.text import document_sentences


def extract_facts(doc: Document, entities: EntityResult) -> FactResult:
    sentences = document_sentences(doc)
    events = extract_events(doc, entities, sentences)
    pledges = extract_pledges(doc, entities, sentences)
    agreements = extract_agreements(doc, entities, events, sentences)
    events += signing_events(doc, entities, agreements, events)  # a release about a signing: the signing
    return FactResult(events=events, pledges=pledges, agreements=agreements)
