"""Read a text extraction of a print book into ``Line``s.

Extractions differ: some put a paragraph on one line, others wrap it at the
page width and hyphenate; some mark pages with form feeds and keep the
running heads and page numbers; references may be superscript digits,
``[1]`` or ``*``, italics ``*stars*``. What the page furniture is, is told by
position and repetition, never by wording; which marker the book uses, by
the labels its notes open with.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import replace

from . import hyphens
from .inline import EM_CLOSE, EM_OPEN, SUPERSCRIPTS, SYMBOLS, emph, label_of, ref, references
from .source import (
    BRACKET_REF,
    CONTENTS_ENTRY,
    NOTE_LABEL,
    SEPARATOR,
    TERMINAL,
    Doubt,
    Line,
    Source,
    ends_sentence,
    is_caps_heading,
    is_roman_heading,
    normalise_title,
    starts_list_item,
    starts_lowercase,
)
from .structure import LEADER_RUN, is_contents_heading

#: A block whose longest line is at least this long is prose wrapped at the page
#: width; shorter blocks (title pages, addresses) keep their lines apart.
PROSE_WIDTH = 50
#: A lone dash or underscore run: the rule printed above a page's notes, not text.
NOTE_RULE = re.compile(r"^[-–—_]{1,40}$")
_SUPER_RUN = re.compile(f"[{SUPERSCRIPTS}]+(?:,[{SUPERSCRIPTS}]+)*")  # "²,³": two references
_ITALIC = re.compile(r"(?<![\w*\\\[])\*(?=[^\s*\]])(.+?)(?<=[^\s*\\\[])\*(?![\w*\]])")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_FURNITURE_KEY = re.compile(r"\d+|\b[ivxlc]+\b", re.IGNORECASE)


def read_text_source(text: str, language: str | None = None) -> Source:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)  # what an extractor leaves that no e-book can show
    raw: list[tuple[int, int | None, str]] = []  # (line number, page, text)
    paged = "\f" in text
    number = 1
    lines: list[tuple[int, str]] = []
    for page, chunk in enumerate(text.split("\f")):
        for line in chunk.split("\n"):
            raw.append((number, page if paged else None, line.strip()))
            lines.append((number, line))
            number += 1
        number -= 1  # a form feed ends a page, not a line
    folded = text.casefold()
    letters = Counter(re.findall(r"(?<=\s)([^\W\d_])(?=\s)", folded))  # "a", "i": words
    raw, lines, capped = _drop_caps(raw, lines, set(re.findall(r"\w+", folded)),
                                    {letter for letter, count in letters.items() if count >= 3})
    # lines printed with a paragraph's first-line indent
    indented = _first_lines(lines, {n: page for n, page, t in raw if t})
    measure = _joined_measure([len(t) for _, _, t in raw])
    if paged and measure is not None:
        raw = _glued_folios(raw)
    if paged:
        raw = _wrapped_titles(raw)
    removed = _furniture(raw, paged)
    feet: set[int] = set()
    if paged and not any(ch in SUPERSCRIPTS for ch in text):
        if measure is not None:
            raw = _unglued_notes(raw, removed)
        raw, feet = _page_notes(raw, removed, indented)
    vocabulary = hyphens.Vocabulary([t for _, _, t in raw], language)
    doubts: list[Doubt] = []
    paragraphs: list[Line] = []
    block: list[Line] = []
    printed = dict(lines)  # each line as the extraction sets it, its indent kept
    page_of = {n: page for n, page, t in raw if t}
    listing_page = None  # the page the last listing ends on
    after_rule = False  # the block under a rule is the page's notes
    for n, page, line in raw + [(number + 1, None, "")]:
        if n in removed:
            continue
        level = _section_level(line)
        if line and not level and not NOTE_RULE.match(line) \
                and not (block and n in feet and block[-1].number not in feet):
            block.append(Line(n, line, indent=n in indented or n in capped))
            continue
        if block:  # a blank line, a rule, a heading or a page's notes ends the block
            for listing, part in _listings(block):
                if listing:
                    paragraphs = _with_listing(paragraphs, _listing(part, printed), feet,
                                               page_of[part[0].number] != listing_page)
                    listing_page = page_of[part[-1].number]
                else:
                    foot = part[0].number in feet
                    paragraphs += _unwrap(part, vocabulary, doubts, after_rule or foot,
                                          measure, labelled=foot)
            block = []
            after_rule = False
        if level:
            paragraphs.append(Line(n, line, kind="heading", level=level))
            continue
        after_rule = after_rule or bool(NOTE_RULE.match(line))
        if line and not NOTE_RULE.match(line):  # the first line of a page's notes
            block.append(Line(n, line, indent=n in indented or n in capped))
    # A page's notes found by their labels are notes for certain: what follows
    # them on the next page is the text's, unless it stands in the notes too.
    paragraphs = [replace(p, kind="note", label=m.group("num"), text=m.group("text"))
                  if p.number in feet and (m := NOTE_LABEL.match(p.text)) and m.group("num")
                  else p for p in paragraphs]
    style = _marker_style(paragraphs)
    # Indents tell paragraphs apart where a good share of the text shows them.
    indents = len(indented) >= max(3, 0.05 * len(paragraphs))
    caveats = () if paged or indents else (
        "This extraction shows neither page breaks nor paragraph indents. Where a page ended "
        "on a full stop, the text after the page's notes starts a new paragraph, and a note "
        "that ended there takes nothing more: a page that broke between two sentences of one "
        "paragraph (or of one note) looks the same. The PDF, or an extraction that keeps the "
        "pages, settles it.",)
    return Source([_marked(p, style) for p in paragraphs], doubts=tuple(doubts),
                  furniture=len(removed), markers=style, vocabulary=vocabulary,
                  indents=indents, caveats=caveats)


#: A drop cap an extraction leaves apart: the letter alone, or before the text
#: of the line beside it ("P ces questions"), and the word it opens.
_CAP_ALONE = re.compile(r"^([^\W\d_a-zà-ÿ])(?: (\S.*))?$")
_WORD_START = re.compile(r"[^\W\d_]+")


def _drop_caps(raw: list[tuple[int, int | None, str]], lines: list[tuple[int, str]],
               words: set[str], alone: set[str]) -> tuple[list[tuple[int, int | None, str]],
                                         list[tuple[int, str]], set[int]]:
    """Rule *a drop cap in a text extraction*: a chapter's first letter, set
    large beside its first lines, comes out on a line of its own ("D", then
    "ans le dialogue") or before the text of the line beside it ("P ces
    questions", then "our bien saisir", the first line). Where such a letter
    opens a block (a blank line or the page's top before it; before a line's
    text, a letter the book does not set alone between spaces, not "A"),
    the next line of text opens in lower case and the letter before its
    first word makes a word of the book ("Dans", "Pour"), the letter opens
    that line, the text after it goes on after that line, the blank lines
    between are taken out, and the lines set in beside the letter are no
    first lines.
    Returns the lines, the printed lines, and the numbers of those the
    letter opens (a paragraph's first lines)."""
    raw, lines = list(raw), list(lines)
    capped: set[int] = set()
    for k, (n, page, t) in enumerate(raw):
        cap = _CAP_ALONE.match(t)
        if not cap or k and raw[k - 1][2] and raw[k - 1][1] == page \
                or cap.group(2) and cap.group(1).casefold() in alone:
            continue  # not at a block's top, or a word before the line beside it ("A", "I")
        nexts = [j for j in range(k + 1, min(k + 4, len(raw))) if raw[j][2]
                 and raw[j][1] == page][:2]
        if not nexts or not raw[nexts[0]][2][:1].islower():
            continue
        first = _WORD_START.match(raw[nexts[0]][2])
        if not first or (cap.group(1) + first.group(0)).casefold() not in words:
            continue
        beside = lines[nexts[0]][1]
        column = len(beside) - len(beside.lstrip())  # where the lines beside the letter start
        texts = [cap.group(1) + raw[nexts[0]][2]]
        if cap.group(2):  # the letter stood before the line beside it
            texts.append(cap.group(2))
        end = nexts[0] + 1
        if cap.group(2) and len(nexts) > 1:  # the paragraph goes on after a blank
            texts.append(raw[nexts[1]][2])
            end = nexts[1] + 1
        for i in range(k, end):  # the texts on the last lines, the blanks before them
            text = texts[i - end + len(texts)] if i >= end - len(texts) else ""
            raw[i] = (raw[i][0], page, text)
            lines[i] = (lines[i][0], text)
        capped.add(raw[end - len(texts)][0])
        while end < len(lines) and column and raw[end][2] and \
                len(lines[end][1]) - len(lines[end][1].lstrip()) >= column and end < k + 4:
            lines[end] = (lines[end][0], raw[end][2])
            end += 1
    return raw, lines, capped


#: A hung label ("(1)   ", "a.  "): the text after it sets the line's column.
_HUNG_LABEL = re.compile(r"^\s*(?:\(\w{1,4}\)|\w{1,3}[.)])\s{2,}(?=\S)")
#: A line's labels (a number, a letter, a roman number, in brackets or before a
#: stop), set apart by any space ("(5)   a. ", "c. ", "iv) "): the text after
#: them stands at the column an item's next lines take.
_LABELS = re.compile(r"^\s*(?:\(?(?:\d{1,3}|[^\W\d_]|[ivx]{1,4})[.)]\s+)+(?=\S)")


#: The share of an extraction's lines set in from the margin at least, when
#: it keeps the columns lines are printed at: paragraph indents and displays
#: set in a quarter or more of a book's lines (the real books: 42 % and 27 %
#: of their printed lines in ``pdftotext -layout``, none in plain ``pdftotext``).
SET_IN_SHARE = 0.05


def _first_lines(lines: list[tuple[int, str]], pages: dict[int, int | None]) -> set[int]:
    """Rule *first-line indent against its neighbours*: a line opens a
    paragraph when its text starts right of the next line's (the margin after
    a block's last line) and not at the column of the line before. A block
    set in from the margin (a quotation, an example under its hung label)
    is no first line on each of its lines, and its last line, back over the
    next paragraph's indent, goes on with it; a line opening with a hung
    label opens an item, and its column is that of the text after the label;
    a line at the column of the text after the labels of the line above
    goes on with that item (a numbered example's "c. " and the line under
    it). Where the extraction keeps the columns lines are printed at, a
    blank line sets a display apart: a line after one opens an item when it
    opens with a label, a display when it is set in as the line under it is
    (a quotation), unless its page's head stands over the blank (a display
    going on from the page before). ``pages``: each printed line's page.
    Tabs are a table's, not indents."""
    def column(line: str) -> int | None:
        if not line.strip() or line.startswith("\t"):
            return None
        hung = _HUNG_LABEL.match(line)
        return hung.end() if hung else len(line) - len(line.lstrip())

    columns = [column(t) for _, t in lines]
    # The extraction keeps the lines' columns (pdftotext -layout), not only
    # some lines' leading spaces: a blank line then tells displays apart.
    printed = [c for c in columns if c is not None]
    keeps_columns = sum(1 for c in printed if c) >= SET_IN_SHARE * len(printed)
    heads = {}  # each page's first two printed lines: its running head and folio
    for n, page in pages.items():
        heads.setdefault(page, []).append(n)
    heads = {n for numbers in heads.values() for n in sorted(numbers)[:2]}
    out = set()
    hanging = _hanging(columns)
    for k, (n, line) in enumerate(lines):
        here = columns[k]
        if k in hanging:
            if here == 0:
                out.add(n)
            continue
        before = columns[k - 1] if k else None
        after = columns[k + 1] if k + 1 < len(columns) else None
        after_blank = keeps_columns and before is None
        if here is None or not here and not (after_blank and _LABELS.match(line)):
            continue
        above_text = None  # the column of the text of the line above, after its labels
        if k and before is not None:
            above_labels = _LABELS.match(lines[k - 1][1])
            above_text = above_labels.end() if above_labels else \
                len(lines[k - 1][1]) - len(lines[k - 1][1].lstrip())
        if _HUNG_LABEL.match(line) or _LABELS.match(line) and (
                after_blank or line[:1] == " " and len(line) - len(line.lstrip()) != above_text):
            # its label opens an item: hung, after a blank line, or set in off the column
            # of the text above (at that column, "J. R. Marsh" goes on a quotation)
            out.add(n)
            continue
        above = next((j for j in range(k - 1, -1, -1) if columns[j] is not None), None)
        if after_blank and above is not None and here == after \
                and lines[above][0] not in heads and n not in heads:  # a display set apart
            out.add(n)
            continue
        if above_text is not None and here == above_text:  # under the text of the line above
            continue
        if here > (after or 0) and here != before:
            out.add(n)
    return out


def _hanging(columns: list[int | None]) -> set[int]:
    """Rule *hanging indent*: in a run of lines without a blank between them
    where the lines set in, all at one column, are as many as those at the
    margin (two at least), as in a bibliography or a list of entries, each
    line at the margin opens an entry and the others go on with it. Returns
    the indices of such runs' lines."""
    out: set[int] = set()
    k = 0
    while k < len(columns):
        end = k
        while end < len(columns) and columns[end] is not None:
            end += 1
        run = columns[k:end]
        margin = run.count(0)
        set_in = Counter(c for c in run if c)
        if margin >= 2 and set_in and len(set_in) == 1 and sum(set_in.values()) >= margin:
            out.update(range(k, end))
        k = end + 1
    return out


#: A section's number before a title in capitals ("1.2 Three “levels” of meaning").
_SECTION_HEADING = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?\s+[\"'“‘«(]?[A-Z\u00c0-\u00de]")
#: A section heading's longest line: longer is prose that wraps a number to its start.
SECTION_WIDTH = 70


def _section_level(text: str) -> int:
    """Rule *numbered section heading*: a short line opening with a section's
    number ("2.6.4") and a capital, that ends on no stop or comma (a question
    may be a heading) and is no contents entry, is a heading one level below
    the chapter per number after the first. 0 if the line is no such heading."""
    m = _SECTION_HEADING.match(text)
    if not m or len(text) > SECTION_WIDTH or text[-1] in ".…,;:" \
            or CONTENTS_ENTRY.match(text) or LEADER_RUN.search(text):
        return 0
    return min(1 + m.group(1).count("."), 6)


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
        again: set[int] = set()  # page heads whose text the page prints again
        for lines in list(pages.values())[1:-1]:  # not the title page nor the back cover
            edges += lines[:1] + lines[-1:]
            if any(normalise_title(t) == normalise_title(lines[0][1]) for _, t in lines[1:]):
                again.add(lines[0][0])
        edges = sorted(set(edges))
        counts = Counter(key(t) for _, t in edges)
        # A chapter's title opens its first page and heads the pages after it:
        # a title the contents list prints (on one line with its page or not).
        # Two chapters may share a title ("10. Sein welche", "75. Sein welche"):
        # each line the list prints, its label kept, opens one page. A page
        # that prints its first line again below holds the heading there, and
        # its first line is the running head (a heading is printed once).
        listed = _listed(raw)
        titles = {normalise_title(t) for _, t in listed}
        labelled = {_entry_text(t) for _, t in listed}
        seen: set[str] = set()
        out = set()
        for n, t in edges:
            if (n, t) in listed:  # the contents list itself
                continue
            if n in again:  # a running head over the heading it repeats
                seen.update((_entry_text(t), normalise_title(t)))
                out.add(n)
                continue
            if _entry_text(t) in labelled and _entry_text(t) not in seen:
                seen.update((_entry_text(t), normalise_title(t)))
                continue
            if normalise_title(t) in titles and normalise_title(t) not in seen:
                seen.add(normalise_title(t))
                continue
            # A line that ends a sentence is the text's, unless it is a
            # listed title already met: a running head ("Who are we?").
            if key(t) == "#" or (counts[key(t)] >= 2 and len(t) <= 80
                                 and (t[-1] not in TERMINAL or normalise_title(t) in seen)
                                 and any(ch.isalpha() for ch in t)):
                out.add(n)
        return out
    alone = [(n, t) for i, (n, _, t) in enumerate(raw) if t
             and not (i and raw[i - 1][2]) and not (i + 1 < len(raw) and raw[i + 1][2])]
    numbers = [n for n, t in alone if re.fullmatch(r"\d{1,4}", t)]
    # Running heads stand between the contents list and the last page number:
    # the title page before and the back cover after repeat the title too.
    start = next((n for n, _, t in raw if CONTENTS_ENTRY.match(t)), 0)
    end = numbers[-1] if numbers else raw[-1][0]
    counts = Counter(key(t) for n, t in alone if start < n < end)
    return set(numbers) | {n for n, t in alone if start < n < end and counts[key(t)] >= 4
                           and len(t) <= 60 and any(c.isalpha() for c in t)
                           and t[-1] not in TERMINAL}


def _glued_folios(raw: list[tuple[int, int | None, str]]) -> list[tuple[int, int | None, str]]:
    """Rule *a page's last line joined to its folio*: an extraction that
    joins a line ending on a hyphen to the next (``_joined_measure``) joins
    a page's last line of text, when it ends so, to the page number printed
    under it ("… kept in the mu9", "mu-" the first part of "museum").
    On a page without a folio line of its own, the number the other pages'
    folios give it (a folio is the page's index plus the book's offset),
    glued to the last word, is taken off and the hyphen given back."""
    pages: dict[int | None, list[int]] = {}
    for k, (_, page, t) in enumerate(raw):
        if t:
            pages.setdefault(page, []).append(k)
    offsets = Counter(int(raw[k][2]) - page for page, ks in pages.items()
                      for k in {ks[0], ks[-1]} if re.fullmatch(r"\d{1,4}", raw[k][2]))
    if not offsets:
        return raw
    offset, count = offsets.most_common(1)[0]
    if count < 3:  # too few folios to tell the book's numbering
        return raw
    out = list(raw)
    for page, ks in pages.items():
        if any(re.fullmatch(r"\d{1,4}", raw[k][2]) for k in {ks[0], ks[-1]}):
            continue
        n, _, t = raw[ks[-1]]
        folio = str(page + offset)
        if t.endswith(folio) and re.search(rf"[^\W\d_]{folio}$", t):
            out[ks[-1]] = (n, page, t[:-len(folio)] + "-")
    return out


def _wrapped_titles(raw: list[tuple[int, int | None, str]]) -> list[tuple[int, int | None, str]]:
    """Rule *a title wrapped at a page's top*: a chapter's heading too long
    for its line opens the chapter's first page on two lines, which the
    contents list prints as one title. Such a page's first two lines are
    one line, the heading, so that the title met again at the pages' tops
    after it is told as their running head."""
    titles = {normalise_title(t) for _, t in _listed(raw)}
    out = list(raw)
    k = 0
    while k + 1 < len(out):
        (n, page, t), (_, after_page, after) = out[k], out[k + 1]
        top = k == 0 or out[k - 1][1] != page
        if top and t and after and after_page == page \
                and normalise_title(f"{t} {after}") in titles:
            out[k], out[k + 1] = (n, page, f"{t} {after}"), (out[k + 1][0], page, "")
        k += 1
    return out


def _entry_text(text: str) -> str:
    """A contents line (its page already off, ``_listed``) or a heading as one
    text, its label and number kept ("Chapter 10"), leaders and case not."""
    return " ".join(LEADER_RUN.sub(" ", text).casefold().split())


#: A number glued to the end of a word or its closing punctuation ("another.’1"),
#: not a section's ("2.1"), an example's "(1)", a formula's or label's after a
#: capital ("CO2", "B1"), the end of a range ("(17–18)") or part of a longer number.
_GLUED = re.compile(r"(?<=[^\s\d(\[§A-Z])(?<!\d\.)(?<!\d[-–—])(\d{1,3})(?=[\s,;:)]|$)")
#: Or set apart after a word or its closing bracket or quote, before punctuation,
#: a dash or the line's end ("keepers 2 .", "Harlow) 15 ,", "Quint 19 –";
#: not a range's start, "chapters 3 – 5"),
#: or after a sentence's stop at the line's end ("the lamp was lit. 8"; not
#: a page's number, "p. 8": the word before the stop has two letters at least).
_SPACED = re.compile(r"(?:(?<=[^\W\d_])|(?<=[^\W\d_][)»”’])"
                     r"|(?<=[^\W\d_]{2}[.!?…])(?= \d{1,3}$))"
                     r" (\d{1,3})(?!\.\d)(?! ?[–—] ?\d)(?= ?[.,;:!?»)(–—]|$)")
#: Or set apart between two words in lower case ("the keeper 4 wrote", a
#: reference raised mid-sentence): the weakest form, tried only once the
#: others have taken their labels, and evidence of a page's notes only with
#: the run of foot labels numbered in order that ``_page_notes`` asks for.
_BETWEEN = re.compile(r"(?<=[^\W\d_]) (\d{1,3})(?= [^\W\d_]*[a-zà-ÿ])")
_FOOT_NOTE = re.compile(r"^(\d{1,3})\.?\s+\S")
#: A note's label glued to the first part of a word cut at the line's end
#: ("the lan1. The ledger"): the label, its stop, a space.
_GLUED_LABEL = re.compile(r"(?<=[^\W\d_])(\d{1,3})\. (?=\S)")


def _unglued_notes(raw: list[tuple[int, int | None, str]],
                   removed: set[int]) -> list[tuple[int, int | None, str]]:
    """Rule *a page's last line joined to its first note*: an extraction that
    joins a line ending on a hyphen to the next (``_joined_measure``) joins
    a page's last line of text, when it ends so, to the page's first note,
    the hyphen taken out ("… the lan1. The ledger …", "lan-" the first part
    of "lantern"). Where a label glued to a word's first part has its
    reference above on the page, the text before it goes to the line before,
    its hyphen given back, and the line opens with the note."""
    out = list(raw)
    above: list[str] = []  # the page's lines before line k, its furniture left out
    for k, (n, page, t) in enumerate(out):
        if k and out[k - 1][1] != page:
            above = []
        before = out[k - 1] if k else None
        if before and n not in removed and before[2] and before[0] not in removed \
                and before[1] == page:
            m = next((m for m in _GLUED_LABEL.finditer(t)
                      if _referenced(m.group(1), above + [t[:m.start()]])), None)
            if m is not None:
                out[k - 1] = (before[0], page, f"{before[2]} {t[:m.start()]}-")
                above[-1] = out[k - 1][2]
                t = t[m.start():]
                out[k] = (n, page, t)
        if n not in removed:
            above.append(t)
    return out


def _page_notes(raw: list[tuple[int, int | None, str]], removed: set[int],
                indented: set[int]) -> tuple[list[tuple[int, int | None, str]], set[int]]:
    """Notes at a page's foot, in an extraction that prints raised numbers on
    the line (no superscripts anywhere), with or without a blank line or a
    rule above them. Rule *numbered notes at the page foot*: from the page's
    last line opening with a number up, lines opening with the numbers just
    before it, each with its reference in the text above (a number glued to
    a word, or set apart after it), are the page's notes (a line opening
    with any other number, one wrapped to a line's start, "228 of the ledger",
    is passed over: a line of a note or of the text); after a page whose
    last note stops mid-sentence, the block between a blank line and the
    first of them (on a page without notes of its own, the page's last
    block, where the text above it stops mid-sentence and goes on in lower
    case on the next page, in an extraction that shows indents) is the rest
    of that note, unless its first line is
    indented as a paragraph's first line is (a rest goes on mid-sentence,
    the page's text may open a paragraph). The references are
    written as superscripts, each label once, first from the top. Returns
    the lines and the notes' lines."""
    pages: dict[int | None, list[int]] = {}
    for k, (n, page, t) in enumerate(raw):
        if n not in removed and t:
            pages.setdefault(page, []).append(k)
    out = list(raw)
    feet: set[int] = set()
    cut = False  # the page before ends on a note that stops mid-sentence
    bodies = list(pages.values())
    for p, body in enumerate(bodies):
        labelled = [i for i, k in enumerate(body) if _FOOT_NOTE.match(raw[body[i]][2])]
        labels: list[str] = []
        first = len(body)
        for i in reversed(labelled):
            label = _FOOT_NOTE.match(raw[body[i]][2]).group(1)
            if labels and int(label) != int(labels[0]) - 1 \
                    or not _referenced(label, [raw[k][2] for k in body[:i]]):
                continue  # a number wrapped to a line's start, in a note or the text
            labels.insert(0, label)
            first = i
        if not labels and cut and indented:  # no note of its own: its last block may be a rest
            first = _block_top(raw, body, len(body) - 1)
            if 0 < first and raw[body[first]][0] not in indented \
                    and not ends_sentence(raw[body[first - 1]][2]) and p + 1 < len(bodies) \
                    and starts_lowercase(raw[bodies[p + 1][0]][2]):
                feet.update(raw[k][0] for k in body[first:])
                cut = not ends_sentence(raw[body[-1]][2])
                continue
        if not labels or first == 0:
            cut = False
            continue
        top = _block_top(raw, body, first)
        if cut and 0 < top and raw[body[top]][0] not in indented:
            first = top
        cut = not ends_sentence(raw[body[-1]][2])
        feet.update(raw[k][0] for k in body[first:])
        waiting = list(labels)

        def raise_(m, waiting=waiting):
            if m.group(1) in waiting:
                waiting.remove(m.group(1))
                return m.group(1).translate(str.maketrans("0123456789", SUPERSCRIPTS))
            return m.group(0)
        for pattern in (_GLUED, _SPACED, _BETWEEN):
            for k in body[:first]:
                n, page, t = out[k]
                out[k] = (n, page, pattern.sub(raise_, t))
    return out, feet


def _referenced(label: str, lines: list[str]) -> bool:
    """Does a note's label stand in these lines as a reference would?"""
    return any(m.group(1) == label for t in lines
               for pattern in (_GLUED, _SPACED, _BETWEEN) for m in pattern.finditer(t))


def _block_top(raw: list[tuple[int, int | None, str]], body: list[int], k: int) -> int:
    """The first of the lines without a blank between them that end at ``body[k]``."""
    while k and raw[body[k - 1]][0] == raw[body[k]][0] - 1:
        k -= 1
    return k


def _listed(raw: list[tuple[int, int | None, str]]) -> set[tuple[int, str]]:
    """The contents list's lines: entries with their page, and the lines
    after a contents heading up to the first line of prose or the page's end."""
    out = {(n, m.group("title")) for n, _, t in raw if (m := CONTENTS_ENTRY.match(t))}
    listing = False
    for k, (n, page, t) in enumerate(raw):
        if k and page != raw[k - 1][1]:
            listing = False  # a page that goes on with the list repeats its heading
        if is_contents_heading(t):
            listing = True
            out.add((n, t))
        elif listing and len(t) >= PROSE_WIDTH and not LEADER_RUN.search(t) \
                and not t.endswith("-"):  # prose, not a long title wrapped: the list is over
            listing = False
        elif listing and any(ch.isalpha() for ch in t):
            out.add((n, t))
    return out


def _starts_unit(text: str, previous: str, in_notes: bool, label: int | None = None) -> bool:
    """Does this line of a wrapped block open a paragraph of its own? A line
    opening with a number does in a block of notes when the line before ended
    a sentence or the last note's ``label`` (or the line before's) is the
    number before it."""
    m = NOTE_LABEL.match(text)
    before = NOTE_LABEL.match(previous)
    if before and before.group("num"):
        label = int(before.group("num"))
    follows = bool(m and m.group("num") and label is not None
                   and int(m.group("num")) == label + 1)
    if m and (not m.group("num") or (in_notes and (previous.rstrip()[-1:] in TERMINAL
                                                   or follows))):
        return True
    return bool(starts_list_item(text) and previous.rstrip()[-1:] in TERMINAL + ":;"
                or SEPARATOR.match(text) or is_caps_heading(text) or is_roman_heading(text)
                or CONTENTS_ENTRY.match(text))


def _unwrap(block: list[Line], vocabulary: hyphens.Vocabulary, doubts: list[Doubt],
            notes: bool = False, measure: int | None = None,
            labelled: bool = False) -> list[Line]:
    """One Line per paragraph of a block: a wrapped paragraph is joined again,
    and a new one starts after a short last line or at a line that opens a
    note, a list item, a heading or a contents entry. With a ``measure`` (see
    ``_joined_measure``) a line may hold several printed lines.

    Rule *a page's notes part at their labels*: in notes found by their
    labels (``_page_notes``) a short line ends no paragraph (a note's first
    line is short by its label and indent, its lines are set smaller than
    the text's measure); a label or an indent does."""
    if notes:
        block = [replace(line, in_notes=True) for line in block]
    if len(block) < 2 or max(len(line.text) for line in block) < PROSE_WIDTH:
        return list(block)
    several = measure is not None  # a line may hold several printed lines
    width = measure or max(len(line.text) for line in block)
    in_notes = notes or bool(NOTE_LABEL.match(block[0].text))
    result: list[Line] = []
    ended = True
    label = None  # the number the last note in the block opens with
    stretched = _stretched([line.text for line in block])
    for k, line in enumerate(block):
        if result and not ended and not line.indent \
                and not _starts_unit(line.text, result[-1].text, in_notes, label):
            last = result[-1]
            joined, decision = hyphens.join(last.text, line.text, vocabulary)
            if decision and not decision.certain:
                doubts.append(Doubt(line.number, "the hyphen at the line break was "
                                    + ("kept" if decision.keep_hyphen else "taken out")
                                    + f" ({decision.why})", 0.7))
            result[-1] = replace(last, text=joined)
        else:
            result.append(line)
            if (m := NOTE_LABEL.match(line.text)) and m.group("num"):
                label = int(m.group("num"))
        # A line ends its paragraph when the next line's first word would have
        # fitted on it, with room to spare (letters differ in width): the
        # typesetter would have put it there.
        following = block[k + 1].text.split(" ", 1)[0] if k + 1 < len(block) else ""
        last = _last_printed(len(line.text), width) if several else len(line.text)
        # A next line in lower case goes on with a line cut short (by a
        # drop cap, a figure): no paragraph of prose opens so. Where a line
        # may hold several printed lines, only where its last one's length
        # is reckoned: plain pdftotext sets a line apart that is short for
        # other reasons too (a listing's, a table's), and measured on the
        # French book the rule took more there than it gave.
        reckoned = following[:1].islower() and (not several or last != len(line.text)) \
            and k > 0  # a block's first line may be a title over entries in lower case
        ended = not labelled and k not in stretched \
            and not line.text.endswith(("-", hyphens.SOFT_HYPHEN)) and (
            last + 1 + len(following) <= 0.92 * width and not reckoned
            or several and _ends_unjustified(line.text, following, width))
    return result


#: The fewest lines of one word in a row that make one stretched printed line.
STRETCHED_RUN = 3
#: The longest such line.
STRETCHED_WORD = 20


def _stretched(texts: list[str]) -> set[int]:
    """Rule *a stretched line's words set apart*: plain ``pdftotext`` puts
    the words of a justified line stretched far past its natural spacing (a
    narrow column, long words that would not break) each on a line of its
    own. Three lines in a row or more of one short word each (marks aside)
    are such a line: full, justified, so none of them ends a paragraph.
    Returns their indices."""
    def one_word(text: str) -> bool:
        words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
        return len(words) == 1 and len(text) <= STRETCHED_WORD
    out: set[int] = set()
    run: list[int] = []
    for k, text in enumerate(texts + [""]):
        if text and one_word(text):
            run.append(k)
            continue
        if len(run) >= STRETCHED_RUN:
            out.update(run)
        run = []
    return out


#: How much longer than the measure a full printed line may run (letters and
#: word spaces differ from line to line).
FULL_LINE = 1.08


def _joined_measure(lengths: list[int]) -> int | None:
    """Rule *lines joined at a hyphen*: an extraction that takes the hyphens
    at line ends out (plain ``pdftotext``) puts a hyphenated line and the
    next on one line, a quarter of a French page's lines and more. It is one
    wrapped at a measure (half its lines of prose within 15% of their
    median) with a share of lines far over that measure, which no extraction
    that keeps the lines as printed has. Returns that measure in characters
    (a full line's: the upper quartile of those lines near the median, as
    letters and spaces differ), or None for any other extraction."""
    prose = sorted(n for n in lengths if n >= PROSE_WIDTH // 2)
    if len(prose) < 20:
        return None
    median = prose[len(prose) // 2]
    full = [n for n in prose if 0.85 * median <= n <= 1.15 * median]
    if len(full) < len(prose) / 2 or sum(n > 1.6 * median for n in prose) < 0.03 * len(prose):
        return None
    return full[3 * len(full) // 4]


def _ends_unjustified(text: str, following: str, width: int) -> bool:
    """A line ending a sentence before a capital, its last printed line not
    of a justified full line's length: short (a paragraph's last line, an
    entry of a list set ragged) or over the measure. Where the line holds
    several printed lines, the last one's length is reckoned (the others
    taken as full), so it counts as full only at the measure or over it."""
    last = _last_printed(len(text), width)
    low = width if last != len(text) else width / FULL_LINE
    return ends_sentence(text) and following[:1].isupper() \
        and not low <= last <= FULL_LINE * width


def _last_printed(length: int, width: int) -> int:
    """The length of the last printed line of an extracted line that may hold
    several joined at hyphens: all but the last are full."""
    lines = max(1, math.ceil(length / (FULL_LINE * width)))
    return length - (lines - 1) * width


#: A line opening with a mark only a markup language's source has: a tag
#: ("<div ", "</note>") or a TeX command ("\\begin", "{\\getsiglum"), not
#: prose that quotes one ("the <em>ledger</em> tag").
_MARKUP = re.compile(r"[{\[]?(?:</?[A-Za-z][\w:-]*[\s>/]|\\[A-Za-z]{2,})")
#: A listing's lines without any mark ("}", a line of verse it encodes)
#: between two that open with one.
LISTING_GAP = 2
#: The fewest lines with a mark that make a listing.
LISTING_LINES = 3


def _listings(block: list[Line]) -> list[tuple[bool, list[Line]]]:
    """Rule *code listing by its marks*: a text extraction has no fonts, but
    a listing of XML or LaTeX opens most of its lines with a tag or a
    command, which prose never does. A run of at least three lines opening
    so, with no more than two lines without any mark between them, is a
    listing, and so are the lines with a mark next to it (a page of it
    opening or ending mid-element). The block in order, as (listing or not,
    lines)."""
    anywhere = [bool(_MARKUP.search(line.text)) for line in block]
    runs: list[list[int]] = []
    for k, line in enumerate(block):
        if not _MARKUP.match(line.text):
            continue
        if runs and sum(not m for m in anywhere[runs[-1][-1] + 1:k]) <= LISTING_GAP:
            runs[-1].append(k)
        else:
            runs.append([k])
    out: list[tuple[bool, list[Line]]] = []
    start = 0
    for run in (r for r in runs if len(r) >= LISTING_LINES):
        first, last = run[0], run[-1]
        while first > start and anywhere[first - 1]:
            first -= 1
        while last + 1 < len(block) and anywhere[last + 1]:
            last += 1
        if first > start:
            out.append((False, block[start:first]))
        out.append((True, block[first:last + 1]))
        start = last + 1
    if start < len(block):
        out.append((False, block[start:]))
    return out


def _listing(lines: list[Line], printed: dict[int, str]) -> Line:
    """A listing's lines as the extraction sets them, less their common indent."""
    texts = [printed[line.number].rstrip() for line in lines]
    indent = min(len(t) - len(t.lstrip()) for t in texts)
    return Line(lines[0].number, "\n".join(t[indent:] for t in texts), kind="code")


def _with_listing(paragraphs: list[Line], listing: Line, feet: set[int],
                  new_page: bool) -> list[Line]:
    """A listing that goes on over a page break, the page's notes between,
    is one listing; one that goes on after a blank line on its page is one
    listing too, that blank line its own."""
    k = len(paragraphs)
    while k and paragraphs[k - 1].number in feet:
        k -= 1
    if k and paragraphs[k - 1].kind == "code":
        gap = "\n" if new_page else "\n\n"
        paragraphs[k - 1] = replace(paragraphs[k - 1],
                                    text=paragraphs[k - 1].text + gap + listing.text)
        return paragraphs
    return paragraphs + [listing]


def _marker_style(paragraphs: list[Line]) -> str:
    """The book's markers, from the labels its notes open with."""
    starts = Counter()
    for p in paragraphs:
        if m := NOTE_LABEL.match(p.text):
            starts["bracket" if m.group("br") else "symbol" if m.group("sym") else "digit"] += 1
    if starts["bracket"] >= 2 and starts["bracket"] >= starts["digit"] / 4:
        return "bracket"
    if starts["symbol"] >= 2 and starts["symbol"] >= starts["digit"]:
        return "symbol"
    return "superscript"


def _marked(line: Line, style: str) -> Line:
    """The line with its inline marks: references and emphasis."""
    text = line.text.replace("[*]", "[\0]")
    label = NOTE_LABEL.match(text)
    head, body = (text[:label.start("text")], text[label.start("text"):]) if label else ("", text)
    body = _SUPER_RUN.sub(lambda m: references(label_of(m.group(0))), body)
    if style == "bracket":
        body = BRACKET_REF.sub(lambda m: ref(m.group(1)), body)
    if style == "symbol":
        body = _symbols_and_italics(body)
    else:
        body = _lone_star(_ITALIC.sub(lambda m: emph(m.group(1)), body))
    return replace(line, text=(head + body).replace("[\0]", "[*]"))


def _lone_star(text: str) -> str:
    """Italics cut by a page break: a last star that opens, or, in a piece
    that goes on in lower case, a first star that closes."""
    if text.count("*") != 1:
        return text
    i = text.index("*")
    before, after = text[i - 1:i], text[i + 1:i + 2]
    if (not before or before.isspace()) and after and not after.isspace():
        return text[:i] + EM_OPEN + text[i + 1:]
    if text[:1].islower() and before and not before.isspace() and after in ("", " ", ",", ".", ";", ":"):
        return text[:i] + EM_CLOSE + text[i + 1:]
    return text


def _symbols_and_italics(text: str) -> str:
    """Where "*" is both a marker and italics: a star after a space opens
    italics, one after a word closes them when they are open and is a
    reference otherwise, as are the other symbols."""
    out: list[str] = []
    italic = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch not in SYMBOLS:
            out.append(ch)
            i += 1
            continue
        run = len(text[i:]) - len(text[i:].lstrip(ch))
        after_word = i > 0 and not text[i - 1].isspace()
        if ch == "*" and run == 1 and not after_word and i + 1 < len(text) \
                and not text[i + 1].isspace() and not italic:
            out.append(EM_OPEN)
            italic = True
        elif ch == "*" and run == 1 and after_word and italic:
            out.append(EM_CLOSE)
            italic = False
        else:
            out.append(ref(ch * run) if after_word else ch * run)
            i += run
            continue
        i += 1
    return "".join(out)  # italics still open go on over the page break
