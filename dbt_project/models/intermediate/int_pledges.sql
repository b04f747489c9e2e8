-- One row per real-world pledge, however many documents report it (grain: pledge_id).
-- The money (amount, currency, amount_usd and how it was obtained, alt_amount),
-- status, evidence and document come from the primary report (report_rank 1) as one
-- unit; target country, purpose and date from the best-ranked report giving them.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('pledge_id', ref('int_pledge_reports')) }}") }}
with r as (
    select * from {{ ref('int_pledge_reports') }}
{% if is_incremental() %}where {{ followed() }}{% endif %}
),

filled as (
    select
        pledge_id,
        arg_min(target_country_code, report_rank) filter (where target_country_code is not null)
            as target_country_code,
        arg_min(purpose, report_rank) filter (where purpose is not null)         as purpose,
        arg_min(pledge_date, report_rank) filter (where pledge_date is not null) as pledge_date,
        count(distinct document_id)                                               as document_count
    from r
    group by pledge_id
)

select
    r.pledge_id,
    r.pledge_key,
    r.document_key,
    r.amount,
    r.currency,
    r.amount_usd,
    r.amount_usd_method,
    r.status,
    r.is_approximate,
    f.target_country_code,
    f.purpose,
    f.pledge_date,
    r.evidence,
    r.alt_amount,
    r.alt_currency,
    f.document_count,
    {{ built_by() }}
from r
join filled f using (pledge_id)
where r.report_rank = 1
