"""Put one chapter back together: notes out of the text, paragraphs rejoined.

A print page is [text of the page][notes of the page]. So in an extraction the
notes of each page sit between the last paragraph of one page and the first
of the next, a paragraph cut by the page break continues after them, and a
note cut by the page break continues at the top of the next page's notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .source import (NOTE_START, SEPARATOR, SUPER_RUN, SUPERSCRIPTS, Line, clearly_cut,
                     ends_sentence, starts_list_item,
                     is_caps_heading, is_roman_heading, starts_lowercase, superscript_value)


@dataclass
class Block:
    kind: str  # "text", "heading", "separator"
    text: str
    line: int


@dataclass
class Note:
    number: int
    paragraphs: list[str]
    line: int

    @property
    def open(self) -> bool:
        return not ends_sentence(self.paragraphs[-1])


@dataclass
class Chapter:
    title: str  # the heading as printed, superscript references included
    line: int
    blocks: list[Block] = field(default_factory=list)
    notes: dict[int, Note] = field(default_factory=dict)
    references: list[int] = field(default_factory=list)  # every reference, in order
    joins: int = 0
    doubts: list[tuple[int, str]] = field(default_factory=list)

    @property
    def orphan_notes(self) -> list[int]:
        return sorted(set(self.notes) - set(self.references))

    @property
    def missing_notes(self) -> list[int]:
        return sorted(set(self.references) - set(self.notes))


def _refs(text: str) -> list[int]:
    return [superscript_value(m.group(0)) for m in SUPER_RUN.finditer(text)]


def _classify(chapter: Chapter, lines: list[Line]) -> list[Block | Note]:
    """Each line as text, heading, separator or note body. A number opening a
    line is a note only if its reference came before it and it has no body yet:
    that keeps dated entries ("15 March. ...") in the text."""
    pending = set(_refs(chapter.title))
    expected = 1
    items: list[Block | Note] = []
    for line in lines:
        text = line.text
        m = NOTE_START.match(text)
        if m:
            raw = m.group("num")
            number = superscript_value(raw) if raw[0] in SUPERSCRIPTS else int(raw)
            if number in pending or raw[0] in SUPERSCRIPTS:
                if number not in pending:
                    chapter.doubts.append((line.number, f"note {number} has no reference "
                                                        "before it"))
                pending.discard(number)
                note = Note(number, [m.group("text")], line.number)
                items.append(note)
                expected = max(expected, number + 1)
                continue
            if number == expected:
                chapter.doubts.append((line.number, f"starts with {number}, the next note "
                                                    "number, but no reference to it came "
                                                    "before: kept as text"))
        if SEPARATOR.match(text):
            items.append(Block("separator", text, line.number))
        elif is_roman_heading(text) or is_caps_heading(text):
            items.append(Block("heading", text.rstrip("."), line.number))
            pending.update(_refs(text))
        else:
            items.append(Block("text", text, line.number))
            pending.update(_refs(text))
    return items


def _continues_note(items: list[Block | Note], i: int, last_note: Note | None,
                    text_open: bool) -> bool:
    """Is text paragraph ``i`` the rest of a note cut by a page break?

    It can be only at the top of a page's notes: right after the page's text.
    It is when it does not start in lower case while the page's text was cut
    and resumes, in lower case, after the notes that follow (so this paragraph
    cannot be that text); or, in lower case itself, when the last note is
    unfinished and either the text before ended its sentence or the note ends
    on a comma, dash or the like (else it is the text going on after a page
    that had no notes).
    """
    before = items[i - 1] if i else None
    if last_note is None or not (isinstance(before, Block) and before.kind == "text") \
            or starts_list_item(items[i].text):
        return False
    after = items[i + 1] if i + 1 < len(items) else None
    if isinstance(after, Note) and text_open and not starts_lowercase(items[i].text):
        j = i + 1
        while j < len(items) and isinstance(items[j], Note):
            j += 1
        resumed = items[j] if j < len(items) else None
        if isinstance(resumed, Block) and resumed.kind == "text" \
                and starts_lowercase(resumed.text) and not starts_list_item(resumed.text):
            return True
    if not last_note.open or not starts_lowercase(items[i].text):
        return False
    return not text_open or (isinstance(after, Note) and clearly_cut(last_note.paragraphs[-1]))


def assemble(title: Line, lines: list[Line]) -> Chapter:
    chapter = Chapter(title.text, title.number)
    items = _classify(chapter, lines)
    last_note: Note | None = None
    after_notes = False
    for i, item in enumerate(items):
        if isinstance(item, Note):
            if item.number in chapter.notes:
                chapter.doubts.append((item.line, f"a second body for note {item.number}: "
                                                  "kept the first, this one as text"))
                chapter.blocks.append(Block("text", f"{item.number} {item.paragraphs[0]}",
                                            item.line))
                continue
            chapter.notes[item.number] = item
            last_note, after_notes = item, True
            continue
        if item.kind != "text":
            chapter.blocks.append(item)
            after_notes = False
            continue
        previous = chapter.blocks[-1] if chapter.blocks else None
        text_open = previous is not None and previous.kind == "text" \
            and not ends_sentence(previous.text)
        if _continues_note(items, i, last_note, text_open):
            last_note.paragraphs[-1] += " " + item.text
            chapter.doubts.append((item.line, f"joined to note {last_note.number}, "
                                              "continued from the page before"))
            continue
        if text_open and not starts_list_item(item.text) \
                and (starts_lowercase(item.text) or after_notes):
            previous.text += " " + item.text
            chapter.joins += 1
            if not starts_lowercase(item.text):
                chapter.doubts.append((item.line, "joined to the paragraph before the notes "
                                                  "(it did not end a sentence), though this one "
                                                  "starts with a capital"))
        else:
            chapter.blocks.append(item)
        after_notes = False
    chapter.references = _refs(title.text) + [n for b in chapter.blocks if b.kind != "separator"
                                               for n in _refs(b.text)]
    for n in chapter.missing_notes:
        chapter.doubts.append((title.number, f"reference {n} has no note body: kept as a "
                                             "superscript"))
    for n in chapter.orphan_notes:
        chapter.doubts.append((chapter.notes[n].line, f"note {n} has no reference: kept "
                                                      "as a paragraph at the chapter's end"))
    chapter.doubts.sort()
    return chapter
