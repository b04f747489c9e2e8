-- One row per distinct article (grain: document_id). Grows with the archive:
-- a plain select over stg_documents so it can become incremental on
-- last_seen_at later without other changes.
select
    cast({{ surrogate_key('document', 'document_id') }} as varchar) as document_key,
    cast(title as varchar)           as title,
    cast(published_date as date)     as published_date,
    cast(source_file as varchar)     as source_file,
    cast(body as varchar)            as body,
    cast(document_id as varchar)     as document_id,
    cast(is_truncated as boolean)    as is_truncated,
    cast(first_seen_at as timestamp) as first_seen_at,
    cast(last_seen_at as timestamp)  as last_seen_at,
    cast(still_present as boolean)   as still_present
from {{ ref('stg_documents') }}
