"""The book's structure: parts nest their chapters in the nav and NCX,
``toc-depth``, front and back matter with their structural types and
landmarks, and titles that are never file names."""

from __future__ import annotations

from bookbuild import BuildOptions, build_book

from conftest import NS, Epub, write_book

EPOCH = 1700000000

STRUCTURED = """\
title: Parts and Pages
language: en
author: A. Writer
chapters:
  - file: manuscript/00-dedication.md
    type: dedication
  - file: manuscript/01-epigraph.md
    type: epigraph
  - file: manuscript/02-foreword.md
    type: foreword
  - file: manuscript/03-part-one.md
    type: part
  - manuscript/04-one.md
  - manuscript/05-two.md
  - file: manuscript/06-part-two.md
    type: part
  - manuscript/07-three.md
  - file: manuscript/08-afterword.md
    type: afterword
  - file: manuscript/09-thanks.md
    type: acknowledgements
  - file: manuscript/10-colophon.md
    type: colophon
"""

CHAPTERS = {
    "00-dedication.md": "For M., who read every draft.\n",
    "01-epigraph.md": "> The margin is where the reader talks back.\n",
    "02-foreword.md": "# A Word Before\n\nWhy this book.[^1]\n\n[^1]: A note.\n",
    "03-part-one.md": "# Part One: Beginnings\n",
    "04-one.md": "# First\n\nText.\n\n## Section A\n\nA.\n\n### Deep\n\nDeep.\n",
    "05-two.md": "---\ntitle: Second, by its YAML title\n---\n\nNo heading, a title.\n",
    "06-part-two.md": "# Part Two: Endings\n",
    "07-three.md": "# Third\n\nText.\n",
    "08-afterword.md": "# Afterword\n\nAfter.\n",
    "09-thanks.md": "# Thanks\n\nTo all.\n",
    "10-colophon.md": "Set in Noto Serif.\n",
}


def _nav_tree(ol, ns=NS):
    """The nav's list as (label, [children]) pairs."""
    return [(li.find("h:a", ns).text, _nav_tree(li.find("h:ol", ns)) if li.find("h:ol", ns)
             is not None else []) for li in ol.findall("h:li", ns)]


def _ncx_tree(parent):
    return [(p.find("ncx:navLabel/ncx:text", NS).text, _ncx_tree(p))
            for p in parent.findall("ncx:navPoint", NS)]


def _build(tmp_path, config=STRUCTURED, chapters=CHAPTERS, check=True):
    write_book(tmp_path / "book", chapters, config)
    report = build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out", check=check,
                                                        source_date_epoch=EPOCH, formats=("epub",)))
    return report, Epub(report.artifact("epub").path)


def test_parts_nest_their_chapters_in_nav_and_ncx(tmp_path):
    report, epub = _build(tmp_path)
    check = report.artifact("epub").check
    assert (check.fatal, check.error, check.warning) == (0, 0, 0), [str(m) for m in check.messages]
    toc = epub.xml("EPUB/nav.xhtml").find(".//h:nav[@id='toc']/h:ol", NS)
    expected = [
        ("Dedication", []), ("Epigraph", []), ("A Word Before", []),
        # depth 2 by default: chapters and their sections, under their parts
        ("Part One: Beginnings", [("First", [("Section A", [])]),
                                  ("Second, by its YAML title", [])]),
        ("Part Two: Endings", [("Third", [])]),
        ("Afterword", []), ("Thanks", []), ("Colophon", []),
    ]
    assert _nav_tree(toc) == expected
    ncx = epub.xml("EPUB/toc.ncx")
    assert _ncx_tree(ncx.find("ncx:navMap", NS)) == expected
    assert ncx.find(".//ncx:meta[@name='dtb:depth']", NS).get("content") == "3"


def test_no_heading_warning_only_where_a_heading_is_expected(tmp_path):
    report, _ = _build(tmp_path, check=False)
    warned = {w.file.name for w in report.warnings if w.code == "heading-missing"}
    # the dedication and epigraph have none by custom; the chapter with a YAML
    # title shows it as its heading; the colophon is told
    assert warned == {"10-colophon.md"}, report.warnings


