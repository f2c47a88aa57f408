"""Hostile and careless input, one case per problem of the security audit (issue 17).

Every case is judged by its outcome, the way an attacker's or a careless
user's run would end: the exit status, one line naming the file (and line),
nothing read or written outside the book and its output directory, no
temporary file left, and a bound on the time taken (a safety limit, not a
speed test: a case that hangs fails instead of hanging CI).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from bookbuild import BuildOptions, pandoc
from bookbuild.safety import limits
from bookbuild.cli import main
from bookbuild.runs.watch import watch

from conftest import Epub, write_book
from test_cover import _png_header_only

CONFIG = "title: T\nlanguage: en\nauthor: A\n"
IMPORTABLE = "The Book\n\nContents\nOne\t1\n\nOne\n\nA paragraph of the first chapter.\n"
BOUND = 60  # seconds: every case ends well within this on a busy 2-core machine


@dataclass
class Run:
    code: int
    lines: list[str]  # stderr
    stdout: str
    seconds: float


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """``tmp_path`` holds the book and, beside it, a decoy the build must never
    touch; the system temp directory is private, so leftovers are seen."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("SECRET-TEXT\n")
    Image.new("RGB", (4, 4)).save(tmp_path / "outside" / "pic.png")
    (tmp_path / "outside" / "book.txt").write_text(IMPORTABLE)
    systmp = tmp_path / "systmp"
    systmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(systmp))
    monkeypatch.setenv("TMPDIR", str(systmp))
    monkeypatch.chdir(tmp_path)
    before = _outside(tmp_path)
    yield tmp_path  # each command's runtime ends its Pandoc workers and their scratch folders
    assert _outside(tmp_path) == before, "something was written outside the book"
    assert not list(systmp.iterdir()), f"temporary files left: {list(systmp.iterdir())}"


def _outside(root: Path) -> dict[str, bytes | None]:
    """Everything under ``root`` but the book, with contents (the test's own
    cache and temp directories aside)."""
    return {str(p.relative_to(root)): p.read_bytes() if p.is_file() and not p.is_symlink() else None
            for p in root.rglob("*")
            if not {"book", "xdg-cache", "systmp", "limits.yaml"} & set(p.relative_to(root).parts[:1])}


@pytest.fixture
def tight(tmp_path, monkeypatch):
    """Set some limits (as a trusted catalog would, through BOOKBUILD_LIMITS)."""
    def apply(**values: int) -> None:
        file = tmp_path / "limits.yaml"
        file.write_text("".join(f"{k.replace('_', '-')}: {v}\n" for k, v in values.items()))
        monkeypatch.setenv(limits.ENVIRONMENT, str(file))

    return apply


def bb(*args: str | Path) -> Run:
    start = time.perf_counter()
    result = CliRunner().invoke(main, [str(a) for a in args])
    seconds = time.perf_counter() - start
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert seconds < BOUND
    return Run(result.exit_code, result.stderr.splitlines(), result.stdout, seconds)


def refused(run: Run, *words: str, code: str | None = None) -> str:
    """Exit 2 with one line, holding ``words`` (and ending with ``code``); the line."""
    assert run.code == 2, (run.code, run.lines)
    assert len(run.lines) == 1 and run.lines[0].startswith("bookbuild: error: "), run.lines
    assert all(w in run.lines[0] for w in words), run.lines[0]
    assert code is None or run.lines[0].endswith(f" [{code}]"), run.lines[0]
    return run.lines[0]


def book(root: Path, chapters: dict[str, str] | None = None, config: str = CONFIG) -> Path:
    return write_book(root / "book", chapters or {"01.md": "# One\n\nText.\n"}, config)


def epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())


# --- reading outside the book ------------------------------------------------

