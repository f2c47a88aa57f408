"""Rule "TeX bitmap fonts": the text of a Type 3 font whose glyphs the PDF
names by nothing a reader knows, read by the TeX encoding its codes follow.

pdfTeX and dvips embed a TeX font that has no outline program (the EC
fonts without cm-super, any font at a size only METAFONT made) as bitmaps:
a Type 3 font whose glyph procedures are named by their codes ("a28"), with
no ToUnicode map and, from pdfTeX, no font name. PDFium then gives each
glyph's code as its character: right for the letters and figures, which
stand on their ASCII codes, but the ligatures, dashes, quotation marks and
guillemets stand below 32 (control characters) and the T1 encoding's
letters past 127 are not Latin-1's ("÷" for "œ"). The code is read through
the encoding the font's name says (EC fonts T1, Computer Modern's text
fonts OT1) or, nameless, the one whose ligatures the font's glyphs in the
whole book show: T1 sets fi, ff, ffi at 27 to 31 and accented letters past
127, OT1 sets them at 11 to 15 and has nothing past 127. The vote is the
book's, not a page's: a page of a few lines may show no ligature nor accent,
and its dashes and quotation marks are the font's all the same (pdfTeX's
nameless fonts are told apart by their extent, "Type3 0.713 -0.211", the
same on every page: ``pdfglyphs``). Where neither shows, only the codes
both encodings read alike are read, and a glyph neither table maps stays
unmapped (the import reports it).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Protocol

#: The T1 (Cork) glyphs whose character is not the code's Latin-1 one (what
#: PDFium gives). Left out: 23, a zero-width mark between letters, and 24,
#: the small zero of a per-thousand sign (neither a character alone).
T1 = {
    # 0-22: accents, quotation marks, guillemets, dashes
    **dict(enumerate("`´ˆ˜¨˝˚ˇ˘¯˙¸˛‚‹›“”„«»–—")),
    25: "ı", 26: "ȷ", 27: "ff", 28: "fi", 29: "fl", 30: "ffi", 31: "ffl",
    32: "\u2423", 45: "-", 127: "-",
    **dict(enumerate("ĂĄĆČĎĚĘĞĹĽŁŃŇŊŐŔŘŚŠŞŤŢŰŮŸŹŽŻĲİđ§"
                     "ăąćčďěęğĺľłńňŋőŕřśšşťţűůÿźžżĳ¡¿£", start=128)),
    215: "Œ", 223: "SS", 247: "œ", 255: "ß",
}
#: The OT1 glyphs (Computer Modern's text fonts) whose character is not the
#: code's ASCII one. Left out: 32, the stroke TeX lays over an L for "Ł".
OT1 = {
    **dict(enumerate("ΓΔΘΛΞΠΣΥΦΨΩ")),
    11: "ff", 12: "fi", 13: "fl", 14: "ffi", 15: "ffl",
    **dict(enumerate("ıȷ`´ˇ˘¯˚¸ßæœøÆŒØ", start=16)),
    34: "\u201d", 45: "-", 60: "¡", 62: "¿", 92: "\u201c", 94: "ˆ", 95: "˙",
    123: "–", 124: "—", 125: "˝", 126: "˜", 127: "¨",
}
#: The codes only one encoding sets often in text: its ligatures, and T1's
#: letters past 127 (accented letters, which OT1 builds from an accent and a letter).
SIGNS = {"T1": frozenset(range(27, 32)) | frozenset(range(128, 256)),
         "OT1": frozenset(range(11, 16))}
#: Each encoding's reading of every code it sets: its own glyphs, the
#: rest on their ASCII (and T1's past 191 on their Latin-1) codes.
READINGS = {"T1": {code: T1.get(code, chr(code)) for code in range(256)
                   if code in T1 or 33 <= code <= 126 or code >= 192},
            "OT1": {code: OT1.get(code, chr(code)) for code in range(128)
                    if code in OT1 or 33 <= code <= 126}}
#: What the glyphs of a font with neither encoding's signs read as: the
#: codes both read alike (the letters, figures and most punctuation, the
#: hyphen among them).
COMMON = {code: text for code, text in READINGS["T1"].items()
          if READINGS["OT1"].get(code) == text}
#: Font names of the TeX families by encoding (a subset tag aside): the EC
#: fonts are T1; Computer Modern's text faces (not its typewriter or math
#: faces, which have encodings of their own) are OT1.
FAMILIES = {"T1": re.compile(r"ec(?:rm|bx|ti|sl|it|cc|sx|ss|si|bi|bl|rb|bm|xc)\d", re.I),
            "OT1": re.compile(r"cm(?:r|bx|ti|sl|csc|ss|ssi|ssbx|bxti|bxsl|b|dunh|fib|u)\d", re.I)}


def encoding(name: str, codes: Counter) -> str | None:
    """The TeX encoding of a Type 3 font of this name (its subset tag
    aside) whose glyphs show these ``codes`` (how often each), or None
    where neither says."""
    base = name.rpartition("+")[2]
    named = next((key for key, family in FAMILIES.items() if family.match(base)), None)
    if named or not codes:
        return named
    votes = {key: sum(n for code, n in codes.items() if code in signs)
             for key, signs in SIGNS.items()}
    best = max(votes, key=votes.get)
    return best if votes[best] > min(votes.values()) else None


class Glyph(Protocol):
    """A ``pdfread.Glyph``, as read here (``pdfread`` reads with this module)."""

    text: str
    font: str  # its font's name


class Encodings:
    """The codes a book's Type 3 fonts show, by font name, and the glyphs
    whose text waits for the book's vote: those whose code the encodings
    read apart (a letter or a figure is read at once)."""

    def __init__(self) -> None:
        self.codes: dict[str, Counter] = defaultdict(Counter)
        self.owed: list[tuple[Glyph, int]] = []  # a glyph and its code, read by ``settle``

    def text(self, font: str, code: int) -> str | None:
        """The text of a glyph of ``font`` showing ``code`` where every
        encoding reads it alike, else None (the caller then ``owe`` s it)."""
        self.codes[font][code] += 1
        return COMMON.get(code)

    def owe(self, glyph: Glyph, code: int) -> None:
        self.owed.append((glyph, code))

    def settle(self, unmapped: str) -> None:
        """Read each glyph owed by its font's encoding, voted by the whole
        book's codes; one the reading does not map reads as ``unmapped``."""
        readings = {font: READINGS.get(encoding(font, codes), COMMON)
                    for font, codes in self.codes.items()}
        for glyph, code in self.owed:
            glyph.text = readings[glyph.font].get(code, unmapped)
