"""Convert each chapter on its own: Pandoc's AST -> Pandoc's HTML writer -> an
XHTML body tree.

The AST is the chapter's reading (:mod:`bookbuild.chapters.reading`); its notes become
placeholders and bodies (:mod:`bookbuild.notes.markup`) so that numbering and
placement, which depend on the whole book, come later. Each chapter converts
alone, so chapters are cached and converted in parallel independently.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..config import BookConfig
from ..config.vocabulary import SCRIPTS, TYPST
from ..errors import BookbuildError, ManuscriptError, Problem
from ..lang.printonly import is_print_only
from ..lang.words import has as has_word
from ..lang.words import word
from ..notes import markup
from ..notes.markup import Endnote
from ..notes.source import ChapterNotes, notes_survey
from ..pandoc import Parsed, locate, write_html
from ..pandoc.ast import NOTE, attr, elements, rewrite, stringify, text
from ..projects import mdbook
from ..refs import citations, crossrefs
from ..refs.book import ChapterReferences
from ..safety import active, limits
from ..safety.files import resolve
from ..source.manuscript import Chapter
from ..xhtml import E, h, parse_fragment, remove, text_of
from . import images, rawmarkup, typography
from .accessibility import (PageBreak, check_images, content_warnings, empty_alt_decorative,
                            mark_empty_alt, mark_page_breaks)
from .media import MEDIA_TYPES
from .paper import Paper, chapter_typst
from .reading import Reading

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
    note_count: int  # distinct notes of the chapter
    notes_list: bytes | None  # the chapter's <ol> of notes, placed by the package stage
    properties: frozenset[str]  # OPF manifest properties: svg, mathml
    warnings: tuple[Problem, ...]
    informative_images: int = 0  # images with alt text (decorative ones excluded)
    remote_images: tuple[int | None, ...] = ()  # lines of remote images shown as their alt text
    undescribed_images: tuple[int | None, ...] = ()  # lines of images decorative by an empty alt
    pages: tuple[PageBreak, ...] = ()  # print page markers, in reading order
    notes: tuple[Endnote, ...] = ()  # numbered and placed: set by notes.markup.place
    typst: str | None = None  # the chapter for the print edition (chapters.paper), when asked
    #: The footnote labels each keep mark in ``typst`` names (``chapters.paper.Paper``).
    keep_marks: tuple[frozenset[str], ...] = ()
    #: What is wrong in the chapter while its conversion stands (active content, a
    #: style, images): the build looks on for more, its links, before it stops.
    problems: tuple[Problem, ...] = ()

    @property
    def file(self) -> str:
        return f"{self.chapter.name}.xhtml"

    def tree(self) -> etree._Element:
        return etree.fromstring(self.body)

    def notes_tree(self) -> etree._Element | None:
        return None if self.notes_list is None else etree.fromstring(self.notes_list)


def _quotes(blocks: list, language: str) -> None:
    """Typographic quotes for the book's language: Pandoc's ``smart`` reading
    makes Quoted elements, which its writer renders in English style."""
    marks = QUOTES.get(language.split("-")[0].lower())
    if not marks:
        return

    def change(el: dict) -> list | None:
        if el["t"] != "Quoted":
            return None
        inner = el["c"][1]
        rewrite(inner, change)
        double = el["c"][0]["t"] == "DoubleQuote"
        opening, closing = (marks[0], marks[1]) if double else (marks[2], marks[3])
        return [text(opening), *inner, text(closing)]

    rewrite(blocks, change)


def _without_print_only(blocks: list) -> list:
    """A copyright page's e-book editions leave out its lines about the printed
    copy ("Printed and bound in...", "Typeset in..."); a paragraph holding a
    note or a marked span (a print page's start) stays, so nothing is lost."""
    def print_only(block: dict) -> bool:
        return block["t"] in ("Para", "Plain") and is_print_only(stringify(block)) and not any(
            el["t"] == NOTE or (el["t"] == "Span" and attr(el) != ("", [], []))
            for el in elements(block["c"]))
    return [block for block in blocks if not print_only(block)]


def _without_raw_tex_paragraphs(blocks: list) -> None:
    """Drop each paragraph holding nothing but raw TeX, which no edition shows
    (bookdown's ``\\index{}`` lines under a heading): left as an empty
    ``<p>``, it would be the paragraph after the heading, and the text after it
    indented as if it went on from one."""
    blank = ("Space", "SoftBreak", "LineBreak")

    def change(el: dict) -> list | None:
        if el["t"] in ("Para", "Plain") and any(i["t"] == "RawInline" for i in el["c"]) and all(
                i["t"] in blank or (i["t"] == "RawInline" and i["c"][0].lower() in rawmarkup.TEX)
                for i in el["c"]):
            return []
        return None
    rewrite(blocks, change)


IMAGE_DIR = "images"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._/-]")


