"""Quarto's features a book keeps, as Quarto documents them: callouts become
styled asides, ``{{< pagebreak >}}`` a page break in print and nothing in the
EPUB, ``fig-alt`` the image's alt text and ``fig-cap`` its caption, the
project's bibliography and CSL in ``_quarto.yml`` are the book's, and the
results Quarto froze (``_freeze/``) are the chapter's."""

from __future__ import annotations

import hashlib
import json
import textwrap
from pathlib import Path

import pytest

from bookbuild import BuildOptions, build_book
from bookbuild.errors import BookbuildError
from bookbuild.chapters.paper import chapter_typst
from bookbuild.config import load_config
from bookbuild.pandoc import read_markdown
from bookbuild.pandoc.ast import elements, stringify
from bookbuild.source.manuscript import Chapter, load_manuscript

from conftest import NS, Epub
from test_crossrefs import captions_of, xrefs_of
from test_projects import _toc

DATA = Path(__file__).parent / "data"


def _read(text: str) -> dict:
    return read_markdown(textwrap.dedent(text), Path("x.qmd")).doc


def test_callouts_keep_their_kind_and_title_and_others_stay_divs():
    doc = _read("""\
        ::: {.callout-note}
        ## Heads up
        Body.
        :::

        ::: {.callout-tip title="A *tip*"}
        Body.
        :::

        ::: {.callout-other}
        ## A heading that stays
        :::
        """)
    note, tip, other = doc["blocks"]
    assert note["c"][0][1] == ["callout", "callout-note"]
    assert [b["t"] for b in note["c"][1]] == ["Div", "Para"]  # the heading is the title
    assert stringify(note["c"][1][0]) == "Heads up"
    assert tip["c"][0] == ["", ["callout", "callout-tip"], []]
    assert stringify(tip["c"][1][0]) == "A tip"
    assert other["c"][0][1] == ["callout-other"] and other["c"][1][0]["t"] == "Header"


def test_fig_alt_and_fig_cap_and_look_alikes():
    doc = _read("""\
        ![](a.png){#fig-a fig-cap="The *cap*" fig-alt="What it shows"}

        Inline ![](b.png){fig-cap="not a figure"} and mail a@fig-x.org.

        `{{< pagebreak >}}`

        Text {{< pagebreak >}} inside a paragraph.
        """)
    figure, para, code, text = doc["blocks"]
    assert figure["t"] == "Figure" and figure["c"][0][0] == "fig-a"
    assert stringify(figure["c"][1][1]) == "The cap"
    image = next(el for el in elements(figure["c"][2]) if el["t"] == "Image")
    assert stringify(image["c"][1]) == "What it shows" and image["c"][0][2] == []
    assert para["t"] == "Para" and not any(el["t"] == "Cite" for el in elements([para]))
    assert code["c"][0]["t"] == "Code"
    assert "{{<" in stringify(text["c"])


def test_a_pagebreak_is_a_page_break_in_print_only():
    text = "One.\n\n{{< pagebreak >}}\n\nTwo.\n"
    doc = read_markdown(text, Path("x.qmd")).doc
    assert doc["blocks"][1] == {"t": "Div", "c": [["", ["pagebreak"], []], []]}
    typst = chapter_typst(doc, (), "c01-x", str, False, Chapter(1, Path("x.qmd"), "chapter",
                                                                None, text)).typst
    assert "#pagebreak(weak: true)" in typst


def test_a_quarto_book_with_parts_callouts_references_and_a_bibliography(tmp_path):
    book = DATA / "quarto-features"
    report = build_book(book, BuildOptions(out_dir=tmp_path))
    assert report.artifact("epub").check.passed, report.artifact("epub").check.messages
    assert report.warnings == ()  # the page break is no shortcode left as text
    epub = Epub(report.artifact("epub").path)
    assert _toc(epub) == [("Preface", []),
                          ("Reading the Sea", [("Tides", []), ("Charts", [])]),
                          ("Gear", []), ("Bibliography", [])]
    index, _, tides, charts, gear, bibliography = epub.chapters()
    assert xrefs_of(epub, index) == [("Chapter\u00a01", "c03-tides.xhtml#sec-tides")]
    assert xrefs_of(epub, tides) == [("Figure\u00a01.1", "#fig-curve"),
                                     ("Table\u00a02.1", "c04-charts.xhtml#tbl-ports"),
                                     ("Chapter\u00a02", "c04-charts.xhtml#sec-charts")]
    assert xrefs_of(epub, gear) == [("Table\u00a02.1", "c04-charts.xhtml#tbl-ports")]
    assert xrefs_of(epub, charts) == [("Figure\u00a02.1", "#fig-chart"),
                                      ("Equation\u00a02.1", "#eq-range")]
    equation = epub.xml(charts).find(".//h:span[@id='eq-range']", NS)
    assert equation.get("class") == "equation"
    assert equation.find("h:span[@class='equation-number']", NS).text == "(2.1)"
    body = epub.xml(tides).find(".//h:body", NS)
    asides = body.findall(".//h:aside", NS)
    assert [(a.get("class"), "".join(a.find("h:p", NS).itertext()).strip()) for a in asides] == [
        ("callout callout-note", "Spring tides"),
        ("callout callout-warning", "Do not trust old tables"),
        ("callout callout-tip", "Write the times in local time.")]
    assert body.find(".//h:div[@class='pagebreak']", NS) is None
    assert [img.get("alt") for img in body.iter(f"{{{NS['h']}}}img")] == [
        "A wave that rises and falls twice between midnight and midnight"]
    assert captions_of(epub, charts) == ["Table 2.1: Ranges at spring tide",
                                         "Figure 2.1: A chart of Kestle bay"]
    words = "".join(body.itertext())
    assert "Marsh (1921)" in words and "{{<" not in words and "@" not in words
    assert "Notes on Harbour Tides" in "".join(epub.xml(bibliography).itertext())


