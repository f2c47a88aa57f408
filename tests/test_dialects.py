"""Each chapter read in its dialect, and knitr's chunks made plain fences
before Pandoc, as knitr finds them (its ``all_patterns$md``), lines kept."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pypandoc
import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.config import load_config
from bookbuild.notes.source import notes_survey
from bookbuild.pandoc import read_markdown
from bookbuild.pandoc.ast import elements, identifier, stringify
from bookbuild.projects.knitr import chunks, header_options
from bookbuild.source.manuscript import load_manuscript

from conftest import NS, PROJECT, build_epub, write_book

SHARED = PROJECT.parent / "shared"
ADVR = SHARED / "corpus" / "advr-bookdown"


@pytest.mark.parametrize("params, engine, options", [
    ("r", "r", {}),
    ("r label", "r", {}),
    ("r, eval = FALSE", "r", {"eval": False}),
    ("r label, echo=FALSE", "r", {"echo": False}),
    ("r,include=F,fig.cap='a, b = c'", "r", {"include": False}),
    ("python", "python", {}),
    ("r eval=x > 1, echo=T", "r", {"echo": True}),  # computed: knitr decides at run time
])
def test_header_options(params, engine, options):
    header = header_options(params)
    assert (header.engine, header.flags) == (engine, options)


def test_header_label_and_string_options():
    header = header_options('r venn-x, echo=FALSE, fig.cap="Two (<GC>), a b", out.width=\'50%\', n=3')
    assert header.label == "venn-x"
    assert header.strings == {"fig-cap": "Two (\\<GC\\>), a b", "out-width": "50%"}
    assert header_options("r echo=FALSE, x").label is None


@pytest.mark.parametrize("text, shown, never_ran", [
    ("```{r}\nx\n```\n", "```r\nx\n```\n", (("r", 1, 1),)),
    ("```{r label}\nx\n```\n", "```r\nx\n```\n", (("r", 1, 1),)),
    ("```{r, eval = FALSE}\nx\n```\n", "```r\nx\n```\n", ()),
    ("```{r label, echo=FALSE}\nx\n```\n", "\n\n\n", (("r", 1, 1),)),
    ("```{python}\nimport os\n```\n", "```python\nimport os\n```\n", (("python", 1, 1),)),
    ("```{r}\n#| include: false\nx\n```\n", "\n\n\n\n", ()),
    ("```{r}\n#| label: a\n#| eval: false\nx\n```\n", "\n\n```r\nx\n```\n", ()),
    ("````{r}\n```\n````\n", "````r\n```\n````\n", (("r", 1, 1),)),
    ("> ```{r}\n> x\n> ```\n", "> ```r\n> x\n> ```\n", (("r", 1, 1),)),
    ("> ```{r echo=FALSE}\n> x\n> ```\n\nAfter.\n", ">\n>\n>\n\nAfter.\n", (("r", 1, 1),)),
    ("- item\n\n    ```{r}\n    x\n    ```\n", "- item\n\n    ```r\n    x\n    ```\n", (("r", 1, 3),)),
    # in a list item, its code not indented (Advanced R): knitr indents every line as the header
    ("1.  Run:\n\n    ```{r, eval = FALSE}\nx\n\ny\n    ```\n\nAfter.\n",
     "1.  Run:\n\n    ```r\n    x\n    \n    y\n    ```\n\nAfter.\n", ()),
    # knitr reads lines, not Markdown: a header inside a longer fence or an indented
    # block is a chunk to it too; `r ''` after the header is its way to show one
    ("````markdown\n```{r}\nx\n```\n````\n", "````markdown\n```r\nx\n```\n````\n",
     (("r", 1, 2),)),
    ("Code:\n\n    ```{r}\n    x\n    ```\n", "Code:\n\n    ```r\n    x\n    ```\n",
     (("r", 1, 3),)),
    ("````\n```{r}`r ''`\nx\n```\n````\n", "````\n```{r}\nx\n```\n````\n", ()),
    # a string literal's value is known without R; other inline expressions stay, and
    # inside a chunk nothing is inline code
    ("A `r \"word\"` and `r 1 + 1`.\n", "A word and `r 1 + 1`.\n", ()),
    ("```{r}\nf(`r ''`)\n```\n", "```r\nf(`r ''`)\n```\n", (("r", 1, 1),)),
    # chosen by the output format, over lines (bookdown's template): an EPUB is HTML, never LaTeX
    ("`r if (knitr:::is_html_output()) '\n# References {-}\n'`\n", "\n# References {-}\n\n", ()),
    ("A`r if (knitr::is_latex_output()) ' (in print)'`.\n", "A.\n", ()),
    ("```{r}\nx\n", "```r\nx\n", (("r", 1, 1),)),  # unclosed: runs to the end, as in knitr
    # right after a line of text: knitr's blank line before the block, the code a line down
    ("* item:\n    ```{r, error = TRUE}\n    x\n    ```\n\nAfter.\n",
     "* item:\n\n    ```r\n    x\n    ```\nAfter.\n", (("r", 1, 2),)),
])
def test_chunks_become_fences(text, shown, never_ran):
    result = chunks(text)
    assert result.text == (text if shown is None else shown)
    assert result.never_ran == never_ran
    assert result.text.count("\n") == text.count("\n")


@pytest.mark.parametrize("markdown, shown", [
    ("markdown", "```r\nx <- 1\n\ny <- 2\n```"),  # an .Rmd renamed: knitr's, as Pandoc has no reading
    ("gfm", "```{r}\nx <- 1\n\ny <- 2\n```"),  # a fence of class {r} there: left to Pandoc
])
def test_a_plain_chapter_in_pandoc_markdown_has_its_chunks_read_as_knitr_reads_them(
        tmp_path, markdown, shown):
    text = f"# One\n\n{shown.replace('```r', '```{r}')}\n\nAfter[^a].\n\n[^a]: A note.\n"
    write_book(tmp_path, {"01.md": text}, f"title: T\nlanguage: en\nauthor: A\n"
                                          f"markdown: {markdown}\n")
    (chapter,) = load_manuscript(load_config(tmp_path)).chapters
    assert chapter.text == text.replace("```{r}", shown.split("\n")[0])
    assert chapter.never_ran == ((("r", 1, 3),) if markdown == "markdown" else ())


def test_a_chunk_that_only_includes_an_image_is_that_figure(tmp_path):
    """Its result is known without R: the image, captioned, bookdown's label
    fig:x. Without a caption (knitr's alt text), a file, or a literal path,
    it stays a chunk that never ran."""
    (tmp_path / "venn.png").write_bytes(b"")
    header = '```{r venn, echo=FALSE, fig.cap="Two circles (<GC>)."}\n'
    assert chunks(header + 'knitr::include_graphics("venn.png")\n```\n', folder=tmp_path).text \
        == "\n\n![Two circles (\\<GC\\>).](venn.png){#fig:venn}\n"
    for code in ('knitr::include_graphics("gone.png")', "knitr::include_graphics(path)"):
        chunk = header + code + "\n```\n"
        assert chunks(chunk, folder=tmp_path).never_ran == (("r", 1, 1),), code
    assert chunks('```{r venn}\nknitr::include_graphics("venn.png")\n```\n',
                  folder=tmp_path).never_ran == (("r", 1, 1),)


def test_a_figure_takes_knitrs_dotted_option_names_in_yaml_too(tmp_path):
    (tmp_path / "venn.png").write_bytes(b"")
    text = ('```{r}\n#| label: fig-venn\n#| echo: false\n#| fig.cap: Two circles.\n'
            '#| fig.alt: Two overlapping circles.\nknitr::include_graphics("venn.png")\n```\n')
    assert chunks(text, folder=tmp_path).text == \
        '\n\n\n\n\n\n![Two circles.](venn.png){#fig-venn fig-alt="Two overlapping circles."}\n'


def test_a_figure_keeps_alt_text_with_quotes_and_backslashes(tmp_path):
    (tmp_path / "venn.png").write_bytes(b"")
    text = ('```{r}\n#| label: fig-venn\n#| fig-cap: Two circles\n'
            '#| fig-alt: \'The "A" set, then C:\\\\x\'\nknitr::include_graphics("venn.png")\n```\n')
    doc = read_markdown(chunks(text, folder=tmp_path).text).doc
    assert [identifier(el) for el in elements(doc["blocks"]) if el["t"] == "Figure"] == ["fig-venn"]
    image = next(el for el in elements(doc["blocks"]) if el["t"] == "Image")
    assert stringify(image["c"][1]) == 'The "A" set, then C:\\\\x'  # fig-alt, Quarto's alt text


@pytest.mark.parametrize("text, shown", [
    # knitr's block engines: the text in a div of its type, or bare without one
    ('```{block2, hint, type="rmdnote"}\nSee *this*.\n```\n', "::: {.rmdnote}\nSee *this*.\n:::\n"),
    ("```{block, type='aside'}\nA.\n```\n", "::: {.aside}\nA.\n:::\n"),
    ("```{block2}\nPlain.\n```\n", "\nPlain.\n\n"),
    ('```{block2, type="rmdnote", echo=FALSE}\nGone.\n```\n', "\n\n\n"),
    ("```{asis}\nAs *is*.\n```\n", "\nAs *is*.\n\n"),
    # bookdown's environments as eng_theorem2 writes them; a line of text before
    # gets knitr's blank line, the text a line down
    ('Try:\n```{exercise, sum, name="Sums"}\nAdd.\n```\n\nNext.\n',
     'Try:\n\n::: {.exercise #sum name="Sums"}\nAdd.\n:::\nNext.\n'),
    ("> ```{proof}\n> Clear.\n> ```\n", "> ::: {.proof}\n> Clear.\n> :::\n"),
])
def test_text_engines_are_the_books_text_never_code(text, shown):
    result = chunks(text)
    assert (result.text, result.never_ran) == (shown, ())


@pytest.mark.parametrize("text, shown, never_ran", [
    # knitr's engines that only show their body: code of their lang, nothing to run
    ("````{verbatim}\n```{r}\nx\n```\n````\n", "````\n```{r}\nx\n```\n````\n", ()),
    ('```{verbatim, lang = "yaml"}\na: 1\n```\n', "```yaml\na: 1\n```\n", ()),
    ("```{cat, class.source = 'toml'}\na = 1\n```\n", "```toml\na = 1\n```\n", ()),
    ('```{cat, engine.opts = list(file = "a.txt")}\nwritten\n```\n', "\n\n\n", ()),
    ("```{comment}\nFor me.\n```\n", "\n\n\n", ()),
    # unless R gives the body
    ('```{cat, code = readLines("a.txt")}\n```\n', "```cat\n```\n", (("cat", 1, 1),)),
])
def test_engines_that_only_show_code_never_ran_nothing(text, shown, never_ran):
    result = chunks(text)
    assert (result.text, result.never_ran) == (shown, never_ran)


def test_bookdown_environments_are_numbered_named_and_linked_as_bookdown_does(tmp_path):
    """Each theorem kind numbered per chapter, labelled or not, its label the
    kind's prefix (exr:sum) that \\@ref() links to; a proof kind opens with its
    name alone; the names in the book's language; notes after them still found."""
    write_book(tmp_path, {
        "01.md": "# One\n\n```{theorem}\nA sum.\n```\n\n"
                 '```{exercise, sum, name="Sums"}\nAdd *two*.\n```\n\n'
                 "```{solution}\n- Four.\n```\n\nAfter[^a].\n\n[^a]: A note.\n",
        "02.md": "# Two\n\n::: {.exercise #more}\nAgain, as in \\@ref(exr:sum).\n:::\n\n"
                 "::: {.theorem}\nA second.\n:::\n"},
        "title: T\nlanguage: fr\nauthor: A\n")
    report, epub = build_epub(tmp_path, tmp_path / "out", check=False)
    first, second = (epub.xml(name) for name in epub.chapters())
    opened = [" ".join("".join(p.itertext()).split()) for doc in (first, second)
              for p in doc.xpath("//h:div[@class='theorem' or @class='exercise' or "
                                 "@class='solution']/h:p", namespaces=NS)]
    assert opened == ["Théorème 1.1 A sum.", "Exercice 1.1 (Sums) Add two.", "Solution.",
                      "Exercice 2.1 Again, as in 1.1.", "Théorème 2.1 A second."]
    assert [div.get("id") for div in first.iterfind(".//h:div[@class='exercise']", NS)] == \
        ["exr:sum"]
    link = second.find(".//h:a[@class='xref']", NS)
    assert link.text == "1.1" and link.get("href").endswith("#exr:sum")
    assert report.notes == 1


def _opened(epub) -> list[str]:
    """What each Div of bookdown's environments' classes shows, per paragraph."""
    names = " or ".join(f"@class='{env}'" for env in ("theorem", "lemma", "example", "proof"))
    return [" ".join("".join(p.itertext()).split()) for name in epub.chapters()
            for p in epub.xml(name).xpath(f"//h:div[{names}]/h:p", namespaces=NS)]


def test_a_theorem_with_a_quarto_style_id_and_labelled_content_is_numbered_once(tmp_path):
    """A theorem whose id looks like Quarto's (#thm-b, #fig-c) and one holding a
    labelled equation and figure: each environment, equation and caption one
    number, each reference one link."""
    from PIL import Image

    write_book(tmp_path, {"01.md": (
        "# One\n\n::: {.theorem #pyth}\nIt holds:\n\n$$a^2 + b^2 = c^2$$ {#eq-pyth}\n\n"
        "![(\\#fig:tri) A triangle](tri.png)\n:::\n\n"
        "::: {.lemma #thm-b}\nBee.\n:::\n\n::: {.example #fig-c}\nSea.\n:::\n\n"
        "See \\@ref(thm:pyth), \\@ref(lem:thm-b), \\@ref(exm:fig-c), @eq-pyth, "
        "\\@ref(fig:tri).\n")})
    Image.new("RGB", (8, 8), "white").save(tmp_path / "manuscript" / "tri.png")
    _, epub = build_epub(tmp_path, tmp_path / "out", check=False)
    (name,) = epub.chapters()
    opened = _opened(epub)
    assert [opened[0], *opened[2:]] == ["Theorem 1.1 It holds:", "Lemma 1.1 Bee.",
                                        "Example 1.1 Sea."]
    doc = epub.xml(name)
    assert [s.text for s in doc.iterfind(".//h:span[@class='equation-number']", NS)] == ["(1.1)"]
    assert ["".join(c.itertext()) for c in doc.iterfind(".//h:figcaption", NS)] == \
        ["Figure\u00a01.1: A triangle"]
    assert [("".join(a.itertext()), a.get("href")) for a in doc.iterfind(".//h:a[@class='xref']",
                                                                           NS)] == [
        ("1.1", "#thm:pyth"), ("1.1", "#lem:thm-b"), ("1.1", "#exm:fig-c"),
        ("Equation\u00a01.1", "#eq-pyth"), ("1.1", "#fig:tri")]


#: A chapter of Divs that bookdown numbers and Pandoc only styles.
_STYLED = "# One\n\n::: example\nStyled.\n:::\n\n::: {.theorem #pyth}\nA sum.\n:::\n"


@pytest.mark.parametrize("name, more, numbered", [
    ("01.md", "", False),  # a Pandoc book: its classes are the author's styling
    ("01.Rmd", "", True),  # R Markdown
    ("01.md", "\n```{r, eval = FALSE}\nx\n```\n", True),  # a knitr chunk: an .Rmd renamed .md
    ("01.md", "\nAs in \\@ref(thm:pyth).\n", True),  # bookdown's reference
    ("01.md", "\n![(\\#fig:a) A](a.png)\n", True),  # bookdown's label
])
def test_environments_are_numbered_in_bookdown_books_only(tmp_path, name, more, numbered):
    """bookdown numbers a Div of one of its twelve classes; Pandoc and Quarto
    show it as a styled Div. A book.yaml book is bookdown's when its chapters
    show bookdown's own syntax; a bookdown project is (test_bookdown)."""
    from PIL import Image

    write_book(tmp_path, {name: _STYLED + more},
               f"title: T\nlanguage: en\nauthor: A\nchapters:\n  - manuscript/{name}\n")
    Image.new("RGB", (8, 8), "white").save(tmp_path / "manuscript" / "a.png")
    _, epub = build_epub(tmp_path, tmp_path / "out", check=False)
    ids = [div.get("id") for div in epub.xml(epub.chapters()[0]).iterfind(
        ".//h:div[@class='theorem']", NS)]
    if numbered:
        assert _opened(epub)[:2] == ["Example 1.1 Styled.", "Theorem 1.1 A sum."]
        assert ids == ["thm:pyth"]
    else:
        assert _opened(epub) == ["Styled.", "A sum."]
        assert ids == ["pyth"]


def test_a_quarto_projects_theorem_class_is_its_authors_styling(tmp_path):
    """Quarto numbers theorems by their id (#thm-x), never by a class."""
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  title: Q\n"
                                          "  author: A\n  chapters:\n    - index.qmd\n")
    (tmp_path / "index.qmd").write_text(_STYLED)
    _, epub = build_epub(tmp_path, tmp_path / "out", check=False)
    assert _opened(epub) == ["Styled.", "A sum."]


