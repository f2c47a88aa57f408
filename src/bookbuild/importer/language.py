"""The language a book is written in, read from its own text.

Hyphens at line and page ends are decided with that language's dictionary,
and book.yaml records it; the front matter's few words guessed it wrong (a
French book with an English series page was "en"). py3langid's model ships
in its wheel: no download, no network.
"""

from __future__ import annotations

import re

#: Enough text to be sure of a book's language, taken evenly from all of it
#: (a long book's first pages may be in another language: a series page, an epigraph).
SAMPLE = 40_000
_LETTERS = re.compile(r"[^\W\d_]{2,}")


def detect(lines: list[str], default: str = "en") -> str:
    """The ISO 639-1 code of the language most of ``lines`` are in; ``default``
    when they hold too few words to tell."""
    texts = [" ".join(_LETTERS.findall(line)) for line in lines]
    texts = [t for t in texts if t]
    if sum(t.count(" ") + 1 for t in texts) < 5:
        return default
    step = max(1, sum(map(len, texts)) // SAMPLE)
    import py3langid  # loads its model: only for a book whose language is not given

    code, _ = py3langid.classify("\n".join(texts[::step]))
    return code
