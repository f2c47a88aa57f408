"""Raw HTML and raw TeX in chapters: refused, mapped or counted from Pandoc's
AST, each problem with its code at its Markdown line, never a bug."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from bookbuild import BuildOptions, build_book
from bookbuild.chapters import images
from bookbuild.chapters.rawmarkup import tex_kind
from bookbuild.cli import main
from bookbuild.errors import BAD_INPUT, BookbuildError

from conftest import NS, build_epub, write_book


def problems_of(tmp_path: Path, chapters: dict[str, str]) -> list[tuple[str, int | None, str]]:
    """(file relative to the book, line, code) of every problem that stops the build."""
    write_book(tmp_path, chapters)
    with pytest.raises(BookbuildError) as info:
        build_book(tmp_path, BuildOptions(out_dir=tmp_path / "dist", check=False,
                                          formats=("epub",)))
    assert not (tmp_path / "dist").exists() or not any((tmp_path / "dist").iterdir())
    return [(p.file.relative_to(tmp_path).as_posix(), p.line, p.code)
            for p in info.value.problems]


@pytest.mark.parametrize("tag", ["aside", "section", "i"])
def test_a_tag_left_open_around_a_note_is_bad_input_at_its_line(tmp_path, tag):
    write_book(tmp_path, {"01.md": f"# One\n\nText[^a] here.\n\n<{tag}>\nSome words.\n\n"
                                   "[^a]: The note.\n"})
    result = CliRunner().invoke(main, ["build", "--no-check", "--format", "epub", str(tmp_path)])
    assert result.exit_code == BAD_INPUT, result.output
    assert "01.md:5:" in result.output and "[raw-html-unbalanced]" in result.output
    assert "bug" not in result.output


def test_every_raw_html_problem_at_once_with_its_line(tmp_path):
    chapter = ("# One\n\n"
               "Code `<font>` and `<see>` is no HTML.\n\n"  # decoys
               "```\n<aside>\n```\n\n"
               "See <font color=\"red\">red</font>.\n\n"
               "A <see>word</see> here.\n\n"
               "Stray </em> closing.\n\n"
               "<svg><circle r=\"1\"/></svg>\n")
    assert problems_of(tmp_path, {"01.md": chapter}) == [
        ("manuscript/01.md", 9, "raw-html-invalid"),
        ("manuscript/01.md", 11, "raw-html-invalid"),
        ("manuscript/01.md", 13, "raw-html-unbalanced"),
    ]


def test_an_attribute_html5_does_not_have_is_bad_input_at_its_line(tmp_path):
    """EPUBCheck refuses an attribute HTML5 dropped or never had: it stops at the
    Markdown line. Global, data-, aria- and the element's own attributes pass,
    and so do HTML 4's presentational ones that are mapped to CSS."""
    chapter = ("# One\n\n"
               '<p class="x" id="p1" lang="fr" data-k="v" aria-label="l">Fine.</p>\n\n'
               '<table summary="old" width="50%" cellpadding="2">\n'
               '<tr><td hspace="3" colspan="2" valign="top">A</td></tr>\n</table>\n\n'
               'An <a name="old" href="#p1">anchor</a> and '
               '<img src="x.png" alt="x" width="4" hspace="2"/>.\n\n'
               '<svg viewBox="0 0 1 1"><circle r="1" fill="red"/></svg>\n\n'
               '<video src="v.mp4" webkit-playsinline>Its fallback.</video>\n')
    found = problems_of(tmp_path, {"01.md": chapter})  # timed media: its fallback content
    assert found == [("manuscript/01.md", 5, "raw-html-invalid"),  # table summary
                     ("manuscript/01.md", 6, "raw-html-invalid"),  # td hspace
                     ("manuscript/01.md", 9, "raw-html-invalid")], found  # a name


def test_the_line_is_the_raw_element_s_not_the_first_text_like_it(tmp_path):
    chapter = "# One\n\n    <aside>\n\nA <aside>\nleft open.\n"
    assert problems_of(tmp_path, {"01.md": chapter}) == [("manuscript/01.md", 5,
                                                          "raw-html-unbalanced")]


