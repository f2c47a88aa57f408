"""Set a generated book in Typst and make its PDF: real superscripts, italics,
running heads, page numbers, a footnote area under a rule, notes that run
over to the next page, hyphenation, and an outline."""

from __future__ import annotations

import re
from pathlib import Path

import typst

from .layout import Layout
from .model import Book, Heading, Paragraph

_SPECIAL = re.compile(r"([\\#*_\[\]$@<>`~=])")


def _esc(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _segments(segments) -> str:
    """Notes side by side are parted by a raised comma, as Chicago's style
    sets them (Typst alone would print "2" and "3" as "23")."""
    out = []
    for k, (kind, value) in enumerate(segments):
        if kind == "t":
            out.append(_esc(value))
        elif kind == "i":
            out.append(f"#emph[{_esc(value)}]")
        else:
            out.append(f"#footnote[{_segments(value)}]")
            if k + 1 < len(segments) and segments[k + 1][0] == "n":
                out.append("#super[,]")
    return "".join(out)


def _preamble(book: Book, layout: Layout) -> str:
    numbering = '"*"' if layout.marker == "symbol" else '"1"'
    reset_page = "counter(footnote).update(0);" if layout.numbering == "page" else ""
    head = ""
    if layout.running_heads:
        head = f"""
    let chapter = query(heading.where(level: 1).before(here()))
    let starts = query(heading.where(level: 1)).any(h => h.location().page() == here().page())
    if here().page() > 3 and not starts {{
      if calc.even(here().page()) [#emph[{_esc(book.front.title)}]] else [#h(1fr)#if chapter.len() > 0 {{ chapter.last().body }}]
    }}"""
    footer = "context { if here().page() > 3 { align(center, counter(page).display()) } }" \
        if layout.page_numbers else "none"
    marker = {
        "superscript": "",
        "bracket": "#show footnote: it => context [\\[#counter(footnote).at(it.location()).first()\\]]",
        "symbol": "",
    }[layout.marker]
    label = {
        "raised": "",
        "plain": "#show footnote.entry: it => context [#numbering(it.note.numbering, ..counter(footnote).at(it.note.location())) #it.note.body]",
        "dot": "#show footnote.entry: it => context [#numbering(it.note.numbering, ..counter(footnote).at(it.note.location())). #it.note.body]",
        "bracket": "#show footnote.entry: it => context [\\[#numbering(it.note.numbering, ..counter(footnote).at(it.note.location()))\\] #it.note.body]",
    }[layout.label]
    reset_chapter = "counter(footnote).update(0);" if layout.numbering == "chapter" else ""
    return f"""
#set document(title: "{_esc(book.front.title)}")
#set page(width: 13cm, height: 19cm, margin: (top: 2.2cm, bottom: 2.2cm, x: 1.8cm),
  header: context {{ {reset_page} {head} }}, footer: {footer})
#set text(lang: "{book.language}", size: 10pt, hyphenate: true)
#set par(justify: true, first-line-indent: 1em, spacing: 0.65em)
#set footnote(numbering: {numbering})
#set super(typographic: false)
{marker}
{label}
#show heading.where(level: 1): it => {{ pagebreak(weak: true); {reset_chapter} v(2.5em); text(size: 16pt, weight: "bold", hyphenate: false, it.body); v(1.2em) }}
#show heading.where(level: 2): it => {{ v(0.8em); text(size: 10pt, weight: "bold", hyphenate: false, it.body); v(0.4em) }}
"""


def typst_source(book: Book, layout: Layout) -> str:
    f = book.front
    out = [_preamble(book, layout)]
    out.append("#align(center)[#set text(hyphenate: false)\n#v(3cm)#text(size: 20pt)["
               + _esc(f.title) + "]\n\n"
               + "\n\n".join(f"#text(size: 12pt)[{_esc(line)}]" for line in f.lines_title)
               + f"\n\n#v(4cm)#text(size: 11pt)[{_esc(f.publisher)}]]\n#pagebreak()\n")
    out.append("#v(1fr)\n" + "\n\n".join(_esc(line) for line in f.lines_copyright)
               + "\n#pagebreak()\n")
    out.append(f"#outline(title: [{_esc(f.contents)}], depth: 1)\n#pagebreak()\n")
    for chapter in book.chapters:
        out.append(f"= {_esc(chapter.title)}\n")
        for block in chapter.blocks:
            if isinstance(block, Heading):
                out.append(f"== {_esc(block.text)}\n")
            else:
                assert isinstance(block, Paragraph)
                out.append(_segments(block.segments) + "\n")
    out.append("#v(1fr)\n" + "\n\n".join(_esc(line) for line in f.colophon) + "\n#pagebreak()\n")
    out.append(f"#align(center)[#v(3cm)#text(size: 18pt)[{_esc(f.title)}]]\n")
    return "\n".join(out)


def make_pdf(book: Book, layout: Layout, path: Path) -> Path:
    source = path.with_suffix(".typ")
    source.write_text(typst_source(book, layout), encoding="utf-8")
    typst.compile(str(source), output=str(path))
    return path
