"""A chapter's notes as Pandoc reads them, with their labels, and the mistakes
Pandoc would hide.

Every ``Note`` in Pandoc's AST is one reference, wherever Pandoc allowed its
definition (in a list, in a quote, before or after use) and whether it was
labelled (``[^x]``) or inline (``^[...]``); ``[^x]`` in code, math or raw HTML
is not a note because Pandoc did not make it one. Two things are lost in the
AST: the label (Pandoc copies a note's body to each reference to it) and the
difference between a reference with no definition and an escaped ``\\[^x]``
(both are the text ``[^x]``). Both are recovered from Pandoc itself: the
chapter is read a second time with a probe definition ``[^x]: <token>`` added
after it for every label its text could hold. Pandoc keeps a label's last
definition and warns when there are two, so in that reading each reference to
a defined label shows its label's token, a reference to an undefined label
shows a token with no warning, an escaped ``\\[^x]`` stays text, and nothing
else moves. The mistakes come from Pandoc's ``--log``: a label defined twice,
a note never referenced.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..pandoc import Parsed, read_markdown
from ..pandoc.ast import Element, Survey, stringify, survey
from ..pandoc.locate import locate

#: A note label as Pandoc's reader takes it: ``[^`` then non-blank characters up
#: to the first ``]``. Used only to name the probes: what is a reference is
#: Pandoc's answer, never this pattern's.
LABEL = re.compile(r"\[\^([^\] \t\n\r]+)\]")
_PROBE = "bookbuildprobe"
_NOTE_NUMBER = re.compile(r'"citationNoteNum": \d+')


class NoteMismatch(RuntimeError):
    """Pandoc's two readings of a chapter disagree: a bug, never ignored."""


@dataclass(frozen=True)
class ChapterNotes:
    """The notes of one chapter: each reference in reading order names the
    distinct note it shows (numbered in order of first reference); a label
    referenced twice is one note."""

    file: Path
    refs: tuple[int, ...]  # per reference: the note it shows
    problems: tuple[Problem, ...] = ()

    @property
    def count(self) -> int:
        return max(self.refs, default=-1) + 1


def notes_survey(parsed: Parsed) -> Survey:
    """The references (notes in the text, not inside another note or an image
    description: neither can show a note) and what else the notes need."""
    return survey(parsed.doc["blocks"], LABEL)


@dataclass(frozen=True)
class _Probe:
    """The chapter text with a probe definition per candidate label after it.
    Pandoc closes whatever the text leaves open (a fence, a div, a comment)
    before them, so they always count; the sentinel, referenced after them, proves it."""

    labels: tuple[str, ...]
    token: str

    def text(self, chapter_text: str) -> str:
        defs = "".join(f"[^{label}]: {self.token}{i}q\n\n" for i, label in enumerate(self.labels))
        return (chapter_text.rstrip("\n") + "\n\n\n" + defs
                + f"[^{self.sentinel}]: {self.token}q\n\n[^{self.sentinel}]\n")

    @property
    def sentinel(self) -> str:
        return self.token + "sentinel"

    def index(self, note: Element) -> int | None:
        """Which probe a note shows, if any."""
        s = stringify(note["c"]).strip()
        if s.startswith(self.token) and s.endswith("q") and s[len(self.token):-1].isdigit():
            return int(s[len(self.token):-1])
        return None

    def read(self, chapter_text: str, reader: Callable[[str], Parsed]) -> Parsed:
        return reader(self.text(chapter_text))


def _token(text: str) -> str:
    token = _PROBE
    while token in text:
        token += "x"
    return token


def _keys(parsed: Parsed, kind: str) -> set[str]:
    return {e.key for e in parsed.of_type(kind) if e.key is not None}


