"""m. Importing real printed books (../shared/corpus/import-real, or
BOOKBUILD_SHARED/corpus/import-real): errors per 100 paragraphs and per 100
notes against the truth made from their LaTeX, by kind (tests/importscore.py
says how each is counted), with the time and peak memory of each import.

    python m_import_real.py [REPEATS]     # imports per book for the time (default 1)

Each book is imported from its PDF, and from its ``pdftotext`` extraction
(plain and ``-layout``) when poppler is installed: an import that stops is
shown with its exit and message. Time (wall, and CPU: user and system) is
the median of REPEATS imports, each in its own process; the ratios compare
the CPU time, the wall time and the peak memory with issue #26's target for
a 500-page PDF (20 s, 800 MB), scaled to the book's pages. On shared cores
the CPU time is the import's own and the wall time the machine's load too:
the CPU ratio says whether the code meets the target, the wall ratio whether
this run did.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from common import BOOKBUILD, PROJECT, machine  # noqa: E402
from importscore import BODY_KINDS, NOTE_KINDS, REAL_BOOKS  # noqa: E402

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 1
SHARED = Path(os.environ.get("BOOKBUILD_SHARED", PROJECT.parent / "shared"))
CORPUS = SHARED / "corpus" / "import-real"
TARGET_S, TARGET_MB, TARGET_PAGES = 20.0, 800.0, 500


def imported(source: Path, out: Path) -> tuple[float, float, float, int, str]:
    """Wall seconds, CPU seconds, peak resident MB, exit status and last
    stderr line of one import, in a process of its own (wait4 gives that
    process's own CPU and peak)."""
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    proc = subprocess.Popen([*BOOKBUILD, "import", str(source), "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    proc.stderr.close()
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    last = (err.strip().splitlines() or [""])[-1]
    return (took, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode,
            last.split(f"{source}: ", 1)[-1])


def pages(pdf: Path) -> int:
    import pypdfium2
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def main() -> None:
    print(machine())
    if not CORPUS.is_dir():
        sys.exit(f"no corpus at {CORPUS}: set BOOKBUILD_SHARED")
    tmp = Path(tempfile.mkdtemp(prefix="bookbuild-import-real-"))
    try:
        print("| book | source | exit | CPU s (median) | ratio to target | s (median) "
              "| ratio to target | peak MB | ratio to target | paragraphs | errors /100 ¶ | notes "
              "| errors /100 notes | structure |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        kinds = {}
        for book in REAL_BOOKS:
            pdf = CORPUS / book.name / book.pdf
            n = pages(pdf)
            sources = [("pdf", pdf)]
            if shutil.which("pdftotext"):
                for style, flags in (("pdftotext", []), ("pdftotext -layout", ["-layout"])):
                    text = tmp / f"{book.name}-{len(sources)}.txt"
                    subprocess.run(["pdftotext", "-enc", "UTF-8", *flags, str(pdf), str(text)],
                                   check=True)
                    sources.append((style, text))
            for style, source in sources:
                out = tmp / "out"
                runs = [imported(source, out) for _ in range(REPEATS)]
                took = statistics.median(r[0] for r in runs)
                cpu = statistics.median(r[1] for r in runs)
                peak = max(r[2] for r in runs)
                status, message = runs[-1][3], runs[-1][4]
                budget_s, budget_mb = TARGET_S * n / TARGET_PAGES, TARGET_MB * n / TARGET_PAGES
                cells = [book.name, style, str(status), f"{cpu:.1f}", f"{cpu / budget_s:.2f}",
                         f"{took:.1f}", f"{took / budget_s:.2f}", f"{peak:.0f}",
                         f"{peak / budget_mb:.2f}"]
                if status == 0:
                    score = book.score(CORPUS, out)
                    kinds[(book.name, style)] = score
                    cells += [str(score.paragraphs), f"{score.per_100_paragraphs:.1f}",
                              str(score.notes), f"{score.per_100_notes:.1f}",
                              str(score.kinds["structure"])]
                else:
                    cells += ["—", f"stopped: {message[:80]}", "—", "—", "—"]
                print("| " + " | ".join(cells) + " |", flush=True)
        print()
        names = list(kinds)
        print("| kind | " + " | ".join(f"{b} ({s})" for b, s in names) + " |")
        print("|---|" + "---|" * len(names))
        for kind in BODY_KINDS + NOTE_KINDS + ("structure",):
            print(f"| {kind} | " + " | ".join(str(kinds[k].kinds[kind]) for k in names) + " |")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
