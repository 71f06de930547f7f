"""Annotation-tool configurations generated from the ontology (via ``graph.schema``).

``brat_config`` writes brat's ``annotation.conf`` and ``visual.conf``; ``labelstudio_config``
writes a Label Studio labeling config (``Labels`` + ``Relations``); ``inception_config``
writes INCEpTION layer definitions (the JSON that Project settings -> Layers -> Import
reads). All use the ontology's local names, so what people annotate with them loads with
no mapping file:

* entity types: every ontology class that is not a claim, event, attribution, post or
  controlled value (``Automaker``, ``Ministry``, ``Tariff``...), plus ``Value`` for spans
  that are values of an event (a date, an amount, a topic) rather than entities;
* events: every event class with its roles (``Negotiation participant*:...``); a role
  whose range is a claim takes ``<EVENT>`` (a Report ``reports`` another event);
* relations: properties between entities (``country``, ``imposedBy``, ``goods``...);
* attributes: ``certainty`` and ``polarity`` on events, ``stance`` on statements,
  ``memberType`` on groups.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr

from .readers.mapping import controlled_property
from .schema import Property, Schema, load_schema

__all__ = ["entity_types", "event_types", "event_roles", "relation_types", "attribute_types",
           "brat_config", "labelstudio_config", "inception_config", "INCEPTION_LAYERS", "VALUE_TYPE"]

VALUE_TYPE = "Value"
_SKIP_ROLES = {"claim", "statedIn", "assertedBy", "viaReport", "certainty", "polarity", "evidence",
               "status", "name", "alias", "holdsPosition", "holder", "organization", "role"}
_OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
_PALETTE = {"Organization": "#a7c2ff", "Person": "#ff821c", "Place": "#ffd412", "Policy": "#c9a0dc",
            "LegalBasis": "#e0c3a0", "Product": "#b5e3a1", "Agent": "#d0d0d0"}
_EVENT_COLOUR = "#9fe6e6"


def _local(schema: Schema, iri: str | None) -> str | None:
    ns = "https://w3id.org/autokg#"
    return iri[len(ns):] if iri and iri.startswith(ns) else None


def entity_types(schema: Schema | None = None) -> list[str]:
    """Ontology classes annotated as entity spans, parents before children."""
    schema = schema or load_schema()
    skip = {"Position", *schema.individuals}
    return [c for c in _ordered(schema, schema.classes)
            if not (schema.is_a(c, "Claim") or schema.is_a(c, "Attribution") or c in skip)]


def event_types(schema: Schema | None = None) -> list[str]:
    """Event classes, parents before children."""
    schema = schema or load_schema()
    return [c for c in _ordered(schema, schema.classes) if schema.is_a(c, "Event")]


def _ordered(schema: Schema, names) -> list[str]:
    depth = {c: len(schema.ancestors(c)) for c in names}
    return sorted(names, key=lambda c: (depth[c], c))


def _role_targets(schema: Schema, prop: Property) -> list[str] | None:
    """Allowed argument types for an object property: entity types, ['<EVENT>'], or None (not an argument)."""
    if controlled_property(schema, prop):
        return None
    entities = entity_types(schema)
    rng = _local(schema, prop.range)
    if rng is None:
        return entities + event_types(schema)
    if schema.is_a(rng, "Claim") or rng == "Claim":
        return ["<EVENT>"]
    return [c for c in entities if schema.is_a(c, rng)] or None


def event_roles(schema: Schema, cls: str) -> list[tuple[str, list[str]]]:
    """(role, allowed types) for one event class: object roles and, as ``Value`` spans, data roles."""
    roles = []
    for name, prop in sorted(schema.roles_for(cls).items()):
        if name in _SKIP_ROLES or prop.domain is None:     # no domain: entity properties (country...)
            continue
        targets = [VALUE_TYPE] if not prop.is_object else _role_targets(schema, prop)
        if targets:
            roles.append((name, targets))
    return roles


def relation_types(schema: Schema | None = None) -> list[tuple[str, list[str], list[str]]]:
    """(property, Arg1 types, Arg2 types) for properties between entities."""
    schema = schema or load_schema()
    entities = entity_types(schema)
    out = []
    for name, prop in sorted(schema.properties.items()):
        if not prop.is_object or name in _SKIP_ROLES or controlled_property(schema, prop):
            continue
        domain = prop.domain
        if domain and (domain not in schema.classes or schema.is_a(domain, "Claim") or domain == "Attribution"):
            continue
        if domain == "Position":
            continue
        rng = _local(schema, prop.range)
        if rng is None or rng not in schema.classes or schema.is_a(rng, "Claim"):
            continue
        arg1 = [c for c in entities if domain is None or schema.is_a(c, domain)]
        arg2 = [c for c in entities if schema.is_a(c, rng)]
        if arg1 and arg2:
            out.append((name, arg1, arg2))
    return out


def attribute_types(schema: Schema | None = None) -> list[tuple[str, list[str], list[str]]]:
    """(attribute, types it applies to, values): certainty, polarity, stance, memberType."""
    schema = schema or load_schema()
    events = event_types(schema)
    out = [("certainty", events, ["certain", "probable", "possible"]),
           ("polarity", events, ["positive", "negative"])]
    for name, prop in sorted(schema.properties.items()):
        if prop.is_object and controlled_property(schema, prop) and name not in _SKIP_ROLES:
            domain = prop.domain or "Agent"
            applies = [c for c in entity_types(schema) + events if schema.is_a(c, domain)]
            rng = _local(schema, prop.range)
            values = sorted(schema.individuals.get(rng, set())) if rng else []
            if prop.range == _OWL_CLASS:
                values = [c for c in entity_types(schema) if schema.is_a(c, "Agent")]
            if applies and values:
                out.append((name, applies, values))
    return out


def brat_config(schema: Schema | None = None) -> dict[str, str]:
    """brat's ``annotation.conf`` and ``visual.conf`` for the ontology, by file name."""
    schema = schema or load_schema()
    lines = ["# brat annotation configuration generated by `autokg config brat` from ontology/autokg.ttl.",
             "# Type names are the ontology's local names: what you annotate loads without a mapping.",
             "", "[entities]", ""]
    entities = entity_types(schema)
    lines += _tree(schema, entities)
    lines += [VALUE_TYPE, "", "[relations]", "",
              "# Properties between entities: Arg1 is the entity described, Arg2 its value.", ""]
    for name, arg1, arg2 in relation_types(schema):
        lines.append(f"{name}\tArg1:{'|'.join(arg1)}, Arg2:{'|'.join(arg2)}")
    lines += ["", "[events]", "",
              "# Each role may occur any number of times (participant, participant2, ...).",
              f"# Roles that hold text (date, topic, quote, amount...) take a {VALUE_TYPE} span.", ""]
    for cls in event_types(schema):
        roles = event_roles(schema, cls)
        args = ", ".join(f"{role}*:{'|'.join(types)}" for role, types in roles)
        lines.append(f"{cls}\t{args}" if args else cls)
    lines += ["", "[attributes]", ""]
    for name, applies, values in attribute_types(schema):
        lines.append(f"{name}\tArg:{'|'.join(applies)}, Value:{'|'.join(values)}")
    annotation = "\n".join(lines) + "\n"

    visual = ["# brat visual configuration generated by `autokg config brat`.", "", "[labels]", ""]
    for cls in [*entities, *event_types(schema)]:
        label = schema.labels.get(cls, cls)
        visual.append(f"{cls} | {label[:1].upper() + label[1:]}")
    visual.append(f"{VALUE_TYPE} | Value")
    for name, _, _ in relation_types(schema):
        visual.append(f"{name} | {schema.properties[name].label}")
    visual += ["", "[drawing]", "", "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
               "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5", ""]
    for cls in entities:
        colour = next((c for root, c in _PALETTE.items() if schema.is_a(cls, root)), "#e0e0e0")
        visual.append(f"{cls}\tbgColor:{colour}")
    visual.append(f"{VALUE_TYPE}\tbgColor:#f0f0f0")
    for cls in event_types(schema):
        visual.append(f"{cls}\tbgColor:{_EVENT_COLOUR}")
    visual += ["", "certainty\tglyph:!|?|??", "polarity\tglyph:+|¬"]
    return {"annotation.conf": annotation, "visual.conf": "\n".join(visual) + "\n"}


