{#- Trim a text column and turn '' into null. -#}
{% macro clean_str(col) -%}
    nullif(trim(cast({{ col }} as varchar)), '')
{%- endmacro %}

{#- Lower-cased enumeration value (null when blank). -#}
{% macro clean_enum(col) -%}
    nullif(lower(trim(cast({{ col }} as varchar))), '')
{%- endmacro %}

{#- Upper-cased code (ISO country / currency), null when blank. -#}
{% macro clean_code(col) -%}
    nullif(upper(trim(cast({{ col }} as varchar))), '')
{%- endmacro %}

{#- Keep the rows of a staged extract.* relation whose document is in ingest.documents (stg_documents);
    used by the intermediate layer, so every fact points at a dim_documents row. -#}
{% macro known_documents_filter(col='document_id') -%}
    {{ col }} in (select document_id from {{ ref('stg_documents') }})
{%- endmacro %}

{#- Rank of a date precision: more precise = higher. -#}
{% macro precision_rank(col) -%}
    case {{ col }} when 'day' then 3 when 'month' then 2 when 'year' then 1 else 0 end
{%- endmacro %}

{#- Sortable "recency" string for a row: latest published document wins,
    ties broken by document_id so picks are deterministic. -#}
{% macro recency_key(date_col='published_date', id_col='document_id') -%}
    (coalesce(strftime({{ date_col }}, '%Y-%m-%d'), '0000-00-00') || '|' || {{ id_col }})
{%- endmacro %}

{#- Accepted values of the contract's enumerations (single place to extend). -#}
{% macro enum_values(kind) -%}
    {%- set values = {
        'event_type': ['forum', 'ministerial_meeting', 'bilateral_meeting', 'summit', 'ceremony', 'showcase',
                       'roundtable', 'dialogue', 'conference', 'working_group_meeting', 'negotiation_round',
                       'signing', 'visit', 'investment_declaration', 'other'],
        'date_precision': ['day', 'month', 'year', 'unknown'],
        'organization_type': ['government', 'company', 'association', 'university', 'research_institute',
                              'international', 'other'],
        'agreement_type': ['mou', 'memorandum_of_terms', 'joint_statement', 'agreement', 'letter_of_intent',
                           'treaty', 'other'],
    } -%}
    {{ return(values[kind]) }}
{%- endmacro %}

{#- Lower-cased enumeration value; anything outside the accepted values (or blank) becomes `default`. -#}
{% macro coerce_enum(col, kind, default) -%}
    case when {{ clean_enum(col) }} in (
        {%- for v in enum_values(kind) %}'{{ v }}'{% if not loop.last %}, {% endif %}{% endfor -%}
    ) then {{ clean_enum(col) }} else '{{ default }}' end
{%- endmacro %}
