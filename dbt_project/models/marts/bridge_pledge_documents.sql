-- One row per (pledge, document reporting it). is_primary marks the report
-- fct_pledges takes its document_key and evidence from. When a document reports the
-- same pledge twice (never resolved so, but kept safe), its best-ranked report gives the evidence.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('pledge_key', ref('int_pledge_reports')) }}") }}
select
    cast(pledge_key as varchar)     as pledge_key,
    cast(document_key as varchar)  as document_key,
    cast(bool_or(report_rank = 1) as boolean)         as is_primary,
    cast(arg_min(evidence, report_rank) as varchar)   as evidence,
    cast(arg_min(field, report_rank) as varchar)      as field,
    cast(arg_min(char_start, report_rank) as integer) as char_start,
    cast(arg_min(char_end, report_rank) as integer)   as char_end
from {{ ref('int_pledge_reports') }}
{% if is_incremental() %}where {{ followed() }}{% endif %}
group by pledge_key, document_key
