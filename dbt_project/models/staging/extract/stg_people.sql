-- What one document says about one person (grain: document_id, person_id).
select
    cast(document_id as varchar)         as document_id,
    {{ clean_str('person_id') }}         as person_id,
    {{ clean_str('full_name') }}         as full_name,
    {{ clean_str('family_name') }}       as family_name,
    {{ clean_str('given_name') }}        as given_name,
    cast(coalesce(aliases, []) as varchar[]) as aliases,
    {{ clean_str('title') }}             as title,
    {{ clean_str('organization_id') }}   as organization_id,
    {{ clean_code('country_code') }}     as country_code
from {{ source('extract', 'people') }}
where nullif(trim(person_id), '') is not null
