-- One row per organization (grain: organization_id), merged across documents.
select
    cast(organization_key as varchar)  as organization_key,
    cast(name as varchar)              as name,
    cast(acronym as varchar)           as acronym,
    cast(aliases as varchar[])         as aliases,
    cast(organization_type as varchar) as organization_type,
    cast(country_code as varchar)      as country_key,
    cast(organization_id as varchar)   as organization_id,
    cast(document_count as integer)    as document_count
from {{ ref('int_organizations') }}
