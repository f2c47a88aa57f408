# `make` builds the sample book, `make test` runs the tests; both set up
# .venv on first use, so a fresh clone needs nothing else (Java 17+ aside;
# the reader tests and `bookbuild preview` need Node.js, npm and Chromium).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

READER := src/bookbuild/data/reader
READER_STAMP := $(READER)/node_modules/.installed

.PHONY: all book test check screenshots print-themes wheel clean distclean

all: book

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

book: $(STAMP) $(READER_STAMP)
	$(BIN)/bookbuild build .

# The reading systems (foliate-js, epub.js) at the versions package-lock.json pins.
$(READER_STAMP): $(READER)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --prefix $(READER) && touch $@; \
	else \
	  echo "make: no npm: the reader tests will be skipped (apt-get install --no-install-recommends nodejs npm chromium)"; \
	fi

# The layering contract first (no import cycle: .importlinter), then the
# default suite: unit tests per stage and end-to-end builds. The long suites
# run in their own steps of .ci/run, at their large settings: the Pandoc
# oracle, fault injection, the fuzz test of hostile books, scoped checks
# against whole-book checks, the generated print book, the checker process's
# lifetime (each test starts its own Java), the real books of ../shared (bookdown
# projects, Pandoc's test suite, printed books to import) and the reader engines (Chromium with
# foliate-js and epub.js, the committed screenshots). Run one here with
# e.g. `.venv/bin/pytest tests/test_readers.py`. PYTEST_ARGS: more pytest arguments.
# The tests run in two processes (pytest-xdist), one per core of the machines
# CI runs on; each has its own cache and checker (tests/conftest.py).
LONG_SUITES := --ignore=tests/test_oracle.py --ignore=tests/test_faults.py \
  --ignore=tests/test_scoped_check.py --ignore=tests/test_fuzz.py \
  --ignore=tests/test_check_service.py --ignore=tests/test_readers.py \
  --ignore=tests/test_screenshots.py \
  --ignore=tests/test_real_projects.py --ignore=tests/test_print_real.py \
  --ignore=tests/test_import_real.py \
  --ignore=tests/test_pandoc_suite.py \
  --deselect=tests/test_print.py::test_generated_book_pdf_and_epub_agree_and_rebuild_identically
test: $(STAMP) $(READER_STAMP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -q -n 2 $(LONG_SUITES) $(PYTEST_ARGS)

# The sample book's screenshots in each theme, its EPUB's and its print edition's
# (pdf-*.png), committed so a change in the look
# shows in review (tests/test_screenshots.py compares them with a tolerance).
THEMES := classic modern
screenshots: $(STAMP) $(READER_STAMP)
	rm -rf docs/screenshots $(addprefix dist/theme-,$(THEMES))
	for theme in $(THEMES); do \
	  $(BIN)/bookbuild build . --theme $$theme -f pdf -o dist/theme-$$theme || exit 1; \
	  $(BIN)/bookbuild preview . --theme $$theme --screenshots docs/screenshots/$$theme \
	    --pdf dist/theme-$$theme/notes-from-the-margin.pdf || exit 1; \
	done

# The sample's print edition in each theme (dist/theme-NAME/), to look at side by side.
print-themes: $(STAMP)
	for theme in $(THEMES); do \
	  $(BIN)/bookbuild build . --theme $$theme -f pdf -o dist/theme-$$theme || exit 1; \
	done

# A wheel for pip or pipx, with the reading systems inside (dist/wheel/).
wheel: $(STAMP) $(READER_STAMP)
	rm -rf dist/wheel build src/*.egg-info
	$(BIN)/pip wheel --quiet --no-deps -w dist/wheel .

check: $(STAMP)
	$(BIN)/bookbuild check dist/*.epub

clean:
	rm -rf dist

distclean: clean
	rm -rf $(VENV) .pytest_cache .hypothesis src/*.egg-info $(READER)/node_modules
