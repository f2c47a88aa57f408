"""i. The note check is linear: one chapter with N notes, read, converted,
numbered and linked (everything a build does per note but zipping and
EPUBCheck), against the same with N/2 notes, in one process. Linear work
doubles with N: the ratio of the times should stay near 2 (a quadratic step
makes it 4). Run with the largest N to test, e.g. ``i_notes.py 100000``."""

import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from common import machine

from bookbuild.epub import links
from bookbuild.build import convert_all, place_notes, read_all
from bookbuild.config import load_config
from bookbuild.source.manuscript import load_manuscript
from bookbuild.notes.plan import plan
from bookbuild.chapters.reading import check_all

LARGEST = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
REPEATS = int(sys.argv[2]) if len(sys.argv) > 2 else 1


def chapter(notes: int) -> str:
    """Labelled and inline notes, a label referenced twice now and then."""
    parts = ["# Notes\n"]
    for i in range(notes):
        if i % 10 == 9:
            parts.append(f"Inline {i}.^[An inline note {i}.]\n")
        elif i % 50 == 7:
            parts.append(f"Again {i}.[^n{i - 1}]\n")
        else:
            parts.append(f"Claim {i}.[^n{i}]\n\n[^n{i}]: Support {i}.\n")
    return "\n".join(parts)


def build_notes(book: Path) -> int:
    config = load_config(book)
    readings = read_all(load_manuscript(config), None, 1)
    check_all(readings)
    converted = convert_all(readings, links.heading_references(readings), config, None, 1)
    plans = plan([c.file for c in converted], [c.note_count for c in converted],
                 config.notes, config.notes_numbering)
    linked = links.resolve(tuple(place_notes(c, p, config.language)
                                 for c, p in zip(converted, plans)))
    return sum(len(c.notes) for c in linked)


def book_with(root: Path, notes: int) -> Path:
    (root / "manuscript").mkdir(parents=True)
    (root / "manuscript" / "01.md").write_text(chapter(notes), encoding="utf-8")
    (root / "book.yaml").write_text("title: Notes\nlanguage: en\nauthor: A\n", encoding="utf-8")
    return root


def main() -> None:
    print(machine())
    work = Path(tempfile.mkdtemp())
    sizes = [LARGEST // 8, LARGEST // 4, LARGEST // 2, LARGEST]
    times = {}
    for n in sizes:
        book = book_with(work / str(n), n)
        runs = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            build_notes(book)
            runs.append(time.perf_counter() - start)
        times[n] = median(runs)
        print(f"{n:>7,} notes: {times[n]:7.2f} s")
    for small, big in zip(sizes, sizes[1:]):
        ratio = times[big] / times[small]
        print(f"i. {big:,} notes vs {small:,}: ratio {ratio:.2f} "
              f"({'linear' if ratio < 2.6 else 'WORSE THAN LINEAR'}; 2 is linear, 4 quadratic)")
    if "--profile" in sys.argv:
        cProfile.runctx("build_notes(book_with(work / 'profile', LARGEST))", globals(), {"work": work}, str(work / "prof"))
        pstats.Stats(str(work / "prof")).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
