"""Import a printed book (its PDF, or a text extraction) into a book directory.

``import_book`` reads the source (``pdfsource`` or ``textsource``, both
giving the same ``Line``s), finds the parts and chapters (``structure``: the
PDF's outline, the contents list, the headings, or one chapter), the front
matter before them, puts every chapter back together (notes
out of the text and bound to their references, paragraphs cut by page
breaks rejoined), separates the back matter, and writes book.yaml, one
Markdown file per chapter, the front and back matter in files of their own,
and import-report.md listing every place a person should check, with its
output file and line.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from ruamel.yaml import YAML
from slugify import slugify

from ..config import ROLE_CODES
from ..errors import BookbuildError
from ..lang.printonly import is_print_only
from .chapters import Chapter, assemble
from .pagenotes import notes_to_their_chapters
from .frontmatter import FrontMatter, read_front_matter, without_lines
from .inline import plain
from .markdown import Written, chapter_markdown, inline_markdown, plain_markdown
from ..safety.temporaries import writing
from .report import report_markdown
from .source import Doubt, Line, Source, normalise_title, unmapped
from .structure import ContentsEntry, Structure, as_outlined, book_structures, chapter_starts
from .target import check_target
from .textsource import read_text_source


@dataclass(frozen=True)
class ImportResult:
    book_dir: Path
    source: Source
    front: FrontMatter
    chapters: tuple[Chapter, ...]
    missing_chapters: tuple[ContentsEntry, ...]
    files: dict[str, Written]  # every Markdown file, by its path in the book, in reading order
    paths: tuple[str, ...]  # each chapter's file
    evidence: str  # what told where the chapters start, for the report

    @property
    def doubts(self) -> int:
        return len(self.front.doubts) + sum(len(c.doubts) for c in self.chapters) \
            + len(self.missing_chapters) + len(self.source.doubts)

    def file_of(self, chapter: Chapter) -> str:
        return next(path for path, c in zip(self.paths, self.chapters) if c is chapter)


def _read(source: Path, language: str | None) -> Source:
    """The source's lines; its language, when ``language`` is None, read from its text."""
    if source.suffix.lower() == ".pdf":
        from .pdfsource import read_pdf_source  # PDFium loads only for a PDF
        return read_pdf_source(source, language)
    data = source.read_bytes()
    try:  # not the manuscript reader: an extraction's form feeds mark its pages
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BookbuildError(f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the extraction "
                             "as UTF-8", source, data[:exc.start].count(b"\n") + 1, code="import-unreadable") from None
    found = read_text_source(text, language)
    return replace(found, doubts=found.doubts + unmapped(text))


#: An account of the chapters that finds fewer of its entries in the text than
#: this share is not the book's (a contents list of short titles matches a
#: stray line or two): the next account is tried.
FOUND_SHARE = 0.5


def _account(lines: list[Line], source: Source
             ) -> tuple[Structure, list[tuple[int, ContentsEntry]], list[ContentsEntry]]:
    """The account of the parts and chapters the import follows, with the
    entries found and missing: the strongest whose entries mostly appear as
    headings in the text, else the one of them that finds most; the report
    says which gave way."""
    tried = []
    for structure in book_structures(lines, source.outline, source.folios):
        found, missing = chapter_starts(lines, structure.entries, structure.contents,
                                        source.paged, source.outline, source.folios)
        tried.append((structure, found, missing))
        if not structure.entries or len(found) >= FOUND_SHARE * len(structure.entries):
            break
    chosen = tried[-1]  # the first that found enough, or the last resort, one chapter
    if not chosen[0].entries and (most := max(tried, key=lambda t: len(t[1])))[1]:
        chosen = most  # no account found enough: the one that found most
    weaker = [f"{s.evidence} ({len(f)} of its {len(s.entries)} entries found as headings)"
              for s, f, _ in tried if s is not chosen[0]]
    if weaker:
        chosen = (replace(chosen[0], evidence=f"{chosen[0].evidence}; not "
                          f"{' nor '.join(weaker)}"), *chosen[1:])
    return chosen


