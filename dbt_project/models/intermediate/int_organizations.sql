-- One row per organization_id, merged across all documents that mention it.
-- name: most frequent spelling (by documents), ties -> latest document;
-- acronym: most frequent non-null; aliases: every other distinct name/alias
-- spelling (sorted, excluding the chosen name); organization_type: most
-- frequent value other than 'other' (else 'other'); country: from the latest
-- published document that gives a valid ISO code.
with rows as (
    select
        o.*,
        d.published_date,
        {{ recency_key('d.published_date', 'o.document_id') }} as recency,
        c.country_code as valid_country_code
    from {{ ref('stg_organizations') }} o
    join {{ ref('stg_documents') }} d using (document_id)
    left join {{ ref('int_countries') }} c on c.country_code = o.country_code
),

name_pick as (
    select organization_id, name
    from (
        select organization_id, name,
               count(distinct document_id) as n_docs, max(recency) as last_recency
        from rows where name is not null
        group by all
    )
    qualify row_number() over (
        partition by organization_id order by n_docs desc, last_recency desc, name) = 1
),

acronym_pick as (
    select organization_id, acronym
    from (
        select organization_id, acronym,
               count(distinct document_id) as n_docs, max(recency) as last_recency
        from rows where acronym is not null
        group by all
    )
    qualify row_number() over (
        partition by organization_id order by n_docs desc, last_recency desc, acronym) = 1
),

type_pick as (
    select organization_id, organization_type
    from (
        select organization_id, organization_type,
               count(distinct document_id) as n_docs, max(recency) as last_recency
        from rows where organization_type <> 'other'
        group by all
    )
    qualify row_number() over (
        partition by organization_id order by n_docs desc, last_recency desc, organization_type) = 1
),

spellings as (
    select organization_id, name as spelling from rows where name is not null
    union
    select organization_id, nullif(trim(a.alias), '') as spelling
    from rows, unnest(rows.aliases) as a(alias)
),

alias_lists as (
    select s.organization_id,
           list_sort(list(distinct s.spelling)) as aliases
    from spellings s
    left join name_pick n using (organization_id)
    where s.spelling is not null
      and s.spelling is distinct from n.name
    group by s.organization_id
),

agg as (
    select
        organization_id,
        arg_max(valid_country_code, recency) filter (where valid_country_code is not null) as country_code,
        count(distinct document_id) as document_count,
        min(published_date) as first_published_date,
        max(published_date) as last_published_date
    from rows
    group by organization_id
)

select
    agg.organization_id,
    {{ surrogate_key('organization', 'agg.organization_id') }} as organization_key,
    coalesce(n.name, agg.organization_id)               as name,
    a.acronym,
    coalesce(al.aliases, cast([] as varchar[]))         as aliases,
    coalesce(t.organization_type, 'other')              as organization_type,
    agg.country_code,
    agg.document_count,
    agg.first_published_date,
    agg.last_published_date
from agg
left join name_pick n using (organization_id)
left join acronym_pick a using (organization_id)
left join type_pick t using (organization_id)
left join alias_lists al using (organization_id)
