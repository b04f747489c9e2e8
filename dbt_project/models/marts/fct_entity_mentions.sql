-- One row per entity occurrence in a document (provenance of every entity).
-- Mentions of entities unknown to the dimensions are left out so entity_key
-- always resolves. Grows with the archive (incremental-ready: per-document rows).
select
    cast({{ surrogate_key('document', 'm.document_id') }} as varchar) as document_key,
    cast(m.entity_type as varchar)  as entity_type,
    cast(k.entity_key as varchar)   as entity_key,
    cast(m.mention_text as varchar) as mention_text,
    cast(m.char_start as integer)   as char_start,
    cast(m.char_end as integer)     as char_end,
    cast(m.field as varchar)        as field,
    cast(m.evidence as varchar)     as evidence
from {{ ref('stg_mentions') }} m
join {{ ref('int_entity_keys') }} k
  on k.entity_type = m.entity_type and k.entity_id = m.entity_id
