-- One row per real-world agreement, however many documents report it (grain: agreement_id).
-- Type, binding, evidence and document from the primary report (report_rank 1);
-- signing date and subject from the best-ranked report giving them.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('agreement_id', ref('int_agreement_reports')) }}") }}
with r as (
    select * from {{ ref('int_agreement_reports') }}
{% if is_incremental() %}where {{ followed() }}{% endif %}
),

filled as (
    select
        agreement_id,
        arg_min(signed_date, report_rank) filter (where signed_date is not null) as signed_date,
        arg_min(subject, report_rank) filter (where subject is not null)         as subject,
        count(distinct document_id)                                               as document_count
    from r
    group by agreement_id
)

select
    r.agreement_id,
    r.agreement_key,
    r.document_key,
    r.agreement_type,
    f.signed_date,
    f.subject,
    r.is_binding,
    r.evidence,
    f.document_count,
    {{ built_by() }}
from r
join filled f using (agreement_id)
where r.report_rank = 1
