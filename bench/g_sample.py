"""g. The sample book as an author rebuilds it, each build a fresh
`bookbuild build` process with its checks (all the formats book.yaml asks for,
and the EPUB alone): cold (no cache, no EPUBCheck service running) and warm
(both ready), against Pandoc plus EPUBCheck by hand once per EPUB bookbuild
writes. Targets: warm under 1.5 s; cold <= 1. Also `bookbuild --help`: under
0.3 s."""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

from common import (BOOKBUILD, PROJECT, machine, measure, pandoc_and_epubcheck, report,
                    service_env, stop_services)

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 5


def main() -> None:
    print(machine())
    work = Path(tempfile.mkdtemp())
    book = work / "book"
    shutil.copytree(PROJECT, book, ignore=shutil.ignore_patterns(
        ".git", ".venv", "dist", ".bookbuild-cache", "tests", "bench", "src"))
    folder = work / "run"
    env = service_env(folder)
    probe = subprocess.run([*BOOKBUILD, "build", str(book), "--json", "--no-check"], env=env,
                           capture_output=True, text=True)
    epubs = [a for a in json.loads(probe.stdout)["artifacts"] if a["path"].endswith(".epub")]
    chapters = sorted(str(p) for p in (book / "manuscript").glob("*.md"))
    resources = f"{book}:{book / 'manuscript'}"
    for label, formats in (("book.yaml's formats", []), ("EPUB only", ["-f", "epub"])):
        colds, warms, hands = [], [], []
        checks = len(epubs) if not formats else 1
        for _ in range(REPEATS):  # interleaved
            stop_services(env)
            shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
            colds.append(measure([*BOOKBUILD, "build", str(book), *formats], folder, env=env))
            warms.append(measure([*BOOKBUILD, "build", str(book), *formats], folder, env=env))
            hands.append(pandoc_and_epubcheck(chapters, work / "hand.epub", "Sample", checks,
                                              resources))
        hand = median(w for w, _ in hands)
        print(f"{label} ({checks} EPUB{'s' if checks > 1 else ''} checked):")
        report("g. sample, cold checked build, wall", median(w for w, _ in colds), hand, 1.0)
        report("   sample, warm checked build, wall", median(w for w, _ in warms), hand, 1.0)
        warm = median(w for w, _ in warms)
        print(f"   warm checked build: {warm:.2f} s "
              f"({'meets' if warm < 1.5 else 'MISSES'} target < 1.5 s)")
    helps = [measure([*BOOKBUILD, "--help"])[0] for _ in range(REPEATS)]
    print(f"g. bookbuild --help: {median(helps):.2f} s "
          f"({'meets' if median(helps) < 0.3 else 'MISSES'} target < 0.3 s)")
    stop_services(env)


if __name__ == "__main__":
    main()
