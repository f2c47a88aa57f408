"""Hostile input, round 2 (issue 27): shapes of the book's files and values
that once ended as a bug (exit 3) or a hang, each now bad input (exit 2, one
line naming the file) or handled; judged as in test_hostile.py, whose
sandbox (nothing written outside the book, no temporary left) they share.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from test_hostile import CONFIG, bb, book, refused, sandbox  # noqa: F401 (sandbox: a fixture)


# --- folders and loops where files are expected -----------------------------

def test_a_folder_named_like_a_chapter_is_refused(sandbox):
    b = book(sandbox)
    (b / "manuscript" / "02.md").mkdir()
    refused(bb("build", b, "--no-check"), "02.md", "not a regular file")


@pytest.mark.parametrize("where", ["manuscript/02.md", "listed.md"])
def test_a_chapter_that_is_a_loop_of_links_is_refused(sandbox, where):
    config = CONFIG + ("chapters: [manuscript/01.md, listed.md]\n" if where == "listed.md" else "")
    b = book(sandbox, config=config)
    (b / where).symlink_to(Path(where).name)
    line = refused(bb("build", b, "--no-check"), Path(where).name, "loop of symbolic links")
    assert where == "manuscript/02.md" or "book.yaml:4" in line


def test_a_cover_that_is_a_loop_of_links_is_refused(sandbox):
    b = book(sandbox, config=CONFIG + "cover: c.jpg\n")
    (b / "c.jpg").symlink_to("c.jpg")
    refused(bb("build", b, "--no-check"), "book.yaml:4", "'cover' file", "loop")


def test_an_image_that_is_a_loop_of_links_is_refused(sandbox):
    b = book(sandbox, {"01.md": "# One\n\n![A picture](x.png)\n"})
    (b / "manuscript" / "x.png").symlink_to("x.png")
    refused(bb("build", b, "--no-check"), "x.png", "loop of symbolic links")


def test_a_link_to_a_loop_of_links_is_a_broken_link(sandbox):
    b = book(sandbox, {"01.md": "# One\n\n[Two](../x.md)\n"})
    (b / "x.md").symlink_to("x.md")
    refused(bb("build", b, "--no-check"), "01.md:3", "x.md is not a chapter")


# --- project files ------------------------------------------------------------

def test_an_index_rmd_not_in_utf8_is_refused_with_its_line(sandbox):
    project = sandbox / "book"
    project.mkdir()
    (project / "_bookdown.yml").write_text("rmd_files: [index.Rmd]\n")
    (project / "index.Rmd").write_bytes(b"---\ntitle: \xff\xfe\n---\n# A\n")
    refused(bb("build", project, "--no-check"), "index.Rmd:2", "not UTF-8")


def _nested(levels: int) -> str:
    return "[{part: P, chapters: " * levels + "[a.qmd]" + "}]" * levels


@pytest.mark.parametrize("file, text", [
    ("_quarto.yml", "project: {type: book}\nbook:\n  title: T\n  chapters: " + _nested(3000)),
    ("book.yaml", CONFIG + "chapters: " + "[" * 3000 + "]" * 3000),
])
def test_a_reading_order_nested_3000_deep_is_refused(sandbox, file, text):
    project = sandbox / "book"
    project.mkdir()
    (project / "a.qmd").write_text("# A\n")
    (project / file).write_text(text + "\n")
    refused(bb("build", project, "--no-check"), file, "nest more than")


# --- values in book.yaml ---------------------------------------------------------

@pytest.mark.parametrize("title, words", [
    ('"T\\0x"', ("book.yaml:4", "U+0000")),  # YAML escapes allow what XML does not
    ('"T\\ud800x"', ("book.yaml:4", "U+D800")),  # a lone surrogate
    ("T\x01x", ("book.yaml:4", "U+0001", "not allowed in YAML")),  # the bytes themselves
    ("x" * 1_000_000, ("book.yaml:4", "'title' has 1,000,000 characters")),
])
def test_a_title_no_book_can_carry_is_refused_with_its_line(sandbox, title, words):
    b = book(sandbox, config="language: en\nauthor: A\nslug: s\ntitle: " + title + "\n")
    refused(bb("build", b, "--no-check"), *words)


def test_a_long_description_is_still_a_description(sandbox):
    b = book(sandbox, config=CONFIG + "description: " + "A sentence. " * 2_000 + "\n")
    assert bb("build", b, "--no-check").code == 0
