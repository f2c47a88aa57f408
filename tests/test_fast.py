"""Fast builds: warm and cold checks agree, the cache changes nothing but time,
catalogs survive a broken book, shards split a catalog, watch rebuilds."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from pathlib import Path

import pytest

from bookbuild import BuildOptions, build_book
from bookbuild.cache import files as cache
from bookbuild import pandoc
from bookbuild.runs.catalog import build_catalog, read_catalog, shard, worst_exit
from bookbuild.errors import BookbuildError, ConfigError
from bookbuild.runs import watch as watch_module
from bookbuild.runs.watch import watch

from conftest import write_book
from test_build import EPOCH, REUSED_LABELS, run_cli


def _count_pandoc_runs(monkeypatch) -> list[str]:
    """The chapter file of every Pandoc run (readings and conversions)."""
    calls: list[str] = []
    real = pandoc._request

    def counting(op, payload, file, **options):
        calls.append(Path(file).name)
        return real(op, payload, file, **options)

    monkeypatch.setattr(pandoc, "_request", counting)
    return calls


def test_cache_converts_only_what_changed_and_output_stays_identical(tmp_path, monkeypatch):
    book = write_book(tmp_path / "book", REUSED_LABELS)
    calls = _count_pandoc_runs(monkeypatch)
    cold = build_book(book, BuildOptions(out_dir=tmp_path / "cold", check=False,
                                         source_date_epoch=EPOCH, cache=False))
    first = build_book(book, BuildOptions(out_dir=tmp_path / "a", check=False,
                                          source_date_epoch=EPOCH))
    # the two chapters, and the title page written from book.yaml
    assert set(calls) == {"01-one.md", "02-two.md", "book.yaml"}
    calls.clear()
    warm = build_book(book, BuildOptions(out_dir=tmp_path / "b", check=False,
                                         source_date_epoch=EPOCH))
    assert calls == []  # every chapter from the cache
    assert warm.artifact("epub").sha256 == first.artifact("epub").sha256 \
        == cold.artifact("epub").sha256
    (book / "manuscript" / "02-two.md").write_text("# Two\n\nEdited[^1].\n\n[^1]: New note.\n")
    edited = build_book(book, BuildOptions(out_dir=tmp_path / "c", check=False,
                                           source_date_epoch=EPOCH))
    assert set(calls) == {"02-two.md"}
    fresh = build_book(book, BuildOptions(out_dir=tmp_path / "d", check=False,
                                          source_date_epoch=EPOCH, cache=False))
    assert edited.artifact("epub").sha256 == fresh.artifact("epub").sha256


def test_a_corrupt_cache_entry_is_rebuilt_not_trusted(tmp_path, monkeypatch):
    book = write_book(tmp_path / "book", REUSED_LABELS)
    good = build_book(book, BuildOptions(out_dir=tmp_path / "a", check=False,
                                         source_date_epoch=EPOCH))
    entries = sorted((cache.user_cache_dir() / "chapters").glob("*.json"))
    assert len(entries) == 3  # the two chapters, and the title page written from book.yaml
    data = json.loads(entries[0].read_text())
    data["payload"]["body"] = data["payload"]["body"].replace("<", "&lt;", 1)
    entries[0].write_text(json.dumps(data))  # tampered: checksum no longer matches
    for entry in entries[1:]:
        entry.write_text("{not json")  # truncated
    calls = _count_pandoc_runs(monkeypatch)
    again = build_book(book, BuildOptions(out_dir=tmp_path / "b", check=False,
                                          source_date_epoch=EPOCH))
    assert set(calls) == {"01-one.md", "02-two.md", "book.yaml"}
    assert again.artifact("epub").sha256 == good.artifact("epub").sha256


def test_a_cache_entry_of_another_schema_or_shape_is_a_miss(tmp_path):
    """Fields are read by name through the schema: an entry of an older version,
    or of the right checksum but the wrong shape, is read again, never misread."""
    from bookbuild.cache.chapters import SCHEMA, ChapterCache, _checksum
    from bookbuild.chapters.reading import HeadingTarget, Reading
    from bookbuild.errors import Problem
    from bookbuild.notes.source import ChapterNotes
    from bookbuild.refs.crossrefs import Label
    from bookbuild.source.manuscript import Chapter

    chapter = Chapter(1, tmp_path / "01.md", "chapter", None, "# One\n")
    reading = Reading(chapter, ChapterNotes(chapter.source, (0, 1, 0)),
                      (HeadingTarget("One", "one"),), frozenset({"x"}),
                      (Problem("a problem", chapter.source, 3, code="note-undefined"),),
                      (Problem("a warning", chapter.source, 2, code="pandoc-warning"),),
                      (("quarto", "shortcode", 2, 3),), None, ("fig-a",), (Label("fig", "fig-a", ""),))
    store = ChapterCache(tmp_path, tmp_path / "cache")
    store.put_reading("k", reading)
    assert store.get_reading("k", chapter) == reading and store.hits == 1
    path = tmp_path / "cache" / "readings" / "k.json"
    entry = json.loads(path.read_text())
    assert entry["schema"] == SCHEMA

    def forged(change) -> dict:
        payload = json.loads(json.dumps(entry["payload"]))
        change(payload)
        return {**entry, "payload": payload, "checksum": _checksum(payload)}

    for bad in ({**entry, "schema": SCHEMA - 1},
                {"checksum": entry["checksum"], "payload": entry["payload"]},  # before versions
                forged(lambda p: p.update(refs=["0", "1", "0"])),
                forged(lambda p: p.update(headings=[["One", "one"]])),  # by position
                forged(lambda p: p.pop("labels")),
                forged(lambda p: p.update(extra=1))):
        path.write_text(json.dumps(bad))
        assert store.get_reading("k", chapter) is None
    assert (store.hits, store.misses) == (1, 6)


def test_a_converted_chapter_comes_back_from_the_cache_with_its_keep_marks(tmp_path):
    """The keep marks a chapter's conversion placed for print are data the
    print edition takes from the chapter, so a cached chapter brings them back
    as they were: a build from the cache sets the book as often as the first."""
    from bookbuild.cache.chapters import ChapterCache
    from bookbuild.chapters.convert import convert_chapter
    from bookbuild.chapters.reading import check_all, read_chapter
    from bookbuild.config import load_config
    from bookbuild.source.manuscript import load_manuscript

    write_book(tmp_path, {"ch.md": "# One\n\nA claim[^a] and another[^b].\n\n- An item[^c].\n\n"
                                   "> Quoted[^d].\n\n[^a]: A.\n[^b]: B.\n[^c]: C.\n[^d]: D.\n"},
               "title: T\nlanguage: en\nauthor: A\nchapters: [manuscript/ch.md]\n")
    config = load_config(tmp_path)
    (chapter,) = load_manuscript(config).chapters
    reading = read_chapter(chapter)
    check_all([reading])
    conv = convert_chapter(reading, config, typeset=True)
    assert conv.keep_marks == ({"bb-c01-ch-note-0", "bb-c01-ch-note-1"}, {"bb-c01-ch-note-2"})
    store = ChapterCache(tmp_path, tmp_path / "cache")
    store.put("k", conv)
    assert store.get("k", chapter) == conv and store.hits == 1


def test_catalog_builds_every_book_despite_a_broken_one(tmp_path):
    for name in ("a", "b"):
        write_book(tmp_path / name, REUSED_LABELS, f"title: Book {name}\nlanguage: en\nauthor: A\n")
    write_book(tmp_path / "broken", REUSED_LABELS, "title: Broken\nlanguage: xx-YY\nauthor: A\n")
    (tmp_path / "catalog.txt").write_text("# the catalog\na\nbroken   # bad language\nb\n")
    books = read_catalog(tmp_path / "catalog.txt")
    assert [b.name for b in books] == ["a", "broken", "b"]
    seen: list[str] = []
    outcomes = build_catalog(books, BuildOptions(check=True, source_date_epoch=EPOCH), 2,
                             lambda o: seen.append(o.book.name))
    assert sorted(seen) == ["a", "b", "broken"]
    assert [o.exit_code for o in outcomes] == [0, 2, 0]
    assert "'language' is not a valid BCP 47 tag" in outcomes[1].failure.problems[0].message
    assert worst_exit(outcomes) == 2
    assert all(o.report.artifact("epub").check.passed for o in (outcomes[0], outcomes[2]))


def test_cli_catalog_json_and_exit_status(tmp_path):
    for name in ("a", "b", "c"):
        write_book(tmp_path / name, REUSED_LABELS, f"title: Book {name}\nlanguage: en\nauthor: A\n")
    proc = run_cli("build", str(tmp_path / "a"), str(tmp_path / "b"), str(tmp_path / "c"),
                   "--shard", "2/2", "--no-check", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [Path(b["book"]).name for b in data["books"]] == ["b"]
    assert data["exit_code"] == 0 and data["books"][0]["artifacts"][0]["format"] == "epub"
    assert "[1/1] ok" in proc.stderr  # plain progress lines when not on a terminal


def test_shards_cover_the_catalog_once():
    books = [Path(str(i)) for i in range(10)]
    parts = [shard(books, f"{i}/3") for i in (1, 2, 3)]
    assert sorted(b for p in parts for b in p) == sorted(books)
    assert parts[0] == [Path("0"), Path("3"), Path("6"), Path("9")]
    for bad in ("0/3", "4/3", "x"):
        with pytest.raises(ConfigError, match="--shard"):
            shard(books, bad)


@contextlib.contextmanager
def watching(book: Path, options: BuildOptions, seconds: float = 30):
    """``watch`` in a thread for the ``with`` block: its lines, and a wait for the
    n-th; stopped, and seen to end, after it."""
    lines: list[str] = []
    stop = threading.Event()
    worker = threading.Thread(target=watch, args=(book, options, lines.append, stop))
    worker.start()

    def wait_for(count: int) -> None:
        deadline = time.monotonic() + seconds
        while len(lines) < count and time.monotonic() < deadline:
            time.sleep(0.1)

    try:
        wait_for(1)
        time.sleep(0.5)
        yield lines, wait_for
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not worker.is_alive()


def test_watch_rebuilds_on_save_and_survives_errors(tmp_path):
    book = write_book(tmp_path / "book", REUSED_LABELS)
    with watching(book, BuildOptions(check=False), seconds=20) as (lines, wait_for):
        (book / "manuscript" / "02-two.md").write_text("# Two\n\nBroken[^nope].\n")
        wait_for(2)
        (book / "manuscript" / "02-two.md").write_text("# Two\n\nFixed.\n")
        wait_for(3)
    assert " ok " in lines[0]
    assert "error: " in lines[1] and "02-two.md:3: note reference [^nope]" in lines[1]
    assert " ok " in lines[2]


def test_watch_into_the_book_with_every_output_builds_once_a_save(tmp_path, monkeypatch):
    """An output directory inside the watched book (``-o BOOK``) holds each
    format's file: writing one (the PDF too) is no change to rebuild on."""
    book = write_book(tmp_path / "book", {"01.md": "# One\n\nText.\n"})
    builds: list[float] = []
    real = watch_module.attempt
    monkeypatch.setattr(watch_module, "attempt",
                        lambda *a: builds.append(time.monotonic()) or real(*a))
    options = BuildOptions(check=False, out_dir=book, formats=("epub", "kobo", "cover-jpg", "pdf"))
    with watching(book, options) as (lines, wait_for):
        (book / "manuscript" / "01.md").write_text("# One\n\nChanged.\n")
        wait_for(2)
        time.sleep(1.5)  # debounce (0.3 s) and more: a rebuild on its own files would have begun
    assert " ok " in lines[0] and " ok " in lines[1] and "test-book.pdf" in lines[1], lines
    assert len(builds) == 2, lines


