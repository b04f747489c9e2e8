-- Every mention of an entity known to the dimensions, in a known, extracted document
-- (grain document_id, entity_type, entity_id, field, char_start, char_end), with its mart key and
-- when its document was extracted. A view: fct_entity_mentions reads only the documents
-- extracted since its last build, and the filter reaches the scans through it.
{{ config(materialized='view') }}
select
    m.document_id,
    {{ surrogate_key('document', 'm.document_id') }} as document_key,
    m.entity_type,
    m.entity_id,
    k.entity_key,
    m.mention_text,
    m.char_start,
    m.char_end,
    m.field,
    m.evidence,
    p.processed_at
from {{ ref('stg_mentions') }} m
join {{ ref('stg_processed') }} p on p.document_id = m.document_id
join {{ ref('int_entity_keys') }} k
  on k.entity_type = m.entity_type and k.entity_id = m.entity_id
where {{ known_documents_filter('m.document_id') }}
