"""The print layouts a generated book is set in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    numbering: str = "chapter"  # notes numbered per "chapter", per "page" or through the "book"
    marker: str = "superscript"  # "superscript", "bracket" ([1]) or "symbol" (*, †, ...)
    label: str = "raised"  # the note's own label: "raised", "plain" (1), "dot" (1.), "bracket" ([1])
    running_heads: bool = True
    page_numbers: bool = True

    @property
    def name(self) -> str:
        return f"{self.numbering}-{self.marker}-{self.label}" + \
            ("-heads" if self.running_heads else "")


LAYOUTS = (
    Layout(),
    Layout("page", "superscript", "plain"),
    Layout("book", "superscript", "dot"),
    Layout("chapter", "bracket", "bracket"),
    Layout("page", "symbol", "raised"),
    Layout("chapter", "superscript", "dot", running_heads=False, page_numbers=False),
)
#: Per-page numbering and running heads, as German and French books often have.
PER_PAGE = Layout("page", "superscript", "plain", running_heads=True)
