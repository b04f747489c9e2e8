-- One row per entity occurrence in a document.
select
    cast(document_id as varchar)     as document_id,
    {{ clean_enum('entity_type') }}  as entity_type,
    case when {{ clean_enum('entity_type') }} = 'country'
         then {{ clean_code('entity_id') }}
         else {{ clean_str('entity_id') }} end as entity_id,
    cast(mention_text as varchar)    as mention_text,
    {{ clean_enum('field') }}        as field,
    cast(char_start as integer)      as char_start,
    cast(char_end as integer)        as char_end,
    cast(evidence as varchar)        as evidence
from {{ source('extract', 'mentions') }}
where entity_id is not null
