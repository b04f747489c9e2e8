-- One row per agreement reported in a document (grain: document_id, local_id).
select
    a.document_id,
    a.local_id,
    {{ surrogate_key('agreement', "a.document_id || '|' || a.local_id") }} as agreement_key,
    {{ surrogate_key('document', 'a.document_id') }}                          as document_key,
    a.agreement_type,
    a.signed_date,
    a.subject,
    a.is_binding,
    a.evidence,
    a.field,
    a.char_start,
    a.char_end
from {{ ref('stg_agreements') }} a
join {{ ref('stg_documents') }} d using (document_id)
