"""Every problem bookbuild reports has one of these stable codes.

A code names a kind of problem, never its wording, so users can search for
it, accept a known warning in book.yaml (``accept:``), and tests can assert
it. Errors stop the build and cannot be accepted; warnings can. The README's
table of codes is checked against this one (tests/test_codes.py).
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Code:
    name: str
    severity: str  # ERROR or WARNING
    meaning: str


def _codes(*rows: tuple[str, str, str]) -> dict[str, Code]:
    return {name: Code(name, severity, meaning) for name, severity, meaning in rows}


CODES: dict[str, Code] = _codes(
    # book.yaml and the other configuration files
    ("book-not-found", ERROR, "the book directory or its book.yaml is not there"),
    ("yaml-invalid", ERROR, "book.yaml (or a project file) is not UTF-8 YAML holding a mapping"),
    ("toml-invalid", ERROR, "an mdBook's book.toml is not UTF-8 TOML"),
    ("json-invalid", ERROR, "a GitBook's book.json is not UTF-8 JSON"),
    ("yaml-unsafe", ERROR, "YAML anchors, aliases or tags, which a book never needs"),
    ("config-unknown-key", ERROR, "a key the schema does not know (often a misspelling)"),
    ("config-missing", ERROR, "a required key is missing"),
    ("config-type", ERROR, "a value of the wrong type (text, list, mapping, true or false)"),
    ("config-value", ERROR, "a value of the right type that is not allowed"),
    ("format-unknown", ERROR, "an output format bookbuild does not write"),
    ("csl-invalid", ERROR, "the citation style cannot be read or is not a CSL style"),
    ("bibliography-unreadable", ERROR, "the bibliography file cannot be read"),
    ("bibliography-missing", WARNING, "a project names a bibliography file it does not hold (its code makes it)"),
    ("mdbook-preprocessor", WARNING, "an mdBook's own preprocessors, which bookbuild does not run"),
    ("source-date-invalid", ERROR, "SOURCE_DATE_EPOCH or the sources' date is not a usable date"),
    ("option-invalid", ERROR, "a command-line option's value is not usable"),
    # files
    ("file-not-found", ERROR, "a file the book or the command names does not exist"),
    ("file-unreadable", ERROR, "a file exists but cannot be read as what it should be"),
    ("file-not-regular", ERROR, "a path the book names is a folder, FIFO or device"),
    ("file-outside-book", ERROR, "a path leads outside the book directory"),
    ("write-failed", ERROR, "an output file cannot be written"),
    ("target-exists", ERROR, "the directory to create already holds files"),
    ("target-unsafe", ERROR, "the directory to write is a link, a file or too broad to replace"),
    # the manuscript
    ("chapters-missing", ERROR, "the book has no chapters"),
    ("text-not-utf8", ERROR, "a chapter is not UTF-8"),
    ("control-character", ERROR, "a chapter holds a control character no e-book can show"),
    ("pandoc-failed", ERROR, "Pandoc could not read or convert a chapter"),
    ("pandoc-warning", WARNING, "something Pandoc reported while reading a chapter"),
    ("note-undefined", ERROR, "a note reference has no definition in its file"),
    ("note-duplicate", ERROR, "a note label is defined twice in one file"),
    ("note-unused", ERROR, "a note is defined but never referenced"),
    ("note-nested", ERROR, "a note reference inside a note"),
    ("note-in-image", ERROR, "a note in an image's description, which HTML would lose"),
    ("id-duplicate", ERROR, "an identifier is used twice in one chapter"),
    ("link-nowhere", ERROR, "a link leads to a chapter or identifier the book does not have"),
    ("link-text-missing", WARNING, "a link has no text for readers and screen readers"),
    ("heading-missing", WARNING, "a chapter has no heading and no title in book.yaml"),
    ("heading-skipped", WARNING, "a heading skips a level (an h3 after an h1)"),
    ("crossref-duplicate", ERROR, "a cross-reference label is defined twice in the book"),
    ("crossref-unknown", ERROR, "a cross-reference names no figure, table or equation"),
    ("crossref-unresolved", WARNING, "in a Quarto project, a cross-reference to no label: shown as ?@label, as Quarto does"),
    ("bookdown-ref-unknown", WARNING, "a bookdown reference (@ref) names no figure, table or heading"),
    ("citation-unknown-key", ERROR, "a citation key is not in the bibliography"),
    ("citation-key-missing", WARNING, "a citation key not found while a project's bibliography file is missing: shown as its key"),
    ("citation-no-bibliography", WARNING, "works cited in a book that names no bibliography"),
    ("citation-abbreviations-ignored", WARNING,
     "a chapter's citation-abbreviations metadata, which citeproc ignores"),
    ("knitr-chunk", WARNING, "code chunks knitr or Quarto would run, shown as code"),
    ("knitr-inline", WARNING, "inline expressions knitr would run, shown as code"),
    ("freeze-stale", WARNING,
     "a Quarto chapter changed since its results were frozen: read as written, as Quarto runs it again"),
    ("include-invalid", ERROR,
     "a Quarto or mdBook include that includes itself, nests too deep or makes the chapter too long"),
    ("quarto-shortcode", WARNING, "Quarto shortcodes, which cannot work in an EPUB"),
    ("raw-html-invalid", ERROR, "raw HTML in a chapter that an EPUB cannot hold"),
    ("raw-html-unbalanced", ERROR, "a raw HTML tag left open, or closed without being opened"),
    ("raw-tex", WARNING, "raw TeX, which neither the EPUB nor the print edition shows"),
    ("media-timed", WARNING,
     "raw HTML <video> or <audio>, which no edition plays: shown as its fallback content"),
    ("active-content", ERROR, "scripts, forms, frames or remote resources the policy refuses"),
    ("page-marker-invalid", ERROR, "a page marker span that is not an empty span with a page number"),
    ("typst-package", ERROR,
     "raw Typst code that imports a package (or anything but a file by a plain string, or uses eval)"),
    # images and the look
    ("image-missing", ERROR, "an image the chapter names is not in the book"),
    ("image-format", ERROR, "an image in a format e-books do not take, or named as another"),
    ("image-unreadable", ERROR, "an image file that cannot be read as an image"),
    ("image-alt-missing", ERROR, "an image without alt text that is not marked decorative"),
    ("image-remote", WARNING, "images on the web, shown as their alt text (nothing is fetched)"),
    ("image-alt-empty", WARNING,
     "images whose empty alt text marks them decorative (bookdown, Quarto, GitHub-style)"),
    ("svg-invalid", ERROR, "an SVG image that is not well-formed or declares a DTD"),
    ("image-low-resolution", WARNING, "an image the print edition prints under 300 dpi"),
    ("cover-format", ERROR, "a cover is written only as .jpg or .png"),
    ("cover-small", WARNING, "the cover is smaller than the stores ask"),
    ("cover-shape", WARNING, "the cover's ratio is far from the stores' 1.6:1"),
    ("cover-text-left-off", WARNING, "a text of the designed cover no font can draw"),
    ("stylesheet-invalid", ERROR, "the book's stylesheet is not UTF-8"),
    ("stylesheet-external", ERROR, "the book's stylesheet loads other files"),
    ("font-unreadable", ERROR, "a font file bookbuild cannot read"),
    ("font-licence", ERROR, "a font whose licence forbids embedding it"),
    # limits and tools
    ("limit-exceeded", ERROR, "the input goes over a size, depth or time limit"),
    ("tool-missing", ERROR, "a program bookbuild needs (Pandoc, Java, Calibre...) is not installed"),
    ("tool-failed", ERROR, "a program bookbuild runs (EPUBCheck, Calibre, Chromium...) failed"),
    ("typeset-failed", ERROR, "Typst could not typeset the print edition"),
    # the print check: exit 1, no PDF written (the warnings below excepted)
    ("print-no-pages", ERROR, "the print edition has no pages"),
    ("print-font-whole", ERROR, "a font of the print edition not embedded, or embedded whole rather than as a subset"),
    ("print-not-pdfa", ERROR, "the print edition does not identify itself as PDF/A-2b"),
    ("print-trim", ERROR, "a page of the print edition that is not the trim size"),
    ("print-beyond-measure", ERROR, "characters, rules or images of the print edition outside the text block"),
    ("print-title-misplaced", ERROR, "a chapter's title that is not on its opening page in print"),
    ("print-notes-missing", ERROR, "note references or footnotes the print edition does not print"),
    ("print-footnote-off-page", ERROR, "a footnote that starts on another page than its reference"),
    ("print-heading-at-foot", ERROR, "a heading left at a page's foot, apart from the text it heads"),
    ("print-glyph-missing", ERROR, "a character of the print edition that no font of the book has, printed as an empty box"),
    ("print-widow", ERROR, "a paragraph's last line alone at the head of a page"),
    ("print-orphan", ERROR, "a paragraph's first line alone at the foot of a page"),
    ("print-line-alone-for-note", ERROR, "a widow or orphan line kept to hold a footnote on its reference's page, where no page opens before its paragraph"),
    ("print-colour", WARNING, "colour in a black-and-white print interior"),
    ("format-skipped", WARNING, "a format in book.yaml is skipped: its tool is not installed"),
    ("check-fallback", WARNING, "EPUBCheck runs another way than asked (the service did not answer)"),
    ("output-interrupted", WARNING, "an earlier build was killed while putting its files in place"),
    # the other commands
    ("noteref-nowhere", ERROR, "in a finished book (bookbuild notes), a note reference whose link leads nowhere"),
    ("noteref-not-note", ERROR, "in a finished book, a note reference whose link leads to something that is not a note"),
    ("note-no-backlink", ERROR, "in a finished book, a note with no link back to its reference"),
    ("note-unreached", ERROR, "in a finished book, a note that no reference reaches and that links back to none"),
    ("epub-unreadable", ERROR, "a file given to check or preview is not a readable EPUB or AZW3"),
    ("preview-failed", ERROR, "the reading system could not show the book"),
    ("import-unreadable", ERROR, "the text or PDF to import cannot be read"),
)


def code(name: str) -> Code:
    """The registered code ``name``; an unknown one is a bug in bookbuild."""
    if name not in CODES:
        raise AssertionError(f"unregistered problem code {name!r}")
    return CODES[name]