@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_a_chapter_linked_to_a_file_outside_is_refused(sandbox, cache):
    b = book(sandbox)
    (b / "manuscript" / "02.md").symlink_to(sandbox / "outside" / "secret.txt")
    refused(bb("build", b, "--no-check", *cache), "02.md", "outside the book directory",
            code="file-outside-book")
    assert not (b / "dist").exists()


def test_a_link_inside_the_book_is_followed(sandbox):
    b = book(sandbox)
    (b / "shared").mkdir()
    (b / "shared" / "two.md").write_text("# Two\n\nShared text.\n")
    (b / "manuscript" / "02.md").symlink_to(b / "shared" / "two.md")
    assert bb("build", b, "--no-check").code == 0


def test_a_fifo_chapter_is_refused_at_once(sandbox):
    b = book(sandbox)
    os.mkfifo(b / "manuscript" / "02.md")
    run = bb("build", b, "--no-check")
    refused(run, "02.md", "not a regular file", code="file-not-regular")
    assert run.seconds < 20


def test_a_fifo_named_in_book_yaml_is_refused(sandbox):
    b = book(sandbox, config=CONFIG + "chapters: [manuscript/01.md, pipe.md]\n")
    os.mkfifo(b / "pipe.md")
    refused(bb("build", b, "--no-check"), "book.yaml:4", "not a regular file",
            code="file-not-regular")


def test_an_image_linked_outside_is_not_found(sandbox):
    b = book(sandbox, {"01.md": "# One\n\n![A picture](pic.png)\n"})
    (b / "manuscript" / "pic.png").symlink_to(sandbox / "outside" / "pic.png")
    refused(bb("build", b, "--no-check"), "01.md:3", "image not found: pic.png",
            code="image-missing")


# --- writing outside the output directory ------------------------------------

@pytest.mark.parametrize("slug", ["../../../../x", "/tmp/x", "a/b", ".hidden", ".."])
def test_a_slug_is_a_file_name_not_a_path(sandbox, slug):
    b = book(sandbox, config=CONFIG + f"slug: '{slug}'\n")
    refused(bb("build", b, "--no-check"), "book.yaml:4", "'slug' must be a plain file name")
    assert not (b / "dist").exists()


def test_output_in_a_file_or_a_folder_named_like_the_output(sandbox):
    b = book(sandbox)
    (b / "afile").write_text("x")
    refused(bb("build", b, "--no-check", "-o", b / "afile"), "cannot write")
    refused(bb("build", b, "--no-check", "-o", b / "afile" / "sub"), "cannot write")
    (b / "dist" / "t.epub").mkdir(parents=True)
    refused(bb("build", b, "--no-check"), "t.epub", "cannot write")
    assert [p.name for p in (b / "dist").iterdir()] == ["t.epub"]  # no temporaries left


# --- bounded work ------------------------------------------------------------

def test_a_billion_laughs_svg_is_refused_before_epubcheck(sandbox):
    b = book(sandbox, {"01.md": "# One\n\n![Laughs](lol.svg)\n"})
    entities = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};'
                       f'&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 10))
    (b / "manuscript" / "lol.svg").write_text(
        f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY l0 "lol">{entities}]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&l9;</text></svg>')
    refused(bb("build", b), "01.md:3", "declares a DTD", code="svg-invalid")


