-- Investment pledges reported in one document (grain: document_id, local_id).
select
    cast(document_id as varchar)           as document_id,
    cast(local_id as varchar)              as local_id,
    cast(amount as double)                 as amount,
    {{ clean_code('currency') }}           as currency,
    cast(usd_amount_stated as double)      as usd_amount_stated,
    cast(alt_amount as double)             as alt_amount,
    {{ clean_code('alt_currency') }}       as alt_currency,
    coalesce({{ clean_enum('status') }}, 'pledged') as status,
    coalesce(cast(is_approximate as boolean), false) as is_approximate,
    {{ clean_code('target_country_code') }} as target_country_code,
    {{ clean_str('purpose') }}             as purpose,
    cast(pledge_date as date)              as pledge_date,
    cast(evidence as varchar)              as evidence,
    {{ clean_enum('field') }}              as field,
    cast(char_start as integer)            as char_start,
    cast(char_end as integer)              as char_end
from {{ source('extract', 'pledges') }}
