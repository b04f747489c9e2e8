# Everything a fresh clone needs, on a machine with only Python 3.11, pip and make.
# Paths honour WAREHOUSE_RAW_DIR, WAREHOUSE_DB_PATH and DAGSTER_HOME (see README).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DAGSTER_HOME

.PHONY: setup refresh rebuild test lint dev docs clean

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

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .

## DEV_ARGS: more `dagster dev` options, e.g. DEV_ARGS="--port 3001".
dev: setup
	$(BIN)/dagster dev -w workspace.yaml $(DEV_ARGS)

## dbt docs (catalog of every table and column) from the working database of the last refresh. Absolute paths
## and a target folder of its own, so the pipeline's partial-parse state (seed paths) is left alone.
docs: setup
	WAREHOUSE_WORK_DB=$(WORK_DB) \
	  $(BIN)/dbt docs generate --project-dir $(CURDIR)/dbt_project --profiles-dir $(CURDIR)/dbt_project \
	  --target-path $(CURDIR)/dbt_project/target/docs

clean:
	rm -rf warehouse dbt_project/target dbt_project/logs
