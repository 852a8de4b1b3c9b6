# lfr-analysis: two commands for a newcomer.
#   make report   execute every notebook, write build/index.html
#   make test     unit tests + every notebook on a fresh kernel + lint + stripped-notebook check
# Both create .venv with the standard library's venv when it is missing, and (re)install the
# package editable with the extras they need whenever pyproject.toml is newer than the last
# install. Nothing is reinstalled when nothing changed.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
JOBS ?= 2
LINTED := $(wildcard lfr_analysis tests benchmarks notebooks)
NOTEBOOKS := $(wildcard notebooks/*.ipynb)

.PHONY: report test lint format strip bench clean help

help:
	@echo "make report   build the whole report into build/ (all notebooks executed, figures, HTML)"
	@echo "make test     run every test: unit tests, notebooks (nbmake), ruff, stripped notebooks"
	@echo "make format   apply ruff format and strip notebook outputs"
	@echo "make bench    run the benchmark scripts"
	@echo "make clean    remove build/ (keeps .venv)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-report: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[notebooks]"
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[notebooks,test,dev]"
	@touch $@ $(VENV)/.installed-report

report: $(VENV)/.installed-report
	$(BIN)/lfr-analysis report

test: $(VENV)/.installed-test lint
	$(if $(NOTEBOOKS),$(BIN)/nbstripout --verify $(NOTEBOOKS))
	$(BIN)/lfr-analysis data import-reference --check --skip-missing
	$(BIN)/python -m pytest -n $(JOBS) --nbmake $(wildcard tests notebooks)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: $(VENV)/.installed-test
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)
	$(if $(NOTEBOOKS),$(BIN)/nbstripout $(NOTEBOOKS))

bench: $(VENV)/.installed-test
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf build