def test_a_figure_from_include_graphics_is_shown_and_a_reference_to_no_label_is_warned(tmp_path):
    """A chunk that only includes an image has a known result, the image: a
    figure with its label, caption and alt text. A reference to a figure no
    chunk could make (a plot that never ran) is Quarto's warning, shown as
    Quarto shows it; a book.yaml book keeps it an error (test_crossrefs)."""
    (tmp_path / "_quarto.yml").write_text(
        "project: {type: book}\nbook:\n  title: Kilns\n  author: A\n  chapters: [a.qmd]\n",
        encoding="utf-8")
    (tmp_path / "kiln.png").write_bytes(_png())
    (tmp_path / "a.qmd").write_text(textwrap.dedent("""\
        # Firing

        As @fig-kiln shows, and @fig-plot would.

        ```{r}
        #| label: fig-kiln
        #| echo: false
        #| fig-cap: |
        #|   A kiln, *cold*.
        #| fig-alt: A brick kiln with its door open.
        knitr::include_graphics("kiln.png", dpi = 270)
        ```

        ```{r}
        #| label: fig-plot
        plot(1:10)
        ```
        """), encoding="utf-8")
    report = build_book(tmp_path, BuildOptions(out_dir=tmp_path / "out", check=False))
    assert [(w.code, w.line) for w in report.warnings if w.code.startswith("crossref")] == [
        ("crossref-unresolved", 3)]
    epub = Epub(report.artifact("epub").path)
    name = epub.chapters()[0]
    doc = epub.xml(name)
    figure = doc.find(".//h:figure", NS)
    assert figure.get("id") == "fig-kiln" and figure.find(".//h:img", NS).get("alt") == \
        "A brick kiln with its door open."
    assert "".join(figure.find("h:figcaption", NS).itertext()).endswith("A kiln, cold.")
    assert [href for _, href in xrefs_of(epub, name)] == ["#fig-kiln"]
    assert "?@fig-plot" in "".join(doc.itertext())


def _png() -> bytes:
    import io

    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "brown").save(out, "PNG")
    return out.getvalue()


def _frozen_project(root: Path, chapter: str, markdown: str, frozen_from: str | None = None,
                    settings: str = "") -> None:
    """A Quarto book of one chapter, with the results Quarto froze when it
    rendered it from ``frozen_from`` (by default the chapter as it is), and
    the hash Quarto stores with them: the MD5 of that text."""
    (root / "_quarto.yml").write_text(
        "project: {type: book}\nbook:\n  title: Frozen\n  author: A\n  chapters: [a.qmd]\n"
        + settings, encoding="utf-8")
    (root / "a.qmd").write_text(chapter, encoding="utf-8")
    results = root / "_freeze" / "a" / "execute-results"
    results.mkdir(parents=True)
    digest = hashlib.md5((frozen_from or chapter).encode("utf-8")).hexdigest()
    (results / "html.json").write_text(json.dumps({"hash": digest, "result": {
        "engine": "knitr", "markdown": markdown, "supporting": ["a_files"]}}), encoding="utf-8")


CHAPTER = """\
# Kilns

Before the code.

```{r}
#| label: fig-heat
plot(heat)
```

After it, as @fig-heat shows.
"""

FROZEN = """\
# Kilns

Before the code.

::: {.cell}

```{.r .cell-code}
plot(heat)
#> rising
```

::: {.cell-output-display}
![Heat over a firing.](a_files/figure-html/fig-heat-1.png){#fig-heat}
:::
:::

After it, as @fig-heat shows.
"""