def _tree(schema: Schema, names: list[str]) -> list[str]:
    """brat's indented type hierarchy; a class with two parents sits under the first."""
    chosen = set(names)
    parent = {}
    for c in names:
        ups = sorted(p for p in schema.parents.get(c, ()) if p in chosen)
        parent[c] = ups[0] if ups else None
    lines = []

    def walk(node, depth):
        lines.append("\t" * depth + node)
        for child in sorted(c for c in names if parent[c] == node):
            walk(child, depth + 1)

    for root in sorted(c for c in names if parent[c] is None):
        walk(root, 0)
    return lines


def labelstudio_config(schema: Schema | None = None) -> str:
    """A Label Studio labeling config: every class as a Label, every role and relation as a Relation."""
    schema = schema or load_schema()
    entities, events = entity_types(schema), event_types(schema)
    relations = sorted({r for cls in events for r, _ in event_roles(schema, cls)}
                       | {name for name, _, _ in relation_types(schema)})
    lines = ["<View>",
             "  <!-- Generated by `autokg config labelstudio` from ontology/autokg.ttl. Label spans with",
             "       entity and event types; draw relations from an event to its arguments (the",
             "       relation's label is the role) and between entities (country, imposedBy...). -->",
             '  <Relations choice="multiple">']
    lines += [f"    <Relation value={quoteattr(r)}/>" for r in relations]
    lines += ["  </Relations>", '  <Labels name="label" toName="text">']
    for cls in [*entities, VALUE_TYPE, *events]:
        colour = _EVENT_COLOUR if cls in events else next(
            (c for root, c in _PALETTE.items() if cls != VALUE_TYPE and schema.is_a(cls, root)), "#e0e0e0")
        hint = schema.comments.get(cls, "A value of an event role: a date, an amount, a topic.")
        lines.append(f"    <Label value={quoteattr(cls)} background={quoteattr(colour)} hint={quoteattr(hint)}/>")
    lines += ["  </Labels>", '  <Text name="text" value="$text"/>', '  <View visibleWhen="region-selected">']
    for name, _, values in attribute_types(schema):
        lines.append(f'    <Choices name={quoteattr(name)} toName="text" perRegion="true" choice="single">')
        lines += [f"      <Choice value={quoteattr(v)}/>" for v in values]
        lines.append("    </Choices>")
    lines += ['    <TextArea name="note" toName="text" perRegion="true" placeholder="note, or key: value"/>',
              "  </View>", "</View>"]
    return "\n".join(lines) + "\n"


