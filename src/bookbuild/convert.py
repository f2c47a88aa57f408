"""Convert each chapter on its own: Markdown -> Pandoc -> an XHTML body tree.

One Pandoc run per chapter scopes note labels to their file by construction
(Pandoc given several files resolves a label defined twice to the last one),
and lets later stages cache and parallelise chapters independently.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pypandoc
from lxml import etree

from . import endnotes, notes
from .accessibility import PageBreak, check_images, content_warnings, mark_page_breaks
from .config import BookConfig
from .errors import ManuscriptError
from .manuscript import Chapter
from .media import MEDIA_TYPES
from .xhtml import E, h, parse_fragment, text_of

#: Quotation marks (double open, double close, single open, single close) by
#: primary language; unlisted languages keep Pandoc's English marks.
QUOTES = {
    "ru": ("«", "»", "„", "“"), "uk": ("«", "»", "„", "“"), "be": ("«", "»", "„", "“"),
    "de": ("„", "“", "‚", "‘"), "cs": ("„", "“", "‚", "‘"), "sk": ("„", "“", "‚", "‘"),
    "fr": ("«\u202f", "\u202f»", "“", "”"), "es": ("«", "»", "“", "”"),
    "it": ("«", "»", "“", "”"), "pt": ("«", "»", "“", "”"), "ca": ("«", "»", "“", "”"),
    "pl": ("„", "”", "«", "»"), "nl": ("“", "”", "‘", "’"), "sv": ("”", "”", "’", "’"),
    "fi": ("”", "”", "’", "’"), "da": ("»", "«", "›", "‹"), "hu": ("„", "”", "»", "«"),
}

_REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class ImageRef:
    source: Path  # absolute file in the book directory


@dataclass(frozen=True)
class ConvertedChapter:
    chapter: Chapter
    title: str
    body: bytes  # serialised <section> for the chapter, images pointing at IMAGE_DIR
    headings: tuple[Heading, ...]
    images: tuple[ImageRef, ...]
    notes: tuple[endnotes.Endnote, ...]
    notes_list: bytes | None  # the chapter's <ol> of notes, placed by the package stage
    properties: frozenset[str]  # OPF manifest properties: svg, mathml
    warnings: tuple[str, ...]
    informative_images: int = 0  # images with alt text (decorative ones excluded)
    pages: tuple[PageBreak, ...] = ()  # print page markers, in reading order

    @property
    def file(self) -> str:
        return f"{self.chapter.name}.xhtml"

    def tree(self) -> etree._Element:
        return etree.fromstring(self.body)

    def notes_tree(self) -> etree._Element | None:
        return None if self.notes_list is None else etree.fromstring(self.notes_list)


def pandoc_version() -> str:
    return pypandoc.get_pandoc_version()


def _pandoc_args(language: str) -> list[str]:
    args = [pypandoc.get_pandoc_path(), "--from=markdown", "--to=html5", "--wrap=none",
            "--mathml", f"--metadata=lang:{language}"]
    marks = QUOTES.get(language.split("-")[0].lower())
    if marks:
        filt = resources.files("bookbuild") / "filters" / "quotes.lua"
        args.append(f"--lua-filter={filt}")
        for key, mark in zip(("open2", "close2", "open1", "close1"), marks):
            args.append(f"--metadata=bookbuild-quote-{key}:{mark}")
    return args


def run_pandoc(text: str, language: str, file: Path) -> tuple[str, tuple[str, ...]]:
    proc = subprocess.run(_pandoc_args(language), input=text.encode("utf-8"),
                          capture_output=True, check=False)
    errors = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        raise ManuscriptError(f"Pandoc failed: {errors.splitlines()[0] if errors else proc.returncode}",
                              file)
    return proc.stdout.decode("utf-8"), tuple(line for line in errors.splitlines() if line)


IMAGE_DIR = "images"


def image_href(ref: ImageRef, root: Path) -> str:
    """Where an image lives in the EPUB: its path in the book directory, so that
    two images with the same name in different folders never collide."""
    rel = ref.source.relative_to(root).as_posix()
    return f"{IMAGE_DIR}/{rel}"


def _images(container: etree._Element, chapter: Chapter, root: Path) -> tuple[ImageRef, ...]:
    found: dict[Path, ImageRef] = {}
    for img in container.iter(h("img")):
        src = img.get("src") or ""
        line = chapter.line_of(src)
        if _REMOTE.match(src):
            raise ManuscriptError(f"image {src!r} is not a local file; download it into "
                                  "assets/ so the book works offline", chapter.source, line)
        if not src:
            raise ManuscriptError("image without a file", chapter.source, line)
        candidates = [(chapter.source.parent / src).resolve(), (root / src).resolve()]
        path = next((p for p in candidates if p.is_relative_to(root) and p.is_file()), None)
        if path is None:
            raise ManuscriptError(f"image not found: {src}", chapter.source, line)
        if path.suffix.lower() not in MEDIA_TYPES:
            raise ManuscriptError(f"image {src}: unsupported format (use one of "
                                  f"{', '.join(sorted(MEDIA_TYPES))})", chapter.source, line)
        ref = found.setdefault(path, ImageRef(path))
        img.set("src", "../" + image_href(ref, root))
    return tuple(found.values())


def _headings(container: etree._Element) -> tuple[Heading, ...]:
    """Headings for the nav, read before notes are rebuilt so Pandoc's note
    list (``section#footnotes``) is easy to leave out."""
    result = []
    for el in container.iter(*(h(f"h{n}") for n in range(1, 7))):
        if any(s.get("id") == "footnotes" for s in el.iterancestors(h("section"))):
            continue
        if not el.get("id"):
            el.set("id", f"heading-{len(result) + 1}")
        text = text_of(el, frozenset({"footnote-ref"}))
        result.append(Heading(int(el.tag[-1]), el.get("id"), text))
    return tuple(result)


ROLES = {
    "chapter": "doc-chapter", "introduction": "doc-introduction", "preface": "doc-preface",
    "foreword": "doc-foreword", "prologue": "doc-prologue", "epilogue": "doc-epilogue",
    "afterword": "doc-afterword", "conclusion": "doc-conclusion", "appendix": "doc-appendix",
    "acknowledgments": "doc-acknowledgments", "bibliography": "doc-bibliography",
    "glossary": "doc-glossary", "index": "doc-index", "colophon": "doc-colophon",
    "dedication": "doc-dedication", "epigraph": "doc-epigraph", "part": "doc-part",
}


def convert_chapter(chapter: Chapter, source_notes: notes.SourceNotes,
                    note_plan: endnotes.NotePlan, config: BookConfig) -> ConvertedChapter:
    tagged = notes.tag_references(chapter.text, source_notes)
    html, warnings = run_pandoc(tagged, config.language, chapter.source)
    container = parse_fragment(html)
    informative = check_images(container, chapter)  # before src is rewritten: lines are found by it
    images = _images(container, chapter, config.root)
    pages = mark_page_breaks(container, chapter)
    warnings += content_warnings(container, chapter)
    headings = _headings(container)
    links, notes_list = endnotes.rebuild(container, source_notes, note_plan,
                                            config.language)
    title = chapter.title or (headings[0].text if headings else None) \
        or chapter.source.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    attrib = {"id": chapter.name, "class": chapter.type, "epub:type": chapter.type}
    if chapter.type in ROLES:
        attrib["role"] = ROLES[chapter.type]
    section = E("section", attrib)
    section.text = container.text
    section.extend(list(container))
    properties = set()
    if section.find(".//{http://www.w3.org/2000/svg}svg") is not None:
        properties.add("svg")
    if section.find(".//{http://www.w3.org/1998/Math/MathML}math") is not None:
        properties.add("mathml")
    return ConvertedChapter(
        chapter=chapter, title=title, body=etree.tostring(section, encoding="utf-8"),
        headings=headings, images=images, notes=links,
        notes_list=None if notes_list is None else etree.tostring(notes_list, encoding="utf-8"),
        properties=frozenset(properties), warnings=warnings, informative_images=informative,
        pages=pages,
    )
