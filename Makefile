# Everything a fresh clone needs, on a machine with only Python 3.11, pip and make.
# Paths honour WAREHOUSE_RAW_DIR, WAREHOUSE_DB_PATH and DAGSTER_HOME (see README).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DAGSTER_HOME

.PHONY: setup refresh rebuild rollback test lint dev dev-postgres stop-postgres docs sql duckdb1-venv dashboard clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check "uv==0.13.9"
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

## The dbt manifest Dagster reads, made once here (never on import), for the configured working database so
## that dbt builds keep its partial parse. Rebuilt when any dbt file is newer.
MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project/dbt_project.yml dbt_project/profiles.yml dbt_project/models dbt_project/seeds \
	dbt_project/macros $(wildcard dbt_project/tests) -type f 2>/dev/null)
WORK_DB = $$($(BIN)/python -c 'from orchestration.domain.warehouse.config import load_config; print(load_config().work_db)')

$(MANIFEST): $(STAMP) $(DBT_SOURCES)
	PATH="$(CURDIR)/$(BIN):$$PATH" WAREHOUSE_WORK_DB=$(WORK_DB) $(BIN)/dagster-dbt project prepare-and-package --file orchestration/dbt_project.py \
	  > /dev/null
	@touch $(MANIFEST)

setup: $(STAMP) $(MANIFEST)
	@mkdir -p "$(DAGSTER_HOME)"
	@[ -f "$(DAGSTER_HOME)/dagster.yaml" ] || cp .dagster_home/dagster.yaml "$(DAGSTER_HOME)/dagster.yaml"

## The main job: bring the warehouse up to date with the landing folder, through Dagster.
refresh: setup
	$(BIN)/python -m orchestration.refresh

## Full rebuild from raw: drop the working database, then refresh (same marts, same keys).
rebuild: setup
	$(BIN)/python -m orchestration.domain.warehouse.rebuild
	$(MAKE) refresh

## Put a kept warehouse back for readers: the previous one, or VERSION=N; ARGS=--list prints the versions,
## REASON="..." is recorded with it (docs/operations.md).
rollback: setup
	$(BIN)/python -m orchestration.rollback $(VERSION) $(ARGS) $(if $(REASON),--reason "$(REASON)")

test: setup duckdb1-venv
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .

## The UI and the daemon. The webserver has no authentication: it listens on loopback unless DEV_HOST says
## otherwise (put an authenticating proxy in front before exposing it). DEV_ARGS: more `dagster dev` options.
DEV_HOST ?= 127.0.0.1
DEV_PORT ?= 3000
dev: setup
	$(BIN)/dagster dev -w workspace.yaml -h $(DEV_HOST) -p $(DEV_PORT) $(DEV_ARGS)

## The analysts' dashboard on the published warehouse, read-only (docs/dashboard.md): 127.0.0.1 only,
## port DASHBOARD_PORT (default 8501).
dashboard: setup
	$(BIN)/python dashboard/launch.py

## Dagster on PostgreSQL, on this machine (docs/deployment.md): a PostgreSQL cluster under $(PG_ROOT) listening on
## 127.0.0.1 only (created on first use, password generated and kept there), and `dagster dev` on 127.0.0.1 with
## DAGSTER_HOME on the deployment profile deploy/dagster.yaml. `make stop-postgres` stops the cluster.
PG_ROOT ?= $(CURDIR)/.pg
LOCAL_PG = $(BIN)/python -m orchestration.deploy.local_postgres --root "$(PG_ROOT)"

dev-postgres: setup
	$(LOCAL_PG) start
	@mkdir -p "$(PG_ROOT)/dagster_home"
	@cp deploy/dagster.yaml "$(PG_ROOT)/dagster_home/dagster.yaml"
	env $$($(LOCAL_PG) env) DAGSTER_HOME="$(PG_ROOT)/dagster_home" $(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1

stop-postgres:
	$(LOCAL_PG) stop

## dbt docs (catalog of every table and column) from the working database of the last refresh. Absolute paths
## and a target folder of its own, so the pipeline's partial-parse state (seed paths) is left alone.
docs: setup
	WAREHOUSE_WORK_DB=$(WORK_DB) \
	  $(BIN)/dbt docs generate --project-dir $(CURDIR)/dbt_project --profiles-dir $(CURDIR)/dbt_project \
	  --target-path $(CURDIR)/dbt_project/target/docs

## An interactive read-only SQL session on the published warehouse (WAREHOUSE_DB_PATH), in the DuckDB CLI of
## the environment (duckdb-cli 1.5.6); `make sql SQL="select ..."` runs one statement and exits.
sql: $(STAMP)
	@$(BIN)/python -m orchestration.sql

## A reader's environment of its own: DuckDB 1.4.4 (what most BI drivers embed) with the SQLAlchemy dialect
## BI tools use. The tests open the published warehouse with it (docs/publishing.md).
DUCKDB1_VENV ?= .venv-duckdb1
DUCKDB1_PINS := duckdb==1.4.4 duckdb-engine==0.17.0 sqlalchemy==2.0.44
$(DUCKDB1_VENV)/.installed: $(STAMP)
	rm -rf $(DUCKDB1_VENV)
	$(PYTHON) -m venv --without-pip $(DUCKDB1_VENV)
	$(BIN)/uv pip install -q --python $(DUCKDB1_VENV)/bin/python $(DUCKDB1_PINS)
	touch $@

duckdb1-venv: $(DUCKDB1_VENV)/.installed

clean:
	rm -rf warehouse dbt_project/target dbt_project/logs