def image_href(ref: ImageRef, root: Path) -> str:
    """Where an image lives in the EPUB: its path in the book directory, so that
    two images with the same name in different folders never collide."""
    rel = ref.source.relative_to(root).as_posix()
    safe = _UNSAFE_NAME.sub("_", rel)
    if safe != rel:  # EPUB file names are best plain; a hash keeps them distinct
        stem, dot, suffix = safe.rpartition(".")
        safe = f"{stem}-{hashlib.sha256(rel.encode()).hexdigest()[:8]}{dot}{suffix}"
    return f"{IMAGE_DIR}/{safe}"


def image_file(name: str, chapter: Chapter, root: Path) -> Path | None:
    """The image a chapter names: relative to the chapter file or to the book."""
    candidates = [resolve(chapter.source.parent / name, "image"), resolve(root / name, "image")]
    return next((p for p in candidates if p.is_relative_to(root) and p.is_file()), None)


def _images(container: etree._Element, chapter: Chapter, root: Path,
            trust: frozenset[str]) -> tuple[tuple[ImageRef, ...], list[Problem]]:
    """The chapter's images (the policy has refused remote ones and ``data:``),
    and a problem for each one that cannot ship."""
    found: dict[Path, ImageRef] = {}
    problems: list[Problem] = []
    for img in container.iter(h("img")):
        src = img.get("src") or ""

        def problem(message: str, code: str, src: str = src) -> None:
            problems.append(Problem(message, chapter.source,
                                    chapter.line_of(src, locate.image(src)), code=code))

        if not src:
            problem("image without a file", "image-missing")
            continue
        name = unquote(src)  # Pandoc's writer escapes the path as a URL: a%20b.png
        path = image_file(name, chapter, root)
        if path is None:
            problem(f"image not found: {name}", "image-missing")
            continue
        if path.suffix.lower() not in MEDIA_TYPES:
            problem(f"image {src}: unsupported format (use one of "
                    f"{', '.join(sorted(MEDIA_TYPES))})", "image-format")
            continue
        try:
            _, data = images.safe_image(path, root)
            held = active.find(images.svg_root(data)) if path.suffix.lower() == ".svg" else []
        except BookbuildError as exc:
            problem(f"image {name}: {exc.problems[0].message}", exc.problems[0].code)
            continue
        refused = [f for f in held if not (f.active and SCRIPTS in trust)]
        if refused:
            problem(f"image {name} holds {_refusal(refused[0])}", "active-content")
            continue
        ref = found.setdefault(path, ImageRef(path))
        img.set("src", "../" + image_href(ref, root))
    return tuple(found.values()), problems


def _headings(container: etree._Element) -> tuple[Heading, ...]:
    """Headings for the nav (note bodies are already out of the container)."""
    result = []
    for el in container.iter(*(h(f"h{n}") for n in range(1, 7))):
        if not el.get("id"):
            el.set("id", f"heading-{len(result) + 1}")
        result.append(Heading(int(el.tag[-1]), el.get("id"), text_of(el)))
    return tuple(result)


ROLES = {
    "chapter": "doc-chapter", "introduction": "doc-introduction", "preface": "doc-preface",
    "foreword": "doc-foreword", "prologue": "doc-prologue", "epilogue": "doc-epilogue",
    "afterword": "doc-afterword", "conclusion": "doc-conclusion", "appendix": "doc-appendix",
    "acknowledgments": "doc-acknowledgments", "bibliography": "doc-bibliography",
    "glossary": "doc-glossary", "index": "doc-index", "colophon": "doc-colophon",
    "dedication": "doc-dedication", "epigraph": "doc-epigraph", "part": "doc-part",
}


def _refusal(finding: active.Finding) -> str:
    if not finding.active:
        return finding.what
    return (f"active content: {finding.what} (scripts, event handlers, javascript: links, "
            "animations that set a link, iframes, forms and embedded objects are refused; "
            f"whoever builds may keep them with `bookbuild build --trust {SCRIPTS}`)")


def _remote_images(container: etree._Element, chapter: Chapter) -> tuple[int | None, ...]:
    """Replace each image the policy refuses only for its web address by its
    alt text (nothing is fetched, nothing is lost that a reader offline would
    see); the lines of those replaced."""
    lines = []
    for img in list(container.iter(h("img"))):
        src = active.remote_image(img)
        if src is None:
            continue
        lines.append(active.first_line(chapter.text, active.needle_of(src, "<img")))
        img.tail = (img.get("alt") or "") + (img.tail or "")
        remove(img)
    return tuple(lines)


