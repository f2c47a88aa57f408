"""Which font sets a text (on the designed cover, in the print edition): one
whose glyphs cover it.

Noto Serif sets Latin, Cyrillic and Greek; Hebrew, Arabic and the CJK scripts
come from Noto families installed as Python packages (the justmytype packs:
Google Fonts' own files, each with its OFL.txt). Coverage is read from each
font's character map with fontTools, so a text no font has is known before
anything is drawn: the cover leaves it off and says so, never showing empty
boxes. A right-to-left or shaped script also needs Pillow's complex layout
(libraqm, which uses the system's FriBiDi).
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import fontpkg_noto_sans
import fontpkg_noto_serif
from PIL import features

from ..lang.direction import is_rtl


@dataclass(frozen=True)
class Face:
    name: str
    path: Path


def _packed(package: str, folder: str, file: str) -> Path:
    return Path(str(resources.files(package) / "fonts" / "ofl" / folder / file))


#: Noto Serif first (the cover's own face), then the script families.
SERIF = Face("Noto Serif", fontpkg_noto_serif.ROOT / "files" / "NotoSerif[wdth,wght].ttf")
_SCRIPTS = {
    "he": Face("Noto Sans Hebrew", _packed("justmytype_intl_rtl", "notosanshebrew",
                                            "NotoSansHebrew[wdth,wght].ttf")),
    "ar": Face("Noto Sans Arabic", _packed("justmytype_intl_rtl", "notosansarabic",
                                            "NotoSansArabic[wdth,wght].ttf")),
    "ja": Face("Noto Sans JP", _packed("justmytype_intl_cjk", "notosansjp", "NotoSansJP[wght].ttf")),
    "zh": Face("Noto Sans SC", _packed("justmytype_intl_cjk", "notosanssc", "NotoSansSC[wght].ttf")),
    "zh-Hant": Face("Noto Sans TC", _packed("justmytype_intl_cjk", "notosanstc",
                                            "NotoSansTC[wght].ttf")),
    "ko": Face("Noto Sans KR", _packed("justmytype_intl_cjk", "notosanskr", "NotoSansKR[wght].ttf")),
}
FACES = (SERIF, *_SCRIPTS.values())
#: The print edition's face in a sans-serif theme ("modern"), for the scripts Noto Serif has.
SANS = Face("Noto Sans", fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf")


def _preferred(language: str) -> str:
    """The script family a language's Han characters want (Japanese, simplified
    or traditional Chinese and Korean draw the same code points differently)."""
    parts = language.split("-")
    if parts[0].lower() == "zh" and any(p in ("Hant", "TW", "HK", "MO") for p in parts[1:]):
        return "zh-Hant"
    return parts[0].lower()


def script_face(language: str) -> Face | None:
    """The Noto family for the script of ``language`` beyond Noto Serif's, if any."""
    return _SCRIPTS.get(_preferred(language))


def named(name: str) -> Face:
    return next(f for f in (*FACES, SANS) if f.name == name)


def faces(language: str, first: Face = SERIF) -> tuple[Face, ...]:
    """Every face in the order tried for each character: ``first`` (Noto
    Serif, or the print theme's face), the language's family, then every
    other script's, so that a Hebrew or Japanese quotation in any book finds
    its glyphs. In print Typst looks at no other face (``data/print.typ``
    turns its own fallback off), so a character takes the same face in every build."""
    own = script_face(language)
    return tuple(dict.fromkeys(f for f in (first, own, *_SCRIPTS.values()) if f is not None))


@cache
def _coverage(path: Path) -> frozenset[int]:
    """The code points a font file has glyphs for (fonts are read-only package data)."""
    if not path.is_file():
        return frozenset()
    from fontTools.ttLib import TTFont  # loaded only when a text needs a face

    return frozenset(TTFont(str(path), lazy=True).getBestCmap())


def _drawn(text: str) -> set[int]:
    """The characters that need a glyph: spaces and format controls need none."""
    return {ord(c) for c in text if unicodedata.category(c) not in ("Zs", "Cf", "Cc")}


@cache
def _coverage_of(data: bytes) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(io.BytesIO(data), lazy=True).getBestCmap())


def _laid_out(text: str) -> bool:
    """Right-to-left text needs Pillow's complex layout (libraqm) to be drawn."""
    return not is_rtl(text) or features.check("raqm")


def covers(data: bytes, text: str) -> bool:
    """Whether a font (the book's own, as bytes) can draw every character of ``text``."""
    return _laid_out(text) and _drawn(text) <= _coverage_of(data)


def face_for(text: str, language: str) -> Face | None:
    """The first face that has every character of ``text``; None when none has,
    or when the text is right-to-left and Pillow lacks its complex layout."""
    if not _laid_out(text):
        return None
    needed = _drawn(text)
    return next((f for f in faces(language) if needed <= _coverage(f.path)), None)


def missing(text: str) -> str:
    """What no face has, for the one-line message: a few of the characters."""
    have = frozenset().union(*(_coverage(f.path) for f in FACES))
    absent = sorted(chr(c) for c in _drawn(text) - have)
    if not absent:
        return "right-to-left text needs Pillow with libraqm (apt-get install libfribidi0)"
    return "no font has " + " ".join(absent[:5]) + (" ..." if len(absent) > 5 else "")
