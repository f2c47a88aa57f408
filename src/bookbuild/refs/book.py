"""The book's references settled once for every chapter: each label numbered,
each cited key found in the bibliography, and what each chapter's conversion
then needs (the targets it defines or cites, citeproc's settings if it cites a
work). Every problem of every chapter is reported at once, with what the
conversion needs so that the build looks on for more before it stops."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..config import BookConfig
from ..errors import Problem
from ..pandoc import CiteSettings
from ..source.manuscript import Chapter
from . import citations, crossrefs


@dataclass(frozen=True)
class ChapterReferences:
    """What a chapter's conversion takes from the whole book's references: the
    cross-reference targets it defines or cites, and citeproc's settings when
    it cites a work."""

    targets: tuple[crossrefs.Target, ...] = ()
    cite: CiteSettings | None = None
    #: What each bookdown environment opens with; None in a book not bookdown's.
    environments: tuple[str, ...] | None = None

    def key(self) -> dict:
        """For the cache: everything that shapes the chapter, files' contents included."""
        return {"targets": [[t.id, t.kind, t.text, t.number] for t in self.targets],
                "cite": citations.fingerprint(self.cite),
                "environments": None if self.environments is None else list(self.environments)}


@dataclass(frozen=True)
class BookReferences:
    chapters: tuple[ChapterReferences, ...]  # one per chapter, in reading order
    cite: CiteSettings | None  # the book's citeproc settings, if it cites anything
    warnings: tuple[Problem, ...]  # references to no label or work that the book's toolchain allows
    problems: tuple[Problem, ...]  # errors: the build stops (a reference to no label stays text)


def settle(chapters: Sequence[Chapter], defined: Sequence[tuple[crossrefs.Label, ...]],
           keys: Sequence[tuple[str, ...]], config: BookConfig) -> BookReferences:
    """Each chapter's labels (``defined``) and cited keys (``keys``), as its
    reading found them, settled against the whole book; bookdown's environments
    only in a bookdown book (elsewhere they are no labels)."""
    bookdown = crossrefs.bookdowns(config.project, chapters, defined, keys)
    if not bookdown:
        defined = [tuple(label for label in own if label.kind != "env") for own in defined]
    table, openings = crossrefs.numbers(chapters, defined, config.language,
                                       dict(config.labels))
    found = crossrefs.problems(chapters, defined, keys, table, quarto=config.project == "quarto")
    if config.bibliography:
        found += citations.problems(chapters, keys, citations.known_keys(config),
                                    incomplete=config.bibliography_incomplete)
    cite = citations.settings(config, citations.book_keys(keys))
    return BookReferences(tuple(ChapterReferences(
        tuple(table[k] for k in dict.fromkeys([*(label.id for label in own if label.kind != "heading"),
                                               *map(crossrefs.label_of, cited)])
              if k in table),
        cite if cite is not None and any(not crossrefs.is_crossref(k) for k in cited) else None,
        opening if bookdown else None)
        for own, cited, opening in zip(defined, keys, openings)), cite,
        tuple(crossrefs.unknown_refs(chapters, keys, table)) + _unread(chapters, keys, config)
        + tuple(p for p in found if p.is_warning), tuple(p for p in found if not p.is_warning))


def _unread(chapters: Sequence[Chapter], keys: Sequence[tuple[str, ...]],
            config: BookConfig) -> tuple[Problem, ...]:
    """One warning when the book cites works and names no bibliography: Pandoc
    then prints each citation as written (``[@key]``)."""
    if config.bibliography:
        return ()
    cited = [(chapter, key) for chapter, own in zip(chapters, keys) for key in own
             if not crossrefs.is_crossref(key)]
    if not cited:
        return ()
    chapter, key = cited[0]
    works = len({key for _, key in cited})
    return (Problem(f"{works} work{'s' if works != 1 else ''} cited (the first here, @{key}) "
                    "and no bibliography: the book shows the citations as written; name "
                    "the bibliography in book.yaml (bibliography: refs.bib)", chapter.source,
                    chapter.line_of(f"@{key}"), code="citation-no-bibliography"),)
