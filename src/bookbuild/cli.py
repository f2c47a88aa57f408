"""The ``bookbuild`` command: a thin shell over :func:`bookbuild.build_book`.

Every command runs inside one boundary (``_Command.invoke``): a BookbuildError
(bad input) is one line per problem on stderr and exit 2; any other exception
is a bug: one line naming its crash report, and exit 3. A failed check is
exit 1; Ctrl-C is 130, as for any program a shell runs. So a user never sees
a traceback.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .config.vocabulary import GRANTS, THEMES
from .errors import (BAD_INPUT, BUG, CHECK_FAILED, INTERRUPTED, BookbuildError, Problem,
                     display_path, shown, warning_lines)

if TYPE_CHECKING:  # the rest is imported where it is used: `--help` stays fast
    from rich.console import Console

    from .build import BuildOptions
    from .checks.epubcheck import CheckResult
    from .checks.notelinks import NotesReport
    from .output.report import BuildReport
    from .runs.outcome import BookOutcome, Failure


def _print_json(data: dict) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _print_failure(failure: Failure) -> None:
    for line in failure.lines_with_warnings():
        click.echo(f"bookbuild: {line}", err=True)


class _Command(click.Command):
    """Maps what a command raises to its exit status, in this one place."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise  # usage errors, exits and a closed pipe are click's to report
        except KeyboardInterrupt:  # click says "Aborted!" and exits 1, a failed check's status
            click.echo("bookbuild: interrupted", err=True)
            ctx.exit(INTERRUPTED)
        except Exception as exc:
            from .runs.outcome import Failure

            failure = Failure.of(exc)
        _print_failure(failure)
        if ctx.params.get("as_json"):
            _print_json(failure.to_dict())
        ctx.exit(failure.exit_code)


class _Group(click.Group):
    command_class = _Command


def _source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    if not value.strip().isdigit():
        raise BookbuildError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}", code="source-date-invalid")
    return int(value)


def _print_check(console: Console, label: str, check: CheckResult | None) -> None:
    if check is None:
        console.print(f"  {label}: not checked", soft_wrap=True)
        return
    status = "[green]passed[/green]" if check.passed else "[red]failed[/red]"
    console.print(f"  {label}: {check.title} {status} "
                  f"({check.fatal} fatal, {check.error} errors, {check.warning} warnings)",
                  soft_wrap=True)
    for line in shown([str(m) for m in check.messages
                       if m.severity in ("FATAL", "ERROR", "WARNING")]):
        console.print(f"    {line}", markup=False, highlight=False, soft_wrap=True)


def _print_notes(console: Console, label: str, report: NotesReport) -> None:
    status = "[green]linked both ways[/green]" if report.passed else "[red]broken[/red]"
    console.print(f"  {label}: notes {status} ({report.references} references, "
                  f"{report.notes} notes)", soft_wrap=True)
    for line in shown([f"{d.document}: {d.references} references, {d.notes} notes"
                       for d in report.documents if d.references or d.notes]):
        console.print(f"    {line}", markup=False, soft_wrap=True)
    for line in shown([f"BROKEN {p}" for p in report.problems]):
        console.print(f"    {line}", markup=False, soft_wrap=True)


def _print_warnings(warnings: tuple[Problem, ...], accepted: int) -> None:
    for line in warning_lines(warnings, accepted):
        click.echo(f"bookbuild: {line}", err=True)


def _print_report(report: BuildReport) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    _print_warnings(report.warnings, len(report.accepted))
    chapters = f"{report.chapters} chapter{'s' if report.chapters != 1 else ''}"
    notes = f"{report.notes} note{'s' if report.notes != 1 else ''}"
    console.print(f"[bold]{report.title}[/bold]: {chapters}, {notes}",
                  soft_wrap=True)
    for a in report.artifacts:
        verdicts = []
        if a.pages is not None:
            verdicts.append(f"{a.pages} pages, spine {a.spine:.2f} mm")
        if a.check is not None:
            scope = "" if a.check.scope == "whole book" else f" ({a.check.scope})"
            verdicts.append(f"{a.check.title} " + ("passed" + scope if a.check.passed
                                                   else "[red]FAILED[/red]"))
        if a.notes is not None:
            verdicts.append(f"notes linked both ways ({a.notes.references} references)"
                            if a.notes.passed else "[red]note links BROKEN[/red]")
        size = f"{a.size:,} bytes" if a.written else "[red]not written[/red]"
        console.print(f"  {a.format:<16} {display_path(a.path)}  {size}"
                      + (f"  {', '.join(verdicts)}" if verdicts else ""), soft_wrap=True)
    for a in report.artifacts:
        if a.check is not None and not a.check.passed:
            _print_check(console, display_path(a.path), a.check)
        if a.notes is not None and not a.notes.passed:
            _print_notes(console, display_path(a.path), a.notes)


