-- One row per document the extractor has processed (grain: document_id).
select
    cast(document_id as varchar)        as document_id,
    cast(extractor_version as varchar)  as extractor_version,
    cast(processed_at as timestamp)     as processed_at
from {{ source('extract', 'processed') }}
