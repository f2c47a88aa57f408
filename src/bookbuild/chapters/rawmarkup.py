"""Raw HTML and raw TeX as Pandoc's AST holds them (``RawBlock``/``RawInline``),
judged before anything is converted, each problem at its Markdown line.

Raw HTML goes through Pandoc's writer into the chapter's XHTML as typed, so
what an EPUB cannot hold must stop here, at the Markdown line, not in
EPUBCheck at an XHTML line: an element HTML5 does not have (``<font>``,
``<see>``) or an attribute it does not give the element (``<table summary>``,
``<a name>``), and a tag left open or closed without opening (Pandoc keeps each
tag as its own raw element; left open, it would swallow the rest of the
chapter, its notes among them). The tags are read with the standard library's
HTML tokenizer, which reports each tag as typed: a tree parser (lxml,
html5lib) repairs exactly the imbalance this has to see. Where an obsolete
element's meaning is plain, it is mapped rather than refused (``MAPPED``,
applied to the XHTML by :func:`map_obsolete`), and so is HTML 4's ``align``
attribute (``<img align="right">``, ``<p align="center">``), which HTML5
dropped and EPUBCheck refuses: a class the stylesheet gives its meaning; so
are its other presentational attributes (``<td valign="top" width="50%">``,
``<table cellpadding="4" bgcolor="#eee">``), as the CSS the HTML standard's
rendering section gives them, an inline style.
``<video>`` and ``<audio>`` no edition can play (a page cannot, nor Kindle or
Kobo), and their files are no resources of a book: each is what HTML shows
where it cannot play, its fallback content (``without_timed_media``).

Raw TeX reaches no edition: Pandoc's HTML and Typst writers drop it. Each
kind (a command such as ``\\index``, or ``\\begin{tabular}``) is counted per
chapter with the line of its first use, for one warning per kind in the book.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path

from lxml import etree

from ..errors import Problem
from ..pandoc import Parsed
from ..pandoc.ast import elements
from ..pandoc.locate import locate
from ..safety import active
from ..xhtml import h

HTML = frozenset({"html"})
TEX = frozenset({"tex", "latex"})

#: The elements of HTML5 an EPUB 3 chapter's body may hold, and those the
#: active-content policy judges (scripts, frames, ``<link>``...; ``<style>`` is
#: the stylesheet check's); ``<svg>`` and ``<math>`` open other vocabularies.
ELEMENTS = frozenset("""
a abbr address area article aside audio b bdi bdo blockquote br button canvas caption cite code
col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure
footer form h1 h2 h3 h4 h5 h6 header hgroup hr i iframe img input ins kbd label legend li main map
mark menu meter nav noscript object ol optgroup option output p param picture pre progress q rp rt
ruby s samp script section select small source span strong style sub summary sup table tbody td
textarea tfoot th thead time tr track u ul var video wbr math svg link meta
""".split()) | active.ELEMENTS
FOREIGN = frozenset({"math", "svg"})
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: Elements whose end tag HTML lets the next element or the parent's end imply.
IMPLIED_END = frozenset("p li dt dd tr td th thead tbody tfoot option optgroup rt rp colgroup "
                        "caption".split())
#: Elements that play over time, and the children that only name what they play.
TIMED = ("video", "audio")
_TIMED_SOURCES = ("source", "track")
#: Obsolete elements with one plain meaning: (element, class) they become.
MAPPED = {"center": ("div", "center"), "tt": ("code", None), "strike": ("s", None)}
#: The values of HTML 4.01's ``align`` (its sections 15.1.2, 13.7.4, 11.2.1):
#: text alignment in a block, or a table's or image's place (left, right:
#: floated), or an image's on the line (top, middle, bottom).
ALIGN = frozenset({"left", "center", "right", "justify", "top", "middle", "bottom"})
_HINTS = {
    "font": "set the look in the book's stylesheet (css: in book.yaml) on a [text]{.class} span",
    "big": "use a [text]{.class} span styled in the book's stylesheet (css: in book.yaml)",
    "blink": "readers ignore it; remove it",
    "marquee": "readers ignore it; remove it",
}
_TEX_KIND = re.compile(r"\\(begin\{[^}]*\}|[A-Za-z@]+|.)")


def _raw(parsed: Parsed, formats: frozenset[str]) -> list[str]:
    """The text of every raw element in ``formats``, in document order."""
    return [el["c"][1] for el in elements(parsed.doc["blocks"])
            if el["t"] in ("RawBlock", "RawInline") and el["c"][0].lower() in formats]


def _shows(formats: frozenset[str], raw: str, k: int) -> Callable[[Parsed], bool]:
    """``locate``'s test for the ``k``-th raw element (from 1) whose text is ``raw``."""
    return lambda parsed: _raw(parsed, formats).count(raw) >= k


