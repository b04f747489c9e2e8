-- One row per real-world event, however many documents report it (grain: event_id).
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('event_key', ref('int_events')) }}") }}
select
    cast(event_key as varchar)      as event_key,
    cast(event_name as varchar)     as event_name,
    cast(event_type as varchar)     as event_type,
    cast(start_date as date)        as start_date,
    cast(date_precision as varchar) as date_precision,
    cast(city as varchar)           as city,
    cast(country_code as varchar)   as country_key,
    cast(attendees as integer)      as attendees,
    cast(date_document_key as varchar) as event_date_source,
    cast(document_count as integer) as document_count
from {{ ref('int_events') }}
{% if is_incremental() %}where {{ followed() }}{% endif %}