def _timed_media(container: etree._Element, chapter: Chapter) -> tuple[Problem, ...]:
    """A warning per kind of element no edition can play, at the first one's
    line, once each is its fallback content (rawmarkup.without_timed_media)."""
    return tuple(
        Problem(f"<{name}> ({n} in this chapter, the first here) cannot play in an e-book or on "
                "paper: the book shows what it holds for readers that cannot play it; show a "
                "still image or link to it online instead", chapter.source,
                active.first_line(chapter.text, f"<{name}"), code="media-timed")
        for name, n in sorted(rawmarkup.without_timed_media(container).items()))


def _active_content(container: etree._Element, chapter: Chapter,
                    trust: frozenset[str]) -> tuple[bool, list[Problem]]:
    """Drop the author's comments; what the active-content policy refuses is
    a problem, active content kept only when the builder trusts scripts (then
    the chapter is scripted content). An image refused is judged no further
    (``data:`` is no missing file)."""
    def refusals(found: list[active.Finding]) -> list[active.Finding]:
        return [f for f in found if not (f.active and SCRIPTS in trust)]

    active.drop_comments(container)
    found = active.find(container)
    refused = refusals(found)
    if refused:
        for img in [img for img in container.iter(h("img")) if refusals(active.find(img))]:
            remove(img)
    # one problem a line: an <iframe> is refused, never its src= besides
    lines = {active.first_line(chapter.text, f.needle): f for f in reversed(refused)}
    return any(f.active for f in found), [
        Problem(f"the chapter brings {_refusal(f)}", chapter.source, line, code="active-content")
        for line, f in lines.items()]


def _show_title(doc: dict, chapter: Chapter) -> None:
    """A chapter with no heading shows its title as one, as Quarto and Pandoc's
    title block do: a part's (book.yaml's ``part:``), or the ``title`` of the
    chapter's own YAML block (its inlines, emphasis kept). Put into the AST, so
    the EPUB and the print edition both show it."""
    if any(el["t"] == "Header" for el in elements(doc["blocks"])):
        return
    meta = doc.get("meta", {}).get("title")
    if chapter.type == "part" and chapter.title:
        inlines = [text(chapter.title)]
    elif meta and meta["t"] == "MetaInlines":
        inlines = meta["c"]
    elif meta and meta["t"] == "MetaString":
        inlines = [text(meta["c"])]
    else:
        return
    doc["blocks"].insert(0, {"t": "Header", "c": [1, ["", [], []], inlines]})


def chapter_title(chapter: Chapter, headings: tuple[Heading, ...], meta: dict,
                  language: str) -> str:
    """What the contents, landmarks and the document's ``<title>`` call the
    chapter: book.yaml's title, its first heading, the ``title`` of its own
    YAML block, or its kind in the book's words ("Dedication", "Chapter 3"),
    never its file name."""
    written = chapter.title or (headings[0].text if headings else None) \
        or stringify(meta.get("title", [])).strip()
    if written:
        return written
    kind = chapter.type if has_word(chapter.type) else "chapter"
    return word(language, kind, n=str(chapter.ordinal))


def with_references(text: str, definitions: tuple[tuple[str, str], ...]) -> str:
    """The chapter with link definitions for headings of other chapters after it,
    so that Pandoc resolves ``[Heading][]`` across the book as in one document."""
    if not definitions:
        return text
    lines = "".join(f"[{label}]: <{target}>\n" for label, target in definitions)
    return text.rstrip("\n") + "\n\n\n" + lines


def _typst(doc: dict, reading: Reading, notes: ChapterNotes, config: BookConfig,
           refs: tuple[ImageRef, ...]) -> Paper:
    """The chapter for print, its images at their cleaned copies' places."""
    chapter, shipped = reading.chapter, {ref.source for ref in refs}
    _quotes(doc["blocks"], config.language)

    def image_path(src: str) -> str:
        path = image_file(src, chapter, config.root)
        return "/" + image_href(ImageRef(path), config.root) if path in shipped else src

    return chapter_typst(doc, notes.refs, chapter.name, image_path,
                         TYPST in config.trust, chapter)


