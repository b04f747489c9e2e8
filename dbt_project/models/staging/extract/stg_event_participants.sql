-- Participants of a document-local event (grain: document_id, local_id, participant).
select distinct
    cast(document_id as varchar)          as document_id,
    cast(local_id as varchar)             as local_id,
    {{ clean_enum('participant_type') }}  as participant_type,
    case when {{ clean_enum('participant_type') }} = 'country'
         then {{ clean_code('participant_id') }}
         else {{ clean_str('participant_id') }} end as participant_id
from {{ source('extract', 'event_participants') }}
where participant_id is not null
