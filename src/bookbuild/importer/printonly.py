"""Lines about one printed copy rather than the work: who printed and bound
it, in which type it was set, the paper it is on. An e-book made from the same
text must not repeat them; the importer leaves them out of the copyright page
and moves a printer's colophon out of the last chapter, and a builder can ask
the same question of any line."""

from __future__ import annotations

import re

from .frontwords import any_of, languages_first


def is_print_only(line: str, language: str = "en") -> bool:
    text = line.strip()
    return any(re.search(any_of(words.print_only), text, re.IGNORECASE)
               for words in languages_first(language))
