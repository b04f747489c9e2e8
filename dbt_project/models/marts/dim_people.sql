-- One row per person (grain: person_id), merged across documents.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('person_key', ref('int_people')) }}") }}
select
    cast(person_key as varchar)       as person_key,
    cast(full_name as varchar)        as full_name,
    cast(family_name as varchar)      as family_name,
    cast(given_name as varchar)       as given_name,
    cast(aliases as varchar[])        as aliases,
    cast(title as varchar)            as title,
    cast(organization_key as varchar) as organization_key,
    cast(country_code as varchar)     as country_key,
    cast(person_id as varchar)        as person_id,
    cast(document_count as integer)   as document_count
from {{ ref('int_people') }}
{% if is_incremental() %}where {{ followed() }}{% endif %}
