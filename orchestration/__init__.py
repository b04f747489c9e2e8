"""trade-news-warehouse: the Dagster code location (see definitions.py) and its domain code (domain/)."""
