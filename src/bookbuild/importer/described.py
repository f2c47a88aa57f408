"""Rule "description list": items that open with a term set in a face of
its own (LaTeX's ``description``, a glossary, a list of options).

Each item's first line starts with its term, in bold or in the typewriter
face, then the item's text in the text's face; the items' terms stand one
under another, and an item's further lines stand in from its term (a
hanging indent). One paragraph opening with a word in code is no list (a
sentence may start with a command's name): two items at least, their terms
aligned, make one. The term is the item's, apart from its text, as a
definition list's term is (Markdown's ``Term`` then ``:   text``).
"""

from __future__ import annotations

from .pdfread import Glyph

#: A term's glyphs at most: a word or a few (a command with its arguments);
#: a longer run in code or bold is a sentence's, not a label's.
TERM_GLYPHS = 40
#: The term ends at a word space at least (in ems): a gap as wide as the
#: narrowest justified space (pdfsource's SPACE_EM and more).
TERM_GAP_EM = 0.2


def term_length(chars: list[Glyph], fixed: frozenset[str]) -> int:
    """How many of a line's first glyphs are a term: a run in bold or in a
    fixed-pitch face (``fixed``) up to a word space, followed by text in
    neither face; 0 where the line opens otherwise. A bold bullet or an
    item's letter ("A.") is a label, not a term (two letters or figures at
    least), and a run followed by a figure is a table's first cell (its
    row goes on with numbers), not a term."""
    def marked(ch: Glyph) -> bool:
        return ch.bold or ch.font in fixed

    k = 0
    while k < len(chars) and (not chars[k].text.strip() or marked(chars[k])):
        k += 1
    shown = [ch for ch in chars[:k] if ch.text.strip()]
    rest = [ch for ch in chars[k:] if ch.text.strip() and not marked(ch)]
    if not shown or len(shown) > TERM_GLYPHS or len(rest) < 2 or chars[0] is not shown[0] \
            or sum(ch.text.isalnum() for ch in shown) < 2 or rest[0].text.isdigit():
        return 0
    if chars[k].x0 - shown[-1].x1 < TERM_GAP_EM * shown[-1].size:
        return 0
    return chars.index(shown[-1]) + 1
