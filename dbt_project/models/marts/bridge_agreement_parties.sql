-- One row per (agreement, party), over all documents reporting the agreement.
-- Only organizations and countries known to the dimensions are kept.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('agreement_key', ref('int_agreement_reports')) }}") }}
select distinct
    cast(a.agreement_key as varchar) as agreement_key,
    cast(ap.party_type as varchar)   as party_type,
    cast(k.entity_key as varchar)    as party_key
from {{ ref('stg_agreement_parties') }} ap
join {{ ref('int_agreement_reports') }} a using (document_id, local_id)
join {{ ref('int_entity_keys') }} k
  on k.entity_type = ap.party_type and k.entity_id = ap.party_id
where ap.party_type in ('organization', 'country')
{% if is_incremental() %}and {{ followed('a') }}{% endif %}
