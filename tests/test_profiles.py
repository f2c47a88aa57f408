"""Store profiles: kindle-epub, kobo, azw3 (through Calibre), and format choice."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from lxml import etree

from bookbuild import BuildOptions, build_book
from bookbuild.output import calibre
from bookbuild.errors import ConfigError, ToolMissingError

from conftest import NS, PROJECT, Epub, write_book
from test_build import EPOCH, run_cli

needs_calibre = pytest.mark.skipif(
    not calibre.available() and not os.environ.get("CI"),
    reason="Calibre is not installed here (CI installs it, and there this test must run)")

DEEP = {
    "01-a.md": """\
        # Alpha

        Text[^1] with a soft\u00adhyphen.

        ## Part one

        ### Detail one

        Again[^1].

        [^1]: A note with a soft\u00adhyphen inside.
        """,
    "02-b.md": "# Beta\n\nMore[^x].\n\n[^x]: Beta note.\n",
}


@pytest.fixture(scope="module")
def profiles_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("profiles")
    write_book(root / "book", DEEP, "title: Test Book\nlanguage: en\nauthor: A. Writer\n"
                                    "toc-depth: 3\n")
    report = build_book(root / "book", BuildOptions(
        out_dir=root / "out", source_date_epoch=EPOCH, formats=("epub", "kindle-epub", "kobo")))
    return report


def test_kindle_and_kobo_pass_epubcheck_and_keep_every_link(profiles_build):
    for fmt in ("epub", "kindle-epub", "kobo"):
        artifact = profiles_build.artifact(fmt)
        assert artifact.check.passed, (fmt, [str(m) for m in artifact.check.messages])
        assert artifact.notes.passed and artifact.notes.references == 3
    assert profiles_build.artifact("kindle-epub").path.name == "test-book.kindle.epub"
    assert profiles_build.artifact("kobo").path.name == "test-book.kepub.epub"


def test_kindle_notes_are_blocks_with_the_number_link_first(profiles_build):
    epub = Epub(profiles_build.artifact("kindle-epub").path)
    doc = epub.xml(epub.chapters()[0])
    assert doc.find(".//h:li", NS) is None
    notes = doc.findall(".//h:div[@class='note']", NS)
    assert [n.get("id") for n in notes] == ["note-1"]
    first = notes[0].find("h:p", NS)[0]
    assert (first.get("role"), first.text, first.get("href")) == ("doc-backlink", "1.", "#noteref-1")
    assert "\u00ad" not in "".join(notes[0].itertext())
    assert "\u00ad" in "".join(doc.find(".//h:p", NS).itertext())  # the body text keeps it


def _toc_depth(ol: etree._Element, depth: int = 1) -> int:
    children = ol.findall("h:li/h:ol", NS)
    return max([_toc_depth(c, depth + 1) for c in children], default=depth)


def test_kindle_toc_has_two_levels(profiles_build):
    standard = Epub(profiles_build.artifact("epub").path)
    kindle = Epub(profiles_build.artifact("kindle-epub").path)
    toc = ".//h:nav[@epub:type='toc']/h:ol"
    assert _toc_depth(standard.xml("EPUB/nav.xhtml").find(toc, NS)) == 3
    assert _toc_depth(kindle.xml("EPUB/nav.xhtml").find(toc, NS)) == 2
    ncx = kindle.xml("EPUB/toc.ncx")
    points = ncx.findall(".//{*}navPoint/{*}navPoint/{*}navPoint")
    assert points == []
    assert ncx.find(".//{*}meta[@name='dtb:depth']").get("content") == "2"
    assert b"object-fit" in standard.files["EPUB/styles/book.css"]
    assert b"object-fit" not in kindle.files["EPUB/styles/book.css"]


def test_kobo_back_links_use_a_glyph_kobo_fonts_have(profiles_build):
    standard = Epub(profiles_build.artifact("epub").path)
    kobo = Epub(profiles_build.artifact("kobo").path)
    link = ".//h:a[@class='note-backlink']"
    assert standard.xml(standard.chapters()[0]).find(link, NS).text == "\u21a9\ufe0e"
    assert "".join(kobo.xml(kobo.chapters()[0]).find(link, NS).itertext()) == "\u2191"
    for doc in kobo.chapters():
        for li in kobo.xml(doc).iterfind(".//h:li[@class='note']", NS):
            assert li.get("{http://www.idpf.org/2007/ops}type") == "endnote"


@needs_calibre
def test_format_all_writes_every_file_and_azw3_keeps_cover_metadata_and_notes(tmp_path):
    import mobi

    report = build_book(PROJECT, BuildOptions(out_dir=tmp_path, check=False,
                                              source_date_epoch=EPOCH, formats=("all",)))
    assert [a.format for a in report.artifacts] == [
        "epub", "kindle-epub", "kobo", "azw3", "cover-jpg", "cover-thumbnail", "pdf"]
    azw3 = report.artifact("azw3")
    assert azw3.notes.passed and azw3.notes.references == 16
    tempdir, epub_path = mobi.extract(str(azw3.path))
    try:
        oebps = Path(epub_path).parent / "OEBPS"
        opf = etree.parse(str(oebps / "content.opf")).getroot()
        md = opf.find("{*}metadata")
        assert md.findtext("{*}title").startswith("Notes from the Margin")
        assert [c.text for c in md.iterfind("{*}creator")] == ["Ada Quill"]
        assert md.findtext("{*}language").startswith("en")
        cover_id = md.find("{*}meta[@name='cover']").get("content")
        item = opf.find(f".//{{*}}item[@id='{cover_id}']")
        assert item.get("media-type") == "image/jpeg"
        assert (oebps / item.get("href")).read_bytes() == report.artifact("cover-jpg").path.read_bytes()
    finally:
        shutil.rmtree(tempdir, ignore_errors=True)


@needs_calibre
def test_azw3_is_byte_identical_across_builds(tmp_path):
    sums = []
    for run in ("a", "b"):
        report = build_book(PROJECT, BuildOptions(out_dir=tmp_path / run, check=False, cache=False,
                                                  source_date_epoch=EPOCH, formats=("azw3",)))
        sums.append(report.artifact("azw3").sha256)
    assert sums[0] == sums[1]


@needs_calibre
def test_an_unchanged_books_azw3_comes_from_the_cache(tmp_path, monkeypatch):
    """Calibre's output is reproducible (above), so the second build of the
    same Kindle EPUB takes the stored bytes; an edited book converts again."""
    options = BuildOptions(out_dir=tmp_path / "a", check=False, source_date_epoch=EPOCH,
                           formats=("azw3",))
    first = build_book(PROJECT, options).artifact("azw3")
    converted = []
    real = calibre.to_azw3
    monkeypatch.setattr(calibre, "to_azw3", lambda *a: (converted.append(a), real(*a)))
    again = build_book(PROJECT, dataclasses.replace(options, out_dir=tmp_path / "b"))
    assert (again.artifact("azw3").sha256, converted) == (first.sha256, [])
    later = build_book(PROJECT, dataclasses.replace(options, out_dir=tmp_path / "c",
                                                    source_date_epoch=EPOCH + 86400))
    assert len(converted) == 1 and later.artifact("azw3").sha256 != first.sha256


def test_without_calibre_azw3_is_skipped_unless_named(tmp_path, monkeypatch):
    monkeypatch.setattr(calibre, "available", lambda: False)
    write_book(tmp_path / "book", DEEP, "title: T\nlanguage: en\nauthor: A\n"
                                        "formats: [epub, azw3]\n")
    report = build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out", check=False))
    assert [a.format for a in report.artifacts] == ["epub"]
    assert report.warnings[0].code == "format-skipped"
    assert report.warnings[0].message.startswith("skipping azw3: Calibre's ebook-convert is needed")
    assert report.exit_code == 0
    with pytest.raises(ToolMissingError, match="apt-get install --no-install-recommends calibre"):
        build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "named", formats=("azw3",)))
    assert not (tmp_path / "named").exists()
    with pytest.raises(ToolMissingError):  # named in a comma list is named too
        build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "named",
                                                   formats=("epub,azw3",)))
    everything = build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "all", check=False,
                                                            formats=("all",)))
    assert "azw3" not in [a.format for a in everything.artifacts]


def test_cli_named_azw3_without_calibre_exits_2(tmp_path):
    write_book(tmp_path, DEEP)
    bare = tempfile.mkdtemp()  # a PATH with python but no Calibre
    os.symlink(shutil.which("java") or "/usr/bin/java", Path(bare) / "java")
    proc = run_cli("build", str(tmp_path), "--format", "azw3", env={"PATH": bare})
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("bookbuild: error: Calibre's ebook-convert is needed for AZW3; "
                                   "install it (Debian/Ubuntu: apt-get install "
                                   "--no-install-recommends calibre) [tool-missing]")
    assert not (tmp_path / "dist").exists()


def test_formats_are_validated(tmp_path):
    write_book(tmp_path, DEEP, "title: T\nlanguage: en\nauthor: A\nformats: [epub, mobi]\n")
    with pytest.raises(ConfigError, match="unknown: mobi"):
        build_book(tmp_path)
    write_book(tmp_path, DEEP)
    with pytest.raises(ConfigError, match="unknown format docx"):
        build_book(tmp_path, BuildOptions(formats=("epub,docx",)))



def test_kobo_wraps_every_sentence_in_kobo_spans_as_kepubify_does(profiles_build):
    standard = Epub(profiles_build.artifact("epub").path)
    kobo = Epub(profiles_build.artifact("kobo").path)
    for doc in kobo.chapters():
        root = kobo.xml(doc)
        inner = root.find("h:body/h:div[@id='book-columns']/h:div[@id='book-inner']", NS)
        assert inner is not None, doc
        spans = root.findall(".//h:span[@class='koboSpan']", NS)
        ids = [s.get("id") for s in spans]
        assert spans and len(set(ids)) == len(ids)
        assert all(re.fullmatch(r"kobo\.\d+\.\d+", i) for i in ids)
        # All reading text is inside spans, and the text is the standard EPUB's.
        for p in root.iterfind(".//h:p", NS):
            bare = [p.text, *(c.tail for c in p)]
            assert not any(t and t.strip() for t in bare), (doc, etree.tostring(p)[:200])
        assert _text(inner) == _text(standard.xml(doc).find("h:body", NS)).replace(
            "\u21a9\ufe0e", "\u2191")  # the Kobo back-link glyph
    nav = kobo.xml("EPUB/nav.xhtml")
    assert nav.find(".//h:span[@class='koboSpan']", NS) is None  # the nav is not text


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())
