from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from bookbuild.config import BookConfig, Subject, load_config
from bookbuild.errors import ConfigError

from conftest import write_book


def _messages(err: ConfigError) -> list[str]:
    return [str(p) for p in err.problems]


def _problems(book: Path) -> list[tuple[int | None, str, str]]:
    """(line, code, message) of every problem load_config reports, all in book.yaml."""
    with pytest.raises(ConfigError) as info:
        load_config(book)
    assert {p.file for p in info.value.problems} == {book.resolve() / "book.yaml"}
    return [(p.line, p.code, p.message) for p in info.value.problems]


def test_minimal_config_gets_defaults(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"})
    config = load_config(tmp_path)
    assert config.title == "Test Book"
    assert config.language == "en"
    assert [(c.name, c.roles) for c in config.contributors] == [("A. Writer", ("aut",))]
    assert config.identifier.startswith("urn:uuid:")
    assert config.identifier == load_config(tmp_path).identifier  # stable across runs
    assert config.slug == "test-book"
    assert config.chapters is None


def test_full_config(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "c.jpg").write_bytes(b"\xff\xd8")
    write_book(tmp_path, {"one.md": "# One\n"}, """\
        title: Full
        subtitle: Sub
        language: ru
        contributors:
          - name: Анна Петрова
            role: author
            file-as: "Петрова, Анна"
          - name: T. Lator
            role: translator
          - name: I. Ntro
            role: aui
          - name: T. Wo
            role: [translator, introduction]
        publisher: P
        date: 2023-05-01
        isbn: 978-1-80514-115-0
        subjects: [History]
        cover: assets/c.jpg
        chapters:
          - manuscript/one.md
        """)
    config = load_config(tmp_path)
    assert [c.roles for c in config.contributors] == [("aut",), ("trl",), ("aui",), ("trl", "aui")]
    assert config.contributors[0].file_as == "Петрова, Анна"
    assert config.identifier == "urn:isbn:9781805141150"
    assert config.date == "2023-05-01"
    assert config.subjects == (Subject("History"),)
    assert config.chapters[0].path == (tmp_path / "manuscript" / "one.md").resolve()


def test_every_problem_reported_with_its_line(tmp_path):
    write_book(tmp_path, {}, """\
        subtitle: no title here
        language: english please
        isbn: 978-1-80514-115-1
        author: X
        colour: red
        """)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert [(p.line, p.code) for p in info.value.problems] == [
        (None, "config-missing"), (2, "config-value"), (3, "config-value"),
        (5, "config-unknown-key")]
    messages = _messages(info.value)
    assert messages[0].endswith("book.yaml: 'title' is required [config-missing]")
    assert "'english please'" in messages[1] and "checksum" in messages[2]


@pytest.mark.parametrize("lang", ["en_GB", "C", "xx-YY", "en-"])
def test_bad_language_tags(tmp_path, lang):
    write_book(tmp_path, {"a.md": "# A\n"}, f"title: T\nlanguage: {lang}\nauthor: A\n")
    with pytest.raises(ConfigError, match="BCP 47"):
        load_config(tmp_path)


def test_contributors_required_and_roles_checked(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, """\
        title: T
        language: en
        contributors:
          - name: A
            role: ghostwriter
        """)
    with pytest.raises(ConfigError, match="unknown role 'ghostwriter'"):
        load_config(tmp_path)
    write_book(tmp_path, {"a.md": "# A\n"}, "title: T\nlanguage: en\n")
    with pytest.raises(ConfigError, match="'contributors' \\(or 'author'\\) is required"):
        load_config(tmp_path)


@pytest.mark.parametrize("chapters, expected", [
    ("[../outside.md]", "book.yaml:4: chapter 1: file is outside the book directory: ../outside.md"),
    ("[manuscript/missing.md]", "book.yaml:4: chapter 1: file not found: manuscript/missing.md"),
    ("[manuscript/a.md, manuscript/a.md]", "book.yaml:4: chapter 2 is listed twice (first as chapter 1)"),
    ("[]", "'chapters' must list at least one chapter file"),
])
def test_chapter_list_errors(tmp_path, chapters, expected):
    book = tmp_path / "book"
    write_book(book, {"a.md": "# A\n"}, f"title: T\nlanguage: en\nauthor: A\nchapters: {chapters}\n")
    (tmp_path / "outside.md").write_text("# O\n")
    with pytest.raises(ConfigError) as info:
        load_config(book)
    assert any(expected in m for m in _messages(info.value)), _messages(info.value)


def test_bom_and_crlf_accepted(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"})
    (tmp_path / "book.yaml").write_bytes(
        b"\xef\xbb\xbftitle: BOM Book\r\nlanguage: fr\r\nauthor: A\r\n")
    config = load_config(tmp_path)
    assert (config.title, config.language) == ("BOM Book", "fr")


def test_missing_cover_is_an_error_not_a_silent_default(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, "title: T\nlanguage: en\nauthor: A\ncover: assets/none.jpg\n")
    with pytest.raises(ConfigError, match="'cover' file not found: assets/none.jpg"):
        load_config(tmp_path)


def test_no_book_yaml(tmp_path):
    with pytest.raises(ConfigError, match="no book.yaml in"):
        load_config(tmp_path)


def test_invalid_yaml_names_line(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, "title: T\nlanguage: [en\n")
    with pytest.raises(ConfigError, match=r"book.yaml:\d+: invalid YAML"):
        load_config(tmp_path)


def test_config_is_frozen(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"})
    config = load_config(tmp_path)
    with pytest.raises(AttributeError):
        config.title = "other"  # type: ignore[misc]
    assert isinstance(config.root, Path)


def test_colon_in_a_value_gets_a_hint_to_quote_it(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, "title: Notes: A History\nlanguage: en\nauthor: A\n")
    assert _problems(tmp_path) == [(1, "yaml-invalid", "invalid YAML: mapping values are not allowed here; "
                                       "quote a value that contains ': ', as in "
                                       'title: "Notes: A History"')]


def test_tab_indentation_gets_a_hint(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"},
               "title: T\nlanguage: en\nauthor: A\naccessibility:\n\tconforms: true\n")
    assert _problems(tmp_path) == [(5, "yaml-invalid", "invalid YAML: found character '\\t' that cannot start "
                                       "any token; indent with spaces, not tabs")]


def test_anchors_and_aliases_are_refused_before_anything_is_built(tmp_path):
    bomb = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 9))
    write_book(tmp_path, {"a.md": "# A\n"}, "title: T\nlanguage: en\nauthor: A\nl0: &l0 [x]\n" + bomb)
    assert _problems(tmp_path) == [(4, "yaml-unsafe", "YAML anchors and aliases (&name, *name) are not allowed: "
                                       "write the value out in full")]


def test_tags_are_refused(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, "title: !!str 1984\nlanguage: en\nauthor: A\n")
    assert _problems(tmp_path) == [(1, "yaml-unsafe", "YAML tags (!name, !!type) are not allowed: remove the tag")]


def test_numbers_stay_the_text_written(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"},
               "title: 1984\nlanguage: en\nauthor: A\nisbn: 0306406152\nsubjects: [940.53]\n")
    config = load_config(tmp_path)
    assert (config.title, config.isbn, config.subjects) == ("1984", "9780306406157",
                                                            (Subject("940.53"),))


BASE = "title: T\nlanguage: en\nauthor: A\n"  # valid; the key under test goes on line 4


@pytest.mark.parametrize("yaml, code, message", [
    ("accessibility: {conforms: no}",
     "config-type", "accessibility: 'conforms' must be true or false, not 'no'"),
    ("accessibility: {conforms: 'true'}",
     "config-type", "accessibility: 'conforms' must be true or false, not 'true'"),
    ("accessibility: {hazards: 5}",
     "config-value", "accessibility: unknown hazard '5' (one of flashing, motionSimulation, noFlashingHazard, "
     "noMotionSimulationHazard, noSoundHazard, none, sound, unknown)"),
    ("accessibility: {hazards: {flashing: true}}",
     "config-type", "accessibility: 'hazards' must be a list, not a mapping"),
    ("accessibility: {exemption: [a]}", "config-type", "accessibility: 'exemption' must be text, not a list"),
    ("accessibility: [conforms]",
     "config-type", "accessibility must be a mapping (summary, hazards, conforms, certified-by, exemption), "
     "not a list"),
])
def test_accessibility_values_are_typed(tmp_path, yaml, code, message):
    write_book(tmp_path, {"a.md": "# A\n"}, BASE + yaml + "\n")
    assert _problems(tmp_path) == [(4, code, message)]


def test_conformance_is_claimed_only_by_a_real_boolean(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, BASE + "accessibility: {conforms: true}\n")
    assert load_config(tmp_path).accessibility.conforms is True
    write_book(tmp_path, {"a.md": "# A\n"}, BASE + "accessibility: {conforms: false}\n")
    assert load_config(tmp_path).accessibility.conforms is False


@pytest.mark.parametrize("date, code, message", [
    ("2026-13-45", "config-value", "'date' is not a calendar date: '2026-13-45' (month must be in 1..12)"),
    ("2026-02-30", "config-value", "'date' is not a calendar date: '2026-02-30' (day is out of range for month)"),
    ("2026-00", "config-value", "'date' is not a calendar date: '2026-00' (month must be in 1..12)"),
    ("1.5.2026", "config-value", "'date' must be YYYY, YYYY-MM or YYYY-MM-DD, not '1.5.2026'"),
    ("[2026]", "config-type", "'date' must be text, not a list"),
])
def test_bad_dates(tmp_path, date, code, message):
    write_book(tmp_path, {"a.md": "# A\n"}, BASE + f"date: {date}\n")
    assert _problems(tmp_path) == [(4, code, message)]


@pytest.mark.parametrize("date, expected", [
    ("2026", "2026"), ("2026-11", "2026-11"), ("2024-02-29", "2024-02-29"),
    ("2026-11-01 10:30:00", "2026-11-01"), ("2026-11-01T10:30:00Z", "2026-11-01"),
])
def test_dates_yaml_may_read_as_timestamps_are_kept_as_dates(tmp_path, date, expected):
    write_book(tmp_path, {"a.md": "# A\n"}, BASE + f"date: {date}\n")
    assert load_config(tmp_path).date == expected


@pytest.mark.parametrize("written, slug", [
    ("../../x", "../../x"), ("/etc/x", "/etc/x"), ("a/b", "a/b"), (r'"a\\b"', "a\\b"),
    (".hidden", ".hidden"), (r'"a\tb"', "a\tb"), ("a b", "a b"),
])
def test_slug_is_a_plain_file_name(tmp_path, written, slug):
    write_book(tmp_path, {"a.md": "# A\n"}, BASE + f"slug: {written}\n")
    assert _problems(tmp_path) == [
        (4, "config-value", "'slug' must be a plain file name (letters, digits, '.', '-' and '_', "
            f"not starting with '.'), not {slug!r}")]


def test_a_plain_slug_names_the_output(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, BASE + "slug: notes_2.0-final\n")
    assert load_config(tmp_path).slug == "notes_2.0-final"


def test_unknown_keys_suggest_the_known_one(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, """\
        title: T
        subtitel: S
        language: en
        contributors:
          - name: A
            rol: translator
        chapters:
          - file: manuscript/a.md
            tyep: preface
        accessibility:
          conform: true
          colour: red
        """)
    assert _problems(tmp_path) == [
        (2, "config-unknown-key", "unknown key 'subtitel' (did you mean 'subtitle'?)"),
        (6, "config-unknown-key", "contributor 1: unknown key 'rol' (did you mean 'role'?)"),
        (9, "config-unknown-key", "chapter 1: unknown key 'tyep' (did you mean 'type'?)"),
        (11, "config-unknown-key", "accessibility: unknown key 'conform' (did you mean 'conforms'?)"),
        (12, "config-unknown-key", "accessibility: unknown key 'colour'"),
    ]


@pytest.mark.parametrize("yaml, code, message", [
    ("chapters: 5", "config-type", "'chapters' must be a list, not '5'"),
    ("chapters: manuscript/a.md", "config-type", "'chapters' must be a list, not 'manuscript/a.md'"),
    ("chapters: [[manuscript/a.md]]",
     "config-type", "chapter 1 must be a path, or a mapping with 'file' (or 'part'), not a list"),
    ("chapters: [{file: [manuscript/a.md]}]", "config-type", "chapter 1: 'file' must be text, not a list"),
    ("chapters: [{title: A}]", "config-missing", "chapter 1: 'file' is required"),
    ("subjects: [History, [Modern]]", "config-type", "subject 2 must be a name, or a mapping with 'name', "
     "'scheme' and 'code', not a list"),
    ("formats: {epub: true}", "config-type", "'formats' must be a list, not a mapping"),
    ("cover: {file: c.jpg}", "config-type", "'cover' must be text, not a mapping"),
    ("notes-heading: [Notes]", "config-type", "'notes-heading' must be text, not a list"),
])
def test_wrong_types_name_the_key(tmp_path, yaml, code, message):
    write_book(tmp_path, {"a.md": "# A\n"}, BASE + yaml + "\n")
    assert _problems(tmp_path) == [(4, code, message)]


@pytest.mark.parametrize("title, code, message", [
    ("[A, B]", "config-type", "'title' must be text, not a list"),
    ("{main: A}", "config-type", "'title' must be text, not a mapping"),
    ("true", "config-type", "'title' must be text, not true"),
    ("''", "config-value", "'title' must not be empty"),
])
def test_title_must_be_text(tmp_path, title, code, message):
    write_book(tmp_path, {"a.md": "# A\n"}, f"title: {title}\nlanguage: en\nauthor: A\n")
    assert _problems(tmp_path) == [(1, code, message)]


@pytest.mark.parametrize("yaml, code, message", [
    ("contributors: 5", "config-type", "'contributors' must be a list, not '5'"),
    ("contributors: [[A]]", "config-type", "contributor 1 must be a name, or a mapping with 'name', not a list"),
    ("contributors: [{name: {first: A}}]", "config-type", "contributor 1: 'name' must be text, not a mapping"),
    ("contributors: [{role: author}]", "config-missing", "contributor 1: 'name' is required"),
    ("contributors: [{name: A, role: []}]", "config-value", "contributor 1: 'role' must not be an empty list"),
    ("contributors: [{name: A, role: [author, {x: 1}]}]",
     "config-type", "contributor 1: 'role' item 2 must be text, not a mapping"),
    ("author: [A]", "config-type", "'author' must be text, not a list"),
])
def test_wrong_types_in_contributors(tmp_path, yaml, code, message):
    write_book(tmp_path, {"a.md": "# A\n"}, f"title: T\nlanguage: en\n{yaml}\n")
    assert _problems(tmp_path) == [(3, code, message)]


def test_every_mistake_is_reported_at_once_in_file_order(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, """\
        title: [Notes]
        langauge: en
        author: A
        contributors: [B]
        isbn: 978-1-80514-115-1
        identifier: urn:x
        date: 2026-13-45
        slug: ../../x
        notes: books
        formats: [epub, mobi]
        chapters:
          - manuscript/a.md
          - manuscript/missing.md
          - file: manuscript/a.md
            type: intro
        accessibility:
          conforms: no
          hazards: 5
          exemption: eaa-microenterprise
        """)
    assert _problems(tmp_path) == [
        (None, "config-missing", "'language' is required"),
        (1, "config-type", "'title' must be text, not a list"),
        (2, "config-unknown-key", "unknown key 'langauge' (did you mean 'language'?)"),
        (3, "config-value", "give either 'author' or 'contributors', not both"),
        (5, "config-value", "'isbn' is not a valid ISBN: '978-1-80514-115-1' "
            "(the number's checksum or check digit is invalid)"),
        (6, "config-value", "give either 'isbn' or 'identifier', not both"),
        (7, "config-value", "'date' is not a calendar date: '2026-13-45' (month must be in 1..12)"),
        (8, "config-value", "'slug' must be a plain file name (letters, digits, '.', '-' and '_', "
            "not starting with '.'), not '../../x'"),
        (9, "config-value", "'notes' must be chapter or book, not 'books'"),
        (10, "config-value", "'formats' must list some of epub, kindle-epub, kobo, azw3, cover-jpg, pdf (or all); "
             "unknown: mobi"),
        (13, "file-not-found", "chapter 2: file not found: manuscript/missing.md"),
        (15, "config-value", "chapter 3: unknown type 'intro' (one of acknowledgments, afterword, appendix, "
             "backmatter, bibliography, chapter, colophon, conclusion, copyright-page, dedication, "
             "epigraph, epilogue, foreword, frontmatter, glossary, halftitlepage, imprint, index, "
             "introduction, part, preface, prologue, titlepage, toc)"),
        (17, "config-type", "accessibility: 'conforms' must be true or false, not 'no'"),
        (18, "config-value", "accessibility: unknown hazard '5' (one of flashing, motionSimulation, "
             "noFlashingHazard, noMotionSimulationHazard, noSoundHazard, none, sound, unknown)"),
    ]


def test_a_key_given_no_value_is_as_if_absent(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, BASE + "subtitle:\nnotes:\naccessibility:\n  conforms:\n")
    config = load_config(tmp_path)
    assert (config.subtitle, config.notes, config.accessibility.conforms) == (None, "chapter", False)
    write_book(tmp_path, {"a.md": "# A\n"}, "title:\nlanguage: en\nauthor: A\n")
    assert _problems(tmp_path) == [(1, "config-missing", "'title' is required")]


_KEYS = ["title", "language", "author", "contributors", "name", "role", "file-as", "isbn",
         "identifier", "date", "slug", "subjects", "cover", "chapters", "file", "type", "formats",
         "notes", "accessibility", "conforms", "hazards", "exemption", "summary", "unknown"]
_SCALARS = st.one_of(st.text(max_size=12), st.booleans(), st.none(), st.integers(),
                     st.sampled_from(["en", "A", "manuscript/a.md", "author", "chapter", "none",
                                      "2026-13-45", "978-0-306-40615-7", "eaa-microenterprise"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=3), max_leaves=10)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=8))
def test_any_shape_of_book_yaml_is_a_config_or_config_errors(tmp_path_factory, data):
    book = write_book(tmp_path_factory.mktemp("any"), {"a.md": "# A\n"}, "")
    with (book / "book.yaml").open("w", encoding="utf-8") as out:
        YAML(typ="safe").dump(data, out)
    try:
        assert isinstance(load_config(book), BookConfig)
    except ConfigError as exc:
        assert all(p.file == book.resolve() / "book.yaml" and p.message for p in exc.problems)