def test_an_environment_without_its_opening_is_a_bug_not_a_silent_stop():
    """The openings come from a survey of the same AST: one more Div, or one
    fewer, means the two disagree, which no numbering could then be right for."""
    from bookbuild.refs.crossrefs import apply

    blocks = read_markdown("::: theorem\nOne.\n:::\n\n::: lemma\nTwo.\n:::\n").doc["blocks"]
    for opening in (("Theorem 1",), ("Theorem 1", "Lemma 1", "Lemma 2")):
        with pytest.raises(RuntimeError, match="2 bookdown environments"):
            apply(json.loads(json.dumps(blocks)), {}, opening)
    apply(blocks, {}, None)  # a book that is not bookdown's: its Divs stay as written
    assert stringify(blocks) == "One.Two."
    apply(blocks, {}, ("Theorem 1", "Lemma 1"))
    assert stringify(blocks) == "Theorem 1 One.Lemma 1 Two."


def test_project_execute_options_are_defaults():
    text = "```{r}\nx\n```\n\n```{r eval=TRUE}\ny\n```\n"
    assert chunks(text, defaults={"eval": False}).never_ran == (("r", 1, 5),)
    assert chunks(text, defaults={"echo": False}).text == "\n\n\n\n\n\n\n"


def test_a_chunk_no_longer_eats_the_text_after_it():
    text = ("Before[^a].\n\n```{r label}\nx <- 1\n```\n\n# After {#after}\n\n"
            "Words.\n\n[^a]: The note.\n")
    doc = read_markdown(chunks(text).text).doc
    assert len(notes_survey(read_markdown(text)).notes) == 1
    assert [identifier(el) for el in elements(doc["blocks"]) if el["t"] == "Header"] == ["after"]
    assert [el["c"][0][1] for el in elements(doc["blocks"]) if el["t"] == "CodeBlock"] == [["r"]]


