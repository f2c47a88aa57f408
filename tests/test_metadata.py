"""Metadata publishers ask for: series, edition, several titles and languages,
subjects with a scheme, a version in the OPF and the file name. The OPF is a
golden file (tests/golden/metadata.opf; ``--update-golden`` rewrites it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookbuild import BuildOptions, build_book
from bookbuild.config import Series, Subject, load_config
from bookbuild.errors import ConfigError

from conftest import NS, Epub, write_book

BOOK = Path(__file__).parent / "data" / "metadata-book"
GOLDEN = Path(__file__).parent / "golden" / "metadata.opf"
BASE = "title: T\nlanguage: en\nauthor: A\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("metadata")
    report = build_book(BOOK, BuildOptions(out_dir=out, check=True, source_date_epoch=1700000000,
                                           formats=("epub",)))
    return report, Epub(report.artifact("epub").path)


def test_the_opf_matches_its_golden_file_and_passes_epubcheck(built, request):
    report, epub = built
    check = report.artifact("epub").check
    assert (check.fatal, check.error, check.warning) == (0, 0, 0), [str(m) for m in check.messages]
    opf = epub.files["EPUB/content.opf"]
    if request.config.getoption("--update-golden"):
        GOLDEN.write_bytes(opf)
    assert opf.decode("utf-8") == GOLDEN.read_text(encoding="utf-8")


def test_the_version_goes_into_the_file_names(built):
    report, _ = built
    assert report.artifact("epub").path.name == "the-second-margin-2.1.0.epub"


def test_series_titles_languages_and_subjects_in_the_opf(built):
    _, epub = built
    meta = epub.opf.find("opf:metadata", NS)

    def refined(target, prop):
        return meta.findtext(f"opf:meta[@refines='#{target}'][@property='{prop}']", None, NS)

    titles = {refined(t.get("id"), "title-type"): t.text for t in meta.iterfind("dc:title", NS)}
    assert titles == {"main": "The Second Margin", "subtitle": "Notes on Notes, Continued",
                      "short": "Second Margin",
                      "expanded": "The Second Margin: Notes on Notes, Continued"}
    assert [lang.text for lang in meta.iterfind("dc:language", NS)] == ["en-GB", "fr", "la"]
    series = meta.find("opf:meta[@property='belongs-to-collection']", NS)
    assert (series.text, refined("series", "collection-type"),
            refined("series", "group-position")) == ("The Margins", "series", "2")
    subjects = [(s.text, refined(s.get("id"), "authority"), refined(s.get("id"), "term"))
                for s in meta.iterfind("dc:subject", NS)]
    assert subjects == [("Typography", None, None),
                        ("LANGUAGE ARTS & DISCIPLINES / Publishing", "BISAC", "LAN027000"),
                        ("Publishing industry and book trade", "THEMA", "KNTP2")]
    assert meta.findtext("opf:meta[@property='schema:bookEdition']", None, NS) == "Second edition"
    assert meta.findtext("opf:meta[@property='schema:version']", None, NS) == "2.1.0"


def test_values_read_from_book_yaml(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, BASE + "series: Lone Series\nsubjects:\n"
               "  - {scheme: THEMA, code: 1DDU-GB-SN}\nversion: '3'\n")
    config = load_config(tmp_path)
    assert config.series == Series("Lone Series")
    assert config.subjects == (Subject("1DDU-GB-SN", "THEMA", "1DDU-GB-SN"),)
    assert (config.version, config.slug) == ("3", "t")  # in the file name only when asked


def _problems(root):
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    return [(p.line, p.message) for p in caught.value.problems]


@pytest.mark.parametrize("yaml, message", [
    ("series: {position: 2}", "series: 'name' is required"),
    ("series: {name: S, position: second}",
     "series: 'position' must be a number such as 2 or 2.5, not 'second'"),
    ("subjects: [{scheme: BISAC}]", "subject 1: give 'scheme' and 'code' together"),
    ("subjects: [{scheme: BISAC, code: FIC14}]",
     "subject 1: 'FIC14' is not a BISAC code (such as FIC014000)"),
    ("subjects: [{scheme: DEWEY, code: '941'}]",
     "subject 1: unknown subject scheme 'DEWEY' (one of BISAC, THEMA)"),
    ("version: 1/2", "'version' must be letters, digits, '.', '+' and '-' (such as 1.2 or "
     "2026.1), not '1/2'"),
    ("version-in-file-names: true", "'version-in-file-names' needs a 'version'"),
    ("languages: [en, xx-!]",
     "'languages' is not a valid BCP 47 tag: 'xx-!' (for example en-GB, ru, fr-CA)"),
    ("sereis: S", "unknown key 'sereis' (did you mean 'series'?)"),
])
def test_bad_metadata_is_one_line_with_its_line(tmp_path, yaml, message):
    write_book(tmp_path, {"a.md": "# A\n"}, BASE + yaml + "\n")
    assert _problems(tmp_path) == [(4, message)]
