"""Cover art: make a given cover safe for every store, or design one.

Covers are where e-books most often fail at the store: CMYK JPEGs from the
print designer, PNGs with transparency, huge files, no cover at all. Every
cover leaves here as a baseline RGB JPEG without metadata, at most 1600x2560
and under 5 MB, and the same input always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw, ImageFont, ImageOps

from ..chapters.images import open_image
from ..config import BookConfig
from ..config.palettes import PALETTES
from ..errors import BookbuildError, Problem
from ..safety import limits
from ..lang.words import word
from .fonts import Face as BookFace
from .scriptfaces import Face, covers, face_for, missing

SIZE = (1600, 2560)  # the stores' ideal, ratio 1.6:1
THUMBNAIL = (200, 320)
MAX_BYTES = 5 * 1024 * 1024  # EPUB readers and stores choke on heavier covers
ACCEPTED = {"JPEG", "PNG", "WEBP", "TIFF"}
WHITE = (255, 255, 255)

@dataclass(frozen=True)
class ImageFile:
    """How ``bookbuild cover -o`` writes a cover, chosen by the file's extension."""

    name: str  # JPEG, PNG
    format: str | None  # Pillow's format to convert to; None: the JPEG as it is

    def data(self, cover: Cover) -> bytes:
        if self.format is None:
            return cover.jpeg
        out = io.BytesIO()
        with Image.open(io.BytesIO(cover.jpeg)) as im:
            im.save(out, self.format, optimize=True)
        return out.getvalue()


IMAGE_FILES = {".jpg": ImageFile("JPEG", None), ".jpeg": ImageFile("JPEG", None),
               ".png": ImageFile("PNG", "PNG")}


def encoded(path: Path) -> ImageFile:
    """The kind of image file ``path`` names; another extension is an error."""
    kind = IMAGE_FILES.get(path.suffix.lower())
    if kind is None:
        what = path.suffix or "a file without an extension"
        raise BookbuildError(f"cannot write a cover as {what}: name a .jpg, .jpeg or .png file",
                             path, code="cover-format")
    return kind


@dataclass(frozen=True)
class Cover:
    jpeg: bytes
    width: int
    height: int
    designed: bool  # True when bookbuild drew it
    warnings: tuple[Problem, ...] = ()

    def thumbnail(self) -> bytes:
        with Image.open(io.BytesIO(self.jpeg)) as im:
            im.thumbnail(THUMBNAIL, Image.Resampling.LANCZOS)
            return _jpeg(im)


def cover_for(config: BookConfig, design: bool = False, faces: tuple[Face, ...] = ()) -> Cover:
    """The cover the book gets: the configured one made safe, or a designed one
    (in the book's own fonts, ``faces``, when it has them)."""
    if config.cover is not None and not design:
        return normalise(config.cover)
    return design_cover(config, faces)


def _jpeg(im: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality, optimize=True, progressive=False)
    return out.getvalue()


def _open(path: Path, data: bytes) -> Image.Image:
    return open_image(path, "cover", ACCEPTED, data)


def _to_rgb(im: Image.Image) -> Image.Image:
    """RGB with the colours kept: through the embedded ICC profile where there is
    one, 16-bit scaled to 8, transparency flattened on white."""
    icc = im.info.get("icc_profile")
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.convert("I").point(lambda v: v / 256).convert("L")
    if im.mode in ("P", "PA"):
        im = im.convert("RGBA")
    if icc and im.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            im = ImageCms.profileToProfile(im, source, ImageCms.createProfile("sRGB"),
                                           outputMode="RGBA" if im.mode == "RGBA" else "RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: Pillow's plain conversion below still gives RGB
    if im.mode in ("RGBA", "LA"):
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, WHITE)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return im.convert("RGB")


#: Covers made store-ready, by their image's bytes and the pixel limit then in
#: force (their warnings name no file): decoding and encoding a full-size cover
#: takes a fifth of a second, which a watch session, a catalog or a test run
#: would otherwise pay on every build of the same image.
_READY: dict[tuple[bytes, int], Cover] = {}
_READY_LOCK = threading.Lock()


