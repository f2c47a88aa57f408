"""Lines about one printed copy rather than the work: who printed and bound
it, in which type it was set, the paper it is on, its print run. An e-book
made from the same text must not repeat them. The build leaves them out of a
copyright page's e-book editions (the print edition keeps them), and the
importer out of the copyright page it writes: one rule for both."""

from __future__ import annotations

import re

#: Regular-expression fragments per language, matched case-insensitively.
#: A book in one language may still carry an English printer's line, so every
#: language's words are tried.
WORDS: dict[str, tuple[str, ...]] = {
    "en": (r"printed (?:and bound )?(?:in|by|on)\b", r"typeset (?:in|by)\b",
           r"this book is printed on", r"\bprinted in\b"),
    "de": (r"gedruckt (?:in|auf|bei)\b", r"druck(?: und bindung)?:", r"satz:",
           r"gesetzt (?:aus|in)\b"),
    "fr": (r"imprimé (?:en|par|sur)\b", r"achevé d[’']imprimer", r"composition\s*:",
           r"mise en page\s*:", r"dépôt légal"),
    "es": (r"impreso (?:en|por)\b", r"impresión\s*:", r"composición\s*:", r"depósito legal"),
    "it": (r"stampato (?:in|da|presso)\b", r"finito di stampare", r"stampa\s*:",
           r"impaginazione\s*:"),
    "ru": (r"отпечатано (?:в|на)\b", r"подписано в печать", r"тираж\b", r"формат \d",
           r"печать офсетная", r"гарнитура\b"),
}
_PATTERN = re.compile("|".join(f"(?:{w})" for words in WORDS.values() for w in words),
                      re.IGNORECASE)


def is_print_only(line: str) -> bool:
    return _PATTERN.search(line.strip()) is not None
