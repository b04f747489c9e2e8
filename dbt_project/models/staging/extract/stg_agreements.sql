-- Agreements reported in one document (grain: document_id, local_id).
select
    cast(document_id as varchar)       as document_id,
    cast(local_id as varchar)          as local_id,
    {{ coerce_enum('agreement_type', 'agreement_type', 'other') }} as agreement_type,
    cast(signed_date as date)          as signed_date,
    {{ clean_str('subject') }}         as subject,
    coalesce(cast(is_binding as boolean), false) as is_binding,
    cast(evidence as varchar)          as evidence,
    {{ clean_enum('field') }}          as field,
    cast(char_start as integer)        as char_start,
    cast(char_end as integer)          as char_end
from {{ source('extract', 'agreements') }}
