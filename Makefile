# lfr-analysis: two commands for a newcomer.
#   make report   execute every notebook, write build/index.html
#   make test     unit tests + every notebook on a fresh kernel + lint + stripped notebooks (the
#                 committed copies: tests/test_stripped_notebooks.py)
# Both first run tools/setup_venv.py, which checks .venv (rebuilding it when it is broken, too
# old or not made here), and installs the package editable with the extras they need, every
# package at the version pinned in requirements.lock (uv when it can, else pip). Nothing is
# reinstalled when nothing changed.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
JOBS ?= 2
LINTED := $(wildcard lfr_analysis tests benchmarks notebooks tools)
NOTEBOOKS := $(wildcard notebooks/*.ipynb)
SETUP := $(PYTHON) tools/setup_venv.py --venv $(VENV)
REPORT_EXTRAS := notebooks
TEST_EXTRAS := notebooks,test,dev,export
UV = $(or $(wildcard $(BIN)/uv),$(shell command -v uv),$(error make lock needs uv: pip install uv))
# make lock: re-resolve requirements.lock for every platform, keeping each pin that still fits.
LOCK_FLAGS := --all-extras --universal --python-version 3.11 --custom-compile-command "make lock"

# The Met's PDFs: data/raw/ (lfr-analysis data fetch) unless it holds none and a shared copy
# lies beside the checkout. The package itself only reads LFR_SOURCES_DIR, then data/raw/.
SHARED_SOURCES := $(abspath ../shared/sources/met)
ifeq ($(origin LFR_SOURCES_DIR),undefined)
ifeq ($(wildcard data/raw/*.pdf),)
ifneq ($(wildcard $(SHARED_SOURCES)/*.pdf),)
export LFR_SOURCES_DIR := $(SHARED_SOURCES)
endif
endif
endif

.PHONY: report test lint format bench lock lock-upgrade citation venv-report venv-test clean distclean help

help:
	@echo "make report     build the whole report into build/ (all notebooks executed, figures, HTML)"
	@echo "make test       run every test: unit tests, notebooks (nbmake), ruff, stripped notebooks"
	@echo "make format     apply ruff format and strip notebook outputs"
	@echo "make bench      run the benchmark scripts"
	@echo "make lock       refresh requirements.lock after a change to pyproject.toml's dependencies"
	@echo "make lock-upgrade  move requirements.lock to the newest versions pyproject.toml allows"
	@echo "make citation   rewrite CITATION.cff from the package version and the data"
	@echo "make clean      remove build/ (keeps .venv)"
	@echo "make distclean  remove build/, .venv and the tools' caches (the next make rebuilds all)"

venv-report:
	@$(SETUP) --extras $(REPORT_EXTRAS)

venv-test:
	@$(SETUP) --extras $(TEST_EXTRAS)

report: venv-report
	$(BIN)/lfr-analysis report

test: venv-test lint
	$(BIN)/lfr-analysis data import-reference --check --skip-missing
	$(BIN)/python -m pytest -n $(JOBS) --nbmake $(wildcard tests notebooks)

lint: venv-test
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: venv-test
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)
	$(if $(NOTEBOOKS),$(BIN)/nbstripout $(NOTEBOOKS))

bench: venv-test
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lock: venv-test
	$(UV) pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.lock
	$(BIN)/python tools/pin_environment.py

lock-upgrade: venv-test
	$(UV) pip compile pyproject.toml $(LOCK_FLAGS) --upgrade -o requirements.lock
	$(BIN)/python tools/pin_environment.py

citation: venv-report
	$(BIN)/lfr-analysis cite --cff > CITATION.cff.tmp && mv CITATION.cff.tmp CITATION.cff

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV) dist .pytest_cache .ruff_cache .hypothesis
