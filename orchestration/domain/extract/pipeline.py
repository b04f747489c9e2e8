"""Extraction of one document: entities first, then the facts that refer to them (versioned by
EXTRACTOR_VERSION, in version.py)."""
from __future__ import annotations

from orchestration.domain.extract.facts import extract_facts
from orchestration.domain.extract.mentions.entities import extract_entities
from orchestration.domain.extract.models import Document, DocumentExtraction
from orchestration.domain.extract.version import EXTRACTOR_VERSION

__all__ = ["EXTRACTOR_VERSION", "extract_document"]


def extract_document(doc: Document) -> DocumentExtraction:
    entities = extract_entities(doc)
    facts = extract_facts(doc, entities)
    return DocumentExtraction(doc.document_id, entities, facts)
