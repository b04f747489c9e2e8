{#- Incremental builds of the models that grow with the archive.

    Extraction logs what it changed in extract.changes (orchestration/domain/extract/changes.py): the
    documents it extracted, and the old and new ids of every event, pledge and agreement whose members
    changed; the dbt step prunes the log after each successful build, so stg_changes holds exactly what
    the marts do not reflect yet. An incremental model deletes the rows of the affected ids (pre-hook
    `delete_changed`, inside the model's transaction) and appends them recomputed from all their inputs
    (`where ... in affected_ids(kind)`); every other row stays as built. A full refresh (`--full-refresh`,
    which the dbt step passes when the project changed or the log cannot be trusted) rebuilds them whole. -#}

{#- The fallback id of a document-local fact without a cluster row, as the *_reports models form it. -#}
{% macro _own_fact_id(kind) -%}
    f.document_id || '{{ "#" if kind == "event" else "|" }}' || f.local_id
{%- endmacro %}

{#- Subquery: the ids of people and organizations that changed documents make known for the first time: a
    fact's party or participant, a person's organization, counts only once its entity is known. -#}
{% macro _new_entity_ids(docs) -%}
    (select organization_id from {{ ref('stg_organizations') }} where document_id in ({{ docs }})
     except select organization_id from {{ ref('stg_organizations') }} where document_id not in ({{ docs }}))
    union
    (select person_id from {{ ref('stg_people') }} where document_id in ({{ docs }})
     except select person_id from {{ ref('stg_people') }} where document_id not in ({{ docs }}))
{%- endmacro %}

{#- Subquery: the natural ids of `kind` whose rows must be recomputed: logged as changed, reported by a
    changed document, or (facts, people) pointing at an entity a changed document makes known. -#}
{% macro affected_ids(kind) -%}
    {%- set docs = "select id from " ~ ref('stg_changes') ~ " where kind = 'document'" -%}
    {%- if kind in ('event', 'pledge', 'agreement') -%}
        {%- set facts = 'stg_' ~ kind ~ 's' -%}
        {%- set clusters = 'stg_' ~ kind ~ '_clusters' -%}
        {%- set parties, party_id = {'event': ('stg_event_participants', 'participant_id'),
                                     'pledge': ('stg_pledge_parties', 'party_id'),
                                     'agreement': ('stg_agreement_parties', 'party_id')}[kind] -%}
        select id from {{ ref('stg_changes') }} where kind = '{{ kind }}'
        union
        select coalesce(c.{{ kind }}_id, {{ _own_fact_id(kind) }})
        from {{ ref(facts) }} f
        left join {{ ref(clusters) }} c using (document_id, local_id)
        where f.document_id in ({{ docs }})
           or exists (select 1 from {{ ref(parties) }} p
                      where p.document_id = f.document_id and p.local_id = f.local_id
                        and p.{{ party_id }} in ({{ _new_entity_ids(docs) }}))
    {%- elif kind == 'organization' -%}
        select organization_id from {{ ref('stg_organizations') }} where document_id in ({{ docs }})
    {%- elif kind == 'person' -%}
        select person_id from {{ ref('stg_people') }}
        where document_id in ({{ docs }})
           or organization_id in ({{ _new_entity_ids(docs) }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("affected_ids: unknown kind " ~ kind) }}
    {%- endif -%}
{%- endmacro %}

{#- Subquery: the surrogate keys (surrogate_key.sql) of the affected ids of `kind`. -#}
{% macro affected_keys(kind) -%}
    select {{ surrogate_key(kind, 'a.id') }} from ({{ affected_ids(kind) }}) a(id)
{%- endmacro %}

{#- Pre-hook of an incremental model: drop the rows of the affected ids (`column` holds the natural id,
    or with keyed=true its surrogate key) before they are appended again. Nothing on a full build. -#}
{% macro delete_changed(column, kind, keyed=false) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ column }} in ({{ affected_keys(kind) if keyed else affected_ids(kind) }})
    {%- endif -%}
{%- endmacro %}

{#- The refs affected_ids reads, rendered where dbt's parser sees them (it parses with is_incremental()
    false, so the filter's refs alone would go unnoticed). -#}
{% macro affected_depends_on(kind) -%}
    -- depends_on: {{ ref('stg_changes') }}
    {%- if kind in ('event', 'pledge', 'agreement') %}
    -- depends_on: {{ ref('stg_' ~ kind ~ 's') }}, {{ ref('stg_' ~ kind ~ '_clusters') }}
    -- depends_on: {{ ref('stg_event_participants' if kind == 'event' else 'stg_' ~ kind ~ '_parties') }}
    -- depends_on: {{ ref('stg_people') }}, {{ ref('stg_organizations') }}
    {%- elif kind == 'person' %}
    -- depends_on: {{ ref('stg_people') }}, {{ ref('stg_organizations') }}
    {%- else %}
    -- depends_on: {{ ref('stg_organizations') }}
    {%- endif %}
{%- endmacro %}
