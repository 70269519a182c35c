# The two commands of the README are the contract: `make run` and `make test`.
# Everything else here is a helper they (or developers) call.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup run test lint i18n readme bench bench-http clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

setup: ## venv, PostgreSQL role and Odoo config (idempotent)
	@scripts/setup.sh

run: ## set up, install or upgrade the demo database "kommune" and serve it on :8069 (WORKERS=4: prefork)
	@WORKERS=$(WORKERS) scripts/run.sh

test: ## set up, build a fresh test database and run the whole suite
	@scripts/test.sh $(ARGS)

lint: ## ruff, pylint-odoo, README.rst up to date, XML well-formedness
	@scripts/lint.sh

i18n: ## regenerate each addon's i18n/<addon>.pot with Odoo's export and merge it into de.po
	@scripts/i18n.sh

readme: ## write each addon's README.rst from its readme/ fragments
	@$(CURDIR)/.venv/bin/python scripts/readme.py

bench: ## run the benchmarks in bench/ and print their figures
	@scripts/bench.sh $(ARGS)

bench-http: ## public registration through personal links vs /web/login, 4 workers over HTTP
	@scripts/bench_http.sh

clean: ## drop the databases KI_DB, KI_TEST_DB (and its copies), KI_I18N_DB, KI_BENCH_DB name and local state (keeps .venv)
	@scripts/clean.sh
