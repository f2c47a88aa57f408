"""Hostile input, round 2 (issue 27): shapes of the book's files and values
that once ended as a bug (exit 3) or a hang, each now bad input (exit 2, one
line naming the file) or handled; judged as in test_hostile.py, whose
sandbox (nothing written outside the book, no temporary left) they share.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from test_hostile import CONFIG, bb, book, refused, sandbox, tight  # noqa: F401 (fixtures)


# --- folders and loops where files are expected -----------------------------

def test_a_folder_named_like_a_chapter_is_refused(sandbox):
    b = book(sandbox)
    (b / "manuscript" / "02.md").mkdir()
    refused(bb("build", b, "--no-check"), "02.md", "not a regular file")


@pytest.mark.parametrize("where", ["manuscript/02.md", "listed.md"])
def test_a_chapter_that_is_a_loop_of_links_is_refused(sandbox, where):
    config = CONFIG + ("chapters: [manuscript/01.md, listed.md]\n" if where == "listed.md" else "")
    b = book(sandbox, config=config)
    (b / where).symlink_to(Path(where).name)
    line = refused(bb("build", b, "--no-check"), Path(where).name, "loop of symbolic links")
    assert where == "manuscript/02.md" or "book.yaml:4" in line


def test_a_cover_that_is_a_loop_of_links_is_refused(sandbox):
    b = book(sandbox, config=CONFIG + "cover: c.jpg\n")
    (b / "c.jpg").symlink_to("c.jpg")
    refused(bb("build", b, "--no-check"), "book.yaml:4", "'cover' file", "loop")


def test_an_image_that_is_a_loop_of_links_is_refused(sandbox):
    b = book(sandbox, {"01.md": "# One\n\n![A picture](x.png)\n"})
    (b / "manuscript" / "x.png").symlink_to("x.png")
    refused(bb("build", b, "--no-check"), "x.png", "loop of symbolic links")


def test_a_link_to_a_loop_of_links_is_a_broken_link(sandbox):
    b = book(sandbox, {"01.md": "# One\n\n[Two](../x.md)\n"})
    (b / "x.md").symlink_to("x.md")
    refused(bb("build", b, "--no-check"), "01.md:3", "x.md is not a chapter")


# --- project files ------------------------------------------------------------

def test_an_index_rmd_not_in_utf8_is_refused_with_its_line(sandbox):
    project = sandbox / "book"
    project.mkdir()
    (project / "_bookdown.yml").write_text("rmd_files: [index.Rmd]\n")
    (project / "index.Rmd").write_bytes(b"---\ntitle: \xff\xfe\n---\n# A\n")
    refused(bb("build", project, "--no-check"), "index.Rmd:2", "not UTF-8")


def _nested(levels: int) -> str:
    return "[{part: P, chapters: " * levels + "[a.qmd]" + "}]" * levels


@pytest.mark.parametrize("file, text", [
    ("_quarto.yml", "project: {type: book}\nbook:\n  title: T\n  chapters: " + _nested(3000)),
    ("book.yaml", CONFIG + "chapters: " + "[" * 3000 + "]" * 3000),
])
def test_a_reading_order_nested_3000_deep_is_refused(sandbox, file, text):
    project = sandbox / "book"
    project.mkdir()
    (project / "a.qmd").write_text("# A\n")
    (project / file).write_text(text + "\n")
    refused(bb("build", project, "--no-check"), file, "nest more than")


# --- values in book.yaml ---------------------------------------------------------

@pytest.mark.parametrize("title, words", [
    ('"T\\0x"', ("book.yaml:4", "U+0000")),  # YAML escapes allow what XML does not
    ('"T\\ud800x"', ("book.yaml:4", "U+D800")),  # a lone surrogate
    ("T\x01x", ("book.yaml:4", "U+0001", "not allowed in YAML")),  # the bytes themselves
    ("x" * 1_000_000, ("book.yaml:4", "'title' has 1,000,000 characters")),
])
def test_a_title_no_book_can_carry_is_refused_with_its_line(sandbox, title, words):
    b = book(sandbox, config="language: en\nauthor: A\nslug: s\ntitle: " + title + "\n")
    refused(bb("build", b, "--no-check"), *words)


def test_a_long_description_is_still_a_description(sandbox):
    b = book(sandbox, config=CONFIG + "description: " + "A sentence. " * 2_000 + "\n")
    assert bb("build", b, "--no-check").code == 0


# --- the machine: cache, disk, port, Ctrl-C ---------------------------------------

def test_a_cache_folder_that_is_a_file_is_set_up_to_mend(sandbox):
    (sandbox / "xdg-cache").mkdir()
    (sandbox / "xdg-cache" / "bookbuild").write_text("not a folder\n")  # own_cache's XDG_CACHE_HOME
    b = book(sandbox)
    refused(bb("build", b, "--no-check"), "cannot write bookbuild's cache", "--no-cache")
    assert bb("build", b, "--no-check", "--no-cache").code == 0


def test_a_file_size_limit_reached_while_writing_is_bad_input(sandbox):
    """RLIMIT_FSIZE applies to the whole process, so this one case runs in a
    process of its own: the cover (tens of kilobytes) is over 10 KB."""
    import resource
    import subprocess
    import sys

    b = book(sandbox)
    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (10_240, 10_240))  # noqa: E731
    proc = subprocess.run([sys.executable, "-m", "bookbuild.cli", "build", str(b), "--no-check"],
                          capture_output=True, text=True, timeout=60, preexec_fn=limit)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("bookbuild: error: ") and "File too large" in proc.stderr
    assert not [p for p in (b / "dist").iterdir() if p.name.endswith(".tmp.jpg")]


def test_a_second_preview_on_a_taken_port_is_one_line(sandbox, monkeypatch):
    import socket

    from bookbuild.preview import server as reader

    monkeypatch.setattr(reader, "require_reader", lambda: reader.READER_DIR)  # never reached
    epub = book(sandbox) / "book.epub"
    with zipfile.ZipFile(epub, "w") as zf:  # an EPUB as far as preview looks before serving it
        zf.writestr("mimetype", "application/epub+zip")
    with socket.socket() as first:
        first.bind(("127.0.0.1", 0))
        first.listen()
        port = first.getsockname()[1]
        refused(bb("preview", epub, "--port", port, "--no-browser"), f"127.0.0.1:{port}",
                "--port")


def test_ctrl_c_exits_130(sandbox, monkeypatch):
    from bookbuild.runs import outcome

    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(outcome, "build_book", interrupted)
    run = bb("build", book(sandbox), "--no-check")
    assert (run.code, run.lines) == (130, ["bookbuild: interrupted"])


# --- bookbuild notes on what is not a plain EPUB ------------------------------------

def test_notes_on_a_fifo_is_refused_at_once(sandbox):
    pipe = book(sandbox) / "pipe.epub"
    os.mkfifo(pipe)
    run = bb("notes", pipe)
    refused(run, "pipe.epub", "not a regular file")
    assert run.seconds < 20


def _epub(path: Path, body: str) -> Path:
    """An EPUB of one document with ``body``: container, package and the document."""
    import zipfile

    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
        zf.writestr("META-INF/container.xml", '<container xmlns="urn:oasis:names:tc:opendocument:'
                    'xmlns:container"><rootfiles><rootfile full-path="content.opf"/></rootfiles>'
                    "</container>")
        zf.writestr("content.opf", '<package xmlns="http://www.idpf.org/2007/opf"><manifest>'
                    '<item id="d" href="d.xhtml" media-type="application/xhtml+xml"/></manifest>'
                    '<spine><itemref idref="d"/></spine></package>')
        zf.writestr("d.xhtml", '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub='
                    f'"http://www.idpf.org/2007/ops"><body>{body}</body></html>')
    return path


def test_notes_reports_a_document_too_deep_to_read_whole(sandbox):
    b = book(sandbox)
    ref = '<a epub:type="noteref" href="#n1">1</a>'
    assert bb("notes", _epub(b / "fine.epub", "<div>" * 100 + ref + "</div>" * 100)).code == 1
    deep = _epub(b / "deep.epub", "<div>" * 3000 + ref + "</div>" * 3000)
    refused(bb("notes", deep), "deep.epub", "d.xhtml cannot be read whole", "Excessive depth")


def _xml_epub(path: Path, document: bytes) -> Path:
    """An EPUB whose one XHTML document is ``document``, bytes as given."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/epub+zip")
        zf.writestr("EPUB/d.xhtml", document)
    return path


