"""The book's own typefaces (``fonts:`` in book.yaml), read and checked once,
then subset for the EPUB and given whole to the cover and the print edition.

Every file (TTF, OTF, WOFF, WOFF2) is read with fontTools into a plain sfnt,
the form Kindle, Kobo, Pillow and Typst all take; a variable font becomes
its default instance, since e-readers and KF8 do not vary fonts. A face whose
OS/2 ``fsType`` forbids embedding (restricted licence, or bitmap-only) is an
error naming the file. For the EPUB each face is cut down to the glyphs the
book's documents use, unless its licence forbids subsetting; the package may
obfuscate it as the EPUB OCF specification describes (the IDPF algorithm).
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import BookConfig
from ..errors import BookbuildError
from ..safety import files as bookfiles

if TYPE_CHECKING:  # fontTools loads when a book has fonts: 80 ms of every other build
    from fontTools.ttLib import TTFont

#: OS/2 fsType bits (OpenType spec): the licence's word on embedding.
RESTRICTED = 0x0002  # no embedding at all without the owner's permission
NO_SUBSETTING = 0x0100  # embed only the whole font
BITMAP_ONLY = 0x0200  # only bitmaps may be embedded: no outlines in an e-book
#: Characters every book may show beside its text: the printable ASCII a reader's
#: own labels use, no-break space, the back-link glyphs of each profile.
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0\u2191\u21a9\ufe0e\u2014\u2013"
#: The IDPF obfuscation algorithm (EPUB OCF 3, "Font Obfuscation").
IDPF_ALGORITHM = "http://www.idpf.org/2008/embedding"
OBFUSCATED_BYTES = 1040


class FontError(BookbuildError):
    """A font file cannot be read, or its licence forbids embedding it."""


@dataclass(frozen=True)
class Face:
    """One face of the book's fonts, whole, as a plain sfnt."""

    source: Path
    role: str  # "text" or "headings"
    family: str
    weight: int  # 100..900, OS/2 usWeightClass
    italic: bool
    data: bytes  # the whole face as TTF or OTF
    subsettable: bool = True

    @property
    def suffix(self) -> str:
        return "otf" if self.data[:4] == b"OTTO" else "ttf"

    @property
    def media_type(self) -> str:
        return f"font/{self.suffix}"


def _open(data: bytes) -> TTFont:
    from fontTools.ttLib import TTFont

    # recalcTimestamp off: the head table keeps the file's own date, so two
    # builds give the same bytes.
    return TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=False)


def _save(font: TTFont) -> bytes:
    out = io.BytesIO()
    font.flavor = None
    font.save(out, reorderTables=True)
    return out.getvalue()


def _family(font: TTFont) -> str:
    names = font["name"]
    name = names.getDebugName(16) or names.getDebugName(1)
    if not name:
        raise ValueError("it names no family (name table IDs 1 and 16)")
    return name


def _read(path: Path, root: Path) -> tuple[TTFont, bytes, int]:
    """The font in ``path``, its file's bytes and its OS/2 fsType, refused when
    its licence forbids embedding it in an e-book."""
    from fontTools.ttLib import TTLibError

    try:
        data = bookfiles.read_bytes(path, root, "font file")
        font = _open(data)
        fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    except (TTLibError, KeyError, ValueError, AssertionError, OSError) as exc:
        raise FontError(f"not a font bookbuild can read ({exc or type(exc).__name__})",
                        path, code="font-unreadable") from None
    if fs_type & RESTRICTED:
        raise FontError("the font's licence forbids embedding it (OS/2 fsType: restricted "
                        "licence); use a font licensed for e-books, such as an OFL font", path, code="font-licence")
    if fs_type & BITMAP_ONLY:
        raise FontError("the font's licence allows embedding its bitmaps only (OS/2 fsType), "
                        "which e-books cannot use", path, code="font-licence")
    return font, data, fs_type


