"""The one walk of a chapter's AST (pandocast.survey) stands in for the walks
of the cross-reference and foreign-syntax surveys: on chapters full of what
they look for, in every place Pandoc lets it stand, the results must be the
same as their own full walks."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookbuild.refs import crossrefs
from bookbuild.chapters import foreign
from bookbuild.notes.source import notes_survey
from bookbuild.pandoc import read_markdown

CORPUS = Path(__file__).parent / "corpus"

INLINES = [
    "{{< include _part.qmd >}}", "{{<\nvideo x.mp4 >}}", "&#123;&#123;< pagebreak >}}",
    "`r 1 + 1`", "`{r} x`", "[@smith2020; see @fig-map, p. 3]", "@tbl-one", "[-@sec-intro]",
    "![A map](map.png){#fig-map}", "plain words", "*{{< emph >}}*", "[link {{< ref >}}](x.md)",
    "[^n]", "^[an inline note with @fig-map and {{< meta title >}}]",
]
BLOCKS = [
    "```{r}\nplot(1)\n```", "```{python label}\nprint(1)\n```", "```r\nnot a chunk\n```",
    "`{r} summary(x)`", "# A heading {#sec-intro}", "## Another {#sec-two .unnumbered}",
    "![A figure](f.png){#fig-one}", "| a | b |\n|---|---|\n| {{< x >}} | @fig-one |\n\n"
    ": Caption {#tbl-one}", "::: {#fig-div}\n![inside](d.png)\n\nA caption\n:::",
    "Term {{< t >}}\n:   Definition with @fig-one", "| {{< line >}}\n| block",
    "> Quoted {{< q >}} and `r 2`", "- item {{< li >}}\n- ```{r}\n  x\n  ```",
    "[^n]: A note with ```{r} x``` and {{< inote >}} and ![in note](n.png){#fig-note}",
]


@st.composite
def chapters(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(BLOCKS)))
        else:
            parts.append(" ".join(draw(st.lists(st.sampled_from(INLINES), min_size=1,
                                                max_size=5))))
    return "\n\n".join(parts) + "\n"


def _same(text: str) -> None:
    blocks = (parsed := read_markdown(text)).doc["blocks"]
    found = notes_survey(parsed)
    assert foreign.survey(blocks, found) == foreign.survey(blocks)
    assert crossrefs.survey(blocks, found) == crossrefs.survey(blocks)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chapters())
def test_one_walk_finds_what_each_survey_walk_finds(text):
    _same(text)


def test_one_walk_finds_what_each_survey_walk_finds_in_the_corpus():
    files = sorted(CORPUS.glob("*/manuscript/*.md"))
    assert files
    for path in files:
        _same(path.read_text(encoding="utf-8"))


def test_the_decoys_are_found():
    """The generator's pieces are seen: shortcodes (one written with
    entities), chunks, inline R, citations and labels, inside notes too."""
    text = "\n\n".join(BLOCKS + [" ".join(INLINES)]) + "\n"
    blocks = (parsed := read_markdown(text)).doc["blocks"]
    found = notes_survey(parsed)
    kinds = {(what, name) for what, name, *_ in foreign.survey(blocks, found)}
    assert {("chunk", "R"), ("chunk", "Python"), ("inline", "R"),
            ("shortcode", "include"), ("shortcode", "pagebreak")} <= kinds
    cites, labels = crossrefs.survey(blocks, found)
    assert {"smith2020", "fig-map", "tbl-one", "sec-intro"} <= set(cites)
    assert {"fig-one", "tbl-one", "sec-intro", "fig-note"} <= {label.id for label in labels}
