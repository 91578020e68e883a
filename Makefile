# The two commands of the README:
#   make notebooks   open the notebooks in Jupyter (sets up .venv on first use)
#   make test        run every test and every notebook, small (sets up .venv too)
# And for maintainers:
#   make build       regenerate playgrounds, hidden helper cells, README table
#   make bench NB=03 run a solution notebook at full size, record the figures
#                    (BACKEND=jax DEVICES=8: on 8 simulated JAX devices, as on an 8-core TPU;
#                     REPLICAS=8: on TensorFlow as if on 8 replicas, their global batch on one device;
#                     SET='EPOCHS=3' to change parameters; STOP_AT='Heading' to stop there;
#                     SEED=1 to seed every random generator)
#   make lint        ruff over the Python code

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

# The fresh-runtime tests run the notebooks in Colab's package versions, which need
# Colab's Python, 3.13: python3.13 on the PATH, or one that pyenv installed.
COLAB_VENV := .venv-colab
COLAB_INSTALLED := $(COLAB_VENV)/.installed
# The TPU runtime's packages, without TensorFlow (tests/test_tpu_runtime.py).
TPU_VENV := .venv-tpu
TPU_INSTALLED := $(TPU_VENV)/.installed
PYENV_PYTHONS := $(wildcard $(addsuffix /versions/3.13*/bin/python3.13,$(PYENV_ROOT) $(HOME)/.pyenv))
PYTHON_COLAB ?= $(firstword $(foreach p,python3.13 $(PYENV_PYTHONS),\
	$(shell $(p) -c 'import sys; sys.version_info[:2] == (3, 13) and print("$(p)")' 2>/dev/null)))

.PHONY: notebooks test build bench lint

$(INSTALLED): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
	touch $@

$(COLAB_INSTALLED): tests/colab_cpu_runtime.txt
	test -x $(COLAB_VENV)/bin/python || $(PYTHON_COLAB) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/python -m pip install --disable-pip-version-check --quiet -r tests/colab_cpu_runtime.txt
	touch $@

$(TPU_INSTALLED): tests/colab_tpu_runtime.txt
	test -x $(TPU_VENV)/bin/python || $(PYTHON_COLAB) -m venv $(TPU_VENV)
	$(TPU_VENV)/bin/python -m pip install --disable-pip-version-check --quiet -r tests/colab_tpu_runtime.txt
	touch $@

# Jupyter refuses to run as root (as in many containers) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

notebooks: $(INSTALLED)
	$(BIN)/jupyter notebook $(ALLOW_ROOT) notebooks/

# Two pytest workers (pytest-xdist), each notebook's cells kept together on one.
PYTEST_ARGS ?= -n 2 --dist loadfile

test: $(INSTALLED) $(if $(PYTHON_COLAB),$(COLAB_INSTALLED) $(TPU_INSTALLED))
	$(if $(PYTHON_COLAB),,@echo 'No Python 3.13 found: the fresh-runtime and TPU-runtime tests (Colab versions) will be skipped.')
	$(BIN)/python -m pytest $(PYTEST_ARGS)

build: $(INSTALLED)
	$(BIN)/python tools/build_notebooks.py

bench: $(INSTALLED)
	@test -n "$(NB)" || { echo 'Usage: make bench NB=01 (the notebook number)'; exit 2; }
	$(BIN)/python tools/bench.py $(NB) $(if $(BACKEND),--backend $(BACKEND)) $(if $(DEVICES),--devices $(DEVICES)) $(if $(REPLICAS),--replicas $(REPLICAS)) $(if $(SEED),--seed $(SEED)) \
		$(foreach p,$(SET),--set $(p)) $(if $(STOP_AT),--stop-at '$(STOP_AT)') $(if $(RESUMABLE),--resumable)

lint: $(INSTALLED)
	$(BIN)/ruff check utils tools tests