def convert_chapter(reading: Reading, config: BookConfig,
                    definitions: tuple[tuple[str, str], ...] = (),
                    typeset: bool = False,
                    references: ChapterReferences = ChapterReferences()) -> ConvertedChapter:
    """:func:`conversion`, its problems raised together."""
    converted = conversion(reading, config, definitions, typeset, references)
    if converted.problems:
        raise ManuscriptError.from_problems(converted.problems)
    return converted


def conversion(reading: Reading, config: BookConfig,
               definitions: tuple[tuple[str, str], ...] = (),
               typeset: bool = False,
               references: ChapterReferences = ChapterReferences()) -> ConvertedChapter:
    """The chapter's XHTML with note placeholders (and, to ``typeset`` it, its
    Typst), cross-references resolved and works cited. Uses (and changes) the
    reading's AST when it has one and nothing is added to the text. Problems
    that leave the conversion standing come with it; the others are raised,
    with those found before."""
    chapter = reading.chapter
    if reading.parsed is not None and not definitions:
        parsed = reading.parsed
    else:
        parsed = chapter.parse(with_references(chapter.text, definitions))
    doc, notes = parsed.doc, reading.notes
    _show_title(doc, chapter)
    if config.project == "mdbook":
        mdbook.code_blocks(doc["blocks"])
    if references.targets or references.environments:
        crossrefs.apply(doc["blocks"], {t.id: t for t in references.targets},
                        references.environments)
    if references.cite is not None:
        doc, notes = citations.cite_chapter(doc, notes, references.cite, chapter)
    for_print = json.dumps(doc) if typeset else None  # before its notes become placeholders
    if chapter.type == "copyright-page":
        doc["blocks"] = _without_print_only(doc["blocks"])
    # The reading's note references still stand when the AST is the reading's
    # and no cross-reference was resolved in it (citations make a new AST).
    reusable = (reading.references is not None and doc is reading.parsed.doc
                and not references.targets and not references.environments)
    markup.mark(doc, notes, reading.references if reusable else notes_survey(Parsed(doc, ())).notes)
    if reading.raw_tex:
        _without_raw_tex_paragraphs(doc["blocks"])
    _quotes(doc["blocks"], config.language)
    lenient = empty_alt_decorative(config, chapter.markdown)
    if lenient:
        mark_empty_alt(doc["blocks"])
    container = parse_fragment(write_html(doc, chapter.source))
    limits.check_tree(container, "the chapter's HTML", chapter.source)
    remote = _remote_images(container, chapter)
    timed = _timed_media(container, chapter)  # before its sources are judged: none is loaded
    scripted, problems = _active_content(container, chapter, config.trust)
    problems += typography.style_problems(container, chapter)
    rawmarkup.map_obsolete(container)
    notes_list = markup.collect(container, notes.count)
    typography.scene_breaks(container)
    typography.verse(container)
    typography.callouts(container)
    # before src is rewritten: lines are found by it
    informative, undescribed, alt_problems = check_images(container, chapter, lenient)
    refs, unusable = _images(container, chapter, config.root, config.trust)
    problems += alt_problems + unusable
    try:
        pages = mark_page_breaks(container, chapter)
        paper = None if for_print is None else _typst(json.loads(for_print), reading, notes,
                                                      config, refs)
    except BookbuildError as exc:  # with the problems found before
        if not problems:
            raise
        raise type(exc).from_problems(_by_line(problems + list(exc.problems))) from None
    headings = _headings(container)
    title = chapter_title(chapter, headings, doc.get("meta", {}), config.language)
    warnings = reading.warnings + timed + content_warnings(container, chapter, title)
    attrib = {"id": chapter.name, "class": chapter.type, "epub:type": chapter.type}
    if chapter.type in ROLES:
        attrib["role"] = ROLES[chapter.type]
    section = E("section", attrib)
    section.text = container.text
    section.extend(list(container))
    properties = {"scripted"} if scripted else set()
    if section.find(".//{http://www.w3.org/2000/svg}svg") is not None:
        properties.add("svg")
    if section.find(".//{http://www.w3.org/1998/Math/MathML}math") is not None:
        properties.add("mathml")
    converted = ConvertedChapter(
        chapter=chapter, title=title, body=etree.tostring(section, encoding="utf-8"),
        headings=headings, images=refs, note_count=notes.count,
        notes_list=None if notes_list is None else etree.tostring(notes_list, encoding="utf-8"),
        properties=frozenset(properties), warnings=warnings, informative_images=informative,
        remote_images=remote, undescribed_images=undescribed, pages=pages,
        typst=None if paper is None else paper.typst,
        keep_marks=() if paper is None else paper.keep_marks,
        problems=tuple(_by_line(problems)),
    )
    return converted


def _by_line(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.line or 0)