def test_quartos_frozen_results_are_the_chapter(tmp_path):
    """The code's results as Quarto froze them, its figures where Quarto keeps
    them; nothing counted as never run."""
    _frozen_project(tmp_path, CHAPTER, FROZEN)
    figures = tmp_path / "_freeze" / "a" / "figure-html"
    figures.mkdir()
    (figures / "fig-heat-1.png").write_bytes(_png())
    report = build_book(tmp_path, BuildOptions(out_dir=tmp_path / "out", check=False))
    assert not [w for w in report.warnings if w.code.startswith(("knitr", "crossref"))]
    epub = Epub(report.artifact("epub").path)
    name = epub.chapters()[0]
    doc = epub.xml(name)
    assert "#> rising" in "".join(doc.itertext())
    assert doc.find(".//h:figure", NS).get("id") == "fig-heat"
    assert [href for _, href in xrefs_of(epub, name)] == ["#fig-heat"]


def test_a_problem_in_frozen_results_names_the_chapters_own_line(tmp_path):
    chapter = CHAPTER.replace("After it,", "After it[^gone],")
    _frozen_project(tmp_path, chapter, FROZEN.replace("After it,", "After it[^gone],"))
    with pytest.raises(BookbuildError) as info:
        build_book(tmp_path, BuildOptions(out_dir=tmp_path / "out", check=False))
    assert [(p.file.name, p.line, p.code) for p in info.value.problems] == [
        ("a.qmd", 10, "note-undefined")]


def test_results_frozen_from_an_older_text_are_not_the_chapter_and_say_so(tmp_path):
    """Quarto runs a chapter again when its hash is not the frozen one
    (``freeze: auto``); bookbuild runs nothing: the chapter is read as written,
    its chunk counted as never run, and one warning says why."""
    _frozen_project(tmp_path, CHAPTER.replace("Before the code.", "Before the new code."),
                    FROZEN, frozen_from=CHAPTER, settings="execute: {freeze: auto}\n")
    report = build_book(tmp_path, BuildOptions(out_dir=tmp_path / "out", formats=("epub",),
                                               check=False))
    stale = [w for w in report.warnings if w.code == "freeze-stale"]
    assert [(w.file.name, w.line) for w in stale] == [("a.qmd", None)]
    assert [(w.file.name, w.line, w.message) for w in report.warnings
            if w.code == "knitr-chunk"] == [
        ("a.qmd", 5, "1 R code chunk never ran: the book shows it as code, not its results; "
                     "run knitr or Quarto first, or remove it")]
    epub = Epub(report.artifact("epub").path)
    text = "".join(epub.xml(epub.chapters()[0]).itertext())
    assert "plot(heat)" in text and "#> rising" not in text


def test_freeze_true_takes_the_frozen_results_however_old(tmp_path):
    _frozen_project(tmp_path, CHAPTER.replace("Before the code.", "Before the new code."),
                    FROZEN, frozen_from=CHAPTER, settings="execute:\n  freeze: true\n")
    manuscript = load_manuscript(load_config(tmp_path))
    (chapter,) = manuscript.chapters
    assert "#> rising" in chapter.text and chapter.never_ran == () and manuscript.notices == ()


@pytest.mark.parametrize("project, own, used", [
    ("", "execute: {freeze: true}\n", True),
    ("execute: {freeze: true}\n", "execute: {freeze: auto}\n", False),
])
def test_the_chapters_own_freeze_decides_over_the_projects(tmp_path, project, own, used):
    chapter = f"---\n{own}---\n\n" + CHAPTER
    _frozen_project(tmp_path, chapter.replace("Before the code.", "Before the new code."),
                    FROZEN, frozen_from=chapter, settings=project)
    manuscript = load_manuscript(load_config(tmp_path))
    assert ("#> rising" in manuscript.chapters[0].text) is used
    assert [n.code for n in manuscript.notices] == ([] if used else ["freeze-stale"])


def test_the_hash_is_quartos_md5_of_the_text_with_lf_line_endings(tmp_path):
    """A chapter saved with a BOM and CRLF is frozen under the MD5 of its text
    with LF endings (quarto-cli's ``freezeInputHash``): that of "# Frozen\\n\\nx\\n"."""
    _frozen_project(tmp_path, "", "# Frozen\n\nx\n\n```\n## 1\n```\n")
    (tmp_path / "a.qmd").write_bytes("\ufeff# Frozen\r\n\r\nx\r\n".encode("utf-8"))
    stored = tmp_path / "_freeze" / "a" / "execute-results" / "html.json"
    stored.write_text(stored.read_text().replace(hashlib.md5(b"").hexdigest(),
                                                 "f9efce1ad7f5210fc73c898bd2cb9d1c"))
    manuscript = load_manuscript(load_config(tmp_path))
    assert manuscript.notices == () and "## 1" in manuscript.chapters[0].text
