"""The print edition of a real book: Advanced R's bookdown project (over 500
pages, 122 notes, code, lists and figures) set as its author keeps it, in
each theme, held to the layout guarantees (issue 25). Most of a minute a
theme on the CI machine, so this module is left out of ``make test`` and runs
as its own step of ``.ci/run``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.config.vocabulary import THEMES

from conftest import PROJECT
from test_print import EPOCH, Pdf

ADVR = PROJECT.parent / "shared" / "corpus" / "advr-bookdown"

pytestmark = pytest.mark.skipif(not ADVR.is_dir(), reason=f"{ADVR} is absent (CI has it)")


@pytest.mark.parametrize("theme", THEMES)
def test_advanced_r_s_pdf_passes_its_print_check_with_every_footnote_on_its_page(tmp_path, theme):
    result = CliRunner().invoke(main, ["build", str(ADVR), "-o", str(tmp_path), "-f", "pdf",
                                       "--theme", theme, "--no-daemon"],
                                env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    assert result.exit_code == 0, result.stdout
    assert "print check passed" in result.stdout
    (path,) = tmp_path.glob("*.pdf")
    pdf = Pdf(path)
    assert len(pdf.labels) > 400
    # Measured in the PDF itself: each page's note marks are the notes at its foot.
    for label, refs, notes in zip(pdf.labels, pdf.references, pdf.footnotes):
        assert refs == notes, f"page {label}: marks {refs}, notes {notes}"
    # No code line runs on past the measure unmarked: a long one goes on under "↪".
    assert sum(text.count("\u21aa") for text in pdf.texts) > 10