class _Tags(HTMLParser):
    """The tags of one raw element as typed: (name, is_start, self_closed,
    attribute names)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, bool, bool, tuple[str, ...]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, True, False, tuple(name for name, _ in attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, True, True, tuple(name for name, _ in attrs)))

    def handle_endtag(self, tag):
        self.tags.append((tag, False, False, ()))


def _tags(raw: str) -> list[tuple[str, bool, bool, tuple[str, ...]]]:
    parser = _Tags()
    parser.feed(raw)
    parser.close()
    return parser.tags


#: The attributes HTML5 gives every element (WHATWG HTML, "Global attributes"),
#: and those of each element an EPUB's chapter may hold ("Elements" index; the
#: active-content policy judges event handlers, ``on...``).
GLOBAL_ATTRIBUTES = frozenset("""
accesskey autocapitalize autofocus class contenteditable dir draggable enterkeyhint hidden id
inert inputmode is itemid itemprop itemref itemscope itemtype lang nonce popover role slot
spellcheck style tabindex title translate xmlns
""".split())
_MEDIA = "src crossorigin preload autoplay loop muted controls"
ELEMENT_ATTRIBUTES = {name: frozenset(names.split()) for name, names in {
    "a": "href target download ping rel hreflang type referrerpolicy",
    "area": "alt coords shape href target download ping rel referrerpolicy",
    "audio": _MEDIA, "video": f"{_MEDIA} poster playsinline width height",
    "blockquote": "cite", "q": "cite", "del": "cite datetime", "ins": "cite datetime",
    "col": "span", "colgroup": "span", "data": "value", "details": "open name", "dialog": "open",
    "embed": "src type width height", "fieldset": "disabled form name",
    "form": "accept-charset action autocomplete enctype method name novalidate target rel",
    "iframe": "src srcdoc name sandbox allow allowfullscreen width height referrerpolicy loading",
    "img": "alt src srcset sizes crossorigin usemap ismap width height referrerpolicy decoding "
           "loading fetchpriority",
    "input": "accept alt autocomplete checked dirname disabled form formaction formenctype "
             "formmethod formnovalidate formtarget height list max maxlength min minlength "
             "multiple name pattern placeholder readonly required size src step type value width "
             "popovertarget popovertargetaction",
    "button": "disabled form formaction formenctype formmethod formnovalidate formtarget name "
              "type value popovertarget popovertargetaction",
    "label": "for", "li": "value",
    "link": "href crossorigin rel as media hreflang type sizes imagesrcset imagesizes "
            "referrerpolicy integrity blocking color disabled fetchpriority",
    "map": "name", "meta": "name http-equiv content charset media",
    "meter": "value min max low high optimum", "object": "data type name form width height",
    "ol": "reversed start type", "optgroup": "disabled label",
    "option": "disabled label selected value", "output": "for form name", "param": "name value",
    "progress": "value max",
    "script": "src type nomodule async defer crossorigin integrity referrerpolicy blocking "
              "fetchpriority",
    "select": "autocomplete disabled form multiple name required size",
    "source": "type src srcset sizes media width height", "style": "media blocking",
    "table": "border", "td": "colspan rowspan headers", "th": "colspan rowspan headers scope abbr",
    "textarea": "autocomplete cols dirname disabled form maxlength minlength name placeholder "
                "readonly required rows wrap",
    "time": "datetime", "track": "default kind label src srclang", "canvas": "width height",
}.items()}
#: What :func:`map_obsolete` turns into CSS or a class besides :data:`PRESENTATIONAL`:
#: HTML 4's ``align`` anywhere, a table's ``cellpadding``.
_MAPPED_ATTRIBUTES = {"align": None, "cellpadding": ("table",)}
#: What to write instead of an obsolete attribute that is no matter of looks.
_ATTRIBUTE_HINTS = {
    "name": "give the element an id instead",
    "summary": "say it in the table's caption instead",
    "longdesc": "link the description from the text instead",
}
_LOOK_HINT = "set its look in the book's stylesheet (css: in book.yaml) on a class"


def _allowed(element: str, attribute: str) -> bool:
    """Whether HTML5 (or the mapping of HTML 4's presentational attributes)
    lets ``element`` carry ``attribute``."""
    if attribute in GLOBAL_ATTRIBUTES or attribute.startswith(("data-", "aria-", "on")) \
            or ":" in attribute or attribute in ELEMENT_ATTRIBUTES.get(element, ()):
        # one in a namespace (``epub:type``, ``xmlns:m``) is XML's: EPUB takes it
        return True
    if attribute in _MAPPED_ATTRIBUTES:
        return _MAPPED_ATTRIBUTES[attribute] is None or element in _MAPPED_ATTRIBUTES[attribute]
    return attribute in PRESENTATIONAL and element in PRESENTATIONAL[attribute][0]


def html_problems(parsed: Parsed, text: str, file: Path) -> list[Problem]:
    """Every raw HTML element an EPUB cannot hold, and every tag left open or
    closed without opening, each at the line of its raw element."""
    raws = _raw(parsed, HTML)
    found: list[tuple[int, str, str]] = []  # (raw element's index, message, code)
    open_: list[tuple[str, int]] = []  # (element, index of the raw element that opened it)
    for index, raw in enumerate(raws):
        for name, start, closed, attributes in _tags(raw):
            inside_foreign = any(tag in FOREIGN for tag, _ in open_)
            if start and not inside_foreign and name not in ELEMENTS and name not in MAPPED:
                hint = _HINTS.get(name, "HTML5 has no such element: write it in Markdown, "
                                        "or as a [text]{.class} span or ::: div")
                found.append((index, f"raw HTML <{name}> is not valid in an EPUB: {hint}",
                              "raw-html-invalid"))
            elif start and not inside_foreign and name not in FOREIGN \
                    and name not in active.ELEMENTS and name not in (*TIMED, *_TIMED_SOURCES):
                # the active-content policy judges its elements, and timed media
                # become their fallback content: their attributes never reach the book
                found += [(index, f"raw HTML <{name}> has no attribute {attribute!r} in HTML5: "
                                  + _ATTRIBUTE_HINTS.get(attribute, _LOOK_HINT),
                           "raw-html-invalid")
                          for attribute in attributes if not _allowed(name, attribute)]
            if name in VOID:
                continue
            if start:
                if not closed:
                    open_.append((name, index))
                continue
            at = next((k for k in range(len(open_) - 1, -1, -1) if open_[k][0] == name), None)
            if at is None:
                found.append((index, f"raw HTML </{name}> closes an element never opened",
                              "raw-html-unbalanced"))
                continue
            found += [(i, _unclosed(tag), "raw-html-unbalanced")
                      for tag, i in open_[at + 1:] if tag not in IMPLIED_END]
            del open_[at:]
    found += [(i, _unclosed(tag), "raw-html-unbalanced")
              for tag, i in open_ if tag not in IMPLIED_END]
    problems = []
    for index, message, code in sorted(found):
        raw = raws[index]
        k = raws[:index + 1].count(raw)
        line = locate(text, _shows(HTML, raw, k), raw.split("\n")[0])
        problems.append(Problem(message, file, line, code=code))
    return problems


def _unclosed(tag: str) -> str:
    return f"raw HTML <{tag}> is never closed: close it (</{tag}>) where it ends"


_LENGTH = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(%?)\s*")
_COLOUR = re.compile(r"\s*(#?[A-Za-z0-9]+)\s*")
_CELLS = ("td", "th")
_ROWS = ("tbody", "thead", "tfoot", "tr")


def _length(value: str) -> str | None:
    """An HTML 4 length (pixels, or a percentage) in CSS."""
    found = _LENGTH.fullmatch(value)
    return found and (found.group(1) + (found.group(2) or "px"))


def _declared(css: str) -> Callable[[str], str | None]:
    """A declaration of each side in ``css`` (``{}`` the value), for a length."""
    return lambda value: (n := _length(value)) and css.format(n)


#: HTML 4's presentational attributes that HTML5 made obsolete ("Non-conforming
#: features") and EPUBCheck refuses, on the elements where they are so, each as
#: the CSS the HTML standard's rendering section gives it; a value that is no
#: length, colour or keyword means nothing to a browser either, and goes.
PRESENTATIONAL: dict[str, tuple[tuple[str, ...], Callable[[str], str | None]]] = {
    "width": (("table", "col", "colgroup", *_CELLS, "hr", "pre"), _declared("width: {}")),
    "height": (("table", "tr", *_CELLS), _declared("height: {}")),
    "valign": (("col", "colgroup", *_ROWS, *_CELLS), lambda v: (
        v.strip().lower() in {"top", "middle", "bottom", "baseline"}
        and f"vertical-align: {v.strip().lower()}")),
    "bgcolor": (("table", *_ROWS, *_CELLS), lambda v: (
        (found := _COLOUR.fullmatch(v)) and f"background-color: {found.group(1)}")),
    "nowrap": (_CELLS, lambda v: "white-space: nowrap"),
    "cellspacing": (("table",), _declared("border-spacing: {}")),
    "hspace": (("img", "embed", "iframe", "object"), _declared("margin-left: {0}; margin-right: {0}")),
    "vspace": (("img", "embed", "iframe", "object"), _declared("margin-top: {0}; margin-bottom: {0}")),
}


def _presentational(container: etree._Element) -> None:
    """Each attribute of :data:`PRESENTATIONAL` as its inline style, and a
    table's ``cellpadding`` as the padding of its own cells."""
    for name, (tags, css) in PRESENTATIONAL.items():
        for el in container.iter(*(h(tag) for tag in tags)):
            if (value := el.attrib.pop(name, None)) is not None and (style := css(value)):
                _add_style(el, style)
    for table in container.iter(h("table")):
        padding = _length(table.attrib.pop("cellpadding", None) or "")
        for cell in table.iter(*(h(tag) for tag in _CELLS)) if padding else ():
            if next(cell.iterancestors(h("table"))) is table:
                _add_style(cell, f"padding: {padding}")


def _add_style(el: etree._Element, declaration: str) -> None:
    own = (el.get("style") or "").strip().rstrip(";")
    el.set("style", f"{own}; {declaration}" if own else declaration)


def map_obsolete(container: etree._Element) -> None:
    """Each obsolete element of :data:`MAPPED` in the chapter's XHTML as its
    equivalent (``<center>`` a ``div.center``), each ``align`` attribute
    as a class (``align="right"`` is ``align-right``; a value HTML 4 does not
    have means nothing to a browser either, and goes), and the other
    presentational attributes as their CSS (:data:`PRESENTATIONAL`)."""
    _presentational(container)
    for name, (tag, cls) in MAPPED.items():
        for el in list(container.iter(h(name))):
            el.tag = h(tag)
            if cls:
                _add_class(el, cls)
    for el in container.iter():
        value = el.attrib.pop("align", None) if isinstance(el.tag, str) else None
        if value is not None and value.strip().lower() in ALIGN:
            _add_class(el, f"align-{value.strip().lower()}")


def without_timed_media(container: etree._Element) -> Counter[str]:
    """Each ``<video>`` and ``<audio>`` in the chapter's XHTML replaced by its
    fallback content (HTML's: its children but ``<source>`` and ``<track>``,
    shown where the element is not supported); how many of each there were."""
    timed = [h(name) for name in TIMED]
    found = Counter(etree.QName(el).localname for el in container.iter(*timed))
    for el in list(container.iter(*timed)):
        etree.strip_elements(el, *(h(n) for n in _TIMED_SOURCES), with_tail=False)
    etree.strip_tags(container, *timed)  # text and children take the element's place
    return found


def _add_class(el: etree._Element, cls: str) -> None:
    el.set("class", " ".join([*(el.get("class") or "").split(), cls]))


def tex_kind(raw: str) -> str:
    """What a raw TeX element is, for counting: its first command
    (``\\index``, ``\\begin{tabular}``), else the text itself, shortened."""
    found = _TEX_KIND.search(raw)
    return "\\" + found.group(1) if found else raw.strip()[:20]


def tex_survey(parsed: Parsed, text: str) -> tuple[tuple[str, int, int | None], ...]:
    """Per kind of raw TeX in the chapter: (kind, count, line of the first)."""
    raws = _raw(parsed, TEX)
    counts = Counter(tex_kind(r) for r in raws)
    result = []
    for kind, n in counts.items():
        first = next(r for r in raws if tex_kind(r) == kind)
        result.append((kind, n, locate(text, _shows(TEX, first, 1), first.split("\n")[0])))
    return tuple(sorted(result, key=lambda row: (row[2] or 0, row[0])))


def tex_warnings(chapters: Iterable[tuple[Path, tuple[tuple[str, int, int | None], ...]]]
                 ) -> tuple[Problem, ...]:
    """One warning per kind of raw TeX in the book, with its count and first place."""
    counts: Counter[str] = Counter()
    first: dict[str, tuple[Path, int | None]] = {}
    for file, survey in chapters:
        for kind, n, line in survey:
            counts[kind] += n
            first.setdefault(kind, (file, line))
    return tuple(
        Problem(f"raw TeX {kind} ({n} time{'s' if n != 1 else ''} in the book, the first here) "
                "shows in no edition: the EPUB and the print edition leave it out; write it in "
                "Markdown, or remove it", *first[kind], code="raw-tex")
        for kind, n in sorted(counts.items(), key=lambda kv: (str(first[kv[0]][0]),
                                                             first[kv[0]][1] or 0, kv[0])))
