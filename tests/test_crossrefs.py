"""Cross-references with Quarto's syntax: labelled figures, tables and sections
are numbered per chapter, referred to as "Figure 2.1" in the book's language,
linked across chapters; an unknown or twice-defined label is an error with its
line."""

from __future__ import annotations

from PIL import Image
from bookbuild import BuildOptions, build_book
from bookbuild.refs.crossrefs import Label, chapter_numbers, is_crossref, numbers
from bookbuild.source.manuscript import Chapter

from conftest import NS, Epub, write_book
from test_citations import refused

PREFACE = """\
    # Preface

    ![Before it all](../plot.png){#fig-early}

    See @fig-early, @sec-two and @sec-method.
    """
ONE = """\
    # One {#sec-one}

    As @fig-plot shows, and [-@tbl-nums] lists; more in @sec-method and @fig-other.

    ![A plot](../plot.png){#fig-plot}

    ![Unlabelled, unnumbered](../plot.png)

    | a | b |
    |---|---|
    | 1 | 2 |

    : Numbers {#tbl-nums}
    """
TWO = """\
    # Two {#sec-two}

    ## Method {#sec-method}

    Back to @sec-one, @fig-plot and [see @tbl-nums, row 1].

    ![Another](../plot.png){#fig-other}
    """


def xref_book(root, language: str = "en"):
    book = write_book(root, {"00-preface.md": PREFACE, "01-one.md": ONE, "02-two.md": TWO},
                      f"""\
                      title: Crossed
                      language: {language}
                      author: A
                      chapters:
                        - {{file: manuscript/00-preface.md, type: preface}}
                        - manuscript/01-one.md
                        - manuscript/02-two.md
                      """)
    Image.new("RGB", (120, 80), "white").save(book / "plot.png")
    return book


def xrefs_of(epub: Epub, doc: str) -> list[tuple[str, str]]:
    return [("".join(a.itertext()), a.get("href"))
            for a in epub.xml(doc).iterfind(".//h:a[@class='xref']", NS)]


def captions_of(epub: Epub, doc: str) -> list[str]:
    tree = epub.xml(doc)
    return [" ".join("".join(c.itertext()).split())
            for c in tree.iterfind(".//*", NS) if c.tag in (f"{{{NS['h']}}}figcaption",
                                                            f"{{{NS['h']}}}caption")]


def test_references_resolve_across_chapters_with_numbered_captions(tmp_path):
    report = build_book(xref_book(tmp_path / "book"), BuildOptions(out_dir=tmp_path / "out"))
    assert report.artifact("epub").check.passed, report.artifact("epub").check.messages
    epub = Epub(report.artifact("epub").path)
    preface, one, two = epub.chapters()
    assert xrefs_of(epub, preface) == [("Figure\u00a01", "#fig-early"),
                                       ("Chapter\u00a02", "c03-02-two.xhtml#sec-two"),
                                       ("Method", "c03-02-two.xhtml#sec-method")]
    assert xrefs_of(epub, one) == [("Figure\u00a01.1", "#fig-plot"), ("1.1", "#tbl-nums"),
                                   ("Method", "c03-02-two.xhtml#sec-method"),
                                   ("Figure\u00a02.1", "c03-02-two.xhtml#fig-other")]
    assert xrefs_of(epub, two) == [("Chapter\u00a01", "c02-01-one.xhtml#sec-one"),
                                   ("Figure\u00a01.1", "c02-01-one.xhtml#fig-plot"),
                                   ("Table\u00a01.1", "c02-01-one.xhtml#tbl-nums")]
    text = " ".join("".join(epub.xml(two).find(".//h:p", NS).itertext()).split())
    assert text == "Back to Chapter 1, Figure 1.1 and see Table 1.1, row 1."
    assert captions_of(epub, preface) == ["Figure 1: Before it all"]
    assert captions_of(epub, one) == ["Figure 1.1: A plot", "Unlabelled, unnumbered",
                                      "Table 1.1: Numbers"]
    assert captions_of(epub, two) == ["Figure 2.1: Another"]


