-- One row per ISO 3166-1 country (grain: alpha-3 code, which is the key).
select
    cast(country_code as varchar) as country_key,
    cast(iso2 as varchar)         as iso2,
    cast(name as varchar)         as name
from {{ ref('int_countries') }}
