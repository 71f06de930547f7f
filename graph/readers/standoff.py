"""Stand-off annotations (spans, events, relations, attributes, notes) -> an ArticleDoc.

brat (``graph.readers.brat``) and Label Studio (``graph.readers.labelstudio``) both read into a
``Standoff``; ``to_article`` turns it into the format-neutral ``ArticleDoc`` that
``graph.assertions`` compiles, so both tools follow the same rules:

* A span whose type maps to an entity class is a *mention*. Mentions joined by an
  equivalence (brat ``*``) are one entity; mentions that normalise to the same name are one
  entity. Each entity is resolved through the registry in the resolver's order: an
  ``id:`` note, a Wikidata QID (brat ``N`` normalisation or ``wikidata:`` note), then each
  name and mention text (alias, then normalised name). A resolved mention adds nothing to
  the registry's description unless a note or relation says more. An unresolved mention
  creates a new entity whose id is the slug of its name, so the same new name in two
  articles is one node.
* A span whose type maps to an event class is a trigger; the event's evidence is the
  trigger span (each fragment of a discontinuous span is one evidence span).
* An event argument that is another event nests: a ``Report`` whose argument is an event
  ``reports`` it, so ``compile_article`` gives the inner claim's attribution ``viaReport``
  the outer report. A chain "A said that B reported that C happened" becomes
  C --viaReport--> B's report, whose own attribution --viaReport--> A's report; the
  outermost report is asserted by the article's publisher. Every report is a claim of
  its own (it can be denied), asserted by the publisher and relayed via the report above
  it, exactly as a YAML article would write it.
* Attributes: certainty and polarity (``Negation`` -> negative, ``Confidence`` ->
  certainty) go on the claim's attribution; others mapped to ``note`` are kept as notes.
* Notes: a note ``key: value`` whose key is ``id``, ``name``, ``alias``, ``wikidata``,
  ``type``, ``position`` (``role @ organisation``), ``asserted_by``, ``certainty``,
  ``polarity`` or a property of the annotated thing sets that field; on a value span
  (amount, rate, date) the note is the normalised value. Any other note is kept as a
  ``skos:note`` on the entity or on the claim's attribution.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from ..errors import Problem
from ..registry import EntityIndex, normalise_name
from ..schema import Schema
from ..terms import attribution_iri, entity_iri, slugify
from .annotations import ArticleDoc, Collector, EntityDecl, EventDecl, Evidence, PositionDecl, Value
from .mapping import NOTE, TypeMapping

__all__ = ["Span", "EventAnn", "RelationAnn", "AttributeAnn", "NormAnn", "NoteAnn", "Standoff",
           "ImportedDoc", "to_article", "parse_note", "events_from_relations", "SKOS_NOTE", "MAX_FRAGMENTS"]

SKOS_NOTE = "http://www.w3.org/2004/02/skos/core#note"
_KV = re.compile(r"^\s*([A-Za-z][A-Za-z_]*)\s*[:=]\s*(\S.*?)\s*$", re.DOTALL)
_WIKIDATA = re.compile(r"^(?:wikidata|wd)\s*:\s*(Q[1-9][0-9]*)$", re.IGNORECASE)
_ENTITY_KEYS = {"id", "name", "alias", "wikidata", "type", "position"}
_EVENT_KEYS = {"id", "asserted_by", "certainty", "polarity"}
_INTEGER = ("http://www.w3.org/2001/XMLSchema#nonNegativeInteger", "http://www.w3.org/2001/XMLSchema#integer")
# Fragments of one discontinuous span (brat ``0 5;9 12``, or Label Studio regions joined by one
# event ``id:``): real evidence has a handful.
MAX_FRAGMENTS = 100
_PLACEHOLDER = {"publisher": "ID", "date": "YYYY-MM-DD"}
_RESERVED = {"claim", "statedIn", "assertedBy", "viaReport", "certainty", "polarity", "evidence",
             "status", "name", "alias", "holdsPosition"}


@dataclass
class Span:
    id: str
    type: str
    fragments: list[tuple[int, int]]
    text: str | None            # the text the tool recorded (None: not recorded)
    line: int | None = None


@dataclass
class EventAnn:
    id: str
    type: str
    trigger: str | None
    args: list[tuple[str, str]]   # (role, target id)
    line: int | None = None


@dataclass
class RelationAnn:
    id: str
    type: str
    arg1: str
    arg2: str
    line: int | None = None


@dataclass
class AttributeAnn:
    id: str
    name: str
    target: str
    value: str | None
    line: int | None = None


@dataclass
class NormAnn:
    id: str
    target: str
    ref: str                    # "Wikidata:Q44294", "Wikipedia:64488"
    text: str
    line: int | None = None


@dataclass
class NoteAnn:
    id: str
    target: str
    text: str
    line: int | None = None


@dataclass
class Standoff:
    """One document's stand-off annotations, as a tool wrote them."""

    path: str
    text: str
    default_id: str
    spans: dict[str, Span] = field(default_factory=dict)
    events: dict[str, EventAnn] = field(default_factory=dict)
    relations: dict[str, RelationAnn] = field(default_factory=dict)
    attributes: list[AttributeAnn] = field(default_factory=list)
    norms: list[NormAnn] = field(default_factory=list)
    notes: list[NoteAnn] = field(default_factory=list)
    equivs: list[tuple[list[str], int | None]] = field(default_factory=list)
    meta: dict[str, Value] = field(default_factory=dict)
    meta_path: str | None = None
    meta_line: int | None = None
    check_text: bool = True
    # where this format keeps article metadata, for the fix of a missing publisher or date
    meta_hint: str = "the document's metadata"


