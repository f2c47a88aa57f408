"""A bookbuild book directory (the sample book) as a generated-book truth.

Pandoc reads each chapter; paragraphs keep their words, italics and notes.
What print cannot carry as such is flattened as print shows it: a list item
is a paragraph opening with "•", a block quote's paragraphs are paragraphs,
a note's several blocks are one paragraph, an image is its caption.
"""

from __future__ import annotations

from pathlib import Path

from bookbuild.config import load_config
from bookbuild.source.manuscript import load_manuscript
from bookbuild.pandoc import read_markdown

from .model import Book, Chapter, Heading, Paragraph, _merge, front_matter

QUOTES = {"DoubleQuote": ("“", "”"), "SingleQuote": ("‘", "’")}


def _segments(inlines: list) -> list:
    out: list = []
    for node in inlines:
        t, c = node["t"], node.get("c")
        if t == "Str":
            out.append(("t", c))
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(("t", " "))
        elif t == "Emph":
            out.append(("i", "".join(v for _, v in _segments(c))))
        elif t == "Quoted":
            left, right = QUOTES[c[0]["t"]]
            out += [("t", left), *_segments(c[1]), ("t", right)]
        elif t == "Note":
            out.append(("n", tuple(_merge(_note(c)))))
        elif t in ("Span", "Link", "Strong", "SmallCaps"):
            out += _segments(c[1] if t in ("Span", "Link") else c)
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


def sample_book(book_dir: Path) -> Book:
    config = load_config(book_dir)
    chapters = []
    for chapter in load_manuscript(config).chapters:
        if chapter.matter != "bodymatter":
            continue
        doc = read_markdown(chapter.text).doc
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
    people = {c.roles[0] if c.roles else "aut": c.name for c in config.contributors}
    front = front_matter("en", config.title, config.subtitle or "", people.get("aut", ""),
                         people.get("trl", ""), config.publisher or "", "978-0-306-40615-7", 2026)
    return Book("en", front, tuple(chapters))
