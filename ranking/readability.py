"""How easy participant-facing text is to read: the Flesch reading ease of the text as a whole, and
the sentences that pull it down (pure: text in, a frozen result out).

Flesch (1948), "A new readability yardstick", J. Applied Psychology 32(3):
``206.835 − 1.015 × words per sentence − 84.6 × syllables per word``, over the whole text (UK
government guidance scores a text as a whole, not single labels; DESIGN.md §6).  100 is very easy,
60–70 plain English, 70+ what a young people's ballot should aim for.

Syllables: the larger of two counts, the vowel groups of the word (a final silent ``e`` and a
silent ``-ed`` not counted) and the hyphenation points pyphen's US English dictionary finds plus one
(as textstat counts a word its pronouncing dictionary lacks).  Hyphenation alone undercounts short
words ("every", "money" come out as one), vowel groups alone miss a few ("cyberbullying"); the larger
of the two was right for 31 of 35 test words (``tests/ranking/test_readability.py``).  textstat's own
English counter first looks words up in NLTK's cmudict, which it downloads from the internet on first
use; the app and CI run offline, so that path fails here (or would score differently on a machine that
has the download).  textstat is a requirement for pyphen and its counting rules are followed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyphen

#: What a young people's ballot's text should score at least, and any other participant-facing text.
YOUNG_PEOPLE_TARGET = 70.0
GENERAL_TARGET = 60.0
#: Flesch's constants (English).
_BASE, _PER_WORD, _PER_SYLLABLE = 206.835, 1.015, 84.6
#: How many of the hardest sentences ``readability`` names.
HARDEST_SHOWN = 5

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+")


_VOWELS = re.compile(r"[aeiouy]+")
_SILENT_ED = re.compile(r"[^aeiouytd]ed$")


@lru_cache(maxsize=1)
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US", left=1, right=2)


def _vowel_groups(word: str) -> int:
    n = len(_VOWELS.findall(word))
    if n > 1 and word.endswith("e") and not word.endswith("le"):
        n -= 1
    if n > 1 and _SILENT_ED.search(word):
        n -= 1
    return max(n, 1)


@lru_cache(maxsize=20_000)
def syllables(word: str) -> int:
    """A word's syllables (see the module docstring); a number counts as one."""
    if word.isdigit():
        return 1
    lower = word.lower().replace("’", "'")
    return max(_vowel_groups(lower), len(_dictionary().positions(lower)) + 1)


def sentences(text: str) -> tuple[str, ...]:
    """The text's sentences: split after ``.``, ``!`` or ``?`` and at line breaks; a piece without a
    word (a lone dash) is dropped.  A label without a full stop (a title) counts as a sentence."""
    pieces = (p.strip() for p in _SENTENCE_END.split(text))
    return tuple(p for p in pieces if _WORD.search(p))


def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text))


def flesch(text_sentences: tuple[str, ...]) -> float | None:
    """Flesch reading ease of these sentences taken together; None when they hold no word."""
    counted = [words(s) for s in text_sentences]
    n_words = sum(len(w) for w in counted)
    if n_words == 0:
        return None
    n_syllables = sum(syllables(w) for ws in counted for w in ws)
    n_sentences = sum(1 for w in counted if w)
    return _BASE - _PER_WORD * n_words / n_sentences - _PER_SYLLABLE * n_syllables / n_words


@dataclass(frozen=True)
class HardSentence:
    text: str
    score: float  # the sentence's own Flesch reading ease
    #: How many points the whole text would gain without this sentence.
    cost: float


@dataclass(frozen=True)
class Readability:
    """The reading ease of a text as a whole, the target it is held to and the sentences that pull it
    down most (each below the target on its own; the costliest first)."""

    score: float | None  # None: no words to score
    target: float
    sentences: int
    words: int
    hardest: tuple[HardSentence, ...]

    @property
    def meets_target(self) -> bool:
        return self.score is not None and self.score >= self.target

    @property
    def summary(self) -> str:
        """One line for the setup page and the summary export."""
        if self.score is None:
            return "No text to score yet."
        verdict = "meets" if self.meets_target else "is below"
        return (
            f"Reading ease {self.score:.0f} (Flesch; {self.sentences} sentences, {self.words} words): "
            f"{verdict} the aim of {self.target:.0f}."
        )


def readability(texts: tuple[str, ...] | list[str], target: float = GENERAL_TARGET) -> Readability:
    """Score ``texts`` (every participant-facing piece of text) as one text and name the sentences
    that pull it down: those that score below ``target`` on their own, the ones whose removal would
    raise the whole score most first."""
    all_sentences = tuple(s for t in texts for s in sentences(t))
    score = flesch(all_sentences)
    hard: list[HardSentence] = []
    if score is not None and len(all_sentences) > 1:
        seen: set[str] = set()
        for n, sentence in enumerate(all_sentences):
            if sentence in seen:
                continue
            seen.add(sentence)
            without = flesch(all_sentences[:n] + all_sentences[n + 1 :])
            own = flesch((sentence,))
            if without is not None and own is not None and own < target:
                hard.append(HardSentence(sentence, own, without - score))
        hard.sort(key=lambda h: (-h.cost, h.text))
    return Readability(
        score=score,
        target=target,
        sentences=len(all_sentences),
        words=sum(len(words(s)) for s in all_sentences),
        hardest=tuple(hard[:HARDEST_SHOWN]),
    )
