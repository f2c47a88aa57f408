"""e. The author's loop on a 1,000-chapter book (about 30 MB of Markdown, 5,000
notes), each build a fresh `bookbuild build` process with its checks: after
editing one chapter, the rebuild (cache and EPUBCheck service warm) against the
book's cold build (no cache, no service running). Target <= 0.1.

The rebuild's check is scoped to what changed (scoped_check.py); that its
verdict is the whole book's is what tests/test_scoped_check.py shows."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

from common import (BOOKBUILD, cold_build, machine, measure, rebuild_bench, report,
                    stop_services)

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 1
CHAPTERS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000


def main() -> None:
    print(machine())
    work = Path(tempfile.mkdtemp())
    book, folder, env, chapter, original = rebuild_bench(work, CHAPTERS)
    colds, warms = [], []
    for r in range(REPEATS):
        colds.append(cold_build(book, folder, env))
        chapter.write_text(original + f"\nAn edit, number {r}.\n", encoding="utf-8")
        warms.append(measure([*BOOKBUILD, "build", str(book)], folder, env=env))
    chapter.write_text(original + "\nOne more edit, untimed.\n", encoding="utf-8")
    result = subprocess.run([*BOOKBUILD, "build", str(book), "--json"], env=env,
                            capture_output=True, text=True)
    check = json.loads(result.stdout)["artifacts"][0]["check"]
    print(f"a rebuild's check, as those timed: {check['fatal']} fatal, {check['error']} errors, "
          f"{check['warning']} warnings ({check['scope']})")
    report("e. one-chapter checked rebuild vs cold checked build, wall",
           median(w for w, _ in warms), median(w for w, _ in colds), 0.1)
    report("   the same, CPU", median(c for _, c in warms), median(c for _, c in colds), 0.1)
    stop_services(env)


if __name__ == "__main__":
    main()