def test_balanced_raw_html_keeps_notes_linked_and_obsolete_tags_are_mapped(tmp_path):
    write_book(tmp_path, {"01.md": "# One\n\nText[^a] `<aside>`.\n\n<aside>\nSome words[^b].\n"
                                   "</aside>\n\n<center>\nCentred *text*.\n</center>\n\n"
                                   "A <tt>mono</tt> and <strike>old</strike>.\n\n"
                                   '<p align="Right">Signed.</p>\n\n'
                                   '<div align="sideways">\nPlain.\n</div>\n\n'
                                   '<table width="90%" cellpadding="3" bgcolor="#eee">\n'
                                   '<tr><td valign="Top" width="40" nowrap>A</td>'
                                   '<td height="x">B</td></tr>\n</table>\n\n'
                                   "[^a]: The note.\n[^b]: Other.\n"})
    report, epub = build_epub(tmp_path, tmp_path / "dist")
    (doc,) = epub.chapters()
    tree = epub.xml(doc)
    aside = tree.find(".//h:aside", NS)
    assert aside.find(".//h:a[@epub:type='noteref']", NS).get("href") == "#note-2"
    assert tree.find(".//h:li[@id='note-2']//h:a", NS).get("href") == "#noteref-2"
    assert tree.find(".//h:div[@class='center']/h:em", NS).text == "text"
    assert tree.find(".//h:code", NS) is not None and tree.find(".//h:s", NS).text == "old"
    assert tree.find(".//h:center", NS) is None
    # HTML 4's align: a class the stylesheet gives its meaning; a value it never had goes
    assert tree.find(".//h:p[@class='align-right']", NS).text.strip() == "Signed."
    assert not tree.xpath("//@align") and tree.find(".//h:div[@class]", NS).get("class") \
        == "center"
    # HTML 4's other presentational attributes: the CSS HTML's rendering section gives them
    # (a value that is no length goes)
    assert [el.get("style") for el in tree.iterfind(".//h:table", NS)] + \
        [el.get("style") for el in tree.iterfind(".//h:td", NS)] == [
        "width: 90%; background-color: #eee",
        "width: 40px; vertical-align: top; white-space: nowrap; padding: 3px", "padding: 3px"]
    assert not tree.xpath("//@height | //@cellpadding", namespaces=NS)


def test_video_and_audio_are_their_fallback_content_with_a_warning_at_the_first(tmp_path):
    """A local video (a file of the book) or a remote one: no edition plays
    either, so neither is carried; the book shows what HTML shows where it
    cannot play, and EPUBCheck finds nothing missing."""
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "spin.mp4").write_bytes(b"\0\0\0\x18ftypmp42")
    write_book(tmp_path, {"01.md": "# One\n\nBefore[^a].\n\n"
                                   '<video width="320" controls>\n<source src="spin.mp4" '
                                   'type="video/mp4">\n</video>\n\n'
                                   '<video src="https://example.org/b.webm">\n'
                                   "<p>The wheel turns twice.</p>\n</video>\n\n"
                                   'Hear <audio src="hum.ogg">a hum</audio> too.\n\n'
                                   "[^a]: The note.\n"})
    report, epub = build_epub(tmp_path, tmp_path / "dist")
    tree = epub.xml(epub.chapters()[0])
    assert not tree.xpath("//h:video | //h:audio | //h:source", namespaces=NS)
    assert ["".join(p.itertext()).strip() for p in tree.iterfind(".//h:section/h:p", NS)][1:3] == [
        "The wheel turns twice.", "Hear a hum too."]
    assert not [n for n in epub.names if n.endswith((".mp4", ".webm", ".ogg"))]
    assert [(w.file.name, w.line, w.message.split(":")[0]) for w in report.warnings
            if w.code == "media-timed"] == [
        ("01.md", 13, "<audio> (1 in this chapter, the first here) cannot play in an e-book or "
                      "on paper"),
        ("01.md", 5, "<video> (2 in this chapter, the first here) cannot play in an e-book or "
                     "on paper")]


