-- One row per agreement as reported in one document (grain: document_id, local_id).
select
    cast(agreement_key as varchar)  as agreement_key,
    cast(document_key as varchar)   as document_key,
    cast(agreement_type as varchar) as agreement_type,
    cast(signed_date as date)       as signed_date,
    cast(subject as varchar)        as subject,
    cast(is_binding as boolean)     as is_binding,
    cast(evidence as varchar)       as evidence
from {{ ref('int_agreements') }}
