-- Events reported in one document (grain: document_id, local_id).
select
    cast(document_id as varchar)              as document_id,
    cast(local_id as varchar)                 as local_id,
    {{ clean_str('event_name') }}             as event_name,
    {{ coerce_enum('event_type', 'event_type', 'other') }} as event_type,
    cast(start_date as date)                  as start_date,
    case when start_date is null then 'unknown'
         else {{ coerce_enum('date_precision', 'date_precision', 'unknown') }} end as date_precision,
    {{ clean_str('city') }}                   as city,
    {{ clean_code('country_code') }}          as country_code,
    cast(attendees as integer)                as attendees,
    coalesce(cast(is_primary as boolean), false) as is_primary,
    cast(evidence as varchar)                 as evidence,
    {{ clean_enum('field') }}                 as field,
    cast(char_start as integer)               as char_start,
    cast(char_end as integer)                 as char_end
from {{ source('extract', 'events') }}
