"""Reading raw dumps into schema `ingest`: the dump parser, what the sensor sees, the store."""