files_argument = click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="bookbuild")
def main() -> None:
    """Build e-books from Markdown chapters with endnotes."""
    # A polite kill (SIGTERM, as CI's timeouts send) unwinds like Ctrl-C, so
    # temporary files are removed on the way out; kill -9 is swept next run.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))


def _service_default() -> bool:
    """On for people, off in CI: no later command there comes back to a warm checker."""
    return not os.environ.get("CI")


service_option = click.option(
    "--daemon/--no-daemon", "service", default=_service_default, envvar="BOOKBUILD_DAEMON",
    show_default="on, off when CI is set",
    help="Leave the EPUBCheck checker this command starts running for later commands "
         "(it stops after 10 idle minutes, or at `bookbuild checker stop`); with "
         "--no-daemon the command stops it when it ends.")


trust_option = click.option(
    "--trust", type=click.Choice(sorted(GRANTS)), multiple=True, envvar="BOOKBUILD_TRUST",
    help="Let in what no book can grant itself (repeat for both): scripts keeps active "
         "content in the EPUB (declared scripted), typst keeps the book's Typst code in the "
         "print edition. Only for books whose authors you trust.")


@main.command()
@click.argument("book_dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out-dir", type=click.Path(path_type=Path),
              help="Where to write the books (default: each BOOK_DIR/dist).")
@json_option
@click.option("--no-check", is_flag=True, help="Skip EPUBCheck.")
@click.option("-f", "--format", "formats", multiple=True, metavar="FORMAT",
              help="epub, kindle-epub, kobo, azw3, cover-jpg, pdf or all; repeat or separate "
                   "with commas (default: book.yaml's formats, else epub and cover-jpg).")
@click.option("--catalog", type=click.Path(path_type=Path),
              help="A file listing book directories, one per line.")