def test_a_changed_image_is_judged_again_not_taken_from_the_cache(tmp_path):
    """The conversion judges an image's bytes (an SVG's active content), which the
    chapter's key does not hold: an image edited since is a miss."""
    book = write_book(tmp_path / "book", {"01.md": "# One\n\n![A box](box.svg)\n"})
    svg = book / "manuscript" / "box.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><rect '
                   'width="1" height="1"/></svg>\n')
    build_book(book, BuildOptions(out_dir=tmp_path / "a", check=False))
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/'
                   'xlink" width="2" height="2"><image width="1" height="1" '
                   'xlink:href="data:image/png;base64,AAAA"/></svg>\n')
    with pytest.raises(BookbuildError) as info:
        build_book(book, BuildOptions(out_dir=tmp_path / "b", check=False))
    assert [(p.line, p.code) for p in info.value.problems] == [(3, "active-content")]


def test_a_warm_build_reads_no_unchanged_image_but_still_sees_a_rewritten_one(tmp_path,
                                                                            monkeypatch):
    """While an image's file shows the stamp it had when its chapter was
    converted (size, times, inode), a warm build does not read and hash it
    again; rewritten to the same size and modification time, its change time
    moves, and it is judged again."""
    from bookbuild.cache import chapters

    monkeypatch.setattr(chapters, "RECENT_NS", 0)  # this test's files are not seconds old
    hashed: list[str] = []
    digest = chapters._digest
    monkeypatch.setattr(chapters, "_digest", lambda path: hashed.append(path.name) or digest(path))
    book = write_book(tmp_path / "book", {"01.md": "# Stamped\n\n![A stamped box](box.svg)\n"})
    svg = book / "manuscript" / "box.svg"
    active = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/'
              'xlink" width="2" height="2"><image width="1" height="1" '
              'xlink:href="data:image/png;base64,AAAA"/></svg>\n')
    plain = '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><rect/></svg>\n'
    svg.write_text(plain.replace("<rect/>", "<rect/>" + " " * (len(active) - len(plain))))
    build_book(book, BuildOptions(out_dir=tmp_path / "a", check=False))
    assert hashed == ["box.svg"]  # once, for the cache's entry
    build_book(book, BuildOptions(out_dir=tmp_path / "b", check=False))
    assert hashed == ["box.svg"]  # a warm build: the stamp vouches for the bytes
    before = svg.stat()
    svg.write_text(active)
    os.utime(svg, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (svg.stat().st_size, svg.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    with pytest.raises(BookbuildError) as info:
        build_book(book, BuildOptions(out_dir=tmp_path / "c", check=False))
    assert [(p.line, p.code) for p in info.value.problems] == [(3, "active-content")]