def _noise(kb: int) -> str:
    """Incompressible text, so no zip ratio gives the file away."""
    import base64

    return base64.b64encode(os.urandom(kb * 768)).decode()


LOL = '<!ENTITY l0 "lol">' + "".join(
    f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))


@pytest.mark.parametrize("prolog", [
    f"<!DOCTYPE html [<!--{_noise(200)}-->{LOL}]>",  # entities after the first MB, scaled down
    f"<!-- <html> --><?pi <html>?><!DOCTYPE html SYSTEM '<html>' [{LOL}]>",  # roots that are not
    "<!DOCTYPE html [ ]>",
])
def test_entities_declared_anywhere_in_the_prolog_are_refused(sandbox, tight, prolog):
    tight(xml_prolog_kb=300)
    epub = _xml_epub(book(sandbox) / "lol.epub", (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&l9;</p></body></html>').encode())
    refused(bb("check", epub), "lol.epub", "d.xhtml declares XML entities", code="limit-exceeded")


def test_a_prolog_longer_than_the_limit_is_refused(sandbox, tight):
    tight(xml_prolog_kb=64)
    epub = _xml_epub(book(sandbox) / "long.epub", (
        f'<!--{_noise(100)}--><html xmlns="http://www.w3.org/1999/xhtml"/>').encode())
    refused(bb("check", epub), "long.epub", "d.xhtml has more than 64 KB before its root element",
            "(xml-prolog-kb)", code="limit-exceeded")


@pytest.mark.parametrize("encoding", ["Shift_JIS", "x-no-such-encoding"])
def test_xml_in_an_encoding_expat_cannot_read_is_refused(sandbox, encoding):
    """Java reads more encodings than Expat: what it cannot read is not checked for a DTD."""
    epub = _xml_epub(book(sandbox) / "enc.epub", (
        f'<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE html [{LOL}]><html/>').encode())
    refused(bb("check", epub), "d.xhtml is in an encoding other than UTF-8 or UTF-16",
            code="epub-unreadable")


def test_entities_named_after_the_root_element_are_text(sandbox):
    b = book(sandbox)
    epub = _epub(b / "fine.epub", "<p>&lt;!DOCTYPE x [&lt;!ENTITY a 'b'&gt;]&gt;</p>"
                 "<!-- <!DOCTYPE y [<!ENTITY c 'd'>]> -->")
    assert bb("notes", epub).code == 0


def test_a_checker_out_of_memory_is_bad_input_and_the_next_check_starts_afresh(
        sandbox, tmp_path_factory, monkeypatch):
    """Whatever gets past the refusals and still exhausts EPUBCheck's JVM is the
    input's doing, said as such; that checker stops rather than check again."""
    import threading

    from bookbuild.checks import service

    class OutOfMemory(Exception):
        pass

    OutOfMemory.__name__ = "java.lang.OutOfMemoryError"  # as JPype names Java's

    class Exhausted:
        def report(self, path):
            raise OutOfMemory("java.lang.OutOfMemoryError: Java heap space")

    runtime = tmp_path_factory.mktemp("run")
    runtime.chmod(0o700)
    monkeypatch.setenv("BOOKBUILD_RUNTIME_DIR", str(runtime))
    sock = service.socket_path(runtime)
    server = service._Server(sock, idle=60)
    server.epubcheck = Exhausted()
    server.ready.set()
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    serving.start()
    try:
        epub = _epub(book(sandbox) / "heavy.epub", "<p>Text.</p>")
        refused(bb("check", epub), "heavy.epub", "EPUBCheck ran out of memory on this input "
                "(java.lang.OutOfMemoryError: Java heap space)", "java-memory-mb",
                code="limit-exceeded")
        serving.join(5)
        assert not serving.is_alive()
    finally:
        server.shutdown()
        server.server_close()
        sock.unlink()


# --- reporters ----------------------------------------------------------------------

def test_printed_problems_are_capped_and_the_json_keeps_them_all(sandbox):
    import json

    entries = "".join(f"- missing/{i}.md\n" for i in range(150))
    b = book(sandbox, config=CONFIG + "chapters:\n" + entries)
    run = bb("build", b, "--no-check")
    assert run.code == 2 and len(run.lines) == 101
    assert run.lines[99].endswith("file not found: missing/99.md [file-not-found]")
    assert run.lines[100] == "bookbuild: ... and 50 more (--json lists them all)"
    assert len(json.loads(bb("build", b, "--no-check", "--json").stdout)["problems"]) == 150


def test_broken_note_links_are_capped_like_problems(sandbox):
    refs = "".join(f'<a epub:type="noteref" href="#n{i}">{i}</a>' for i in range(150))
    run = bb("notes", _epub(book(sandbox) / "many.epub", refs))
    broken = [line for line in run.stdout.splitlines() if "BROKEN" in line]
    assert run.code == 1 and len(broken) == 100
    assert run.stdout.splitlines()[-1].strip() == "... and 50 more (--json lists them all)"


# --- bookbuild import: PDFs that inflate or run on ---------------------------------

def _pdf(path: Path, contents: list[bytes], flate: bool = False, hexed: bool = False,
         mediabox: bytes = b"0 0 612 792", font: bytes = b"/BaseFont /Helvetica",
         extra: tuple[bytes, ...] = (), font_type: bytes = b"/Type1") -> Path:
    """A PDF written byte by byte: one page per content stream, set in
    Helvetica (or the ``font_type`` font those entries describe, with ``extra``
    objects numbered after the pages'), each stream Flate-compressed when
    ``flate`` and then ASCIIHex-armoured when ``hexed``."""
    import zlib

    filters = [b"/FlateDecode"] * flate
    if hexed:
        filters.insert(0, b"/ASCIIHexDecode")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
               b"<< /Type /Font /Subtype %s %s >>" % (font_type, font)]
    kids = []
    for content in contents:
        data = zlib.compress(content, 9) if flate else content
        data = data.hex().encode() + b">" if hexed else data
        objects.append(b"<< /Length %d /Filter [%s] >>\nstream\n" % (len(data), b" ".join(filters))
                       + data + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % (mediabox, len(objects)))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    objects += extra
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1,
                                                                              xref)
    path.write_bytes(bytes(out))
    return path


