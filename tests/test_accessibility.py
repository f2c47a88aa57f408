"""Accessibility: metadata derived from the content, page lists, content checks, Ace."""

from __future__ import annotations

import os
import shutil

import pytest

from bookbuild import BuildOptions, build_book
from bookbuild.checks import ace
from bookbuild.errors import ConfigError, ManuscriptError, ToolMissingError

from conftest import NS, Epub, write_book

needs_ace = pytest.mark.skipif(
    shutil.which("ace-puppeteer") is None and not os.environ.get("CI"),
    reason="Ace by DAISY is not installed here (CI installs it, and there this test must run)")


def a11y(epub: Epub) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in epub.opf.iterfind(".//{http://www.idpf.org/2007/opf}meta[@property]"):
        found.setdefault(meta.get("property"), []).append(meta.text)
    return found


def test_sample_book_metadata_is_derived_from_its_content(sample_build):
    _, epub = sample_build
    meta = a11y(epub)
    assert meta["schema:accessMode"] == ["textual", "visual"]  # it has one informative image
    assert "alternativeText" in meta["schema:accessibilityFeature"]
    assert {"pageNavigation", "printPageNumbers", "tableOfContents", "readingOrder",
            "structuralNavigation"} <= set(meta["schema:accessibilityFeature"])
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert "1 image has a text description" in meta["schema:accessibilitySummary"][0]
    assert meta["pageBreakSource"] == ["urn:isbn:9781402894626"]
    assert "dcterms:conformsTo" not in meta  # not asked for in book.yaml, so not claimed
    # The sample's formats include the PDF, so its page list is the PDF's (test_print.py).
    marker = epub.xml("EPUB/text/c01-01-the-first-margin.xhtml").find(".//*[@id='page-2']")
    assert marker.get("role") == "doc-pagebreak" and marker.get("aria-label") == "2"
    assert marker.get("{http://www.idpf.org/2007/ops}type") == "pagebreak"


