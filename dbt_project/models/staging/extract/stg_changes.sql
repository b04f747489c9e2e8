-- Changes the marts do not reflect yet (grain: kind, id); read by the incremental models
-- (macros/incremental.sql). A row's seq is when it was logged; an id logged twice counts once.
select distinct
    cast(kind as varchar) as kind,
    cast(id as varchar)   as id
from {{ source('extract', 'changes') }}
