-- One row per (agreement, document reporting it). is_primary marks the report
-- fct_agreements takes its document_key and evidence from. When a document reports the
-- same agreement twice (never resolved so, but kept safe), its best-ranked report gives the evidence.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('agreement_key', ref('int_agreement_reports')) }}") }}
select
    cast(agreement_key as varchar)     as agreement_key,
    cast(document_key as varchar)  as document_key,
    cast(bool_or(report_rank = 1) as boolean)         as is_primary,
    cast(arg_min(evidence, report_rank) as varchar)   as evidence,
    cast(arg_min(field, report_rank) as varchar)      as field,
    cast(arg_min(char_start, report_rank) as integer) as char_start,
    cast(arg_min(char_end, report_rank) as integer)   as char_end
from {{ ref('int_agreement_reports') }}
{% if is_incremental() %}where {{ followed() }}{% endif %}
group by agreement_key, document_key
