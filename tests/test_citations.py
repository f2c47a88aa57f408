"""Citations through Pandoc's citeproc: note styles make endnotes among the
author's, author-date styles make text, and the bibliography is its own
back-matter document; a key the bibliography lacks, or a bad bibliography
file, is one line with its place and exit 2."""

from __future__ import annotations

import json

import pytest
from PIL import Image
from click.testing import CliRunner

from bookbuild import BuildOptions, build_book
from bookbuild.config.styles import shipped_style
from bookbuild.cli import main
from bookbuild.errors import ConfigError

from conftest import NS, Epub, write_book
from test_build import assert_notes_linked_both_ways

BIBTEX = """\
@book{knuth84,
  author = {Donald E. Knuth},
  title = {The {\\TeX}book},
  publisher = {Addison-Wesley},
  year = {1984}
}

@book{lamport94,
  author = {Leslie Lamport},
  title = {LaTeX: A Document Preparation System},
  publisher = {Addison-Wesley},
  year = {1994}
}
"""
CSL_JSON = json.dumps([{"id": "tufte83", "type": "book", "title": "The Visual Display of "
                        "Quantitative Information", "author": [{"family": "Tufte",
                                                                 "given": "Edward"}],
                        "publisher": "Graphics Press", "issued": {"date-parts": [[1983]]}}])
CSL_YAML = """\
- id: bringhurst92
  type: book
  title: The Elements of Typographic Style
  author:
    - family: Bringhurst
      given: Robert
  publisher: Hartley & Marks
  issued:
    date-parts: [[1992]]
"""
ONE = """\
    # One

    Knuth wrote it [@knuth84, p. 3]. An author's note.[^a] @lamport94 disagrees.

    [^a]: The author's aside, citing [@tufte83].

    Again [@knuth84]. A figure beside a work [@fig-diagram; @tufte83].

    ![Diagram](../refs.png){#fig-diagram}
    """
TWO = """\
    # Two

    A note first.[^b] Then [@bringhurst92, 12].

    [^b]: Plain.
    """


def cited_book(root, config_extra: str = "", chapters=None):
    book = write_book(root, chapters or {"01-one.md": ONE, "02-two.md": TWO},
                      "title: Cited\nlanguage: en\nauthor: A\n"
                      "bibliography: [refs.bib, more.json, extra.yaml]\n" + config_extra)
    (book / "refs.bib").write_text(BIBTEX)
    (book / "more.json").write_text(CSL_JSON)
    (book / "extra.yaml").write_text(CSL_YAML)
    Image.new("RGB", (60, 40), "white").save(book / "refs.png")
    return book


def notes_of(epub: Epub, doc: str) -> list[tuple[str, str]]:
    """Per reference in order: its number and its note's text."""
    found = []
    for ref in epub.xml(doc).iterfind(".//h:a[@epub:type='noteref']", NS):
        target, _, frag = ref.get("href").partition("#")
        note = epub.xml(f"EPUB/text/{target}" if target else doc).find(f".//*[@id='{frag}']", NS)
        found.append((ref.text, " ".join("".join(note.itertext()).split())))
    return found


