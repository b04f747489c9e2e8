"""Organizations: reference-table lookup (`knowledge/organizations.csv`), acronym definitions and
grammar cues (head words such as Ministry/University/Association/Electronics, "company X",
"X, an affiliate of", "the Korea-based X", "companies (A, B, C)", "formerly known as X").

Modules: cues (the cue words), reference (the reference table), acronyms (acronyms defined in a text),
grammar (names by their form: capitalised chunks and their heads), patterns (names by the phrases around
them). Words are tokenized by `extract.text.tokenize`; the natural key is `resolve.keys.organization_key`.
"""
from __future__ import annotations

from orchestration.domain.extract.mentions.organizations.acronyms import (
    acronym_definitions,
    acronym_long_form,
    defined_name_type,
    initials_match,
    is_acronym,
)
from orchestration.domain.extract.mentions.organizations.cues import (
    CONNECTORS,
    company_nouns,
    head_type,
    is_generic,
    non_org_heads,
    splitting_titles,
)
from orchestration.domain.extract.mentions.organizations.grammar import (
    Candidate,
    capitalised_chunks,
    chunk_ending_at,
    chunk_starting_at,
    evaluate_segment,
    grammar_candidates,
    split_chunk,
)
from orchestration.domain.extract.mentions.organizations.patterns import (
    list_items,
    pattern_candidates,
    skip_country_possessive,
    valid_pattern_name,
)
from orchestration.domain.extract.mentions.organizations.reference import (
    OrgInfo,
    info_from_record,
    lookup_reference,
    lookup_reference_in_country,
    reference_spans,
    weak_alias_spans,
)

__all__ = [
    "CONNECTORS", "Candidate", "OrgInfo", "acronym_definitions", "acronym_long_form", "capitalised_chunks",
    "chunk_ending_at", "chunk_starting_at", "company_nouns", "defined_name_type", "evaluate_segment",
    "grammar_candidates", "head_type", "info_from_record", "initials_match", "is_acronym", "is_generic",
    "list_items", "lookup_reference", "lookup_reference_in_country", "non_org_heads", "pattern_candidates",
    "reference_spans",
    "skip_country_possessive", "split_chunk", "splitting_titles", "valid_pattern_name", "weak_alias_spans",
]