def _text(*lines: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td 14 TL " + b" ".join(
        b"(%s) '" % line.encode() for line in lines) + b" ET"


def _imports(sandbox: Path, pdf: Path) -> object:
    return bb("import", pdf, "-o", sandbox / "book" / "imported")


@pytest.fixture
def small_pdf(sandbox):
    (sandbox / "book").mkdir()
    return lambda name, *args, **kw: _pdf(sandbox / "book" / name, *args, **kw)


def test_a_pdf_stream_inflating_past_the_limit_is_refused_before_it_inflates(
        sandbox, small_pdf, tight):
    tight(pdf_stream_mb=1)  # as 1 GiB of zeros against the default 256 MB, at a test's cost
    bomb = small_pdf("bomb.pdf", [_text("Contents") + b"\n%" + b"\0" * 4_000_000], flate=True)
    assert bomb.stat().st_size < 10_000
    refused(_imports(sandbox, bomb), "bomb.pdf", "inflates to more than 1 MB", "pdf-stream-mb")


def test_a_flate_bomb_behind_another_filter_is_refused_before_it_inflates(
        sandbox, small_pdf, tight):
    tight(pdf_stream_mb=1)
    bomb = small_pdf("armoured.pdf", [_text("Contents") + b"\n%" + b"\0" * 4_000_000],
                     flate=True, hexed=True)
    assert bomb.stat().st_size < 20_000
    refused(_imports(sandbox, bomb), "armoured.pdf", "inflates to more than 1 MB", "pdf-stream-mb",
            code="limit-exceeded")


