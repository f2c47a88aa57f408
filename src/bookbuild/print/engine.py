"""Typst, the typesetter, run apart from bookbuild within the limits.

Typst comes as a Python package (``typst``, the compiler itself in a wheel: no
TeX, no system libraries), but it runs here as a child process
(``python -m bookbuild.print.engine FOLDER``) so that the limits can hold it:
a time limit for the process and a cap on its address space, like Calibre.
Everything it may read is in one scratch folder, its root (Typst reads no file
outside its root): the document, the cleaned images and the book's own fonts
(``fonts:``, whole), nothing else. Other fonts are Noto Serif from
``fontpkg-noto-serif`` (and the Noto families of the scripts, see
``scriptfaces.faces``) plus the fonts inside Typst itself
(DejaVu Sans Mono for code); the system's fonts are never looked at, so the
same book gives the same bytes on every machine. Packages are never fetched:
the book's Typst code is refused a package import (``active.typst_loads_beyond_files``),
and the child's only way to the web is a proxy that refuses every connection,
so an import spelt past that check fails at once instead of downloading.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import BookbuildError
from ..look.scriptfaces import named
from ..safety import limits, temporaries
from .document import INPUT, MOVED, TypstDocument

MAIN, SETTINGS, PDF, LAYOUT, ERROR = "main.typ", "settings.json", "book.pdf", "layout.json", "error.json"
#: The labels of the footnotes whose paragraphs open a page in this setting.
KEEP = "keep.json"
#: How Typst's PDF/A export refuses a character that no font of the book has
#: (PDF/A wants every glyph drawn; ``data/print.typ`` lets Typst pick no other face).
UNDRAWN = "could not be displayed with font"
#: Where a chapter's images live in the root, as chapters.paper names them.
IMAGES = "images"
#: Where the book's own fonts go in the root.
BOOK_FONTS = "fonts"
#: Nothing listens here: Typst's package downloader, sent through it, fails at once.
NO_WAY_OUT = "http://127.0.0.1:9"


class TypesetError(BookbuildError):
    """Typst could not typeset the book."""

    code = "typeset-failed"


@dataclass(frozen=True)
class Typeset:
    pdf: bytes
    layout: dict  # what data/print.typ's bb-layout() reports: parts and note entries


def typeset(document: TypstDocument, images: dict[str, bytes], epoch: int,
            file: Path | None = None, fonts: dict[str, bytes] | None = None,
            keep: tuple[str, ...] = ()) -> Typeset:
    """The PDF of ``document``; ``images`` maps a path under the root (as the
    chapters name them) to the cleaned bytes, ``fonts`` a file name to a font;
    the paragraphs holding the footnotes labelled ``keep`` open a page."""
    bound = limits.current()
    with temporaries.in_system_temp("typst") as scratch:
        root = Path(scratch)
        (root / MAIN).write_text(document.source, encoding="utf-8")
        (root / SETTINGS).write_text(document.settings, encoding="utf-8")
        (root / KEEP).write_text(json.dumps(list(keep)), encoding="utf-8")
        for rel, data in [*images.items(),
                          *((f"{BOOK_FONTS}/{name}", data) for name, data in (fonts or {}).items())]:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        proc = limits.run([sys.executable, "-m", "bookbuild.print.engine", str(root), str(epoch)],
                          "Typst", bound.typst_seconds, "typst-seconds", file,
                          bound.typst_memory_mb, env=_child_env(root))
        if (root / ERROR).is_file():
            error = json.loads((root / ERROR).read_text(encoding="utf-8"))
            raise TypesetError(f"Typst could not typeset the book: {error}", file)
        if proc.returncode != 0 or not (root / PDF).is_file():
            detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            if any("MemoryError" in line or "memory allocation" in line for line in detail):
                raise limits.LimitError(f"Typst needed more than {bound.typst_memory_mb} MB for "
                                        "this book (typst-memory-mb)", file)
            raise TypesetError("Typst stopped: " + (detail[-1] if detail else
                                                    f"exit status {proc.returncode}"), file)
        return Typeset((root / PDF).read_bytes(),
                       json.loads((root / LAYOUT).read_text(encoding="utf-8")))


def _child_env(root: Path) -> dict[str, str]:
    """The typesetter's environment: its scratch folder for temporaries, and
    every proxy variable pointing nowhere (none excepting a host)."""
    env = {k: v for k, v in os.environ.items() if k.lower() != "no_proxy"}
    return {**env, **{k: NO_WAY_OUT for scheme in ("http", "https", "all")
                      for k in (f"{scheme}_proxy", f"{scheme.upper()}_PROXY")},
            "TMPDIR": str(root)}


def _main(root: Path, epoch: int) -> None:
    """In the child: compile once, with the paragraphs of the footnotes in
    ``KEEP`` opening a page, then ask the same compiler for the layout (which
    labels to keep is the print edition's to decide: ``edition.print_edition``)."""
    import typst

    settings = (root / SETTINGS).read_text(encoding="utf-8")
    empty = root / ".packages"
    empty.mkdir()
    fonts = [str(named(name).path.parent) for name in json.loads(settings)["fallback-fonts"]]
    compiler = typst.Compiler(str(root / MAIN), root=str(root),
                              font_paths=[*fonts, str(root / BOOK_FONTS)],
                              ignore_system_fonts=True, sys_inputs={INPUT: settings},
                              package_path=str(empty), package_cache_path=str(empty))
    keep = json.loads((root / KEEP).read_text(encoding="utf-8"))
    try:
        pdf, found = _compile(compiler, epoch, {INPUT: settings, MOVED: json.dumps(keep)})
    except typst.TypstError as exc:
        where = next((line.strip(" ┌─") for line in str(exc.diagnostic).splitlines()
                      if "┌─" in line), "")
        message = " ".join(str(exc.message).split()) + (f" (at {where})" if where else "")
        (root / ERROR).write_text(json.dumps(message), encoding="utf-8")
        return
    finally:
        shutil.rmtree(empty, ignore_errors=True)
    (root / PDF).write_bytes(pdf)
    (root / LAYOUT).write_text(json.dumps(found), encoding="utf-8")


def _compile(compiler, epoch: int, inputs: dict[str, str]) -> tuple[bytes, dict]:
    """The PDF of a setting with ``inputs`` as ``sys.inputs``, and what
    data/print.typ's bb-layout() reports of it. A book with a character no
    font has is compiled again without PDF/A, which refuses it, so that the
    print check can find the empty box on its page and name its source line
    (and fails the book, PDF/A and all)."""
    import typst

    try:
        pdf = compiler.compile(format="pdf", timestamp=epoch, pdf_tags=True, pdf_standards="a-2b",
                               sys_inputs=inputs)
    except typst.TypstError as exc:
        if UNDRAWN not in str(exc.message):
            raise
        pdf = compiler.compile(format="pdf", timestamp=epoch, pdf_tags=True, sys_inputs=inputs)
    return pdf, json.loads(compiler.query("<bb-layout>", field="value"))[0]


if __name__ == "__main__":
    _main(Path(sys.argv[1]), int(sys.argv[2]))
