"""Entity resolution: one canonical entity, and one IRI, for every way a text names it.

Order (first match wins): explicit id, Wikidata QID, registry alias, normalised name
(case, punctuation and legal suffixes such as Inc., Co., Ltd., Motor Company, Group).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import RegistryError
from .readers.annotations import Collector, EntityDecl, parse_entity
from .readers.yamlsource import YDict, line_of, read_yaml

__all__ = ["EntityIndex", "normalise_name", "read_registry", "REGISTRY_FILENAME"]

REGISTRY_FILENAME = "entities.yaml"

_LEGAL_SUFFIXES = (
    "motor company", "motor co", "motor corporation", "company", "co", "corporation", "corp",
    "incorporated", "inc", "limited", "ltd", "group", "holdings", "holding", "plc", "ag",
    "se", "sa", "spa", "gmbh", "llc", "nv", "bv", "kk", "co ltd",
)
_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """``"Ford Motor Company"`` -> ``"ford"``; ``"BYD Co., Ltd."`` -> ``"byd"``."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    text = _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()
    changed = True
    while changed:
        changed = False
        for suffix in _LEGAL_SUFFIXES:
            if text.endswith(" " + suffix):
                text = text[: -len(suffix) - 1].rstrip()
                changed = True
    if text.startswith("the "):
        text = text[4:]
    return text


@dataclass
class EntityIndex:
    """Canonical entities with lookups by id, QID, alias and normalised name."""

    entities: dict[str, EntityDecl] = field(default_factory=dict)
    path: str | None = None

    def __post_init__(self):
        self._by_qid: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        for decl in self.entities.values():
            self._index(decl)

    def _index(self, decl: EntityDecl) -> None:
        if decl.qid:
            self._by_qid.setdefault(decl.qid, decl.id)
        for name in [decl.name or "", *decl.aliases, decl.id.replace("-", " ")]:
            key = normalise_name(name)
            if key:
                self._by_name.setdefault(key, decl.id)

    def add(self, decl: EntityDecl) -> None:
        self.entities[decl.id] = decl
        self._index(decl)

    def resolve(self, name: str) -> str | None:
        """The canonical id for ``name`` (id, QID, alias or name), or None."""
        if name in self.entities:
            return name
        qid = name.upper().removeprefix("WD:").removeprefix("WIKIDATA:")
        if qid in self._by_qid:
            return self._by_qid[qid]
        return self._by_name.get(normalise_name(name))

    def resolve_decl(self, decl: EntityDecl) -> str | None:
        """The canonical id of an entity an article declares, if it is already known."""
        if decl.id in self.entities:
            return decl.id
        if decl.qid and decl.qid in self._by_qid:
            return self._by_qid[decl.qid]
        for name in [decl.name or "", *decl.aliases]:
            found = self._by_name.get(normalise_name(name))
            if found:
                return found
        return None

    def suggestions(self, name: str, limit: int = 5) -> list[str]:
        import difflib

        keys = list(self._by_name)
        close = difflib.get_close_matches(normalise_name(name), keys, n=limit, cutoff=0.6)
        return list(dict.fromkeys(self._by_name[k] for k in close))

    def copy(self) -> EntityIndex:
        """An independent index to extend with one article's entities (no re-normalising)."""
        new = EntityIndex.__new__(EntityIndex)
        new.entities, new.path = dict(self.entities), self.path
        new._by_qid, new._by_name = dict(self._by_qid), dict(self._by_name)
        return new


def read_registry(path: Path | str) -> EntityIndex:
    """Read an entity registry (``entities:`` list of canonical entities)."""
    path = Path(path)
    data = read_yaml(path)
    out = Collector(str(path))
    if not isinstance(data, YDict) or not isinstance(data.get("entities"), list):
        out.add(line_of(data), "a registry must be a mapping with an 'entities' list")
        raise RegistryError(out.problems)
    index = EntityIndex(path=str(path))
    items = data["entities"]
    for i, item in enumerate(items):
        decl = parse_entity(item, line_of(items, i), out)
        if decl is None:
            continue
        if decl.id in index.entities:
            out.add(decl.line, f"duplicate entity id {decl.id!r}")
            continue
        if isinstance(item, YDict) and "mentions" in item:
            out.add(line_of(item, "mentions"), f"registry entity {decl.id!r}: 'mentions' belong in an article, "
                                               "which has the text they point into")
        if not decl.type:
            out.add(decl.line, f"registry entity {decl.id!r} needs a 'type'")
        if not decl.name:
            out.add(decl.line, f"registry entity {decl.id!r} needs a 'name'")
        index.add(decl)
    if out.problems:
        raise RegistryError(out.problems)
    return index