def test_a_run_length_bomb_anywhere_in_the_file_is_refused_before_it_inflates(
        sandbox, small_pdf, tight):
    """Every stream is measured, one no page uses too: each two bytes of
    RunLength may stand for 128 (64 times more)."""
    tight(pdf_stream_mb=1)
    data = bytes([129, 0]) * 20_000
    bomb = small_pdf("runs.pdf", [_text("Page")], extra=(
        b"<< /Length %d /Filter /RunLengthDecode >>\nstream\n" % len(data) + data + b"\nendstream",))
    refused(_imports(sandbox, bomb), "runs.pdf", "inflates to more than 1 MB", "pdf-stream-mb",
            code="limit-exceeded")


def test_a_flate_bomb_in_an_encrypted_pdf_is_refused_before_it_inflates(sandbox, tight):
    """An encrypted PDF opens with an empty password: its streams are measured
    deciphered, as PDFium reads them (the ciphertext does not inflate)."""
    pypdf = pytest.importorskip("pypdf")
    tight(pdf_stream_mb=1)
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(200, 200)
    content = pypdf.generic.DecodedStreamObject()
    content.set_data(_text("Contents") + b"\n%" + b"\0" * 4_000_000)
    page[pypdf.generic.NameObject("/Contents")] = writer._add_object(content.flate_encode())
    writer.encrypt("", algorithm="RC4-128")
    (sandbox / "book").mkdir()
    bomb = sandbox / "book" / "locked.pdf"
    with bomb.open("wb") as out:
        writer.write(out)
    assert bomb.stat().st_size < 20_000
    refused(_imports(sandbox, bomb), "locked.pdf", "inflates to more than 1 MB", "pdf-stream-mb",
            code="limit-exceeded")


def test_a_text_run_past_the_limit_is_refused_before_its_glyphs_are_read(sandbox, small_pdf, tight):
    tight(pdf_run_characters=10_000)
    run = small_pdf("run.pdf", [_text("The Book", "x" * 20_000)], flate=True)
    refused(_imports(sandbox, run), "run.pdf", "page 1 sets a text run of 20,000 characters",
            "pdf-run-characters")


