"""Rule "chapter label over its title": LaTeX's book class ("Chapter 3"),
Pandoc's templates for it and for Typst ("CHAPTER I"), and many novels set a
chapter's number as a label on a line of its own above the title. The label
is the print's numbering, which the e-book makes again from its own
chapters: the chapter's heading is its title, the label dropped.
"""

from __future__ import annotations

import re

from .frontwords import WORDS, any_of

_CHAPTER = any_of(tuple(w for words in WORDS.values() for w in words.chapter))
_NUMBER = any_of(tuple(w for words in WORDS.values() for w in words.numbers))
#: "Chapter 3", "CHAPTER IV", "Kapitel 2.", "Chapitre un": a chapter word and
#: its number (Arabic, Roman or a word of the tables), alone. The words in any
#: case; a Roman numeral in capitals only, as labels set it: folded, a word
#: of its letters ("ill", "civic") would read as one.
LABEL = re.compile(rf"(?i:{_CHAPTER})\s*(?:\d{{1,3}}|[IVXLC]{{1,7}}|(?i:{_NUMBER}))[.:]?")
#: Capitals spaced out (tracked: "C H A P T E R  I"), a letter a word.
_SPACED_OUT = re.compile(r"(?:\S ){3,}\S")


def is_label(text: str) -> bool:
    """Whether a line's ``text`` is a chapter's label alone (``LABEL``),
    its letters set close or spaced out."""
    text = " ".join(text.split())
    if _SPACED_OUT.fullmatch(text):
        text = text.replace(" ", "")
    return bool(LABEL.fullmatch(text))