def _back_cover_start(lines: list[Line], after: int, title: str) -> int:
    """The back cover repeats the book's title: from its last repetition on."""
    key = normalise_title(title)

    def reads_title(i: int) -> bool:  # the title, set on one line or on two
        text = normalise_title(lines[i].text)
        return text == key or (i + 1 < len(lines) and key.startswith(text + " ")
                               and normalise_title(f"{lines[i].text} {lines[i + 1].text}") == key)

    hits = [i for i in range(after + 1, len(lines)) if reads_title(i)]
    return hits[-1] if hits else len(lines)


def _colophon(lines: list[Line], start: int, end: int, front: FrontMatter) -> list[int]:
    """A printer's colophon closing the last chapter: the lines about the
    printed copy, or naming the publisher, just before the back matter (a
    PDF may set the last page's notes after it: they stay with the chapter)."""
    found = []
    publisher = (front.publisher or "\0").casefold()
    for i in range(end - 1, start - 1, -1):
        if lines[i].kind == "note":
            continue
        if lines[i].kind not in (None, "text") or not (
                is_print_only(plain(lines[i].text))
                or publisher in lines[i].text.casefold()):
            break
        found.append(i)
    return sorted(found)


def import_book(source_path: Path, book_dir: Path, language: str | None = None,
                force: bool = False) -> ImportResult:
    if not source_path.is_file():
        raise BookbuildError("no such file", source_path, code="file-not-found")
    source = _read(source_path, language)
    lines = source.lines
    if not lines:
        raise BookbuildError("the file is empty", source_path, code="import-unreadable")
    structure, found, missing = _account(lines, source)
    starts = [i for i, _ in found]
    if not starts:  # the last resort: one chapter, from its first line after any contents list
        end = (structure.contents or (0, 0))[1]
        starts = [end if end is not None and end < len(lines) else 0]
    parts = {i for i, entry in found if entry.part}
    heading, end = structure.contents or (len(lines), len(lines))
    after = next((s for s in starts if s > heading), len(lines))  # the first chapter after it
    contents = (heading, after if end is None else end)
    # a chapter before the contents list (rule "front matter before the
    # contents") ends at the list, and what stands from there to the next
    # chapter is in none, as it is in none before the first chapter; the
    # front matter is read from all before the text (a preface signed with
    # the author's name)
    between = range(heading, after) if starts[0] < heading < starts[-1] else range(0)
    front_lines = [ln for i, ln in enumerate(lines[:max(starts[0], between.stop)])
                   if not contents[0] <= i < contents[1]] or lines[:1]
    vocabulary = source.vocabulary
    language = language or vocabulary.language
    front = read_front_matter(front_lines, language, *source.document)
    if between:
        front = without_lines(front, frozenset(ln.number for ln in lines[starts[0]:heading]))
    # a back cover sets the title as a chapter's heading: no chapter outside the outline
    cover = normalise_title(front.title or lines[0].text)
    found = [(i, e) for i, e in found if not (e.outside and normalise_title(lines[i].text) == cover)]
    starts = [i for i, _ in found] or starts
    back_at = _back_cover_start(lines, starts[-1], front.title or lines[0].text)
    if contents[0] > starts[-1]:  # a contents list after the text: the e-book has its own
        back_at = min(back_at, contents[0])
    tail = [ln for i, ln in enumerate(lines[back_at:], start=back_at)
            if not contents[0] <= i < contents[1]]
    colophon = _colophon(lines, starts[-1] + 1, back_at, front)
    kept = [i for i in range(back_at) if i not in colophon and i not in between]
    titles = {i: as_outlined(lines[i].text, entry) for i, entry in found} \
        if structure.outlined else {}
    body = [replace(lines[i], text=titles[i]) if i in titles else lines[i] for i in kept]
    is_part = [s in parts for s in starts]
    at = {i: n for n, i in enumerate(kept)}
    starts = [at[s] for s in starts]  # no start is the colophon's or between
    ends = starts[1:] + [len(body)]
    if source.paged:
        body, starts = notes_to_their_chapters(body, starts)
        ends = starts[1:] + [len(body)]
    chapters = tuple(assemble(body[s], body[s + 1:e], vocabulary, source.indents, part=part)
                     for s, e, part in zip(starts, ends, is_part))
    for (i, entry), chapter in zip(found, chapters):
        if entry.outside:
            chapter.doubts.insert(0, Doubt(lines[i].number, "a chapter the outline leaves out: "
                                           "its heading is set and placed as the chapters' are",
                                           0.8))
    files, paths = _files(front, chapters, [lines[i] for i in colophon] + tail)
    result = ImportResult(book_dir, source, front, chapters, tuple(missing), files, paths,
                          structure.evidence)
    texts = {path: w.text for path, w in files.items()}
    texts["book.yaml"] = _book_yaml(result, language, texts)
    texts["import-report.md"] = report_markdown(result, source_path)
    write_directory(book_dir, texts, force)
    return result


