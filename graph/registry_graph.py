"""The registry graph in the store: every registry loaded so far, merged.

Loading a folder with its own ``entities.yaml`` must not drop the entities an earlier
registry described: ``merged_registry`` keeps each entity already in the store's registry
graph, adds the new registry's entities, and where both describe one entity differently
the new description replaces the old one, with a warning naming the entity and what changed.
"""

from __future__ import annotations

import pyoxigraph as ox

from .assertions import registry_triples
from .errors import Problem
from .queries import internal_query
from .registry import EntityIndex
from .store import Store
from .terms import ID, REGISTRY_GRAPH, entity_iri

__all__ = ["merged_registry"]

_POSITION = f"{ID}position/"
_SHOWN = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "type", "https://w3id.org/autokg#name": "name",
          "https://w3id.org/autokg#country": "country", "http://www.w3.org/2002/07/owl#sameAs": "wikidata"}


def _owner(subject: str) -> str:
    """The entity a registry triple describes: its subject, or a position's holder."""
    if subject.startswith(_POSITION):
        return entity_iri(subject[len(_POSITION):].split("/", 1)[0])
    return subject


def _by_owner(triples) -> dict[str, set[tuple[str, str, str]]]:
    """N-Triples terms (subject, predicate, object), grouped by the entity they describe."""
    groups: dict[str, set[tuple[str, str, str]]] = {}
    for s, p, o in triples:
        groups.setdefault(_owner(s.value), set()).add((str(s), str(p), str(o)))
    return groups


def _changes(old: set, new: set) -> str:
    """A few words on how two descriptions of one entity differ: ``type Automaker -> Country``."""
    words = []
    for predicate, label in _SHOWN.items():
        key = f"<{predicate}>"
        before = sorted(_short(o) for _, p, o in old if p == key)
        after = sorted(_short(o) for _, p, o in new if p == key)
        if before != after:
            words.append(f"{label} {', '.join(before) or '(none)'} -> {', '.join(after) or '(none)'}")
    return "; ".join(words) or "other properties differ"


def _short(term: str) -> str:
    if term.startswith("<"):
        return term[1:-1].rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return term


def merged_registry(store: Store, index: EntityIndex, warnings: list[Problem]) -> list[str]:
    """The registry graph's new triples: what the store's registry graph holds, with ``index``'s
    entities added and, where they differ, replacing the old ones (one warning each)."""
    new = _by_owner(t for t in ox.parse(("\n".join(registry_triples(index)) + "\n").encode("utf-8"),
                                        ox.RdfFormat.N_TRIPLES)
                    for t in [(t.subject, t.predicate, t.object)])
    rows = store.query(internal_query("registry-triples.rq"), {"graph": ox.NamedNode(str(REGISTRY_GRAPH))}).rows
    old = _by_owner((s, p, o) for s, p, o in rows)
    lines = []
    for owner, triples in old.items():
        if owner not in new:
            lines.extend(f"{s} {p} {o} ." for s, p, o in sorted(triples))
        elif triples != new[owner]:
            entity = owner[len(str(ID)):]
            decl = index.entities.get(entity)
            warnings.append(Problem(index.path or "registry", decl.line if decl else None,
                                    f"entity {entity!r} was already in the store's registry, described otherwise "
                                    f"({_changes(triples, new[owner])}): this registry's description replaces it",
                                    "WARNING"))
    for triples in new.values():
        lines.extend(f"{s} {p} {o} ." for s, p, o in sorted(triples))
    return lines
