-- One row per person_id, merged across all documents that mention the person.
-- full_name: most frequent full spelling (by documents), ties -> longer, then
-- latest document; aliases: every other distinct spelling (full names and
-- extracted aliases) across documents, sorted, excluding full_name;
-- family/given name: from the latest document using the chosen full_name;
-- title / organization / country: each from the latest published document
-- that gives it (organizations only if known in int_organizations, countries
-- only valid ISO alpha-3).
with rows as (
    select
        p.*,
        d.published_date,
        {{ recency_key('d.published_date', 'p.document_id') }} as recency,
        o.organization_id as known_organization_id,
        c.country_code    as valid_country_code
    from {{ ref('stg_people') }} p
    join {{ ref('stg_documents') }} d using (document_id)
    left join {{ ref('int_organizations') }} o on o.organization_id = p.organization_id
    left join {{ ref('int_countries') }} c on c.country_code = p.country_code
),

name_pick as (
    select person_id, full_name
    from (
        select person_id, full_name,
               count(distinct document_id) as n_docs, max(recency) as last_recency
        from rows where full_name is not null
        group by all
    )
    qualify row_number() over (
        partition by person_id
        order by n_docs desc, length(full_name) desc, last_recency desc, full_name) = 1
),

name_parts as (
    select r.person_id,
           arg_max(r.family_name, r.recency) filter (where r.family_name is not null) as family_name,
           arg_max(r.given_name, r.recency)  filter (where r.given_name is not null)  as given_name
    from rows r
    join name_pick n on n.person_id = r.person_id and n.full_name = r.full_name
    group by r.person_id
),

name_parts_any as (
    select person_id,
           arg_max(family_name, recency) filter (where family_name is not null) as family_name,
           arg_max(given_name, recency)  filter (where given_name is not null)  as given_name
    from rows
    group by person_id
),

spellings as (
    select person_id, full_name as spelling from rows where full_name is not null
    union
    select person_id, nullif(trim(a.alias), '') as spelling
    from rows, unnest(rows.aliases) as a(alias)
),

alias_lists as (
    select s.person_id,
           list_sort(list(distinct s.spelling)) as aliases
    from spellings s
    left join name_pick n using (person_id)
    where s.spelling is not null
      and s.spelling is distinct from n.full_name
    group by s.person_id
),

agg as (
    select
        person_id,
        arg_max(title, recency) filter (where title is not null)                             as title,
        arg_max(known_organization_id, recency) filter (where known_organization_id is not null) as organization_id,
        arg_max(valid_country_code, recency) filter (where valid_country_code is not null)   as country_code,
        count(distinct document_id) as document_count,
        min(published_date) as first_published_date,
        max(published_date) as last_published_date
    from rows
    group by person_id
)

select
    agg.person_id,
    {{ surrogate_key('person', 'agg.person_id') }}           as person_key,
    coalesce(n.full_name, agg.person_id)                     as full_name,
    coalesce(np.family_name, npa.family_name)                as family_name,
    coalesce(np.given_name, npa.given_name)                  as given_name,
    coalesce(al.aliases, cast([] as varchar[]))              as aliases,
    agg.title,
    agg.organization_id,
    {{ surrogate_key('organization', 'agg.organization_id') }} as organization_key,
    agg.country_code,
    agg.document_count,
    agg.first_published_date,
    agg.last_published_date
from agg
left join name_pick n using (person_id)
left join name_parts np using (person_id)
left join name_parts_any npa using (person_id)
left join alias_lists al using (person_id)
