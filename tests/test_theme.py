"""Themes, the book's own stylesheet and fonts (issue 16): what the theme
styles is in the markup, the CSS keeps to what e-readers honour, and a book
with its own CSS and two fonts builds with them subset, obfuscated and
checked, and in the same fonts on its cover and in its PDF."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import fontpkg_fira_sans
import fontpkg_noto_serif
import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont
from PIL import Image

from bookbuild import BuildOptions, build_book
from bookbuild.cli import main
from bookbuild.config import load_config
from bookbuild.config.vocabulary import THEMES
from bookbuild.look.cover import design_cover
from bookbuild.look.fonts import ALWAYS, load_faces, obfuscate
from bookbuild.pandoc import read_markdown
from bookbuild.pandoc.ast import stringify
from bookbuild.look.scriptfaces import covers, face_for
from bookbuild.look.theme import theme_css
from conftest import NS, Epub, write_book

NOTO = fontpkg_noto_serif.ROOT / "files" / "NotoSerif[wdth,wght].ttf"
FIRA_BOLD = fontpkg_fira_sans.ROOT / "files" / "FiraSans-Bold.ttf"

VERSE = """\
# Chapter

Before.

* * *

| The first line of the poem, long enough to wrap on a phone's narrow screen,
|     an indented line with *emphasis*
|
| a second stanza

After.
"""


# --- The stylesheets -----------------------------------------------------------

def _luminance(hex_colour: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("theme", THEMES)
def test_every_colour_reads_on_white_and_on_black(theme):
    """Night mode keeps the code's colours legible: WCAG AA (4.5:1) on both."""
    colours = re.findall(r"#[0-9a-fA-F]{6}\b", theme_css(theme))
    assert colours
    for colour in colours:
        lum = _luminance(colour)
        assert 1.05 / (lum + 0.05) >= 4.5, f"{colour} on white"
        assert (lum + 0.05) / 0.05 >= 4.5, f"{colour} on black"