@dataclass
class ImportedDoc(ArticleDoc):
    """An ArticleDoc read from an annotation tool, with the notes it keeps and its counts."""

    notes: list[tuple[str, str]] = field(default_factory=list)       # (subject IRI, text)
    counts: dict[str, int] = field(default_factory=dict)
    new_entities: dict[str, str] = field(default_factory=dict)       # new entity id -> first mention text


def parse_note(text: str) -> tuple[str, object] | None:
    """``"rate: 25"`` -> ``("rate", "25")``; a JSON-quoted value is decoded; None if free text."""
    match = _KV.match(text)
    if not match:
        return None
    key, value = match.group(1), match.group(2)
    if value.startswith('"'):
        try:
            decoded = json.loads(value)
        except ValueError:
            return key, value
        if isinstance(decoded, str):
            return key, decoded
    return key, value


def _is_event_class(schema: Schema, cls: str) -> bool:
    return schema.is_a(cls, "Claim") or schema.is_a(cls, "Attribution")


class _Builder:
    def __init__(self, so: Standoff, mapping: TypeMapping, index: EntityIndex, out: Collector,
                 warnings: list[Problem]):
        self.so, self.mapping, self.index, self.out, self.warnings = so, mapping, index, out, warnings
        self.schema = mapping.schema
        self.counts: dict[str, int] = {}
        self.skipped: set[str] = set()      # ids dropped because their type is unmapped or ignored
        self.claim_owners: dict[str, tuple[str, int | None]] = {}   # claim id -> (annotation id, line)
        self.publisher_decl: EntityDecl | None = None   # a default publisher new to the registry

    def where(self, line):
        return (self.so.path, line)

    def claim_id(self, claim: str, annotation: str, line: int | None) -> str:
        """``claim`` (the slug made from ``annotation``'s id) if no other annotation became it.

        A tool's ids are case-sensitive and may hold ``_``; slugs are neither, so ``E1`` and
        ``E1_`` (brat), or regions ``EvA`` and ``eva`` (Label Studio), would become one claim
        with both types and both spans. Two annotations reaching one claim id are refused,
        naming both places."""
        first = self.claim_owners.setdefault(claim, (annotation, line))
        if first[0] != annotation:
            where = f" (line {first[1]})" if first[1] else ""
            self.out.add(line, f"{annotation} and {first[0]}{where} both become claim id {claim!r}: "
                               "ids must differ in more than case and punctuation; rename one")
        return claim

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def span_text(self, span: Span) -> str:
        return " ".join(self.so.text[s:e] for s, e in span.fragments)

    # ------------------------------------------------------------------------
    def build(self) -> ImportedDoc:
        so, schema = self.so, self.schema
        doc = self.article()
        self.count("spans", len(so.spans))

        # 1. Classify spans and check their offsets.
        kinds: dict[str, tuple[str, str | None]] = {}
        for span in so.spans.values():
            self.check_span(span)
            kind, cls = self.mapping.span_type(span.type, self.where(span.line))
            if kind == "class" and _is_event_class(schema, cls):
                kind = "trigger"
            elif kind == "class":
                kind = "mention"
            if kind in ("ignore", "unmapped"):
                self.skipped.add(span.id)
                self.count("spans skipped")
            kinds[span.id] = (kind, cls)
        triggers = {e.trigger for e in so.events.values() if e.trigger}
        for span in so.spans.values():
            if kinds[span.id][0] == "trigger" and span.id not in triggers:
                self.warnings.append(Problem(so.path, span.line,
                                             f"{span.id}: {span.type} trigger without an event: ignored", "WARNING"))
        notes_by_target: dict[str, list[NoteAnn]] = {}
        for note in so.notes:
            notes_by_target.setdefault(note.target, []).append(note)
            self.count("notes")
        self.notes_by_target = notes_by_target
        self.kinds = kinds
        # Indexes by target, so that each annotation is looked at once (linear in the file).
        self.norms_by_target: dict[str, list[NormAnn]] = {}
        for norm in so.norms:
            self.norms_by_target.setdefault(norm.target, []).append(norm)
        self.attributes_by_target: dict[str, list[AttributeAnn]] = {}
        for attr in so.attributes:
            self.attributes_by_target.setdefault(attr.target, []).append(attr)

        # 2. Entities from mentions.
        mention_ids = [s for s in so.spans if kinds[s][0] == "mention"]
        self.count("mentions", len(mention_ids))
        parent = {m: m for m in mention_ids}

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for ids, line in so.equivs:
            live = [i for i in ids if i not in self.skipped]
            bad = [i for i in live if i not in parent]
            if bad:
                self.out.add(line, f"equivalence joins {', '.join(bad)}, which are not entity mentions")
                continue
            for other in live[1:]:
                parent[find(other)] = find(live[0])
        groups: dict[str, list[str]] = {}
        for m in mention_ids:
            groups.setdefault(find(m), []).append(m)
        self.entity_of: dict[str, str] = {}        # mention span id -> canonical entity id
        decls: dict[str, EntityDecl] = {}
        self.doc_notes: list[tuple[str, str]] = []
        self.local = EntityIndex()                  # this document's new entities, by name and alias
        new_entities: dict[str, str] = {}
        # Equivalence sets first, so a later bare mention of one of their names joins them.
        for members in sorted(groups.values(), key=lambda g: len(g) == 1):
            self.entity_group(members, decls, new_entities)
        self.decls = decls

        # 3. Events, ids first so nested events can refer to each other.
        self.event_ids: dict[str, str] = {}
        self.trigger_events: dict[str, str] = {}
        event_classes: dict[str, str] = {}
        for ev in so.events.values():
            kind, cls = self.mapping.span_type(ev.type, self.where(ev.line))
            if kind != "class" or not _is_event_class(schema, cls):
                if kind == "class":
                    self.out.add(ev.line, f"{ev.id}: {ev.type!r} maps to {cls}, which is not an event type")
                self.skipped.add(ev.id)
                continue
            event_classes[ev.id] = cls
            eid = doc.id + "-" + slugify(ev.id)
            for note in [*notes_by_target.get(ev.id, []), *notes_by_target.get(ev.trigger or "", [])]:
                kv = parse_note(note.text)
                if kv and kv[0] == "id":
                    if slugify(str(kv[1])) != kv[1]:
                        self.out.add(note.line, f"event id {kv[1]!r} must be a slug such as {slugify(str(kv[1]))!r}")
                    else:
                        eid = str(kv[1])
            self.event_ids[ev.id] = self.claim_id(eid, ev.id, ev.line)
            if ev.trigger:
                self.trigger_events.setdefault(ev.trigger, eid)
        events: list[EventDecl] = []
        for ev in so.events.values():
            if ev.id in event_classes:
                decl = self.event(ev, event_classes[ev.id], doc)
                if decl:
                    events.append(decl)
        self.events_by_id = {e.id: e for e in events}
        self.count("events", len(events))
        self.count("reports", sum(1 for e in events if schema.is_a(e.type, "Report")))

        # 4. Relations, attributes on entities.
        for rel in so.relations.values():
            self.relation(rel, events, doc)
        for attr in so.attributes:
            self.entity_attribute(attr)
        for note in so.notes:
            if note.target in self.skipped:
                continue
            if note.target not in so.spans and note.target not in so.events and note.target not in so.relations:
                self.out.add(note.line, f"note refers to unknown annotation {note.target!r}")

        doc.entities = list(decls.values())
        if self.publisher_decl is not None and self.publisher_decl.id not in {d.id for d in doc.entities}:
            doc.entities.append(self.publisher_decl)
        doc.events = events
        doc.mentions = self.mentions(mention_ids)
        doc.notes = self.doc_notes
        doc.counts = self.counts
        doc.new_entities = new_entities
        self.count("entities", len({*self.entity_of.values()}))
        self.count("new entities", len(new_entities))
        return doc

    # ------------------------------------------------------------------------
    def article(self) -> ImportedDoc:
        so, meta = self.so, self.so.meta
        meta_out = Collector(so.meta_path or so.path)
        raw_id = meta.get("id")
        article_id = str(raw_id.raw) if raw_id else so.default_id
        if slugify(article_id) != article_id or not article_id:
            meta_out.add(raw_id.line if raw_id else so.meta_line,
                         f"article id {article_id!r} must be a slug such as {slugify(article_id)!r}")
        headline = meta.get("headline") or meta.get("title")
        if headline:
            headline_text = str(headline.raw)
        else:
            first = next((ln.strip() for ln in so.text.splitlines() if ln.strip()), article_id)
            headline_text = first if len(first) <= 200 else first[:199] + "…"
        publisher, date = self.required_meta(meta, meta_out)
        self.out.problems.extend(meta_out.problems)
        return ImportedDoc(
            id=article_id, path=so.path, headline=headline_text,
            publisher=publisher, date=date, text=so.text,
            url=str(meta["url"].raw) if meta.get("url") else None,
            language=str(meta["language"].raw) if meta.get("language") else (
                str(self.mapping.article_defaults["language"].raw) if "language" in self.mapping.article_defaults else None),
            line=so.meta_line,
        )

    def required_meta(self, meta: dict[str, Value], out: Collector) -> tuple[Value | None, Value | None]:
        """The publisher and date, from the document or the defaults; a missing one is an error with its fix.

        A YAML article must name both (the shapes need them, and every claim is asserted by
        the publisher by default); a tool with no place for metadata takes them from
        ``--publisher`` or the mapping file's ``article:`` section. A default publisher the
        registry does not know becomes a new MediaOutlet, as a new mention becomes an entity.
        """
        defaults = self.mapping.article_defaults
        publisher = meta.get("publisher") or defaults.get("publisher")
        date = meta.get("date") or defaults.get("date")
        missing = [k for k, v in (("publisher", publisher), ("date", date)) if v is None]
        if missing:
            where = self.so.meta_line
            options = (["--publisher ID"] if "publisher" in missing else []) + [
                "article: {" + ", ".join(f"{k}: {_PLACEHOLDER[k]}" for k in missing) + "} in the mapping file (--mapping)"]
            out.add(where, f"no {' and no '.join(missing)}: give {'them' if len(missing) > 1 else 'it'} in "
                           f"{self.so.meta_hint}, or as a default for every document: {', or '.join(options)}")
        if publisher is not None and publisher is defaults.get("publisher") and isinstance(publisher.raw, str):
            name = publisher.raw.strip()
            if name and self.index.resolve(name) is None and slugify(name) not in self.index.entities:
                self.publisher_decl = EntityDecl(id=slugify(name), name=name, type="MediaOutlet")
                publisher = Value(slugify(name))
        return publisher, date

    def check_span(self, span: Span) -> None:
        n = len(self.so.text)
        if len(span.fragments) > MAX_FRAGMENTS:
            # Each fragment becomes an evidence span of about 30 quads: a 3.6 MB .ann line of
            # 400,000 fragments would write 12 million of them.
            self.out.add(span.line, f"{span.id}: {len(span.fragments):,} fragments; a span may have at most "
                                    f"{MAX_FRAGMENTS} (split the annotation)")
            self.skipped.add(span.id)
            return
        for s, e in span.fragments:
            if not (0 <= s < e <= n):
                self.out.add(span.line, f"{span.id}: offsets {s}..{e} are outside the text (0..{n}) or empty")
                self.skipped.add(span.id)
                return
        if span.text is None or not self.so.check_text:
            return
        found = self.span_text(span)
        if " ".join(found.split()) != " ".join(span.text.split()):
            self.out.add(span.line, f"{span.id}: text at {_offsets(span)} is {_short(found)!r}, "
                                    f"but the annotation says {_short(span.text)!r}")
            self.skipped.add(span.id)

    # ------------------------------------------------------------------------
    def entity_group(self, members: list[str], decls: dict[str, EntityDecl], new_entities: dict[str, str]) -> None:
        so, schema = self.so, self.schema
        spans = sorted((so.spans[m] for m in members), key=lambda s: s.fragments[0])
        cls = self.kinds[spans[0].id][1]
        info = {"id": None, "name": None, "alias": [], "wikidata": None, "type": None}
        props: dict[str, list[Value]] = {}
        positions: list[PositionDecl] = []
        free: list[str] = []
        norm_names: list[str] = []
        for span in spans:
            for norm in self.norms_by_target.get(span.id, []):
                self.count("normalisations")
                match = _WIKIDATA.match(norm.ref.replace(" ", ""))
                if match:
                    info["wikidata"] = match.group(1).upper()
                else:
                    free.append(f"{norm.ref}" + (f" ({norm.text})" if norm.text else ""))
                if norm.text:
                    norm_names.append(norm.text)
            for note in self.notes_by_target.get(span.id, []):
                self.entity_note(note, cls, info, props, positions, free)
        if info["type"]:
            cls = schema.class_named(info["type"]) or cls
        texts = [self.span_text(s) for s in spans]

        canonical = None
        if info["id"] and info["id"] in self.index.entities:
            canonical = info["id"]
        if canonical is None and info["wikidata"]:
            canonical = self.index.resolve(info["wikidata"])
        if canonical is None and not info["id"]:
            for candidate in [info["name"] or "", *norm_names, *texts]:
                if candidate and (found := self.index.resolve(candidate)):
                    canonical = found
                    break

        first = spans[0]
        if canonical is not None:
            decl = decls.get(canonical) or EntityDecl(canonical, None, None, line=first.line)
            if info["type"]:
                decl.type = cls
            if info["name"]:
                decl.name = info["name"]
            if info["wikidata"]:
                decl.qid = info["wikidata"]
            self.count("mentions resolved", len(spans))
        else:
            name = info["name"] or (norm_names[0] if norm_names else texts[0])
            entity_id = info["id"]
            if not entity_id:
                entity_id = next((found for t in [name, *texts] if (found := self.local.resolve(t))), None)
            entity_id = entity_id or slugify(name) or _hashed(name)
            decl = decls.get(entity_id) or EntityDecl(entity_id, cls, name, qid=info["wikidata"], line=first.line)
            if entity_id not in decls:
                new_entities[entity_id] = texts[0]
            else:
                self.same_name_twice(decl, cls, first, texts)
            key = normalise_name(decl.name or "")
            for text in texts[1:] if len(spans) > 1 and self._equivalent(members) else []:
                if normalise_name(text) != key and text not in decl.aliases:
                    decl.aliases.append(text)
            canonical = entity_id
        for alias in info["alias"]:
            if alias not in decl.aliases:
                decl.aliases.append(alias)
        for key, values in props.items():
            decl.props.setdefault(key, []).extend(values)
        decl.positions.extend(positions)
        decls[canonical] = decl
        if canonical not in self.index.entities:
            self.local.add(decl)
        for span in spans:
            self.entity_of[span.id] = canonical
        for text in free:
            self.doc_notes.append((entity_iri(canonical), text))
            self.count("notes kept")

    def same_name_twice(self, decl: EntityDecl, cls: str | None, span: Span, texts: list[str]) -> None:
        """A name met again in the document: a spelling variant becomes an alias (België /
        Belgie), and a second type is a warning (the first is kept)."""
        for text in texts:
            if text != decl.name and text not in decl.aliases:
                decl.aliases.append(text)
        if cls and decl.type and cls != decl.type:
            self.warnings.append(Problem(self.so.path, span.line, (
                f"{span.id}: {texts[0]!r} is typed {cls} here and {decl.type} at line {decl.line}: kept {decl.type} "
                f"(give both spans one type, or an id: note to tell them apart)"), "WARNING"))

    def mentions(self, mention_ids: list[str]):
        """Every fragment of every entity span as a mention of its entity, in text order."""
        from ..identity.mentions import Mention

        out = []
        for sid in mention_ids:
            if sid in self.skipped or sid not in self.entity_of:
                continue
            span = self.so.spans[sid]
            for start, end in span.fragments:
                out.append(Mention(self.entity_of[sid], start, end, self.so.text[start:end], span.line))
        return sorted(out, key=lambda m: (m.start, m.end))

    def _equivalent(self, members: list[str]) -> bool:
        return any(len(set(ids) & set(members)) > 1 for ids, _ in self.so.equivs)

    def entity_note(self, note: NoteAnn, cls: str | None, info: dict, props: dict, positions: list, free: list) -> None:
        kv = parse_note(note.text)
        roles = self.schema.roles_for(cls) if cls else {}
        if kv:
            key, value = kv
            prop = self.schema.property_named(key)
            if key in _ENTITY_KEYS:
                if key == "alias":
                    info["alias"].append(str(value))
                elif key == "position":
                    parts = [p.strip() for p in str(value).split("@")]
                    if len(parts) < 2 or not all(parts[:2]):
                        self.out.add(note.line, f"position note must read 'role @ organisation', not {value!r}")
                        return
                    dates = [Value(p, note.line) if p else None for p in parts[2:4]] + [None, None]
                    positions.append(PositionDecl(Value(parts[1], note.line), parts[0], dates[0], dates[1], note.line))
                elif key == "wikidata":
                    match = re.match(r"^(?:wd:|wikidata:)?(Q[1-9][0-9]*)$", str(value), re.IGNORECASE)
                    if not match:
                        self.out.add(note.line, f"wikidata must be a QID such as Q44294, not {value!r}")
                        return
                    info["wikidata"] = match.group(1).upper()
                elif key == "id" and slugify(str(value)) != value:
                    self.out.add(note.line, f"entity id {value!r} must be a slug such as {slugify(str(value))!r}")
                else:
                    info[key] = str(value)
                return
            if prop and prop.name in roles and prop.name not in _RESERVED:
                props.setdefault(key, []).append(Value(self.typed(prop, value), note.line))
                return
        free.append(note.text)

    def typed(self, prop, value):
        if prop.datatype in _INTEGER and isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        return value

    # ------------------------------------------------------------------------
    def target_value(self, target: str, prop, line) -> Value | None:
        """The value an argument or relation target gives a property (None: dropped)."""
        so = self.so
        if target in self.skipped:
            return None
        if target in so.events:
            if target not in self.event_ids:
                return None
            return Value(self.event_ids[target], line)
        if target not in so.spans:
            self.out.add(line, f"refers to unknown annotation {target!r}")
            return None
        kind = self.kinds[target][0]
        span = so.spans[target]
        if kind == "trigger":
            if target in self.trigger_events:
                return Value(self.trigger_events[target], line)
            self.out.add(line, f"{target} is an event trigger with no event")
            return None
        if prop.is_object and kind == "mention":
            return Value(self.entity_of[target], line)
        # a value span, or a datatype role filled by a mention: the text, or its normalised note
        normalised = [n.text for n in self.notes_by_target.get(target, []) if kind == "value"]
        if prop.is_object:
            self.out.add(line, f"{prop.name} needs an entity or event, but {target} is a value span")
            return None
        return Value(self.typed(prop, normalised[0] if normalised else self.span_text(span)), line)

    def event(self, ev: EventAnn, cls: str, doc: ArticleDoc) -> EventDecl | None:
        so, schema = self.so, self.schema
        decl = EventDecl(self.event_ids[ev.id], cls, line=ev.line)
        if ev.trigger is None or ev.trigger not in so.spans:
            if ev.trigger not in self.skipped:
                self.out.add(ev.line, f"{ev.id}: an event needs a trigger span (its evidence)")
            return None
        trigger = so.spans[ev.trigger]
        if ev.trigger in self.skipped:
            return None
        for s, e in trigger.fragments:
            decl.evidence.append(Evidence(s, e, so.text[s:e], trigger.line))
        for role, target in ev.args:
            kind, prop_name = self.mapping.role(role, self.where(ev.line))
            if kind != "property":
                continue
            prop = schema.properties[prop_name]
            value = self.target_value(target, prop, ev.line)
            if value is not None:
                decl.props.setdefault(prop_name, []).append(value)
                self.count("arguments")
                if target in so.spans and self.kinds[target][0] == "value":
                    # the span of a value ("$100 million") is evidence of the claim too: no span is lost
                    span = so.spans[target]
                    decl.evidence.extend(Evidence(s, e, so.text[s:e], span.line) for s, e in span.fragments)
        roles = schema.roles_for(cls)
        for note in [*self.notes_by_target.get(ev.id, []), *self.notes_by_target.get(ev.trigger, [])]:
            kv = parse_note(note.text)
            if kv:
                key, value = kv
                if key == "id":
                    continue
                if key in _EVENT_KEYS:
                    setattr(decl, key, Value(str(value), note.line))
                    continue
                prop = schema.property_named(key)
                if prop and prop.name in roles and prop.name not in _RESERVED:
                    decl.props.setdefault(key, []).append(Value(self.typed(prop, value), note.line))
                    continue
            self.doc_notes.append((attribution_iri(doc.id, decl.id), note.text))
            self.count("notes kept")
        for attr in self.attributes_by_target.get(ev.id, []):
            rule = self.mapping.attribute(attr.name, self.where(attr.line))
            if rule is None or rule.target is None:
                continue
            self.count("attributes")
            if rule.target == NOTE:
                text = f"{attr.name}: {attr.value}" if attr.value else attr.name
                self.doc_notes.append((attribution_iri(doc.id, decl.id), text))
                self.count("attributes kept")
                continue
            if rule.target not in ("certainty", "polarity"):     # a property with controlled values (stance)
                decl.props.setdefault(rule.target, []).append(Value(attr.value, attr.line))
                self.count("attributes kept")
                continue
            value = rule.value_for(attr.value)
            if value is None:
                self.out.add(attr.line, f"{attr.id}: value {attr.value!r} of {attr.name} has no {rule.target} "
                                        f"(map it under 'attributes:')")
                continue
            setattr(decl, rule.target, Value(value, attr.line))
            self.count("attributes kept")
        return decl

    def entity_attribute(self, attr: AttributeAnn) -> None:
        so = self.so
        if attr.target in so.events or attr.target in self.skipped:
            return
        if attr.target in so.relations:
            return
        if attr.target not in so.spans:
            self.out.add(attr.line, f"{attr.id}: attribute on unknown annotation {attr.target!r}")
            return
        rule = self.mapping.attribute(attr.name, self.where(attr.line))
        if rule is None or rule.target is None:
            return
        self.count("attributes")
        kind = self.kinds[attr.target][0]
        if kind == "trigger" and attr.target in self.trigger_events:
            return
        if rule.target != NOTE or kind != "mention":
            self.out.add(attr.line, f"{attr.id}: {attr.name} ({rule.target}) applies to events, "
                                    f"not to the {kind} {attr.target}")
            return
        text = f"{attr.name}: {attr.value}" if attr.value else attr.name
        self.doc_notes.append((entity_iri(self.entity_of[attr.target]), text))
        self.count("attributes kept")

    def relation(self, rel: RelationAnn, events: list[EventDecl], doc: ArticleDoc) -> None:
        so, schema = self.so, self.schema
        if rel.arg1 in self.skipped or rel.arg2 in self.skipped:
            return
        rule = self.mapping.relation(rel.type, self.where(rel.line))
        self.count("relations")
        if rule is None or rule.kind is None:
            return
        for arg in (rel.arg1, rel.arg2):
            if arg not in so.spans and arg not in so.events:
                self.out.add(rel.line, f"{rel.id}: refers to unknown annotation {arg!r}")
                return
        notes = [n.text for n in self.notes_by_target.get(rel.id, [])]
        self.count("relations kept")
        if rule.kind == "event":
            spans = [so.spans[a] for a in (rel.arg1, rel.arg2) if a in so.spans]
            if len(spans) < 2:
                self.out.add(rel.line, f"{rel.id}: an event relation needs two spans")
                return
            start = min(s.fragments[0][0] for s in spans)
            end = max(s.fragments[-1][1] for s in spans)
            decl = EventDecl(self.claim_id(doc.id + "-" + slugify(rel.id), rel.id, rel.line), rule.event_type,
                             line=rel.line,
                             evidence=[Evidence(start, end, so.text[start:end], rel.line)])
            for role, arg in zip(rule.roles, (rel.arg1, rel.arg2), strict=True):
                value = self.target_value(arg, schema.properties[role], rel.line)
                if value is not None:
                    decl.props.setdefault(role, []).append(value)
            events.append(decl)
            self.count("events")
            for text in notes:
                self.doc_notes.append((attribution_iri(doc.id, decl.id), text))
                self.count("notes kept")
            return
        if rel.arg1 in so.events:
            subject_iri = attribution_iri(doc.id, self.event_ids.get(rel.arg1, ""))
            holder = self.events_by_id.get(self.event_ids.get(rel.arg1))
        else:
            if self.kinds[rel.arg1][0] != "mention":
                self.out.add(rel.line, f"{rel.id}: the first argument of {rel.type} must be an entity or event")
                return
            entity = self.entity_of[rel.arg1]
            subject_iri = entity_iri(entity)
            holder = self.decls.get(entity)
            if holder is None:
                holder = self.decls[entity] = EntityDecl(entity, None, None, line=rel.line)
        if rule.kind == NOTE:
            other = so.spans[rel.arg2] if rel.arg2 in so.spans else None
            label = self.span_text(other) if other else self.event_ids.get(rel.arg2, rel.arg2)
            notes.insert(0, f"{rel.type}: {label}")
        else:
            prop = schema.properties[rule.property]
            value = self.target_value(rel.arg2, prop, rel.line)
            if value is not None and holder is not None:
                holder.props.setdefault(prop.name, []).append(value)
        for text in notes:
            self.doc_notes.append((subject_iri, text))
            self.count("notes kept")


