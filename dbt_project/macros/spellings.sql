{#- The CTEs `spellings` and `alias_lists` of an entity merged across documents (int_people,
    int_organizations): every distinct spelling of an entity (its name in each document and each
    alias given), and per entity the sorted list of those spellings except the chosen name.
      rows:   CTE with one row per (document, entity): id_col, name_col, aliases (varchar[])
      chosen: CTE with one row per entity: id_col and the chosen name in column chosen_col -#}
{% macro spelling_alias_lists(rows, id_col, name_col, chosen, chosen_col) -%}
spellings as (
    select {{ id_col }}, {{ name_col }} as spelling from {{ rows }} where {{ name_col }} is not null
    union
    select {{ id_col }}, nullif(trim(a.alias), '') as spelling
    from {{ rows }}, unnest({{ rows }}.aliases) as a(alias)
),

alias_lists as (
    select s.{{ id_col }},
           list_sort(list(distinct s.spelling)) as aliases
    from spellings s
    left join {{ chosen }} c using ({{ id_col }})
    where s.spelling is not null
      and s.spelling is distinct from c.{{ chosen_col }}
    group by s.{{ id_col }}
)
{%- endmacro %}
