"""bookdown and Quarto book projects build without a book.yaml, ``bookbuild
new --from`` writes the book.yaml they stand for, and their syntax that only
knitr or Quarto can run is named once per kind, with a count, from Pandoc's AST."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from bookbuild import BuildOptions, build_book
from bookbuild.cli import main
from bookbuild.chapters.foreign import placed, survey, warnings
from bookbuild.pandoc import read_markdown

from conftest import EPOCH, NS, Epub, build_epub, write_book

DATA = Path(__file__).parent / "data"


def _toc(epub: Epub):
    def tree(ol):
        return [(li.find("h:a", NS).text,
                 tree(li.find("h:ol", NS)) if li.find("h:ol", NS) is not None else [])
                for li in ol.findall("h:li", NS)]
    return tree(epub.xml("EPUB/nav.xhtml").find(".//h:nav[@id='toc']/h:ol", NS))


def test_a_quarto_book_builds_without_book_yaml(tmp_path):
    report, epub = build_epub(DATA / "quarto-book", tmp_path / "a")
    assert not (DATA / "quarto-book" / "book.yaml").exists()
    assert _toc(epub) == [("Preface", []),
                          ("Part One: Reading", [("Reading", [])]),
                          ("Part Two: Writing", [("Drafts", [])]),
                          ("Tools", [])]
    meta = epub.opf.find("opf:metadata", NS)
    assert meta.findtext("dc:title", None, NS) == "Margins in Practice"
    assert [c.text for c in meta.iterfind("dc:creator", NS)] == ["Ada Quill", "Lev Perov"]
    assert meta.findtext("dc:language", None, NS) == "en-GB"
    types = [epub.xml(c).find(".//h:section", NS).get("{http://www.idpf.org/2007/ops}type")
             for c in epub.chapters()]
    assert types == ["chapter", "part", "chapter", "part", "chapter", "appendix"]
    # each at its first's file and line: the shortcode in the file drafts.qmd includes
    assert [(w.code, w.file.name, w.line) for w in report.warnings] == [
        ("knitr-chunk", "drafts.qmd", 5), ("knitr-chunk", "reading.qmd", 7),
        ("knitr-inline", "reading.qmd", 11), ("quarto-shortcode", "_snippet.qmd", 3)]
    # the true count of each kind
    assert [w.message.split(": ")[0] for w in report.warnings] == [
        "1 Python code chunk never ran", "1 R code chunk never ran",
        "1 inline R expression never ran",
        "1 Quarto shortcode ({{< video >}} 1) cannot work in an EPUB"]
    # include and pagebreak work
    text = "".join(epub.xml(epub.chapters()[4]).itertext())  # drafts.qmd, _snippet.qmd in it
    assert "write first, mend later" in text and "several chapters include" in text
    _, again = build_epub(DATA / "quarto-book", tmp_path / "b", check=False)
    assert again.path.read_bytes() == epub.path.read_bytes()


def test_a_bookdown_book_builds_from_its_yml_and_index_rmd(tmp_path):
    report, epub = build_epub(DATA / "bookdown-book", tmp_path)
    assert report.artifact("epub").path.name == "margins-in-r.epub"  # book_filename
    assert _toc(epub) == [("Preface", []), ("Method", []), ("Results", [])]
    meta = epub.opf.find("opf:metadata", NS)
    assert (meta.findtext("dc:title", None, NS), meta.findtext("dc:creator", None, NS),
            meta.findtext("dc:description", None, NS)) == (
        "Margins in R", "Ada Quill",
        "A small bookdown project that bookbuild reads without a book.yaml.")
    assert meta.find("dc:date", NS) is None  # `r Sys.Date()` is no date
    # the chunk shown with `r ''` after its header (knitr's verbatim idiom) is no chunk
    assert [(w.code, w.file.name, w.line) for w in report.warnings] == [
        ("knitr-chunk", "01-method.Rmd", 9), ("knitr-inline", "01-method.Rmd", 7)]


def test_an_mdbooks_own_preprocessors_are_named_once_as_not_run(tmp_path):
    """mdBook's own links preprocessor is bookbuild's too; a program of the
    book's is never run, and one warning at its table says what that means."""
    from bookbuild.projects import mdbook
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "SUMMARY.md").write_text("# Summary\n\n- [One](one.md)\n")
    (tmp_path / "book.toml").write_text(
        '[book]\ntitle = "T"\n\n[preprocessor.links]\n\n[preprocessor.callouts]\n'
        'command = "python3 callouts.py"\n\n[preprocessor.listing]\nafter = ["links"]\n')
    (warning,) = mdbook.read(tmp_path).warnings
    assert (warning.code, warning.file.name, warning.line) == ("mdbook-preprocessor", "book.toml", 6)
    assert warning.message.startswith("book.toml's preprocessors callouts, listing are programs")
    (tmp_path / "book.toml").write_text('[book]\ntitle = "T"\n\n[preprocessor.index]\n')
    assert mdbook.read(tmp_path).warnings == ()


