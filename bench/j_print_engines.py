"""j. The print edition's engine: Typst against WeasyPrint on a 100-chapter book.

Both typeset the same converted chapters (bookbuild's own conversion, done
once): Typst from the Typst that Pandoc's writer makes (bookbuild's print
stage, ``python -m bookbuild.print.engine``), WeasyPrint from the chapters'
XHTML with a print stylesheet doing the same design (trim, margins, running
heads, folios, footnotes at the foot of the page). Each engine runs in a
child process of its own; its wall time and peak memory (the child's own
rusage) are measured, and the page count is read from its PDF.

    python bench/j_print_engines.py [CHAPTERS] [REPEATS]

WeasyPrint is not a dependency of bookbuild: install it to run its half
(``pip install weasyprint``; it needs Pango from the system).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium
from lxml import etree

from common import generated_book, machine

from bookbuild.epub import links
from bookbuild.build import convert_all, place_notes, read_all
from bookbuild.config import load_config
from bookbuild.source.manuscript import load_manuscript
from bookbuild.notes.plan import plan
from bookbuild.print.document import typst_document
from bookbuild.print.engine import FONTS, LAYOUT, MAIN, SETTINGS
from bookbuild.chapters.reading import check_all

XHTML = "http://www.w3.org/1999/xhtml"
CSS = """
@font-face { font-family: "Noto Serif"; src: url("%(fonts)s/NotoSerif[wdth,wght].ttf"); }
@font-face { font-family: "Noto Serif"; font-style: italic;
             src: url("%(fonts)s/NotoSerif-Italic[wdth,wght].ttf"); }
@page { size: 6in 9in; margin: 0.8in 0.6in 0.8in 0.8in;
        @top-center { content: string(chapter); font-size: 8.5pt; font-style: italic; }
        @bottom-center { content: counter(page); font-size: 8.5pt; }
        @footnote { border-top: 0.4pt solid black; } }
@page :left { margin: 0.8in 0.8in 0.8in 0.6in;
              @top-center { content: "A Generated Ledger"; font-style: normal; } }
@page :blank { @top-center { content: none; } @bottom-center { content: none; } }
html { font-family: "Noto Serif"; font-size: 10pt; line-height: 1.35; hyphens: auto; }
p { margin: 0; text-align: justify; text-indent: 1.2em; }
h1 + p { text-indent: 0; }
section.chapter { break-before: right; }
h1 { string-set: chapter content(); font-size: 16pt; font-weight: normal; margin: 1.2in 0 2.2em; }
.fn { float: footnote; font-size: 8pt; text-indent: 0; }
::footnote-call { font-size: 60%%; vertical-align: super; }
"""


def child(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return took, usage.ru_maxrss / 1024


def converted(book: Path):
    config = load_config(book)
    manuscript = load_manuscript(config)
    readings = read_all(manuscript, None, 2)
    check_all(readings)
    chapters = convert_all(readings, links.heading_references(readings), config, None, 2, True)
    plans = plan([c.file for c in chapters], [c.note_count for c in chapters], config.notes,
                 config.notes_numbering)
    linked = links.resolve(tuple(place_notes(c, p, config.language)
                                 for c, p in zip(chapters, plans)))
    return config, linked, plans


def weasy_html(linked, folder: Path) -> Path:
    """The chapters' XHTML in one document, each note as a footnote where it is referenced."""
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML})
    head = etree.SubElement(html, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}style").text = CSS % {"fonts": FONTS.as_uri()}
    body = etree.SubElement(html, f"{{{XHTML}}}body")
    for conv in linked:
        section = conv.tree()
        notes = {li.get("id"): li for li in (conv.notes_tree() if conv.notes_list else ())}
        for sup in list(section.iter(f"{{{XHTML}}}sup")):
            link = sup.find(f"{{{XHTML}}}a")
            note = notes.pop(link.get("href").lstrip("#"), None) if link is not None else None
            if note is None:
                continue
            span = etree.Element(f"{{{XHTML}}}span", {"class": "fn"})
            span.text = " ".join("".join(note.itertext()).split()[1:])
            span.tail = sup.tail
            sup.getparent().replace(sup, span)
        body.append(section)
    path = folder / "book.html"
    path.write_bytes(etree.tostring(html, method="html", encoding="utf-8"))
    return path


def pages(pdf: Path) -> int:
    doc = pdfium.PdfDocument(pdf)
    count = len(doc)
    doc.close()
    return count


def main() -> None:
    chapters = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(machine())
    with tempfile.TemporaryDirectory(prefix="bench-print-") as tmp:
        folder = Path(tmp)
        book = generated_book(folder / "book", chapters=chapters, notes_per_chapter=20,
                              paragraphs=25)
        (book / "book.yaml").write_text("title: A Generated Ledger\nlanguage: en\n"
                                        "author: Bench Mark\nprint: {trim: 6x9in}\n")
        config, linked, plans = converted(book)
        words = sum(len("".join(c.tree().itertext()).split()) for c in linked)
        notes = sum(c.note_count for c in linked)
        print(f"{chapters} chapters, {words:,} words, {notes:,} notes; trim 6x9in")
        doc = typst_document(config, linked, plans, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
        root = folder / "typst"
        root.mkdir()
        (root / MAIN).write_text(doc.source, encoding="utf-8")
        (root / SETTINGS).write_text(doc.settings, encoding="utf-8")
        rows = []
        typst_runs = []
        for _ in range(repeats):
            for leftover in ("book.pdf", LAYOUT):
                (root / leftover).unlink(missing_ok=True)
            typst_runs.append(child([sys.executable, "-m", "bookbuild.print.engine", str(root), "0"],
                                    root))
        rows.append(("Typst (bookbuild.print.engine: compile and layout query)", typst_runs,
                     pages(root / "book.pdf")))
        try:
            import weasyprint  # noqa: F401
        except (ImportError, OSError) as exc:
            print(f"WeasyPrint skipped: {exc}")
        else:
            html = weasy_html(linked, folder)
            runs = [child([sys.executable, "-c", "import sys, weasyprint; "
                           "weasyprint.HTML(sys.argv[1]).write_pdf(sys.argv[2])",
                           str(html), str(folder / "weasy.pdf")], folder)
                    for _ in range(max(1, repeats - 2))]
            rows.append((f"WeasyPrint {weasyprint.__version__}", runs, pages(folder / "weasy.pdf")))
        base = statistics.median(t for t, _ in rows[0][1])
        for name, runs, count in rows:
            wall = statistics.median(t for t, _ in runs)
            rss = max(m for _, m in runs)
            print(f"{name}: {wall:.1f} s (median of {len(runs)}, ratio {wall / base:.2f}), "
                  f"peak {rss:,.0f} MB, {count} pages")


if __name__ == "__main__":
    main()
