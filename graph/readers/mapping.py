"""Type mappings: how an annotation tool's type names become ontology terms.

Without a mapping file every type name is looked up among the ontology's local names,
case-insensitively and ignoring ``-`` and ``_`` (``tariff_imposition`` is
``TariffImposition``), so annotating with the configs ``autokg config`` writes needs no
mapping. A mapping file (YAML) names the rest::

    types:                  # span and event types -> ontology classes
      GPE: Country
      Merge-org: Merger
      Money: value          # spans that are values (amounts, dates), not entities
      Time: null            # deliberately ignored
    roles:                  # event argument roles -> ontology properties
      Org-Arg: participant  # Org-Arg2, Org-Arg3 ... (repeated roles) map the same way
    relations:              # binary relations
      Located: country      # a property of the first argument's entity
      Family: note          # kept as a note on the first argument
      Talks: {type: Negotiation, Arg1: participant, Arg2: participant}   # an event
    attributes:
      Confidence: {certainty: {High: certain, Neutral: probable, Low: possible}}
      Negation: {polarity: negative}
      Mention: note         # kept as a note ("Mention: Name")
    article:                # metadata for documents whose tool has no place for it (brat, doccano...)
      publisher: global-times
      date: 2026-02

A relation drawn with no label (Label Studio makes them when its config has no ``<Relation>``
values) is named ``unlabelled``: ``roles: {unlabelled: participant}`` or
``relations: {unlabelled: note}`` says what it means; without such an entry it is skipped
with a warning.

A type that is neither mapped nor an ontology name is *unmapped*: the loader lists every
unmapped type with the place it is first used and loads nothing, unless ``lenient`` is
set, in which case annotations of that type are skipped with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..schema import Schema, load_schema
from .annotations import Collector, Value
from .yamlsource import YDict, line_of, read_yaml

__all__ = ["TypeMapping", "AttributeRule", "RelationRule", "read_mapping", "controlled_property", "VALUE", "NOTE",
           "UNLABELLED"]

VALUE = "value"     # a span type whose spans are literal values
NOTE = "note"       # keep the annotation as a note
UNLABELLED = "unlabelled"   # the name of a relation drawn without a label

_ROLE_NUMBER = re.compile(r"\d+$")
_SECTIONS = {"types", "roles", "relations", "attributes", "article"}
_ARTICLE_DEFAULTS = {"publisher", "date", "language"}

# Attributes every mapping understands unless it says otherwise (brat's usual names).
_DEFAULT_ATTRIBUTES = {
    "negation": ("polarity", {}, "negative"),
    "negated": ("polarity", {}, "negative"),
    "polarity": ("polarity", {"positive": "positive", "negative": "negative", "pos": "positive",
                              "neg": "negative"}, None),
    "certainty": ("certainty", {}, None),
    "confidence": ("certainty", {}, None),
    "speculation": ("certainty", {}, "possible"),
}
_CERTAINTY_WORDS = {"certain": "certain", "high": "certain", "probable": "probable", "neutral": "probable",
                    "medium": "probable", "likely": "probable", "possible": "possible", "low": "possible"}


@dataclass(frozen=True)
class AttributeRule:
    """What an attribute means: ``target`` is certainty, polarity or note (None: ignored)."""

    target: str | None
    values: dict[str, str] = field(default_factory=dict)   # foreign value (casefolded) -> individual
    fixed: str | None = None                                 # value of a binary attribute

    def value_for(self, raw: str | None) -> str | None:
        """The ontology individual for attribute value ``raw`` (None for a binary attribute)."""
        if raw is None or raw == "" or raw is True:
            return self.fixed
        key = str(raw).casefold()
        if key in self.values:
            return self.values[key]
        if self.target == "certainty":
            return _CERTAINTY_WORDS.get(key)
        if self.target == "polarity" and key in ("positive", "negative"):
            return key
        return None


@dataclass(frozen=True)
class RelationRule:
    """A binary relation: an entity property, an event with two roles, or a note."""

    kind: str | None                   # "property" | "event" | "note" | None (ignored)
    property: str | None = None
    event_type: str | None = None
    roles: tuple[str, str] = ("", "")


@dataclass
class TypeMapping:
    """Foreign type names -> ontology terms, with a record of what could not be mapped."""

    types: dict[str, str | None] = field(default_factory=dict)
    roles: dict[str, str | None] = field(default_factory=dict)
    relations: dict[str, RelationRule] = field(default_factory=dict)
    attributes: dict[str, AttributeRule] = field(default_factory=dict)
    path: str | None = None
    lenient: bool = False
    schema: Schema | None = None
    # article metadata for documents that carry none (brat without .meta.yaml, doccano...):
    # the mapping file's ``article:`` section, overridden by ``--publisher``
    article_defaults: dict[str, Value] = field(default_factory=dict)
    predictions: bool = False          # load a Label Studio task's prediction when it has no annotation
    # (kind, name) -> [(file, line)]: every use of a type nobody mapped
    unmapped: dict[tuple[str, str], list[tuple[str, int | None]]] = field(default_factory=dict)

    def __post_init__(self):
        self.schema = self.schema or load_schema()

    # --- lookups -------------------------------------------------------------
    @staticmethod
    def _find(table: dict, name: str):
        if name in table:
            return True, table[name]
        folded = {k.casefold(): v for k, v in table.items()}
        if name.casefold() in folded:
            return True, folded[name.casefold()]
        return False, None

    def span_type(self, name: str, where: tuple[str, int | None] | None) -> tuple[str, str | None]:
        """Classify a span/event type: ("class", Local) | ("value", None) | ("ignore", None) | ("unmapped", None).

        ``where`` (file, line) records an unmapped use; None only asks.
        """
        found, target = self._find(self.types, name)
        if found:
            if target is None:
                return "ignore", None
            if str(target).casefold() == VALUE:
                return "value", None
            cls = self.schema.class_named(str(target))
            return ("class", cls) if cls else ("unmapped", None)
        cls = self.schema.class_named(name)
        if cls:
            return "class", cls
        if name.casefold() == VALUE:
            return "value", None
        if where is not None:
            self._record("type", name, where)
        return "unmapped", None

    def role(self, name: str, where: tuple[str, int | None]) -> tuple[str, str | None]:
        """An event role (``Org-Arg2`` counts as ``Org-Arg``): ("property", name) | ("ignore"|"unmapped", None)."""
        for candidate in (name, _ROLE_NUMBER.sub("", name)):
            found, target = self._find(self.roles, candidate)
            if found:
                if target is None:
                    return "ignore", None
                prop = self.schema.property_named(str(target))
                return ("property", prop.name) if prop else ("unmapped", None)
        for candidate in (name, _ROLE_NUMBER.sub("", name)):
            prop = self.schema.property_named(candidate)
            if prop:
                return "property", prop.name
        self._record("role", _ROLE_NUMBER.sub("", name) or name, where)
        return "unmapped", None

    def relation(self, name: str, where: tuple[str, int | None]) -> RelationRule | None:
        """How a binary relation type maps, or None if unmapped (recorded)."""
        found, rule = self._find(self.relations, name)
        if found:
            return rule
        prop = self.schema.property_named(name)
        if prop:
            return RelationRule("property", prop.name)
        self._record("relation", name, where)
        return None

    def attribute(self, name: str, where: tuple[str, int | None]) -> AttributeRule | None:
        """How an attribute maps, or None if unmapped (recorded)."""
        found, rule = self._find(self.attributes, name)
        if found:
            return rule
        default = _DEFAULT_ATTRIBUTES.get(name.casefold())
        if default:
            target, values, fixed = default
            return AttributeRule(target, values, fixed)
        prop = self.schema.property_named(name)
        if prop is not None and prop.is_object and controlled_property(self.schema, prop):
            return AttributeRule(prop.name)
        self._record("attribute", name, where)
        return None

    def knows_unlabelled(self) -> bool:
        """True when the mapping says what a relation drawn without a label means."""
        return self._find(self.roles, UNLABELLED)[0] or self._find(self.relations, UNLABELLED)[0]

    def _record(self, kind: str, name: str, where: tuple[str, int | None]) -> None:
        self.unmapped.setdefault((kind, name), []).append(where)

    # --- reporting -------------------------------------------------------------
    def unmapped_problems(self) -> list[Problem]:
        """One problem per unmapped name, at its first use (WARNING when lenient)."""
        problems = []
        for (kind, name), uses in sorted(self.unmapped.items()):
            path, line = uses[0]
            files = len({p for p, _ in uses})
            more = f" (used {len(uses)} times in {files} file(s))" if len(uses) > 1 else ""
            if self.lenient:
                message = f"unmapped {kind} {name!r}{more}: skipped (--lenient)"
            else:
                section = {"type": "types", "role": "roles", "relation": "relations",
                           "attribute": "attributes"}[kind]
                message = (f"unmapped {kind} {name!r}{more}: map it under '{section}:' in a mapping file "
                           f"(--mapping), or pass --lenient to skip it")
            problems.append(Problem(path, line, message, "WARNING" if self.lenient else "ERROR"))
        return problems


def controlled_property(schema: Schema, prop) -> bool:
    """Object properties whose values are ontology terms (stance, member type), not entities."""
    if prop.range == "http://www.w3.org/2002/07/owl#Class":
        return True
    ns = "https://w3id.org/autokg#"
    return bool(prop.range and prop.range.startswith(ns) and prop.range[len(ns):] in schema.individuals)


def read_mapping(path: Path | str | None = None, lenient: bool = False) -> TypeMapping:
    """Read a mapping file (or return the default mapping when ``path`` is None)."""
    schema = load_schema()
    if path is None:
        return TypeMapping(lenient=lenient, schema=schema)
    path = Path(path)
    data = read_yaml(path)
    out = Collector(str(path))
    mapping = TypeMapping(path=str(path), lenient=lenient, schema=schema)
    if not isinstance(data, YDict):
        out.add(line_of(data), "a mapping file must be a mapping with 'types', 'roles', 'relations', 'attributes', "
                               "'article'")
        out.raise_if_any()
    for key in data:
        if key not in _SECTIONS:
            out.add(line_of(data, key), f"unknown section {key!r} (allowed: {', '.join(sorted(_SECTIONS))})")
    for section in _SECTIONS:
        if section in data and not isinstance(data[section], YDict):
            out.add(line_of(data, section), f"'{section}' must be a mapping of foreign name -> ontology name")
    out.raise_if_any()

    for name, target in data.get("types", {}).items():
        line = line_of(data["types"], name)
        if target is None or (isinstance(target, str) and target.casefold() == VALUE):
            mapping.types[name] = target
        elif not isinstance(target, str) or schema.class_named(target) is None:
            out.add(line, f"type {name!r}: {target!r} is not an ontology class (or 'value', or null)")
        else:
            mapping.types[name] = schema.class_named(target)
    for name, target in data.get("roles", {}).items():
        line = line_of(data["roles"], name)
        if target is None:
            mapping.roles[name] = None
        elif not isinstance(target, str) or schema.property_named(target) is None:
            out.add(line, f"role {name!r}: {target!r} is not an ontology property (or null)")
        else:
            mapping.roles[name] = schema.property_named(target).name
    for name, target in data.get("relations", {}).items():
        rule = _relation_rule(target, line_of(data["relations"], name), name, schema, out)
        if rule is not None:
            mapping.relations[name] = rule
    for name, target in data.get("attributes", {}).items():
        rule = _attribute_rule(target, line_of(data["attributes"], name), name, out)
        if rule is not None:
            mapping.attributes[name] = rule
    article = data.get("article", {})
    for key, value in article.items():
        if key not in _ARTICLE_DEFAULTS:
            out.add(line_of(article, key), f"article: unknown key {key!r} (allowed: {', '.join(sorted(_ARTICLE_DEFAULTS))})")
        elif value is not None:
            mapping.article_defaults[key] = Value(value)   # a default: no line in the article
    out.raise_if_any()
    return mapping


def _relation_rule(target, line, name, schema: Schema, out: Collector) -> RelationRule | None:
    if target is None:
        return RelationRule(None)
    if isinstance(target, str):
        if target.casefold() == NOTE:
            return RelationRule(NOTE)
        prop = schema.property_named(target)
        if prop is None:
            out.add(line, f"relation {name!r}: {target!r} is not an ontology property (or 'note', or null)")
            return None
        return RelationRule("property", prop.name)
    if isinstance(target, YDict) and set(target) == {"type", "Arg1", "Arg2"}:
        cls = schema.class_named(str(target["type"]))
        roles = [schema.property_named(str(target[a])) for a in ("Arg1", "Arg2")]
        if cls is None or not schema.is_a(cls, "Event") or None in roles:
            out.add(line, f"relation {name!r}: needs an event type and two event roles, "
                          f"as in {{type: Negotiation, Arg1: participant, Arg2: participant}}")
            return None
        return RelationRule("event", event_type=cls, roles=(roles[0].name, roles[1].name))
    out.add(line, f"relation {name!r}: give a property name, 'note', null, or {{type:, Arg1:, Arg2:}}")
    return None


def _attribute_rule(target, line, name, out: Collector) -> AttributeRule | None:
    if target is None:
        return AttributeRule(None)
    if isinstance(target, str) and target.casefold() == NOTE:
        return AttributeRule(NOTE)
    if isinstance(target, YDict) and len(target) == 1:
        [(key, spec)] = target.items()
        allowed = {"certainty": {"certain", "probable", "possible"}, "polarity": {"positive", "negative"}}
        if key in allowed:
            if isinstance(spec, str) and spec in allowed[key]:
                return AttributeRule(key, {}, spec)
            if isinstance(spec, YDict) and all(isinstance(v, str) and v in allowed[key] for v in spec.values()):
                return AttributeRule(key, {str(k).casefold(): v for k, v in spec.items()})
            out.add(line, f"attribute {name!r}: {key} values must be {', '.join(sorted(allowed[key]))}")
            return None
    out.add(line, f"attribute {name!r}: give 'note', null, {{polarity: negative}} or "
                  f"{{certainty: {{High: certain, Low: possible}}}}")
    return None
