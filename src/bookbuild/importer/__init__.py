"""Import a print book's text extraction into a bookbuild book directory.

``import_text`` reads the extraction, finds the front matter, the contents
list and the chapters it names, puts every chapter back together (notes out of
the text and attached to their references, paragraphs cut by page breaks
rejoined) and writes book.yaml, one Markdown file per chapter, the front and
back matter in files of their own, and import-report.md listing every place a
person should check.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from slugify import slugify

from ..config import ROLE_CODES
from ..errors import BookbuildError
from ..manuscript import read_text
from .chapters import Chapter, assemble
from .frontmatter import ContentsEntry, FrontMatter, find_contents, read_front_matter
from .markdown import chapter_markdown, plain_markdown
from .report import report_markdown
from .source import Line, normalise_title, read_lines
from .target import check_target


@dataclass(frozen=True)
class ImportResult:
    book_dir: Path
    front: FrontMatter
    chapters: tuple[Chapter, ...]
    missing_chapters: tuple[ContentsEntry, ...]

    @property
    def doubts(self) -> int:
        return len(self.front.doubts) + sum(len(c.doubts) for c in self.chapters) \
            + len(self.missing_chapters)


def _chapter_starts(lines: list[Line], start: int,
                    entries: list[ContentsEntry]) -> tuple[list[int], list[ContentsEntry]]:
    """Where each contents entry's heading stands in the text, in order."""
    found, missing = [], []
    at = start
    for entry in entries:
        key = normalise_title(entry.title)
        hit = next((i for i in range(at, len(lines)) if len(lines[i].text) < 200
                    and normalise_title(lines[i].text) == key), None)
        if hit is None:
            missing.append(entry)
        else:
            found.append(hit)
            at = hit + 1
    return found, missing


def _back_cover_start(lines: list[Line], after: int, title: str) -> int:
    """The back cover repeats the book's title: from its last repetition on."""
    key = normalise_title(title)
    hits = [i for i in range(after + 1, len(lines)) if normalise_title(lines[i].text) == key]
    return hits[-1] if hits else len(lines)


def _colophon_start(lines: list[Line], start: int, end: int, publisher: str | None) -> int:
    """Printer's notes just before the back cover name the publisher: move them out too."""
    if not publisher:
        return end
    i = end
    while i > start and publisher.casefold() in lines[i - 1].text.casefold():
        i -= 1
    return i


def import_text(source: Path, book_dir: Path, language: str = "en",
                force: bool = False) -> ImportResult:
    if not source.is_file():
        raise BookbuildError("no such file", source)
    text = read_text(source)
    lines = read_lines(text)
    if not lines:
        raise BookbuildError("the file is empty", source)
    contents = find_contents(lines)
    if contents is None:
        raise BookbuildError("no contents list found (a line 'Contents' followed by "
                             "'title<TAB>page' lines): cannot tell where chapters start", source)
    heading_at, after_contents, entries = contents
    starts, missing = _chapter_starts(lines, after_contents, entries)
    if not starts:
        raise BookbuildError("none of the contents entries appears as a heading in the text",
                             source, lines[heading_at].number)
    front = read_front_matter(lines[:heading_at] + lines[after_contents:starts[0]])
    back_at = _back_cover_start(lines, starts[-1], front.title or lines[0].text)
    colophon_at = _colophon_start(lines, starts[-1] + 1, back_at, front.publisher)
    ends = starts[1:] + [colophon_at]
    chapters = tuple(assemble(lines[s], lines[s + 1:e]) for s, e in zip(starts, ends))
    if colophon_at < len(lines):
        chapters[-1].doubts.append((lines[colophon_at].number, "back matter starts here (it "
                                    "names the publisher); a printer's note just before it "
                                    "would still be in this chapter"))
    result = ImportResult(book_dir, front, chapters, tuple(missing))
    files = _files(result, lines[colophon_at:])
    files["book.yaml"] = _book_yaml(result, language, files)
    files["import-report.md"] = report_markdown(result, source, len(text.splitlines()))
    _write_directory(book_dir, files, force)
    return result


def _files(result: ImportResult, back: list[Line]) -> dict[str, str]:
    files: dict[str, str] = {}
    front = result.front
    if front.title_lines:
        files["manuscript/00a-title-page.md"] = plain_markdown([ln.text for ln in front.title_lines])
    if front.copyright_lines:
        files["manuscript/00b-copyright.md"] = plain_markdown(
            [ln.text for ln in front.copyright_lines])
    for n, chapter in enumerate(result.chapters, start=1):
        slug = slugify(normalise_title(chapter.title), max_length=40) or "chapter"
        files[f"manuscript/{n:02d}-{slug}.md"] = chapter_markdown(chapter)
    if back:
        files["manuscript/99-back-cover.md"] = plain_markdown([ln.text for ln in back])
    return files


def _book_yaml(result: ImportResult, language: str, files: dict[str, str]) -> str:
    front = result.front
    data: dict = {"title": front.title, "language": language}
    if front.subtitle:
        data["subtitle"] = front.subtitle
    # book.yaml's friendly role names, the first listed for each MARC code.
    roles = {code: name for name, code in reversed(ROLE_CODES.items())}
    data["contributors"] = [
        {"name": p.name, "role": [roles[r] for r in p.roles] if len(p.roles) > 1 else roles[p.roles[0]]}
        for p in front.people] or [{"name": "Unknown", "role": "author"}]
    for key, value in (("publisher", front.publisher), ("date", front.date),
                       ("source-isbn", front.source_isbn), ("rights", front.rights)):
        if value:
            data[key] = value
    chapters = []
    for path in sorted(files):
        name = Path(path).name
        if name.startswith("00a"):
            chapters.append({"file": path, "type": "titlepage", "title": "Title Page"})
        elif name.startswith("00b"):
            chapters.append({"file": path, "type": "copyright-page", "title": "Copyright"})
        elif name.startswith("99"):
            chapters.append({"file": path, "type": "backmatter", "title": "Back Cover"})
        else:
            chapters.append(path)
    data["chapters"] = chapters
    out = io.StringIO()
    out.write("# Written by `bookbuild import`; check it against import-report.md.\n")
    yaml = YAML()
    yaml.width = 100
    yaml.dump(data, out)
    return out.getvalue()


def _write_directory(book_dir: Path, files: dict[str, str], force: bool) -> None:
    """Write everything into a temporary directory, then move it into place."""
    check_target(book_dir, force)
    parent = book_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{book_dir.name}.", dir=parent))
    try:
        for name, content in files.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        if book_dir.exists():
            shutil.rmtree(book_dir)
        os.replace(tmp, book_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
