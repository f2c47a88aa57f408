"""The closed vocabularies book.yaml draws on: roles, structural types, formats,
accessibility hazards and exemptions. Other stages read them too (the importer
names roles, the manuscript places front and back matter, the CLI parses
``--format``), so they live apart from the schema that checks them."""

from __future__ import annotations

import re

#: Friendly role names accepted in ``contributors``; any three-letter MARC
#: relator code (https://id.loc.gov/vocabulary/relators) is accepted as well.
ROLE_CODES = {
    "author": "aut",
    "translator": "trl",
    "editor": "edt",
    "illustrator": "ill",
    "cover-designer": "cov",
    "introduction": "aui",
    "foreword": "aui",
    "afterword": "aft",
    "annotator": "ann",
    "commentator": "cmm",
    "compiler": "com",
    "contributor": "ctb",
    "narrator": "nrt",
    "photographer": "pht",
    "book-designer": "bkd",
    "publisher": "pbl",
}
MARC_CODE = re.compile(r"^[a-z]{3}$")

#: Structural types (EPUB 3 Structural Semantics Vocabulary) that place a
#: chapter before the body matter; the first chapter of any other type is
#: where the ``bodymatter`` landmark points.
FRONT_MATTER_TYPES = frozenset(
    {"titlepage", "halftitlepage", "copyright-page", "dedication", "epigraph",
     "foreword", "preface", "acknowledgments", "imprint", "frontmatter", "toc"}
)
BACK_MATTER_TYPES = frozenset(
    {"afterword", "appendix", "colophon", "bibliography", "glossary", "index",
     "backmatter", "conclusion"}
)
#: Types that close a book, after the bibliography bookbuild adds (CMOS 1.4:
#: the index is the last of the back matter; the colophon, when there is one,
#: ends the book).
CLOSING_TYPES = frozenset({"index", "colophon"})
CHAPTER_TYPES = FRONT_MATTER_TYPES | BACK_MATTER_TYPES | {
    "chapter", "part", "introduction", "prologue", "epilogue"}
#: Spellings authors use for a structural type the vocabulary spells otherwise.
TYPE_ALIASES = {"acknowledgements": "acknowledgments"}
#: Types whose page has no heading of its own by custom (a dedication is a line
#: or two): no "no heading" warning, and the title comes from the book's words.
HEADINGLESS_TYPES = frozenset({"titlepage", "halftitlepage", "copyright-page", "imprint",
                               "dedication", "epigraph"})
#: Types a landmark in the nav points at, besides cover, toc and bodymatter.
LANDMARK_TYPES = ("titlepage", "copyright-page", "dedication", "epigraph", "foreword", "preface",
                  "acknowledgments", "afterword", "appendix", "bibliography", "glossary", "index",
                  "colophon")
#: How deep the contents go, counting a chapter's entry as level 1.
TOC_DEPTHS = (1, 2, 3)

#: Subject schemes (the OPF's ``authority``) and the shape of their codes
#: (the ``term``), with an example: BISAC's nine characters, Thema's subject
#: and qualifier codes.
SUBJECT_SCHEMES = {
    "BISAC": (r"[A-Z]{3}[0-9]{6}", "FIC014000"),
    "THEMA": (r"[A-Z0-9][A-Z0-9]*(-[A-Z0-9]+)*", "DNBH or 1DDU-GB-SN"),
}

#: Output formats in the order they are written; ``all`` in a list means every one.
FORMATS = ("epub", "kindle-epub", "kobo", "azw3", "cover-jpg", "pdf")
DEFAULT_FORMATS = ("epub", "cover-jpg")

#: Named trim sizes for ``print: {trim: ...}`` (width x height in inches): the
#: common trade and mass-market sizes printers and print-on-demand services take.
TRIM_SIZES = {
    "5x8in": (5.0, 8.0), "5.25x8in": (5.25, 8.0), "5.5x8.5in": (5.5, 8.5),
    "6x9in": (6.0, 9.0), "6.14x9.21in": (6.14, 9.21), "7x10in": (7.0, 10.0),
    "4.25x6.87in": (4.25, 6.87), "a5": (5.83, 8.27), "b5": (6.93, 9.84),
    "royal": (6.14, 9.21), "demy": (5.67, 8.75), "b-format": (5.06, 7.81),
    "a-format": (4.33, 7.01), "trade": (6.0, 9.0), "digest": (5.5, 8.5),
}
DEFAULT_TRIM = "5.5x8.5in"

HAZARDS = frozenset({"none", "flashing", "motionSimulation", "sound", "noFlashingHazard",
                     "noMotionSimulationHazard", "noSoundHazard", "unknown"})

#: The W3C note "The EPUB Accessibility exemption property": the EAA's three.
EXEMPTIONS = frozenset({"eaa-disproportionate-burden", "eaa-fundamental-alteration",
                        "eaa-microenterprise"})


def format_names(names: list[str]) -> set[str]:
    """The names as written: repeated, or separated by commas."""
    return {n.strip() for name in names for n in str(name).split(",") if n.strip()}


def parse_formats(names: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """Formats in writing order, and the names that are not formats."""
    wanted = format_names(names)
    unknown = sorted(wanted - set(FORMATS) - {"all"})
    chosen = FORMATS if "all" in wanted else tuple(f for f in FORMATS if f in wanted)
    return chosen, unknown

#: What the person who builds may grant a book (``--trust NAME``), never the book
#: itself, with what each lets in (active.py holds the policy).
SCRIPTS, TYPST = "scripts", "typst"
GRANTS = {SCRIPTS: "active content in the EPUB (scripts, event handlers, forms, iframes...)",
          TYPST: "the book's Typst code in the print edition (raw Typst, typst: attributes)"}

#: Built-in themes (data/themes/NAME.css, after base.css).
THEMES = ("classic", "modern")
DEFAULT_THEME = "classic"
#: Font files ``fonts:`` takes (fontTools reads all of them).
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
