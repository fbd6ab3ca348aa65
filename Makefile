# Mutualis: `make run` serves the demo, `make test` runs the whole suite. Both install what is missing.
# `make serve` serves in production mode (README, « Production »); `make charge` is its load test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: help install install-test install-production run serve test test-fast bench charge audit data clean

help:
	@echo "make run   – installe, prépare la base SQLite, charge la démo et sert http://$(HOST):$(PORT) (avec les travailleurs des tâches)"
	@echo "make serve – mode production : gunicorn, PostgreSQL, fichiers statiques, travailleurs des tâches sur http://$(HOST):$(PORT)"
	@echo "             (ALLOWED_HOSTS, MUTUALIS_SITE_URL, EMAIL_HOST requis : voir le README, « Production »)"
	@echo "make test  – installe ce qui manque et lance toute la suite (SQLite, PostgreSQL, navigateur)"
	@echo "make charge – test de charge du mode production sur la démo (50 utilisateurs, 60 s, p95 < 300 ms)"
	@echo "make audit – les dépendances verrouillées face aux avis de sécurité publiés (pip-audit, réseau requis)"

install:
	@scripts/install.sh

install-test:
	@scripts/install.sh --test

install-production:
	@scripts/install.sh --production

# The links of the e-mails (invitations, notifications) name the address the demo is served on.
run: export MUTUALIS_SITE_URL ?= http://$(HOST):$(PORT)
run: install
	.venv/bin/mutualis migrate --noinput
	.venv/bin/mutualis demo --si-vide --dsn
	@.venv/bin/mutualis logins-demo
	@scripts/serve.sh $(HOST) $(PORT)

# Production mode: scripts/serve-production.sh (its own PostgreSQL under var/postgres without DATABASE_URL).
serve: install-production
	@scripts/serve-production.sh $(HOST) $(PORT)

test: install-test
	@scripts/test.sh

test-fast: install-test
	.venv/bin/pytest -q -m "not e2e" -n 2

bench: install
	.venv/bin/python bench/run_all.py

# The production server on the demo in a temporary var/, under locust (bench/charge/run.py --help).
charge: install
	.venv/bin/python bench/charge/run.py $(CHARGE)

# The locked dependencies against published advisories: pip-audit needs the advisory database (network).
audit: install-test
	.tools/bin/uv export --frozen --all-groups --no-hashes --no-emit-project --format requirements-txt > var/exigences-audit.txt
	.venv/bin/pip-audit --disable-pip --no-deps -r var/exigences-audit.txt

data:
	.venv/bin/python scripts/build_official_data.py

clean:
	rm -rf .venv .tools var/test-*
