"""Links between chapters: the book is one document to its author."""

from __future__ import annotations

import pytest

from bookbuild import BuildOptions, build_book
from bookbuild.errors import LinkError

from conftest import NS, Epub, write_book

ONE = """\
    # One

    ## Background

    See [the method](02-two.md#method), [chapter two](02-two.md), [by id](#sec-setup),
    [Method][], [this too][Method], [own background](#background), [Background][],
    [bookdown style](02-two.html#method) and [the web](https://example.org).
    A note[^1].

    [^1]: With a link [to setup](#sec-setup) and [home](#background).
    """
TWO = """\
    # Two

    ## Background

    ## Method

    ## Setup {#sec-setup}

    Back to [one](01-one.md#one), [own background](#background), [Background][] and
    <a href="01-one.md#background">raw HTML</a>.
    """


def links_of(epub: Epub, doc: str) -> dict[str, str]:
    return {"".join(a.itertext()): a.get("href")
            for a in epub.xml(doc).iterfind(".//h:a", NS) if a.get("class") is None}


@pytest.mark.parametrize("placement", ["chapter", "book"])
def test_every_form_of_link_lands_on_its_element(tmp_path, placement):
    write_book(tmp_path / "book", {"01-one.md": ONE, "02-two.md": TWO},
               f"title: Links\nlanguage: en\nauthor: A\nnotes: {placement}\n")
    report = build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out"))
    epub_artifact = report.artifact("epub")
    assert epub_artifact.check.passed, [str(m) for m in epub_artifact.check.messages]
    epub = Epub(epub_artifact.path)
    one, two = epub.chapters()
    assert links_of(epub, one) == {
        "the method": "c02-02-two.xhtml#method", "chapter two": "c02-02-two.xhtml",
        "by id": "c02-02-two.xhtml#sec-setup", "Method": "c02-02-two.xhtml#method",
        "this too": "c02-02-two.xhtml#method", "own background": "#background",
        "Background": "#background", "bookdown style": "c02-02-two.xhtml#method",
        "the web": "https://example.org",
        **({"to setup": "c02-02-two.xhtml#sec-setup", "home": "#background"}
           if placement == "chapter" else {}),
    }
    # The second "Background" is renamed through the book, links inside its chapter follow.
    assert links_of(epub, two) == {
        "one": "c01-01-one.xhtml#one", "own background": "#background-1",
        "Background": "#background-1", "raw HTML": "c01-01-one.xhtml#background"}
    assert epub.xml(two).find(".//h:h2[@id='background-1']", NS) is not None
    nav = epub.xml("EPUB/nav.xhtml")
    assert nav.find(".//h:a[@href='text/c02-02-two.xhtml#background-1']", NS) is not None
    if placement == "book":  # a link in a note at the end of the book leaves its notes file
        notes = epub.xml("EPUB/text/notes-01.xhtml")
        assert links_of(epub, "EPUB/text/notes-01.xhtml") == {
            "to setup": "c02-02-two.xhtml#sec-setup", "home": "c01-01-one.xhtml#background"}
        assert notes.find(".//h:li[@id='c01-01-one-note-1']", NS) is not None


def test_links_to_nowhere_stop_the_build_with_their_lines(tmp_path):
    write_book(tmp_path / "book", {"01-one.md": ONE, "02-two.md": TWO, "03-three.md": """\
        # Three

        A [broken](#nowhere) link.

        Also [missing](04-four.md), [bad id](02-two.md#nope) and <a href="#rawgone">raw</a>.
        """})
    with pytest.raises(LinkError) as info:
        build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out", check=False))
    assert [(p.file.name, p.line, p.code) for p in info.value.problems] == [
        ("03-three.md", 3, "link-nowhere")] + [("03-three.md", 5, "link-nowhere")] * 3
    assert [(p.file.name, p.line, p.message) for p in info.value.problems] == [
        ("03-three.md", 3, "link to #nowhere: no element has the identifier #nowhere in this book"),
        ("03-three.md", 5, "link to 04-four.md: 04-four.md is not a chapter of this book "
                           "(links can lead to chapters and to web addresses)"),
        ("03-three.md", 5, "link to 02-two.md#nope: 02-two.md has no element with the "
                           "identifier #nope"),
        ("03-three.md", 5, "link to #rawgone: no element has the identifier #rawgone in this book"),
    ]
    assert not (tmp_path / "out").exists()  # nothing written


def test_an_identifier_used_twice_in_a_chapter_is_an_error(tmp_path):
    write_book(tmp_path / "book", {"a.md": "# A\n\n[x]{#dup}\n\n[y]{#dup}\n"})
    with pytest.raises(LinkError) as info:
        build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out", check=False))
    assert [(p.file.name, p.line, p.code) for p in info.value.problems] == [
        ("a.md", 5, "id-duplicate")]


def test_author_ids_never_take_bookbuilds_own(tmp_path):
    write_book(tmp_path / "book", {"a.md": "# A\n\n## Note 1\n\nText[^1] [see](#note-1).\n\n"
                                           "[^1]: N.\n"})
    report = build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out"))
    assert report.artifact("epub").check.passed
    epub = Epub(report.artifact("epub").path)
    (doc,) = epub.chapters()
    assert epub.xml(doc).find(".//h:h2", NS).get("id") == "note-1-1"
    assert links_of(epub, doc)["see"] == "#note-1-1"


def test_a_web_address_without_a_host_is_no_link(tmp_path):
    """Bare text that autolink_bare_uris reads as an address (bookdown's reading)
    stays text; a link the author wrote to one stops the build at its line.
    EPUBCheck would refuse either (RSC-020)."""
    bare = "# A\n\nFetch it from _http://.../data.csv_ or <https://example.org>.\n"
    config = "title: T\nlanguage: en\nauthor: A\nmarkdown: markdown+autolink_bare_uris\n"
    write_book(tmp_path / "book", {"a.md": bare + "\nOr [home](http://?q=1).\n"}, config)
    with pytest.raises(LinkError) as info:
        build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out", check=False))
    assert [(p.line, p.message) for p in info.value.problems] == [
        (5, "link to http://?q=1: a web address needs a host")]
    write_book(tmp_path / "book", {"a.md": bare}, config)
    build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out", check=False))
    (epub,) = (tmp_path / "out").glob("*.epub")
    page = Epub(epub).xml("EPUB/text/c01-a.xhtml")
    assert [a.get("href") for a in page.iterfind(".//h:a", NS)] == ["https://example.org"]
    assert "Fetch it from http://…/data.csv or" in "".join(page.itertext())
