"""Running the pipeline beyond one laptop: a local PostgreSQL for the Dagster instance (`make dev-postgres`,
the tests) and opening that instance with a clear message when its server is down (docs/deployment.md)."""
