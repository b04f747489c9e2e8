-- One row per entity occurrence in a document (provenance of every entity).
-- Mentions of entities unknown to the dimensions are left out so entity_key
-- always resolves. Grows with the archive, so it is incremental: only the
-- documents (re-)extracted since the last build are rewritten (delete+insert
-- by document_key).
{{ config(materialized='incremental', unique_key='document_key', incremental_strategy='delete+insert',
          on_schema_change='append_new_columns') }}
select
    cast(document_key as varchar) as document_key,
    cast(entity_type as varchar)  as entity_type,
    cast(entity_key as varchar)   as entity_key,
    cast(mention_text as varchar) as mention_text,
    cast(char_start as integer)   as char_start,
    cast(char_end as integer)     as char_end,
    cast(field as varchar)        as field,
    cast(evidence as varchar)     as evidence,
    cast(processed_at as timestamp) as processed_at
from {{ ref('int_entity_mentions') }}
{% if is_incremental() %}
{#- A table built before processed_at existed is rewritten whole once (append_new_columns adds the column). -#}
{% set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list %}
{% if 'processed_at' in existing %}
where processed_at > (select coalesce(max(t.processed_at), timestamp '1970-01-01') from {{ this }} t)
{% endif %}
{% endif %}
