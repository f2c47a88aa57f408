"""Accessibility: content checks, print page markers, and metadata derived from
what the book holds (EPUB Accessibility 1.1), never claimed blindly.

Pandoc's defaults claim ``alternativeText`` whatever the content holds; here
every claim is computed from the converted chapters, and the conformance claim
is written only when book.yaml asks for it (the content checks, which stop the
build on a missing alt text, have passed by then).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..config import HEADINGLESS_TYPES, BookConfig
from ..errors import ManuscriptError, Problem
from ..pandoc import READER, locate
from ..pandoc.ast import attr, elements
from ..source.manuscript import Chapter
from ..xhtml import E, h, text_of

DECORATIVE = "decorative"
PAGE_ATTRIBUTE = "data-page"
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
PAGEBREAK_TYPE = "{http://www.idpf.org/2007/ops}type"


@dataclass(frozen=True)
class PageBreak:
    id: str
    label: str


def empty_alt_decorative(config: BookConfig, dialect: str) -> bool:
    """Whether an image's explicitly empty alt text marks it decorative, as
    Pandoc and HTML read it: in a bookdown or Quarto project, or a chapter in
    a GitHub-style dialect, where authors write inline icons ``![](icon.png)``
    so. Not in bookbuild's own Markdown, where ``{.decorative}`` says it, and
    never in a book that claims conformance: that claim needs a person's
    judgement of each image."""
    own = config.project is None and dialect.split("+")[0].split("-")[0] == READER
    return not own and not config.accessibility.conforms


def mark_empty_alt(blocks: list) -> None:
    """Write an image's empty description as ``alt=""`` (Pandoc's writer leaves
    the attribute out), so that it reads as explicitly empty."""
    for el in elements(blocks):
        if el["t"] == "Image" and not el["c"][1] and DECORATIVE not in attr(el)[1]:
            el["c"][0][2].append(["alt", ""])


def check_images(container: etree._Element, chapter: Chapter, empty_alt_decorative: bool = False,
                 ) -> tuple[int, tuple[int | None, ...], list[Problem]]:
    """Mark decorative images for assistive technology; how many images carry
    information, the lines of those whose explicitly empty alt marks them
    decorative (when ``empty_alt_decorative``), and a problem for each one
    without alt text."""
    informative, undescribed, problems = 0, [], []
    for img in container.iter(h("img")):
        classes = (img.get("class") or "").split()
        src = img.get("src") or ""
        if DECORATIVE in classes:
            img.set("alt", "")
            img.set("role", "presentation")
            continue
        if empty_alt_decorative and img.get("alt") == "":
            undescribed.append(chapter.line_of(src, locate.image(src)))
            continue
        if not (img.get("alt") or "").strip():
            problems.append(Problem(
                f"image {src} has no alt text: describe it, ![what it shows]({src}), "
                f"or mark it decorative, ![]({src}){{.{DECORATIVE}}}", chapter.source,
                chapter.line_of(src, locate.image(src)), code="image-alt-missing"))
            continue
        informative += 1
    return informative, tuple(undescribed), problems


def book_image_warnings(chapters: Iterable[tuple[Path, tuple[int | None, ...],
                                                 tuple[int | None, ...]]]) -> tuple[Problem, ...]:
    """One warning per book for the remote images shown as their alt text and
    one for the images left undescribed, each with its count and first place."""
    found: dict[str, list[tuple[Path, int | None]]] = {"image-remote": [], "image-alt-empty": []}
    for file, remote, undescribed in chapters:
        found["image-remote"] += [(file, line) for line in remote]
        found["image-alt-empty"] += [(file, line) for line in undescribed]
    messages = {
        "image-remote": "remote image{s} (the first here) shown as {its} alt text: an e-book "
                        "loads nothing from the web (put the file in the book to show it)",
        "image-alt-empty": "image{s} with an empty alt text (the first here) left undescribed, "
                           "decorative as HTML reads them; the accessibility summary says so "
                           "(describe {them}, or mark {them} {{.decorative}})",
    }
    return tuple(
        Problem(f"{len(places)} " + messages[code].format(
            s="s" if len(places) != 1 else "", its="their" if len(places) != 1 else "its",
            them="them" if len(places) != 1 else "it"), *places[0], code=code)
        for code, places in found.items() if places)


def content_warnings(container: etree._Element, chapter: Chapter, title: str) -> tuple[Problem, ...]:
    """Headings that skip levels, a chapter with no heading (where one is
    expected: a dedication has none), links with no text."""
    warnings = []
    headings = list(container.iter(*(h(f"h{n}") for n in range(1, 7))))
    levels = [int(el.tag[-1]) for el in headings]
    if not levels and chapter.title is None and chapter.type not in HEADINGLESS_TYPES:
        warnings.append(Problem(f"no heading: readers and screen readers get {title!r} as its "
                                "title (add a heading, or a title in book.yaml)", chapter.source,
                                code="heading-missing"))
    for k, (before, after) in enumerate(zip(levels, levels[1:]), start=2):
        if after > before + 1:
            def shows(parsed, k=k):  # the k-th heading is read
                return sum(el["t"] == "Header" for el in elements(parsed.doc["blocks"])) >= k
            warnings.append(Problem(f"a level-{after} heading follows a level-{before} one: "
                                    "a heading level is skipped", chapter.source,
                                    chapter.line_of(text_of(headings[k - 1]), shows),
                                    code="heading-skipped"))
            break
    for a in container.iter(h("a")):
        if a.get("aria-hidden") == "true":  # hidden on purpose: Pandoc's code line anchors
            continue
        if not text_of(a) and a.find(".//{*}img") is None and not a.get("aria-label"):
            href = a.get("href")
            warnings.append(Problem(f"a link to {href} has no text" if href
                                    else "a link (an anchor with no address) has no text",
                                    chapter.source, code="link-text-missing"))
    return tuple(warnings)


def mark_page_breaks(container: etree._Element, chapter: Chapter) -> tuple[PageBreak, ...]:
    """``[]{page=23}`` marks where print page 23 begins."""
    pages = []
    for span in list(container.iter(h("span"))):
        label = span.get(PAGE_ATTRIBUTE)
        if label is None:
            continue
        label = label.strip()
        if not label or span.text or len(span):
            raise ManuscriptError("a page marker is an empty span with a page number: "
                                  "[]{page=23}", chapter.source, chapter.line_of("page="), code="page-marker-invalid")
        for key in list(span.attrib):
            del span.attrib[key]
        pages.append(page_break(span, label))
    return tuple(pages)


def page_break(span: etree._Element, label: str) -> PageBreak:
    """Make ``span`` the marker where print page ``label`` begins."""
    page_id = f"page-{label}"
    span.set("id", page_id)
    span.set(PAGEBREAK_TYPE, "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("aria-label", label)
    return PageBreak(page_id, label)


def page_list_nav(pages: list[tuple[str, PageBreak]], heading: str) -> etree._Element:
    ol = E("ol")
    for file, page in pages:
        ol.append(E("li", None, None, E("a", {"href": f"{file}#{page.id}"}, page.label)))
    return E("nav", {"epub:type": "page-list", "id": "page-list", "hidden": "hidden"}, None,
             E("h2", None, heading), ol)


def metadata(config: BookConfig, informative_images: int, has_math: bool,
             has_pages: bool, undescribed_images: int = 0) -> list[tuple[str, str]]:
    """(property, value) pairs for the OPF, each true of this book. Images left
    undescribed (an empty alt text nobody judged) may carry information: the
    book then claims neither alternative text nor that text alone suffices."""
    a11y = config.accessibility
    modes = ["textual"] + (["visual"] if informative_images or undescribed_images else [])
    features = ["tableOfContents", "readingOrder", "structuralNavigation",
                "displayTransformability"]
    if informative_images and not undescribed_images:
        features.append("alternativeText")  # the content check guarantees every one has it
    if has_pages:
        features += ["pageNavigation", "printPageNumbers"]
    if has_math:
        features.append("MathML")
    pairs = [("schema:accessMode", m) for m in modes]
    if not undescribed_images:
        pairs.append(("schema:accessModeSufficient", "textual"))
    if informative_images or undescribed_images:
        pairs.append(("schema:accessModeSufficient", "textual,visual"))
    pairs += [("schema:accessibilityFeature", f) for f in features]
    pairs += [("schema:accessibilityHazard", hz) for hz in a11y.hazards]
    summary = a11y.summary or _summary(informative_images, has_pages, config, undescribed_images)
    pairs.append(("schema:accessibilitySummary", summary))
    if a11y.exemption:  # the W3C note's form: no claim, then the exemption
        pairs += [("dcterms:conformsTo", "none"), ("a11y:exemption", a11y.exemption)]
    elif a11y.conforms:
        pairs.append(("dcterms:conformsTo", CONFORMANCE))
        if a11y.certified_by:
            pairs.append(("a11y:certifiedBy", a11y.certified_by))
    return pairs


def _summary(images: int, has_pages: bool, config: BookConfig, undescribed: int = 0) -> str:
    parts = ["This publication has a table of contents, headings that give its structure, "
             "and a single logical reading order.",
             "Notes are linked to and from the text."]
    if images:
        parts.append(f"Its {images} image{'s' if images != 1 else ''} "
                     f"{'have' if images != 1 else 'has'} a text description.")
    elif not undescribed:
        parts.append("It has no images that carry information.")
    if undescribed:
        parts.append(f"{undescribed} image{'s' if undescribed != 1 else ''} "
                     f"{'have' if undescribed != 1 else 'has'} no text description "
                     "(marked decorative by an empty alt text).")
    if has_pages and config.source_isbn:
        parts.append(f"Page numbers of the print edition (ISBN {config.source_isbn}) are marked.")
    elif has_pages:
        parts.append("Page numbers of the print edition are marked.")
    parts.append("Text size, font and colours follow the reading system's settings.")
    return " ".join(parts)
