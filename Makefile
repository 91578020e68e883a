# The two commands of the README:
#   make notebooks   open the notebooks in Jupyter (sets up .venv on first use)
#   make test        run every test and every notebook, small (sets up .venv too)
# And for maintainers:
#   make build       regenerate playgrounds, hidden helper cells, README table
#   make bench NB=03 run a solution notebook at full size, record the figures
#   make lint        ruff over the Python code

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: notebooks test build bench lint

$(INSTALLED): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
	touch $@

# Jupyter refuses to run as root (as in many containers) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

notebooks: $(INSTALLED)
	$(BIN)/jupyter notebook $(ALLOW_ROOT) notebooks/

test: $(INSTALLED)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

build: $(INSTALLED)
	$(BIN)/python tools/build_notebooks.py

bench: $(INSTALLED)
	@test -n "$(NB)" || { echo 'Usage: make bench NB=01 (the notebook number)'; exit 2; }
	$(BIN)/python tools/bench.py $(NB)

lint: $(INSTALLED)
	$(BIN)/ruff check utils tools tests
