"""Put one chapter back together: notes out of the text, paragraphs rejoined.

A print page is [text of the page][notes of the page]. So in an extraction the
notes of each page sit between the last paragraph of one page and the first
of the next, a paragraph cut by the page break continues after them, and a
note cut by the page break continues at the top of the next page's notes.
A line the reader already knows (a PDF's) is taken as it is; only the others
are judged by their shape.

A note binds to one reference: the earliest one before it with its label
that has no note yet. So notes numbered per chapter, per page or through the
book, with digits, brackets or symbols, all come out right, and the Markdown
numbers them afresh in reading order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import hyphens, raised
from .inline import EM_CLOSE, EM_OPEN, REF, REF_OPEN, SUPERSCRIPTS, plain, ref, ref_parts, with_id
from .source import (
    SEPARATOR,
    TERMINAL,
    Doubt,
    Line,
    clearly_cut,
    ends_sentence,
    is_caps_heading,
    is_roman_heading,
    note_label,
    starts_list_item,
    starts_lowercase,
)
from .structure import CHAPTER_LABEL, CHAPTER_WORD


@dataclass
class Block:
    kind: str  # "text", "heading", "separator", "code", "term" (a description item's)
    text: str
    line: int
    level: int = 2
    certain: bool = False  # the reader knew what this line is
    in_notes: bool = False  # printed under the rule over a page's notes
    indent: bool = False  # its first line is indented, as a new paragraph's is


@dataclass
class Note:
    label: str
    paragraphs: list[str]
    line: int
    ref: int | None = None  # the reference it belongs to
    certain: bool = False

    @property
    def open(self) -> bool:
        return not ends_sentence(self.paragraphs[-1])


@dataclass
class Chapter:
    title: str  # the heading as printed, references included
    line: int
    part: bool = False  # it opens a part: the chapters after it, to the next part, are in it
    blocks: list[Block] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # bound to a reference, in reading order
    orphans: list[Note] = field(default_factory=list)  # a note body no reference claimed
    unmatched: list[tuple[str, int, int]] = field(default_factory=list)  # bare refs: label, line, id
    again: dict[int, Note] = field(default_factory=dict)  # a reference to a note referred to before
    joins: int = 0
    doubts: list[Doubt] = field(default_factory=list)

    @property
    def references(self) -> list[int]:
        return [rid for text in [self.title] + [b.text for b in self.blocks]
                for rid in _ids(text)]


def _ids(text: str) -> list[int]:
    return [rid for label, rid in map(ref_parts, REF.findall(text)) if rid is not None]


class _Refs:
    """The chapter's references in reading order, which still await a note,
    and the notes that came before any reference of theirs (a layout may set
    a note on the page before the line holding its reference). ``noted``:
    the labels of the chapter's notes; ``free``: those of its notes that no
    raised run reads alone (``_free``), which a run of several may hold
    (``raised``)."""

    def __init__(self, noted: set[str], free: set[str]) -> None:
        self.noted, self.free = noted, free
        self.count = 0
        self.pending: list[tuple[str, int, int]] = []  # (label, id, line)
        self.waiting: list[Note] = []

    def identify(self, text: str, line: int) -> str:
        def one(m):
            label, _ = ref_parts(m.group(1))
            if raised.exponent(text, m.start()):
                return ref(label)  # raised, bound to no note
            return "".join(map(each, raised.side_by_side(label, self.noted, self.free) or [label]))

        def each(label: str) -> str:
            self.count += 1
            note = next((n for n in self.waiting if n.label == label), None)
            if note is not None:
                self.waiting.remove(note)
                note.ref = self.count
            else:
                self.pending.append((label, self.count, line))
            return with_id(label, self.count)
        return REF.sub(one, text)

    def note(self, note: Note) -> Note:
        if note.ref is None:
            self.waiting.append(note)
        return note

    def claim(self, label: str) -> int | None:
        for i, (pending, rid, _) in enumerate(self.pending):
            if pending == label:
                del self.pending[i]
                return rid
        return None


#: A section's number and title opening a line: "1.2 Title", "A.3.1. Title".
_SECTION = re.compile(r"^(?P<n>(?:\d{1,3}|[A-Z])(?:\.\d{1,3})+)\.?\s+(?P<title>\S.*)$")
#: An appendix's letter: "A Title".
_APPENDIX_LABEL = re.compile(r"^(?P<n>[A-Z])\.?\s+(?P<title>\S.*)$")
#: A section heading is short: a longer line is a paragraph opening with a number.
SECTION_WIDTH = 100


class _Sections:
    """Rule "numbered section heading": a line that opens with a section
    number continuing the chapter's numbering (its first "3.1" under
    chapter 3, then "3.1.1", "3.2" …: one deeper from 1, or the next at a
    level already open), short and not ending a sentence, is a heading,
    however it is set: a book setting its sub-headings bold at the text's
    size (LaTeX's article class) shows them so to no size rule, and a text
    extraction shows no face at all. Its level is the number's depth. A
    number out of turn ("2.5 million", a cross-reference) is text."""

    def __init__(self, title: str) -> None:
        text = plain(title).strip()
        m = CHAPTER_WORD.match(text) or CHAPTER_LABEL.match(text) or _APPENDIX_LABEL.match(text)
        self.last: tuple[str, ...] | None = (m.group("n"),) if m else None

    def level(self, text: str) -> int | None:
        text = plain(text).strip()
        m = _SECTION.match(text)
        if m is None or len(text) > SECTION_WIDTH or text[-1:] in TERMINAL.replace("?", "") \
                or m.group("title")[:1].islower():
            return None
        number = tuple(m.group("n").split("."))
        last = self.last or number[:1]  # an unnumbered chapter: its first section says
        follows = number == last + ("1",) or any(
            number[:k] == last[:k] and number[k].isdigit() and last[k].isdigit()
            and int(number[k]) == int(last[k]) + 1 for k in range(1, len(last))
            if len(number) == k + 1)
        if not follows:
            return None
        self.last = number
        return len(number)


def _noted(lines: list[Line]) -> set[str]:
    """The labels of the notes among ``lines``: the reader's, and lines
    opening as a note does."""
    return {line.label if line.kind == "note" else found[0] for line in lines
            if line.kind == "note" or line.kind is None and (found := note_label(line.text))}


def _free(lines: list[Line]) -> set[str]:
    """The labels of the notes the reader knows (a PDF's, under the rule)
    that more notes have than raised runs of the text read: notes whose
    references a run of several may hold (rule "references side by side").
    A line of an extraction opening with a number may be a list's item."""
    notes = Counter(line.label for line in lines if line.kind == "note")
    runs = Counter(ref_parts(label)[0] for line in lines if line.kind not in ("note", "code")
                   for label in REF.findall(line.text))
    return {label for label, count in notes.items() if count > runs[label]}


def _classify(chapter: Chapter, title: Line, lines: list[Line]) -> list[Block | Note]:
    """Each line as text, heading, separator or note body. A label opening a
    line makes it a note only if a reference with that label awaits its note
    (that keeps dated entries, "15 March. ...", and numbered lists in the
    text), or if the label is a raised or bracketed one that only notes have."""
    refs = _Refs(_noted(lines), _free([title, *lines]))
    chapter.title = refs.identify(title.text, title.number)
    items: list[Block | Note] = []
    sections = _Sections(title.text)
    for line in lines:
        if line.kind in (None, "text") and (level := sections.level(line.text)) is not None:
            items.append(Block("heading", refs.identify(line.text, line.number), line.number,
                               level, certain=line.kind is not None))
            continue
        if line.kind == "note":
            items.append(refs.note(Note(line.label, [line.text], line.number,
                                        refs.claim(line.label), certain=True)))
            continue
        if line.kind is not None:  # a listing's text is code: nothing in it refers to a note
            text = line.text if line.kind == "code" else refs.identify(line.text, line.number)
            items.append(Block(line.kind, text, line.number, line.level or 2, certain=True))
            continue
        text = line.text
        if (found := note_label(text)) is not None:
            label, body = found
            rid = refs.claim(label)
            if rid is not None or text[:1] in SUPERSCRIPTS + REF_OPEN + "[":
                items.append(refs.note(Note(label, [body], line.number, rid)))
                continue
        if SEPARATOR.match(text):
            items.append(Block("separator", text, line.number))
        elif is_roman_heading(text) or is_caps_heading(text):
            items.append(Block("heading", refs.identify(text.rstrip(".").rstrip(), line.number),
                               line.number))
        else:
            previous = next((b for b in reversed(items) if isinstance(b, Block)), None)
            if previous is not None and previous.text.rfind(EM_OPEN) > previous.text.rfind(EM_CLOSE):
                text = _closing_star(text)
            items.append(Block("text", refs.identify(text, line.number), line.number,
                               in_notes=line.in_notes, indent=line.indent))
    chapter.unmatched = [(label, line, rid) for label, rid, line in refs.pending]
    for note in refs.waiting:
        chapter.doubts.append(Doubt(note.line, f"note {note.label} has no reference: kept at "
                                    "the chapter's end", 0.5, note))
    return items


#: How many pages' text (a page without notes holds the most) a note's rest
#: may stand after the note: the rest of its page and the next page.
NOTE_REACH = 2


def _stops_mid_sentence(block: Block) -> bool:
    """A long paragraph of prose ending on a bare word, without even a comma,
    was cut by a page break: no paragraph of prose ends so."""
    text = plain(block.text).rstrip()
    return len(text) >= 150 and text[-1:].isalpha() and len(text.split(". ")) > 1


def _ends_mid_phrase(text: str) -> bool:
    """Cut by the page break beyond doubt: on a comma, dash or short word, or
    inside a name with no stop after it ("… of the International Working")."""
    words = plain(text).split()
    name = len(words) > 6 and all(w.isalpha() and w[:1].isupper() for w in words[-2:])
    return clearly_cut(text) or name


def _page_without_notes(items: list[Block | Note]) -> int | None:
    """How much text a page without notes holds: measured between page breaks
    the text shows (a paragraph cut mid-sentence going on in lower case, with
    no notes between), the median of them; None with fewer than two."""
    lengths, length = [], 0
    for k, item in enumerate(items):
        if isinstance(item, Note):
            length = 0
            continue
        length += len(plain(item.text))
        following = items[k + 1] if k + 1 < len(items) else None
        if item.kind == "text" and not ends_sentence(item.text) \
                and isinstance(following, Block) and following.kind == "text" \
                and starts_lowercase(following.text):
            lengths.append(length)
            length = 0
    lengths.sort()
    return lengths[len(lengths) // 2] if len(lengths) >= 2 else None


def _lost_rests(items: list[Block | Note], page: int | None) -> list[tuple[Note, Block, str]]:
    """Where a note cut mid-phrase would have its rest if the next page had no
    notes of its own: alone at that page's foot, where a text extraction shows
    it as a paragraph of the text. That is the paragraph that holds no
    reference, follows a finished one, and ends where a page without notes
    would end, counted from the note. (Read before any joins; whether the
    note stays cut is known only after them.) ``page``: how much text a page
    without notes holds (``_page_without_notes``)."""
    if page is None:
        return []
    found: list[tuple[Note, Block, str]] = []
    k = 0
    while k < len(items):
        if not isinstance(items[k], Note):
            k += 1
            continue
        while k + 1 < len(items) and isinstance(items[k + 1], Note):
            k += 1
        note, stop = items[k], k + 1
        while stop < len(items) and isinstance(items[stop], Block):
            stop += 1
        run, k = items[k + 1:stop], stop
        if sum(len(plain(b.text)) for b in run) < 1.3 * page:
            continue
        offset, best = 0, None
        for n, block in enumerate(run):
            miss = abs(offset + len(plain(block.text)) - page)
            if n and block.kind == "text" and not starts_lowercase(block.text) \
                    and not _ids(block.text) and ends_sentence(run[n - 1].text) \
                    and miss <= 0.25 * page and (best is None or miss < best[0]):
                best = (miss, block)
            offset += len(plain(block.text))
        if best is not None:
            found.append((note, best[1], best[1].text))
    return found


def _take_rests(chapter: Chapter, rests: list[tuple[Note, Block, str]]) -> None:
    """The rests ``_lost_rests`` found, for the notes still cut after every
    join, where the paragraph stayed as it was (nothing went on from it)."""
    for note, block, text in rests:
        if _ends_mid_phrase(note.paragraphs[-1]) and block.text == text \
                and any(b is block for b in chapter.blocks):
            chapter.blocks = [b for b in chapter.blocks if b is not block]
            note.paragraphs[-1] += " " + block.text
            chapter.doubts.append(Doubt(block.line, f"joined to note {note.label} as its rest: "
                                        "the note stops mid-phrase and this paragraph ends where "
                                        "the next page would", 0.6, note))


def _referred_again(chapter: Chapter, bound: dict[int, Note]) -> None:
    """A reference without a note of its own whose label a note earlier in
    the chapter has, with no note of that label after it: print repeats a
    note's number to refer to it again."""
    for label, line, rid in list(chapter.unmatched):
        earlier = [bound[r] for r in chapter.references if r < rid and r in bound
                   and bound[r].label == label]
        later = [bound[r] for r in chapter.references if r > rid and r in bound
                 and bound[r].label == label]
        if earlier and not later:
            chapter.again[rid] = earlier[-1]
            chapter.unmatched.remove((label, line, rid))
            chapter.doubts.append(Doubt(line, f"reference {label} has no note of its own: "
                                        f"taken as note {label} referred to again", 0.8,
                                        earlier[-1]))


def _page_ids(items: list[Block | Note], i: int) -> list[int]:
    """The references in the text between the last notes and paragraph ``i``."""
    page: list[int] = []
    j = i - 1
    while j >= 0 and isinstance(items[j], Block):
        page += _ids(items[j].text)
        j -= 1
    return page


def _may_end_note(items: list[Block | Note], i: int, last_note: Note | None) -> bool:
    """A paragraph closing a page's text, with no reference of the notes that
    follow, after a note cut mid-sentence (a comma, a dash, a short word):
    the page's last paragraph, or the rest of that note. Nothing in a text
    extraction tells them apart."""
    after = items[i + 1] if i + 1 < len(items) else None
    return (last_note is not None and clearly_cut(last_note.paragraphs[-1])
            and isinstance(after, Note)
            and after.ref is not None and after.ref not in _ids(items[i].text)
            and after.ref in _page_ids(items, i))


def _closing_star(text: str) -> str:
    """The text before left italics open at a page break: in its lower-case
    rest, a first "*" after a word, before any other emphasis, closes them
    (read as a star marker, it would take another reference's note)."""
    m = REF.search(text)
    if starts_lowercase(text) and m and ref_parts(m.group(1))[0] == "*" \
            and EM_OPEN not in text[:m.start()] and EM_CLOSE not in text[:m.start()]:
        return text[:m.start()] + EM_CLOSE + text[m.end():]
    return text


def _continues_note(items: list[Block | Note], i: int, last_note: Note | None,
                    text_open: bool, notes_finish: bool) -> float | None:
    """Is text paragraph ``i`` the rest of a note cut by a page break? None
    if not, else how sure (1.0: the layout settles it).

    It can be only at the top of a page's notes: right after the page's text
    (or, on a page of notes alone closing the chapter, after other notes).
    Settled: the text before was cut (or the last note was, in a chapter
    whose notes end with a stop) and the notes that follow have their
    references in that page's text (this paragraph stands in its notes
    area); it does not start in lower case, the text before was cut and
    resumes in lower case after it (with notes between, or the last note
    cut on a comma); it starts in lower case after a finished paragraph and
    an unfinished note (no paragraph opens in lower case). Likely: the same
    without notes between and the note merely unfinished; in lower case and
    unfinished itself, between a cut paragraph and its lower-case rest (a
    page's text is longer than that); in lower case after a cut paragraph
    when the note ends on a comma, dash or short word.
    """
    x = items[i]
    before = items[i - 1] if i else None
    after = items[i + 1] if i + 1 < len(items) else None
    if isinstance(before, Note) and last_note is not None and last_note.open \
            and starts_lowercase(x.text) and after is None:
        return 0.9  # a page of notes alone, closing the chapter
    if last_note is None or not (isinstance(before, Block) and before.kind == "text") \
            or starts_list_item(x.text):
        return None
    if isinstance(after, Note) and after.ref is not None and (text_open or (
            notes_finish and last_note.open)):
        if after.ref in _ids(x.text):
            return None
        if after.ref in _page_ids(items, i):
            return 1.0
    j = i + 1
    while j < len(items) and isinstance(items[j], Note):
        j += 1
    resumed = items[j] if j < len(items) else None
    resumes = isinstance(resumed, Block) and resumed.kind == "text" \
        and starts_lowercase(resumed.text) and not starts_list_item(resumed.text)
    if text_open and resumes and not starts_lowercase(x.text):
        if isinstance(after, Note) or clearly_cut(last_note.paragraphs[-1]):
            return 1.0
        if last_note.open:
            return 0.8
    if not last_note.open or not starts_lowercase(x.text):
        return None
    if text_open and resumes and resumed is after and not ends_sentence(x.text) \
            and len(plain(x.text)) < 600:
        return 0.7
    if not text_open:
        return 1.0  # no paragraph of text opens in lower case after a finished one
    if isinstance(after, Note) and clearly_cut(last_note.paragraphs[-1]):
        return 0.8
    return None


def assemble(title: Line, lines: list[Line], vocabulary: hyphens.Vocabulary,
             indents: bool = False, part: bool = False) -> Chapter:
    """The chapter (or part) under ``title`` from its lines. With ``indents``
    the extraction shows which lines open a paragraph, and a page break is
    settled by them."""
    chapter = Chapter(title.text, title.number, part)
    items = _classify(chapter, title, lines)
    page = _page_without_notes(items)
    # Where the extraction shows indents, its reader told a note's rest by
    # the indent it lacks and put it among the notes (``in_notes``): no
    # paragraph of the text is guessed to be one.
    rests = [] if indents else _lost_rests(items, page)
    # Notes that end with a stop, all but one: one that does not was cut.
    endings = [n.open for n in items if isinstance(n, Note)]
    notes_finish = len(endings) >= 4 and sum(endings) <= 1
    last_note: Note | None = None
    after_notes = False
    bound: dict[int, Note] = {}
    since_note = 0  # text read since the last note
    for i, item in enumerate(items):
        if isinstance(item, Note):
            if item.ref is None:
                chapter.orphans.append(item)
            else:
                bound[item.ref] = item
            last_note, after_notes, since_note = item, True, 0
            continue
        since_note += len(plain(item.text))
        if item.kind != "text" or item.certain:
            chapter.blocks.append(item)
            after_notes = False
            continue
        previous = chapter.blocks[-1] if chapter.blocks else None
        text_open = previous is not None and previous.kind == "text" \
            and not ends_sentence(previous.text)
        if item.in_notes and last_note is not None:  # unlabelled under the rule: a note goes on
            last_note.paragraphs[-1], _ = hyphens.join(last_note.paragraphs[-1], item.text,
                                                       vocabulary)
            continue
        # Rule *a note's rest on the next page*: a note cut by the page break
        # goes on at that page's foot, never further on; the text read since
        # it is at most that page's (and what was left of the note's own).
        near = not indents and (page is None or since_note <= NOTE_REACH * page)
        sure = _continues_note(items, i, last_note, text_open, notes_finish) if near else None
        if sure is not None:
            last_note.paragraphs[-1], _ = hyphens.join(last_note.paragraphs[-1], item.text,
                                                       vocabulary)
            if sure < 1:
                chapter.doubts.append(Doubt(item.line, f"joined to note {last_note.label} as "
                                            "its rest, cut by the page break", sure, last_note))
            continue
        if indents and previous is not None and previous.kind == "text":
            if item.indent:
                chapter.blocks.append(item)
            else:
                previous.text, _ = hyphens.join(previous.text, item.text, vocabulary)
                chapter.joins += 1
            after_notes = False
            continue
        if text_open and not starts_list_item(item.text) \
                and (starts_lowercase(item.text) or after_notes or _stops_mid_sentence(previous)):
            cut = _stops_mid_sentence(previous) or clearly_cut(previous.text)
            previous.text, decision = hyphens.join(previous.text, item.text, vocabulary)
            chapter.joins += 1
            if decision is not None and not decision.certain:
                chapter.doubts.append(Doubt(item.line, "the hyphen at the page break was "
                                            + ("kept" if decision.keep_hyphen else "taken out")
                                            + f" ({decision.why})", 0.7, previous))
            if not starts_lowercase(item.text) and not cut:
                chapter.doubts.append(Doubt(item.line, "joined to the paragraph before the "
                                            "notes (it did not end a sentence), though this "
                                            "one starts with a capital", 0.7, previous))
        else:
            chapter.blocks.append(item)
            if _may_end_note(items, i, last_note):
                chapter.doubts.append(Doubt(item.line, f"kept as text; it may be the rest of "
                                            f"note {last_note.label}, cut by the page break",
                                            0.6, item))
        after_notes = False
    chapter.notes = [bound[rid] for rid in chapter.references if rid in bound]
    _referred_again(chapter, bound)
    _take_rests(chapter, rests)
    for label, line, _ in chapter.unmatched:
        chapter.doubts.append(Doubt(line, f"reference {label} has no note body: kept as a "
                                    "superscript", 0.5))
    chapter.doubts.sort(key=lambda d: d.line)
    return chapter