def test_a_quarto_project_without_results_warns_only_for_chunks_meant_to_run(tmp_path):
    (tmp_path / "_quarto.yml").write_text(
        "project: {type: book}\nbook:\n  title: T\n  author: A\n  chapters: [a.qmd]\n"
        "execute:\n  eval: false\n", encoding="utf-8")
    (tmp_path / "a.qmd").write_text("# A\n\n```{r}\nx\n```\n\n```{r}\n#| eval: true\ny\n```\n",
                                    encoding="utf-8")
    config = load_config(tmp_path)
    assert (config.project, config.execute) == ("quarto", (("eval", False),))
    (chapter,) = load_manuscript(config).chapters
    assert chapter.never_ran == (("r", 1, 7),)


def test_bookdowns_merged_file_is_no_chapter(tmp_path):
    (tmp_path / "_bookdown.yml").write_text("book_filename: whole\n", encoding="utf-8")
    for name in ("index.Rmd", "a.Rmd", "whole.Rmd", "_main.Rmd"):
        (tmp_path / name).write_text("---\ntitle: T\nauthor: A\n---\n\n# X\n", encoding="utf-8")
    assert [e.path.name for e in load_config(tmp_path).chapters] == ["index.Rmd", "a.Rmd"]


@pytest.mark.parametrize("value, message", [
    ("gfm+footnotes-autolink_bare_uris", None),
    ("asciidoc", "'markdown' must be one of markdown, gfm, commonmark_x, markdown_mmd (with "
                 "+extension or -extension after it, as Pandoc takes them), not 'asciidoc'"),
    ("gfm+nonsense", "'markdown': Pandoc's gfm reader has no extension 'nonsense' "
                     "(pandoc --list-extensions=gfm)"),
])
def test_the_dialect_is_checked_with_its_line(tmp_path, value, message):
    write_book(tmp_path, {"01.md": "# A\n"}, "title: T\nlanguage: en\nauthor: A\nchapters:\n"
               f"  - file: manuscript/01.md\n    markdown: {value}\n")
    result = CliRunner().invoke(main, ["build", str(tmp_path), "-o", str(tmp_path / "out"),
                                       "--no-check"])
    if message is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 2
        assert result.output == (f"bookbuild: error: {tmp_path / 'book.yaml'}:6: chapter 1: "
                                 f"{message} [config-value]\n")


