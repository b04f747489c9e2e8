-- One row per (event, document reporting it). When a document reports the same
-- event twice, its best-ranked report gives the evidence.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('event_key', ref('int_event_mentions')) }}") }}
select
    cast(event_key as varchar)     as event_key,
    cast(document_key as varchar)  as document_key,
    cast(bool_or(is_primary) as boolean)           as is_primary,
    cast(arg_min(evidence, mention_rank) as varchar) as evidence,
    cast(arg_min(field, mention_rank) as varchar)    as field,
    cast(arg_min(char_start, mention_rank) as integer) as char_start,
    cast(arg_min(char_end, mention_rank) as integer)   as char_end
from {{ ref('int_event_mentions') }}
{% if is_incremental() %}where {{ followed() }}{% endif %}
group by event_key, document_key
