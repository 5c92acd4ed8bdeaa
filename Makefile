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
# Two pytest workers (pytest-xdist), even on two cores: much of the suite's time goes to
# starting Python and TensorFlow in subprocesses (python -m train, TensorBoard, Chromium)
# and waiting on them, which a second worker overlaps. Each test owns its directories and
# ports, so the order and the worker do not matter. --dist loadgroup keeps the tests of the
# english run they share (about two minutes; tests/conftest.py groups them) on one worker,
# so it is trained once rather than once per worker.
TEST_WORKERS ?= 2
test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup
	KERAS_BACKEND=jax $(BIN)/python -m pytest -n $(TEST_WORKERS) tests/zoo

clean:
	rm -rf $(VENV) build *.egg-info