def test_a_pdf_whose_pages_together_show_more_text_than_the_limit_is_refused(
        sandbox, small_pdf, tight):
    """Each run and each page within their limits, the whole over its own."""
    tight(pdf_run_characters=1_000, pdf_characters=2_000)
    many = small_pdf("many.pdf", [_text("x" * 900)] * 3)
    refused(_imports(sandbox, many), "many.pdf", "more than 2,000 characters of text by page 3",
            "pdf-characters", code="limit-exceeded")


def test_a_page_showing_more_text_than_the_whole_limit_is_refused_before_it_loads(
        sandbox, small_pdf, tight):
    """PDFium sets a page's text whole as it loads it: a page whose runs,
    each within its limit, show four times the book's limit is refused
    from the PDF's bytes, before any page loads (no page is named)."""
    tight(pdf_run_characters=1_000, pdf_characters=2_000)
    page = small_pdf("page.pdf", [_text(*["x" * 900] * 10)])
    refused(_imports(sandbox, page), "page.pdf", "its content holds more than 2,000 characters",
            "pdf-characters", code="limit-exceeded")


def test_a_pdf_with_more_pages_than_the_limit_is_refused(sandbox, small_pdf, tight):
    tight(pdf_pages=2)
    pages = small_pdf("pages.pdf", [_text("Page")] * 3)
    refused(_imports(sandbox, pages), "pages.pdf", "more than 2 pages", "pdf-pages")


def test_a_damaged_pdf_is_one_line_of_bad_input(sandbox, small_pdf):
    """A PDF cut short before its page tree is one line naming it, as PDFium's
    refusal says."""
    whole = small_pdf("cut.pdf", [_text("Page")]).read_bytes()
    (sandbox / "book" / "cut.pdf").write_bytes(whole[:40])
    refused(_imports(sandbox, sandbox / "book" / "cut.pdf"), "cut.pdf", "not a PDF that can be read",
            "Data format error", code="import-unreadable")


def test_a_pdf_within_the_limits_is_read(sandbox, small_pdf, tight):
    """The same shapes under the limits are imported (with no contents list
    or headings, as one chapter)."""
    tight(pdf_pages=2, pdf_run_characters=10_000, pdf_stream_mb=1, pdf_characters=10_100)
    for name, hexed in (("plain.pdf", False), ("armoured.pdf", True)):
        plain = small_pdf(name, [_text("The Book", "x" * 5_000)], flate=True, hexed=hexed)
        run = _imports(sandbox, plain)
        assert run.code == 0 and "1 chapters" in run.stdout, (run.code, run.lines)
        shutil.rmtree(sandbox / "book" / "imported")


# --- watch ------------------------------------------------------------------------

def _inotify_watches() -> int:
    """This process's inotify watches, as the kernel counts them."""
    count = 0
    for fd in os.listdir("/proc/self/fdinfo"):
        try:
            count += Path(f"/proc/self/fdinfo/{fd}").read_text().count("inotify wd:")
        except OSError:
            continue  # closed meanwhile
    return count


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="counts watches in /proc")
def test_watch_never_follows_a_link_out_of_the_book(sandbox):
    import threading
    import time

    from bookbuild import BuildOptions
    from bookbuild.runs.watch import watch

    from test_hostile import _wait_for

    b = book(sandbox)
    (b / "usr").symlink_to("/usr")
    lines: list[str] = []
    stop = threading.Event()
    before = _inotify_watches()
    worker = threading.Thread(target=watch, args=(b, BuildOptions(check=False), lines.append,
                                                  stop), daemon=True)
    worker.start()
    try:
        _wait_for(lambda: len(lines) >= 1)
        time.sleep(1)  # the watcher is in place
        assert 1 <= _inotify_watches() - before <= 3  # the book, manuscript/ (dist/ is ignored)
        (b / "notes").mkdir()  # a new folder is watched from then on
        _wait_for(lambda: len(lines) >= 2)
        time.sleep(1)
        (b / "notes" / "x.md").write_text("# X\n")
        _wait_for(lambda: len(lines) >= 3)
    finally:
        stop.set()
        worker.join(10)
    assert not worker.is_alive() and " ok " in lines[0]


def test_a_folded_value_is_not_mistaken_for_a_control_character(sandbox):
    """ruamel marks the folds of a ``>`` scalar with BEL in what it parses."""
    b = book(sandbox, config=CONFIG + "description: >-\n  One line\n  and the next.\n")
    assert bb("build", b, "--no-check").code == 0
