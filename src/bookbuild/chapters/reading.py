"""Pandoc reads each chapter once: its notes, its headings for references from
other chapters, and every problem in it, with lines.

A reading is what the rest of the pipeline knows of a chapter's Markdown; it
comes only from Pandoc's AST and ``--log`` (see :mod:`bookbuild.pandoc`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ManuscriptError, Problem
from ..notes.source import ChapterNotes, notes_survey, read_notes
from ..pandoc import Parsed, locate
from ..pandoc.ast import identifier, stringify
from ..refs.crossrefs import Label
from ..refs.crossrefs import survey as references_survey
from ..source.manuscript import Chapter
from . import rawmarkup
from .foreign import Found, survey

#: Pandoc diagnostics that are mistakes in the chapter (the build stops);
#: notes have their own (see notes.source). Other warnings are passed on.
_ERRORS = {"DuplicateIdentifier": "identifier #{key} is used twice in this chapter"}
_HANDLED = {"DuplicateNoteReference", "NoteDefinedButNotUsed", *_ERRORS}
#: Problems that leave the chapter's notes and tags sound, so that it still
#: converts truly and the build looks on for more (its images, its links).
_CONVERTIBLE = {"id-duplicate"}
_BRACKETED = re.compile(r"\[([^\[\]]+)\]")


def reference_key(text: str) -> str:
    """How Pandoc matches a reference to a heading: case and spacing ignored."""
    return " ".join(text.split()).lower()


@dataclass(frozen=True)
class HeadingTarget:
    """A heading another chapter may name as ``[Its Text][]``."""

    text: str
    id: str


@dataclass(frozen=True)
class Reading:
    chapter: Chapter
    notes: ChapterNotes
    headings: tuple[HeadingTarget, ...]
    #: Bracketed text Pandoc left as text, keyed for matching: a reference to a
    #: heading of another chapter looks like this until it is resolved.
    unresolved: frozenset[str]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    foreign: tuple[Found, ...] = ()  # other tools' syntax: foreign.survey
    parsed: Parsed | None = None  # the AST, when this reading was made in this build
    cites: tuple[str, ...] = ()  # keys cited (@x: works and cross-references), in order
    labels: tuple[Label, ...] = ()  # cross-reference labels defined ({#fig-x}), in order
    references: list | None = None  # with ``parsed``: its Note elements that are references
    raw_tex: tuple[tuple[str, int, int | None], ...] = ()  # rawmarkup.tex_survey

    @property
    def convertible(self) -> bool:
        return all(p.code in _CONVERTIBLE for p in self.problems)

    @property
    def own_keys(self) -> frozenset[str]:
        return frozenset(reference_key(h.text) for h in self.headings)


def read_chapter(chapter: Chapter) -> Reading:
    parsed = chapter.parse()
    found = notes_survey(parsed)
    notes = read_notes(chapter.text, parsed, chapter.source, found, chapter.parse)
    problems = list(notes.problems) + rawmarkup.html_problems(parsed, chapter.text, chapter.source)
    warnings = []
    for entry in parsed.log:
        if entry.type in _ERRORS:
            # Pandoc counts the line inside a block quote or list item from its start:
            # the heading's own line is where Pandoc's reading first shows it twice.
            problems.append(Problem(_ERRORS[entry.type].format(key=entry.key), chapter.source,
                                    chapter.line_of(entry.key or "",
                                                    locate.repeated_identifier(entry.key or "")),
                                    code="id-duplicate"))
        elif entry.type not in _HANDLED:
            warnings.append(Problem(entry.message, chapter.source, entry.line,
                                    code="pandoc-warning"))
    if "citation-abbreviations" in parsed.doc["meta"]:
        warnings.append(Problem("citation-abbreviations in the chapter's metadata is ignored: "
                                "citeproc reads only the bibliography and csl that book.yaml "
                                "names", chapter.source, code="citation-abbreviations-ignored"))
    headings = tuple(HeadingTarget(stringify(el["c"][2]), identifier(el))
                     for el in found.headers if identifier(el))
    unresolved = frozenset(
        reference_key(m.group(1)) for el in found.bracketed
        for m in _BRACKETED.finditer(stringify(el["c"] if el["t"] != "Header" else el["c"][2])))
    return Reading(chapter, notes, headings, unresolved,
                   tuple(sorted(problems, key=lambda p: p.line or 0)), tuple(warnings),
                   survey(parsed.doc["blocks"], found, chapter.never_ran), parsed,
                   *references_survey(parsed.doc["blocks"], found), references=found.notes,
                   raw_tex=rawmarkup.tex_survey(parsed, chapter.text))


def check_all(readings: list[Reading]) -> None:
    """Every problem of every chapter at once, so an author fixes them in one pass."""
    problems = [p for r in readings for p in r.problems]
    if problems:
        raise ManuscriptError.from_problems(problems)
