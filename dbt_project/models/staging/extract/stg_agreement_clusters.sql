-- Resolution of document-local agreements to real-world agreements (grain: document_id, local_id).
select
    cast(document_id as varchar)     as document_id,
    cast(local_id as varchar)        as local_id,
    {{ clean_str('agreement_id') }}  as agreement_id
from {{ source('extract', 'agreement_clusters') }}
