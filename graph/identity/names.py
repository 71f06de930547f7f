"""Entity name matching: which known entity a name that resolves to nothing probably means.

The resolver (``graph.registry.EntityIndex``) only takes exact ways of naming an entity: its
id, QID, an alias, or the name after case, punctuation and legal suffixes are ignored. A name
it does not know is compared here with every known name and alias, more loosely:

* accents folded (``Citroën`` = ``Citroen``), word order ignored (``Commerce Ministry``);
* an acronym against the words it stands for (``EC`` = ``European Commission``), and a
  parenthesised acronym in a name taken as a name of its own (``... (MOFCOM)``);
* a country named in the name against the entity's country: ``China's Ministry of
  Commerce``, ``Ministry of Commerce of China`` and ``Chinese Ministry of Commerce`` all
  mean the ministry of commerce whose country is China;
* a fuzzy score (difflib's ratio) for spelling variants (``Stellantis`` / ``Stelantis``).

A match is a *probable* one: the loader warns and says how to make it certain (an alias in
the registry, or a judgement ``same`` in the judgement file), it never merges on its own.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ..registry import EntityIndex, normalise_name

__all__ = ["NameMatch", "NameMatcher", "fold_name"]

_STOPWORDS = frozenset({"of", "the", "and", "for", "de", "du", "des", "la", "le", "el", "der", "die", "das", "on"})
_PAREN = re.compile(r"\(([^()]*)\)")
_POSSESSIVE = re.compile(r"^(.+?)['’]s\s+(.+)$")
FUZZY_CUTOFF = 0.88
# Types whose names are not shortened to their initials (people, products, places).
_NO_ACRONYMS = frozenset({"Person", "Product", "Place", "AnonymousSource", "AgentGroup"})


def fold_name(name: str) -> str:
    """A name with accents folded and case, punctuation and legal suffixes ignored:
    ``"Citroën S.A."`` -> ``"citroen"``."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_ish = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return normalise_name(ascii_ish)


def _words(folded: str) -> tuple[str, ...]:
    return tuple(w for w in folded.split() if w not in _STOPWORDS)


def _initials(folded: str) -> set[str]:
    """Acronyms a name may be written as: initials of its words, with and without the small ones."""
    every = folded.split()
    big = _words(folded)
    out = {"".join(w[0] for w in big)} if len(big) >= 2 else set()
    if len(every) >= 2:
        out.add("".join(w[0] for w in every))
    return out


@dataclass(frozen=True)
class NameMatch:
    """A known entity a name probably means: its id, the known name that matched, a score in
    0..1 and why (``"same words"``, ``"acronym"``, ``"country"``, ``"spelling"``...)."""

    entity: str
    known_name: str
    score: float
    reason: str