@pytest.mark.parametrize("theme", THEMES)
def test_no_forced_colours_fixed_sizes_or_unsupported_css(theme):
    """Only code has colours (elsewhere "inherit" at most, the text's own), no
    background is set, sizes are relative, and nothing Kindle or Kobo lacks
    (custom properties, flex, grid, rem, vw)."""
    css = re.sub(r"/\*.*?\*/", "", theme_css(theme), flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        if re.search(r"(^|;)\s*color\s*:(?!\s*inherit\s*(;|$))", body):
            assert all(s.strip().startswith("code span.") for s in selectors.split(",")), selectors
        assert "background" not in body, selectors
        assert not re.search(r"\d(px|pt|rem|vw|vh)\b", body.replace("1px", "").replace("2px", "")
                             .replace("3px", "")), selectors  # hairline rules only in px
        assert not re.search(r"--|display\s*:\s*(flex|grid)|var\(", body), selectors


# --- Markup the theme styles ------------------------------------------------------

def test_scene_break_and_verse_markup_keeps_pandocs_lines(tmp_path):
    write_book(tmp_path, {"01.md": VERSE})
    report = build_book(tmp_path, BuildOptions(check=True, source_date_epoch=1700000000))
    epub = Epub(report.artifact("epub").path)
    doc = epub.xml(epub.chapters()[0])
    breaks = doc.findall(".//h:div[@class='scene-break']", NS)
    assert [b.get("role") for b in breaks] == ["separator"]
    assert doc.find(".//h:hr", NS) is None
    # Oracle: each line Pandoc's LineBlock holds is one p.line, in order, with its text.
    block = next(b for b in read_markdown(VERSE).doc["blocks"] if b["t"] == "LineBlock")
    expected = [stringify(line) for line in block["c"]]
    lines = doc.findall(".//h:div[@class='line-block']/h:p", NS)
    got = ["" if p.get("class") == "stanza-break" else "".join(p.itertext()) for p in lines]
    assert got == expected
    assert lines[1].find("h:em", NS) is not None  # inline markup kept in its line
    assert report.artifact("epub").check.passed


def test_a_style_element_in_a_chapter_is_refused_with_its_line(tmp_path):
    write_book(tmp_path, {"01.md": "# One\n\nText.\n\n<style>p { color: red }</style>\n"})
    result = CliRunner().invoke(main, ["build", str(tmp_path)])
    assert result.exit_code == 2
    assert "01.md:5" in result.output and "css:" in result.output
    assert not (tmp_path / "dist").exists()


def test_a_chapter_with_code_gets_no_link_warning_and_highlight_classes(tmp_path):
    write_book(tmp_path, {"01.md": "# One\n\n```python\ndef f():\n    return 1\n```\n"})
    report = build_book(tmp_path, BuildOptions(check=False, source_date_epoch=1700000000))
    assert not [w for w in report.warnings if w.code == "link-text-missing"]
    doc = Epub(report.artifact("epub").path).xml("EPUB/text/c01-01.xhtml")
    assert doc.find(".//h:code//h:span[@class='kw']", NS) is not None


# --- theme: and css: ----------------------------------------------------------------

def test_theme_and_the_books_css_come_in_that_order(tmp_path):
    write_book(tmp_path, {"01.md": "# One\n\nText.\n"},
               "title: T\nlanguage: en\nauthor: A\ntheme: modern\ncss: own.css\n")
    (tmp_path / "own.css").write_text("p.special { font-style: italic; }\n", encoding="utf-8")
    report = build_book(tmp_path, BuildOptions(check=True, source_date_epoch=1700000000))
    css = Epub(report.artifact("epub").path).files["EPUB/styles/book.css"].decode()
    assert css.index("Theme \"modern\"") < css.index("p.special")
    assert css.startswith(theme_css("modern"))
    assert report.artifact("epub").check.passed


def test_unknown_theme_and_a_css_loading_files_are_bad_input(tmp_path):
    write_book(tmp_path, {"01.md": "# One\n"}, "title: T\nlanguage: en\nauthor: A\ntheme: fancy\n")
    result = CliRunner().invoke(main, ["build", str(tmp_path)])
    assert result.exit_code == 2 and "unknown theme 'fancy'" in result.output
    write_book(tmp_path, {"01.md": "# One\n"}, "title: T\nlanguage: en\nauthor: A\ncss: own.css\n")
    (tmp_path / "own.css").write_text("p {}\n@import 'x.css';\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path)])
    assert result.exit_code == 2 and "own.css:2" in result.output


# --- fonts: ---------------------------------------------------------------------------

FONTS_CONFIG = """\
title: A Book in Its Own Fonts
subtitle: Set in Noto Serif and Fira Sans
language: en
author: Ada Quill
theme: classic
css: styles/own.css
fonts:
  text: fonts/NotoSerif.ttf
  headings: fonts/FiraSans-Bold.woff2
formats: [epub, kindle-epub, kobo, pdf, cover-jpg]
"""


def _fonts_book(root: Path) -> Path:
    write_book(root, {"01.md": "# Opening\n\nThe quick brown fox jumps over the lazy dog.\n\n"
                               "* * *\n\nÆsop’s *fable* ends [here]{.smallcaps}.\n"}, FONTS_CONFIG)
    (root / "fonts").mkdir()
    shutil.copy(NOTO, root / "fonts" / "NotoSerif.ttf")
    font = TTFont(FIRA_BOLD)
    font.flavor = "woff2"
    font.save(root / "fonts" / "FiraSans-Bold.woff2")
    (root / "styles").mkdir()
    (root / "styles" / "own.css").write_text("h1 { letter-spacing: 0.1em; }\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def fonts_build(tmp_path_factory):
    root = _fonts_book(tmp_path_factory.mktemp("fonts-book"))
    report = build_book(root, BuildOptions(out_dir=root / "dist", check=True,
                                           source_date_epoch=1700000000))
    return root, report


def _fonts_in(epub: Epub) -> dict[str, TTFont]:
    """Each font of the EPUB, de-obfuscated with the package's identifier."""
    identifier = epub.opf.find(".//dc:identifier", NS).text
    enc = epub.xml("META-INF/encryption.xml")
    listed = {ref.get("URI") for ref in enc.iter("{*}CipherReference")}
    fonts = {}
    for name in epub.names:
        if name.startswith("EPUB/fonts/"):
            assert name in listed  # obfuscated, and said so
            fonts[name] = TTFont(io.BytesIO(obfuscate(epub.files[name], identifier)))
    return fonts


def test_fonts_are_subset_obfuscated_embedded_and_checked(fonts_build):
    root, report = fonts_build
    for fmt in ("epub", "kindle-epub", "kobo"):
        check = report.artifact(fmt).check
        assert check.passed, fmt  # EPUBCheck 0 errors, 0 warnings
        # EPUBCheck cannot read an obfuscated font (RSC-004, information only), so the
        # fonts themselves are read back below, de-obfuscated, with fontTools.
        assert {m.id for m in check.messages} <= {"RSC-004"}
    epub = Epub(report.artifact("epub").path)
    fonts = _fonts_in(epub)
    assert len(fonts) == 2
    text = "".join("".join(epub.xml(n).itertext()) for n in epub.names if n.endswith(".xhtml"))
    for name, font in fonts.items():
        cmap = set(map(chr, font.getBestCmap()))
        assert set(text) - {"\n", "\u00ad"} <= cmap | {" "}, name  # every character the book shows
        assert cmap <= set(text) | set(ALWAYS), name  # and nothing else
        assert "fvar" not in font  # a variable font becomes its default instance
    sizes = {n: len(epub.files[n]) for n in fonts}
    assert all(size < 100_000 for size in sizes.values()), sizes  # the whole faces are MBs
    css = epub.files["EPUB/styles/book.css"].decode()
    for family in ("Noto Serif", "Fira Sans"):
        assert f'@font-face {{ font-family: "{family}"' in css
    assert css.index("@font-face") < css.index("letter-spacing: 0.1em")  # the book's css last
    types = {i.get("href"): i.get("media-type") for i in epub.opf.iterfind(".//opf:item", NS)}
    assert {types[n.removeprefix("EPUB/")] for n in fonts} == {"font/ttf"}


def test_the_pdf_and_the_cover_use_the_same_fonts(fonts_build):
    root, report = fonts_build
    pdf = report.artifact("pdf").path.read_bytes()
    names = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([A-Za-z-]+)", pdf))
    assert b"NotoSerif-Regular" in names and b"FiraSans-Bold" in names
    config = load_config(root)
    own = design_cover(config, load_faces(config)).jpeg
    assert report.artifact("cover-jpg").path.read_bytes() == own
    assert own != design_cover(config).jpeg  # not the Noto Serif default
    with Image.open(io.BytesIO(own)) as im:
        assert im.size == (1600, 2560)


def test_a_title_the_books_fonts_lack_is_set_in_the_noto_face_of_its_script(tmp_path):
    """The cover takes the book's face for a text it covers (the Latin author
    here) and the Noto face of the script for one it does not (a Hebrew title
    in Fira Sans, which has no Hebrew): never empty boxes, nothing left off."""
    root = _fonts_book(tmp_path / "book")
    (root / "book.yaml").write_text(FONTS_CONFIG.replace(
        "title: A Book in Its Own Fonts", "title: הערות בשוליים"), encoding="utf-8")
    config = load_config(root)
    own = design_cover(config, load_faces(config))
    assert own.warnings == ()
    noto_only = design_cover(config)
    assert own.jpeg != noto_only.jpeg  # the credits are in the book's faces
    with Image.open(io.BytesIO(own.jpeg)) as im:
        low, high = im.crop((140, 400, 1460, 800)).convert("L").getextrema()
        assert high - low > 100  # the title was drawn
    # Fira Sans has no Hebrew: a face that has every character is chosen instead.
    assert not covers(FIRA_BOLD.read_bytes(), config.title)
    assert face_for(config.title, config.language).name == "Noto Sans Hebrew"


def test_fonts_build_byte_for_byte_the_same_twice(fonts_build, tmp_path):
    root, report = fonts_build
    again = build_book(root, BuildOptions(out_dir=tmp_path, check=False, formats=("epub", "pdf"),
                                          source_date_epoch=1700000000))
    for fmt in ("epub", "pdf"):  # the EPUB of a build with a PDF: its page list follows the PDF
        assert again.artifact(fmt).path.read_bytes() == report.artifact(fmt).path.read_bytes(), fmt


def test_a_font_whose_licence_forbids_embedding_is_refused(tmp_path):
    root = _fonts_book(tmp_path)
    font = TTFont(FIRA_BOLD)
    font["OS/2"].fsType = 0x0002  # restricted licence embedding
    font.save(root / "fonts" / "Restricted.ttf")
    config = (root / "book.yaml").read_text().replace("fonts/FiraSans-Bold.woff2",
                                                      "fonts/Restricted.ttf")
    (root / "book.yaml").write_text(config)
    result = CliRunner().invoke(main, ["build", str(root)])
    assert result.exit_code == 2
    assert "Restricted.ttf" in result.output and "forbids embedding" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (root / "dist").exists()


def test_a_font_file_that_is_not_a_font_is_bad_input(tmp_path):
    root = _fonts_book(tmp_path)
    (root / "fonts" / "NotoSerif.ttf").write_bytes(b"not a font at all")
    result = CliRunner().invoke(main, ["build", str(root)])
    assert result.exit_code == 2 and "NotoSerif.ttf" in result.output


def test_obfuscation_is_the_idpf_algorithm():
    """OCF 3's example: the key is SHA-1 of the identifier without whitespace;
    only the first 1040 bytes change, and obfuscating twice gives the font back."""
    data = bytes(range(256)) * 10
    once = obfuscate(data, " urn:uuid:1234 \n")
    assert once[1040:] == data[1040:] and once[:1040] != data[:1040]
    assert obfuscate(once, "urn:uuid:1234") == data
    import hashlib
    key = hashlib.sha1(b"urn:uuid:1234").digest()
    assert once[0] == data[0] ^ key[0] and once[21] == data[21] ^ key[1]


def test_zip_lists_encryption_only_with_fonts(sample_build):
    _, epub = sample_build
    assert "META-INF/encryption.xml" not in epub.names
    with zipfile.ZipFile(epub.path) as zf:
        assert zf.namelist()[0] == "mimetype"
