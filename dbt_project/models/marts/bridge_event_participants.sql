-- One row per (event, participant) over all documents reporting the event.
-- Participants that are not in dim_people / dim_organizations / dim_countries
-- are left out.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('event_key', ref('int_event_mentions')) }}") }}
select distinct
    cast(m.event_key as varchar)         as event_key,
    cast(p.participant_type as varchar)  as participant_type,
    cast(k.entity_key as varchar)        as participant_key
from {{ ref('stg_event_participants') }} p
join {{ ref('int_event_mentions') }} m using (document_id, local_id)
join {{ ref('int_entity_keys') }} k
  on k.entity_type = p.participant_type and k.entity_id = p.participant_id
{% if is_incremental() %}where {{ followed('m') }}{% endif %}
