"""Rule "a ligature's advance" (``pdfread._advances``): PDFium gives each
letter of a ligature the ligature's one box, its ink included, so an "ff"
whose last hook passes its advance reaches into the word space after it;
the space is measured from the ligature's advance, learnt from the steps
after it within words, or from a lone f's hook on the page until then."""

from __future__ import annotations

from bookbuild.importer.pdfsource import read_pdf_source

from boxfont import inked_program, mapped_pdf

#: Glyphs of an invented face (advance, ink's right edge, in thousandths of
#: an em): an f and an ff ligature whose hooks pass their advances by 0.2 em,
#: as wide as a tight word space.
GLYPHS = {"a": (500, 450), "n": (500, 450), "e": (500, 450), "o": (500, 450),
          "d": (500, 450), "f": (300, 500), "f_f": (550, 750)}
TEXT = {name: name.replace("_", "") for name in GLYPHS}
#: A word space, in thousandths of an em (a TJ's offset, as XeTeX sets one).
SPACE = 250


def _line(tmp_path, words: list[list[str]]) -> str:
    number = {name: n for n, name in enumerate(GLYPHS, start=1)}
    shown = b" -%d " % SPACE
    shown = shown.join(b"<%s>" % b"".join(b"%04x" % number[g] for g in word) for word in words)
    pdf = mapped_pdf(tmp_path / "ligature.pdf", "Inv", inked_program(GLYPHS, "Inv"), GLYPHS,
                     TEXT, shown)
    return read_pdf_source(pdf).lines[0].text


def test_the_space_after_a_ligature_is_measured_from_its_learnt_advance(tmp_path):
    # "effe": the e after the ligature starts at its advance, within its hook
    words = [["e", "f_f", "e"], ["o", "f_f"], ["a", "n", "d"], ["o", "n"]]
    assert _line(tmp_path, words) == "effe off and on"


def test_until_it_is_learnt_a_ligature_ending_in_f_has_a_lone_fs_hook(tmp_path):
    words = [["f", "a", "n"], ["o", "f_f"], ["a", "n", "d"], ["o", "n"]]
    assert _line(tmp_path, words) == "fan off and on"
