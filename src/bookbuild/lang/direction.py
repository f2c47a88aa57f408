"""Which way a book's text runs, from its language (BCP 47) and its script.

The book's direction is its language's likely script (langcodes' CLDR data:
``he`` is Hebrew script, ``ur`` Arabic, ``az-Arab`` Arabic, ``az`` Latin):
right-to-left scripts give ``dir="rtl"`` on every document and
``page-progression-direction="rtl"`` in the spine.
"""

from __future__ import annotations

import unicodedata

import langcodes

#: ISO 15924 scripts written right to left.
RTL_SCRIPTS = frozenset({"Arab", "Aran", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Mand", "Samr",
                         "Rohg", "Yezi", "Mend", "Phnx", "Armi", "Avst", "Khar", "Lydi", "Narb",
                         "Nbat", "Palm", "Phli", "Prti", "Sarb", "Sogd", "Sogo", "Hung", "Chrs"})


def book_direction(language: str) -> str:
    """``rtl`` or ``ltr`` for a book in ``language``."""
    script = langcodes.Language.get(language).maximize().script
    return "rtl" if script in RTL_SCRIPTS else "ltr"


def is_rtl(text: str) -> bool:
    """Whether ``text`` holds right-to-left letters (Unicode bidi classes R and AL)."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)
