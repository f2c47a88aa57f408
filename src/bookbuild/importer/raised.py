"""What a raised run of a chapter's text is, once the chapter's notes are
known: a formula's exponent, one note's reference or several notes'.

A reader marks every raised run as a reference (``inline.REF``); which ones
are, the notes a chapter holds decide, when its notes are bound
(``chapters``).
"""

from __future__ import annotations

#: Rule "exponent": Unicode's Mathematical Alphanumeric Symbols, the letters
#: Typst, unicode-math and MathML set a formula's variables in (𝑥, 𝑚, 𝐸).
MATH_LETTERS = range(0x1D400, 0x1D800)
#: The longest note number a run of references holds (as ``source.NOTE_LABEL``'s).
LABEL_DIGITS = 3


def exponent(text: str, at: int) -> bool:
    """Rule "exponent": a raised run set right after a mathematical letter
    (``MATH_LETTERS``) is that formula's exponent (𝑥², 𝑚𝑐²), never a note's
    reference, even where a note of its number follows (notes numbered
    through the book reach any small number)."""
    return at > 0 and ord(text[at - 1]) in MATH_LETTERS


def side_by_side(label: str, noted: set[str], free: set[str]) -> list[str] | None:
    """Rule "references side by side": two notes referred to at one place are
    set one against the other with no mark between ("³⁴": LaTeX's
    ``\\footnote`` twice, Typst's ``#footnote`` twice), so a raised "34" that
    no note of the chapter is labelled (``noted``: its notes' labels) is
    notes 3 and 4 when the chapter has both and no other reference to them
    (10¹² is no reference to notes 1 and 2 referred to before it): the run
    cut into numbers each one more than the last, every one the label of a
    note the reader knows as one and without a reference of its own
    (``free``). None when no such cut exists."""
    if label in noted or not label.isdigit():
        return None
    for width in range(1, LABEL_DIGITS + 1):
        parts = _counting(label, int(label[:width])) if label[0] != "0" else None
        if parts and len(parts) > 1 and all(p in free for p in parts):
            return parts
    return None


def _counting(digits: str, first: int) -> list[str] | None:
    """``digits`` as ``first``, ``first`` + 1, … written one after another, or None."""
    parts, number = [], first
    while digits:
        if not digits.startswith(str(number)):
            return None
        parts.append(str(number))
        digits = digits[len(str(number)):]
        number += 1
    return parts