def test_front_and_back_matter_types_and_landmarks(tmp_path):
    _, epub = _build(tmp_path, check=False)
    types = {}
    for doc in epub.chapters():
        section = epub.xml(doc).find(".//h:section", NS)
        types[doc.rsplit("/", 1)[1]] = (section.get("{http://www.idpf.org/2007/ops}type"),
                                        section.get("role"))
    assert types["c01-00-dedication.xhtml"] == ("dedication", "doc-dedication")
    assert types["c02-01-epigraph.xhtml"] == ("epigraph", "doc-epigraph")
    assert types["c03-02-foreword.xhtml"] == ("foreword", "doc-foreword")
    assert types["c09-08-afterword.xhtml"] == ("afterword", "doc-afterword")
    assert types["c10-09-thanks.xhtml"] == ("acknowledgments", "doc-acknowledgments")
    assert types["c11-10-colophon.xhtml"] == ("colophon", "doc-colophon")
    marks = [(a.get("{http://www.idpf.org/2007/ops}type"), a.get("href"), a.text) for a in
             epub.xml("EPUB/nav.xhtml").iterfind(".//h:nav[@id='landmarks']//h:a", NS)]
    # the title page bookbuild writes opens the front matter, before the author's dedication
    assert [m[0] for m in marks] == ["cover", "toc", "titlepage", "dedication", "epigraph",
                                     "foreword", "bodymatter", "afterword", "acknowledgments",
                                     "colophon"]
    assert marks[2] == ("titlepage", "text/titlepage.xhtml", "Title Page")
    assert marks[3] == ("dedication", "text/c01-00-dedication.xhtml", "Dedication")
    assert marks[6][1] == "text/c04-03-part-one.xhtml"
    # front matter before the contents page, as in a printed book
    assert epub.spine().index("nav.xhtml") == epub.spine().index("text/c04-03-part-one.xhtml") - 1


def test_toc_depth(tmp_path):
    for depth, deepest in ((1, 0), (2, 1), (3, 2)):
        config = STRUCTURED + f"toc-depth: {depth}\n"
        _, epub = _build(tmp_path / str(depth), config, check=False)
        first = epub.xml("EPUB/nav.xhtml").find(".//h:a[.='First']/..", NS)
        levels = len(first.xpath(".//h:ol", namespaces=NS)) and \
            max(len(a.xpath("ancestor::h:ol", namespaces=NS)) for a in first.iterfind(".//h:a", NS))
        # the chapter's own list sits under the part's: two ancestors at the chapter
        assert (levels - 2 if levels else 0) == deepest, depth


def test_toc_depth_out_of_range_is_a_config_error(tmp_path):
    from bookbuild.config import load_config
    from bookbuild.errors import ConfigError
    write_book(tmp_path, {"a.md": "# A\n"}, "title: T\nlanguage: en\nauthor: W\ntoc-depth: 4\n")
    try:
        load_config(tmp_path)
    except ConfigError as exc:
        assert [(p.line, p.message) for p in exc.problems] == [
            (4, "'toc-depth' must be 1, 2 or 3 (levels of the contents, a chapter being 1), not 4")]
    else:
        raise AssertionError("toc-depth: 4 was accepted")


def test_a_chapter_without_any_title_is_named_for_its_kind_in_the_books_language(tmp_path):
    config = "title: Sans titre\nlanguage: fr\nauthor: A\n"
    _, epub = _build(tmp_path, config, {"01-un.md": "Du texte.\n", "02-deux.md": "Encore.\n"},
                     check=False)
    labels = [a.text for a in epub.xml("EPUB/nav.xhtml").iterfind(".//h:nav[@id='toc']//h:a", NS)]
    assert labels == ["Chapitre 1", "Chapitre 2"]
    assert epub.xml("EPUB/text/c01-01-un.xhtml").find(".//h:title", NS).text == "Chapitre 1"


def test_every_language_has_every_word_with_the_same_placeholders():
    import string

    from bookbuild.lang import words

    def fields(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    english = words._WORDS["en"]
    assert len(words.languages()) >= 12
    assert {"ar", "he", "zh", "ja"} <= set(words.languages())
    for language, table in words._WORDS.items():
        assert table.keys() == english.keys(), language
        for key, text in table.items():
            assert fields(text) == fields(english[key]), (language, key)
            # mathematics shares its words across languages ("Lemma" in German too)
            assert text.strip() and (language == "en" or key in {"notes", "pages", "figure",
                                     "colophon", *words.ENVIRONMENTS}
                                     or text != english[key]), (language, key)


def test_a_part_made_from_its_title_alone(tmp_path):
    config = ("title: T\nlanguage: en\nauthor: A\nchapters:\n  - part: 'Part One: Beginnings'\n"
              "  - manuscript/01.md\n")
    report, epub = _build(tmp_path, config, {"01.md": "# First\n\nText.\n"})
    assert _nav_tree(epub.xml("EPUB/nav.xhtml").find(".//h:nav[@id='toc']/h:ol", NS)) == [
        ("Part One: Beginnings", [("First", [])])]
    part = epub.xml(epub.chapters()[0])
    assert part.findtext(".//h:section[@epub:type='part']/h:h1", None, NS) == "Part One: Beginnings"
    assert not report.warnings


def test_a_part_entry_is_its_title_alone(tmp_path):
    from bookbuild.config import load_config
    from bookbuild.errors import ConfigError
    write_book(tmp_path, {"01.md": "# A\n"}, "title: T\nlanguage: en\nauthor: A\nchapters:\n"
               "  - {part: P, file: manuscript/01.md}\n  - {title: No file}\n")
    try:
        load_config(tmp_path)
    except ConfigError as exc:
        assert [(p.line, p.message) for p in exc.problems] == [
            (5, "chapter 1: a 'part' entry is its title alone: no 'file', 'title', 'type' or 'markdown'"),
            (6, "chapter 2: 'file' is required")]
    else:
        raise AssertionError("accepted")
