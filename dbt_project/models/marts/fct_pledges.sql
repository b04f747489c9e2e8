-- One row per real-world pledge, however many documents report it (grain: pledge_id);
-- document_key is its primary report's document (every report: bridge_pledge_documents).
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('pledge_key', ref('int_pledges')) }}") }}
select
    cast(p.pledge_key as varchar)     as pledge_key,
    cast(p.document_key as varchar)   as document_key,
    cast(p.amount as double)          as amount,
    cast(p.currency as varchar)       as currency,
    cast(p.amount_usd as double)      as amount_usd,
    cast(p.status as varchar)         as status,
    cast(p.is_approximate as boolean) as is_approximate,
    cast(c.country_code as varchar)   as target_country_key,
    cast(p.purpose as varchar)        as purpose,
    cast(p.pledge_date as date)       as pledge_date,
    cast(p.evidence as varchar)       as evidence,
    cast(p.alt_amount as double)      as alt_amount,
    cast(p.alt_currency as varchar)   as alt_currency,
    cast(p.amount_usd_method as varchar) as amount_usd_method,
    cast(p.document_count as integer) as document_count
from {{ ref('int_pledges') }} p
left join {{ ref('int_countries') }} c on c.country_code = p.target_country_code
{% if is_incremental() %}where {{ followed('p') }}{% endif %}
