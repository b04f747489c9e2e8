-- One row per distinct article ingested (grain: document_id).
select
    cast(document_id as varchar)      as document_id,
    cast(title as varchar)            as title,
    cast(body as varchar)             as body,
    cast(published_date as date)      as published_date,
    cast(is_truncated as boolean)     as is_truncated,
    cast(content_hash as varchar)     as content_hash,
    cast(source_file as varchar)      as source_file,
    cast(record_number as bigint)     as record_number,
    cast(byte_offset as bigint)       as byte_offset,
    cast(first_seen_at as timestamp)  as first_seen_at,
    cast(last_seen_at as timestamp)   as last_seen_at,
    cast(still_present as boolean)    as still_present
from {{ source('ingest', 'documents') }}
where document_id is not null
