"""Entity resolution across articles: which entities exist, where they come from, and which
mentions made new entities that may duplicate others.

The resolver itself is ``graph.registry.EntityIndex`` (explicit id, Wikidata QID, alias,
normalised name); brat and Label Studio mentions go through it in ``graph.readers.standoff``. This
module reads the store afterwards so a user can see what each article added:

* ``list_entities``: every entity with its name, type(s), sources (``registry`` and the
  articles that declare or mention it) and mention counts (how often each article's text
  names it: its mention annotations);
* ``unresolved_entities``: the entities that no registry entry covers (a mention or an
  article declaration created them), each with the entities it may duplicate: the same or
  a related type and a similar name (equal or contained after normalisation, or a close
  spelling), so the user can add an alias to the registry. An entity given two unrelated
  types by different articles is listed too.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .queries import internal_query
from .registry import normalise_name
from .schema import load_schema
from .store import Store
from .terms import ID, REGISTRY_GRAPH

__all__ = ["EntityInfo", "list_entities", "unresolved_entities", "similar_names"]

_ARTICLE = str(ID) + "article/"
# A boolean as result text: Virtuoso 7 gives xsd:boolean values as the integers 1 and 0.
_TRUE = ("true", "1")


@dataclass
class EntityInfo:
    id: str
    name: str
    classes: list[str]
    aliases: list[str] = field(default_factory=list)
    in_registry: bool = False
    declared_in: list[str] = field(default_factory=list)     # article ids
    mentioned_in: list[str] = field(default_factory=list)    # article ids
    duplicates: list[str] = field(default_factory=list)      # ids of possible duplicates
    mentions: dict[str, int] = field(default_factory=dict)   # article id -> times it names the entity

    @property
    def mention_count(self) -> int:
        return sum(self.mentions.values())

    @property
    def mentioned_in_text(self) -> str:
        """``"a (3); b (1)"``: the articles whose text names the entity, and how often."""
        return "; ".join(f"{a} ({n})" for a, n in sorted(self.mentions.items()))

    @property
    def type(self) -> str:
        labels = load_schema().labels
        return " / ".join(labels.get(c, c) for c in self.classes)

    @property
    def sources(self) -> list[str]:
        return (["registry"] if self.in_registry else []) + sorted({*self.declared_in, *self.mentioned_in})


def list_entities(store: Store) -> list[EntityInfo]:
    """Every entity in the store, with its name, types and sources, by id."""
    ns = "https://w3id.org/autokg#"
    entities: dict[str, EntityInfo] = {}
    for row in store.query(internal_query("entity-list.rq")).records():
        iri = row["entity"]
        if not iri.startswith(str(ID)):
            continue
        classes = sorted(c[len(ns):] for c in (row["classes"] or "").split() if c.startswith(ns))
        aliases = sorted(a for a in (row["aliases"] or "").split("\n") if a)
        slug = iri[len(str(ID)):]
        entities[iri] = EntityInfo(slug, row["name"] or slug, classes, aliases)
    for row in store.query(internal_query("entity-sources.rq")).records():
        info = entities.get(row["entity"])
        graph = row["graph"]
        if info is None:
            continue
        if graph == str(REGISTRY_GRAPH):
            info.in_registry = info.in_registry or row["declared"] in _TRUE
        elif graph.startswith(_ARTICLE):
            target = info.declared_in if row["declared"] in _TRUE else info.mentioned_in
            if graph[len(_ARTICLE):] not in target:
                target.append(graph[len(_ARTICLE):])
    for row in store.query(internal_query("entity-mentions.rq")).records():
        info = entities.get(row["entity"])
        if info is not None:
            info.mentions[row["articleId"]] = int(row["mentions"])
            # mentions are in the article's mentions graph, which entity-sources.rq does not read
            if row["articleId"] not in info.mentioned_in:
                info.mentioned_in.append(row["articleId"])
    for info in entities.values():
        info.declared_in.sort()
        info.mentioned_in.sort()
    return sorted(entities.values(), key=lambda e: e.id)


def similar_names(a: str, b: str) -> bool:
    """Two names that probably mean the same entity: equal or contained as whole words
    after normalisation, or spelled almost alike."""
    x, y = normalise_name(a), normalise_name(b)
    if not x or not y:
        return False
    if x == y:
        return True
    wx, wy = x.split(), y.split()
    short, long_ = (wx, wy) if len(wx) <= len(wy) else (wy, wx)
    if any(long_[i:i + len(short)] == short for i in range(len(long_) - len(short) + 1)):
        return len(" ".join(short)) >= 3
    # a spelling variant: a few characters apart, however long the names are
    ops = difflib.SequenceMatcher(None, x, y).get_opcodes()
    edits = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")
    return edits <= max(1, min(len(x), len(y)) // 8)


def unresolved_entities(store: Store) -> list[EntityInfo]:
    """Entities no registry entry covers, each with its possible duplicates."""
    schema = load_schema()
    everything = list_entities(store)

    def related(a: EntityInfo, b: EntityInfo) -> bool:
        return any(schema.is_a(x, y) or schema.is_a(y, x) for x in a.classes for y in b.classes)

    out = []
    for entity in everything:
        if entity.in_registry:
            continue
        names = [entity.name, *entity.aliases]
        for other in everything:
            if other.id == entity.id or not related(entity, other):
                continue
            if any(similar_names(n, m) for n in names for m in [other.name, *other.aliases]):
                entity.duplicates.append(other.id)
        out.append(entity)
    return out
