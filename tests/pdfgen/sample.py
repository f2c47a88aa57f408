"""A bookbuild book directory (the sample book) as a generated-book truth.

Pandoc reads each chapter; paragraphs keep their words, italics and notes.
What print cannot carry as such is flattened as print shows it: a list item
is a paragraph opening with "•", a block quote's paragraphs are paragraphs,
a note's several blocks are one paragraph, an image is its caption.

Citations are as Pandoc's citeproc prints them, with the book's bibliography
and style (Chicago's notes by default): a citation in the text is a note of
its own, one inside a note is words of that note, and the print edition's
bibliography is a chapter after the body, its entries paragraphs.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bookbuild.config import BookConfig, load_config
from bookbuild.lang.words import word
from bookbuild.pandoc import CiteSettings, cite, read_markdown
from bookbuild.pandoc.ast import elements
from bookbuild.refs.styles import for_citeproc
from bookbuild.source.manuscript import load_manuscript

from .model import Book, Chapter, Heading, Paragraph, _merge, front_matter

QUOTES = {"DoubleQuote": ("“", "”"), "SingleQuote": ("‘", "’")}


def _segments(inlines: list) -> list:
    out: list = []
    for node in inlines:
        t, c = node["t"], node.get("c")
        if t == "Str":  # (citeproc leaves an empty one where it moved a full stop)
            out += [("t", c)] if c else []
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(("t", " "))
        elif t == "Emph":
            out.append(("i", "".join(v for _, v in _segments(c))))
        elif t == "Quoted":
            left, right = QUOTES[c[0]["t"]]
            out += [("t", left), *_segments(c[1]), ("t", right)]
        elif t == "Note":
            out.append(("n", tuple(_merge(_note(c)))))
        elif t in ("Span", "Link", "Cite", "Strong", "SmallCaps"):
            out += _segments(c[1] if t in ("Span", "Link", "Cite") else c)
        elif t in ("Code",):
            out.append(("t", c[1]))
    return _merge(out)


def _note(blocks: list) -> list:
    out: list = []
    for block in _flat(blocks):
        if out:
            out.append(("t", " "))
        out += block
    return out


def _flat(blocks: list) -> list[list]:
    """Each printed paragraph of these blocks, as segments."""
    out = []
    for b in blocks:
        if b["t"] in ("Para", "Plain"):
            out.append(_segments(b["c"]))
        elif b["t"] == "Figure":  # print shows the caption under the image
            out += _flat(b["c"][1][1])
        elif b["t"] == "BlockQuote":
            out += _flat(b["c"])
        elif b["t"] in ("BulletList", "OrderedList"):
            items = b["c"] if b["t"] == "BulletList" else b["c"][1]
            for item in items:
                for k, para in enumerate(_flat(item)):
                    out.append(([("t", "• ")] if k == 0 else []) + para)
    return out


def _citeproc(config: BookConfig, docs: list[dict]) -> tuple[list[dict], list[Chapter]]:
    """Each chapter's AST after citeproc, and the bibliography chapter, as
    Pandoc makes them with the book's bibliography and style: each chapter on
    its own (its first citation of a work in full, as Chicago asks of a book),
    the book's cited keys as ``nocite`` so every chapter disambiguates alike."""
    if not config.bibliography:
        return docs, []
    keys = tuple(dict.fromkeys(c["citationId"] for doc in docs for el in elements(doc["blocks"])
                               if el["t"] == "Cite" for c in el["c"][0]))
    settings = CiteSettings(config.bibliography, for_citeproc(config.csl, config.root),
                            config.language, keys)
    listed = cite(None, replace(settings, suppress_bibliography=False)).doc
    entries = [block for el in elements(listed["blocks"])
               if el["t"] == "Div" and el["c"][0][0] == "refs"
               for entry in el["c"][1] for block in entry["c"][1]]
    bibliography = Chapter(word(config.language, "bibliography"),
                           tuple(Paragraph(tuple(_merge(p))) for p in _flat(entries)))
    return [cite(doc, settings).doc for doc in docs], [bibliography]


def sample_book(book_dir: Path) -> Book:
    config = load_config(book_dir)
    body = [c for c in load_manuscript(config).chapters if c.matter == "bodymatter"]
    docs, back = _citeproc(config, [read_markdown(c.text).doc for c in body])
    chapters = []
    for doc in docs:
        title, blocks = "", []
        for block in doc["blocks"]:
            if block["t"] == "Header" and block["c"][0] == 1:
                title = "".join(v for _, v in _segments(block["c"][2]))
            elif block["t"] == "Header":
                blocks.append(Heading("".join(v for _, v in _segments(block["c"][2]))))
            else:
                blocks += [Paragraph(tuple(_merge(p))) for p in _flat([block])
                           if "".join(v for k, v in p if k != "n").strip()]
        chapters.append(Chapter(title, tuple(blocks)))
    chapters += back  # the bibliography: after the body, before the colophon that closes it
    people = {c.roles[0] if c.roles else "aut": c.name for c in config.contributors}
    front = front_matter("en", config.title, config.subtitle or "", people.get("aut", ""),
                         people.get("trl", ""), config.publisher or "", "978-0-306-40615-7", 2026)
    return Book("en", front, tuple(chapters))