def _title_page(front: FrontMatter) -> str:
    """A real title page: the title as its heading, then subtitle, each credit
    and the publisher as elements of their own, then whatever else the title
    pages print (a note on the author, a notice)."""
    out = [f"# {inline_markdown(front.title or '')} {{.unnumbered}}", ""]
    if front.subtitle:
        out += ["::: subtitle", inline_markdown(front.subtitle), ":::", ""]
    for credit in front.credits:
        out += ["::: credit", inline_markdown(credit), ":::", ""]
    if front.publisher:
        out += ["::: publisher", inline_markdown(front.publisher), ":::", ""]
    if front.other_lines:  # set apart from the title's own lines
        out += ["::: about", *(f"{inline_markdown(line.text)}\n" for line in front.other_lines),
                ":::", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _files(front: FrontMatter, chapters: tuple[Chapter, ...],
           back: list[Line]) -> tuple[dict[str, Written], tuple[str, ...]]:
    """Every Markdown file in reading order, and the chapters' own."""
    files: dict[str, Written] = {}
    paths = []
    width = max(2, len(str(len(chapters))))  # names sort in reading order
    if front.title_lines:
        files["manuscript/00a-title-page.md"] = Written(_title_page(front))
    if front.copyright_lines:
        files["manuscript/00b-copyright.md"] = Written(
            plain_markdown([ln.text for ln in front.copyright_lines]))
    for n, chapter in enumerate(chapters, start=1):
        slug = slugify(normalise_title(chapter.title), max_length=40) or "chapter"
        paths.append(f"manuscript/{n:0{width}d}-{slug}.md")
        files[paths[-1]] = chapter_markdown(chapter)
    if back:
        files["manuscript/zz-back-cover.md"] = Written(plain_markdown([ln.text for ln in back]))
    return files, tuple(paths)


def _book_yaml(result: ImportResult, language: str, files: dict[str, str]) -> str:
    front = result.front
    data: dict = {"title": front.title, "language": language}
    if front.subtitle:
        data["subtitle"] = front.subtitle
    # book.yaml's friendly role names, the first listed for each MARC code.
    roles = {code: name for name, code in reversed(ROLE_CODES.items())}
    data["contributors"] = [
        {"name": p.name, "role": [roles[r] for r in p.roles] if len(p.roles) > 1 else roles[p.roles[0]]}
        for p in front.people if p.roles] or [{"name": "Unknown", "role": "author"}]
    for key, value in (("publisher", front.publisher), ("date", front.date),
                       ("source-isbn", front.source_isbn), ("rights", front.rights)):
        if value:
            data[key] = value
    chapters = []
    kinds = {"00a-title-page.md": ("titlepage", "Title Page"),
             "00b-copyright.md": ("copyright-page", "Copyright"),
             "zz-back-cover.md": ("backmatter", "Back Cover")}
    parts = {path for path, chapter in zip(result.paths, result.chapters) if chapter.part}
    for path in files:  # in reading order
        if path.endswith(".md"):
            kind = kinds.get(Path(path).name)
            chapters.append({"file": path, "type": kind[0], "title": kind[1]} if kind
                            else {"file": path, "type": "part"} if path in parts else path)
    data["chapters"] = chapters
    out = io.StringIO()
    out.write("# Written by `bookbuild import`; check it against import-report.md.\n")
    yaml = YAML()
    yaml.width = 100
    yaml.dump(data, out)
    return out.getvalue()


def write_directory(book_dir: Path, files: dict[str, str], force: bool) -> None:
    """Write everything into a temporary directory, then move it into place."""
    check_target(book_dir, force)
    parent = book_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{book_dir.name}.", dir=parent))
    try:
        for name, content in files.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with writing(book_dir / name):
                path.write_text(content, encoding="utf-8")
        if book_dir.exists():
            shutil.rmtree(book_dir)
        os.replace(tmp, book_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