def _gfm_book(rng: random.Random) -> str:
    """A chapter as GitHub-style books write them: lists right after a line,
    bare URLs, notes, headings; read as Pandoc Markdown it differs."""
    parts = []
    for i in range(rng.randint(2, 5)):
        parts.append(f"## Part {i} with *words*\n")
        parts.append(f"Some text[^n{i}] about https://example.org/{i}\n"
                     f"- item {i}\n- [a link](https://example.com/{i})\n")
        parts.append(f"[^n{i}]: Note {i}, see [here](#part-{i}).\n")
    return "\n".join(parts)


def _seen(doc: dict) -> tuple:
    blocks = list(elements(doc["blocks"]))
    return (sum(el["t"] == "Note" for el in blocks),
            [identifier(el) for el in blocks if el["t"] == "Header"],
            [el["c"][2][0] for el in blocks if el["t"] == "Link"])


@pytest.mark.parametrize("dialect", ["gfm", "commonmark_x", "markdown_mmd", "markdown"])
def test_each_dialect_reads_as_pandoc_reads_it(tmp_path, dialect):
    rng = random.Random(dialect)
    texts = {f"{i:02d}.md": _gfm_book(rng) for i in range(3)}
    write_book(tmp_path, texts, "title: T\nlanguage: en\nauthor: A\n"
               f"markdown: {dialect}\n")
    for chapter in load_manuscript(load_config(tmp_path)).chapters:
        assert chapter.markdown == dialect
        ours = _seen(chapter.parse().doc)
        theirs = _seen(json.loads(pypandoc.convert_text(chapter.text, "json", format=dialect)))
        assert ours == theirs
        assert ours[0] > 0 and ours[2]


