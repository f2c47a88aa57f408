"""The words front matter is printed with, one table per language.

Everything the importer reads from a title or copyright page in words comes
from here: adding a language is adding a row, never a rule. Each value is a
list of regular-expression fragments, matched case-insensitively.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    contents: tuple[str, ...]  # the contents list's heading
    part: tuple[str, ...]  # "Part" opening a part's title
    numbers: tuple[str, ...]  # the words a part is numbered with after it ("Part Two")
    chapter: tuple[str, ...]  # "Chapter" opening a chapter's heading
    by: tuple[str, ...]  # "by" after a role word
    roles: dict[str, tuple[str, ...]]  # MARC role code -> words naming it
    cover: tuple[str, ...]  # "Cover design"
    copyright: tuple[str, ...]  # a rights line opens with one of these
    publisher: tuple[str, ...]  # patterns with a (?P<name>...) group
    lists: tuple[str, ...] = ()  # the heading of a list of figures or tables (no chapter)


WORDS: dict[str, Words] = {
    "en": Words(
        contents=("contents", "table of contents"),
        part=("part", "unit", "book"), numbers=("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"),
        chapter=("chapter",),
        by=("by",),
        roles={"aut": ("written",), "trl": (r"translated(?: from (?:the )?\w+)?",),
               "aui": ("introduced", "with an introduction"), "edt": ("edited",),
               "com": ("compiled", "selected"), "ann": ("annotated",), "ill": ("illustrated",)},
        cover=("cover(?: design| designed| art| illustration)?",),
        copyright=("copyright", "©", "all rights reserved"),
        publisher=(r"(?P<name>.+?) is an imprint of .+", r"published (?:in \d{4} )?by (?P<name>.+?)\.?",
                   r"(?P<name>[^:,()]{0,60}? (?:press|publishing|publishers))(?:,\s*\d{4})?\.?"),
        lists=("list of figures", "list of tables", "list of illustrations")),
    "de": Words(
        contents=("inhalt", "inhaltsverzeichnis"),
        part=("teil", "buch"), numbers=("eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn"),
        chapter=("kapitel",),
        by=("von",),
        roles={"aut": ("geschrieben",), "trl": ("übersetzt", r"aus dem \w+en übersetzt",
                                               r"aus dem \w+en", "deutsch"),
               "aui": ("eingeleitet", "mit einer einleitung", "mit einem vorwort"),
               "edt": ("herausgegeben",), "com": ("zusammengestellt",),
               "ann": ("kommentiert",), "ill": ("illustriert",)},
        cover=("umschlaggestaltung", "umschlag", "umschlagbild"),
        copyright=("©", "copyright", "alle rechte vorbehalten"),
        publisher=(r"erschienen (?:im|bei) (?P<name>.+?)\.?", r"verlag:? (?P<name>.+?)\.?",
                   r"(?P<name>.+? verlag)"),
        lists=("abbildungsverzeichnis", "tabellenverzeichnis", "verzeichnis der abbildungen")),
    "fr": Words(
        contents=("table des matières", "sommaire", "table"),
        part=("partie", "livre"), numbers=("un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
                 "premier", "première", "deuxième", "second", "seconde", "troisième", "quatrième",
                 "cinquième"),
        chapter=("chapitre",),
        by=("par",),
        roles={"aut": ("écrit",), "trl": (r"traduit(?: de l[’']\w+| du \w+)?",),
               "aui": ("présenté", "introduit", "préfacé"), "edt": ("édité",),
               "com": ("choisi", "rassemblé"), "ann": ("annoté",), "ill": ("illustré",)},
        cover=("couverture", "maquette de couverture", "illustration de couverture"),
        copyright=("©", "copyright", "tous droits réservés"),
        publisher=(r"(?P<name>éditions .+?)\.?", r"publié (?:en \d{4} )?par (?P<name>.+?)\.?",
                   r"(?P<name>presses [^,:]+?)(?:,\s*\d{4})?\.?"),
        lists=("table des figures", "liste des figures", "liste des tableaux",
               "table des illustrations")),
    "es": Words(
        contents=("índice", "indice", "contenido", "sumario"),
        part=("parte", "libro"), numbers=("uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
                 "primer[ao]", "segund[ao]", "tercer[ao]", "cuart[ao]", "quint[ao]"),
        chapter=("capítulo",),
        by=("por", "de"),
        roles={"aut": ("escrito",), "trl": (r"traducido(?: del \w+)?", "traducción"),
               "aui": ("introducción", "prólogo", "presentado"), "edt": ("editado", "edición"),
               "com": ("compilado", "selección"), "ann": ("anotado",), "ill": ("ilustrado",)},
        cover=("diseño de (?:la )?cubierta", "cubierta", "portada"),
        copyright=("©", "copyright", "todos los derechos reservados"),
        publisher=(r"(?P<name>editorial [^:]+?)\.?", r"publicado (?:en \d{4} )?por (?P<name>.+?)\.?")),
    "it": Words(
        contents=("indice", "sommario"),
        part=("parte", "libro"), numbers=("uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci",
                 "prim[ao]", "second[ao]", "terz[ao]", "quart[ao]", "quint[ao]"),
        chapter=("capitolo",),
        by=("da", "di"),
        roles={"aut": ("scritto",), "trl": (r"tradotto(?: dal?l?[’']?\w+)?", "traduzione"),
               "aui": ("introduzione", "introdotto", "prefazione"), "edt": ("a cura",),
               "com": ("raccolto",), "ann": ("annotato",), "ill": ("illustrato",)},
        cover=("progetto grafico(?: della copertina)?", "copertina"),
        copyright=("©", "copyright", "tutti i diritti riservati"),
        publisher=(r"(?P<name>edizioni .+?)\.?", r"(?P<name>.+? editore)",
                   r"pubblicato (?:nel \d{4} )?da (?P<name>.+?)\.?")),
    "ru": Words(
        contents=("содержание", "оглавление"),
        part=("часть", "книга"), numbers=("один", "два", "три", "четыре", "пять", "первая", "вторая", "третья", "четв[её]ртая",
                 "пятая"),
        chapter=("глава",),
        by=(),
        roles={"aut": ("автор",), "trl": ("перевод(?: с [а-я]+(?:ого)?)?", "переводчик", "перевела?"),
               "aui": ("предисловие", "вступительная статья"),
               "edt": ("под редакцией", "редактор", "ответственный редактор"),
               "com": ("составитель", "составление"), "ann": ("комментарии", "примечания"),
               "ill": ("иллюстрации", "художник")},
        cover=("обложка", "оформление обложки", "дизайн обложки"),
        copyright=("©", "copyright", "все права защищены"),
        publisher=(r"издательство (?P<name>.+?)\.?", r"(?P<name>.+?), издательство")),
}


def languages_first(language: str) -> list[Words]:
    """The book's language first, then every other: a German book may still
    carry an English copyright line."""
    primary = language.split("-")[0].casefold()
    return ([WORDS[primary]] if primary in WORDS else []) + [w for k, w in WORDS.items()
                                                             if k != primary]


def any_of(fragments: tuple[str, ...]) -> str:
    return "(?:" + "|".join(fragments) + ")"
