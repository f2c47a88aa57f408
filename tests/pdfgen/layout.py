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
    #: where the notes stand: at the page's "foot", or in the outer "margin"
    #: beside the line of their reference (Tufte's sidenotes), smaller
    notes_at: str = "foot"
    #: a chapter's first paragraph opens with a capital two lines tall
    drop_caps: bool = False
    #: references and labels set in the font's own superior figures (Typst's
    #: default, InDesign's), not smaller digits on a raised baseline
    superiors: bool = False
    #: the text set in this many columns, the chapter's title over them all
    #: (Typst sets each column's footnotes under that column)
    columns: int = 1

    @property
    def name(self) -> str:
        return f"{self.numbering}-{self.marker}-{self.label}" + \
            ("-heads" if self.running_heads else "") + \
            ("" if self.notes_at == "foot" else f"-{self.notes_at}") + \
            ("-drop-caps" if self.drop_caps else "") + \
            ("-superiors" if self.superiors else "") + \
            ("" if self.columns == 1 else f"-{self.columns}-columns")


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
#: Numbered notes in the outer margin (a Tufte layout): a PDF's layout only,
#: as a text extraction puts margin lines anywhere among the text's.
MARGIN = Layout(notes_at="margin")
#: Drop caps (a PDF's layout only, as MARGIN).
DROP_CAPS = Layout(drop_caps=True)
#: Notes referred to by the font's superior figures (Typst's default): a PDF's
#: layout only, as the PDF's text maps them to plain digits ("word1"), which
#: nothing in a text extraction tells from the text's own.
SUPERIORS = Layout(superiors=True)
#: Two columns, footnotes under each (a PDF's layout only, as MARGIN).
COLUMNS = Layout(columns=2)