@pytest.mark.parametrize("placement", ["chapter", "book"])
def test_chicago_citations_are_endnotes_among_the_authors(tmp_path, placement):
    book = cited_book(tmp_path / "book", f"notes: {placement}\nnotes-numbering: continuous\n")
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out"))
    artifact = report.artifact("epub")
    assert artifact.check.passed, [str(m) for m in artifact.check.messages]
    assert artifact.notes.passed, artifact.notes.problems
    epub = Epub(artifact.path)
    one, two, bibliography = epub.chapters()
    assert notes_of(epub, one) == [
        ("1", "1. Donald E. Knuth, The TeXbook (Addison-Wesley, 1984), 3."),
        ("2", "2. The author’s aside, citing (Edward Tufte, The Visual Display of Quantitative "
              "Information (Graphics Press, 1983))."),
        ("3", "3. LaTeX: A Document Preparation System (Addison-Wesley, 1994)."),  # named in the text
        ("4", "4. Knuth, The TeXbook."),
        ("5", "5. Tufte, The Visual Display of Quantitative Information."),
    ]
    assert notes_of(epub, two) == [
        ("6", "6. Plain."),
        ("7", "7. Robert Bringhurst, The Elements of Typographic Style (Hartley & Marks, "
              "1992), 12."),
    ]
    assert assert_notes_linked_both_ways(epub) == 7
    assert [(a.text, a.get("href")) for a in epub.xml(one).iterfind(".//h:a[@class='xref']", NS)
            ] == [("Figure\u00a01.1", "#fig-diagram")]  # the figure beside the work cited
    section = epub.xml(bibliography).find(".//h:section", NS)
    assert section.get("{http://www.idpf.org/2007/ops}type") == "bibliography"
    assert section.get("role") == "doc-bibliography"
    entries = [" ".join("".join(e.itertext()).split())
               for e in section.iterfind(".//h:div[@class='csl-entry']", NS)]
    assert entries == [
        "Bringhurst, Robert. The Elements of Typographic Style. Hartley & Marks, 1992.",
        "Knuth, Donald E. The TeXbook. Addison-Wesley, 1984.",
        "Lamport, Leslie. LaTeX: A Document Preparation System. Addison-Wesley, 1994.",
        "Tufte, Edward. The Visual Display of Quantitative Information. Graphics Press, 1983.",
    ]
    nav = epub.xml("EPUB/nav.xhtml")
    href = bibliography.removeprefix("EPUB/")
    assert [a.text for a in nav.iterfind(".//h:nav[@id='toc']//h:a", NS)
            if a.get("href") == href] == ["Bibliography"]
    assert nav.find(f".//h:nav[@id='landmarks']//h:a[@href='{href}']", NS).get(
        "{http://www.idpf.org/2007/ops}type") == "bibliography"
    if placement == "book":  # the notes documents come before the bibliography
        spine = epub.spine()
        assert spine.index(href) > max(i for i, h in enumerate(spine) if "notes-" in h)


def test_the_bibliography_comes_before_the_colophon_that_closes_the_book(tmp_path):
    """Chicago's order of the back matter: the bibliography, then the index; a
    colophon ends the book."""
    book = cited_book(tmp_path / "book", "chapters:\n  - manuscript/01-one.md\n"
                      "  - manuscript/02-two.md\n"
                      "  - {file: manuscript/03-colophon.md, type: colophon}\n",
                      {"01-one.md": ONE, "02-two.md": TWO, "03-colophon.md": "# Colophon\n\nSet.\n"})
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", formats=("epub",)))
    assert report.exit_code == 0
    chapters = Epub(report.artifact("epub").path).chapters()
    assert [h.split("-", 1)[1] for h in chapters] == \
        ["01-one.xhtml", "02-two.xhtml", "refs.xhtml", "03-colophon.xhtml"]


def test_author_date_citations_are_text(tmp_path):
    book = cited_book(tmp_path / "book", "csl: chicago-author-date\n")
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out"))
    assert report.artifact("epub").check.passed
    epub = Epub(report.artifact("epub").path)
    one, two, _ = epub.chapters()
    text = " ".join("".join(epub.xml(one).find(".//h:p", NS).itertext()).split())
    assert text == "Knuth wrote it (Knuth 1984, 3). An author’s note.1 Lamport (1994) disagrees."
    assert [n for _, n in notes_of(epub, one)] == [
        "1. The author’s aside, citing (Tufte 1983)."]


def test_a_csl_file_in_the_book_is_used(tmp_path):
    book = cited_book(tmp_path / "book", "csl: styles/mine.csl\n")
    (book / "styles").mkdir()
    (book / "styles" / "mine.csl").write_bytes(shipped_style("chicago-author-date").read_bytes())
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", check=False))
    assert report.notes == 2  # the author's: an author-date style makes no notes


def test_an_unknown_style_name_is_a_config_error(tmp_path):
    book = cited_book(tmp_path / "book", "csl: chicago-nonsense\n")
    with pytest.raises(ConfigError) as err:
        build_book(book, BuildOptions(out_dir=tmp_path / "out", check=False))
    assert "'csl' 'chicago-nonsense' is neither" in err.value.problems[0].message
    assert err.value.problems[0].line == 5