class NameMatcher:
    """Compares names with every name and alias of the entities in an index.

    >>> from graph.readers.annotations import EntityDecl
    >>> index = EntityIndex({"ec": EntityDecl("ec", "Government", "European Commission")})
    >>> NameMatcher(index).best("EC").entity
    'ec'
    """

    def __init__(self, index: EntityIndex):
        self.index = index
        self._names: dict[str, list[tuple[str, str, str]]] = {}   # first letter -> (folded, written, entity id)
        self._by_folded: dict[str, list[tuple[str, str]]] = {}
        self._by_words: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        self._by_initials: dict[str, list[tuple[str, str]]] = {}
        self._by_core: dict[tuple[str, str], list[tuple[str, str]]] = {}   # (core words, country) -> entries
        self._country_words: dict[str, list[tuple[str, ...]]] = {}          # country id -> its names as words
        for decl in index.entities.values():
            for written in self.written_names(decl):
                self._add(decl.id, written, acronyms=(decl.type or "") not in _NO_ACRONYMS)
        for decl in index.entities.values():
            country = self._country_of(decl.id)
            if not country:
                continue
            for written in self.written_names(decl):
                core = self._core(fold_name(written), country)
                if core:
                    self._by_core.setdefault((core, country), []).append((written, decl.id))
        self._countries = sorted({country for _, country in self._by_core})
        self._country_forms: dict[tuple[str, ...], set[str]] | None = None
        self._memo: dict[tuple[str, int, frozenset], list[NameMatch]] = {}

    @staticmethod
    def written_names(decl) -> list[str]:
        """An entity's name and aliases as written, and each without / as its parenthesised part."""
        names = [n for n in [decl.name or "", *decl.aliases] if n]
        for n in list(names):
            for inner in _PAREN.findall(n):
                names.append(inner)
            stripped = _PAREN.sub(" ", n).strip()
            if stripped and stripped != n:
                names.append(stripped)
        return list(dict.fromkeys(names))

    def _add(self, entity: str, written: str, acronyms: bool = True) -> None:
        folded = fold_name(written)
        if not folded:
            return
        entry = (written, entity)
        self._names.setdefault(folded[0], []).append((folded, written, entity))
        self._by_folded.setdefault(folded, []).append(entry)
        self._by_words.setdefault(tuple(sorted(_words(folded))), []).append(entry)
        for acronym in _initials(folded) if acronyms else ():
            if len(acronym) >= 2:
                self._by_initials.setdefault(acronym, []).append(entry)

    def _country_of(self, entity: str) -> str | None:
        decl = self.index.entities.get(entity)
        values = decl.props.get("country") if decl else None
        if not values or not isinstance(values[0].raw, str):
            return None
        return self.index.resolve(values[0].raw)

    def _words_of_country(self, country: str) -> list[tuple[str, ...]]:
        if country not in self._country_words:
            decl = self.index.entities.get(country)
            names = [decl.name or "", *decl.aliases] if decl else []
            forms = {tuple(fold_name(n).split()) for n in names if fold_name(n)}
            # the adjective ("Chinese", "Canadian", "Japanese") as the registry's own aliases use it
            for n in names:
                folded = fold_name(n)
                for suffix in ("ese", "ian", "an", "ish", "i"):
                    forms.add((folded + suffix,))
                    if folded.endswith(("a", "e", "y")):
                        forms.add((folded[:-1] + suffix,))
            self._country_words[country] = sorted(forms, key=len, reverse=True)
        return self._country_words[country]

    def _core(self, folded: str, country: str) -> tuple[str, ...] | None:
        """The words of a name with its country taken out (``chinese ministry of commerce`` ->
        ``ministry commerce``), or None when the name does not name that country."""
        words = folded.split()
        for form in self._words_of_country(country):
            n = len(form)
            for i in range(len(words) - n + 1):
                if tuple(words[i:i + n]) == form:
                    rest = words[:i] + words[i + n:]
                    # "of (the)" left dangling at the end: "ministry of commerce of china"
                    while rest and rest[-1] in _STOPWORDS:
                        rest.pop()
                    core = tuple(sorted(_words(" ".join(rest))))
                    return core or None
        return None

    def _country_mentioned(self, name: str) -> list[tuple[str, tuple[str, ...]]]:
        """(country id, core words) for each way ``name`` names a known country: ``X's Y``,
        ``Y of X``, ``X Y`` where X is a name (or adjective) of a country some entity has."""
        if self._country_forms is None:
            self._country_forms = {}
            for country in self._countries:
                for form in self._words_of_country(country):
                    self._country_forms.setdefault(form, set()).add(country)
        out = []
        folded = fold_name(name)
        words = folded.split()
        candidates = {c for n in range(1, 5) for i in range(len(words) - n + 1)
                      for c in self._country_forms.get(tuple(words[i:i + n]), ())}
        match = _POSSESSIVE.match(name.strip())
        owner = self.index.resolve(match.group(1).strip()) if match else None
        if owner:
            candidates.add(owner)
        for country in candidates:
            core = self._core(folded, country)
            if core is None and owner == country:
                core = tuple(sorted(_words(fold_name(match.group(2)))))
            if core:
                out.append((country, core))
        return out

    def matches(self, name: str, limit: int = 3, exclude: Iterable[str] = ()) -> list[NameMatch]:
        """Known entities ``name`` probably means, best first (at most ``limit``)."""
        key = (name, limit, frozenset(exclude))
        if key not in self._memo:    # a corpus names the same new entity in many articles
            self._memo[key] = self._matches(name, limit, key[2])
        return list(self._memo[key])

    def _matches(self, name: str, limit: int, skip: frozenset) -> list[NameMatch]:
        found: dict[str, NameMatch] = {}

        def keep(entries, score, reason):
            for written, entity in entries:
                if entity in skip:
                    continue
                if entity not in found or found[entity].score < score:
                    found[entity] = NameMatch(entity, written, round(score, 3), reason)

        folded = fold_name(_PAREN.sub(" ", name))
        if not folded:
            return []
        keep(self._by_folded.get(folded, ()), 1.0, "same name once accents and punctuation are ignored")
        keep(self._by_words.get(tuple(sorted(_words(folded))), ()), 0.95, "same words in another order")
        written = _PAREN.sub(" ", name).strip()
        if " " not in folded and 2 <= len(folded) <= 8 and written.isupper():
            keep(self._by_initials.get(folded, ()), 0.85, "acronym of its words")
        for acronym in _initials(folded):
            keep(self._by_folded.get(acronym, ()), 0.85, "its words' acronym is a known name")
        for country, core in self._country_mentioned(name):
            keep(self._by_core.get((core, country), ()), 0.9, f"the same name in {country}")
        if len(folded) >= 4:
            matcher = difflib.SequenceMatcher(autojunk=False)
            matcher.set_seq2(folded)
            # spelling variants share their first letter: compare within it only
            for known, written, entity in self._names.get(folded[0], ()):
                if entity in found or abs(len(known) - len(folded)) > max(2, len(folded) // 4):
                    continue
                matcher.set_seq1(known)
                if matcher.real_quick_ratio() < FUZZY_CUTOFF or matcher.quick_ratio() < FUZZY_CUTOFF:
                    continue
                ratio = matcher.ratio()
                if ratio >= FUZZY_CUTOFF:
                    keep([(written, entity)], ratio * 0.9, "similar spelling")
        return sorted(found.values(), key=lambda m: (-m.score, m.entity))[:limit]

    def best(self, name: str, exclude: Iterable[str] = ()) -> NameMatch | None:
        """The most probable known entity for ``name``, or None."""
        found = self.matches(name, limit=1, exclude=exclude)
        return found[0] if found else None


def judge_handle(name: str, entity: str) -> str:
    """How ``autokg review --judge`` names a (name, entity) pair."""
    return f"{name}={entity}"


def probable_entity(decl, matcher: NameMatcher, schema=None, judged=None) -> NameMatch | None:
    """The known entity a new entity declaration (``EntityDecl``) probably duplicates, if any:
    the best match of its name or an alias, of a related type, that no judgement has settled
    (``judged(name, entity)`` returns a verdict or None)."""
    for name in [decl.name or "", *decl.aliases]:
        if not name:
            continue
        for match in matcher.matches(name):
            if judged is not None and judged(name, match.entity):
                continue
            known = matcher.index.entities.get(match.entity)
            if schema is not None and decl.type and known is not None and known.type:
                a, b = schema.class_named(decl.type), schema.class_named(known.type)
                if a and b and not (schema.is_a(a, b) or schema.is_a(b, a)):
                    continue
            return NameMatch(match.entity, match.known_name, match.score, match.reason) if name == decl.name else \
                NameMatch(match.entity, match.known_name, match.score, f"{match.reason} (alias {name!r})")
    return None
