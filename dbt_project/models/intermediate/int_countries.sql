-- Valid ISO 3166-1 countries (grain: country_code = alpha-3). Every country key
-- in the marts is checked against this list.
select
    upper(alpha3) as country_code,
    upper(alpha2) as iso2,
    name
from {{ ref('iso_countries') }}
