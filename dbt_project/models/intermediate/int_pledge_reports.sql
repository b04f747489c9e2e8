-- One row per pledge reported in a document (grain: document_id, local_id),
-- with the real-world pledge it reports (pledge_id from extract.pledge_clusters;
-- a report without a cluster row is its own pledge, pledge_id = document_id|local_id)
-- and amount_usd. report_rank 1 is the primary report: the one whose id is the
-- pledge_id (the earliest, most complete report, see orchestration/domain/resolve/),
-- then the others by publication date. FX: monthly average of the pledge's currency for the month
-- of pledge_date (else the document's published_date); when that month is not
-- in the seed, the latest month before it, else the earliest month available.
-- amount_usd = amount for USD; else the text's own USD figure
-- (usd_amount_stated, or alt_amount when alt_currency is USD); else amount / rate.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_changed('pledge_id', 'pledge') }}") }}
{{ affected_depends_on('pledge') }}
with p as (
    select
        pl.*,
        d.published_date,
        coalesce(cl.pledge_id, pl.document_id || '|' || pl.local_id) as pledge_id,
        cast(date_trunc('month', coalesce(pl.pledge_date, d.published_date)) as date) as fx_month
    from {{ ref('stg_pledges') }} pl
    join {{ ref('stg_documents') }} d using (document_id)
    left join {{ ref('stg_pledge_clusters') }} cl using (document_id, local_id)
    {%- if is_incremental() %}
    where coalesce(cl.pledge_id, pl.document_id || '|' || pl.local_id) in ({{ affected_ids('pledge') }})
    {%- endif %}
),

fx as (
    select upper(currency) as currency, cast(month as date) as month, units_per_usd
    from {{ ref('fx_rates_monthly') }}
    where units_per_usd > 0
),

fx_first as (
    select currency, arg_min(units_per_usd, month) as units_per_usd
    from fx group by currency
),

with_fx as (
    select
        p.*,
        coalesce(fx.units_per_usd, ff.units_per_usd) as fx_units_per_usd
    from p
    asof left join fx
        on fx.currency = p.currency and p.fx_month >= fx.month
    left join fx_first ff
        on ff.currency = p.currency
)

select
    document_id,
    local_id,
    pledge_id,
    {{ surrogate_key('pledge', 'pledge_id') }}       as pledge_key,
    {{ surrogate_key('document', 'document_id') }}   as document_key,
    row_number() over (
        partition by pledge_id
        order by (document_id || '|' || local_id = pledge_id) desc,
                 published_date nulls last, document_id, local_id
    ) as report_rank,
    published_date,
    amount,
    currency,
    case
        when currency = 'USD' then amount
        when usd_amount_stated is not null then usd_amount_stated
        when alt_currency = 'USD' and alt_amount is not null then alt_amount
        else amount / fx_units_per_usd
    end as amount_usd,
    case
        when currency = 'USD' and amount is not null then 'usd'
        when usd_amount_stated is not null then 'stated'
        when alt_currency = 'USD' and alt_amount is not null then 'stated'
        when amount is not null and fx_units_per_usd is not null then 'fx'
    end as amount_usd_method,
    status,
    is_approximate,
    target_country_code,
    purpose,
    pledge_date,
    evidence,
    alt_amount,
    alt_currency,
    field,
    char_start,
    char_end,
    {{ built_by() }}
from with_fx
