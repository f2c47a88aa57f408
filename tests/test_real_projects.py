"""Real projects from ../shared/corpus built as their authors keep them (issue 24).

A whole book takes most of a minute on the CI machine, so this module is left
out of ``make test`` and runs as its own step of ``.ci/run``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.config import load_config
from bookbuild.source.manuscript import load_manuscript

from conftest import PROJECT, Epub
from test_oracle import built_notes, pandoc_notes

ADVR = PROJECT.parent / "shared" / "corpus" / "advr-bookdown"
FLAT = ADVR.parent / "advr"
#: What bookdown and knitr would have rewritten: none may be left as text.
MARKUP = ("@ref(", "(PART)", "[@", "```{r")

pytestmark = pytest.mark.skipif(not (ADVR.is_dir() and FLAT.is_dir()),
                                reason=f"{ADVR.parent} is absent (CI has it)")


def _matches(ours: str, pandocs: str) -> bool:
    """Our note's text is Pandoc's, but for each bookdown reference, which
    Pandoc leaves as ``@ref(label)`` and the book shows as its target."""
    parts = re.split(r"@ref\([^)]*\)", pandocs)
    return re.fullmatch(".+?".join(map(re.escape, parts)), ours) is not None


def _build(book: Path, out: Path, markup: tuple[str, ...]) -> tuple[Epub, list[str]]:
    """The book built with EPUBCheck: exit 0, 0 errors and 0 warnings, none of
    ``markup`` left as text in any page; the EPUB and the warnings' lines."""
    result = CliRunner().invoke(main, ["build", str(book), "-o", str(out), "-f", "epub"])
    assert result.exit_code == 0, result.stderr
    assert "EPUBCheck passed" in result.stdout  # 0 errors, 0 warnings
    (path,) = out.glob("*.epub")
    epub = Epub(path)
    for name in epub.names:
        if name.endswith(".xhtml"):
            text = "".join(epub.xml(name).itertext())
            assert not [m for m in markup if m in text], name
    return epub, result.stderr.splitlines()


def _same_notes(book: Path, epub: Epub, *options: str) -> None:
    """Every note Pandoc finds after the chunk step, and no other."""
    for chapter in load_manuscript(load_config(book)).chapters:
        ours = [text for _, text in built_notes(epub, f"EPUB/text/{chapter.name}.xhtml")]
        pandocs = pandoc_notes(chapter.text, *options, f"--from={chapter.markdown}")
        assert len(ours) == len(pandocs), chapter.source
        assert all(map(_matches, ours, pandocs)), chapter.source


def test_advanced_r_as_its_author_keeps_it_builds_with_nothing_printed_as_markup(tmp_path):
    epub, _ = _build(ADVR, tmp_path, MARKUP)
    # with the project's bibliography and its note style, each citation a note
    config = load_config(ADVR)
    _same_notes(ADVR, epub, "--citeproc", *(f"--bibliography={b}" for b in config.bibliography),
                f"--csl={config.csl}")


def test_advanced_r_flattened_into_plain_chapters_builds_as_it_is(tmp_path):
    """The .Rmd files renamed .md in a book.yaml of their own: the chunks are
    still knitr's; with no bibliography named, citations stay as written, and
    one warning says so."""
    epub, lines = _build(FLAT, tmp_path, tuple(m for m in MARKUP if m != "[@"))
    assert [line for line in lines if line.endswith("[citation-no-bibliography]")]
    _same_notes(FLAT, epub)