@pytest.mark.skipif(not ADVR.is_dir(), reason=f"{ADVR} is absent (CI has it)")
def test_advanced_r_has_no_chunk_left_and_no_text_swallowed():
    for chapter in load_manuscript(load_config(ADVR)).chapters:
        if not chapter.text:
            continue
        parsed = chapter.parse()
        blocks = list(elements(parsed.doc["blocks"]))
        assert not [el for el in blocks if el["t"] == "CodeBlock" and el["c"][0][1]
                    and el["c"][0][1][0].startswith("{")], chapter.source
        assert not [el for el in blocks if el["t"] == "Code" and el["c"][1].startswith("{r")]
        # every note definition is used and every reference defined: none fell into code
        assert not parsed.of_type("NoteDefinedButNotUsed"), chapter.source
        assert not notes_survey(parsed).label_text, chapter.source
        assert len(chapter.text.split("\n")) == len(
            (chapter.source.read_text(encoding="utf-8")).split("\n")), chapter.source


@pytest.mark.parametrize("dialect", ["gfm", "commonmark_x", "markdown_mmd"])
def test_an_undefined_note_is_found_in_every_dialect(tmp_path, dialect):
    """gfm and commonmark_x keep a label's first definition and log nothing:
    the probes still find the reference with no definition, at its line."""
    write_book(tmp_path, {"01.md": "# A\n\nText[^a].\n\nMore[^b].\n\n[^a]: One.\n"},
               f"title: T\nlanguage: en\nauthor: A\nmarkdown: {dialect}\n")
    result = CliRunner().invoke(main, ["build", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output == (f"bookbuild: error: {tmp_path / 'manuscript' / '01.md'}:5: note "
                             "reference [^b] has no definition in this file [note-undefined]\n")


def test_a_chunk_s_yaml_options_count_as_its_header_s():
    """knitr reads a chunk's ``#|`` lines as it reads its header: a code-only
    engine's language and a bookdown environment's label and name from either."""
    assert chunks("```{cat}\n#| lang: sh\necho hi\n```\n").text == "\n```sh\necho hi\n```\n"
    assert chunks("```{theorem}\n#| label: pyth\n#| name: Pythagoras\nA sum.\n```\n").text \
        == '\n\n::: {.theorem #pyth name="Pythagoras"}\nA sum.\n:::\n'
