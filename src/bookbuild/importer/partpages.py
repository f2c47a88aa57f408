"""What an outline entry over others is, told by its pages, not its name.

Rule "a part page stands alone": an outline nests chapters under a part
("I" and the part's title, or "Appendices") as it nests sections under a
chapter ("I" and the chapter's title), so its depth and labels cannot tell
the two apart. The pages can: a book sets a part's title on a page of its
own, nothing else on it, and its first chapter opens a later page; a
chapter's title stands over its text, its first section on the same page or
the text before it.

Rule "a bookmark over chapters": an entry the book prints nowhere, leading
to its first child's page ("Backmatter" over the notes and the licence),
only groups its children in the reader's panel: they are the chapters, if
each opens a later page than the one before, as chapters do, and no heading
stands over the first one's title on its page. A chapter listed under a
short title it does not print (LaTeX's ``\\chapter[short]{long}``) has its
sections under it: two or more on a page, numbered as sections, or, one a
page, under the chapter's long title printed over the first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .inline import plain
from .source import SECTION_LABEL, Bookmark, Line, page_of

#: A part page holds a part's label, its title and perhaps a subtitle or a
#: motto's line: more lines than this are a page of text.
PART_PAGE_LINES = 4
#: Each of those lines is a title's length at most, in words: a longer one
#: is a paragraph of text.
TITLE_WORDS = 12


def lone_pages(lines: Iterable[Line]) -> frozenset[int]:
    """The PDF pages (``page_of``) that hold a title and nothing else: a few
    short lines, none of them a note."""
    pages: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        pages[page_of(line.number)].append(line)
    return frozenset(page for page, held in pages.items() if len(held) <= PART_PAGE_LINES
                     and all(line.kind != "note" and len(plain(line.text).split()) <= TITLE_WORDS
                             for line in held))


def stands_alone(entry: Bookmark, children: list[Bookmark], lone: frozenset[int]) -> bool:
    """The outline ``entry`` over ``children`` is a part's: its page holds
    nothing but its title and its first child opens a later page."""
    first = children[0].page if children else None
    return entry.page in lone and first is not None and first > entry.page


def only_groups(entry: Bookmark, children: list[Bookmark], printed: bool,
                headed: bool = False) -> bool:
    """The outline ``entry`` over ``children`` is a bookmark grouping them
    (rule "a bookmark over chapters"): no line of the book prints its title
    (``printed``), no heading but a chapter's label stands over its first
    child's title on that page (``headed``), it leads to its first child's
    page or to none, and each child, no section by its number, opens a later
    page than the one before."""
    pages = [child.page for child in children]
    return bool(children) and not printed and not headed and entry.page in (None, pages[0]) \
        and None not in pages and all(a < b for a, b in zip(pages, pages[1:])) \
        and not any(SECTION_LABEL.match(child.title) for child in children)
