"""Dagster definitions by concern: each module holds one stage's assets and checks (or the automation) and
exposes `defs`; `orchestration/definitions.py` only merges them."""
