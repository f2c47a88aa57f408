"""Screenshots: `bookbuild preview --screenshots` takes small PNGs of each
page of its plan, and the sample book's look in each theme is compared with
the committed screenshots (docs/screenshots/THEME/, `make screenshots`): every
picture is taken again, in foliate-js or of the print edition's PDF, and
may differ from its committed copy in at most TOLERANCE of its pixels, so an
unintended change to a theme, the markup or the sample fails here and shows
in review as changed PNGs."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner
from PIL import Image

from bookbuild.config.vocabulary import THEMES
from bookbuild import BuildOptions, build_book
from bookbuild.cli import main
from bookbuild.preview.browser import UNSANDBOXED
from bookbuild.preview.screenshots import compare, pdf_plan, plan, take, take_pdf
from conftest import PROJECT
from test_readers import _missing

pytestmark = pytest.mark.skipif(_missing() is not None and not os.environ.get("CI"),
                                reason=f"screenshots: {_missing()}")

#: Share of a picture's pixels that may differ: anti-aliasing and the palette
#: stay well under it; a moved line or a changed colour is far over it.
TOLERANCE = 0.005
COMMITTED = PROJECT / "docs" / "screenshots"


@pytest.mark.parametrize("theme", THEMES)
def test_the_sample_looks_as_its_committed_screenshots(theme, tmp_path):
    # Built as `bookbuild preview --theme` builds it (no checks), with its print edition.
    report = build_book(PROJECT, BuildOptions(out_dir=tmp_path, check=False,
                                              formats=("epub", "pdf"), theme=theme))
    epub = report.artifact("epub").path
    # In a thread of its own: Playwright's sync API refuses to start a second
    # time in a thread where the reader tests' browser still runs.
    with ThreadPoolExecutor(1) as pool:
        shots = pool.submit(take, epub, tmp_path / "shots").result()
    shots += take_pdf(epub, report.artifact("pdf").path, tmp_path / "shots")
    names = {p.name for p in shots}
    for wanted in ("cover", "chapter-01", "note-open", "notes-list", "scene-break", "verse",
                   "table", "code"):
        assert any(n.endswith(f"-{wanted}.png") for n in names), wanted
    for wanted in ("title-page", "copyright-page", "contents", "chapter-opening", "verse", "table"):
        assert any(n.startswith("pdf-") and n.endswith(f"-{wanted}.png") for n in names), wanted
    differences = compare(COMMITTED / theme, tmp_path / "shots")
    changed = {name: round(d, 4) for name, d in differences.items() if d > TOLERANCE}
    assert not changed, (f"{theme}: these pictures changed (run `make screenshots`, look at "
                         f"them, and commit them if the change is meant): {changed}")


def test_screenshots_are_small_pngs_of_each_page(sample_build, tmp_path):
    _, epub = sample_build
    # In a thread of its own, as above: the reader tests' browser may run in this one.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(CliRunner().invoke, main, ["preview", str(epub.path),
                                                        "--screenshots", str(tmp_path / "shots")]
                             ).result()
    assert result.exit_code == 0, result.output
    # Unsandboxed only as root, and then said in one line.
    assert result.stderr.splitlines() == ([f"bookbuild: warning: {UNSANDBOXED}"]
                                          if os.geteuid() == 0 else [])
    files = sorted((tmp_path / "shots").glob("*.png"))
    assert [f.name for f in files] == [f"{k:02d}-{s.name}.png"
                                       for k, s in enumerate(plan(epub.path), start=1)]
    for f in files:
        with Image.open(f) as image:
            assert image.size == (600, 800)
            # Not blank: a page shows text or a picture.
            assert len(image.convert("L").getcolors(256) or []) > 4, f.name
        assert f.stat().st_size < 80_000, f.name