def test_an_mdbook_builds_from_its_book_toml_and_summary_as_github_markdown(tmp_path):
    report, epub = build_epub(DATA / "mdbook-book", tmp_path)
    assert not report.warnings
    assert _toc(epub) == [("Before you start", []),
                          ("The bench", [("Sharpening", [("Grits", [])]), ("Stones and strops", []),
                                         ("Oiling", [])]),  # the draft chapter has no page
                          ("The shed", [("Storage", [])]),
                          ("Thanks", [])]
    types = [epub.xml(c).find(".//h:section", NS).get("{http://www.idpf.org/2007/ops}type")
             for c in epub.chapters()]
    assert types == ["frontmatter", "part", "chapter", "chapter", "chapter", "part", "chapter",
                     "backmatter"]  # mdBook numbers neither prefix nor suffix chapters
    meta = epub.opf.find("opf:metadata", NS)
    assert [c.text for c in meta.iterfind("dc:creator", NS)] == ["Ines Marlow", "Tomas Vey"]
    assert meta.findtext("dc:description", None, NS).startswith("A short mdBook")
    preface, _, sharpening, stones = (epub.xml(c) for c in epub.chapters()[:4])
    # GitHub's reading: a list right after a line is a list, a table, a task list
    assert [len(ul.findall("h:li", NS)) for ul in preface.iterfind(".//h:ul", NS)] == [3]
    assert sharpening.find(".//h:ol", NS) is not None
    assert sharpening.find(".//h:table", NS) is not None
    # mdBook's heading attributes: the heading's id is the one written, and a link reaches it
    assert sharpening.find(".//h:h2", NS).get("id") == "grits"
    assert [a.get("href") for a in sharpening.iterfind(".//h:a", NS) if a.text == "table of grits"] \
        == ["#grits"]
    assert len(stones.findall(".//h:input[@type='checkbox']", NS)) == 2
    oiling = epub.xml(epub.chapters()[4])
    assert [a.get("href") for a in oiling.iterfind(".//h:p/h:a", NS)] == ["c03-sharpening.xhtml"]
    # code as mdBook shows it: "rust,ignore" is Rust, the lines it hides are left out
    assert [(pre.get("class"), "".join(pre.itertext()))
            for pre in oiling.iterfind(".//h:pre", NS)] == [
        ("sourceCode rust ignore", "let drops = 1;\n#[derive(Debug)]\n# a line that starts with a hash"),
        ("sourceCode python", "oil(drops=1)"),
        # {{#rustdoc_include}}: the anchor's lines, the others hidden
        ("sourceCode rust", 'fn pivot(oil: Oil) {\n    oil.drop_on("pivot");\n}')]


def test_a_gitbook_builds_from_its_summary_and_book_json(tmp_path):
    report, epub = build_epub(DATA / "gitbook-book", tmp_path)
    assert not report.warnings
    assert _toc(epub) == [("Small Kilns", []),  # README's heading: the title, and the first page
                          ("Building", [("The kiln", []), ("Bricks", [("Insulation", [])])]),
                          ("Firing", [("A first firing", []), ("Glossary", [])])]
    meta = epub.opf.find("opf:metadata", NS)
    assert (meta.findtext("dc:title", None, NS), meta.findtext("dc:creator", None, NS)) == (
        "Small Kilns", "Ruth Okafor")
    firing = epub.xml(epub.chapters()[5])
    assert [len(ul.findall("h:li", NS)) for ul in firing.iterfind(".//h:ul", NS)] == [2]  # gfm


