"""Plain records passed between parsing, extraction and the staging writer.

Offsets: `start`/`end` are 0-based, end-exclusive character offsets into the
document field named by `field` ("title" or "body"), so a user can check a
fact with `substr(body, start + 1, end - start)` in SQL.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Document:
    document_id: str
    title: str
    body: str
    published_date: date

    def text(self, which: str) -> str:
        return self.title if which == "title" else self.body


@dataclass(frozen=True)
class Sentence:
    field: str  # "title" | "body"
    start: int
    end: int
    text: str


@dataclass
class Mention:
    """One occurrence of an entity in a document (goes to fct_entity_mentions)."""

    entity_type: str  # person | organization | country
    entity_id: str  # natural key: person key, organization key, ISO alpha-3
    text: str
    field: str
    start: int
    end: int
    evidence: str  # the sentence holding the mention


@dataclass
class Person:
    """What one document says about one person (dbt merges documents by person_id)."""

    person_id: str  # order-free name key, see domain.resolve.keys.person_key
    full_name: str
    family_name: str | None
    given_name: str | None
    aliases: list[str] = field(default_factory=list)
    title: str | None = None
    organization_id: str | None = None
    country_code: str | None = None  # ISO alpha-3


@dataclass
class Organization:
    organization_id: str  # natural key: normalised canonical name
    name: str
    acronym: str | None = None
    aliases: list[str] = field(default_factory=list)
    organization_type: str = "other"  # government|company|association|university|research_institute|international|other
    country_code: str | None = None


@dataclass
class EntitySpan:
    """A resolved entity occurrence, handed from entity extraction to fact extraction."""

    entity_type: str
    entity_id: str
    field: str
    start: int
    end: int
    text: str


@dataclass
class EntityResult:
    mentions: list[Mention] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    spans: list[EntitySpan] = field(default_factory=list)


@dataclass
class Event:
    local_id: str  # unique within the document
    name: str
    event_type: str
    start_date: date | None
    date_precision: str  # day | month | year | unknown
    city: str | None
    country_code: str | None
    attendees: int | None
    is_primary: bool
    evidence: str
    field: str
    start: int
    end: int
    participants: list[tuple[str, str]] = field(default_factory=list)  # (person|organization|country, id)


@dataclass
class Pledge:
    local_id: str
    amount: float
    currency: str  # ISO 4217
    usd_amount_stated: float | None  # the text's own USD figure, when it gives one
    alt_amount: float | None
    alt_currency: str | None
    status: str  # pledged | realized
    is_approximate: bool
    target_country_code: str | None
    purpose: str | None
    pledge_date: date | None
    evidence: str
    field: str
    start: int
    end: int
    parties: list[tuple[str, str, str]] = field(default_factory=list)  # (type, id, pledger|recipient)


@dataclass
class Agreement:
    local_id: str
    agreement_type: str  # mou|memorandum_of_terms|joint_statement|agreement|letter_of_intent|treaty|other
    signed_date: date | None
    subject: str | None
    is_binding: bool
    evidence: str
    field: str
    start: int
    end: int
    parties: list[tuple[str, str]] = field(default_factory=list)  # (organization|country, id)


@dataclass
class FactResult:
    events: list[Event] = field(default_factory=list)
    pledges: list[Pledge] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)


@dataclass
class DocumentExtraction:
    document_id: str
    entities: EntityResult
    facts: FactResult