@click.option("--shard", metavar="I/N", help="Build only books I, I+N, I+2N, … (for CI matrices).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default=True, help="Books (or a single book's chapters) built at once.")
@click.option("--no-cache", is_flag=True, help="Convert every chapter (and the AZW3) again.")
@click.option("--theme", type=click.Choice(THEMES), default=None,
              help="Set the books (EPUB and PDF alike) in this built-in theme, not book.yaml's.")
@service_option
@trust_option
def build(book_dirs: tuple[Path, ...], out_dir: Path | None, as_json: bool, no_check: bool,
          formats: tuple[str, ...], catalog: Path | None, shard: str | None, jobs: int,
          no_cache: bool, theme: str | None, service: bool,
          trust: tuple[str, ...]) -> None:
    """Build each BOOK_DIR (with its book.yaml, which may be named instead;
    default: the current directory) into an EPUB 3 and the other formats asked for, and check them.

    Exit status: 0 built and checked clean, 1 built but a check failed,
    2 bad input (nothing is written for that book), 3 a bug in bookbuild;
    for several books, the worst.
    """
    from .build import BuildOptions
    from .runs.catalog import read_catalog
    from .runs.catalog import shard as catalog_shard

    options = BuildOptions(out_dir=out_dir, check=not no_check,
                           source_date_epoch=_source_date_epoch(),
                           formats=formats or None, jobs=jobs, cache=not no_cache,
                           service=service, trust=frozenset(trust), theme=theme)
    books = list(book_dirs) + (read_catalog(catalog) if catalog else [])
    books = books or [Path(".")]
    single = len(books) == 1 and not shard and not catalog
    if shard:
        books = catalog_shard(books, shard)
    if single:
        _build_one(books[0], options, as_json)
    else:
        _build_many(books, options, jobs, as_json)


def _build_one(book: Path, options: BuildOptions, as_json: bool) -> None:
    from .runs.outcome import attempt

    outcome = attempt(book, options)
    if outcome.failure:
        _print_failure(outcome.failure)
    if as_json:
        _print_json(outcome.to_dict())
    elif outcome.report:
        _print_report(outcome.report)
    sys.exit(outcome.exit_code)


def _build_many(books: list[Path], options: BuildOptions, jobs: int, as_json: bool) -> None:
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from .runs.catalog import build_catalog, worst_exit

    console = Console(highlight=False, stderr=as_json)
    done = [0]

    def line(outcome: BookOutcome) -> None:
        done[0] += 1
        verdict = {0: "ok", CHECK_FAILED: "CHECK FAILED", BAD_INPUT: "ERROR",
                   BUG: "BUG"}[outcome.exit_code]
        console.print(f"[{done[0]}/{len(books)}] {verdict:<12} {display_path(outcome.book)} "
                      f"({outcome.seconds:.1f} s)", markup=False, soft_wrap=True)
        for line in outcome.failure.lines() if outcome.failure else ():
            console.print(f"    {line}", markup=False, soft_wrap=True)

    if console.is_terminal and not as_json:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("building", total=len(books))

            def tick(outcome: BookOutcome) -> None:
                line(outcome)
                progress.advance(task)

            outcomes = build_catalog(books, options, jobs, tick)
    else:
        outcomes = build_catalog(books, options, jobs, line)
    code = worst_exit(outcomes)
    if as_json:
        _print_json({"books": [o.to_dict() for o in outcomes], "exit_code": code})
    else:
        table = Table(title=f"{len(outcomes)} books")
        for column in ("book", "title", "files", "checks", "exit"):
            table.add_column(column)
        for o in outcomes:
            r = o.report
            checks = "-" if r is None else ("passed" if r.exit_code == 0 else "FAILED")
            table.add_row(display_path(o.book), r.title if r else "-",
                          str(len(r.artifacts)) if r else "0", checks, str(o.exit_code))
        console.print(table)
    sys.exit(code)


@main.command()
@click.argument("book_dir", default=".", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="The image to write, .jpg or .png (default: BOOK_DIR/dist/<slug>-cover.jpg).")
@click.option("--design", is_flag=True, help="Design a cover even if book.yaml names one.")
def cover(book_dir: Path, output: Path | None, design: bool) -> None:
    """Write the cover the build would use: the configured one made store-ready,
    or a typographic cover designed from the title and contributors."""
    from .config import load_config
    from .look.cover import cover_for, encoded
    from .look.fonts import load_faces
    from .output.artifacts import output_dir, write_atomic
    from .output.names import file_name

    config = load_config(book_dir)
    path = (output_dir(config.root, output and output.parent, book_dir)
            / (output.name if output else file_name(config.slug, "cover-jpg")))
    kind_of_file = encoded(path)  # an unknown extension stops here, before any work
    result = cover_for(config, design=design, faces=load_faces(config))
    write_atomic(path, lambda tmp: tmp.write_bytes(kind_of_file.data(result)))
    shown = tuple(w for w in result.warnings if not config.accepts(w))
    _print_warnings(shown, len(result.warnings) - len(shown))
    kind = "designed" if result.designed else "from " + display_path(config.cover)
    click.echo(f"{display_path(path)}: {result.width}x{result.height} {kind_of_file.name}, {kind}")


@main.command("new")
@click.argument("book_dir", required=False, type=click.Path(path_type=Path))
@click.option("--from", "project", type=click.Path(path_type=Path),
              help="Write the book.yaml of this bookdown, Quarto, mdBook or GitBook project instead.")
@click.option("--title", help="The book's title (default: from BOOK_DIR's name).")
@click.option("--author", default="Your Name", show_default=True, help="The author's name.")
@click.option("--language", default="en", show_default=True, help="The book's BCP 47 language.")
def new_command(book_dir: Path | None, project: Path | None, title: str | None, author: str,
                language: str) -> None:
    """Start a book in BOOK_DIR (new or empty): a book.yaml with a title, language
    and author, two chapters with notes, and a README line; it builds at once.
    With --from PROJECT, write PROJECT/book.yaml from its _bookdown.yml and
    index.Rmd, or its _quarto.yml."""
    from .newbook import book_yaml_for, new_book

    if project is not None:
        if book_dir is not None:
            raise click.UsageError("give BOOK_DIR or --from PROJECT, not both")
        click.echo(f"{display_path(book_yaml_for(project))}: written from the project")
        return
    if book_dir is None:
        raise click.UsageError("name the new book's directory (or --from PROJECT)")
    new_book(book_dir, title=title, author=author, language=language)
    click.echo(f"{display_path(book_dir)}: a new book; build it with "
               f"`bookbuild build {display_path(book_dir)}`")


@main.command("watch")
@click.argument("book_dir", default=".", type=click.Path(path_type=Path))
@click.option("-o", "--out-dir", type=click.Path(path_type=Path),
              help="Where to write the book (default: BOOK_DIR/dist).")
@click.option("--no-check", is_flag=True, help="Skip EPUBCheck.")
@click.option("-f", "--format", "formats", multiple=True, metavar="FORMAT",
              help="As for build.")
@service_option
@trust_option
def watch_command(book_dir: Path, out_dir: Path | None, no_check: bool,
                  formats: tuple[str, ...], service: bool, trust: tuple[str, ...]) -> None:
    """Rebuild BOOK_DIR, checks included, whenever a source changes; one line per
    build. Errors in the sources are reported and watching goes on (Ctrl-C stops)."""
    from .build import BuildOptions
    from .runs.watch import watch

    options = BuildOptions(out_dir=out_dir, check=not no_check,
                           source_date_epoch=_source_date_epoch(), formats=formats or None,
                           service=service, trust=frozenset(trust))
    try:
        watch(book_dir, options, lambda text: click.echo(text))
    except KeyboardInterrupt:
        pass


@main.command("preview")
@click.argument("target", default=".", type=click.Path(path_type=Path))
@click.option("--engine", type=click.Choice(["foliate", "epubjs"]), default="foliate",
              show_default=True, help="The reading system: foliate-js or epub.js.")
@click.option("-f", "--format", "fmt", type=click.Choice(["epub", "kindle-epub", "kobo"]),
              default="epub", show_default=True, help="Which EPUB of a book directory to show.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: any free one).")
@click.option("--no-browser", is_flag=True, help="Print the URL instead of opening a browser.")
@click.option("--theme", type=click.Choice(THEMES), default=None,
              help="Show the book in this built-in theme instead of book.yaml's.")
@click.option("--screenshots", "shots_dir", type=click.Path(path_type=Path),
              help="Write PNGs of the cover, title page, contents, each chapter, a page "
                   "with note references and an open note, the notes list and the first "
                   "scene break, verse, table and code into this directory, and exit.")
@click.option("--pdf", "print_pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="With --screenshots: the book's print edition too, its title, copyright "
                   "and contents pages, first chapter opening, verse, table, note and "
                   "bibliography (pdf-NN-*.png), found by the EPUB's words.")
def preview_command(target: Path, engine: str, fmt: str, port: int, no_browser: bool,
                    theme: str | None, shots_dir: Path | None, print_pdf: Path | None) -> None:
    """Show TARGET (a book directory, default the current one, or an EPUB file) in a
    real reading system served on 127.0.0.1; a book directory is built now (never
    served from its dist/) and rebuilt on every save, and the page reloads (Ctrl-C stops)."""
    from .preview.screenshots import take as take_screenshots
    from .preview.screenshots import take_pdf
    from .preview.session import PreviewOptions, book_file, own_folder, serve

    options = PreviewOptions(engine=engine, port=port, open_browser=not no_browser, format=fmt,
                             theme=theme)
    echo = lambda text: click.echo(text)  # noqa: E731
    if shots_dir is not None:
        with own_folder() as folder:
            epub = book_file(target, options, echo, folder)
            paths = take_screenshots(epub, shots_dir,
                                     lambda text: click.echo(f"bookbuild: warning: {text}", err=True))
            if print_pdf is not None:
                paths += take_pdf(epub, print_pdf, shots_dir)
        for path in paths:
            click.echo(display_path(path))
        return
    try:
        serve(target, options, echo)
    except KeyboardInterrupt:
        pass


@main.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--out", "book_dir", required=True, type=click.Path(path_type=Path),
              help="The book directory to write.")
@click.option("--language", default=None,
              help="The book's BCP 47 language (default: read from its front matter).")
@click.option("--force", is_flag=True, help="Replace BOOK_DIR if it is not empty.")
def import_command(source: Path, book_dir: Path, language: str | None, force: bool) -> None:
    """Turn a printed book (its PDF, or a text extraction) into a book
    directory: book.yaml, one Markdown file per chapter with its notes
    attached, and import-report.md listing every place a person should check."""
    from .importer import import_book

    result = import_book(source, book_dir, language=language, force=force)
    notes = sum(len(c.notes) for c in result.chapters)
    click.echo(f"{display_path(book_dir)}: {len(result.chapters)} chapters, {notes} notes; "
               f"{result.doubts} places to check in {display_path(book_dir / 'import-report.md')}")


def _inspect_files(files: tuple[Path, ...], as_json: bool, key: str, inspect, show) -> None:
    """Shared body of the commands that look at finished EPUB files."""
    from rich.console import Console

    results = [(f, inspect(f)) for f in files]
    if as_json:
        _print_json({"files": [{"path": str(f), key: r.to_dict()} for f, r in results]})
    else:
        console = Console(highlight=False)
        for f, r in results:
            show(console, display_path(f), r)
    sys.exit(0 if all(r.passed for _, r in results) else 1)


@main.command()
@files_argument
@json_option
@click.option("--ace", "with_ace", is_flag=True,
              help="Also run Ace by DAISY; exit 1 on any serious or critical violation.")
@service_option
def check(files: tuple[Path, ...], as_json: bool, with_ace: bool, service: bool) -> None:
    """Run EPUBCheck on FILES; exit 1 if any has a fatal error, error or warning."""
    from rich.console import Console

    from .checks.ace import command as ace_command
    from .checks.ace import run_ace
    from .checks.checker import epubcheck
    from .runtime import Runtime

    runtime = Runtime.from_environment()
    using = runtime.checker(keep=service)
    notice = using.notice
    if with_ace:
        ace_command()
    with runtime.active():
        results = [(f, epubcheck(f, using), run_ace(f) if with_ace else None) for f in files]
    runtime.close()
    if notice:
        click.echo(f"bookbuild: notice: {notice}", err=True)
    if as_json:
        _print_json({"files": [
            {"path": str(f), "check": r.to_dict(), "ace": a.to_dict() if a else None}
            for f, r, a in results]})
    else:
        console = Console(highlight=False)
        for f, r, a in results:
            _print_check(console, display_path(f), r)
            if a is not None:
                status = "passed" if a.passed else "[red]failed[/red]"
                counts = ", ".join(f"{n} {impact}" for impact, n in a.counts.items())
                console.print(f"  {display_path(f)}: Ace {status} ({counts})", soft_wrap=True)
                for line in shown([str(v) for v in a.violations]):
                    console.print(f"    {line}", markup=False, soft_wrap=True)
    ok = all(r.passed and (a is None or a.passed) for _, r, a in results)
    sys.exit(0 if ok else 1)


@main.command()
@files_argument
@json_option
def notes(files: tuple[Path, ...], as_json: bool) -> None:
    """Inspect the note links of any EPUB (or AZW3) FILES: per document the
    references and notes, and every broken link; exit 1 if any link is broken."""
    from .checks.notelinks import inspect_file

    _inspect_files(files, as_json, "notes", inspect_file, _print_notes)



@main.group("checker")
def checker_group() -> None:
    """The user's EPUBCheck checker process that builds and checks share."""


@checker_group.command("status")
def checker_status() -> None:
    """Say which checkers run for this user; exit 1 if none does."""
    from .checks import service as check_service

    found = check_service.services(check_service.runtime_dir())
    for item in found:
        if isinstance(item, Path):
            click.echo(f"{display_path(item)}: not answering")
            continue
        age = time.time() - item.started
        click.echo(f"pid {item.pid}: bookbuild {item.version} ({item.fingerprint}"
                   f"{', this version' if item.current else ', another version: unused'}), "
                   f"up {age:.0f} s, {item.checks} checks, stops after "
                   f"{item.idle_seconds:.0f} s idle")
    if not found:
        click.echo("no EPUBCheck checker is running")
    sys.exit(0 if found else 1)


@checker_group.command("stop")
def checker_stop() -> None:
    """Stop every checker of this user."""
    from .checks import service as check_service

    for path in sorted(check_service.runtime_dir().glob("checker-*.sock")):
        click.echo(f"{display_path(path)}: {check_service.stop(path)}")


if __name__ == "__main__":
    main()