def test_new_from_writes_the_book_yaml_the_project_stands_for(tmp_path):
    project = tmp_path / "q"
    shutil.copytree(DATA / "quarto-book", project)
    runner = CliRunner()
    result = runner.invoke(main, ["new", "--from", str(project)])
    assert result.exit_code == 0, result.output
    data = YAML(typ="safe").load((project / "book.yaml").read_text(encoding="utf-8"))
    assert data["chapters"] == ["index.qmd", {"part": "Part One: Reading"}, "reading.qmd",
                                {"file": "writing.qmd", "type": "part"}, "drafts.qmd",
                                {"file": "tools.qmd", "type": "appendix"}]
    assert (data["title"], data["language"]) == ("Margins in Practice", "en-GB")
    again = runner.invoke(main, ["new", "--from", str(project)])
    assert again.exit_code == 2
    assert again.output == (f"bookbuild: error: {project / 'book.yaml'}: already exists: "
                            "bookbuild reads it, not the project [target-exists]\n")
    _, epub = build_epub(project, tmp_path / "out")
    assert [label for label, _ in _toc(epub)] == ["Preface", "Part One: Reading",
                                                  "Part Two: Writing", "Tools"]


def test_new_from_an_mdbook_writes_its_book_yaml(tmp_path):
    project = tmp_path / "notes"
    shutil.copytree(DATA / "mdbook-book", project)
    result = CliRunner().invoke(main, ["new", "--from", str(project)])
    assert result.exit_code == 0, result.output
    written = YAML(typ="safe").load((project / "book.yaml").read_text(encoding="utf-8"))
    assert written["markdown"] == "gfm+attributes"
    assert written["chapters"][:3] == [{"file": "src/preface.md", "type": "frontmatter"},
                                       {"part": "The bench"}, "src/sharpening.md"]


