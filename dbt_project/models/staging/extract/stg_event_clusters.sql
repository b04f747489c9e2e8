-- Resolution of document-local events to real-world events (grain: document_id, local_id).
select
    cast(document_id as varchar)  as document_id,
    cast(local_id as varchar)     as local_id,
    {{ clean_str('event_id') }}   as event_id
from {{ source('extract', 'event_clusters') }}
