"""Real projects from ../shared/corpus built as their authors keep them (issue 24).

A whole book takes most of a minute on the CI machine, so this module is left
out of ``make test`` and runs as its own step of ``.ci/run``.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.config import load_config
from bookbuild.source.manuscript import load_manuscript

from conftest import PROJECT, Epub
from test_oracle import built_notes, pandoc_notes

ADVR = PROJECT.parent / "shared" / "corpus" / "advr-bookdown"
#: What bookdown and knitr would have rewritten: none may be left as text.
MARKUP = ("@ref(", "(PART)", "[@", "```{r")

pytestmark = pytest.mark.skipif(not ADVR.is_dir(), reason=f"{ADVR} is absent (CI has it)")


def _matches(ours: str, pandocs: str) -> bool:
    """Our note's text is Pandoc's, but for each bookdown reference, which
    Pandoc leaves as ``@ref(label)`` and the book shows as its target."""
    parts = re.split(r"@ref\([^)]*\)", pandocs)
    return re.fullmatch(".+?".join(map(re.escape, parts)), ours) is not None


def test_advanced_r_as_its_author_keeps_it_builds_with_nothing_printed_as_markup(tmp_path):
    result = CliRunner().invoke(main, ["build", str(ADVR), "-o", str(tmp_path), "-f", "epub"])
    assert result.exit_code == 0, result.stderr
    assert "EPUBCheck passed" in result.stdout  # 0 errors, 0 warnings
    (path,) = tmp_path.glob("*.epub")
    book = Epub(path)
    for name in book.names:
        if name.endswith(".xhtml"):
            text = "".join(book.xml(name).itertext())
            assert not [m for m in MARKUP if m in text], name
    # Every note Pandoc finds after the chunk step, with the project's
    # bibliography and its note style (each citation a note), and no other.
    config = load_config(ADVR)
    citeproc = ("--citeproc", *(f"--bibliography={b}" for b in config.bibliography),
                f"--csl={config.csl}")
    for chapter in load_manuscript(config).chapters:
        assert chapter.markdown == "markdown"  # as pandoc_notes reads it
        ours = [text for _, text in built_notes(book, f"EPUB/text/{chapter.name}.xhtml")]
        pandocs = pandoc_notes(chapter.text, *citeproc)
        assert len(ours) == len(pandocs), chapter.source
        assert all(map(_matches, ours, pandocs)), chapter.source
