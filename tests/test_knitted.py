"""An R Markdown chapter knitr already knitted is read as the Markdown knitr
wrote (``projects/knitted.py``): beside it (``knitr::knit``, rmarkdown's
``keep_md``), or in a bookdown project's output folder (``new_session: yes``),
its figures where bookdown leaves them; never when older than the chapter.
Its lines map back to the chapter's, and no chunk of it counts as never run."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from bookbuild import BuildOptions, build_book
from bookbuild.config import load_config
from bookbuild.errors import BookbuildError
from bookbuild.projects.computed import computed
from bookbuild.source.manuscript import load_manuscript

from conftest import NS, Epub

CHAPTER = """\
# Kilns

A firing lasts `r hours` hours.

```{r heat, fig.cap = "Heat"}
x <- 1 + 1
x
plot(heat)
```

After it.
"""

# What knitr's markdown hooks write of it (R/hooks-md.R): the source fenced
# with its language, the output fenced with knitr's "##" comment, the plot an
# image under fig.path; the inline expression its value.
KNITTED = """\
# Kilns

A firing lasts 12 hours.


```r
x <- 1 + 1
x
```

```
## [1] 2
```

```r
plot(heat)
```

![Heat](figure/heat-1.png)

After it.
"""


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "brown").save(out, "PNG")
    return out.getvalue()


def _older(path: Path, than: Path, seconds: float = 60) -> None:
    stamp = than.stat().st_mtime_ns - int(seconds * 10**9)
    os.utime(path, ns=(stamp, stamp))


def _book(root: Path, knitted: str | None = KNITTED, chapter: str = CHAPTER) -> Path:
    """A book of one R Markdown chapter, knitted beside it by ``knitr::knit``."""
    (root / "book.yaml").write_text("title: Knitted\nlanguage: en\nauthor: A\n"
                                    "chapters: [kilns.Rmd]\n", encoding="utf-8")
    (root / "kilns.Rmd").write_text(chapter, encoding="utf-8")
    if knitted is not None:
        (root / "kilns.md").write_text(knitted, encoding="utf-8")
        (root / "figure").mkdir()
        (root / "figure" / "heat-1.png").write_bytes(_png())
    return root


def test_a_knitted_chapter_is_read_as_knitr_wrote_it(tmp_path):
    report = build_book(_book(tmp_path), BuildOptions(out_dir=tmp_path / "out",
                                                      formats=("epub",), check=False))
    assert not [w for w in report.warnings if w.code.startswith("knitr")]
    epub = Epub(report.artifact("epub").path)
    body = epub.xml(epub.chapters()[0]).find(".//h:body", NS)
    text = "".join(body.itertext())
    assert "## [1] 2" in text and "12 hours" in text and "`r" not in text
    assert [img.get("alt") for img in body.iter(f"{{{NS['h']}}}img")] == ["Heat"]


def test_the_knitted_file_dates_the_book_when_it_is_the_newest_input(tmp_path):
    """Without git or SOURCE_DATE_EPOCH the book's date is its newest input's,
    and the knitted file is one: knitting again makes a newer book."""
    _book(tmp_path)
    knitted = 1_700_000_000
    for path in (tmp_path / "book.yaml", tmp_path / "kilns.Rmd",
                 tmp_path / "figure" / "heat-1.png"):
        os.utime(path, (knitted - 3600, knitted - 3600))
    os.utime(tmp_path / "kilns.md", (knitted, knitted))
    report = build_book(tmp_path, BuildOptions(out_dir=tmp_path / "out", formats=("epub",),
                                               check=False))
    modified = Epub(report.artifact("epub").path).opf.find(
        ".//opf:meta[@property='dcterms:modified']", NS).text
    assert modified == "2023-11-14T22:13:20Z"


def test_a_knitted_file_older_than_its_chapter_is_not_its_results(tmp_path):
    _book(tmp_path)
    _older(tmp_path / "kilns.md", tmp_path / "kilns.Rmd")
    (chapter,) = load_manuscript(load_config(tmp_path)).chapters
    assert "## [1] 2" not in chapter.text and chapter.never_ran == (("r", 1, 5),)


def test_a_knitted_file_a_checkout_wrote_a_moment_before_its_chapter_is_its_results(tmp_path):
    """git writes kilns.html.md before kilns.qmd, and bookdown's _book/index.md
    before index.Rmd: a moment apart is the same time."""
    _book(tmp_path)
    _older(tmp_path / "kilns.md", tmp_path / "kilns.Rmd", seconds=0.5)
    (chapter,) = load_manuscript(load_config(tmp_path)).chapters
    assert "## [1] 2" in chapter.text and chapter.never_ran == ()


def test_without_a_knitted_file_the_chunks_never_ran(tmp_path):
    (chapter,) = load_manuscript(load_config(_book(tmp_path, knitted=None))).chapters
    assert chapter.never_ran == (("r", 1, 5),) and chapter.origins == ()


def test_a_problem_in_a_knitted_chapter_names_the_chapters_own_line(tmp_path):
    _book(tmp_path, KNITTED.replace("After it.", "After it[^gone]."),
          CHAPTER.replace("After it.", "After it[^gone]."))
    with pytest.raises(BookbuildError) as info:
        build_book(tmp_path, BuildOptions(out_dir=tmp_path / "out", formats=("epub",),
                                          check=False))
    assert [(p.file.name, p.line, p.code) for p in info.value.problems] == [
        ("kilns.Rmd", 11, "note-undefined")]


def test_each_line_maps_to_the_chapters_and_a_result_to_the_line_before():
    """The author's lines to themselves; the line whose inline expression
    knitr replaced by its value to its own line, not the one before; what
    the engine wrote to the author's line before it."""
    source = Path("kilns.Rmd")
    lines = [line for _, line in computed(source, CHAPTER, KNITTED, Path("kilns.md")).origins]
    written = KNITTED.split("\n")
    assert lines[written.index("# Kilns")] == 1
    assert lines[written.index("A firing lasts 12 hours.")] == 3
    assert lines[written.index("## [1] 2")] == lines[written.index("x")] == 7
    assert lines[written.index("After it.")] == 11