def test_an_svg_with_a_script_is_active_content(sandbox):
    b = book(sandbox, {"01.md": "# One\n\n![Drawing](s.svg)\n"})
    (b / "manuscript" / "s.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    refused(bb("build", b, "--no-check"), "01.md:3", "active content", code="active-content")


def _alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_in_a_chapter_never_reaches_pandoc(sandbox):
    b = book(sandbox, {"01.md": "# One\n\nText.\n\n---\n" + _alias_bomb(8) + "...\n"})
    run = bb("build", b, "--no-check")
    refused(run, "01.md:5", "aliases", code="limit-exceeded")
    assert run.seconds < 10


def test_a_few_yaml_aliases_in_a_chapter_are_fine(sandbox):
    b = book(sandbox, {"01.md": "---\nbase: &b [x, y]\nagain: *b\n---\n\n# One\n\nText.\n"})
    assert bb("build", b, "--no-check").code == 0


def test_a_yaml_alias_bomb_in_book_yaml_is_refused(sandbox):
    b = book(sandbox, config=CONFIG + _alias_bomb(9))
    run = bb("build", b, "--no-check")
    refused(run, "book.yaml:4", "anchors and aliases", code="yaml-unsafe")
    assert run.seconds < 10


def test_a_zip_bomb_is_refused_before_it_is_checked_or_inspected(sandbox, tight):
    tight(zip_expanded_mb=4)  # the default 1,024 MB would need a 1 GB bomb
    bomb = sandbox / "book" / "bomb.epub"
    bomb.parent.mkdir()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        with zf.open("EPUB/big.xhtml", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(5):  # 5 MB expanded, about 5 KB compressed
                f.write(block)
    assert bomb.stat().st_size < 64 << 10
    for command in ("check", "notes"):
        run = bb(command, bomb)
        refused(run, "bomb.epub", "expands to 5 MB, more than the limit of 4 MB", code="limit-exceeded")
        assert run.seconds < 10


def _epub_of(sandbox: Path, name: str, entries: dict[str, str]) -> Path:
    epub = sandbox / "book" / name
    epub.parent.mkdir()
    with zipfile.ZipFile(epub, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
        for entry, text in entries.items():
            zf.writestr(entry, text)
    return epub


def test_entities_inside_an_epub_are_refused_before_epubcheck(sandbox):
    epub = _epub_of(sandbox, "lol.epub", {
        "EPUB/a.xhtml": '<!DOCTYPE html [<!ENTITY a "aaaa">]><html>&a;</html>'})
    refused(bb("check", epub), "a.xhtml declares XML entities", code="limit-exceeded")


def test_a_zip_slip_epub_writes_nothing(sandbox):
    epub = _epub_of(sandbox, "slip.epub", {"../../../outside/evil.txt": "pwned",
                                           "/abs/evil.txt": "pwned"})
    for command in ("check", "notes"):
        assert bb(command, epub).code in (1, 2)


@pytest.mark.parametrize("text, words", [
    ("# One\n\nA\x01B\n", ["01.md:3", "control character U+0001"]),
    ("# One\n\n" + "> " * 10_000 + "deep\n", ["01.md:3", "nested quotes or lists"]),
    ("# One\n\n" + "*_" * 600 + "a" + "_*" * 600 + "\n", ["01.md", "nests more than"]),
    ("# One\n\n" + "<div>" * 5000 + "x" + "</div>" * 5000 + "\n", ["01.md", "nests more than"]),
])
def test_text_that_would_crash_a_parser_is_one_clear_error(sandbox, text, words):
    b = book(sandbox, {"01.md": text})
    refused(bb("build", b, "--no-check"), *words)


def test_a_50_mb_line_is_refused_before_pandoc(sandbox):
    b = book(sandbox, {"01.md": "# One\n\n" + "word " * 10_000_000 + "\n"})
    run = bb("build", b, "--no-check")
    refused(run, "01.md:3", "characters, more than the limit", code="limit-exceeded")
    assert run.seconds < 30


def _nested_spans(levels: int) -> str:
    """Bracketed spans in spans: Pandoc's time grows exponentially with the depth
    (14 levels take it about 17 s)."""
    text = "x"
    for _ in range(levels):
        text = f"[{text}]{{.c}}"
    return text


def test_pandoc_is_stopped_at_its_time_limit(sandbox, tight):
    tight(pandoc_seconds=2)
    b = book(sandbox, {"01.md": "# One\n\n" + _nested_spans(18) + "\n"})
    run = bb("build", b, "--no-check")
    refused(run, "01.md", "Pandoc ran longer than 2 s", "pandoc-seconds", code="limit-exceeded")
    assert run.seconds < 15


def test_a_chapter_too_big_for_pandocs_heap_ends_within_the_limits(sandbox, tight):
    """Pandoc's heap cannot grow past pandoc-memory-mb (64 MB is its floor); a
    worker then collects garbage without end, and the time limit ends it."""
    tight(pandoc_memory_mb=64, pandoc_seconds=8)
    notes = "".join(f"Claim {i}.[^n{i}]\n\n[^n{i}]: Support {i}.\n\n" for i in range(40_000))
    b = book(sandbox, {"01.md": "# One\n\n" + notes})
    run = bb("build", b, "--no-check")
    line = refused(run, "01.md", "Pandoc")
    assert "pandoc-seconds" in line or "pandoc-memory-mb" in line
    assert run.seconds < 40


def test_a_bad_limits_file_is_one_clear_error(sandbox, tight, monkeypatch):
    file = sandbox / "limits.yaml"
    file.write_text("pandoc-seconds: 0\n")
    monkeypatch.setenv(limits.ENVIRONMENT, str(file))
    refused(bb("build", book(sandbox), "--no-check"), "limits.yaml:1", "above 0",
            code="config-value")


def test_a_missing_pandoc_is_one_line(sandbox, monkeypatch):
    import pypandoc

    def missing():
        raise OSError("No pandoc was found")

    monkeypatch.setattr(pypandoc, "get_pandoc_path", missing)
    for cached in (pandoc.executable, pandoc.version):
        cached.cache_clear()
    try:
        refused(bb("build", book(sandbox), "--no-check"), "Pandoc is missing", code="tool-missing")
    finally:
        for cached in (pandoc.executable, pandoc.version):
            cached.cache_clear()


# --- images ------------------------------------------------------------------

def _jpeg(**save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG", **save)
    return out.getvalue()


@pytest.mark.parametrize("name, data, words", [
    ("huge.png", _png_header_only(30_000, 30_000), ["too many pixels", "image-pixels"]),
    ("cut.jpg", _jpeg()[:400], ["cannot be read"]),
    ("fake.png", _jpeg(), ["is a JPEG file named .png"]),
    ("text.png", b"not an image at all", ["not an image"]),
])
def test_bad_chapter_images_are_refused(sandbox, name, data, words):
    b = book(sandbox, {"01.md": f"# One\n\nText.\n\n![A picture]({name})\n"})
    (b / "manuscript" / name).write_bytes(data)
    refused(bb("build", b, "--no-check"), "01.md:5", name, *words)


def test_image_metadata_is_stripped_and_names_with_spaces_are_found(sandbox):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # camera make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    b = book(sandbox, {"01.md": "# One\n\n![Red](a b.jpg)\n\n![Red again](c.png)\n"})
    (b / "manuscript" / "a b.jpg").write_bytes(_jpeg(exif=exif, quality=80))
    png = Image.new("RGB", (8, 8))
    info = __import__("PIL.PngImagePlugin", fromlist=["PngInfo"]).PngInfo()
    info.add_text("Comment", "GPS 51.5N")
    png.save(b / "manuscript" / "c.png", pnginfo=info, exif=exif)
    run = bb("build", b)
    assert run.code == 0, run.lines
    epub = Epub(b / "dist" / "t.epub")
    images = {n: d for n, d in epub.files.items() if n.startswith("EPUB/images/manuscript/")}
    assert len(images) == 2 and not any(" " in n for n in images)
    for data in images.values():
        assert b"SpyCam" not in data and b"GPS" not in data and b"Exif" not in data
        with Image.open(io.BytesIO(data)) as im:
            assert im.size in ((64, 48), (8, 8)) and not im.getexif()


def test_a_cover_bomb_is_refused(sandbox):
    b = book(sandbox, config=CONFIG + "cover: cover.png\n")
    (b / "cover.png").write_bytes(_png_header_only(60_000, 60_000))
    refused(bb("build", b, "--no-check"), "cover.png", "too many pixels", code="limit-exceeded")


# --- active content ----------------------------------------------------------

@pytest.mark.parametrize("html, what", [
    ("<script>alert(1)</script>", "<script>"),
    ('<p onclick="steal()">Tap</p>', "onclick="),
    ('<a href=" JavaScript:steal()">x</a>', "javascript: URL"),
    ('[x](javascript:steal())', "javascript: URL"),
    ('<iframe src="https://example.org"></iframe>', "<iframe>"),
    ('<form action="https://example.org"><input name="q"></form>', "<form>"),
    ('<object data="x.swf"></object>', "<object>"),
    ('<embed src="x.swf">', "<embed>"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:x()"><text>t</text></a></svg>',
     "javascript: URL"),
])
def test_active_content_is_an_error_with_its_line(sandbox, html, what):
    b = book(sandbox, {"01.md": f"# One\n\nText.\n\n{html}\n"})
    for check in ([], ["--no-check"]):
        refused(bb("build", b, *check), "01.md:5", what, "--trust scripts")
    assert not (b / "dist").exists()


def test_a_trusted_book_keeps_scripts_as_scripted_content(sandbox):
    b = book(sandbox, {"01.md": "# One\n\n<script>console.log(1)</script>\n\n"
                                "<button onclick=\"go()\">Go</button>\n"})
    run = bb("build", b, "--trust", "scripts")
    assert run.code == 0, run.stdout  # EPUBCheck passes: the scripted property is declared
    epub = Epub(b / "dist" / "t.epub")
    item = epub.opf.find(".//opf:item[@href='text/c01-01.xhtml']",
                         {"opf": "http://www.idpf.org/2007/opf"})
    assert "scripted" in item.get("properties").split()
    assert "<script>" in epub.files["EPUB/text/c01-01.xhtml"].decode()


def test_html_comments_never_reach_the_book(sandbox):
    b = book(sandbox, {"01.md": "# One\n\n<!-- editor: pay the author less -->\n\n"
                                "Text <!-- inline secret --> here.\n"})
    assert bb("build", b, "--no-check").code == 0
    text = epub_text(b / "dist" / "t.epub")
    assert "secret" not in text and "pay the author" not in text and "Text  here." in text


# --- the cache ---------------------------------------------------------------

def test_a_forged_cache_in_the_book_is_never_read(sandbox):
    from bookbuild.cache import chapters as cache
    from bookbuild.cache.files import user_cache_dir

    b = book(sandbox)
    assert bb("build", b, "--no-check").code == 0
    honest = (b / "dist" / "t.epub").read_bytes()
    entries = list((user_cache_dir() / "chapters").glob("*.json"))
    assert entries and not (b / ".bookbuild-cache").exists()
    # The audit's forgery: an entry with the script in it and its checksum recomputed,
    # placed where the cache used to live, in the book.
    entry = json.loads(entries[0].read_text())
    entry["payload"]["body"] = entry["payload"]["body"].replace("Text.", "<script>x()</script>")
    entry["checksum"] = cache._checksum(entry["payload"])
    forged = b / ".bookbuild-cache" / "chapters"
    forged.mkdir(parents=True)
    (forged / entries[0].name).write_text(json.dumps(entry))
    assert bb("build", b, "--no-check").code == 0
    assert (b / "dist" / "t.epub").read_bytes() == honest


def test_a_symlinked_cache_folder_in_the_book_writes_nothing_outside(sandbox):
    b = book(sandbox)
    (b / ".bookbuild-cache").symlink_to(sandbox / "outside")
    assert bb("build", b, "--no-check").code == 0  # the sandbox fixture checks outside/


# --- import --force ----------------------------------------------------------

@pytest.mark.parametrize("target", [".", "..", "home"])
def test_import_force_never_replaces_the_working_or_home_directory(sandbox, monkeypatch, target):
    work = sandbox / "book"
    work.mkdir()
    (work / "precious.txt").write_text("keep me")
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(work))
    out = work if target == "home" else Path(target)
    run = bb("import", sandbox / "outside" / "book.txt", "-o", out, "--force")
    refused(run, "--force never replaces it")
    assert (work / "precious.txt").read_text() == "keep me"


def test_import_force_replaces_only_an_earlier_import(sandbox):
    source = sandbox / "outside" / "book.txt"
    target = sandbox / "book"
    assert bb("import", source, "-o", target).code == 0
    assert bb("import", source, "-o", target, "--force").code == 0  # an earlier import
    (target / "notes-to-self.txt").write_text("mine")
    refused(bb("import", source, "-o", target, "--force"), "notes-to-self.txt",
            "replaces only an earlier import")
    assert (target / "notes-to-self.txt").exists()
    other = sandbox / "book" / "manuscript" / "other"
    other.mkdir()
    (target / "notes-to-self.txt").unlink()
    refused(bb("import", source, "-o", target, "--force"), "manuscript/other")


# --- temporary files, reproducibility, watch ---------------------------------

def test_temporaries_of_a_killed_build_are_swept_and_the_mix_is_reported(sandbox):
    b = book(sandbox)
    dist = b / "dist"
    dist.mkdir()
    dead = 2 ** 22 + 12345  # above Linux's default pid_max: no such process
    (dist / f".t.epub.{dead}.abc123.tmp.epub").write_bytes(b"half")
    (dist / f".t.azw3.{dead}.xyz.tmp").mkdir()
    (dist / f".t.renaming.{dead}.q1.tmp").write_bytes(b"")
    (dist / f".other.epub.{dead}.abc.tmp.epub").write_bytes(b"another book's")
    run = bb("build", b, "--no-check")
    assert run.code == 0
    assert any("killed while putting its files in place" in line for line in run.lines)
    assert sorted(p.name for p in dist.iterdir()) == [
        f".other.epub.{dead}.abc.tmp.epub", "t-cover-thumbnail.jpg", "t-cover.jpg", "t.epub"]


def test_azw3_is_reproducible_and_leaves_no_calibre_folders(sandbox):
    from bookbuild.output import calibre
    if not calibre.available():
        pytest.skip("Calibre is not installed (CI installs it)")
    b = book(sandbox, {"01.md": "# One\n\nText.[^1]\n\n[^1]: A note.\n"})
    builds = []
    for n in range(2):
        if n:
            time.sleep(1.5)  # the wall clock moves on; the book must not
        run = bb("build", b, "--no-check", "--no-cache", "-f", "azw3")
        assert run.code == 0, run.lines
        builds.append((b / "dist" / "t.azw3").read_bytes())
    assert builds[0] == builds[1]
    assert sorted(p.name for p in (b / "dist").iterdir()) == ["t.azw3"]


def test_watch_into_the_book_directory_rebuilds_and_survives_a_control_character(sandbox):
    b = book(sandbox)
    lines: list[str] = []
    stop = threading.Event()
    worker = threading.Thread(target=watch, args=(b, BuildOptions(out_dir=b, check=False),
                                                  lines.append, stop), daemon=True)
    worker.start()
    try:
        _wait_for(lambda: len(lines) >= 1)
        time.sleep(0.5)
        (b / "manuscript" / "01.md").write_text("# One\n\nBad \x01 text.\n")
        _wait_for(lambda: len(lines) >= 2)
        (b / "manuscript" / "01.md").write_text("# One\n\nGood again.\n")
        _wait_for(lambda: any(" ok " in line for line in lines[2:]))
    finally:
        stop.set()
        worker.join(10)
    assert " ok " in lines[0] and "control character U+0001" in lines[1]
    assert not worker.is_alive()
    assert "Good again." in epub_text(b / "t.epub")


def _wait_for(condition, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
