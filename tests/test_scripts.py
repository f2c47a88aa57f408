"""Right-to-left and CJK books: direction from the language, bookbuild's own
words in the book's language, a designed cover in a font that has the title's
script (or a one-line warning, never empty boxes), and the print edition."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pypdfium2
import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageFont

from bookbuild.config import load_config
from bookbuild.look.cover import SIZE, design_cover
from bookbuild.lang.direction import book_direction
from bookbuild.look.scriptfaces import FACES, face_for

from conftest import NS, build_epub, write_book

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("language, direction", [
    ("he", "rtl"), ("ar", "rtl"), ("fa-IR", "rtl"), ("ur", "rtl"), ("yi", "rtl"), ("ps", "rtl"),
    ("az-Arab", "rtl"), ("dv", "rtl"), ("en", "ltr"), ("ja", "ltr"), ("zh-Hant", "ltr"),
    ("az", "ltr"), ("ru", "ltr")])
def test_direction_follows_the_languages_script(language, direction):
    assert book_direction(language) == direction


@pytest.mark.parametrize("book, language, direction, words", [
    ("hebrew-book", "he", "rtl", ("תוכן העניינים", "הערות")),
    ("japanese-book", "ja", None, ("目次", "注")),
])
def test_sample_books_build_clean_in_their_direction(tmp_path, book, language, direction, words):
    report, epub = build_epub(DATA / book, tmp_path / "a")
    assert not report.warnings, report.warnings
    spine = epub.opf.find("opf:spine", NS)
    assert spine.get("page-progression-direction") == direction
    for name in epub.names:
        if name.endswith(".xhtml"):
            html = epub.xml(name)
            assert (html.get("dir"), html.get("lang")) == (direction, language), name
    nav = epub.xml("EPUB/nav.xhtml")
    assert nav.findtext(".//h:nav[@id='toc']/h:h1", None, NS) == words[0]
    chapter = epub.xml(epub.chapters()[0])
    assert chapter.findtext(".//h:section[@epub:type='endnotes']/h:h2", None, NS) == words[1]
    # the same sources give the same bytes
    _, again = build_epub(DATA / book, tmp_path / "b", check=False)
    assert again.path.read_bytes() == epub.path.read_bytes()


def test_the_japanese_print_edition_sets_its_text_in_a_japanese_face(tmp_path):
    report, _ = build_epub(DATA / "japanese-book", tmp_path, ("epub", "pdf"))
    pdf = report.artifact("pdf")
    assert report.exit_code == 0 and pdf.check.error == 0
    doc = pypdfium2.PdfDocument(pdf.path)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "よい本は、余白でも読者と話をする。" in text.replace("\r\n", "")
    # the text's font is the Japanese face (text extraction alone would not tell
    # boxes from glyphs: a box keeps its character's code)
    assert b"NotoSansJP" in pdf.path.read_bytes()


def _notdef_free(text: str, face) -> bool:
    """Oracle: no character of ``text`` renders as the face's .notdef box (the
    glyph a private-use code point gets)."""
    font = ImageFont.truetype(str(face.path), 64)
    box = bytes(font.getmask("\ue000"))
    return all(bytes(font.getmask(c)) != box for c in text if not c.isspace())


@pytest.mark.parametrize("text, language, family", [
    ("Notes from the Margin", "en", "Noto Serif"),
    ("Примечания на полях", "ru", "Noto Serif"),
    ("הערות בשוליים", "he", "Noto Sans Hebrew"),
    ("ملاحظات في الهامش", "ar", "Noto Sans Arabic"),
    ("余白の注", "ja", "Noto Sans JP"),
    ("页边的注释", "zh", "Noto Sans SC"),
    ("頁邊的註釋", "zh-TW", "Noto Sans TC"),
    ("여백의 주석", "ko", "Noto Sans KR"),
])
def test_each_script_gets_a_face_that_has_all_its_glyphs(text, language, family):
    face = face_for(text, language)
    assert face is not None and face.name == family
    assert _notdef_free(text, face)


def test_a_title_no_face_has_is_left_off_with_one_line(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, "title: ሰላም ዓለም\nlanguage: am\nauthor: A. Writer\n")
    cover = design_cover(load_config(tmp_path))
    [warning] = cover.warnings
    assert warning.code == "cover-text-left-off"
    assert warning.message == ("designed cover: the title (no font has ለ ላ ም ሰ ዓ): left off the "
                               "cover rather than drawn as empty boxes (give a cover: image)")
    im = Image.open(io.BytesIO(cover.jpeg))
    band = im.crop((200, 300, SIZE[0] - 200, 1500)).convert("L")
    low, high = band.getextrema()
    assert high - low < 40, "something was drawn where the title would be"


def test_every_face_is_under_the_open_font_license():
    for face in FACES:
        licence = TTFont(str(face.path), lazy=True)["name"].getDebugName(13)
        assert "SIL Open Font License" in licence, face.name
        ofl = face.path.parent / "OFL.txt"
        if face.name != "Noto Serif":  # fontpkg keeps its licence in the package metadata
            assert "SIL OPEN FONT LICENSE" in ofl.read_text(encoding="utf-8").upper(), face.name


def test_the_designed_hebrew_cover_is_deterministic_and_warns_of_nothing(tmp_path):
    config = load_config(DATA / "hebrew-book")
    cover = design_cover(config)
    assert cover.warnings == ()
    assert design_cover(dataclasses.replace(config)).jpeg == cover.jpeg
