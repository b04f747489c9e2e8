-- One row per organization (grain: organization_id), merged across documents.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('organization_key', ref('int_organizations')) }}") }}
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
{% if is_incremental() %}where {{ followed() }}{% endif %}
