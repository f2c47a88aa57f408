"""Pandoc's own Markdown test suite (../shared/corpus/pandoc-suite), which
holds real errors on purpose, stops with exactly those in one run, each with
its code, file and line (issue 24). Each link to nowhere is located by Pandoc
readings of the chapter's text up to a line, 15 to 30 seconds on the CI
machine, so this module is left out of ``make test`` and runs as its own step
of ``.ci/run``."""

from pathlib import Path

import pytest

from bookbuild import BuildOptions, build_book
from bookbuild.errors import BookbuildError

SUITE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pandoc-suite"


def test_pandoc_s_test_suite_reports_all_its_errors_in_one_run(tmp_path):
    with pytest.raises(BookbuildError) as info:
        build_book(SUITE, BuildOptions(check=False, formats=("epub",), out_dir=tmp_path / "out"))
    assert not (tmp_path / "out").exists()
    found = [(p.file.name, p.line, p.code) for p in info.value.problems]
    one, two = "01-testsuite.md", "02-reader-more.md"
    nowhere = "link-nowhere"
    assert found == [
        # a link in a heading, the <script>, a link in emphasis
        (one, 12, nowhere), (one, 387, "active-content"), (one, 470, nowhere),
        # [URL](/url/), its titles after a space, two spaces, a tab, quotes...
        *[(one, line, nowhere) for line in (603, 605, 607, 609, 611, 613, 615)],
        # reference definitions: [a]: /url/, [once]..[thrice] indented, [b], titles with quotes
        *[(one, line, nowhere) for line in (625, 639, 640, 642, 646, 650, 652)],
        (one, 660, nowhere), (one, 662, nowhere),  # /script?foo=1&bar=2, inline and <pointy>
        (two, 14, nowhere), (two, 17, nowhere),  # a blank line before a definition's URL
        # URLs with spaces: three inline links (one wrapped to line 43), then a relative one
        (two, 41, nowhere), (two, 43, nowhere), (two, 44, nowhere), (two, 45, nowhere),
        (two, 49, nowhere), (two, 50, nowhere), (two, 51, nowhere),  # [baz] [bam] [bork]
        (two, 123, nowhere), (two, 150, nowhere), (two, 151, nowhere),
        # [My other header] takes the definition above it: shown at the reference's line
        (two, 185, nowhere),
        (two, 189, "id-duplicate"),  # the heading in a block quote that repeats #foobar
        (two, 317, nowhere), (two, 325, nowhere), (two, 329, nowhere), (two, 331, nowhere),
        (two, 335, nowhere), (two, 339, nowhere), (two, 366, nowhere),
    ]
    assert [p.message for p in info.value.problems if p.line == 185] == [
        "link to /foo: /foo is not a chapter of this book (links can lead to chapters and "
        "to web addresses)"]
