-- Every document-local event with its resolved real-world event_id
-- (grain: document_id, local_id). A local event without a cluster row is its
-- own event (event_id = document_id || '#' || local_id).
-- mention_rank orders the reports of one event: primary mention first, then the
-- most complete one (date precision, city, country, attendees), then the
-- longest name, then the latest published document.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_changed('event_id', 'event') }}") }}
{{ affected_depends_on('event') }}
with e as (
    select
        ev.*,
        coalesce(cl.event_id, ev.document_id || '#' || ev.local_id) as event_id,
        d.published_date,
        c.country_code as valid_country_code
    from {{ ref('stg_events') }} ev
    join {{ ref('stg_documents') }} d using (document_id)
    left join {{ ref('stg_event_clusters') }} cl using (document_id, local_id)
    left join {{ ref('int_countries') }} c on c.country_code = ev.country_code
    {%- if is_incremental() %}
    where coalesce(cl.event_id, ev.document_id || '#' || ev.local_id) in ({{ affected_ids('event') }})
    {%- endif %}
)

select
    *,
    {{ surrogate_key('event', 'event_id') }}        as event_key,
    {{ surrogate_key('document', 'document_id') }}  as document_key,
    row_number() over (
        partition by event_id
        order by is_primary desc,
                 ({{ precision_rank('date_precision') }}
                  + (city is not null)::int
                  + (valid_country_code is not null)::int
                  + (attendees is not null)::int
                  + (event_type <> 'other')::int) desc,
                 length(event_name) desc nulls last,
                 published_date desc nulls last,
                 document_id, local_id
    ) as mention_rank,
    {{ built_by() }}
from e
