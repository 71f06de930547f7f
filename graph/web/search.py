"""Search over names, aliases, ids, headlines and the words of quotes.

Forgiving of case and accents (text is folded: NFKD, combining marks dropped, casefold), of
word endings (a query word matches words it begins), and of one typo in a word of four
letters or more (a deletion index: two words within one edit, transpositions included,
share a word with one letter deleted). Every query word must match; a match on a name or
id counts more than one in a quote, and a whole-name match most.

>>> index = SearchIndex()
>>> index.add("entity", "financial-times", "Financial Times", names=["Financial Times", "FT"])
>>> [hit.key for hit in index.search("ft")]
['financial-times']
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

__all__ = ["SearchIndex", "Hit", "fold", "words"]

_WORDS = re.compile(r"\w+")
# How much a word counts, by where it was found.
WEIGHTS = {"name": 10.0, "id": 6.0, "title": 4.0, "text": 1.0}


def fold(text: str) -> str:
    """Lower case without accents: 'Camaçari' and 'CAMACARI' fold alike."""
    if text.isascii():  # nothing to decompose: most text, and 4 times as fast
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return _WORDS.findall(fold(text).replace("_", " "))


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@dataclass
class Hit:
    group: str
    key: str
    title: str
    detail: str = ""
    score: float = 0.0
    typo: bool = False


@dataclass
class _Doc:
    group: str
    key: str
    title: str
    detail: str
    names: set[str] = field(default_factory=set)
    order: str = ""  # the folded title, for ties


class SearchIndex:
    def __init__(self):
        self._docs: list[_Doc] = []
        self._postings: dict[str, dict[int, float]] = defaultdict(dict)
        self._vocabulary: list[str] = []
        self._deleted: dict[str, set[str]] = defaultdict(set)
        self._frozen = False

    def add(self, group: str, key: str, title: str, detail: str = "", *, names=(), ids=(), titles=(), texts=()):
        """Index one thing. ``names`` (and aliases), ``ids``, ``titles`` and ``texts`` are
        the strings it is found by, most telling first."""
        number = len(self._docs)
        doc = _Doc(group, key, title, detail, {" ".join(words(n)) for n in names}, fold(title))
        self._docs.append(doc)
        for kind, values in (("name", names), ("id", ids), ("title", titles), ("text", texts)):
            weight = WEIGHTS[kind]
            for value in values:
                for word in words(value):
                    postings = self._postings[word]
                    if postings.get(number, 0.0) < weight:
                        postings[number] = weight
        self._frozen = False

    def _freeze(self) -> None:
        self._vocabulary = sorted(self._postings)
        self._deleted = defaultdict(set)
        for word in self._vocabulary:
            if len(word) >= 4:
                for variant in _deletions(word):
                    self._deleted[variant].add(word)
        self._frozen = True

    def _matches(self, word: str) -> tuple[dict[int, float], bool]:
        """Documents matching one query word (exact, as a prefix, or within one typo), with
        scores; and whether only typo matches were found."""
        found: dict[int, float] = {}

        def take(vocabulary_word: str, factor: float):
            for number, weight in self._postings.get(vocabulary_word, {}).items():
                score = weight * factor
                if found.get(number, 0.0) < score:
                    found[number] = score
        take(word, 1.0)
        if len(word) >= 2:
            at = bisect_left(self._vocabulary, word)
            for candidate in self._vocabulary[at:at + 200]:
                if not candidate.startswith(word):
                    break
                if candidate != word:
                    take(candidate, 0.6)
        if found or len(word) < 4:
            return found, False
        near = set(self._deleted.get(word, ())) | {w for v in _deletions(word) for w in self._deleted.get(v, ())}
        near |= {v for v in _deletions(word) if v in self._postings}
        for candidate in near:
            if abs(len(candidate) - len(word)) <= 1:
                take(candidate, 0.4)
        return found, True

    def _scores(self, query: str) -> tuple[dict[int, float], bool]:
        """Scores of the matching documents (each query word must match), and whether a
        typo match was needed."""
        if not self._frozen:
            self._freeze()
        wanted = words(query)
        if not wanted:
            return {}, False
        scores: dict[int, float] | None = None
        typo = False
        for word in dict.fromkeys(wanted):
            found, by_typo = self._matches(word)
            typo |= by_typo
            if scores is None:
                scores = found
            else:
                scores = {n: s + found[n] for n, s in scores.items() if n in found}
            if not scores:
                return {}, typo
        phrase = " ".join(wanted)
        for number in scores:
            if phrase in self._docs[number].names:
                scores[number] += 100.0
        return scores, typo

    def _best(self, numbers, scores: dict[int, float], limit: int | None, typo: bool) -> list[Hit]:
        docs = self._docs

        def rank(n):
            return (-scores[n], docs[n].order, docs[n].key)
        chosen = heapq.nsmallest(limit, numbers, key=rank) if limit else sorted(numbers, key=rank)
        return [Hit(docs[n].group, docs[n].key, docs[n].title, docs[n].detail, scores[n], typo) for n in chosen]

    def search(self, query: str, limit: int | None = None, group: str | None = None) -> list[Hit]:
        """Matching things (of one ``group``, if given), best first."""
        scores, typo = self._scores(query)
        numbers = [n for n in scores if group is None or self._docs[n].group == group]
        return self._best(numbers, scores, limit, typo)

    def grouped(self, query: str, per_group: int = 20) -> dict[str, tuple[list[Hit], int]]:
        """Hits by group (entities, claims, articles): the first ``per_group`` and how many in all."""
        scores, typo = self._scores(query)
        by_group: dict[str, list[int]] = defaultdict(list)
        for number in scores:
            by_group[self._docs[number].group].append(number)
        return {group: (self._best(numbers, scores, per_group, typo), len(numbers)) for group, numbers in by_group.items()}