def test_raw_tex_is_one_warning_per_kind_with_its_count_and_first_place(tmp_path):
    write_book(tmp_path, {"01.md": "# One\n\nWords `\\index{x}`.\n\nA \\index{x} here.\n",
                          "02.md": "# Two\n\n\\newpage\n\nB \\index{y} and \\foo.\n\n"
                                   "\\begin{center}\nx\n\\end{center}\n"})
    report = build_book(tmp_path, BuildOptions(out_dir=tmp_path / "dist", check=False,
                                               formats=("epub",)))
    found = [(w.file.name, w.line, w.code, w.message.split(" (")[0])
             for w in report.warnings if w.code == "raw-tex"]
    assert found == [("01.md", 5, "raw-tex", "raw TeX \\index"),
                     ("02.md", 3, "raw-tex", "raw TeX \\newpage"),
                     ("02.md", 5, "raw-tex", "raw TeX \\foo"),
                     ("02.md", 7, "raw-tex", "raw TeX \\begin{center}")]
    assert "2 times" in next(w.message for w in report.warnings if "\\index" in w.message)


def test_a_paragraph_of_nothing_but_raw_tex_leaves_no_empty_paragraph(tmp_path):
    # bookdown's index entries under a heading: the text after them is the
    # heading's first paragraph (set without an indent), not the second.
    write_book(tmp_path, {"01.md": "# One\n\n## Section\n\\index{a}\n\\index{b}\n\n"
                                   "First words.\n\nA \\index{c} word.\n"})
    _, epub = build_epub(tmp_path, tmp_path / "dist", check=False)
    body = epub.xml(epub.chapters()[0]).find(".//h:body", NS)
    heading = body.find(".//h:h2", NS)
    assert "".join(heading.getnext().itertext()).strip() == "First words."
    assert ["".join(p.itertext()).strip() for p in body.iterfind(".//h:p", NS)] == [
        "First words.", "A  word."]


@pytest.mark.parametrize("raw, kind", [("\\index{a}", "\\index"), ("\\begin{tabular}{ll}", "\\begin{tabular}"),
                                       ("\\\\", "\\\\")])
def test_a_tex_kind_is_its_first_command(raw, kind):
    assert tex_kind(raw) == kind


def _svg(doctype: str) -> str:
    return (f'<?xml version="1.0"?>\n{doctype}\n'
            '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><rect width="1" height="1"/></svg>\n')


SVG11 = ('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
         '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">')


def test_every_image_problem_of_every_chapter_at_once(tmp_path):
    for part, text in [("part1", "# One\n\n![](a.png)\n\n![A](missing.png)\n"),
                       ("part2", "# Two\n\n![B](b.png)\n\n![C](c.svg)\n\n![D](d.svg)\n")]:
        (tmp_path / "manuscript" / part).mkdir(parents=True)
        (tmp_path / "manuscript" / part / "intro.md").write_text(text)
    (tmp_path / "manuscript/part1/a.png").write_bytes(b"\x89PNG")
    (tmp_path / "manuscript/part2/b.png").write_bytes(b"GIF89a")
    (tmp_path / "manuscript/part2/c.svg").write_text(_svg('<!DOCTYPE svg [<!ENTITY x "y">]>'))
    (tmp_path / "manuscript/part2/d.svg").write_text(_svg(SVG11))  # as draw.io writes it: fine
    (tmp_path / "book.yaml").write_text("title: T\nlanguage: en\nauthor: A\nchapters:\n"
                                        "  - manuscript/part1/intro.md\n"
                                        "  - manuscript/part2/intro.md\n")
    with pytest.raises(BookbuildError) as info:
        build_book(tmp_path, BuildOptions(out_dir=tmp_path / "dist", check=False,
                                          formats=("epub",)))
    assert [(p.file.relative_to(tmp_path).as_posix(), p.line, p.code)
            for p in info.value.problems] == [
        ("manuscript/part1/intro.md", 3, "image-alt-missing"),
        ("manuscript/part1/intro.md", 3, "image-unreadable"),
        ("manuscript/part1/intro.md", 5, "image-missing"),
        ("manuscript/part2/intro.md", 3, "image-unreadable"),
        ("manuscript/part2/intro.md", 5, "svg-invalid")]
    assert not (tmp_path / "dist").exists()


#: What Adobe Illustrator writes before the DOCTYPE.
GENERATOR = "<!-- Generator: Adobe Illustrator 15.1.0, SVG Export Plug-In -->\n"


@pytest.mark.parametrize("before", ["", GENERATOR])
def test_the_public_svg_doctype_is_accepted_and_stripped(tmp_path, before):
    write_book(tmp_path, {"01.md": "# One\n\n![A chart](chart.svg)\n"})
    (tmp_path / "manuscript/chart.svg").write_text(_svg(before + SVG11))
    report, epub = build_epub(tmp_path, tmp_path / "dist")
    (svg,) = [n for n in epub.names if n.endswith(".svg")]
    assert b"<!DOCTYPE" not in epub.files[svg] and b"<rect" in epub.files[svg]


