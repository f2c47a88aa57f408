"""The few words bookbuild itself writes into a book, in the book's language.

One table per language, every table with the same keys (a test holds them to
it); a book in a language not listed gets English. Keys named after an EPUB
structural type (``dedication``, ``colophon``...) title a chapter that has no
heading of its own; ``chapter`` and ``part`` take its number.
"""

from __future__ import annotations

from collections.abc import Mapping

_WORDS: dict[str, dict[str, str]] = {
    "en": {"equation": "Equation", "notes": "Notes", "contents": "Contents", "landmarks": "Landmarks",
           "cover": "Cover", "cover_of": "Cover of {title}", "start": "Start",
           "back": "Back to reference {n}", "translated_by": "Translated by {names}",
           "isbn_ebook": "ISBN {isbn} (e-book)", "isbn_print": "ISBN {isbn} (print)",
           "edition": "Edition {n}", "edited_by": "Edited by {names}",
           "illustrated_by": "Illustrated by {names}", "cover_by": "Cover design by {names}",
           "design_by": "Book design by {names}", "photos_by": "Photographs by {names}",
           "contributions_by": "With contributions by {names}",
           "accessibility": "Accessibility: {summary}",
           "pages": "Pages", "figure": "Figure", "table": "Table", "bibliography": "Bibliography",
           "titlepage": "Title Page", "copyright-page": "Copyright", "dedication": "Dedication",
           "epigraph": "Epigraph", "foreword": "Foreword", "preface": "Preface",
           "afterword": "Afterword", "acknowledgments": "Acknowledgements", "colophon": "Colophon",
           "chapter": "Chapter {n}", "appendix": "Appendix {n}", "part": "Part {n}"},
    "fr": {"equation": "Équation", "notes": "Notes", "contents": "Table des matières", "landmarks": "Repères",
           "cover": "Couverture", "cover_of": "Couverture de {title}", "start": "Début",
           "back": "Retour à l’appel {n}", "translated_by": "Traduit par {names}",
           "isbn_ebook": "ISBN {isbn} (livre numérique)",
           "isbn_print": "ISBN {isbn} (livre imprimé)", "edition": "Édition {n}",
           "edited_by": "Édition établie par {names}",
           "illustrated_by": "Illustrations de {names}", "cover_by": "Couverture de {names}",
           "design_by": "Maquette de {names}", "photos_by": "Photographies de {names}",
           "contributions_by": "Avec la contribution de {names}",
           "accessibility": "Accessibilité\u00a0: {summary}",
           "pages": "Pages", "figure": "Figure", "table": "Tableau", "bibliography": "Bibliographie",
           "titlepage": "Page de titre", "copyright-page": "Mentions légales",
           "dedication": "Dédicace", "epigraph": "Épigraphe", "foreword": "Avant-propos",
           "preface": "Préface", "afterword": "Postface", "acknowledgments": "Remerciements",
           "colophon": "Achevé d’imprimer", "chapter": "Chapitre {n}", "appendix": "Annexe {n}", "part": "Partie {n}"},
    "de": {"equation": "Gleichung", "notes": "Anmerkungen", "contents": "Inhalt", "landmarks": "Orientierungspunkte",
           "cover": "Umschlag", "cover_of": "Umschlag von {title}", "start": "Anfang",
           "back": "Zurück zum Verweis {n}", "translated_by": "Übersetzt von {names}",
           "isbn_ebook": "ISBN {isbn} (E-Book)", "isbn_print": "ISBN {isbn} (Druckausgabe)",
           "edition": "{n}. Auflage", "edited_by": "Herausgegeben von {names}",
           "illustrated_by": "Illustriert von {names}", "cover_by": "Umschlaggestaltung: {names}",
           "design_by": "Buchgestaltung: {names}", "photos_by": "Fotografien: {names}",
           "contributions_by": "Unter Mitarbeit von {names}",
           "accessibility": "Barrierefreiheit: {summary}",
           "pages": "Seiten", "figure": "Abbildung", "table": "Tabelle",
           "bibliography": "Literaturverzeichnis", "titlepage": "Titelseite",
           "copyright-page": "Impressum", "dedication": "Widmung", "epigraph": "Motto",
           "foreword": "Geleitwort", "preface": "Vorwort", "afterword": "Nachwort",
           "acknowledgments": "Danksagung", "colophon": "Kolophon", "chapter": "Kapitel {n}", "appendix": "Anhang {n}",
           "part": "Teil {n}"},
    "es": {"equation": "Ecuación", "notes": "Notas", "contents": "Índice", "landmarks": "Puntos de referencia",
           "cover": "Cubierta", "cover_of": "Cubierta de {title}", "start": "Inicio",
           "back": "Volver a la llamada {n}", "translated_by": "Traducción de {names}",
           "isbn_ebook": "ISBN {isbn} (libro electrónico)",
           "isbn_print": "ISBN {isbn} (edición impresa)", "edition": "{n}.ª edición",
           "edited_by": "Edición de {names}", "illustrated_by": "Ilustraciones de {names}",
           "cover_by": "Diseño de cubierta: {names}", "design_by": "Diseño del libro: {names}",
           "photos_by": "Fotografías de {names}",
           "contributions_by": "Con la colaboración de {names}",
           "accessibility": "Accesibilidad: {summary}",
           "pages": "Páginas", "figure": "Figura", "table": "Tabla", "bibliography": "Bibliografía",
           "titlepage": "Portada", "copyright-page": "Créditos", "dedication": "Dedicatoria",
           "epigraph": "Epígrafe", "foreword": "Prólogo", "preface": "Prefacio",
           "afterword": "Epílogo", "acknowledgments": "Agradecimientos", "colophon": "Colofón",
           "chapter": "Capítulo {n}", "appendix": "Apéndice {n}", "part": "Parte {n}"},
    "it": {"equation": "Equazione", "notes": "Note", "contents": "Indice", "landmarks": "Punti di riferimento",
           "cover": "Copertina", "cover_of": "Copertina di {title}", "start": "Inizio",
           "back": "Torna al richiamo {n}", "translated_by": "Traduzione di {names}",
           "isbn_ebook": "ISBN {isbn} (edizione digitale)", "isbn_print": "ISBN {isbn} (edizione a stampa)",
           "edition": "{n}ª edizione", "edited_by": "A cura di {names}",
           "illustrated_by": "Illustrazioni di {names}", "cover_by": "Copertina di {names}",
           "design_by": "Progetto grafico di {names}", "photos_by": "Fotografie di {names}",
           "contributions_by": "Con la collaborazione di {names}",
           "accessibility": "Accessibilità: {summary}",
           "pages": "Pagine", "figure": "Figura", "table": "Tabella", "bibliography": "Bibliografia",
           "titlepage": "Frontespizio", "copyright-page": "Colophon editoriale",
           "dedication": "Dedica", "epigraph": "Epigrafe", "foreword": "Premessa",
           "preface": "Prefazione", "afterword": "Postfazione", "acknowledgments": "Ringraziamenti",
           "colophon": "Colophon", "chapter": "Capitolo {n}", "appendix": "Appendice {n}", "part": "Parte {n}"},
    "pt": {"equation": "Equação", "notes": "Notas", "contents": "Sumário", "landmarks": "Pontos de referência",
           "cover": "Capa", "cover_of": "Capa de {title}", "start": "Início",
           "back": "Voltar à chamada {n}", "translated_by": "Tradução de {names}",
           "isbn_ebook": "ISBN {isbn} (livro digital)", "isbn_print": "ISBN {isbn} (edição impressa)",
           "edition": "{n}.ª edição", "edited_by": "Organização de {names}",
           "illustrated_by": "Ilustrações de {names}", "cover_by": "Capa: {names}",
           "design_by": "Projeto gráfico: {names}", "photos_by": "Fotografias: {names}",
           "contributions_by": "Com a colaboração de {names}",
           "accessibility": "Acessibilidade: {summary}",
           "pages": "Páginas", "figure": "Figura", "table": "Tabela", "bibliography": "Bibliografia",
           "titlepage": "Folha de rosto", "copyright-page": "Ficha técnica",
           "dedication": "Dedicatória", "epigraph": "Epígrafe", "foreword": "Apresentação",
           "preface": "Prefácio", "afterword": "Posfácio", "acknowledgments": "Agradecimentos",
           "colophon": "Colofão", "chapter": "Capítulo {n}", "appendix": "Apêndice {n}", "part": "Parte {n}"},
    "pl": {"equation": "Równanie", "notes": "Przypisy", "contents": "Spis treści", "landmarks": "Punkty orientacyjne",
           "cover": "Okładka", "cover_of": "Okładka: {title}", "start": "Początek",
           "back": "Powrót do odsyłacza {n}", "translated_by": "Przełożył(a) {names}",
           "isbn_ebook": "ISBN {isbn} (wydanie elektroniczne)",
           "isbn_print": "ISBN {isbn} (wydanie drukowane)",
           "edition": "Wydanie {n}", "edited_by": "Redakcja: {names}",
           "illustrated_by": "Ilustracje: {names}", "cover_by": "Projekt okładki: {names}",
           "design_by": "Projekt graficzny: {names}", "photos_by": "Fotografie: {names}",
           "contributions_by": "Współpraca: {names}", "accessibility": "Dostępność: {summary}",
           "pages": "Strony", "figure": "Rycina", "table": "Tabela", "bibliography": "Bibliografia",
           "titlepage": "Strona tytułowa", "copyright-page": "Strona redakcyjna",
           "dedication": "Dedykacja", "epigraph": "Motto", "foreword": "Słowo wstępne",
           "preface": "Przedmowa", "afterword": "Posłowie", "acknowledgments": "Podziękowania",
           "colophon": "Kolofon", "chapter": "Rozdział {n}", "appendix": "Dodatek {n}", "part": "Część {n}"},
    "ru": {"equation": "Уравнение", "notes": "Примечания", "contents": "Содержание", "landmarks": "Ориентиры",
           "cover": "Обложка", "cover_of": "Обложка книги «{title}»", "start": "Начало",
           "back": "Назад к ссылке {n}", "translated_by": "Перевод: {names}",
           "isbn_ebook": "ISBN {isbn} (электронное издание)",
           "isbn_print": "ISBN {isbn} (печатное издание)", "edition": "Издание {n}-е",
           "edited_by": "Под редакцией {names}", "illustrated_by": "Иллюстрации: {names}",
           "cover_by": "Обложка: {names}", "design_by": "Оформление: {names}",
           "photos_by": "Фотографии: {names}", "contributions_by": "При участии {names}",
           "accessibility": "Доступность: {summary}",
           "pages": "Страницы", "figure": "Рисунок", "table": "Таблица",
           "bibliography": "Библиография", "titlepage": "Титульный лист",
           "copyright-page": "Выходные данные", "dedication": "Посвящение", "epigraph": "Эпиграф",
           "foreword": "Вступительное слово", "preface": "Предисловие", "afterword": "Послесловие",
           "acknowledgments": "Благодарности", "colophon": "Колофон", "chapter": "Глава {n}", "appendix": "Приложение {n}",
           "part": "Часть {n}"},
    "uk": {"equation": "Рівняння", "notes": "Примітки", "contents": "Зміст", "landmarks": "Орієнтири",
           "cover": "Обкладинка", "cover_of": "Обкладинка книги «{title}»", "start": "Початок",
           "back": "Назад до посилання {n}", "translated_by": "Переклад: {names}",
           "isbn_ebook": "ISBN {isbn} (електронне видання)",
           "isbn_print": "ISBN {isbn} (друковане видання)", "edition": "Видання {n}-е",
           "edited_by": "За редакцією {names}", "illustrated_by": "Ілюстрації: {names}",
           "cover_by": "Обкладинка: {names}", "design_by": "Оформлення: {names}",
           "photos_by": "Фотографії: {names}", "contributions_by": "За участі {names}",
           "accessibility": "Доступність: {summary}",
           "pages": "Сторінки", "figure": "Рисунок", "table": "Таблиця",
           "bibliography": "Бібліографія", "titlepage": "Титульна сторінка",
           "copyright-page": "Вихідні дані", "dedication": "Присвята", "epigraph": "Епіграф",
           "foreword": "Вступне слово", "preface": "Передмова", "afterword": "Післямова",
           "acknowledgments": "Подяки", "colophon": "Колофон", "chapter": "Розділ {n}", "appendix": "Додаток {n}",
           "part": "Частина {n}"},
    "ar": {"equation": "معادلة", "notes": "الهوامش", "contents": "المحتويات", "landmarks": "معالم الكتاب",
           "cover": "الغلاف", "cover_of": "غلاف {title}", "start": "البداية",
           "back": "العودة إلى الإحالة {n}", "translated_by": "ترجمة {names}",
           "isbn_ebook": "ردمك {isbn} (كتاب إلكتروني)", "isbn_print": "ردمك {isbn} (نسخة مطبوعة)",
           "edition": "الطبعة {n}", "edited_by": "تحرير {names}", "illustrated_by": "رسوم {names}",
           "cover_by": "تصميم الغلاف: {names}", "design_by": "تصميم الكتاب: {names}",
           "photos_by": "تصوير {names}", "contributions_by": "بمشاركة {names}",
           "accessibility": "إتاحة الوصول: {summary}",
           "pages": "الصفحات", "figure": "شكل", "table": "جدول", "bibliography": "المراجع",
           "titlepage": "صفحة العنوان", "copyright-page": "حقوق النشر", "dedication": "إهداء",
           "epigraph": "تصدير", "foreword": "تقديم", "preface": "مقدمة",
           "afterword": "كلمة ختامية", "acknowledgments": "شكر وتقدير",
           "colophon": "بيانات النشر", "chapter": "الفصل {n}", "appendix": "الملحق {n}", "part": "الجزء {n}"},
    "fa": {"equation": "معادله", "notes": "یادداشت‌ها", "contents": "فهرست مطالب", "landmarks": "نشانه‌ها",
           "cover": "جلد", "cover_of": "جلد {title}", "start": "آغاز",
           "back": "بازگشت به ارجاع {n}", "translated_by": "ترجمهٔ {names}",
           "isbn_ebook": "شابک {isbn} (کتاب الکترونیکی)", "isbn_print": "شابک {isbn} (نسخهٔ چاپی)",
           "edition": "ویرایش {n}", "edited_by": "ویراستار: {names}",
           "illustrated_by": "تصویرگر: {names}", "cover_by": "طراح جلد: {names}",
           "design_by": "طراحی کتاب: {names}", "photos_by": "عکس‌ها: {names}",
           "contributions_by": "با همکاری {names}", "accessibility": "دسترس‌پذیری: {summary}",
           "pages": "صفحه‌ها", "figure": "شکل", "table": "جدول", "bibliography": "کتاب‌نامه",
           "titlepage": "صفحهٔ عنوان", "copyright-page": "حق نشر", "dedication": "تقدیم",
           "epigraph": "سرلوحه", "foreword": "پیش‌گفتار", "preface": "دیباچه",
           "afterword": "پس‌گفتار", "acknowledgments": "سپاسگزاری", "colophon": "شناسنامه",
           "chapter": "فصل {n}", "appendix": "پیوست {n}", "part": "بخش {n}"},
    "he": {"equation": "משוואה", "notes": "הערות", "contents": "תוכן העניינים", "landmarks": "ציוני דרך",
           "cover": "כריכה", "cover_of": "כריכת {title}", "start": "התחלה",
           "back": "חזרה להפניה {n}", "translated_by": "תרגום: {names}",
           "isbn_ebook": "מסת״ב {isbn} (ספר אלקטרוני)", "isbn_print": "מסת״ב {isbn} (ספר מודפס)",
           "edition": "מהדורה {n}", "edited_by": "עריכה: {names}",
           "illustrated_by": "איורים: {names}", "cover_by": "עיצוב עטיפה: {names}",
           "design_by": "עיצוב הספר: {names}", "photos_by": "צילומים: {names}",
           "contributions_by": "בהשתתפות {names}", "accessibility": "נגישות: {summary}",
           "pages": "עמודים", "figure": "איור", "table": "טבלה", "bibliography": "ביבליוגרפיה",
           "titlepage": "עמוד שער", "copyright-page": "זכויות יוצרים", "dedication": "הקדשה",
           "epigraph": "מוטו", "foreword": "דבר פתיחה", "preface": "הקדמה",
           "afterword": "אחרית דבר", "acknowledgments": "תודות", "colophon": "קולופון",
           "chapter": "פרק {n}", "appendix": "נספח {n}", "part": "חלק {n}"},
    "zh": {"equation": "公式", "notes": "注释", "contents": "目录", "landmarks": "导航",
           "cover": "封面", "cover_of": "《{title}》封面", "start": "正文",
           "back": "返回引用处 {n}", "translated_by": "{names} 译",
           "isbn_ebook": "ISBN {isbn}（电子书）", "isbn_print": "ISBN {isbn}（纸质书）", "edition": "第{n}版",
           "edited_by": "{names} 编", "illustrated_by": "{names} 绘", "cover_by": "封面设计：{names}",
           "design_by": "装帧设计：{names}", "photos_by": "摄影：{names}",
           "contributions_by": "参与撰稿：{names}", "accessibility": "无障碍说明：{summary}",
           "pages": "页码", "figure": "图", "table": "表", "bibliography": "参考文献",
           "titlepage": "书名页", "copyright-page": "版权页", "dedication": "献词",
           "epigraph": "题记", "foreword": "序", "preface": "前言", "afterword": "后记",
           "acknowledgments": "致谢", "colophon": "版本说明", "chapter": "第{n}章", "appendix": "附录{n}",
           "part": "第{n}部分"},
    "ja": {"equation": "式", "notes": "注", "contents": "目次", "landmarks": "ランドマーク",
           "cover": "表紙", "cover_of": "『{title}』の表紙", "start": "本文",
           "back": "参照 {n} に戻る", "translated_by": "{names} 訳",
           "isbn_ebook": "ISBN {isbn}（電子書籍）", "isbn_print": "ISBN {isbn}（紙書籍）", "edition": "第{n}版",
           "edited_by": "{names} 編", "illustrated_by": "{names} 絵", "cover_by": "カバーデザイン：{names}",
           "design_by": "ブックデザイン：{names}", "photos_by": "写真：{names}",
           "contributions_by": "協力：{names}", "accessibility": "アクセシビリティ：{summary}",
           "pages": "ページ", "figure": "図", "table": "表", "bibliography": "参考文献",
           "titlepage": "扉", "copyright-page": "著作権表示", "dedication": "献辞",
           "epigraph": "題辞", "foreword": "序文", "preface": "はじめに", "afterword": "あとがき",
           "acknowledgments": "謝辞", "colophon": "奥付", "chapter": "第{n}章", "appendix": "付録{n}", "part": "第{n}部"},
}


