"""Accessibility: content checks, print page markers, and metadata derived from
what the book holds (EPUB Accessibility 1.1), never claimed blindly.

Pandoc's defaults claim ``alternativeText`` whatever the content holds; here
every claim is computed from the converted chapters, and the conformance claim
is written only when book.yaml asks for it (the content checks, which stop the
build on a missing alt text, have passed by then).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..config import HEADINGLESS_TYPES, BookConfig
from ..errors import ManuscriptError, Problem
from ..pandoc import locate
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


def check_images(container: etree._Element, chapter: Chapter) -> tuple[int, list[Problem]]:
    """Mark decorative images for assistive technology; how many images carry
    information, and a problem for each one without alt text."""
    informative, problems = 0, []
    for img in container.iter(h("img")):
        classes = (img.get("class") or "").split()
        if DECORATIVE in classes:
            img.set("alt", "")
            img.set("role", "presentation")
            continue
        if not (img.get("alt") or "").strip():
            src = img.get("src") or ""
            problems.append(Problem(
                f"image {src} has no alt text: describe it, ![what it shows]({src}), "
                f"or mark it decorative, ![]({src}){{.{DECORATIVE}}}", chapter.source,
                chapter.line_of(src, locate.image(src)), code="image-alt-missing"))
            continue
        informative += 1
    return informative, problems


def content_warnings(container: etree._Element, chapter: Chapter, title: str) -> tuple[Problem, ...]:
    """Headings that skip levels, a chapter with no heading (where one is
    expected: a dedication has none), links with no text."""
    warnings = []
    levels = [int(el.tag[-1]) for el in container.iter(*(h(f"h{n}") for n in range(1, 7)))]
    if not levels and chapter.title is None and chapter.type not in HEADINGLESS_TYPES:
        warnings.append(Problem(f"no heading: readers and screen readers get {title!r} as its "
                                "title (add a heading, or a title in book.yaml)", chapter.source,
                                code="heading-missing"))
    for before, after in zip(levels, levels[1:]):
        if after > before + 1:
            warnings.append(Problem(f"a level-{after} heading follows a level-{before} one: "
                                    "a heading level is skipped", chapter.source,
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
             has_pages: bool) -> list[tuple[str, str]]:
    """(property, value) pairs for the OPF, each true of this book."""
    a11y = config.accessibility
    modes = ["textual"] + (["visual"] if informative_images else [])
    features = ["tableOfContents", "readingOrder", "structuralNavigation",
                "displayTransformability"]
    if informative_images:
        features.append("alternativeText")  # the content check guarantees every one has it
    if has_pages:
        features += ["pageNavigation", "printPageNumbers"]
    if has_math:
        features.append("MathML")
    pairs = [("schema:accessMode", m) for m in modes]
    pairs.append(("schema:accessModeSufficient", "textual"))
    if informative_images:
        pairs.append(("schema:accessModeSufficient", "textual,visual"))
    pairs += [("schema:accessibilityFeature", f) for f in features]
    pairs += [("schema:accessibilityHazard", hz) for hz in a11y.hazards]
    summary = a11y.summary or _summary(informative_images, has_pages, config)
    pairs.append(("schema:accessibilitySummary", summary))
    if a11y.exemption:  # the W3C note's form: no claim, then the exemption
        pairs += [("dcterms:conformsTo", "none"), ("a11y:exemption", a11y.exemption)]
    elif a11y.conforms:
        pairs.append(("dcterms:conformsTo", CONFORMANCE))
        if a11y.certified_by:
            pairs.append(("a11y:certifiedBy", a11y.certified_by))
    return pairs


def _summary(images: int, has_pages: bool, config: BookConfig) -> str:
    parts = ["This publication has a table of contents, headings that give its structure, "
             "and a single logical reading order.",
             "Notes are linked to and from the text."]
    if images:
        parts.append(f"Its {images} image{'s' if images != 1 else ''} "
                     f"{'have' if images != 1 else 'has'} a text description.")
    else:
        parts.append("It has no images that carry information.")
    if has_pages and config.source_isbn:
        parts.append(f"Page numbers of the print edition (ISBN {config.source_isbn}) are marked.")
    elif has_pages:
        parts.append("Page numbers of the print edition are marked.")
    parts.append("Text size, font and colours follow the reading system's settings.")
    return " ".join(parts)
