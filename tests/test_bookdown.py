"""bookdown's own syntax, as bookdown rewrites it (R/html.R, R/ebook.R), read
from Pandoc's AST: ``(\\#label)`` ids, ``\\@ref(label)`` references shown as the
bare number, ``(PART)``/``(APPENDIX)`` headings as the book's parts, and the
bibliography and CSL of ``index.Rmd``; code and look-alikes are left alone."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bookbuild import BuildOptions, build_book
from bookbuild.config import load_config
from bookbuild.pandoc import read_markdown
from bookbuild.pandoc.ast import elements, identifier, stringify
from bookbuild.projects.bookdown import DIALECT
from bookbuild.source.manuscript import load_manuscript

from conftest import NS, Epub
from test_crossrefs import captions_of, xrefs_of
from test_projects import _toc


def _read(text: str) -> dict:
    return read_markdown(textwrap.dedent(text), Path("x.Rmd")).doc


def _cites(doc: dict) -> list[str]:
    return [c["citationId"] for el in elements(doc["blocks"]) if el["t"] == "Cite"
            for c in el["c"][0]]


def test_labels_set_the_ids_of_headings_figures_and_tables():
    doc = _read("""\
        # Getting started (\\#start)

        ![(\\#fig:flow) The flow of data](flow.png)

        | a |
        |---|
        | 1 |

        Table: (\\#tab:counts) Counts by year
        """)
    header, figure, table = doc["blocks"]
    assert (identifier(header), stringify(header["c"][2])) == ("start", "Getting started")
    assert identifier(figure) == "fig:flow"
    assert stringify(figure["c"][1][1]) == "The flow of data"
    image = next(el for el in elements(figure["c"][2]) if el["t"] == "Image")
    assert stringify(image["c"][1]) == "The flow of data"  # the alt text loses the label too
    assert identifier(table) == "tab:counts"
    assert stringify(table["c"][1][1]) == "Counts by year"


def test_equations_in_math_environments_are_shown_numbered_and_linked(tmp_path):
    """A math environment is raw TeX to Pandoc's reader and display math to its
    HTML writer: so in both editions here, never dropped as raw TeX; bookdown's
    (\\#eq:x) in it, or in $$...$$, numbers it, and \\@ref(eq:x) links to it."""
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "01.Rmd").write_text(
        "# Sums\n\nSee \\@ref(eq:sum) and \\@ref(eq:mean).\n\n"
        "\\begin{equation}\n  s = a + b\n  (\\#eq:sum)\n\\end{equation}\n\n"
        "$$m = s / 2 (\\#eq:mean)$$\n\n"
        "\\begin{align*}\nx &= 1\n\\end{align*}\n", encoding="utf-8")
    (tmp_path / "book.yaml").write_text("title: T\nlanguage: en\nauthor: A\n"
                                        "chapters: [manuscript/01.Rmd]\n", encoding="utf-8")
    report = build_book(tmp_path, BuildOptions(out_dir=tmp_path / "out", formats=("epub",)))
    check = report.artifact("epub").check
    assert (check.fatal, check.error, check.warning) == (0, 0, 0)
    epub = Epub(report.artifact("epub").path)
    (doc,) = epub.chapters()
    tree = epub.xml(doc)
    assert len(tree.findall(".//m:math", {"m": "http://www.w3.org/1998/Math/MathML"})) == 3
    assert [(s.getparent().get("id"), s.text) for s in tree.iterfind(
        ".//h:span[@class='equation-number']", NS)] == [("eq:sum", "(1.1)"), ("eq:mean", "(1.2)")]
    assert [text for text, _ in xrefs_of(epub, doc)] == ["1.1", "1.2"]
    assert "(\\#" not in "".join(tree.itertext())
    assert not [w for w in report.warnings if w.code in ("raw-tex", "bookdown-ref-unknown")]


def test_refs_to_the_figures_of_chunks_that_never_ran_are_one_warning(tmp_path):
    """A figure or table a chunk would make has no label when it never ran:
    one warning for all such references, at the first; another label nothing
    defines keeps its own."""
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "01.Rmd").write_text(
        "# Plots\n\nSee \\@ref(fig:curve), \\@ref(tab:counts) and \\@ref(fig:gone).\n\n"
        '```{r curve, fig.cap="A curve."}\nplot(x)\n```\n\n'
        "```{r counts}\nknitr::kable(y, caption = 'Counts')\n```\n", encoding="utf-8")
    (tmp_path / "book.yaml").write_text("title: T\nlanguage: en\nauthor: A\n"
                                        "chapters: [manuscript/01.Rmd]\n", encoding="utf-8")
    report = build_book(tmp_path, BuildOptions(out_dir=tmp_path / "out", formats=("epub",),
                                               check=False))
    assert sorted((w.line, w.message) for w in report.warnings
                  if w.code == "bookdown-ref-unknown") == [
        (3, "2 \\@ref() name the figures or tables of code chunks that never ran (the first "
            "here, \\@ref(fig:curve)): the book shows ??; run knitr first"),
        (3, "\\@ref(fig:gone) names no figure, table or heading of the book: the book shows ??")]


def test_ref_becomes_a_reference_and_look_alikes_stay_text():
    doc = _read("""\
        See Chapter \\@ref(start)), and (\\@ref(fig:flow), \\@ref(tab:counts)).

        Not these: `\\@ref(code)`, \\\\@ref(escaped), mail a@ref-x.org, (\\#not-a-heading)

            \\@ref(in-a-block)

        ## (PART) Not a level-1 heading

        # Chapter one (PART) {-}

        ## Fixed in release (#12)
        """)
    assert _cites(doc) == ["ref(start)", "ref(fig:flow)", "ref(tab:counts)", "ref"]
    # ``\\@ref(escaped)``: the backslash is text, and Pandoc reads ``@ref`` as a citation
    text = stringify(doc["blocks"][1]["c"])
    assert "`\\@ref(code)`" not in text and "(#not-a-heading)" in text
    assert "a@ref-x.org" in text
    assert doc["blocks"][2] == {"t": "CodeBlock", "c": [["", [], []], "\\@ref(in-a-block)"]}
    assert [stringify(h["c"][2]) for h in doc["blocks"][3:]] == [
        "(PART) Not a level-1 heading", "Chapter one (PART)", "Fixed in release (#12)"]
    assert "bookdown-parts" not in doc["meta"]


def test_part_and_appendix_headings_leave_the_chapter():
    doc = _read("""\
        # (PART) Foundations {-}

        # (APPENDIX) Extras {-}

        # Introduction {-}
        """)
    assert [stringify(h["c"][2]) for h in doc["blocks"]] == ["Introduction"]
    parts = doc["meta"]["bookdown-parts"]["c"]
    assert [(p["c"]["kind"]["c"], stringify(p["c"]["title"]["c"])) for p in parts] == [
        ("part", "Foundations"), ("appendix", "Extras")]


BIB = """\
@book{tufte83,
  author = {Edward Tufte},
  title = {The Visual Display of Quantitative Information},
  publisher = {Graphics Press},
  year = {1983}
}
"""
PROJECT = {
    "_bookdown.yml": """\
        book_filename: "orchard"
        rmd_files: ["index.Rmd", "intro.Rmd", "trees.Rmd", "soil.Rmd", "tools.Rmd"]
        """,
    "index.Rmd": """\
        ---
        title: "The Orchard"
        author: "Ada Quill"
        site: bookdown::bookdown_site
        bibliography: orchard.bib
        csl: chicago-author-date
        biblio-style: apalike
        ---

        # Preface {-}

        Chapter \\@ref(trees) grows from Chapter \\@ref(intro), as @tufte83 would draw it.
        """,
    "intro.Rmd": """\
        # Introduction {#intro}

        Table \\@ref(tab:yield) counts the apples; Section \\@ref(pruning) cuts them.
        """,
    "trees.Rmd": """\
        # (PART) Growing {-}

        # Trees

        ## Pruning

        | year | apples |
        |------|--------|
        | 2024 | 40     |

        Table: (\\#tab:yield) Apples by year

        See \\@ref(fig:missing) and \\@ref(fig:missing) again.
        """,
    "soil.Rmd": """\
        # Soil

        Back to Chapter \\@ref(intro).
        """,
    "tools.Rmd": """\
        # (APPENDIX) Appendix {-}

        # Tools

        Nothing more.
        """,
}


def write_project(root: Path, files: dict[str, str]) -> Path:
    """A bookdown project's files, dedented, in a new ``root``."""
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def test_a_bookdown_project_builds_with_parts_references_and_its_bibliography(tmp_path):
    root = write_project(tmp_path / "orchard", PROJECT)
    (root / "orchard.bib").write_text(BIB, encoding="utf-8")
    report = build_book(root, BuildOptions(out_dir=tmp_path / "out"))
    assert report.artifact("epub").check.passed, report.artifact("epub").check.messages
    epub = Epub(report.artifact("epub").path)
    assert _toc(epub) == [("Preface", []), ("Introduction", []),
                          ("Growing", [("Trees", [("Pruning", [])]), ("Soil", [])]),
                          ("Appendix", []), ("Tools", []), ("Bibliography", [])]
    docs = epub.chapters()
    index, intro, _, trees, soil, _, tools = docs[:7]
    assert xrefs_of(epub, index) == [("2", "c04-trees.xhtml#trees"),
                                     ("1", "c02-intro.xhtml#intro")]
    assert xrefs_of(epub, intro) == [("2.1", "c04-trees.xhtml#tab:yield"),
                                     ("Pruning", "c04-trees.xhtml#pruning")]
    assert xrefs_of(epub, soil) == [("1", "c02-intro.xhtml#intro")]
    assert captions_of(epub, trees) == ["Table 2.1: Apples by year"]
    assert "??" in "".join(epub.xml(trees).find(".//h:body", NS).itertext())
    assert "Tufte" in "".join(epub.xml(index).find(".//h:body", NS).itertext())
    text = "".join("".join(epub.xml(d).find(".//h:body", NS).itertext()) for d in docs)
    assert "@ref" not in text and "(PART)" not in text and "(APPENDIX)" not in text
    types = [epub.xml(d).find(".//h:section", NS).get("{http://www.idpf.org/2007/ops}type")
             for d in docs]
    assert types == ["chapter", "chapter", "part", "chapter", "chapter", "part", "appendix",
                     "bibliography"]
    unknown = [w for w in report.warnings if w.code == "bookdown-ref-unknown"]
    assert [(w.file.name, w.line, w.message) for w in unknown] == [
        ("trees.Rmd", 13, "\\@ref(fig:missing) names no figure, table or heading of the book: "
                          "the book shows ??")]


def test_chapters_are_read_as_r_markdown_has_pandoc_read_them(tmp_path):
    (tmp_path / "_bookdown.yml").write_text("book_filename: m\n")
    (tmp_path / "index.Rmd").write_text("---\ntitle: M\nauthor: A\n---\n\n# One\n\n"
                                        "\\[ x^2 \\] and \\(y\\), see https://example.org\n")
    (chapter,) = load_manuscript(load_config(tmp_path)).chapters
    assert chapter.markdown == DIALECT
    found = [(el["t"], el["c"][0]["t"] if el["t"] == "Math" else el["c"][2][0])
             for el in elements(chapter.parse().doc["blocks"]) if el["t"] in ("Math", "Link")]
    assert found == [("Math", "DisplayMath"), ("Math", "InlineMath"),
                     ("Link", "https://example.org")]


#: A bookdown project that names its labels in _bookdown.yml (bookdown's
#: Internationalization section: 'FIGURE ' instead of 'Figure ').
LABELLED = {
    "_bookdown.yml": """\
        book_filename: "atlas"
        language:
          label:
            fig: "FIGURE "
            tab: "Tab. "
            exr: "Task "
            proof: "Why. "
            thm: ""
          ui:
            chapter_name: ["Part one of ", "!"]
        """,
    "index.Rmd": """\
        ---
        title: "The Atlas"
        author: "Ada Quill"
        ---

        # Maps {#maps}

        ![(\\#fig:coast) The coast](coast.png)

        | km |
        |----|
        | 4  |

        Table: (\\#tab:length) Its length

        Figure \\@ref(fig:coast), Table \\@ref(tab:length), Exercise \\@ref(exr:walk).

        ::: {.exercise #walk}
        Walk it.
        :::

        ::: {.proof}
        Clear.
        :::

        ::: {.theorem}
        A map.
        :::
        """,
}


def test_bookdown_s_own_labels_name_its_numbered_captions_and_environments(tmp_path):
    from PIL import Image

    root = write_project(tmp_path / "atlas", LABELLED)
    Image.new("RGB", (8, 8), "white").save(root / "coast.png")
    assert dict(load_config(root).labels) == {
        "figure": "FIGURE {n}", "table": "Tab. {n}", "exercise": "Task {n}", "proof": "Why",
        "chapter": "Part one of {n}!"}
    report = build_book(root, BuildOptions(out_dir=tmp_path / "out", check=False,
                                           formats=("epub",)))
    epub = Epub(report.artifact("epub").path)
    (maps,) = epub.chapters()
    assert captions_of(epub, maps) == ["FIGURE 1.1: The coast", "Tab. 1.1: Its length"]
    assert [text for text, _ in xrefs_of(epub, maps)] == ["1.1", "1.1", "1.1"]  # bare, as bookdown
    opened = [" ".join("".join(p.itertext()).split())
              for p in epub.xml(maps).xpath("//h:div[@class='exercise' or @class='proof' or "
                                            "@class='theorem']/h:p", namespaces=NS)]
    assert opened == ["Task 1.1 Walk it.", "Why. Clear.", "Theorem 1.1 A map."]