def test_bookdown_knit_and_merge_chapters_are_read_from_its_output_folder(tmp_path):
    """bookdown's new_session: yes keeps each chapter knitted in output_dir,
    its figures moved to _bookdown_files/<name>_files/ (bookdown's R/render.R)."""
    (tmp_path / "_bookdown.yml").write_text("new_session: yes\noutput_dir: docs\n")
    (tmp_path / "index.Rmd").write_text("---\ntitle: K\nauthor: A\n---\n\n" + CHAPTER,
                                        encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "---\ntitle: K\nauthor: A\n---\n\n" + KNITTED.replace(
            "figure/heat-1.png", "index_files/figure-html/heat-1.png"), encoding="utf-8")
    figures = tmp_path / "_bookdown_files" / "index_files" / "figure-html"
    figures.mkdir(parents=True)
    (figures / "heat-1.png").write_bytes(_png())
    (chapter,) = load_manuscript(load_config(tmp_path)).chapters
    assert chapter.never_ran == () and "## [1] 2" in chapter.text
    assert "](_bookdown_files/index_files/figure-html/heat-1.png)" in chapter.text


def _quarto_book(root: Path) -> Path:
    """A Quarto book of one chapter rendered with ``keep-md: true``: Quarto kept
    the Markdown its engine wrote as ``kilns.html.md``."""
    (root / "_quarto.yml").write_text("project: {type: book}\nbook:\n  title: Kept\n"
                                      "  author: A\n  chapters: [kilns.qmd]\n", encoding="utf-8")
    (root / "kilns.qmd").write_text(CHAPTER, encoding="utf-8")
    (root / "kilns.html.md").write_text(KNITTED, encoding="utf-8")
    return root


def test_the_markdown_quarto_kept_is_the_chapter(tmp_path):
    manuscript = load_manuscript(load_config(_quarto_book(tmp_path)))
    (chapter,) = manuscript.chapters
    assert "## [1] 2" in chapter.text and chapter.never_ran == () and manuscript.notices == ()
    assert chapter.computed == tmp_path / "kilns.html.md"


def test_kept_markdown_older_than_the_chapter_is_not_used(tmp_path):
    _quarto_book(tmp_path)
    _older(tmp_path / "kilns.html.md", tmp_path / "kilns.qmd")
    (chapter,) = load_manuscript(load_config(tmp_path)).chapters
    assert chapter.computed is None and chapter.never_ran == (("r", 1, 5),)
