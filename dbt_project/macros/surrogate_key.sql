{#- Stable surrogate key: md5('<kind>|' || natural id). Null natural id -> null key. -#}
{% macro surrogate_key(kind, expr) -%}
    md5('{{ kind }}|' || ({{ expr }}))
{%- endmacro %}
