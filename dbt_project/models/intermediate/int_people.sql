-- One row per person_id, merged across all documents that mention the person.
-- full_name: most frequent full spelling (by documents), ties -> longer, then
-- latest document; aliases: every other distinct spelling (full names and
-- extracted aliases) across documents, sorted, excluding full_name;
-- family/given name: from the latest document using the chosen full_name;
-- title / organization / country: each from the latest published document
-- that gives it (organizations only if known in int_organizations, countries
-- only valid ISO alpha-3).
-- "Latest document" = greatest recency_key (published date, then document_id);
-- doc_rank numbers the documents in that order, so the aggregations below
-- compare and count integers instead of strings (same result, less memory).
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_changed('person_id', 'person') }}") }}
{{ affected_depends_on('person') }}
with docs as (
    select document_id, published_date,
           row_number() over (order by {{ recency_key('published_date', 'document_id') }}) as doc_rank
    from {{ ref('stg_documents') }}
),

rows as (
    select
        p.person_id,
        p.full_name,
        p.family_name,
        p.given_name,
        p.aliases,
        p.title,
        d.published_date,
        d.doc_rank,
        o.organization_id as known_organization_id,
        c.country_code    as valid_country_code
    from {{ ref('stg_people') }} p
    join docs d using (document_id)
    left join {{ ref('int_organizations') }} o on o.organization_id = p.organization_id
    left join {{ ref('int_countries') }} c on c.country_code = p.country_code
{% if is_incremental() %}where p.person_id in ({{ affected_ids('person') }}){% endif %}
),

name_pick as (
    select person_id, full_name
    from (
        select person_id, full_name,
               count(distinct doc_rank) as n_docs, max(doc_rank) as last_rank
        from rows where full_name is not null
        group by all
    )
    qualify row_number() over (
        partition by person_id
        order by n_docs desc, length(full_name) desc, last_rank desc, full_name) = 1
),

name_parts as (
    select r.person_id,
           arg_max(r.family_name, r.doc_rank) filter (where r.family_name is not null) as family_name,
           arg_max(r.given_name, r.doc_rank)  filter (where r.given_name is not null)  as given_name
    from rows r
    join name_pick n on n.person_id = r.person_id and n.full_name = r.full_name
    group by r.person_id
),

name_parts_any as (
    select person_id,
           arg_max(family_name, doc_rank) filter (where family_name is not null) as family_name,
           arg_max(given_name, doc_rank)  filter (where given_name is not null)  as given_name
    from rows
    group by person_id
),

{{ spelling_alias_lists('rows', 'person_id', 'full_name', 'name_pick', 'full_name') }},

agg as (
    select
        person_id,
        arg_max(title, doc_rank) filter (where title is not null)                             as title,
        arg_max(known_organization_id, doc_rank) filter (where known_organization_id is not null) as organization_id,
        arg_max(valid_country_code, doc_rank) filter (where valid_country_code is not null)   as country_code,
        count(distinct doc_rank) as document_count,
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
    agg.last_published_date,
    {{ built_by() }}
from agg
left join name_pick n using (person_id)
left join name_parts np using (person_id)
left join name_parts_any npa using (person_id)
left join alias_lists al using (person_id)
