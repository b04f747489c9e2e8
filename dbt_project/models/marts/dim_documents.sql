-- One row per distinct article (grain: document_id). Grows with the archive,
-- so it is incremental: a refresh rewrites (delete+insert by key) only the
-- documents that are new or whose sighting state changed.
{{ config(materialized='incremental', unique_key='document_key', incremental_strategy='delete+insert',
          on_schema_change='append_new_columns') }}
select
    cast({{ surrogate_key('document', 's.document_id') }} as varchar) as document_key,
    cast(s.title as varchar)           as title,
    cast(s.published_date as date)     as published_date,
    cast(s.source_file as varchar)     as source_file,
    cast(s.body as varchar)            as body,
    cast(s.document_id as varchar)     as document_id,
    cast(s.is_truncated as boolean)    as is_truncated,
    cast(s.first_seen_at as timestamp) as first_seen_at,
    cast(s.last_seen_at as timestamp)  as last_seen_at,
    cast(s.still_present as boolean)   as still_present
from {{ ref('stg_documents') }} s
{% if is_incremental() %}
where not exists (
    select 1 from {{ this }} t
    where t.document_id = s.document_id
      and t.last_seen_at is not distinct from cast(s.last_seen_at as timestamp)
      and t.still_present is not distinct from cast(s.still_present as boolean)
      and t.source_file is not distinct from cast(s.source_file as varchar)
)
{% endif %}