#: bookdown's theorem environments with the prefix of their labels
#: (``theorem_abbr`` in its R/html.R: ``{theorem, pyth}`` is ``thm:pyth``), then
#: its proof environments, which have none (``label_names_math2`` in R/utils.R):
#: the one table of them (``projects.knitr`` and ``refs.crossrefs`` take theirs
#: from it), named below as their labels read in each language, in this order;
#: English is bookdown's own.
ENVIRONMENTS = {"theorem": "thm", "lemma": "lem", "corollary": "cor", "proposition": "prp",
                "conjecture": "cnj", "definition": "def", "example": "exm", "exercise": "exr",
                "hypothesis": "hyp", "proof": "", "remark": "", "solution": ""}
_ENVIRONMENT_NAMES = {
    "en": "Theorem Lemma Corollary Proposition Conjecture Definition Example Exercise Hypothesis "
          "Proof Remark Solution",
    "fr": "Théorème Lemme Corollaire Proposition Conjecture Définition Exemple Exercice Hypothèse "
          "Démonstration Remarque Solution",
    "de": "Satz Lemma Korollar Proposition Vermutung Definition Beispiel Aufgabe Hypothese Beweis "
          "Bemerkung Lösung",
    "es": "Teorema Lema Corolario Proposición Conjetura Definición Ejemplo Ejercicio Hipótesis "
          "Demostración Observación Solución",
    "it": "Teorema Lemma Corollario Proposizione Congettura Definizione Esempio Esercizio Ipotesi "
          "Dimostrazione Osservazione Soluzione",
    "pt": "Teorema Lema Corolário Proposição Conjetura Definição Exemplo Exercício Hipótese "
          "Demonstração Observação Solução",
    "pl": "Twierdzenie Lemat Wniosek Stwierdzenie Hipoteza Definicja Przykład Ćwiczenie Założenie "
          "Dowód Uwaga Rozwiązanie",
    "ru": "Теорема Лемма Следствие Утверждение Гипотеза Определение Пример Упражнение "
          "Предположение Доказательство Замечание Решение",
    "uk": "Теорема Лема Наслідок Твердження Гіпотеза Означення Приклад Вправа Припущення "
          "Доведення Зауваження Розв’язання",
    "ar": "مبرهنة تمهيدية نتيجة قضية حدسية تعريف مثال تمرين فرضية برهان ملاحظة حل",
    "fa": "قضیه لم نتیجه گزاره حدس تعریف مثال تمرین فرضیه اثبات تذکر حل",
    "he": "משפט למה מסקנה טענה השערה הגדרה דוגמה תרגיל הנחה הוכחה הערה פתרון",
    "zh": "定理 引理 推论 命题 猜想 定义 例 习题 假设 证明 注 解",
    "ja": "定理 補題 系 命題 予想 定義 例 演習 仮説 証明 注意 解答",
}
for _language, _names in _ENVIRONMENT_NAMES.items():
    _WORDS[_language].update(zip(ENVIRONMENTS, _names.split(), strict=True))


def languages() -> tuple[str, ...]:
    """The primary languages bookbuild has its words in."""
    return tuple(_WORDS)


def has(key: str) -> bool:
    return key in _WORDS["en"]


def word(language: str, key: str, **values: str) -> str:
    """``key`` in the primary language of ``language``; English where we have no translation."""
    return _table(language)[key].format(**values)


def _table(language: str) -> dict[str, str]:
    return _WORDS.get(language.split("-")[0].lower(), _WORDS["en"])


def label(language: str, key: str, n: str, own: Mapping[str, str]) -> str:
    """``key`` numbered ``n`` ("Figure 2.1", "第2章"): the book's own label
    (``own``, ``{n}`` where the number goes) or the language's words. A space
    before the number is a no-break one, so the two never part at a line end."""
    template = own.get(key) or _table(language)[key]
    if "{n}" not in template:
        template += " {n}"
    return template.replace(" {n}", "\u00a0{n}").replace("{n}", n)


def name(language: str, key: str, own: Mapping[str, str]) -> str:
    """``key``'s name, unnumbered ("Proof"): the book's own or the language's."""
    return own.get(key) or word(language, key)