def normalise(path: Path) -> Cover:
    """The cover image made store-ready: upright, RGB, at most SIZE, a baseline
    JPEG under MAX_BYTES."""
    key = (path.read_bytes(), limits.current().image_pixels)
    with _READY_LOCK:
        ready = _READY.get(key)
    if ready is None:
        ready = _store_ready(path, key[0])
        with _READY_LOCK:
            while len(_READY) >= 4:
                del _READY[next(iter(_READY))]
            _READY[key] = dataclasses.replace(
                ready, warnings=tuple(dataclasses.replace(w, file=None) for w in ready.warnings))
    return dataclasses.replace(
        ready, warnings=tuple(dataclasses.replace(w, file=path) for w in ready.warnings))


def _store_ready(path: Path, data: bytes) -> Cover:
    with _open(path, data) as original:
        im = ImageOps.exif_transpose(original)
        w, h = im.size
        notes = []
        if min(w, h) < 1000:
            notes.append(Problem(f"cover is {w}x{h}; its short side is under 1000 px, "
                                 "stores may refuse it (ideal 1600x2560)", path,
                                 code="cover-small"))
        if h < 2500:
            notes.append(Problem(f"cover is {h} px high; KDP asks for at least 2500 "
                                 "(ideal 1600x2560)", path, code="cover-small"))
        if not 1.4 <= h / w <= 1.8:
            notes.append(Problem(f"cover ratio is {h / w:.2f}:1, far from the stores' "
                                 "1.6:1 (ideal 1600x2560)", path, code="cover-shape"))
        rgb = _to_rgb(im)
    rgb.thumbnail(SIZE, Image.Resampling.LANCZOS)  # shrinks only, never upscales
    quality = 90
    data = _jpeg(rgb, quality)
    while len(data) > MAX_BYTES and quality > 50:
        quality -= 10
        data = _jpeg(rgb, quality)
    return Cover(data, rgb.width, rgb.height, designed=False, warnings=tuple(notes))


# --- designed covers ---------------------------------------------------------

MARGIN = 140


def palette_for(config: BookConfig) -> tuple[tuple[int, int, int], ...]:
    if config.cover_palette:
        return PALETTES[config.cover_palette]
    digest = hashlib.sha256(config.title.encode("utf-8")).digest()
    names = sorted(PALETTES)
    return PALETTES[names[digest[0] % len(names)]]


#: The weight each named style stands for, to pick among the book's faces.
WEIGHTS = {b"Bold": 700, b"SemiBold": 600, b"Regular": 400}


def _book_face(weight: bytes, faces: tuple[BookFace, ...]) -> BookFace | None:
    """The book's upright face nearest ``weight``: the title (Bold) in the
    headings' face and the rest in the text's, as in the EPUB."""
    if not faces:
        return None
    role = "headings" if weight == b"Bold" else "text"
    pool = ([f for f in faces if f.role == role and not f.italic]
            or [f for f in faces if not f.italic] or list(faces))
    return min(pool, key=lambda f: abs(f.weight - WEIGHTS[weight]))


