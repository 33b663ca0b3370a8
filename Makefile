# Two commands for a fresh machine: `make run` and `make test`. Each creates .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test check-types clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/watcher run

# worksteal: xdist's default hands each worker a run of tests in file order, so the daemon tests
# (half the suite's time) queued on one worker; idle workers now take tests from busy ones.
test: $(VENV)/.installed
	$(BIN)/python -m pytest -q -n 3 --dist worksteal
	$(BIN)/mypy

clean:
	rm -rf $(VENV)
