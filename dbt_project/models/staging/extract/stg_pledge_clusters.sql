-- Resolution of document-local pledges to real-world pledges (grain: document_id, local_id).
select
    cast(document_id as varchar)  as document_id,
    cast(local_id as varchar)     as local_id,
    {{ clean_str('pledge_id') }}  as pledge_id
from {{ source('extract', 'pledge_clusters') }}
