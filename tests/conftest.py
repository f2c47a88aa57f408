"""Shared helpers: write small books into temp dirs, open built EPUBs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import textwrap
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from bookbuild import BuildOptions, build_book
from bookbuild.epub.reader import read_package
from bookbuild.checks import java as javaruntime
from bookbuild.checks import service as check_service
from bookbuild.checks.epubcheck import CheckResult, jar_path, parse_report

PROJECT = Path(__file__).resolve().parents[1]
NS = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/"}


def write_book(root: Path, chapters: dict[str, str], config: str | None = None) -> Path:
    """A book directory with ``manuscript/<name>`` files and a book.yaml."""
    (root / "manuscript").mkdir(parents=True, exist_ok=True)
    for name, text in chapters.items():
        (root / "manuscript" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    if config is None:
        config = "title: Test Book\nlanguage: en\nauthor: A. Writer\n"
    (root / "book.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    return root


class Epub:
    """A built EPUB opened for assertions: files by name, XHTML as lxml trees."""

    def __init__(self, path: Path):
        self.path = path
        with zipfile.ZipFile(path) as zf:
            self.names = zf.namelist()
            self.infos = zf.infolist()
            self.files = {n: zf.read(n) for n in self.names}
            self.package = read_package(zf)
        self.opf = self.package.opf

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.files[name])

    def spine(self) -> list[str]:
        """The spine's documents as the OPF names them (relative to it)."""
        return [i.href for i in self.package.spine]

    def chapters(self) -> list[str]:
        """Chapter documents in reading order (not the cover page or the nav)."""
        return [f"EPUB/{h}" for h in self.spine() if re.match(r"text/c\d+-", h)]

    def note_text(self, doc: str, number: int) -> str:
        li = self.xml(doc).find(f".//h:li[@id='note-{number}']", NS)
        return " ".join("".join(li.itertext()).split())


EPOCH = 1700000000  # the fixed build date of reproducible test builds


def build_epub(book: Path, out: Path, formats: tuple[str, ...] = ("epub",),
               check: bool = True) -> tuple:
    """``book`` built into ``out`` at a fixed date: the report and its EPUB,
    opened. Checked, the EPUB must pass EPUBCheck clean; a rebuild that only
    compares bytes with a checked one skips EPUBCheck (the bytes were checked)."""
    report = build_book(book, BuildOptions(out_dir=out, check=check, source_date_epoch=EPOCH,
                                           formats=formats))
    if check:
        found = report.artifact("epub").check
        assert (found.fatal, found.error, found.warning) == (0, 0, 0), \
            [str(m) for m in found.messages]
    return report, Epub(report.artifact("epub").path)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The sample book, built once with EPUBCheck, shared by the end-to-end tests."""
    out = tmp_path_factory.mktemp("sample-dist")
    report = build_book(PROJECT, BuildOptions(out_dir=out, check=True, source_date_epoch=1700000000))
    return report, Epub(report.artifact("epub").path)


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test its own (empty) cache directory: builds never share entries by accident."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def checker() -> check_service.Client:
    """A client of the user's checker, as a run gets one (``Runtime.checker``)."""
    return check_service.Client(keep=False)


def command_line_check(path: Path) -> CheckResult:
    """EPUBCheck's own command line: what the checker's answers are compared with."""
    proc = subprocess.run([javaruntime.java(), "-jar", str(jar_path()), str(path), "--json", "-",
                           "-q"], capture_output=True, timeout=300)
    return parse_report(json.loads(proc.stdout))


def pytest_configure(config):
    """Builds outside a test's own fixture (the shared sample build) get a cache
    directory of the run's own, never the user's; every command under test
    checks as users' do, through a checker in a runtime folder of the run's own,
    stopped when the run ends."""
    config._bookbuild_cache = tempfile.TemporaryDirectory(prefix="bookbuild-test-cache-")
    os.environ["XDG_CACHE_HOME"] = config._bookbuild_cache.name
    config._bookbuild_runtime = tempfile.TemporaryDirectory(prefix="bookbuild-test-run-")
    os.environ["BOOKBUILD_RUNTIME_DIR"] = config._bookbuild_runtime.name


def pytest_unconfigure(config):
    config._bookbuild_cache.cleanup()
    for sock in Path(config._bookbuild_runtime.name).glob("checker-*.sock"):
        check_service.stop(sock)
    config._bookbuild_runtime.cleanup()


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/ from this build instead of comparing with it.")
    parser.addoption("--update-import-scores", action="store_true",
                     help="Record the real books' import scores in "
                          "tests/data/import_real_scores.json instead of holding the import to them.")