def _font(face: Face | BookFace, size: int, weight: bytes) -> ImageFont.FreeTypeFont:
    if isinstance(face, BookFace):
        return ImageFont.truetype(io.BytesIO(face.data), size)
    font = ImageFont.truetype(str(face.path), size)
    font.set_variation_by_name(weight)
    return font


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken between letters."""
    lines: list[str] = []
    current = ""
    for piece in text.split():
        while font.getlength(piece) > width:  # only at the smallest size
            cut = max(1, next(i for i in range(len(piece), 0, -1)
                              if font.getlength(piece[:i]) <= width))
            if current:
                lines.append(current)
                current = ""
            lines.append(piece[:cut])
            piece = piece[cut:]
        candidate = f"{current} {piece}".strip()
        if font.getlength(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = piece
    if current:
        lines.append(current)
    return lines


def _fit(text: str, face: Face | BookFace, weight: bytes, width: int, height: int, largest: int,
         smallest: int) -> tuple[ImageFont.FreeTypeFont, list[str], int]:
    """The largest size at which ``text`` wraps into the box; never clipped."""
    size = largest
    while True:
        font = _font(face, size, weight)
        lines = _wrap(text, font, width)
        leading = int(size * 1.2)
        if leading * len(lines) <= height or size <= smallest:
            return font, lines, leading
        size = max(smallest, int(size * 0.9))


def _draw_block(draw: ImageDraw.ImageDraw, lines: list[str], font, leading: int, top: int,
                colour, language: str) -> int:
    y = top
    for line in lines:
        draw.text((SIZE[0] // 2, y), line, font=font, fill=colour, anchor="ma", language=language)
        y += leading
    return y


def design_cover(config: BookConfig, faces: tuple[BookFace, ...] = ()) -> Cover:
    """Title, subtitle and credits, each in the book's own face (``faces``)
    when it has all the text's characters, else in the first Noto face that
    has; a text no face has is left off, with one line saying so."""
    background, ink, accent = palette_for(config)
    im = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(im)
    width = SIZE[0] - 2 * MARGIN
    lang = config.language
    draw.rectangle([MARGIN // 2, MARGIN // 2, SIZE[0] - MARGIN // 2, SIZE[1] - MARGIN // 2],
                   outline=accent, width=6)
    left_off: list[str] = []

    def face(text: str, what: str, weight: bytes) -> Face | BookFace | None:
        own = _book_face(weight, faces)
        if own is not None and covers(own.data, text):
            return own
        found = face_for(text, lang)
        if found is None:
            left_off.append(f"the {what} ({missing(text)})")
        return found

    y = 420
    title_face = face(config.title, "title", b"Bold")
    if title_face:
        title_font, title_lines, leading = _fit(config.title, title_face, b"Bold", width, 1000,
                                                190, 48)
        y = _draw_block(draw, title_lines, title_font, leading, y, ink, lang)
    subtitle_face = config.subtitle and face(config.subtitle, "subtitle", b"Regular")
    if subtitle_face:
        y += 60
        draw.line([SIZE[0] // 2 - 200, y, SIZE[0] // 2 + 200, y], fill=accent, width=5)
        y += 80
        font, lines, lead = _fit(config.subtitle, subtitle_face, b"Regular", width, 1800 - y, 84, 36)
        _draw_block(draw, lines, font, lead, y, ink, lang)

    # Credits stack up from the bottom margin: author, translator, publisher.
    authors = [p.name for p in config.contributors if "aut" in p.roles]
    translators = [p.name for p in config.contributors if "trl" in p.roles]
    blocks = []
    if authors:
        blocks.append((", ".join(authors), "author", b"SemiBold", 96, ink))
    if translators:
        names = ", ".join(translators)
        blocks.append((word(lang, "translated_by", names=names), "translator", b"Regular", 64, ink))
    if config.publisher:
        blocks.append((config.publisher, "publisher", b"Regular", 48, accent))
    fitted = [(_fit(text, found, weight, width, 260, size, 28), colour)
              for text, what, weight, size, colour in blocks
              if (found := face(text, what, weight)) is not None]
    y = SIZE[1] - MARGIN - sum(lead * len(lines) + 40 for (_, lines, lead), _ in fitted)
    for (font, lines, lead), colour in fitted:
        y = _draw_block(draw, lines, font, lead, y, colour, lang) + 40
    warnings = (Problem(f"designed cover: {'; '.join(left_off)}: left off the cover rather than "
                        "drawn as empty boxes (give a cover: image)",
                        code="cover-text-left-off"),) if left_off else ()
    return Cover(_jpeg(im), SIZE[0], SIZE[1], designed=True, warnings=warnings)