@functools.lru_cache(maxsize=4)
def _default_instance(data: bytes) -> bytes:
    """A variable font's default instance as a plain sfnt. Instancing takes
    seconds, so it is remembered by the font's bytes: a watch session, a
    catalog or a rebuild in the same process instances each font once."""
    from fontTools.varLib import instancer

    font = _open(data)
    return _save(instancer.instantiateVariableFont(
        font, {axis.axisTag: axis.defaultValue for axis in font["fvar"].axes}))


def _face(font: TTFont, file: bytes, fs_type: int, path: Path, role: str) -> Face:
    """The face as a static plain sfnt, with its family, weight and style."""
    from fontTools.ttLib import TTLibError

    try:
        if "fvar" in font:
            font = _open(_default_instance(file))
        family = _family(font)
        weight = font["OS/2"].usWeightClass if "OS/2" in font else 400
        italic = bool(font["head"].macStyle & 0b10) or (
            "OS/2" in font and bool(font["OS/2"].fsSelection & 1))
        data = _save(font)
    except (TTLibError, KeyError, ValueError, AssertionError, OSError) as exc:
        raise FontError(f"not a font bookbuild can read ({exc or type(exc).__name__})",
                        path, code="font-unreadable") from None
    return Face(path, role, family, weight, italic, data, not fs_type & NO_SUBSETTING)


def load_faces(config: BookConfig) -> tuple[Face, ...]:
    """The book's faces, text first. Every file is read and its licence checked
    (all problems reported at once) before any is instanced, the slow part."""
    wanted = [(path, role) for role, paths in (("text", config.fonts.text),
                                               ("headings", config.fonts.headings))
              for path in paths]
    read, problems = [], []
    for path, role in wanted:
        try:
            read.append((*_read(path, config.root), path, role))
        except FontError as exc:
            problems += exc.problems
    if problems:
        raise FontError.from_problems(problems)
    return tuple(_face(*entry) for entry in read)


def subset(face: Face, text: str) -> bytes:
    """``face`` with only the glyphs ``text`` (and ALWAYS) needs, its OpenType
    features kept (ligatures, small capitals, kerning)."""
    if not face.subsettable:
        return face.data
    from fontTools import subset as ftsubset

    options = ftsubset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = _open(face.data)
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text + ALWAYS))))
    subsetter.subset(font)
    return _save(font)


def obfuscation_key(identifier: str) -> bytes:
    """SHA-1 of the package's unique identifier, XML whitespace removed (OCF 3)."""
    return hashlib.sha1("".join(identifier.split()).encode("utf-8")).digest()


def obfuscate(data: bytes, identifier: str) -> bytes:
    """The IDPF obfuscation: the first 1040 bytes XORed with the key. Its own inverse."""
    key = obfuscation_key(identifier)
    head = bytes(b ^ key[i % len(key)] for i, b in enumerate(data[:OBFUSCATED_BYTES]))
    return head + data[OBFUSCATED_BYTES:]


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "").replace('"', "") + '"'


def font_face_rules(faces: tuple[Face, ...], hrefs: tuple[str, ...], generic: str) -> str:
    """CSS for the embedded faces: an @font-face each, then the text's and the
    headings' families, each falling back on the theme's generic family."""
    rules = ["/* The book's own fonts (fonts: in book.yaml). */"]
    for face, href in zip(faces, hrefs):
        rules.append(f'@font-face {{ font-family: {_css_string(face.family)}; '
                     f'font-weight: {face.weight}; font-style: {"italic" if face.italic else "normal"}; '
                     f'src: url("{href}"); }}')
    text = next((f.family for f in faces if f.role == "text"), None)
    headings = next((f.family for f in faces if f.role == "headings"), None)
    if text:
        rules.append(f'body {{ font-family: {_css_string(text)}, {generic}; }}')
    if headings:
        rules.append(f'h1, h2, h3, h4, h5, h6 {{ font-family: {_css_string(headings)}, {generic}; }}')
    return "\n".join(rules) + "\n"
