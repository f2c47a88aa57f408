"""The bibliography: a back-matter document after the chapters (before an
index or colophon that closes the book), made by citeproc from every work the
book cites (and ``nocite``), converted as a chapter is, so both media show it
in the book's style."""

from __future__ import annotations

from ..config import BookConfig
from ..lang.words import word
from ..notes.source import ChapterNotes
from ..pandoc import CiteSettings, Parsed
from ..refs import citations
from ..source.manuscript import Chapter
from .convert import ConvertedChapter, convert_chapter
from .reading import Reading


def bibliography_chapter(config: BookConfig, cite: CiteSettings, index: int,
                         typeset: bool) -> ConvertedChapter:
    """The bibliography, numbered ``index``: past every chapter's number, so its
    file name is its own wherever it stands (before a closing colophon, its
    name sorts after the colophon's: readers follow the spine, not names)."""
    title = word(config.language, "bibliography")
    chapter = Chapter(index, config.bibliography[0], "bibliography", title, "")
    doc = citations.bibliography_doc(cite, config.language)
    reading = Reading(chapter, ChapterNotes(chapter.source, ()), (), frozenset(), (), (),
                      parsed=Parsed(doc, ()))
    return convert_chapter(reading, config, (), typeset)
