"""The ``bookbuild`` command: a thin shell over :func:`bookbuild.build_book`.

This is the one place that knows about exit codes: BookbuildError (bad input)
is one line per problem on stderr and exit 2; a failed check is exit 1; any
other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from rich.console import Console

from . import __version__
from .artifacts import write_atomic
from .build import BuildOptions, build_book
from .config import load_config
from .cover import cover_for
from .check import CheckResult, epubcheck
from .errors import BookbuildError, display_path
from .importer import import_text
from .notelinks import NotesReport, inspect_file
from .report import BuildReport


def _fail(err: BookbuildError) -> None:
    for problem in err.problems:
        click.echo(f"bookbuild: error: {problem}", err=True)
    sys.exit(2)


def _source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    if not value.strip().isdigit():
        raise BookbuildError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}")
    return int(value)


def _print_check(console: Console, label: str, check: CheckResult | None) -> None:
    if check is None:
        console.print(f"  {label}: not checked", soft_wrap=True)
        return
    status = "[green]passed[/green]" if check.passed else "[red]failed[/red]"
    console.print(f"  {label}: EPUBCheck {status} "
                  f"({check.fatal} fatal, {check.error} errors, {check.warning} warnings)",
                  soft_wrap=True)
    for m in check.messages:
        if m.severity in ("FATAL", "ERROR", "WARNING"):
            console.print(f"    {m}", markup=False, highlight=False, soft_wrap=True)


def _print_notes(console: Console, label: str, report: NotesReport) -> None:
    status = "[green]linked both ways[/green]" if report.passed else "[red]broken[/red]"
    console.print(f"  {label}: notes {status} ({report.references} references, "
                  f"{report.notes} notes)", soft_wrap=True)
    for d in report.documents:
        if d.references or d.notes:
            console.print(f"    {d.document}: {d.references} references, {d.notes} notes",
                          markup=False, soft_wrap=True)
    for p in report.problems:
        console.print(f"    BROKEN {p}", markup=False, soft_wrap=True)


def _print_report(report: BuildReport) -> None:
    console = Console(highlight=False)
    for warning in report.warnings:
        click.echo(f"bookbuild: warning: {warning}", err=True)
    console.print(f"[bold]{report.title}[/bold]: {report.chapters} chapters, {report.notes} notes",
                  soft_wrap=True)
    for a in report.artifacts:
        verdicts = []
        if a.check is not None:
            verdicts.append("EPUBCheck " + ("passed" if a.check.passed else "[red]FAILED[/red]"))
        if a.notes is not None:
            verdicts.append(f"notes linked both ways ({a.notes.references} references)"
                            if a.notes.passed else "[red]note links BROKEN[/red]")
        console.print(f"  {a.format:<16} {display_path(a.path)}  {a.size:,} bytes"
                      + (f"  {', '.join(verdicts)}" if verdicts else ""), soft_wrap=True)
    for a in report.artifacts:
        if a.check is not None and not a.check.passed:
            _print_check(console, display_path(a.path), a.check)
        if a.notes is not None and not a.notes.passed:
            _print_notes(console, display_path(a.path), a.notes)


files_argument = click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")


@click.group()
@click.version_option(__version__, prog_name="bookbuild")
def main() -> None:
    """Build e-books from Markdown chapters with endnotes."""


@main.command()
@click.argument("book_dir", default=".", type=click.Path(path_type=Path))
@click.option("-o", "--out-dir", type=click.Path(path_type=Path),
              help="Where to write the book (default: BOOK_DIR/dist).")
@json_option
@click.option("--no-check", is_flag=True, help="Skip EPUBCheck.")
@click.option("-f", "--format", "formats", multiple=True, metavar="FORMAT",
              help="epub, kindle-epub, kobo, azw3, cover-jpg or all; repeat or separate "
                   "with commas (default: book.yaml's formats, else epub and cover-jpg).")
def build(book_dir: Path, out_dir: Path | None, as_json: bool, no_check: bool,
          formats: tuple[str, ...]) -> None:
    """Build BOOK_DIR (with its book.yaml) into an EPUB 3 and check it.

    Exit status: 0 built and checked clean, 1 built but a check failed,
    2 bad input (nothing is written).
    """
    try:
        options = BuildOptions(out_dir=out_dir, check=not no_check,
                               source_date_epoch=_source_date_epoch(),
                               formats=formats or None)
        report = build_book(book_dir, options)
    except BookbuildError as err:
        _fail(err)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    sys.exit(report.exit_code)


@main.command()
@click.argument("book_dir", default=".", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="The JPEG to write (default: BOOK_DIR/dist/<slug>-cover.jpg).")
@click.option("--design", is_flag=True, help="Design a cover even if book.yaml names one.")
def cover(book_dir: Path, output: Path | None, design: bool) -> None:
    """Write the cover the build would use: the configured one made store-ready,
    or a typographic cover designed from the title and contributors."""
    try:
        config = load_config(book_dir)
        result = cover_for(config, design=design)
    except BookbuildError as err:
        _fail(err)
    path = output or config.root / "dist" / f"{config.slug}-cover.jpg"
    write_atomic(path, lambda tmp: tmp.write_bytes(result.jpeg))
    for warning in result.warnings:
        click.echo(f"bookbuild: warning: {warning}", err=True)
    kind = "designed" if result.designed else "from " + display_path(config.cover)
    click.echo(f"{display_path(path)}: {result.width}x{result.height} JPEG, {kind}")


@main.command("import")
@click.argument("textfile", type=click.Path(path_type=Path))
@click.option("-o", "--out", "book_dir", required=True, type=click.Path(path_type=Path),
              help="The book directory to write.")
@click.option("--language", default="en", show_default=True, help="The book's BCP 47 language.")
@click.option("--force", is_flag=True, help="Replace BOOK_DIR if it is not empty.")
def import_command(textfile: Path, book_dir: Path, language: str, force: bool) -> None:
    """Turn a print book's text extraction into a book directory: book.yaml, one
    Markdown file per chapter with its notes attached, and import-report.md
    listing every place a person should check."""
    try:
        result = import_text(textfile, book_dir, language=language, force=force)
    except BookbuildError as err:
        _fail(err)
    notes = sum(len(c.notes) for c in result.chapters)
    click.echo(f"{display_path(book_dir)}: {len(result.chapters)} chapters, {notes} notes; "
               f"{result.doubts} places to check in {display_path(book_dir / 'import-report.md')}")


def _inspect_files(files: tuple[Path, ...], as_json: bool, key: str, inspect, show) -> None:
    """Shared body of the commands that look at finished EPUB files."""
    try:
        results = [(f, inspect(f)) for f in files]
    except BookbuildError as err:
        _fail(err)
    if as_json:
        click.echo(json.dumps({"files": [{"path": str(f), key: r.to_dict()} for f, r in results]},
                              ensure_ascii=False, indent=2))
    else:
        console = Console(highlight=False)
        for f, r in results:
            show(console, display_path(f), r)
    sys.exit(0 if all(r.passed for _, r in results) else 1)


@main.command()
@files_argument
@json_option
def check(files: tuple[Path, ...], as_json: bool) -> None:
    """Run EPUBCheck on FILES; exit 1 if any has a fatal error, error or warning."""
    _inspect_files(files, as_json, "check", epubcheck, _print_check)


@main.command()
@files_argument
@json_option
def notes(files: tuple[Path, ...], as_json: bool) -> None:
    """Inspect the note links of any EPUB (or AZW3) FILES: per document the
    references and notes, and every broken link; exit 1 if any link is broken."""
    _inspect_files(files, as_json, "notes", inspect_file, _print_notes)


if __name__ == "__main__":
    main()
