"""The words of cross-references and citations bookbuild writes (Figure,
Table, Chapter, Bibliography), in the book's language.

Kept apart from :mod:`bookbuild.words` so each table grows on its own; a
language missing here falls back to English.
"""

from __future__ import annotations

_WORDS: dict[str, dict[str, str]] = {
    "en": {"fig": "Figure", "tbl": "Table", "chapter": "Chapter", "appendix": "Appendix",
           "bibliography": "Bibliography"},
    "ru": {"fig": "Рисунок", "tbl": "Таблица", "chapter": "Глава", "appendix": "Приложение",
           "bibliography": "Библиография"},
    "uk": {"fig": "Рисунок", "tbl": "Таблиця", "chapter": "Розділ", "appendix": "Додаток",
           "bibliography": "Бібліографія"},
    "fr": {"fig": "Figure", "tbl": "Tableau", "chapter": "Chapitre", "appendix": "Annexe",
           "bibliography": "Bibliographie"},
    "de": {"fig": "Abbildung", "tbl": "Tabelle", "chapter": "Kapitel", "appendix": "Anhang",
           "bibliography": "Literaturverzeichnis"},
    "es": {"fig": "Figura", "tbl": "Tabla", "chapter": "Capítulo", "appendix": "Apéndice",
           "bibliography": "Bibliografía"},
    "it": {"fig": "Figura", "tbl": "Tabella", "chapter": "Capitolo", "appendix": "Appendice",
           "bibliography": "Bibliografia"},
    "pt": {"fig": "Figura", "tbl": "Tabela", "chapter": "Capítulo", "appendix": "Apêndice",
           "bibliography": "Bibliografia"},
    "pl": {"fig": "Rysunek", "tbl": "Tabela", "chapter": "Rozdział", "appendix": "Dodatek",
           "bibliography": "Bibliografia"},
}


def ref_word(language: str, key: str) -> str:
    """``key`` in the primary language of ``language``; English where we have no translation."""
    return _WORDS.get(language.split("-")[0].lower(), _WORDS["en"])[key]