def refused(book) -> list[str]:
    """The error lines of ``bookbuild build`` refusing the book: exit 2, nothing written."""
    result = CliRunner().invoke(main, ["build", str(book), "--no-check"])
    assert result.exit_code == 2, result.output
    assert not (book / "dist").exists()
    return result.stderr.strip().splitlines()


def test_a_key_missing_from_the_bibliography_is_an_error_with_its_line(tmp_path):
    book = cited_book(tmp_path / "book", chapters={
        "01-one.md": "# One\n\nFine [@knuth84].\n\nNot there [@nobody99, p. 2].\n",
        "02-two.md": "# Two\n\nA note.[^n]\n\n[^n]: Citing @ghost.\n"})
    assert refused(book) == [
        f"bookbuild: error: {book / 'manuscript' / '01-one.md'}:5: citation @nobody99 is not in the "
        "bibliography [citation-unknown-key]",
        f"bookbuild: error: {book / 'manuscript' / '02-two.md'}:5: citation @ghost is not in the "
        "bibliography [citation-unknown-key]"]


@pytest.mark.parametrize("name, text, line, says", [
    ("refs.bib", "@book{x,\n  title = {A},\n  year = 1999\n  author = {B}\n}\n", 4, "unexpected"),
    ("more.json", '[{"id": "a", "title": "x"},]', None, "expecting JSON value"),
    ("extra.yaml", "- id: a\n  title: [x\n", 2, "YAML parse exception"),
])
def test_a_bad_bibliography_file_is_one_line_naming_it(tmp_path, name, text, line, says):
    book = cited_book(tmp_path / "book")
    (book / name).write_text(text)
    [message] = refused(book)
    where = f"bookbuild: error: {book / name}:" + (f"{line}:" if line else "")
    assert message.startswith(where + " bibliography file cannot be read: ") and says in message
    assert message.endswith(" [bibliography-unreadable]")


def test_two_builds_are_byte_identical(tmp_path):
    book = cited_book(tmp_path / "book")
    first = build_book(book, BuildOptions(out_dir=tmp_path / "a", check=False, cache=False,
                                          source_date_epoch=1700000000))
    second = build_book(book, BuildOptions(out_dir=tmp_path / "b", check=False,
                                           source_date_epoch=1700000000))
    third = build_book(book, BuildOptions(out_dir=tmp_path / "c", check=False,
                                          source_date_epoch=1700000000))  # from the cache
    paths = [r.artifact("epub").path.read_bytes() for r in (first, second, third)]
    assert paths[0] == paths[1] == paths[2]


def test_a_changed_bibliography_converts_the_citing_chapters_again(tmp_path):
    book = cited_book(tmp_path / "book")
    build_book(book, BuildOptions(out_dir=tmp_path / "a", check=False))
    (book / "refs.bib").write_text(BIBTEX.replace("Addison-Wesley", "Addison Wesley"))
    report = build_book(book, BuildOptions(out_dir=tmp_path / "b", check=False))
    epub = Epub(report.artifact("epub").path)
    assert "Addison Wesley, 1984), 3." in notes_of(epub, epub.chapters()[0])[0][1]


def test_the_print_edition_has_the_citation_notes_and_the_bibliography(tmp_path):
    import pypdfium2

    book = cited_book(tmp_path / "book", "formats: [pdf]\n")
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", check=False))
    pdf = pypdfium2.PdfDocument(report.artifact("pdf").path)
    text = " ".join(" ".join(pdf[i].get_textpage().get_text_range().split())
                    for i in range(len(pdf)))
    assert "Donald E. Knuth, The TeXbook (Addison-Wesley, 1984), 3." in text
    assert "Bibliography Bringhurst, Robert. The Elements of Typographic Style." in text


def test_bibliography_files_must_be_in_the_book(tmp_path):
    book = cited_book(tmp_path / "book")
    (book / "book.yaml").write_text("title: Cited\nlanguage: en\nauthor: A\n"
                                    "bibliography:\n  - refs.bib\n  - ../elsewhere.bib\n"
                                    "  - missing.json\n")
    with pytest.raises(ConfigError) as err:
        build_book(book, BuildOptions(out_dir=tmp_path / "out", check=False))
    assert [(p.message, p.line) for p in err.value.problems] == [
        ("'bibliography' file is outside the book directory: ../elsewhere.bib", 6),
        ("'bibliography' file not found: missing.json", 7)]


