-- One row per organization_id, merged across all documents that mention it.
-- name: most frequent spelling (by documents), ties -> latest document;
-- acronym: most frequent non-null; aliases: every other distinct name/alias
-- spelling (sorted, excluding the chosen name); organization_type: most
-- frequent value other than 'other' (else 'other'); country: from the latest
-- published document that gives a valid ISO code.
-- "Latest document" = greatest recency_key (published date, then document_id).
--
-- This reads every organization row of the archive (~400k at 100k documents)
-- within the profile's memory limit: documents are numbered in recency order
-- (doc_rank), so the aggregations count and compare integers instead of
-- document ids, and one aggregation tallies name, acronym and type together.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns',
          pre_hook="{{ delete_changed('organization_id', 'organization') }}") }}
{{ affected_depends_on('organization') }}
with docs as (
    select document_id, published_date,
           row_number() over (order by {{ recency_key('published_date', 'document_id') }}) as doc_rank
    from {{ ref('stg_documents') }}
),

rows as (
    select
        o.organization_id,
        o.name,
        o.acronym,
        o.organization_type,
        d.published_date,
        d.doc_rank,
        c.country_code as valid_country_code
    from {{ ref('stg_organizations') }} o
    join docs d using (document_id)
    left join {{ ref('int_countries') }} c on c.country_code = o.country_code
{% if is_incremental() %}where o.organization_id in ({{ affected_ids('organization') }}){% endif %}
),

-- per (organization, attribute, value): how many documents give it, and the latest of them
votes as (
    select organization_id, attribute, value,
           count(distinct doc_rank) as n_docs, max(doc_rank) as last_rank
    from (
        select organization_id, doc_rank, name as nm, acronym as ac,
               nullif(organization_type, 'other') as ty
        from rows
    ) unpivot (value for attribute in (nm, ac, ty))  -- a null value is no vote
    group by all
),

-- the value most documents give, ties -> latest document, then the value itself
picks as (
    select organization_id,
           any_value(value) filter (where attribute = 'nm') as name,
           any_value(value) filter (where attribute = 'ac') as acronym,
           any_value(value) filter (where attribute = 'ty') as organization_type
    from (
        select organization_id, attribute, value
        from votes
        qualify row_number() over (
            partition by organization_id, attribute order by n_docs desc, last_rank desc, value) = 1
    )
    group by organization_id
),

-- every spelling (names and aliases) of the documents known to stg_documents
staged as (
    select organization_id, name, aliases
    from {{ ref('stg_organizations') }}
    where {{ known_documents_filter() }}
{% if is_incremental() %}and organization_id in ({{ affected_ids('organization') }}){% endif %}
),

{{ spelling_alias_lists('staged', 'organization_id', 'name', 'picks', 'name') }},

agg as (
    select
        organization_id,
        arg_max(valid_country_code, doc_rank) filter (where valid_country_code is not null) as country_code,
        count(distinct doc_rank) as document_count,
        min(published_date) as first_published_date,
        max(published_date) as last_published_date
    from rows
    group by organization_id
)

select
    agg.organization_id,
    {{ surrogate_key('organization', 'agg.organization_id') }} as organization_key,
    coalesce(p.name, agg.organization_id)               as name,
    p.acronym,
    coalesce(al.aliases, cast([] as varchar[]))         as aliases,
    coalesce(p.organization_type, 'other')              as organization_type,
    agg.country_code,
    agg.document_count,
    agg.first_published_date,
    agg.last_published_date,
    {{ built_by() }}
from agg
left join picks p using (organization_id)
left join alias_lists al using (organization_id)
