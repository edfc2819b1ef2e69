# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: install run test lint bench demo clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

run: install
	$(BIN)/tanggap db upgrade
	$(BIN)/tanggap train --if-missing
	$(BIN)/tanggap demo --if-empty
	$(BIN)/tanggap serve --port $(PORT)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

# make bench DB=postgresql+psycopg://postgres@127.0.0.1:5432/bench runs the store and console
# figures on PostgreSQL (the database is created and filled when missing); default: SQLite.
# The ingest and reply benchmarks run on SQLite only so far.
BENCH_DB = $(if $(DB),--db $(DB))

bench: install
	$(BIN)/python benchmarks/store_bench.py $(BENCH_DB)
	$(BIN)/python benchmarks/ingest_bench.py
	$(BIN)/python benchmarks/alert_bench.py
	$(BIN)/python benchmarks/classifier_bench.py
	$(BIN)/python benchmarks/console_bench.py $(BENCH_DB)
	$(BIN)/python benchmarks/webhook_bench.py
	$(BIN)/python benchmarks/reply_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache
