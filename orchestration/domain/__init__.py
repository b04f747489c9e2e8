"""Domain code: dump parsing, staging, extraction, resolution, publishing.

Nothing in this package imports Dagster, so it is unit-tested on its own and
usable from scripts and benchmarks.
"""
