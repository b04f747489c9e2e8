-- What one document says about one organization (grain: document_id, organization_id).
select
    cast(document_id as varchar)            as document_id,
    {{ clean_str('organization_id') }}      as organization_id,
    {{ clean_str('name') }}                 as name,
    {{ clean_str('acronym') }}              as acronym,
    cast(coalesce(aliases, []) as varchar[]) as aliases,
    {{ coerce_enum('organization_type', 'organization_type', 'other') }} as organization_type,
    {{ clean_code('country_code') }}        as country_code
from {{ source('extract', 'organizations') }}
where nullif(trim(organization_id), '') is not null