def test_the_store_editions_pass_with_citation_notes(tmp_path):
    book = cited_book(tmp_path / "book", "formats: [kindle-epub, kobo]\n")
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out"))
    for name in ("kindle-epub", "kobo"):
        artifact = report.artifact(name)
        assert artifact.check.passed, (name, [str(m) for m in artifact.check.messages])
        assert artifact.notes.passed and artifact.notes.references == 7, name


def _dependent(parent: str, locale: str = "en-US") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="{locale}">
  <info>
    <title>A journal</title>
    <id>http://www.zotero.org/styles/a-journal</id>
    <link href="http://www.zotero.org/styles/a-journal" rel="self"/>
    <link href="{parent}" rel="independent-parent"/>
    <updated>2020-01-01T00:00:00+00:00</updated>
  </info>
</style>
"""


@pytest.mark.parametrize("parent", ["file:///etc/passwd", "file:///proc/self/environ",
                                    "http://127.0.0.1:9/styles/secret", "../outside"])
def test_a_dependent_styles_parent_is_never_fetched(tmp_path, parent):
    """citeproc would follow the link and quote what it read in its error."""
    (tmp_path / "outside.csl").write_bytes(shipped_style("chicago-author-date").read_bytes())
    book = cited_book(tmp_path / "book", "csl: dep.csl\n")
    (book / "dep.csl").write_text(_dependent(parent))
    lines = refused(book)
    assert len(lines) == 1 and lines[0].startswith("bookbuild: error: ")
    assert "dep.csl:7: citation style's parent" in lines[0] and "never fetches" in lines[0]
    assert "root:" not in lines[0] and "PATH" not in lines[0]


def test_a_dependent_style_takes_its_shipped_parent_or_one_beside_it(tmp_path):
    book = cited_book(tmp_path / "book", "csl: styles/dep.csl\n")
    (book / "styles").mkdir()
    (book / "styles" / "dep.csl").write_text(
        _dependent("http://www.zotero.org/styles/chicago-author-date", "de-DE"))
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", check=False))
    epub = Epub(report.artifact("epub").path)
    text = " ".join("".join(epub.xml(epub.chapters()[0]).find(".//h:p", NS).itertext()).split())
    assert text.startswith("Knuth wrote it (Knuth 1984, 3).")  # author-date: the shipped parent
    # A parent of that name beside the style, in the book, comes first.
    (book / "styles" / "chicago-author-date.csl").write_bytes(
        shipped_style("chicago-notes-bibliography").read_bytes())
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", check=False))
    assert report.notes > 2  # a notes style: citations became notes


def test_a_shipped_dependent_style_can_be_named(tmp_path):
    name = "journal-of-the-american-chemical-society"
    assert shipped_style(name) is not None, "the CSL repository's dependent styles are shipped"
    book = cited_book(tmp_path / "book", f"csl: {name}\n")
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", check=False))
    assert report.artifact("epub").path.exists()


def test_a_chapters_citation_abbreviations_read_nothing(tmp_path):
    (tmp_path / "abbreviations.json").write_text('{"default": {"container-title": {"A": "B"}}}')
    chapters = {"01-one.md": "---\ncitation-abbreviations: /proc/self/environ\n---\n" + ONE,
                "02-two.md": "---\ncitation-abbreviations: http://127.0.0.1:9/x.json\n---\n" + TWO}
    book = cited_book(tmp_path / "book", chapters=chapters)
    result = CliRunner().invoke(main, ["build", str(book), "--no-check", "-f", "epub"])
    assert result.exit_code == 0, result.output
    assert result.output.count("citation-abbreviations in the chapter's metadata is ignored") == 2


def test_citations_in_a_book_without_a_bibliography_are_one_warning(tmp_path):
    write_book(tmp_path, {"01.md": "# One\n\nAs shown [@knuth84, p. 3] and [see @knuth84].\n",
                          "02.md": "# Two\n\nAlso [@lamport94], as @knuth84 says.\n"})
    report = build_book(tmp_path, BuildOptions(check=False))
    assert [(w.file.name, w.line, w.code) for w in report.warnings] == [
        ("01.md", 3, "citation-no-bibliography")]
    assert report.warnings[0].message.startswith("2 works cited (the first here, @knuth84)")
