{#- Incremental builds of the models that grow with the archive.

    Extraction logs what it changed in extract.changes (orchestration/domain/extract/changes.py): the
    documents it extracted, the people and organizations they make known for the first time, and the old
    and new ids of every event, pledge and agreement whose members changed; the dbt step prunes the log
    after each complete build, so stg_changes holds exactly what the marts do not reflect yet.

    The first incremental model of each chain (int_event_mentions, int_pledge_reports,
    int_agreement_reports, int_people, int_organizations) deletes the rows of the affected ids
    (`delete_changed`, a pre-hook inside the model's transaction) and appends them recomputed from all
    their inputs (`affected_ids`), each row stamped with the dbt invocation that built it (`built_by`).
    Every model downstream follows its parent (`delete_followed` / `followed`): it recomputes the keys its
    parent rebuilt in this invocation and drops the keys its parent no longer has. A full refresh
    (`--full-refresh`, which the dbt step passes when the project changed or the log cannot be trusted)
    rebuilds them whole. -#}

{#- Subquery: the natural ids of `kind` whose rows must be recomputed: logged as changed, reported by a
    changed document, or pointing at a person or organization a changed document makes known. -#}
{% macro affected_ids(kind) -%}
    {%- set changes = ref('stg_changes') -%}
    {%- set docs = "select id from " ~ changes ~ " where kind = 'document'" -%}
    {%- set entities = "select id from " ~ changes ~ " where kind = 'entity'" -%}
    {%- if kind in ('event', 'pledge', 'agreement') -%}
        {%- set parties, party_id = {'event': ('stg_event_participants', 'participant_id'),
                                     'pledge': ('stg_pledge_parties', 'party_id'),
                                     'agreement': ('stg_agreement_parties', 'party_id')}[kind] -%}
        select id from {{ changes }} where kind = '{{ kind }}'
        union
        select c.{{ kind }}_id
        from {{ ref('stg_' ~ kind ~ '_clusters') }} c
        where exists (select 1 from {{ ref(parties) }} p
                      where p.document_id = c.document_id and p.local_id = c.local_id
                        and p.{{ party_id }} in ({{ entities }}))
    {%- elif kind == 'organization' -%}
        select organization_id from {{ ref('stg_organizations') }} where document_id in ({{ docs }})
    {%- elif kind == 'person' -%}
        select person_id from {{ ref('stg_people') }}
        where document_id in ({{ docs }}) or organization_id in ({{ entities }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("affected_ids: unknown kind " ~ kind) }}
    {%- endif -%}
{%- endmacro %}

{#- The refs affected_ids reads, rendered where dbt's parser sees them (it parses with is_incremental()
    false, so the filter's refs alone would go unnoticed). -#}
{% macro affected_depends_on(kind) -%}
    -- depends_on: {{ ref('stg_changes') }}
    {%- if kind == 'event' %}
    -- depends_on: {{ ref('stg_event_clusters') }}, {{ ref('stg_event_participants') }}
    {%- elif kind in ('pledge', 'agreement') %}
    -- depends_on: {{ ref('stg_' ~ kind ~ '_clusters') }}, {{ ref('stg_' ~ kind ~ '_parties') }}
    {%- elif kind == 'person' %}
    -- depends_on: {{ ref('stg_people') }}
    {%- else %}
    -- depends_on: {{ ref('stg_organizations') }}
    {%- endif %}
{%- endmacro %}

{#- Pre-hook of the first model of a chain: drop the rows of the affected ids before they are appended
    again. Nothing on a full build. -#}
{% macro delete_changed(column, kind) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ column }} in ({{ affected_ids(kind) }})
    {%- endif -%}
{%- endmacro %}

{#- The column stamping each row of a chain's models with the dbt invocation that built it. -#}
{% macro built_by() -%}
    cast('{{ invocation_id }}' as varchar) as built_by
{%- endmacro %}

{#- Filter of a model downstream: only the rows its parent (`alias`, when the query joins) rebuilt now. -#}
{% macro followed(alias=none) -%}
    {{ alias ~ '.' if alias else '' }}built_by = '{{ invocation_id }}'
{%- endmacro %}

{#- Pre-hook of a model downstream of `parent`: drop the keys (`column`, named `parent_column` there) the
    parent rebuilt in this invocation or no longer has. -#}
{% macro delete_followed(column, parent, parent_column=none) -%}
    {%- if is_incremental() -%}
        {%- set pc = parent_column or column -%}
        delete from {{ this }} where {{ column }} in (
            select {{ pc }} from {{ parent }} where {{ followed() }})
          or {{ column }} not in (select {{ pc }} from {{ parent }} where {{ pc }} is not null)
    {%- endif -%}
{%- endmacro %}
