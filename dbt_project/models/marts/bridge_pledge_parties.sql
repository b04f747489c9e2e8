-- One row per (pledge, party, role), over all documents reporting the pledge.
-- Parties unknown to the dimensions, or with a role other than pledger /
-- recipient, are left out.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('pledge_key', ref('int_pledge_reports')) }}") }}
select distinct
    cast(p.pledge_key as varchar)    as pledge_key,
    cast(pp.party_type as varchar)   as party_type,
    cast(k.entity_key as varchar)    as party_key,
    cast(pp.role as varchar)         as role
from {{ ref('stg_pledge_parties') }} pp
join {{ ref('int_pledge_reports') }} p using (document_id, local_id)
join {{ ref('int_entity_keys') }} k
  on k.entity_type = pp.party_type and k.entity_id = pp.party_id
where pp.role in ('pledger', 'recipient')
{% if is_incremental() %}and {{ followed('p') }}{% endif %}