def test_the_words_follow_the_books_language(tmp_path):
    report = build_book(xref_book(tmp_path / "book", "de"),
                        BuildOptions(out_dir=tmp_path / "out", check=False))
    epub = Epub(report.artifact("epub").path)
    assert xrefs_of(epub, epub.chapters()[2])[:2] == [
        ("Kapitel\u00a01", "c02-01-one.xhtml#sec-one"),
        ("Abbildung\u00a01.1", "c02-01-one.xhtml#fig-plot")]


def test_an_unknown_label_is_an_error_with_its_line(tmp_path):
    book = xref_book(tmp_path / "book")
    two = book / "manuscript" / "02-two.md"
    two.write_text(two.read_text() + "\nBroken: @fig-nope.\n\nAnd [see @tbl-gone].\n")
    assert refused(book) == [
        f"bookbuild: error: {two}:9: unknown cross-reference @fig-nope: no figure, table or "
        "section has that label [crossref-unknown]",
        f"bookbuild: error: {two}:11: unknown cross-reference @tbl-gone: no figure, table or "
        "section has that label [crossref-unknown]"]


def test_a_label_defined_twice_in_the_book_is_an_error_with_its_line(tmp_path):
    book = xref_book(tmp_path / "book")
    two = book / "manuscript" / "02-two.md"
    two.write_text(two.read_text() + "\nText.\n\n![Again](../plot.png){#fig-plot}\n")
    assert refused(book) == [f"bookbuild: error: {two}:11: cross-reference label "
                             "#fig-plot is defined twice in the book [crossref-duplicate]"]


def test_numbering_follows_quarto_books():
    chapters = [Chapter(i + 1, None, kind, None, "") for i, kind in
                enumerate(["preface", "chapter", "chapter", "appendix", "appendix"])]
    assert chapter_numbers(chapters) == ["", "1", "2", "A", "B"]
    labels = [(), (Label("fig", "fig-a", ""), Label("fig", "fig-b", ""),
                   Label("tbl", "tbl-a", "")), (), (Label("sec", "sec-app", "Data", True),
                                                    Label("fig", "fig-c", "")), ()]
    table, _ = numbers(chapters, labels, "en", {})
    assert [(t.id, t.text, t.number) for t in table.values()] == [
        ("fig-a", "Figure\u00a01.1", "1.1"), ("fig-b", "Figure\u00a01.2", "1.2"),
        ("tbl-a", "Table\u00a01.1", "1.1"), ("sec-app", "Appendix\u00a0A", "A"),
        ("fig-c", "Figure\u00a0A.1", "A.1")]
    # the book's own labels (bookdown's language:), the number where {n} is
    own, _ = numbers(chapters, labels, "fr", {"appendix": "{n}. melléklet", "figure": "FIG. {n}"})
    assert [t.text for t in own.values()] == [
        "FIG.\u00a01.1", "FIG.\u00a01.2", "Tableau\u00a01.1", "A. melléklet", "FIG.\u00a0A.1"]
    assert is_crossref("fig-x") and not is_crossref("fig-") and not is_crossref("figure")
    assert not is_crossref("knuth84")


def test_a_new_figure_renumbers_the_references_of_cached_chapters(tmp_path):
    book = xref_book(tmp_path / "book")
    build_book(book, BuildOptions(out_dir=tmp_path / "a", check=False))
    one = book / "manuscript" / "01-one.md"
    one.write_text(one.read_text().replace("![A plot]", "![First](../plot.png){#fig-new}\n\n"
                                                        "![A plot]"))
    epub = Epub(build_book(book, BuildOptions(out_dir=tmp_path / "b", check=False))
                .artifact("epub").path)
    assert xrefs_of(epub, epub.chapters()[2])[1] == ("Figure\u00a01.2", "c02-01-one.xhtml#fig-plot")
