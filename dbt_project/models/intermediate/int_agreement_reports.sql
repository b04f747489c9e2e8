-- One row per agreement reported in a document (grain: document_id, local_id),
-- with the real-world agreement it reports (agreement_id from
-- extract.agreement_clusters; a report without a cluster row is its own
-- agreement, agreement_id = document_id|local_id). report_rank 1 is the primary
-- report: the one whose id is the agreement_id (the earliest, most complete
-- report, see orchestration/domain/resolve/), then the others by publication date.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_changed('agreement_id', 'agreement') }}") }}
{{ affected_depends_on('agreement') }}
with a as (
    select
        ag.*,
        d.published_date,
        coalesce(cl.agreement_id, ag.document_id || '|' || ag.local_id) as agreement_id
    from {{ ref('stg_agreements') }} ag
    join {{ ref('stg_documents') }} d using (document_id)
    left join {{ ref('stg_agreement_clusters') }} cl using (document_id, local_id)
    {%- if is_incremental() %}
    where coalesce(cl.agreement_id, ag.document_id || '|' || ag.local_id) in ({{ affected_ids('agreement') }})
    {%- endif %}
)

select
    document_id,
    local_id,
    agreement_id,
    {{ surrogate_key('agreement', 'agreement_id') }} as agreement_key,
    {{ surrogate_key('document', 'document_id') }}   as document_key,
    row_number() over (
        partition by agreement_id
        order by (document_id || '|' || local_id = agreement_id) desc,
                 published_date nulls last, document_id, local_id
    ) as report_rank,
    published_date,
    agreement_type,
    signed_date,
    subject,
    is_binding,
    evidence,
    field,
    char_start,
    char_end,
    {{ built_by() }}
from a
