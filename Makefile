# Mutualis: `make run` serves the demo, `make test` runs the whole suite. Both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: help install install-test run test test-fast bench data clean

help:
	@echo "make run   – installe, prépare la base SQLite, charge la démo et sert http://$(HOST):$(PORT) (avec le travailleur des documents)"
	@echo "make test  – installe ce qui manque et lance toute la suite (SQLite, PostgreSQL, navigateur)"

install:
	@scripts/install.sh

install-test:
	@scripts/install.sh --test

# The links of the e-mails (invitations, notifications) name the address the demo is served on.
run: export MUTUALIS_SITE_URL ?= http://$(HOST):$(PORT)
run: install
	.venv/bin/mutualis migrate --noinput
	.venv/bin/mutualis demo --si-vide --dsn
	@.venv/bin/mutualis logins-demo
	@scripts/serve.sh $(HOST) $(PORT)

test: install-test
	@scripts/test.sh

test-fast: install-test
	.venv/bin/pytest -q -m "not e2e" -n 2

bench: install
	.venv/bin/python bench/run_all.py

data:
	.venv/bin/python scripts/build_official_data.py

clean:
	rm -rf .venv .tools var/test-*
