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


def _segments(segments, note: str = "footnote") -> str:
    """Notes side by side are parted by a raised comma, as Chicago's style
    sets them (Typst alone would print "2" and "3" as "23")."""
    out = []
    for k, (kind, value) in enumerate(segments):
        if kind == "t":
            out.append(_esc(value))
        elif kind == "i":
            out.append(f"#emph[{_esc(value)}]")
        else:
            out.append(f"#{note}[{_segments(value)}]")
            if k + 1 < len(segments) and segments[k + 1][0] == "n":
                out.append("#super[,]")
    return "".join(out)


#: Sidenotes: the reference raised in the text, and a metadata beside it that
#: the page's foreground finds and sets in the outer margin, its first line at
#: the reference's line (pushed down below the note before, and up from the
#: page's foot when the page's notes run past it; a page whose notes would
#: then stand above the text's top is an error, not a page of notes set over
#: each other), 8 pt in a 4.2 cm column (the page 2 cm wider).
_SIDENOTES = """
#let sidenote-count = counter("sidenote")
#let sidenote(body) = { sidenote-count.step(); context {
  let n = sidenote-count.get().first(); super[#n]; [#metadata((n: n, body: body))<sidenote>] } }
#let margin-notes = context {
  let here-page = here().page()
  let notes = query(<sidenote>).filter(m => m.location().page() == here-page)
  let x = if calc.odd(here-page) { page.width - 5.2cm + 0.4cm } else { 0.6cm }
  let boxes = notes.map(m => block(width: 4.2cm, text(size: 8pt)[
    #set par(first-line-indent: 0pt, justify: false); #super[#m.value.n]#m.value.body]))
  let tops = ()
  let low = 0pt
  for (m, b) in notes.zip(boxes) {
    let y = calc.max(m.location().position().y - 7pt, low)
    tops.push(y)
    low = y + measure(b).height + 4pt
  }
  let wanted = tops.at(0, default: 0pt)
  let limit = page.height - 2.2cm
  for k in range(tops.len()).rev() {
    let h = measure(boxes.at(k)).height
    if tops.at(k) + h > limit { tops.at(k) = limit - h }
    limit = tops.at(k) - 4pt
  }
  assert(tops.len() == 0 or tops.first() >= calc.min(wanted, 2.2cm),
         message: "the margin notes of page " + str(here-page) + " do not fit beside its text")
  for (y, b) in tops.zip(boxes) { place(top + left, dx: x, dy: y, b) }
}
"""


#: A drop cap: the letter, 29 pt from its cap height to its baseline, beside
#: the first words of the paragraph, as many as two justified lines hold in
#: the measure left beside it (the last of them justified too, and broken
#: there by hand); the paragraph goes on below at the full measure.
_DROP_CAP = """
#let drop-cap(letter, words, rest) = layout(size => {
  let cap = text(size: 29pt, top-edge: "cap-height", bottom-edge: "baseline", letter)
  let width = size.width - measure(cap).width
  let two = measure(block(width: width, par[x#linebreak()x])).height
  let fits(k) = measure(block(width: width, par(justify: true, words.slice(0, k).join(" ")))).height <= two
  let k = 1
  while k < words.len() and fits(k + 1) { k += 1 }
  assert(k < words.len(), message: "a drop cap's paragraph shorter than its two lines")
  grid(columns: (auto, width), cap,
       par(justify: true, first-line-indent: 0pt)[#words.slice(0, k).join(" ")#linebreak(justify: true)])
  par(first-line-indent: 0pt)[#words.slice(k).join(" ")#rest]
})
"""
#: Words of a chapter's first run of plain text enough to fill the lines
#: beside its drop cap and go on below them.
DROP_CAP_WORDS = 30