@pytest.mark.parametrize("before", ["", GENERATOR])
def test_a_public_svg_doctype_with_declarations_of_its_own_is_refused(tmp_path, before):
    doctype = SVG11.replace(">", ' [<!ATTLIST svg class CDATA "x">]>')
    path = tmp_path / "chart.svg"
    with pytest.raises(BookbuildError, match="declares a DTD of its own"):
        images._svg(path, _svg(before + doctype).encode())


def test_an_svg_id_that_is_no_xml_name_goes_unless_something_names_it(tmp_path):
    """A diagram editor's layer ids ("sketch: Layer 1") are no XML names and
    EPUBCheck refuses them: unused, they go (the valid ones stay); named by a
    reference, renaming is the author's, and the image is refused."""
    def svg(body: str) -> str:
        return _svg("").replace('<rect width="1" height="1"/>', body)
    write_book(tmp_path, {"01.md": "# One\n\n![A diagram](d.svg)\n"})
    (tmp_path / "manuscript/d.svg").write_text(svg(
        '<g id="sketch"><g id="sketch: Layer 1"><rect id="1st" width="1" height="1"/></g></g>'))
    report, epub = build_epub(tmp_path, tmp_path / "dist")
    (name,) = [n for n in epub.names if n.endswith(".svg")]
    assert etree.fromstring(epub.files[name]).xpath("//@id") == ["sketch"]
    named = svg('<g id="a b"><rect width="1" height="1"/></g><use href="#a b"/>').encode()
    with pytest.raises(BookbuildError, match="'a b', which is no XML name, and refers to it"):
        images._svg(tmp_path / "e.svg", named)


def test_a_duplicate_identifier_in_a_block_quote_is_at_its_heading_s_line(tmp_path):
    chapter = "# One {#x}\n\nText.\n\n> Quoted.\n>\n> ## Two {#x}\n"
    assert problems_of(tmp_path, {"01.md": chapter}) == [("manuscript/01.md", 7, "id-duplicate")]


def test_each_link_to_nowhere_at_its_own_line_and_a_tab_before_a_title(tmp_path):
    chapter = "# One\n\n[a](/url).\n\n[b](/url/\t\"a title\").\n\n[c](/url).\n"
    assert problems_of(tmp_path, {"01.md": chapter}) == [
        ("manuscript/01.md", 3, "link-nowhere"), ("manuscript/01.md", 5, "link-nowhere"),
        ("manuscript/01.md", 7, "link-nowhere")]


def test_a_reference_to_a_definition_above_it_is_at_the_reference_s_line(tmp_path):
    chapter = "# One\n\n[a](/foo%20bar).\n\n[other]: /foo\n\nSee [other].\n"
    assert problems_of(tmp_path, {"01.md": chapter}) == [
        ("manuscript/01.md", 3, "link-nowhere"), ("manuscript/01.md", 7, "link-nowhere")]


def test_fonts_in_an_svgs_foreign_object_become_styled_spans(tmp_path):
    """draw.io writes its HTML labels' sizes with <font>, which EPUBCheck refuses
    in the XHTML of a foreignObject; the span it stands for carries its style."""
    label = ('<foreignObject width="80" height="20"><div xmlns="http://www.w3.org/1999/xhtml">'
             '<font style="font-size: 18px;">Heap</font> and <font color="#f00" size="+2" '
             'face="Fira Sans">stack</font></div></foreignObject>')
    write_book(tmp_path, {"01.md": "# One\n\n![The memory](memory.svg)\n"})
    (tmp_path / "manuscript/memory.svg").write_text(_svg(GENERATOR + SVG11).replace(
        "<rect", label + "<rect"))
    report, epub = build_epub(tmp_path, tmp_path / "dist")
    (svg,) = [n for n in epub.names if n.endswith(".svg")]
    spans = etree.fromstring(epub.files[svg]).iterfind(".//{http://www.w3.org/1999/xhtml}span")
    assert [(span.text, span.get("style")) for span in spans] == [
        ("Heap", "font-size: 18px"),
        ("stack", "color: #f00; font-family: Fira Sans; font-size: x-large")]
