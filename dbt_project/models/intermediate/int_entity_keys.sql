-- Every entity a fact may point at, with its mart key (grain: entity_type, entity_id).
-- Facts and bridges resolve (type, natural id) here; ids not found are unknown
-- entities and are dropped from bridges / mentions so foreign keys always hold.
select 'person' as entity_type, person_id as entity_id, person_key as entity_key
from {{ ref('int_people') }}
union all
select 'organization', organization_id, organization_key
from {{ ref('int_organizations') }}
union all
select 'country', country_code, country_code
from {{ ref('int_countries') }}