# The layers ``inception_config`` defines, by role: their UIMA type names are what the CAS,
# XMI and TSV exports carry, and what ``graph.readers.inception`` and ``graph.readers.webanno`` read.
INCEPTION_LAYERS = {"entity": "webanno.custom.Entity", "event": "webanno.custom.Event",
                    "relation": "webanno.custom.Relation", "article": "webanno.custom.Article"}
_ARTICLE_FEATURES = ("publisher", "date", "headline", "url", "language", "article_id")


def _tagset(name: str, description: str, tags: list[tuple[str, str]]) -> dict:
    return {"name": name, "description": description, "language": None, "create_tag": False,
            "tags": [{"tag_name": tag, "tag_description": text} for tag, text in tags]}


def _feature(name: str, description: str, *, tagset: dict | None = None, range_: str = "uima.cas.String",
             link: dict | None = None, rank: int = 0) -> dict:
    feature = {"name": name, "uiName": name, "type": range_, "description": description, "tag_set": tagset,
               "enabled": True, "visible": True, "include_in_hover": True, "required": False, "remember": False,
               "hideUnconstraintFeature": False, "multi_value_mode": "NONE", "link_mode": "NONE",
               "link_type_name": None, "link_type_role_feature_name": None, "link_type_target_feature_name": None,
               "traits": None, "curatable": True, "rank": rank}
    if link:
        feature.update(multi_value_mode="ARRAY", link_mode="WITH_ROLE", **link)
    return feature