def _opening(paragraph: Paragraph, note: str) -> str | None:
    """A chapter's first paragraph opening with a drop cap, or None when its
    first run of plain text is too short for one."""
    kind, text = paragraph.segments[0]
    words = text.split()
    if kind != "t" or len(words) < DROP_CAP_WORDS or len(words[0]) < 2 \
            or not words[0][0].isalpha():
        return None
    letters = [words[0][1:], *words[1:]]
    rest = (" " if text.endswith(" ") else "") + _segments(paragraph.segments[1:], note)
    quoted = ", ".join('"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"' for w in letters)
    return f'#drop-cap("{words[0][0]}", ({quoted},), [{rest}])\n'


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
    counter = "sidenote-count" if layout.notes_at == "margin" else "counter(footnote)"
    reset_chapter = f"{counter}.update(0);" if layout.numbering == "chapter" else ""
    margins, sidenotes = ("(top: 2.2cm, bottom: 2.2cm, x: 1.8cm)", "") \
        if layout.notes_at == "foot" else \
        ("(top: 2.2cm, bottom: 2.2cm, inside: 1.5cm, outside: 5.2cm)", _SIDENOTES)
    width = "13cm" if layout.notes_at == "foot" else "15cm"
    title = 'v(2.5em); text(size: 16pt, weight: "bold", hyphenate: false, it.body); v(1.2em)'
    if layout.columns > 1:  # wider, the title over the columns (the body's: see typst_source)
        width = "17cm"
        title = f'place(top, scope: "parent", float: true, block({{ {title} }}))'
    return f"""{sidenotes}{_DROP_CAP if layout.drop_caps else ""}
#set document(title: "{_esc(book.front.title)}")
#set page(width: {width}, height: 19cm, margin: {margins},
  header: context {{ {reset_page} {head} }}, footer: {footer},
  foreground: {"margin-notes" if sidenotes else "none"})
#set text(lang: "{book.language}", size: 10pt, hyphenate: true)
#set par(justify: true, first-line-indent: 1em, spacing: 0.65em)
#set footnote(numbering: {numbering})
{"" if layout.superiors else "#set super(typographic: false)"}
{marker}
{label}
#show heading.where(level: 1): it => {{ pagebreak(weak: true); {reset_chapter} {title} }}
#show heading.where(level: 2): it => {{ v(0.8em); text(size: 10pt, weight: "bold", hyphenate: false, it.body); v(0.4em) }}
"""


def typst_source(book: Book, layout: Layout) -> str:
    f = book.front
    out = [_preamble(book, layout)]
    note = "footnote" if layout.notes_at == "foot" else "sidenote"
    out.append("#align(center)[#set text(hyphenate: false)\n#v(3cm)#text(size: 20pt)["
               + _esc(f.title) + "]\n\n"
               + "\n\n".join(f"#text(size: 12pt)[{_esc(line)}]" for line in f.lines_title)
               + f"\n\n#v(4cm)#text(size: 11pt)[{_esc(f.publisher)}]]\n#pagebreak()\n")
    out.append("#v(1fr)\n" + "\n\n".join(_esc(line) for line in f.lines_copyright)
               + "\n#pagebreak()\n")
    out.append(f"#outline(title: [{_esc(f.contents)}], depth: 1)\n#pagebreak()\n")
    if layout.columns > 1:  # the chapters in columns, the front and back matter not
        out.append(f"#set page(columns: {layout.columns})\n")
    for chapter in book.chapters:
        out.append(f"= {_esc(chapter.title)}\n")
        capped = False  # the paragraph before opened with a drop cap
        for k, block in enumerate(chapter.blocks):
            if isinstance(block, Heading):
                out.append(f"== {_esc(block.text)}\n")
                capped = False
                continue
            assert isinstance(block, Paragraph)
            opening = _opening(block, note) if layout.drop_caps and k == 0 else None
            # (after the drop cap's layout the next paragraph is indented by hand:
            # Typst indents only a paragraph that follows a paragraph)
            out.append(opening or ("#h(1em)" if capped else "") + _segments(block.segments, note)
                       + "\n")
            capped = opening is not None
    if layout.columns > 1:
        out.append("#set page(columns: 1)\n")
    out.append("#v(1fr)\n" + "\n\n".join(_esc(line) for line in f.colophon) + "\n#pagebreak()\n")
    out.append(f"#align(center)[#v(3cm)#text(size: 18pt)[{_esc(f.title)}]]\n")
    return "\n".join(out)


def make_pdf(book: Book, layout: Layout, path: Path) -> Path:
    source = path.with_suffix(".typ")
    source.write_text(typst_source(book, layout), encoding="utf-8")
    typst.compile(str(source), output=str(path))
    return path
