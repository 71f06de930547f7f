"""The ontology as the loaders see it: classes, their ancestors, and each property's kind.

Read once from ``ontology/autokg.ttl`` (lazily, on first use), so event roles, value
types and annotation-tool configs all follow the ontology rather than a copy of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from .resources import ontology_file
from .terms import AK

__all__ = ["Schema", "Property", "load_schema"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_DOMAIN = "http://www.w3.org/2000/01/rdf-schema#domain"
_RANGE = "http://www.w3.org/2000/01/rdf-schema#range"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
_UNION = "http://www.w3.org/2002/07/owl#unionOf"
_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
_OWL = "http://www.w3.org/2002/07/owl#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_AK = str(AK._NS)


@dataclass(frozen=True)
class Property:
    """One ontology property. ``datatype`` is an XSD IRI, ``"date"`` or None (object property)."""

    name: str
    iri: str
    domain: str | None      # local name of the domain class
    range: str | None       # IRI of the range class (object properties)
    datatype: str | None
    label: str = ""

    @property
    def is_object(self) -> bool:
        return self.datatype is None


@dataclass
class Schema:
    """Classes and properties of the autokg ontology, by local name."""

    classes: dict[str, str] = field(default_factory=dict)        # local name -> IRI
    parents: dict[str, set[str]] = field(default_factory=dict)   # local name -> direct ak parents
    properties: dict[str, Property] = field(default_factory=dict)
    individuals: dict[str, set[str]] = field(default_factory=dict)  # class local -> individual local names
    labels: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)

    def class_named(self, name: str) -> str | None:
        """Local class name for ``name``, matched case-insensitively, or None."""
        if name in self.classes:
            return name
        return self._lower_classes.get(name.lower().replace("_", "").replace("-", ""))

    def ancestors(self, name: str) -> set[str]:
        """``name`` and every ak class above it."""
        if name in self._ancestors:
            return self._ancestors[name]
        seen, todo = set(), [name]
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(self.parents.get(c, ()))
        self._ancestors[name] = seen
        return seen

    def is_a(self, name: str, ancestor: str) -> bool:
        return ancestor in self.ancestors(name)

    def subclasses(self, ancestor: str) -> list[str]:
        return sorted(c for c in self.classes if self.is_a(c, ancestor))

    def roles_for(self, class_name: str) -> dict[str, Property]:
        """Properties usable on instances of ``class_name`` (domain is an ancestor or absent)."""
        if class_name not in self._roles:
            up = self.ancestors(class_name)
            self._roles[class_name] = {n: p for n, p in self.properties.items() if p.domain is None or p.domain in up}
        return self._roles[class_name]

    def property_named(self, name: str) -> Property | None:
        """Property by local name, accepting snake_case (``on_behalf_of``) too."""
        found = self.properties.get(name)
        if found is None:
            found = self._lower_props.get(name.lower().replace("_", "").replace("-", ""))
        return found

    def __post_init__(self):
        self._lower_classes: dict[str, str] = {}
        self._lower_props: dict[str, Property] = {}
        self._ancestors: dict[str, set[str]] = {}
        self._roles: dict[str, dict[str, Property]] = {}

    def _index(self):
        self._lower_classes = {c.lower(): c for c in self.classes}
        self._lower_props = {p.lower(): prop for p, prop in self.properties.items()}


def _local(iri: str) -> str | None:
    return iri[len(_AK):] if iri.startswith(_AK) else None


@cache
def load_schema() -> Schema:
    """Parse the packaged ontology (once per process)."""
    import pyoxigraph

    triples = [(q.subject, q.predicate.value, q.object)
               for q in pyoxigraph.parse(path=str(ontology_file()), format=pyoxigraph.RdfFormat.TURTLE)]
    by_subject: dict[str, dict[str, list]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s.value if not isinstance(s, pyoxigraph.BlankNode) else "_:" + s.value, {}) \
            .setdefault(p, []).append(o)

    def key(term) -> str:
        return "_:" + term.value if isinstance(term, pyoxigraph.BlankNode) else term.value

    def rdf_list(head) -> list:
        out = []
        while head is not None and key(head) in by_subject:
            node = by_subject[key(head)]
            out.extend(node.get(_FIRST, []))
            rest = node.get(_REST, [None])[0]
            head = None if rest is None or rest.value.endswith("#nil") else rest
        return out

    schema = Schema()
    for subject, preds in by_subject.items():
        local = _local(subject)
        if local is None:
            continue
        types = {t.value for t in preds.get(_RDF_TYPE, [])}
        if _LABEL in preds:
            schema.labels[local] = preds[_LABEL][0].value
        if _COMMENT in preds:
            schema.comments[local] = preds[_COMMENT][0].value
        if _OWL + "Class" in types:
            schema.classes[local] = subject
            schema.parents[local] = {p for p in (_local(o.value) for o in preds.get(_SUBCLASS, [])
                                                 if not isinstance(o, pyoxigraph.BlankNode)) if p}
        if _OWL + "ObjectProperty" in types or _OWL + "DatatypeProperty" in types:
            domain = preds.get(_DOMAIN, [None])[0]
            rng = preds.get(_RANGE, [None])[0]
            datatype = None
            range_iri = None
            if _OWL + "DatatypeProperty" in types:
                if rng is not None and isinstance(rng, pyoxigraph.BlankNode):
                    members = {m.value for u in by_subject.get(key(rng), {}).get(_UNION, []) for m in rdf_list(u)}
                    datatype = "date" if _XSD + "date" in members else _XSD + "string"
                else:
                    datatype = rng.value if rng is not None else _XSD + "string"
            else:
                range_iri = rng.value if rng is not None else None
            schema.properties[local] = Property(
                name=local, iri=subject,
                domain=_local(domain.value) if domain is not None else None,
                range=range_iri, datatype=datatype,
                label=preds[_LABEL][0].value if _LABEL in preds else local,
            )
        for t in types:
            cls = _local(t)
            if cls is not None:
                schema.individuals.setdefault(cls, set()).add(local)
    schema._index()
    return schema
