"""Golden files: the sample book's package document, nav, one chapter and the
title and copyright pages, byte
for byte. A change in what bookbuild writes shows up here as a readable diff;
when it is intended, run ``pytest tests/test_golden.py --update-golden`` and
commit the new files with the change."""

from __future__ import annotations

from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
FILES = {
    "content.opf": "EPUB/content.opf",
    "nav.xhtml": "EPUB/nav.xhtml",
    "c01-01-the-first-margin.xhtml": "EPUB/text/c01-01-the-first-margin.xhtml",
    "titlepage.xhtml": "EPUB/text/titlepage.xhtml",  # written from book.yaml
    "copyright.xhtml": "EPUB/text/copyright.xhtml",
}


@pytest.mark.parametrize("golden, member", FILES.items())
def test_sample_book_matches_its_golden_files(sample_build, request, golden, member):
    _, epub = sample_build
    built = epub.files[member]
    path = GOLDEN / golden
    if request.config.getoption("--update-golden"):
        path.write_bytes(built)
    assert path.exists(), f"{path} is missing: run pytest with --update-golden"
    assert built.decode("utf-8") == path.read_text(encoding="utf-8")
