{#- Table and view materializations for this project: DuckDB, one local file, models that are
    plain SELECTs. dbt-duckdb builds each model under a temporary name, renames the old relation
    away, renames the new one in, commits and drops the old one: 8-11 statements per model (plus
    an index lookup) whose dbt-side cost (~40 ms each) dominates small builds. Here: one
    `create or replace` in a transaction. Same result, same atomicity (other connections see the
    old relation until COMMIT), contracts enforced exactly as dbt-duckdb does (create_table_as
    with the contract's column types, after dbt's column check). Not supported because this
    project uses none of them: python models, grants, persist_docs, indexes, foreign keys,
    partitioned_by / sorted_by. -#}

{% macro trade_news_create_or_replace_table(relation, compiled_code) -%}
    {%- set contract_config = config.get('contract') -%}
    {%- if contract_config.enforced -%}
        {{ get_assert_columns_equivalent(compiled_code) }}
        create or replace table {{ relation }} {{ get_table_columns_and_constraints() }};
        insert into {{ relation }} {{ get_column_names() }} (
            {{ get_select_subquery(compiled_code) }}
        );
    {%- else -%}
        create or replace table {{ relation }} as (
            {{ compiled_code }}
        );
    {%- endif -%}
{%- endmacro %}

{#- One build of `this` as a relation of `kind` ('table' or 'view'), hooks around it as dbt runs them. -#}
{% macro trade_news_replace(kind) %}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type=kind) -%}
    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {%- if existing_relation is not none and existing_relation.type != kind %}
        {{ adapter.drop_relation(existing_relation) }}
    {%- endif %}
    {% call statement('main') -%}
        {%- if kind == 'table' -%}
            {{ trade_news_create_or_replace_table(target_relation, sql) }}
        {%- else -%}
            create or replace view {{ target_relation }} as (
                {{ sql }}
            );
        {%- endif -%}
    {%- endcall %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmacro %}

{% materialization table, adapter='duckdb', supported_languages=['sql'] %}
    {{ return(trade_news_replace('table')) }}
{% endmaterialization %}

{% materialization view, adapter='duckdb', supported_languages=['sql'] %}
    {{ return(trade_news_replace('view')) }}
{% endmaterialization %}
