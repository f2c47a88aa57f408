"""The few words bookbuild itself writes into a book, in the book's language."""

from __future__ import annotations

_WORDS: dict[str, dict[str, str]] = {
    "en": {"notes": "Notes", "contents": "Contents", "landmarks": "Landmarks",
           "cover": "Cover", "cover_of": "Cover of {title}", "start": "Start",
           "back": "Back to reference {n}", "translated_by": "Translated by {names}", "pages": "Pages"},
    "ru": {"notes": "Примечания", "contents": "Содержание", "landmarks": "Ориентиры",
           "cover": "Обложка", "cover_of": "Обложка книги «{title}»", "start": "Начало",
           "back": "Назад к ссылке {n}", "translated_by": "Перевод: {names}", "pages": "Страницы"},
    "uk": {"notes": "Примітки", "contents": "Зміст", "landmarks": "Орієнтири",
           "cover": "Обкладинка", "cover_of": "Обкладинка книги «{title}»", "start": "Початок",
           "back": "Назад до посилання {n}", "translated_by": "Переклад: {names}", "pages": "Сторінки"},
    "fr": {"notes": "Notes", "contents": "Table des matières", "landmarks": "Repères",
           "cover": "Couverture", "cover_of": "Couverture de {title}", "start": "Début",
           "back": "Retour à l’appel {n}", "translated_by": "Traduit par {names}", "pages": "Pages"},
    "de": {"notes": "Anmerkungen", "contents": "Inhalt", "landmarks": "Orientierungspunkte",
           "cover": "Umschlag", "cover_of": "Umschlag von {title}", "start": "Anfang",
           "back": "Zurück zum Verweis {n}", "translated_by": "Übersetzt von {names}", "pages": "Seiten"},
    "es": {"notes": "Notas", "contents": "Índice", "landmarks": "Puntos de referencia",
           "cover": "Cubierta", "cover_of": "Cubierta de {title}", "start": "Inicio",
           "back": "Volver a la llamada {n}", "translated_by": "Traducción de {names}", "pages": "Páginas"},
    "it": {"notes": "Note", "contents": "Indice", "landmarks": "Punti di riferimento",
           "cover": "Copertina", "cover_of": "Copertina di {title}", "start": "Inizio",
           "back": "Torna al richiamo {n}", "translated_by": "Traduzione di {names}", "pages": "Pagine"},
    "pt": {"notes": "Notas", "contents": "Sumário", "landmarks": "Pontos de referência",
           "cover": "Capa", "cover_of": "Capa de {title}", "start": "Início",
           "back": "Voltar à chamada {n}", "translated_by": "Tradução de {names}", "pages": "Páginas"},
    "pl": {"notes": "Przypisy", "contents": "Spis treści", "landmarks": "Punkty orientacyjne",
           "cover": "Okładka", "cover_of": "Okładka: {title}", "start": "Początek",
           "back": "Powrót do odsyłacza {n}", "translated_by": "Przełożył(a) {names}", "pages": "Strony"},
}


def word(language: str, key: str, **values: str) -> str:
    """``key`` in the primary language of ``language``; English where we have no translation."""
    table = _WORDS.get(language.split("-")[0].lower(), _WORDS["en"])
    return table[key].format(**values)