def _layer(name: str, ui_name: str, type_: str, description: str, features: list[dict], **extra) -> dict:
    layer = {"name": name, "uiName": ui_name, "type": type_, "description": description, "enabled": True,
             "built_in": False, "readonly": False, "attach_type": None, "attach_feature": None,
             "allow_stacking": True, "cross_sentence": type_ == "span", "show_hover": True,
             "anchoring_mode": "TOKENS" if type_ != "document-metadata" else None,
             "overlap_mode": "ANY_OVERLAP", "validation_mode": "NEVER", "lock_to_token_offset": False,
             "multiple_tokens": True, "linked_list_behavior": False, "on_click_javascript_action": None,
             "traits": None, "features": features}
    layer.update(extra)
    return layer


def inception_config(schema: Schema | None = None) -> str:
    """INCEpTION layer definitions (JSON) for the ontology: Entity, Event (with role slots), Relation, Article.

    The tags are the ontology's local names: an Entity's ``label`` is ``Automaker``,
    ``Ministry``..., an Event's ``label`` is ``Negotiation``, ``Report``..., its ``arguments``
    slots take the role (``participant``, ``reports``...) and point at any span; a
    Relation between entities is labelled ``country``, ``imposedBy``... (a feature named
    ``label``, not ``type``, which dkpro-cassis reserves); the Article layer (a
    document-metadata layer) holds the publisher and date.
    """
    schema = schema or load_schema()
    entities, events = entity_types(schema), event_types(schema)

    def hint(cls: str) -> str:
        return schema.comments.get(cls, schema.labels.get(cls, cls))

    entity_tags = [(c, hint(c)) for c in entities] + [(VALUE_TYPE, "A value of an event role: a date, an amount, a topic.")]
    roles = sorted({r for cls in events for r, _ in event_roles(schema, cls)})
    relations = [name for name, _, _ in relation_types(schema)]
    attributes = {name: values for name, _, values in attribute_types(schema)}
    note = _feature("note", "Notes 'key: value' set a field (id, name, alias, wikidata, date, rate, topic...)", rank=9)
    layers = [
        _layer(INCEPTION_LAYERS["entity"], "autokg entity", "span",
               "Mentions of entities and values (generated by `autokg config inception`).",
               [_feature("label", "The entity's class in the autokg ontology",
                         tagset=_tagset("autokg entity types", "Entity classes of the autokg ontology", entity_tags),
                         rank=1), note]),
        _layer(INCEPTION_LAYERS["event"], "autokg event", "span",
               "Event triggers: the words that state a claim; its arguments are role slots.",
               [_feature("label", "The event's class in the autokg ontology",
                         tagset=_tagset("autokg event types", "Event classes of the autokg ontology",
                                        [(c, hint(c)) for c in events]), rank=1),
                _feature("arguments", "The event's arguments: the role each span plays",
                         tagset=_tagset("autokg roles", "Event roles of the autokg ontology",
                                        [(r, schema.properties[r].label or r) for r in roles]),
                         range_="uima.tcas.Annotation", rank=2,
                         link={"link_type_name": "webanno.custom.EventArgumentsLink",
                               "link_type_role_feature_name": "role", "link_type_target_feature_name": "target"}),
                *[_feature(name, f"{name} of the claim",
                           tagset=_tagset(f"autokg {name}", f"Values of {name}", [(v, v) for v in values]), rank=3)
                  for name, values in attributes.items() if name in ("certainty", "polarity", "stance")],
                note]),
        _layer(INCEPTION_LAYERS["relation"], "autokg relation", "relation",
               "Properties between entities (country, imposedBy...): from the entity described to its value.",
               [_feature("label", "The property in the autokg ontology",
                         tagset=_tagset("autokg relations", "Properties between entities",
                                        [(r, schema.properties[r].label or r) for r in relations]), rank=1)],
               attach_type={"name": INCEPTION_LAYERS["entity"]}),
        _layer(INCEPTION_LAYERS["article"], "autokg article", "document-metadata",
               "The article's metadata: publisher (an entity id or name), date, headline, url, language.",
               [_feature(name, f"The article's {name.replace('_', ' ')}", rank=n)
                for n, name in enumerate(_ARTICLE_FEATURES, start=1)]),
    ]
    return json.dumps(layers, indent=2, ensure_ascii=False) + "\n"
