"""A hyphen at the end of a printed line: the typesetter's, or the word's own?

"hyphen-/ation" was broken by the typesetter and is joined as "hyphenation";
"drug-/induced" is a compound and keeps its hyphen. The book itself is the
best witness (the word printed elsewhere whole, or hyphenated mid-line); when
it is silent, a hyphenation dictionary for the book's language (pyphen) says
whether the typesetter could have broken the word there, and a break it could
not have made is the word's own hyphen.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from itertools import takewhile

import pyphen

from .inline import CODE_CLOSE, CODE_OPEN, EM_CLOSE, EM_OPEN, REF_OPEN
from .language import detect

SOFT_HYPHEN = "\u00ad"
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
#: A web address cut at a line end: typesetters break one after "/", ".",
#: "-" and the like without adding a hyphen (LaTeX's url package, hyperref),
#: right after its scheme's slashes too ("https://" / "doi.org/10.1000").
#: Rule "address in the prose face": where the PDF sets addresses as code
#: (the url package's typewriter face), one set in the prose face is plain
#: text, which the typesetter hyphenates like its words: a hyphen ending
#: its line is decided as a word's ("annaberthelot-/moreau").
_URL_CUT = re.compile(r"(?:https?://|www\.)(?:\S*[/.\-_~?#&=%:])?$")
#: ... or between its scheme and the slashes ("http:" / "//www.example.org").
_SCHEME_CUT = re.compile(r"\b(?:https?|ftp):$")


@dataclass(frozen=True)
class Decision:
    keep_hyphen: bool
    certain: bool
    why: str


class Vocabulary:
    """How often the book prints each word, whole or hyphenated, mid-line,
    and the language it is in (read from these lines when not given);
    whether it sets web addresses as code (rule "address in the prose face")."""

    def __init__(self, lines: list[str], language: str | None = None,
                 addresses_as_code: bool = False) -> None:
        self.addresses_as_code = addresses_as_code
        # A line's first word and a word it breaks at its end are pieces, not words.
        inner = (re.sub(r"^\S+|[^\W\d_]+[-\u00ad]$", "", line.strip()) for line in lines)
        self.words = Counter(w.casefold() for t in inner for w in _WORD.findall(t))
        self.language = language or detect(lines)
        self.patterns = _book_patterns(lines, self.language)

    def decide(self, left: str, right: str) -> Decision:
        """``left`` ended a line with "-", ``right`` began the next one."""
        whole, hyphenated = (left + right).casefold(), f"{left}-{right}".casefold()
        left = left.rsplit("-", 1)[-1]  # "self-evi" + "dent": the piece the line end cut
        if self.words[hyphenated] > self.words[whole]:
            return Decision(True, True, f"the book prints '{left}-{right}' elsewhere")
        if self.words[whole]:
            return Decision(False, True, f"the book prints '{left}{right}' elsewhere")
        if right[:1].isupper() or not left[-1:].isalpha() or not right[:1].isalpha():
            return Decision(True, True, "a capital or a digit after the hyphen")
        points = _positions(self.patterns, left + right)
        if points is not None and len(left) not in points:
            return Decision(True, True, f"'{left}{right}' cannot be broken after '{left}'")
        if self.words[left.casefold()] and self.words[right.casefold()]:
            # "heroic-decisive" is a compound; "any-way" a word the line broke
            keep = min(len(left), len(right)) > 3
            return Decision(keep, False, f"'{left}' and '{right}' are words of their own, and "
                                         f"'{left}{right}' could be broken there")
        return Decision(False, True, f"a hyphenation point of '{left}{right}'")


def _book_patterns(lines: list[str], language: str) -> str:
    """The hyphenation patterns the book was set with: for a language named
    without its region ("en", read from the text), the region whose
    patterns allow most of the breaks at the book's own line ends ("em-/
    phasized" is a US break, no British one); none ahead, the language's
    default patterns."""
    lang = language.replace("-", "_")
    regions = sorted(code for code in pyphen.LANGUAGES if code.startswith(f"{lang}_"))
    if "_" in lang or len(regions) < 2:
        return lang
    breaks = []
    for line, following in zip(lines, lines[1:]):
        if not line.rstrip().endswith("-"):  # (the search below reads the whole line)
            continue
        m = re.search(r"(?<![\w-])([^\W\d_]+)-$", line.rstrip())
        n = re.match(r"[^\W\d_]+", following.lstrip())
        if m and n and n.group().islower():
            breaks.append((m.group(1), n.group()))
    votes = Counter({code: sum(len(left) in _positions(code, left + right) for left, right in breaks)
                     for code in regions})
    (best, most), *rest = votes.most_common()
    return best if most and all(n < most for _, n in rest) else lang


@functools.cache
def _dictionary(language: str) -> pyphen.Pyphen | None:
    lang = language.replace("-", "_")
    for candidate in (lang, lang.split("_")[0]):
        if candidate in pyphen.LANGUAGES or pyphen.language_fallback(candidate):
            return pyphen.Pyphen(lang=pyphen.language_fallback(candidate) or candidate)
    return None


def _positions(language: str, word: str) -> set[int] | None:
    dictionary = _dictionary(language)
    return None if dictionary is None else set(dictionary.positions(word))


def join(left_text: str, right_text: str, vocabulary: Vocabulary) -> tuple[str, Decision | None]:
    """Join two pieces of one paragraph cut at a line or page end."""
    left_text = left_text.rstrip()
    right_text = right_text.lstrip()
    code = left_text.endswith(CODE_CLOSE) and right_text.startswith(CODE_OPEN)
    for close, opening in ((EM_CLOSE, EM_OPEN), (CODE_CLOSE, CODE_OPEN)):
        if left_text.endswith(close) and right_text.startswith(opening):  # emphasis, code go on
            left_text, right_text = left_text[:-1], right_text[1:]
    if left_text.endswith(SOFT_HYPHEN) or right_text.startswith(REF_OPEN):
        # a reference set at the start of the next line still follows its word
        return left_text.removesuffix(SOFT_HYPHEN) + right_text, None
    # what follows reads the text's last word: only that is searched (a long
    # paragraph searched whole at each of its line ends took time by its square)
    last = (left_text.rsplit(maxsplit=1) or [""])[-1]
    if _URL_CUT.search(last) and re.match(r"[\w%~/#]", right_text) \
            and not (left_text.endswith(".") and right_text[:1].isupper()) \
            and (code or not left_text.endswith("-") or not vocabulary.addresses_as_code):
        return left_text + right_text, None  # the address goes on (a capital: a sentence)
    if _SCHEME_CUT.search(last) and right_text.startswith("//"):
        return left_text + right_text, None
    m = re.search(r"([^\W\d_]+(?:-[^\W\d_]+)*)-$", last)
    word = "".join(takewhile(str.isalpha, right_text))  # a raised reference is no letter
    if not (m and word):
        return f"{left_text} {right_text}".strip(), None
    if re.match(r"-[^\W\d_]", right_text[len(word):]):
        # "mother-/in-law": a typesetter breaks a word that has hyphens of its own only
        # at those (TeX does), so the piece going on with one follows a hyphen of the word's
        decision = Decision(True, True, f"'{word}' goes on with a hyphen: a compound, "
                                        "broken at its own hyphen")
        return left_text + right_text, decision
    decision = vocabulary.decide(m.group(1), word)
    return (left_text if decision.keep_hyphen else left_text[:-1]) + right_text, decision
