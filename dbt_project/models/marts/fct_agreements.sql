-- One row per real-world agreement, however many documents report it (grain: agreement_id);
-- document_key is its primary report's document (every report: bridge_agreement_documents).
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_followed('agreement_key', ref('int_agreements')) }}") }}
select
    cast(agreement_key as varchar)  as agreement_key,
    cast(document_key as varchar)   as document_key,
    cast(agreement_type as varchar) as agreement_type,
    cast(signed_date as date)       as signed_date,
    cast(subject as varchar)        as subject,
    cast(is_binding as boolean)     as is_binding,
    cast(evidence as varchar)       as evidence,
    cast(document_count as integer) as document_count
from {{ ref('int_agreements') }}
{% if is_incremental() %}where {{ followed() }}{% endif %}