def test_no_images_no_visual_claims_and_configured_conformance(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n\nText.\n\n![](deco.png){.decorative}\n"}, """\
        title: T
        language: en
        author: A
        accessibility:
          conforms: true
          certified-by: Example Certifier
          hazards: [noFlashingHazard, noSoundHazard, noMotionSimulationHazard]
        """)
    from PIL import Image
    Image.new("RGB", (10, 10)).save(tmp_path / "manuscript" / "deco.png")
    report = build_book(tmp_path, BuildOptions(out_dir=tmp_path / "out"))
    assert report.artifact("epub").check.passed, [str(m) for m in report.artifact("epub").check.messages]
    epub = Epub(report.artifact("epub").path)
    meta = a11y(epub)
    assert meta["schema:accessMode"] == ["textual"]
    assert "alternativeText" not in meta["schema:accessibilityFeature"]
    assert "pageNavigation" not in meta["schema:accessibilityFeature"]
    assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert meta["a11y:certifiedBy"] == ["Example Certifier"]
    assert meta["schema:accessibilityHazard"] == ["noFlashingHazard", "noSoundHazard",
                                                  "noMotionSimulationHazard"]
    img = epub.xml(epub.chapters()[0]).find(".//h:img", NS)
    assert (img.get("alt"), img.get("role")) == ("", "presentation")


def test_eaa_exemption_instead_of_a_claim(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n\nText.\n"}, "title: T\nlanguage: en\nauthor: A\n"
               "accessibility:\n  exemption: eaa-microenterprise\n")
    report = build_book(tmp_path, BuildOptions(out_dir=tmp_path / "out"))
    assert report.artifact("epub").check.passed
    meta = a11y(Epub(report.artifact("epub").path))
    assert meta["a11y:exemption"] == ["eaa-microenterprise"]
    assert meta["dcterms:conformsTo"] == ["none"]


def test_missing_alt_text_stops_the_build_with_file_and_line(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n\nText.\n\n![](pic.png)\n"})
    (tmp_path / "manuscript" / "pic.png").write_bytes(b"\x89PNG")
    with pytest.raises(ManuscriptError) as info:
        build_book(tmp_path, BuildOptions(check=False))
    assert [(p.file.name, p.line, p.code) for p in info.value.problems] == [
        ("a.md", 5, "image-alt-missing"), ("a.md", 5, "image-unreadable")]  # every one at once
    assert str(info.value).splitlines()[0].endswith(
        "or mark it decorative, ![](pic.png){.decorative} [image-alt-missing]")
    assert not (tmp_path / "dist").exists()


EMPTY_ALT = {"a.md": "# A\n\nText ![](icon.png) and\n\n<img alt=\"\" src=\"dot.png\"/>\n",
             "b.md": "# B\n\n![An icon](icon.png)\n"}


def _icon_book(tmp_path, config):
    write_book(tmp_path, EMPTY_ALT, config)
    from PIL import Image
    for name in ("icon.png", "dot.png"):
        Image.new("RGB", (10, 10)).save(tmp_path / "manuscript" / name)
    return tmp_path


def test_an_empty_alt_is_decorative_in_a_github_style_book_and_the_metadata_says_so(tmp_path):
    _icon_book(tmp_path, "title: T\nlanguage: en\nauthor: A\nmarkdown: gfm\n")
    report = build_book(tmp_path, BuildOptions(out_dir=tmp_path / "out"))
    assert report.artifact("epub").check.passed
    assert [(w.file.name, w.line, w.code) for w in report.warnings] == [
        ("a.md", 3, "image-alt-empty")]
    assert report.warnings[0].message.startswith("2 images with an empty alt text")
    epub = Epub(report.artifact("epub").path)
    assert [img.get("alt") for img in epub.xml(epub.chapters()[0]).iterfind(".//h:img", NS)] \
        == ["", ""]
    meta = a11y(epub)
    assert meta["schema:accessMode"] == ["textual", "visual"]
    assert meta["schema:accessModeSufficient"] == ["textual,visual"]  # text alone may not do
    assert "alternativeText" not in meta["schema:accessibilityFeature"]
    summary = meta["schema:accessibilitySummary"][0]
    assert "Its 1 image has a text description. 2 images have no text description" in summary


@pytest.mark.parametrize("config", [
    "title: T\nlanguage: en\nauthor: A\n",  # bookbuild's own Markdown says {.decorative}
    "title: T\nlanguage: en\nauthor: A\nmarkdown: gfm\naccessibility:\n  conforms: true\n",
])
def test_an_empty_alt_stays_an_error_in_own_markdown_or_a_conformance_claim(tmp_path, config):
    _icon_book(tmp_path, config)
    with pytest.raises(ManuscriptError) as info:
        build_book(tmp_path, BuildOptions(check=False))
    assert [(p.file.name, p.line, p.code) for p in info.value.problems] == [
        ("a.md", 3, "image-alt-missing"), ("a.md", 5, "image-alt-missing")]


def test_content_warnings(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n\nSkipped a level, below.\n\n### Skipped a level\n\n"
                                  "[](https://example.org)\n",
                          "b.md": "No heading here.\n"})
    report = build_book(tmp_path, BuildOptions(check=False))
    assert [(w.file.name, w.code) for w in report.warnings] == [
        ("a.md", "heading-skipped"), ("a.md", "link-text-missing"), ("b.md", "heading-missing")]
    assert report.warnings[0].line == 5  # the heading's line, not the text's like it
    assert "'Chapter 2' as its title" in report.warnings[2].message


def test_accessibility_config_is_validated(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, "title: T\nlanguage: en\nauthor: A\n"
               "accessibility:\n  hazards: [loud]\n  conforms: true\n  exemption: tiny-firm\n")
    with pytest.raises(ConfigError) as info:
        build_book(tmp_path)
    assert {p.code for p in info.value.problems} == {"config-value"}
    messages = [str(p) for p in info.value.problems]
    assert any("unknown hazard 'loud'" in m for m in messages)
    assert any("conformance or an exemption, not both" in m for m in messages)
    assert any("unknown exemption 'tiny-firm'" in m for m in messages)


def test_ace_report_is_summarised_by_impact():
    data = {"assertions": [{"earl:testSubject": {"url": "text/c.xhtml"}, "assertions": [
        {"earl:result": {"earl:outcome": "fail", "dct:description": "Bad contrast\nmore"},
         "earl:test": {"dct:title": "color-contrast", "earl:impact": "serious"}},
        {"earl:result": {"earl:outcome": "pass"},
         "earl:test": {"dct:title": "image-alt", "earl:impact": "critical"}}]}]}
    result = ace.parse_report(data)
    assert result.counts == {"critical": 0, "serious": 1, "moderate": 0, "minor": 0}
    assert [str(v) for v in result.violations] == ["serious color-contrast text/c.xhtml: Bad contrast"]
    assert not result.passed


def test_ace_missing_is_one_line(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ToolMissingError, match="Ace by DAISY needs Node.js, Chromium"):
        ace.command()


@needs_ace
def test_sample_book_has_no_serious_or_critical_ace_violation(sample_build):
    report, _ = sample_build
    result = ace.run_ace(report.artifact("epub").path)
    assert result.passed, [str(v) for v in result.violations]
    assert result.counts["critical"] == result.counts["serious"] == 0
