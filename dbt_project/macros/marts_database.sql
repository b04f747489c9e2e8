{#- The marts are built in their own DuckDB file, attached as `marts_db`
    (profiles.yml: <working db>.marts.duckdb; dbt_project.yml: +database for
    models/marts). Publishing copies that file as it is, so it must hold
    schema `marts` and nothing else; the working database holds everything else.

    prepare_marts_database() runs before every build (on-run-start):
    * marts tables left in the working database by a build from before the
      marts had their own file are dropped (they are no longer read or published);
    * when the working database holds none of dbt's intermediate tables (a new
      or rebuilt working database), marts left in the marts file belong to
      another working database: they are dropped, so the incremental marts are
      rebuilt from this one instead of being updated. -#}
{% macro prepare_marts_database() %}
    {%- if execute -%}
        {%- set marts_dbs = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
                            | selectattr('schema', 'equalto', 'marts') | map(attribute='database') | unique | list -%}
        {%- set marts_db = marts_dbs[0] if marts_dbs | length == 1 else target.database -%}
        {%- if target.database | lower != marts_db | lower -%}
            {%- set work_name = target.database | replace("'", "''") -%}
            {%- set marts_name = marts_db | replace("'", "''") -%}
            {%- set state = run_query(
                "select"
                ~ " count(*) filter (where database_name = '" ~ work_name ~ "' and schema_name = 'marts'),"
                ~ " count(*) filter (where database_name = '" ~ work_name ~ "' and schema_name = 'intermediate'),"
                ~ " count(*) filter (where database_name = '" ~ marts_name ~ "' and schema_name = 'marts')"
                ~ " from duckdb_tables()") -%}
            {%- set legacy, built, marts = state.rows[0][0], state.rows[0][1], state.rows[0][2] -%}
            {%- if legacy > 0 -%}
                {{ log("dropping schema marts of the working database (the marts have their own file now)", info=true) }}
                {%- do adapter.drop_schema(api.Relation.create(database=target.database, schema='marts')) -%}
            {%- endif -%}
            {%- if built == 0 and marts > 0 -%}
                {{ log("new working database: rebuilding the marts from scratch", info=true) }}
                {%- set relation = api.Relation.create(database=marts_db, schema='marts') -%}
                {%- do adapter.drop_schema(relation) -%}
                {%- do adapter.create_schema(relation) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
