"""k. Import accuracy: errors per 100 paragraphs and per 100 notes, and how
well import-report.md points at them (precision and recall), against known
truth: generated books (set in Typst as PDFs, and as text extractions of
their pages in every layout), the sample book, and the seed book against its
audited truth (tests/data/seed_truth.json; needs ../shared beside the clone,
or BOOKBUILD_SHARED).

    python k_import_accuracy.py [SEEDS]     # SEEDS generated books per cell (default 2)

An error is a truth paragraph (or heading) not found as such in the import,
or a note whose text or reference place differs. A flag is right when it
points at a block the import got wrong; recall is the share of wrong blocks
that a flag points at.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bookbuild.importer import import_book  # noqa: E402
from common import PROJECT, machine  # noqa: E402
from pdfgen.compare import Errors, compare, compare_fingerprints  # noqa: E402
from pdfgen.layout import LAYOUTS, PER_PAGE, Layout  # noqa: E402
from pdfgen.model import generate  # noqa: E402
from pdfgen.roundtrip import STYLES, import_printed  # noqa: E402
from pdfgen.sample import sample_book  # noqa: E402

SEEDS = int(sys.argv[1]) if len(sys.argv) > 1 else 2


def one(book, layout: Layout, style: str, tmp: Path) -> Errors:
    return compare(book, import_printed(book, layout, style, tmp))


def row(name: str, errors: Errors) -> str:
    def share(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}"
    return (f"| {name} | {errors.paragraphs} | {errors.notes} | {errors.paragraph_errors} "
            f"| {errors.note_errors} | {errors.heading_errors} | {errors.per_100_paragraphs:.2f} "
            f"| {errors.per_100_notes:.2f} | {errors.flags} | {share(errors.precision)} "
            f"| {share(errors.recall)} |")


def main() -> None:
    print(machine())
    print("| books | paragraphs | notes | paragraph errors | note errors | heading errors "
          "| per 100 paragraphs | per 100 notes | flags | precision | recall |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    tmp = Path(tempfile.mkdtemp(prefix="bookbuild-import-bench-"))
    try:
        counter = 0
        for style in STYLES:
            for language in ("en", "de", "fr"):
                total = Errors()
                layouts = LAYOUTS + (PER_PAGE,)
                for seed in range(SEEDS):
                    book = generate(100 + seed, chapters=5, language=language)
                    for layout in layouts:
                        counter += 1
                        total.add(one(book, layout, style, tmp / str(counter)))
                print(row(f"generated, {language}, {style}: {SEEDS} books × {len(layouts)} "
                          "layouts", total))
            big = Errors()
            for language in ("en", "de", "fr"):
                counter += 1
                book = generate(11, chapters=100, paragraphs=(3, 6), notes=0.6,
                                language=language)
                big.add(one(book, PER_PAGE, style, tmp / str(counter)))
            print(row(f"generated 100-chapter books (en, de, fr), {style}", big))
            counter += 1
            print(row(f"sample book, {style}", one(sample_book(PROJECT), LAYOUTS[0], style,
                                                   tmp / str(counter))))
        shared = Path(os.environ.get("BOOKBUILD_SHARED", PROJECT.parent / "shared"))
        seed = shared / "seed" / "000_565b5a36cf94700f.txt"
        if seed.is_file():
            truth = json.loads((PROJECT / "tests/data/seed_truth.json").read_text("utf-8"))
            import_book(seed, tmp / "seed")
            print(row("seed book (text extraction) against its audit",
                      compare_fingerprints(truth, tmp / "seed")))
        else:
            print(f"(the seed book is not at {seed}: set BOOKBUILD_SHARED)")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
