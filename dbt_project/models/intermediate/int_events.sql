-- One row per real-world event (grain: event_id from extract.event_clusters).
-- event_name / city / country / attendees: from the best-ranked mention that
-- gives them (see int_event_mentions.mention_rank); event_type: most frequent
-- value other than 'other'; start_date: the most precise date reported (ties:
-- most frequently reported, then earliest).
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('event_id', ref('int_event_mentions')) }}") }}
with m as (
    select * from {{ ref('int_event_mentions') }}
{% if is_incremental() %}where {{ followed() }}{% endif %}
),

type_pick as (
    select event_id, event_type
    from (
        select event_id, event_type, count(*) as n, min(mention_rank) as best_rank
        from m where event_type <> 'other'
        group by all
    )
    qualify row_number() over (partition by event_id order by n desc, best_rank) = 1
),

date_pick as (
    select event_id, start_date, date_precision, document_key as date_document_key
    from (
        select event_id, start_date, date_precision,
               {{ precision_rank('date_precision') }} as prank,
               count(*) over (partition by event_id, start_date, date_precision) as n,
               mention_rank, document_key
        from m
        where start_date is not null and date_precision <> 'unknown'
    )
    qualify row_number() over (
        partition by event_id order by prank desc, n desc, start_date, mention_rank) = 1
),

agg as (
    select
        event_id,
        any_value(event_key)                                                        as event_key,
        arg_min(event_name, mention_rank) filter (where event_name is not null)    as event_name,
        arg_min(city, mention_rank) filter (where city is not null)                as city,
        arg_min(valid_country_code, mention_rank) filter (where valid_country_code is not null) as country_code,
        arg_min(attendees, mention_rank) filter (where attendees is not null)      as attendees,
        count(distinct document_id)                                                 as document_count
    from m
    group by event_id
)

select
    agg.event_id,
    agg.event_key,
    agg.event_name,
    coalesce(t.event_type, 'other')          as event_type,
    dp.start_date,
    coalesce(dp.date_precision, 'unknown')   as date_precision,
    agg.city,
    agg.country_code,
    agg.attendees,
    dp.date_document_key,
    agg.document_count,
    {{ built_by() }}
from agg
left join type_pick t using (event_id)
left join date_pick dp using (event_id)
