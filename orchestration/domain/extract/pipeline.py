"""Extraction of one document: entities first, then the facts that refer to them.

Bump EXTRACTOR_VERSION whenever extraction rules or knowledge files change in
a way that should reprocess the archive: documents are re-extracted only when
their recorded version differs.
"""
from __future__ import annotations

from orchestration.domain.extract.facts import extract_facts
from orchestration.domain.extract.mentions.entities import extract_entities
from orchestration.domain.extract.models import Document, DocumentExtraction

EXTRACTOR_VERSION = "7"


def extract_document(doc: Document) -> DocumentExtraction:
    entities = extract_entities(doc)
    facts = extract_facts(doc, entities)
    return DocumentExtraction(doc.document_id, entities, facts)
