# Two commands for a fresh machine (see README): `make train` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml | sha1sum | cut -c1-12)

.PHONY: install train test lint notebooks clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

train: install
	$(BIN)/python -m train

# Re-execute the tutorials with full settings and write their .ipynb with outputs.
notebooks: install
	$(BIN)/python notebooks/execute.py

lint: install
	$(BIN)/ruff check .

# The whole suite on the TensorFlow backend, then zoo's on JAX (zoo must not need TensorFlow).
test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest
	KERAS_BACKEND=jax $(BIN)/python -m pytest tests/zoo

clean:
	rm -rf $(VENV) build *.egg-info
