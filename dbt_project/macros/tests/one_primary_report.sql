{#- Generic test on a fact-document bridge: every row of `facts` has exactly one primary report in the
    bridge, and it is the document the fact row names (facts.document_key). Fails with the fact keys. -#}
{% test one_primary_report(model, facts, key) %}
with primaries as (
    select {{ key }},
           count(*) filter (where is_primary) as n_primary,
           any_value(document_key) filter (where is_primary) as primary_document_key
    from {{ model }}
    group by {{ key }}
)
select f.{{ key }}, p.n_primary, p.primary_document_key, f.document_key
from {{ facts }} f
left join primaries p using ({{ key }})
where p.n_primary is distinct from 1 or p.primary_document_key is distinct from f.document_key
{% endtest %}
