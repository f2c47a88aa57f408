"""Rule "TeX bitmap fonts" (``importer.texbitmaps``): a Type 3 font of
glyph procedures named by their codes, without a ToUnicode map, read by
the TeX encoding its name or its codes show."""

from __future__ import annotations

import pytest

from bookbuild.importer.pdfsource import UNMAPPED, read_pdf_source

from boxfont import type3_pdf


def _codes(text: str, **special: int) -> list[int]:
    """The codes of ``text``, each "{name}" one code of ``special``'s."""
    out, rest = [], text
    while rest:
        if rest[0] == "{":
            name, _, rest = rest[1:].partition("}")
            out.append(special[name])
        else:
            out.append(ord(rest[0]))
            rest = rest[1:]
    return out


def _line(tmp_path, codes: list[int], base_font: str = "") -> tuple[str, list[str]]:
    source = read_pdf_source(type3_pdf(tmp_path / "bitmap.pdf", codes, base_font=base_font))
    return source.lines[0].text, [d.message.split(" with")[0] for d in source.doubts]


def test_a_nameless_font_showing_t1_ligatures_reads_its_codes_as_t1(tmp_path):
    codes = _codes("{lq}une{fi}ne{ffi}ch{e}re{rq}{oe}", lq=19, rq=20, fi=28, ffi=30, e=232, oe=247)
    assert _line(tmp_path, codes) == ("«unefineffichère»œ", [])


def test_a_nameless_font_showing_ot1_ligatures_reads_its_codes_as_ot1(tmp_path):
    codes = _codes("{fi}n{dash}{ff}ort{q}", fi=12, dash=123, ff=11, q=34)
    assert _line(tmp_path, codes) == ("fin–ffort\u201d", [])


@pytest.mark.parametrize("signs_first", [True, False])
def test_a_page_without_signs_is_read_by_the_encoding_the_books_other_pages_show(
        tmp_path, signs_first):
    signs = _codes("{fi}ne{ffi}ch{e}re", fi=28, ffi=30, e=232)
    plain = _codes("{lq}and{dash}or{rq}", lq=19, dash=21, rq=20)
    pages = (signs, plain) if signs_first else (plain, signs)
    source = read_pdf_source(type3_pdf(tmp_path / "bitmap.pdf", *pages))
    assert "\n".join(line.text for line in source.lines) == \
        "\n".join("fineffichère" if codes is signs else "«and–or»" for codes in pages)
    assert not source.doubts


@pytest.mark.parametrize(("name", "read"), [("ECRM1000", "fit"), ("ABCDEF+CMR10", "øt")])
def test_the_fonts_name_says_its_encoding(tmp_path, name, read):
    assert _line(tmp_path, [28, ord("t")], name)[0] == read


def test_a_code_neither_encoding_reads_alike_stays_unmapped_where_nothing_tells(tmp_path):
    text, doubts = _line(tmp_path, _codes("x{u}y-z", u=95))
    assert text == f"x{UNMAPPED}y-z" and doubts == ["1 glyph"]
