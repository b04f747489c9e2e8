-- Source DDL for the working database: the single source of truth for the
-- tables dbt reads as sources (schemas `ingest` and `extract`).
-- Written by orchestration/domain/staging.py (ingest.*) and
-- orchestration/domain/extract_store.py (extract.*); read by dbt_project/models.
-- Idempotent: safe to execute on every run (CREATE ... IF NOT EXISTS).
-- Conventions: timestamps are naive UTC (TIMESTAMP); offsets are 0-based,
-- end-exclusive character offsets into the field named by `field` (title|body).

CREATE SCHEMA IF NOT EXISTS ingest;
CREATE SCHEMA IF NOT EXISTS extract;

-- one row per dump file seen in the landing folder (latest state of that file)
CREATE TABLE IF NOT EXISTS ingest.dump_files (
    file_name           VARCHAR,
    file_path           VARCHAR,
    size_bytes          BIGINT,
    mtime               DOUBLE,      -- os.stat().st_mtime, seconds since the epoch
    content_sha256      VARCHAR,
    status              VARCHAR,     -- loaded | empty | unreadable | not_text | too_large
    message             VARCHAR,
    records_read        BIGINT,
    documents_new       BIGINT,
    documents_existing  BIGINT,
    duplicates          BIGINT,
    rejects             BIGINT,
    first_ingested_at   TIMESTAMP,
    last_ingested_at    TIMESTAMP
);

-- one row per distinct article (document_id = hash of normalised title + date + body hash)
CREATE TABLE IF NOT EXISTS ingest.documents (
    document_id     VARCHAR PRIMARY KEY,
    title           VARCHAR,
    body            VARCHAR,
    published_date  DATE,
    is_truncated    BOOLEAN,
    content_hash    VARCHAR,
    source_file     VARCHAR,
    record_number   BIGINT,
    byte_offset     BIGINT,
    first_seen_at   TIMESTAMP,
    last_seen_at    TIMESTAMP,
    still_present   BOOLEAN
);

-- every occurrence of a document in a dump file
CREATE TABLE IF NOT EXISTS ingest.sightings (
    document_id     VARCHAR,
    file_name       VARCHAR,
    content_sha256  VARCHAR,
    record_number   BIGINT,
    byte_offset     BIGINT,
    seen_at         TIMESTAMP
);

-- records that could not be parsed into a document
CREATE TABLE IF NOT EXISTS ingest.rejects (
    file_name       VARCHAR,
    content_sha256  VARCHAR,
    record_number   BIGINT,
    byte_offset     BIGINT,
    reason          VARCHAR,
    excerpt         VARCHAR,
    seen_at         TIMESTAMP
);

-- one row per document extracted, with the extractor version that did it
CREATE TABLE IF NOT EXISTS extract.processed (
    document_id        VARCHAR PRIMARY KEY,
    extractor_version  VARCHAR,
    processed_at       TIMESTAMP
);

CREATE TABLE IF NOT EXISTS extract.mentions (
    document_id   VARCHAR,
    entity_type   VARCHAR,     -- person | organization | country
    entity_id     VARCHAR,     -- person_id | organization_id | ISO alpha-3
    mention_text  VARCHAR,
    field         VARCHAR,     -- title | body
    char_start    INTEGER,
    char_end      INTEGER,
    evidence      VARCHAR
);

CREATE TABLE IF NOT EXISTS extract.people (
    document_id      VARCHAR,
    person_id        VARCHAR,
    full_name        VARCHAR,
    family_name      VARCHAR,
    given_name       VARCHAR,
    aliases          VARCHAR[],
    title            VARCHAR,
    organization_id  VARCHAR,
    country_code     VARCHAR    -- ISO alpha-3
);

CREATE TABLE IF NOT EXISTS extract.organizations (
    document_id        VARCHAR,
    organization_id    VARCHAR,
    name               VARCHAR,
    acronym            VARCHAR,
    aliases            VARCHAR[],
    organization_type  VARCHAR,  -- government | company | association | university | research_institute | international | other
    country_code       VARCHAR   -- ISO alpha-3
);

CREATE TABLE IF NOT EXISTS extract.events (
    document_id     VARCHAR,
    local_id        VARCHAR,     -- unique within the document
    event_name      VARCHAR,
    event_type      VARCHAR,
    start_date      DATE,
    date_precision  VARCHAR,     -- day | month | year | unknown
    city            VARCHAR,
    country_code    VARCHAR,
    attendees       INTEGER,
    is_primary      BOOLEAN,
    evidence        VARCHAR,
    field           VARCHAR,
    char_start      INTEGER,
    char_end        INTEGER
);

CREATE TABLE IF NOT EXISTS extract.event_participants (
    document_id       VARCHAR,
    local_id          VARCHAR,
    participant_type  VARCHAR,   -- person | organization | country
    participant_id    VARCHAR
);

CREATE TABLE IF NOT EXISTS extract.event_clusters (
    document_id  VARCHAR,
    local_id     VARCHAR,
    event_id     VARCHAR         -- the resolved real-world event
);

CREATE TABLE IF NOT EXISTS extract.pledges (
    document_id          VARCHAR,
    local_id             VARCHAR,
    amount               DOUBLE,
    currency             VARCHAR,   -- ISO 4217
    usd_amount_stated    DOUBLE,
    alt_amount           DOUBLE,
    alt_currency         VARCHAR,
    status               VARCHAR,   -- pledged | realized
    is_approximate       BOOLEAN,
    target_country_code  VARCHAR,
    purpose              VARCHAR,
    pledge_date          DATE,
    evidence             VARCHAR,
    field                VARCHAR,
    char_start           INTEGER,
    char_end             INTEGER
);

CREATE TABLE IF NOT EXISTS extract.pledge_parties (
    document_id  VARCHAR,
    local_id     VARCHAR,
    party_type   VARCHAR,   -- organization | country | person
    party_id     VARCHAR,
    role         VARCHAR    -- pledger | recipient
);

CREATE TABLE IF NOT EXISTS extract.agreements (
    document_id     VARCHAR,
    local_id        VARCHAR,
    agreement_type  VARCHAR,
    signed_date     DATE,
    subject         VARCHAR,
    is_binding      BOOLEAN,
    evidence        VARCHAR,
    field           VARCHAR,
    char_start      INTEGER,
    char_end        INTEGER
);

CREATE TABLE IF NOT EXISTS extract.agreement_parties (
    document_id  VARCHAR,
    local_id     VARCHAR,
    party_type   VARCHAR,   -- organization | country
    party_id     VARCHAR
);