def to_article(so: Standoff, mapping: TypeMapping, index: EntityIndex, warnings: list[Problem]) -> ImportedDoc:
    """Turn one document's stand-off annotations into an ArticleDoc; raise AnnotationError on problems."""
    out = Collector(so.path)
    doc = _Builder(so, mapping, index, out, warnings).build()
    out.raise_if_any()
    return doc


def _offsets(span: Span) -> str:
    return ";".join(f"{s}..{e}" for s, e in span.fragments)


def _short(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _hashed(name: str) -> str:
    return "entity-" + hashlib.sha1(normalise_name(name).encode("utf-8")).hexdigest()[:10]


def events_from_relations(so: Standoff, mapping: TypeMapping) -> None:
    """Event-typed spans become events, the relations leaving them their roles.

    For tools that draw an event as a span plus relations from it (Label Studio, doccano),
    not as brat's ``E`` lines: each span typed with an event class is an event triggered by
    it, and each relation leaving it is one of its arguments, the relation's type the role.
    """
    schema = mapping.schema
    for rid, span in so.spans.items():
        kind, cls = mapping.span_type(span.type, None)
        if kind == "class" and (schema.is_a(cls, "Claim") or schema.is_a(cls, "Attribution")):
            so.events["E:" + rid] = EventAnn("E:" + rid, span.type, rid, [], span.line)
    events_by_trigger = {e.trigger: e for e in so.events.values()}
    for rel_id, rel in list(so.relations.items()):
        event = events_by_trigger.get(rel.arg1)
        if event is not None:
            event.args.append((rel.type, rel.arg2))
            del so.relations[rel_id]
    for attr in so.attributes:
        if attr.target in events_by_trigger:
            attr.target = events_by_trigger[attr.target].id
