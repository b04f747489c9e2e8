-- Pledgers and recipients of a document-local pledge.
select distinct
    cast(document_id as varchar)     as document_id,
    cast(local_id as varchar)        as local_id,
    {{ clean_enum('party_type') }}   as party_type,
    case when {{ clean_enum('party_type') }} = 'country'
         then {{ clean_code('party_id') }}
         else {{ clean_str('party_id') }} end as party_id,
    {{ clean_enum('role') }}         as role
from {{ source('extract', 'pledge_parties') }}
where party_id is not null