def test_new_from_a_folder_without_a_project_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["new", "--from", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == (f"bookbuild: error: {tmp_path}: holds no bookdown (_bookdown.yml), "
                             "Quarto book (_quarto.yml), mdBook (book.toml) or GitBook "
                             "(SUMMARY.md) project [file-not-found]\n")
    assert list(tmp_path.iterdir()) == []


def test_a_project_with_a_bad_value_names_its_file(tmp_path):
    (tmp_path / "_quarto.yml").write_text(
        "project: {type: book}\nbook:\n  title: T\n  author: A\n  chapters: [missing.qmd]\n"
        "lang: english!\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path)])
    assert result.exit_code == 2
    assert sorted(result.output.splitlines()) == [
        f"bookbuild: error: {tmp_path / '_quarto.yml'}: 'language' is not a valid BCP 47 tag: "
        "'english!' (for example en-GB, ru, fr-CA) [config-value]",
        f"bookbuild: error: {tmp_path / '_quarto.yml'}: chapter 1: file not found: missing.qmd "
        "[file-not-found]"]


@pytest.mark.parametrize("markdown, found", [
    ("```{r}\nx\n```\n", [("chunk", "R", 1, 1)]),
    ("```{r label, echo=FALSE}\nx\n```\n\n```{python}\ny\n```\n",
     [("chunk", "Python", 1, 5), ("chunk", "R", 1, 1)]),
    ("````markdown\n```{r}\nx\n```\n````\n", []),  # shown, inside a code block
    ("```r\nx\n```\n", []),  # plain highlighted R
    ("Text.\n\n`r 1+1` and `r` and `rx`\n", [("inline", "R", 1, 3)]),
    ("a {{< video x.mp4 >}} b\n\n# {{< meta title >}}\n",
     [("shortcode", "meta", 1, 3), ("shortcode", "video", 1, 1)]),
    ("`{{< not one >}}` in code\n", []),  # code shows it as written, as Quarto does
])
def test_survey_reads_pandocs_ast_each_kind_at_the_line_of_its_first(markdown, found):
    """Read as GitHub-style Markdown, as chunks reach the AST only in a chapter
    that knitr's step leaves alone (where the unclosed fence of a prefix runs on)."""
    def read(text: str):
        return read_markdown(text, None, "gfm")
    assert list(placed(survey(read(markdown).doc["blocks"]), markdown, read)) == found


def test_inline_r_in_math_is_counted_as_knitr_reads_it():
    """knitr finds `r x` in the text before Pandoc, so in TeX math too, where
    it shows as written; in code it is code."""
    text = "Text.\n\nArea $a = `r x` + `r y`$, and `r z`; `` `r w` `` is code.\n"
    assert placed(survey(read_markdown(text).doc["blocks"]), text, read_markdown) == (
        ("inline", "R", 3, 3),)


def test_a_warm_build_reads_no_chapter_again_to_place_other_tools_syntax(tmp_path,
                                                                          monkeypatch):
    """The line of a kind's first element, found by reading its chapter again,
    is kept with the cached reading it depends on: a rebuild says the same
    line without running Pandoc."""
    from test_fast import _count_pandoc_runs

    book = write_book(tmp_path / "book", {
        "01-one.md": "# One\n\nNo code.\n",
        "02-two.md": "# Two\n\nWatch {{< video a.mp4 >}} now.\n\nAnd {{< video b.mp4 >}}.\n"})
    calls = _count_pandoc_runs(monkeypatch)
    said = []
    for out in ("cold", "warm"):
        calls.clear()
        report = build_book(book, BuildOptions(out_dir=tmp_path / out, check=False,
                                               formats=("epub",)))
        said.append([(w.file.name, w.line) for w in report.warnings
                     if w.code == "quarto-shortcode"])
    assert said == [[("02-two.md", 3)]] * 2
    assert calls == []


def test_one_warning_per_kind_for_the_whole_book_at_its_first():
    found = warnings([(Path("a.qmd"), (("chunk", "R", 2, 9), ("shortcode", "include", 1, 4))),
                      (Path("b.qmd"), (("chunk", "R", 1, 3), ("shortcode", "video", 2, 1),
                                       ("inline", "R", 1, 7)))])
    # each at the file and line of its first in reading order, the files named when several
    assert [(w.code, w.file, w.line) for w in found] == [
        ("knitr-chunk", Path("a.qmd"), 9), ("knitr-inline", Path("b.qmd"), 7),
        ("quarto-shortcode", Path("a.qmd"), 4)]
    assert tuple(w.message for w in found if w.code != "knitr-inline") == (
        "3 R code chunks never ran (a.qmd, b.qmd; the first here): the book shows them as code, "
        "not their results; run knitr or Quarto first, or remove them",
        "3 Quarto shortcodes ({{< include >}} 1, {{< video >}} 2) cannot work in an EPUB "
        "(a.qmd, b.qmd; the first here): the book shows them as text; write the Markdown instead")


def test_the_quarto_books_print_edition_shows_every_title(tmp_path):
    """A part from its title alone and a chapter titled by its YAML block get
    their heading in the AST, so the PDF's opening pages carry them too."""
    report = build_book(DATA / "quarto-book", BuildOptions(
        out_dir=tmp_path, check=True, source_date_epoch=EPOCH, formats=("pdf",)))
    pdf = report.artifact("pdf")
    assert (pdf.check.error, pdf.check.warning) == (0, 0), [str(m) for m in pdf.check.messages]


def test_a_bibliography_file_the_projects_code_makes_is_left_out_with_a_warning(tmp_path):
    """bookdown's template writes packages.bib when knitted: without it the book
    builds, a key found nowhere is a warning (it may be in that file), and a
    key of the files it has is cited as usual."""
    (tmp_path / "_bookdown.yml").write_text("book_filename: cites\n", encoding="utf-8")
    (tmp_path / "index.Rmd").write_text(
        "---\ntitle: Cites\nauthor: A\nbibliography: [book.bib, packages.bib]\n---\n\n"
        "# Start\n\nAs @known says, and [@R-base].\n", encoding="utf-8")
    (tmp_path / "book.bib").write_text(
        "@book{known, author = {Ann Known}, title = {A Title}, year = {2001}}\n",
        encoding="utf-8")
    report = build_book(tmp_path, BuildOptions(out_dir=tmp_path / "out", check=False))
    assert [(w.code, w.file.name, w.line) for w in report.warnings
            if w.code.startswith(("bibliography", "citation"))] == [
        ("bibliography-missing", "index.Rmd", None), ("citation-key-missing", "index.Rmd", 9)]
    epub = Epub(report.artifact("epub").path)
    text = "".join("".join(epub.xml(c).itertext()) for c in epub.chapters())
    assert "Known" in text and "R-base" in text and "@known" not in text
