"""Read a text extraction of a print book into ``Line``s.

Extractions differ: some put a paragraph on one line, others wrap it at the
page width and hyphenate; some mark pages with form feeds and keep the
running heads and page numbers; references may be superscript digits,
``[1]`` or ``*``, italics ``*stars*``. What the page furniture is, is told by
position and repetition, never by wording; which marker the book uses, by
the labels its notes open with.
"""

from __future__ import annotations

import re
from collections import Counter

from . import hyphens
from .inline import SUPERSCRIPTS, SYMBOLS, emph, label_of, ref
from .source import (BRACKET_REF, CONTENTS_ENTRY, NOTE_LABEL, SEPARATOR, TERMINAL, Doubt, Line, Source,
                     is_caps_heading,
                     is_roman_heading, starts_list_item)

#: A block whose longest line is at least this long is prose wrapped at the page
#: width; shorter blocks (title pages, addresses) keep their lines apart.
PROSE_WIDTH = 50
#: A lone dash or underscore run: the rule printed above a page's notes, not text.
NOTE_RULE = re.compile(r"^[-–—_]{1,40}$")
_SUPER_RUN = re.compile(f"[{SUPERSCRIPTS}]+")
_ITALIC = re.compile(r"(?<![\w*\\\[])\*(?=[^\s*\]])(.+?)(?<=[^\s*\\\[])\*(?![\w*\]])")
_FURNITURE_KEY = re.compile(r"\d+|\b[ivxlc]+\b", re.IGNORECASE)
_SYMBOL_REF = re.compile(rf"(?<=[^\s{re.escape(SYMBOLS)}])([{re.escape(SYMBOLS)}]{{1,3}})(?=[\s,.;:)]|$)")


def read_text_source(text: str, language: str = "en") -> Source:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    raw: list[tuple[int, int | None, str]] = []  # (line number, page, text)
    paged = "\f" in text
    number = 1
    for page, chunk in enumerate(text.split("\f")):
        for line in chunk.split("\n"):
            raw.append((number, page if paged else None, line.strip()))
            number += 1
        number -= 1  # a form feed ends a page, not a line
    removed = _furniture(raw, paged)
    vocabulary = hyphens.Vocabulary([t for _, _, t in raw], language)
    doubts: list[Doubt] = []
    paragraphs: list[Line] = []
    block: list[Line] = []
    for n, page, line in raw + [(number + 1, None, "")]:
        if n in removed:
            continue
        if line and not NOTE_RULE.match(line):
            block.append(Line(n, line, page=page))
        elif block:
            paragraphs += _unwrap(block, vocabulary, doubts)
            block = []
    style = _marker_style(paragraphs)
    return Source([_marked(p, style) for p in paragraphs], doubts=tuple(doubts),
                  furniture=len(removed), markers=style)


def _furniture(raw: list[tuple[int, int | None, str]], paged: bool) -> set[int]:
    """Running heads and page numbers: the first and last lines of each page
    when the extraction marks pages, else short lines the book repeats."""
    def key(text: str) -> str:
        pattern = _FURNITURE_KEY if paged else r"\d+"  # a lone Roman numeral may be a heading
        return " ".join(re.sub(pattern, "#", text).casefold().split())

    if paged:
        edges: list[tuple[int, str]] = []
        pages: dict[int, list[tuple[int, str]]] = {}
        for n, page, t in raw:
            if t:
                pages.setdefault(page, []).append((n, t))
        for lines in pages.values():
            edges += lines[:2] + lines[-2:]
        counts = Counter(key(t) for _, t in set(edges))
        return {n for n, t in set(edges) if key(t) == "#" or (counts[key(t)] >= 2 and len(t) <= 80
                                                              and not SEPARATOR.match(t))}
    alone = [(n, t) for i, (n, _, t) in enumerate(raw) if t
             and not (i and raw[i - 1][2]) and not (i + 1 < len(raw) and raw[i + 1][2])]
    counts = Counter(key(t) for _, t in alone)
    return {n for n, t in alone if re.fullmatch(r"\d{1,4}", t)
            or (counts[key(t)] >= 4 and len(t) <= 60 and any(c.isalpha() for c in t)
                and t[-1] not in TERMINAL)}


def _starts_unit(text: str, previous: str, in_notes: bool) -> bool:
    """Does this line of a wrapped block open a paragraph of its own? A line
    opening with a number does in a block of notes when the line before ended
    a sentence or opened with the number before it."""
    m = NOTE_LABEL.match(text)
    before = NOTE_LABEL.match(previous)
    follows = bool(m and m.group("num") and before and before.group("num")
                   and int(m.group("num")) == int(before.group("num")) + 1)
    if m and (not m.group("num") or (in_notes and (previous.rstrip()[-1:] in TERMINAL
                                                   or follows))):
        return True
    return bool(starts_list_item(text) and previous.rstrip()[-1:] in TERMINAL + ":;"
                or SEPARATOR.match(text) or is_caps_heading(text) or is_roman_heading(text)
                or CONTENTS_ENTRY.match(text))


def _unwrap(block: list[Line], vocabulary: hyphens.Vocabulary,
            doubts: list[Doubt]) -> list[Line]:
    """One Line per paragraph of a block: a wrapped paragraph is joined again,
    and a new one starts after a short last line or at a line that opens a
    note, a list item, a heading or a contents entry."""
    if len(block) < 2 or max(len(line.text) for line in block) < PROSE_WIDTH:
        return list(block)
    full = 0.8 * max(len(line.text) for line in block)
    in_notes = bool(NOTE_LABEL.match(block[0].text))
    result: list[Line] = []
    ended = True
    for line in block:
        if result and not ended and not _starts_unit(line.text, result[-1].text, in_notes):
            last = result[-1]
            joined, decision = hyphens.join(last.text, line.text, vocabulary)
            if decision and not decision.certain:
                doubts.append(Doubt(line.number, "the hyphen at the line break was "
                                    + ("kept" if decision.keep_hyphen else "taken out")
                                    + f" ({decision.why})", 0.7))
            result[-1] = Line(last.number, joined, page=last.page)
        else:
            result.append(line)
        ended = len(line.text) < full and not line.text.endswith(("-", hyphens.SOFT_HYPHEN))
    return result


def _marker_style(paragraphs: list[Line]) -> str:
    """The book's markers, from the labels its notes open with."""
    starts = Counter()
    for p in paragraphs:
        if m := NOTE_LABEL.match(p.text):
            starts["bracket" if m.group("br") else "symbol" if m.group("sym") else "digit"] += 1
    if starts["bracket"] >= 2 and starts["bracket"] >= starts["digit"] / 4:
        return "bracket"
    if starts["symbol"] >= 2 and starts["digit"] == 0:
        return "symbol"
    return "superscript"


def _marked(line: Line, style: str) -> Line:
    """The line with its inline marks: references and emphasis."""
    text = line.text.replace("[*]", "[\0]")
    label = NOTE_LABEL.match(text)
    head, body = (text[:label.start("text")], text[label.start("text"):]) if label else ("", text)
    body = _SUPER_RUN.sub(lambda m: ref(label_of(m.group(0))), body)
    if style == "bracket":
        body = BRACKET_REF.sub(lambda m: ref(m.group(1)), body)
    body = _ITALIC.sub(lambda m: emph(m.group(1)), body)
    if style == "symbol":
        body = _SYMBOL_REF.sub(lambda m: ref(m.group(1)), body)
    return Line(line.number, (head + body).replace("[\0]", "[*]"), page=line.page)
