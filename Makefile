# `make` builds the sample book, `make test` runs the tests; both set up
# .venv on first use, so a fresh clone needs nothing else (Java 17+ aside).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all book test check clean distclean

all: book

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

book: $(STAMP)
	$(BIN)/bookbuild build .

test: $(STAMP)
	$(BIN)/pytest -q

check: $(STAMP)
	$(BIN)/bookbuild check dist/*.epub

clean:
	rm -rf dist

distclean: clean
	rm -rf $(VENV) .pytest_cache .hypothesis src/*.egg-info