def read_notes(text: str, parsed: Parsed, file: Path, found: Survey | None = None,
               read: Callable[[str], Parsed] | None = None) -> ChapterNotes:
    """The notes Pandoc found in ``text`` (whose reading is ``parsed``, surveyed
    as ``found``; ``read`` reads a text in the chapter's dialect) and every
    problem with them, each with its line."""
    read = read or (lambda t: read_markdown(t, file))
    found = found or notes_survey(parsed)
    refs = found.notes
    problems = [Problem(f"note [^{e.key}] is defined twice", file, e.line, code="note-duplicate")
                for e in parsed.of_type("DuplicateNoteReference")]

    def unused(shown_labels: set[str]) -> list[Problem]:
        # Pandoc also says this of a note referenced in a link's text, which it
        # reads twice: only a label no reference shows is unused.
        return [Problem(f"note [^{e.key}] is defined but never referenced", file, e.line, code="note-unused")
                for e in parsed.of_type("NoteDefinedButNotUsed") if e.key not in shown_labels]

    def where(shows: Callable[[Parsed], bool], needle: str | None = None,
              reader: Callable[[str], Parsed] = read) -> int | None:
        return locate(text, shows, needle, reader)

    if found.nested_note:
        problems.append(Problem("a note inside a note: notes cannot have notes of their own",
                                file, where(lambda p: notes_survey(p).nested_note), code="note-nested"))
    for img in found.lost_images:
        src = img["c"][2][0]
        problems.append(Problem(f"a note in the description of image {src} would be lost: "
                                "put the reference after the image", file,
                                where(lambda p: bool(notes_survey(p).lost_images), src), code="note-in-image"))

    candidates = tuple(dict.fromkeys(m.group(1) for m in LABEL.finditer(text)))
    if not _needs_probe(found, parsed, candidates):
        return ChapterNotes(file, tuple(range(len(refs))), tuple(problems))

    probe = _Probe(candidates, _token(text))
    reading = probe.read(text, read)
    probed = notes_survey(reading)
    # The sentinel, referenced last, shows its body in every dialect: where
    # Pandoc keeps a label's first definition (gfm, commonmark_x) and logs
    # nothing, the text's own definitions win and an undefined label shows its probe.
    if not probed.notes or stringify(probed.notes[-1]["c"]).strip() != probe.token + "q":
        raise NoteMismatch(f"{file}: Pandoc did not read the probe definitions")
    probed.notes.pop()
    defined = _keys(reading, "DuplicateNoteReference")
    probe_unused = _keys(reading, "NoteDefinedButNotUsed")

    shown: list[int | None] = []  # per reference: the label index it shows
    undefined: dict[int, None] = {}
    for note in probed.notes:
        i = probe.index(note)
        if i is not None and candidates[i] not in defined:
            undefined[i] = None
            continue
        shown.append(i)
    _agree(refs, shown, probed.notes, probe, file)

    for i in undefined:
        label = candidates[i]
        single = _Probe((label,), probe.token)
        problems.append(Problem(
            f"note reference [^{label}] has no definition in this file", file,
            where(lambda p: any(single.index(n) == 0 for n in notes_survey(p).all_notes),
                  f"[^{label}]", lambda t: single.read(t, read)), code="note-undefined"))

    referenced = {candidates[i] for i in shown if i is not None}
    position = {label: i for i, label in enumerate(candidates)}
    problems += unused({candidates[i] for n in probed.all_notes
                        for i in [probe.index(n)] if i is not None})
    unreferenced = _keys(parsed, "NoteDefinedButNotUsed")
    for label in dict.fromkeys(found.label_text_in_notes):
        if label not in candidates:
            continue
        if label in defined:
            # Text [^x] in a note with x referenced elsewhere may be escaped: it
            # stays text, as Pandoc makes it. Unreferenced, it was either escaped
            # (and x is reported unused) or a reference Pandoc cannot resolve.
            nested = label not in referenced and label not in unreferenced
        else:
            nested = label not in probe_unused and position[label] not in undefined
        if nested:
            problems.append(Problem(
                f"note reference [^{label}] inside a note: notes cannot have notes of their own",
                file, _nested_line(text, label), code="note-nested"))

    order: list[int] = []
    first: dict[int, int] = {}  # label index -> its note
    count = 0
    for i in shown:
        if i is not None and i in first:
            order.append(first[i])
            continue
        if i is not None:
            first[i] = count
        order.append(count)
        count += 1
    return ChapterNotes(file, tuple(order), tuple(sorted(problems, key=lambda p: p.line or 0)))


def _needs_probe(found: Survey, parsed: Parsed, candidates: tuple[str, ...]) -> bool:
    """Whether Pandoc's first reading leaves anything to ask. Without text that
    looks like a reference left in the AST (an undefined or nested one), without
    two references showing the same body (a label used twice), and without a
    report of an unused note (which Pandoc also makes of a reference in link
    text), every reference is its own note and nothing is wrong: no probe."""
    if not candidates:
        return False
    if parsed.of_type("NoteDefinedButNotUsed"):
        return True
    # A citation's note number differs between the copies of one note's body.
    bodies = [_NOTE_NUMBER.sub("", json.dumps(note["c"], sort_keys=True)) for note in found.notes]
    return len(set(bodies)) != len(bodies) or found.label_text


def _shape(note: Element) -> str:
    return LABEL.sub("", stringify(note["c"]))


def _agree(refs: list[Element], shown: list[int | None], probed: list[Element], probe: _Probe,
           file: Path) -> None:
    """The probe reading must show the same references, in the same order."""
    if len(refs) != len(shown):
        raise NoteMismatch(f"{file}: Pandoc found {len(refs)} note references, "
                           f"but {len(shown)} with probes")
    inline = [n for n in probed if probe.index(n) is None]
    unlabelled = [r for r, i in zip(refs, shown) if i is None]
    if any(_shape(a) != _shape(b) for a, b in zip(unlabelled, inline)):
        raise NoteMismatch(f"{file}: an inline note differs between Pandoc's two readings")


def _nested_line(text: str, label: str) -> int | None:
    """The line of a reference Pandoc left as text inside a note: it is in no
    reading's AST, so the first line that holds it not as a definition."""
    token = f"[^{label}]"
    for number, line in enumerate(text.split("\n"), start=1):
        at = line.find(token)
        while at >= 0:
            if not (line[:at].strip() == "" and line[at + len(token):].startswith(":")):
                return number
            at = line.find(token, at + 1)
    return None
