# Two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test bench load docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/ndalint check corpus/ --exit-zero

test: $(STAMP)
	$(BIN)/ndalint test-rules
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/length.py

load: $(STAMP)
	$(BIN)/python bench/load_serve.py

docs: $(STAMP)
	$(BIN)/ndalint docs docs/rules
	$(BIN)/ndalint schema > schemas/ndalint.report-1.schema.json

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
