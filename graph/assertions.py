"""Turn an annotated article into triples for its own named graph.

Names are resolved (see ``graph.registry``), values typed by the ontology's ranges
(see ``graph.schema``), and every event gets an attribution with its evidence. Output is
N-Triples text lines: the store inserts them in one transaction, and no per-triple
Python objects are made on the way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from .errors import Problem
from .identity.claims import ClaimFacts
from .readers.annotations import ArticleDoc, Collector, EntityDecl, EventDecl, Value
from .registry import EntityIndex
from .schema import Property, Schema, load_schema
from .terms import (
    AK,
    OA,
    SCHEMA,
    WD,
    annotation_iri,
    article_iri,
    attribution_iri,
    entity_iri,
    event_iri,
    position_iri,
    slugify,
)

__all__ = ["CompiledArticle", "compile_article", "registry_triples", "literal", "iri"]

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_SAME_AS = "<http://www.w3.org/2002/07/owl#sameAs>"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_CONTEXT = 32  # characters of prefix/suffix kept on each TextQuoteSelector
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# N-Triples forms of the terms used below, built once (rdflib namespace lookups are slow).
_AK_Attribution = f"<{AK.Attribution}>"
_AK_Position = f"<{AK.Position}>"
_AK_alias = f"<{AK.alias}>"
_AK_assertedBy = f"<{AK.assertedBy}>"
_AK_claim = f"<{AK.claim}>"
_AK_evidence = f"<{AK.evidence}>"
_AK_holder = f"<{AK.holder}>"
_AK_holdsPosition = f"<{AK.holdsPosition}>"
_AK_name = f"<{AK.name}>"
_AK_organization = f"<{AK.organization}>"
_AK_role = f"<{AK.role}>"
_AK_statedIn = f"<{AK.statedIn}>"
_AK_viaReport = f"<{AK.viaReport}>"
_OA_Annotation = f"<{OA.Annotation}>"
_OA_SpecificResource = f"<{OA.SpecificResource}>"
_OA_TextPositionSelector = f"<{OA.TextPositionSelector}>"
_OA_TextQuoteSelector = f"<{OA.TextQuoteSelector}>"
_OA_describing = f"<{OA.describing}>"
_OA_end = f"<{OA.end}>"
_OA_exact = f"<{OA.exact}>"
_OA_hasBody = f"<{OA.hasBody}>"
_OA_hasSelector = f"<{OA.hasSelector}>"
_OA_hasSource = f"<{OA.hasSource}>"
_OA_hasTarget = f"<{OA.hasTarget}>"
_OA_motivatedBy = f"<{OA.motivatedBy}>"
_OA_prefix = f"<{OA.prefix}>"
_OA_start = f"<{OA.start}>"
_OA_suffix = f"<{OA.suffix}>"
_SCHEMA_NewsArticle = f"<{SCHEMA.NewsArticle}>"
_AK_RecordDocument = f"<{AK.RecordDocument}>"
_SCHEMA_datePublished = f"<{SCHEMA.datePublished}>"
_SCHEMA_headline = f"<{SCHEMA.headline}>"
_SCHEMA_identifier = f"<{SCHEMA.identifier}>"
_SCHEMA_inLanguage = f"<{SCHEMA.inLanguage}>"
_SCHEMA_publisher = f"<{SCHEMA.publisher}>"
_SCHEMA_text = f"<{SCHEMA.text}>"
_SCHEMA_url = f"<{SCHEMA.url}>"


def _term(uri) -> str:
    return f"<{uri}>"


# Roles whose agents name an event in its label, in the order they are named.
_AGENT_ROLES = {role: rank for rank, role in enumerate((
    "participant", "inviter", "invitee", "speaker", "onBehalfOf", "actor", "investor", "reporter",
    "visitor", "imposedBy"))}


def iri(value: str) -> str:
    return f"<{value}>"


def literal(text: str, datatype: str | None = None) -> str:
    """An N-Triples/SPARQL literal with every character that needs it escaped."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\r", "\\r"))
    if datatype and datatype != _XSD + "string":
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


@dataclass
class CompiledArticle:
    """One article's triples, ready to replace its named graph."""

    iri: str
    id: str
    path: str
    triples: list[str] = field(default_factory=list)
    events: int = 0
    entities: int = 0
    origins: dict[str, int] = field(default_factory=dict)  # IRI -> line it was declared on
    version: str | None = None  # fingerprint of the triples, set when loading
    warnings: list = field(default_factory=list)   # Problems worth telling that do not stop the load
    claims: list[ClaimFacts] = field(default_factory=list)  # what each event says, for claim identity
    mentions: list = field(default_factory=list)  # (entity IRI, Mention) stored as mention annotations
    # The mention annotations' triples: the article's mentions graph (terms.mentions_graph),
    # kept out of the default graph and out of the claims' summaries.
    mention_triples: list[str] = field(default_factory=list)


class _Compiler:
    def __init__(self, schema: Schema, index: EntityIndex, out: Collector, lines: list[str]):
        self.schema = schema
        self.index = index
        self.out = out
        self.lines = lines
        self.local_ids: dict[str, str] = {}     # id used in this file -> canonical entity id
        self.event_ids: dict[str, EventDecl] = {}

    def emit(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .")

    # --- names --------------------------------------------------------------
    def entity_id(self, name: str) -> str | None:
        return self.local_ids.get(name) or self.index.resolve(name)

    def entity_type(self, entity_id: str) -> str | None:
        decl = self.index.entities.get(entity_id)
        return decl.type and self.schema.class_named(decl.type) if decl else None

    def entity_name(self, entity_id: str) -> str:
        decl = self.index.entities.get(entity_id)
        return (decl.name if decl and decl.name else entity_id)

    def reference(self, value: Value, prop: Property, what: str) -> str | None:
        """The IRI a role value points at, checked against the property's range."""
        raw = value.text if value.text is not None else value.raw   # `participant: 0x1f` names "0x1f"
        if not isinstance(raw, str) or not raw.strip():
            self.out.add(value.line, f"{what}: {prop.name} must name an entity or event, not {raw!r}")
            return None
        range_local = prop.range[len(str(AK._NS)):] if prop.range and prop.range.startswith(str(AK._NS)) else None
        if prop.range == "http://www.w3.org/2002/07/owl#Class":
            cls = self.schema.class_named(raw)
            if cls is None:
                self.out.add(value.line, f"{what}: unknown type {raw!r} for {prop.name}")
                return None
            return iri(self.schema.classes[cls])
        if range_local and range_local in self.schema.individuals:
            options = self.schema.individuals[range_local]
            name = raw.strip().lower()
            if name not in options:
                self.out.add(value.line, f"{what}: {prop.name} must be one of {', '.join(sorted(options))}, not {raw!r}")
                return None
            return iri(str(AK._NS) + name)
        if raw.startswith("event:"):
            slug = raw[len("event:"):]
            if slugify(slug) != slug or not slug:
                self.out.add(value.line, f"{what}: {raw!r} is not a valid event reference (event:<slug>)")
                return None
            return iri(event_iri(slug))
        if raw in self.event_ids:
            event = self.event_ids[raw]
            cls = self.schema.class_named(event.type)
            if range_local and cls and not self.schema.is_a(cls, range_local):
                self.out.add(value.line, f"{what}: {prop.name} expects a {range_local}, but {raw!r} is a {cls}")
                return None
            return iri(event_iri(raw))
        entity = self.entity_id(raw)
        if entity is None:
            hint = self.index.suggestions(raw)
            close = f" (close matches: {', '.join(hint)})" if hint else ""
            self.out.add(value.line, f"{what}: {prop.name} refers to unknown entity or event {raw!r}{close}")
            return None
        cls = self.entity_type(entity)
        if range_local and cls and not self.schema.is_a(cls, range_local):
            self.out.add(value.line, f"{what}: {prop.name} expects a {range_local}, but {raw!r} is a {cls}")
            return None
        return iri(entity_iri(entity))

    # --- values -------------------------------------------------------------
    def typed(self, value: Value, prop: Property, what: str) -> str | None:
        raw = value.raw
        if prop.datatype == "date":
            return self.date(value, f"{what}: {prop.name}")
        if isinstance(raw, bool):
            self.out.add(value.line, f"{what}: {prop.name} cannot be true/false")
            return None
        if prop.datatype == _XSD + "decimal":
            try:
                number = Decimal(str(raw).strip().rstrip("%").strip())
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite() or (isinstance(raw, float) and not math.isfinite(raw)):
                self.out.add(value.line, f"{what}: {prop.name} must be a finite number, not {raw!r}")
                return None
            if prop.name == "rate" and not 0 <= number <= 1000:
                self.out.add(value.line, f"{what}: rate {raw!r} is outside 0..1000 percent")
                return None
            return literal(format(number.normalize(), "f"), prop.datatype)
        if prop.datatype in (_XSD + "nonNegativeInteger", _XSD + "integer"):
            if not isinstance(raw, int) or (prop.datatype.endswith("nonNegativeInteger") and raw < 0):
                self.out.add(value.line, f"{what}: {prop.name} must be a whole number of at least 0, not {raw!r}")
                return None
            return literal(str(raw), prop.datatype)
        if isinstance(raw, float) and not math.isfinite(raw):
            self.out.add(value.line, f"{what}: {prop.name} must be text, not {raw!r}")
            return None
        return literal(str(raw), prop.datatype)

    def date(self, value: Value, what: str) -> str | None:
        raw = str(value.raw).strip()
        match = _DATE.match(raw)
        try:
            if not match:
                raise ValueError
            year, month, day = match.groups()
            if day:
                date(int(year), int(month), int(day))
                return literal(raw, _XSD + "date")
            if month:
                date(int(year), int(month), 1)
                return literal(raw, _XSD + "gYearMonth")
            return literal(raw, _XSD + "gYear")
        except ValueError:
            self.out.add(value.line, f"{what}: {value.raw!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
            return None

    def properties(self, subject: str, cls: str, props: dict[str, list[Value]], what: str,
                   record: dict[str, list[str]] | None = None) -> None:
        """Triples for ``props``; with ``record``, also collect role -> objects (a claim's key)."""
        roles = self.schema.roles_for(cls)
        for key, values in props.items():
            prop = self.schema.property_named(key)
            if prop is None or prop.name not in roles:
                allowed = ", ".join(sorted(_snake(n) for n in roles if n not in _RESERVED))
                line = values[0].line if values else None
                self.out.add(line, f"{what}: {key!r} is not a property of {cls} (allowed: {allowed})")
                continue
            for value in values:
                obj = self.reference(value, prop, what) if prop.is_object else self.typed(value, prop, what)
                if obj:
                    self.emit(subject, iri(prop.iri), obj)
                    if record is not None:
                        record.setdefault(prop.name, []).append(obj)

    # --- entities -----------------------------------------------------------
    def describe_entity(self, decl: EntityDecl, canonical: str, canonical_decl: EntityDecl | None = None) -> None:
        """Triples for an entity declaration. When it re-describes a known entity
        (``canonical_decl``), its name becomes an alias: each entity keeps one label."""
        subject = iri(entity_iri(canonical))
        what = f"entity {decl.id!r}"
        cls = None
        if decl.type:
            cls = self.schema.class_named(decl.type)
            if cls is None:
                import difflib

                guess = difflib.get_close_matches(decl.type, list(self.schema.classes), n=1)
                hint = f" (did you mean {guess[0]!r}?)" if guess else ""
                self.out.add(decl.line, f"{what}: unknown type {decl.type!r}{hint}")
            elif self.schema.is_a(cls, "Claim") or self.schema.is_a(cls, "Attribution"):
                self.out.add(decl.line, f"{what}: {cls} is an event type; declare it under 'events'")
                cls = None
            else:
                self.emit(subject, _RDF_TYPE, iri(self.schema.classes[cls]))
        cls = cls or self.entity_type(canonical)
        known_name = canonical_decl.name if canonical_decl is not None else None
        if decl.name and known_name and decl.name != known_name:
            self.emit(subject, _AK_alias, literal(decl.name))
        elif decl.name and not known_name:
            self.emit(subject, _AK_name, literal(decl.name))
            self.emit(subject, _LABEL, literal(decl.name))
        for alias in decl.aliases:
            self.emit(subject, _AK_alias, literal(alias))
        if decl.qid:
            self.emit(subject, _SAME_AS, iri(WD[decl.qid]))
        if decl.props:
            if cls is None:
                self.out.add(decl.line, f"{what}: give a 'type' so its properties can be checked")
            else:
                self.properties(subject, cls, decl.props, what)
        for pos in decl.positions:
            org = self.reference(pos.organization, self.schema.properties["organization"], f"{what} position")
            if not org:
                continue
            org_id = org[len("<" + entity_iri("")):-1]
            p = iri(position_iri(canonical, org_id, pos.role))
            self.emit(p, _RDF_TYPE, _AK_Position)
            self.emit(p, _AK_holder, subject)
            self.emit(p, _AK_organization, org)
            self.emit(p, _AK_role, literal(pos.role))
            self.emit(p, _LABEL, literal(f"{self.entity_name(org_id)} {pos.role}"))
            self.emit(subject, _AK_holdsPosition, p)
            for key, val in (("startDate", pos.start), ("endDate", pos.end)):
                if val is not None:
                    d = self.date(val, f"{what} position {key}")
                    if d:
                        self.emit(p, _term(AK[key]), d)


_RESERVED = {"claim", "statedIn", "assertedBy", "viaReport", "certainty", "polarity", "evidence",
             "status", "name", "alias", "holdsPosition",
             # a claim's summary, derived at load (graph/summaries.py)
             "statedInArticle", "articleIds", "articleCount", "firstStated", "reportedBy", "deniedBy",
             "confirmedBy", "party", "kind"}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _warn_retyped(decl: EntityDecl, registered: EntityDecl | None, schema: Schema, path: str,
                  warnings: list) -> None:
    """Warn when an article gives a registry entity a type unrelated to the registry's
    (Xiaomi as a Country): a narrower or broader type is a refinement, not a contradiction."""
    if registered is None or not decl.type or not registered.type:
        return
    mine, theirs = schema.class_named(decl.type), schema.class_named(registered.type)
    if mine and theirs and not (schema.is_a(mine, theirs) or schema.is_a(theirs, mine)):
        warnings.append(Problem(path, decl.line, f"entity {decl.id!r} is declared a {mine} here, but the registry "
                                                 f"has {registered.id!r} as a {theirs}", "WARNING"))


def compile_article(doc: ArticleDoc, index: EntityIndex, schema: Schema | None = None, *,
                    matcher=None, warnings: list[Problem] | None = None, judged=None,
                    mentions: bool = True) -> CompiledArticle:
    """Resolve and type-check ``doc``; return its triples or raise AnnotationError.

    With a ``matcher`` (``graph.identity.NameMatcher`` over the registry), every entity the
    article declares that resolves to nothing is compared with the known names, and a
    probable match goes to ``warnings`` with the fix (``judged(name, entity)`` says which
    pairs a judgement already settled). With ``mentions`` every place the article names an
    entity is stored as a mention annotation.
    """
    schema = schema or load_schema()
    out = Collector(doc.path)
    art_iri = article_iri(doc.id)
    result = CompiledArticle(art_iri, doc.id, doc.path)
    c = _Compiler(schema, index.copy(), out, result.triples)

    # Entities first, so events and other entities can refer to them by id or name.
    known: dict[str, EntityDecl] = {}
    for decl in doc.entities:
        canonical = c.index.resolve_decl(decl) or decl.id
        c.local_ids[decl.id] = canonical
        if canonical in c.index.entities:
            known[decl.id] = c.index.entities[canonical]
        else:
            if matcher is not None and warnings is not None:
                _warn_probable(doc, decl, matcher, schema, judged, warnings)
            c.index.add(decl)
    for decl in doc.entities:
        _warn_retyped(decl, index.entities.get(c.local_ids[decl.id]), schema, doc.path, result.warnings)
        c.describe_entity(decl, c.local_ids[decl.id], known.get(decl.id))
        if decl.line:
            result.origins.setdefault(entity_iri(c.local_ids[decl.id]), decl.line)
    result.entities = len(doc.entities)

    c.event_ids = {e.id: e for e in doc.events}
    article = iri(art_iri)
    # A saved official record (graph.readers.records) is a document of its own kind, not news.
    c.emit(article, _RDF_TYPE, _AK_RecordDocument if getattr(doc, "record", None) else _SCHEMA_NewsArticle)
    c.emit(article, _SCHEMA_headline, literal(doc.headline))
    c.emit(article, _LABEL, literal(doc.headline))
    c.emit(article, _SCHEMA_text, literal(doc.text))
    c.emit(article, _SCHEMA_identifier, literal(doc.id))
    publisher = c.reference(doc.publisher, schema.properties["assertedBy"], "article publisher") if doc.publisher else None
    if publisher:
        c.emit(article, _SCHEMA_publisher, publisher)
    if doc.date:
        published = c.date(doc.date, "article date")
        if published:
            c.emit(article, _SCHEMA_datePublished, published)
    if doc.url:
        if _URL.match(doc.url):
            c.emit(article, _SCHEMA_url, iri(doc.url))
        else:
            out.add(doc.line, f"article url {doc.url!r} is not an http(s) URL")
    if doc.language:
        c.emit(article, _SCHEMA_inLanguage, literal(doc.language))

    _refuse_self_reference(doc, out)
    reported_via: dict[str, list[str]] = {}
    for event in doc.events:
        cls = schema.class_named(event.type)
        if cls is not None and schema.is_a(cls, "Report"):
            for value in event.props.get("reports", []):
                if isinstance(value.raw, str):
                    reported_via.setdefault(value.raw, []).append(event.id)

    for event in doc.events:
        what = f"event {event.id!r}"
        cls = schema.class_named(event.type)
        if cls is None or not schema.is_a(cls, "Event"):
            import difflib

            known = schema.subclasses("Event")
            guess = difflib.get_close_matches(event.type, known, n=1)
            hint = f"did you mean {guess[0]!r}? " if guess else ""
            out.add(event.line, f"{what}: unknown event type {event.type!r} ({hint}known: {', '.join(known)})")
            continue
        subject = iri(event_iri(event.id))
        if event.line:
            result.origins[event_iri(event.id)] = event.line
            result.origins[attribution_iri(doc.id, event.id)] = event.line
        c.emit(subject, _RDF_TYPE, iri(schema.classes[cls]))
        facts = ClaimFacts(doc.id, event.id, cls, attribution_iri(doc.id, event.id), line=event.line)
        c.properties(subject, cls, event.props, what, record=facts.roles)
        facts.topics = [str(v.raw) for key in ("topic", "purpose") for v in event.props.get(key, [])]
        result.claims.append(facts)
        facts.label = _event_label(c, schema, cls, event)
        c.emit(subject, _LABEL, literal(facts.label))
        result.events += 1

        attr = iri(attribution_iri(doc.id, event.id))
        c.emit(attr, _RDF_TYPE, _AK_Attribution)
        c.emit(attr, _AK_claim, subject)
        c.emit(attr, _AK_statedIn, article)
        asserted = (c.reference(event.asserted_by, schema.properties["assertedBy"], what)
                    if event.asserted_by else publisher)
        if asserted:
            c.emit(attr, _AK_assertedBy, asserted)
        for report in reported_via.get(event.id, []):
            c.emit(attr, _AK_viaReport, iri(event_iri(report)))
        for key, default in (("certainty", "certain"), ("polarity", "positive")):
            value = getattr(event, key) or Value(default)
            obj = c.reference(value, schema.properties[key], what)
            if obj:
                c.emit(attr, _term(AK[key]), obj)
        for n, span in enumerate(event.evidence, start=1):
            _evidence(c, doc, event.id, n, span, attr, subject, article)
    if mentions:
        result.mentions = _mentions(c, doc, result)
    out.raise_if_any()
    return result


_ABOUT_CLAIMS = ("denies", "confirms", "reports")


def _refuse_self_reference(doc: ArticleDoc, out: Collector) -> None:
    """A denial or confirmation of itself, a report of itself, and reports relaying each other
    in a circle have no meaning (and a circle would make a report its own source)."""
    ids = {e.id for e in doc.events}
    targets: dict[str, list[tuple[str, int | None]]] = {}
    for event in doc.events:
        for key in _ABOUT_CLAIMS:
            for value in event.props.get(key, []):
                raw = value.raw.removeprefix("event:") if isinstance(value.raw, str) else None
                if raw == event.id:
                    out.add(value.line, f"event {event.id!r} {key} itself")
                elif key == "reports" and raw in ids:
                    targets.setdefault(event.id, []).append((raw, value.line))
    done: set[str] = set()     # events whose reports lead to no circle
    for start in targets:
        if start in done:
            continue
        path, branches = [start], [iter(targets[start])]
        while branches:
            step = next(branches[-1], None)
            if step is None:
                done.add(path.pop())
                branches.pop()
                continue
            target, line = step
            if target in path:
                cycle = path[path.index(target):] + [target]
                out.add(line, f"reports relay each other in a circle: {' -> '.join(cycle)}")
                return
            if target not in done:
                path.append(target)
                branches.append(iter(targets.get(target, [])))


def _mentions(c: _Compiler, doc: ArticleDoc, result: CompiledArticle) -> list:
    """Mention annotations for the article's entities (graph.identity.mentions); the mentions."""
    from .identity.mentions import Mention, find_mentions, mention_triples
    from .identity.names import NameMatcher

    prefix = "<" + entity_iri("")
    found: list[tuple[str, Mention]] = []
    if doc.mentions is not None:   # spans an annotation tool marked
        for m in doc.mentions:
            entity = c.entity_id(m.entity)
            if entity:
                found.append((entity_iri(entity), m))
    else:
        named = {c.local_ids[d.id] for d in doc.entities}
        for facts in result.claims:
            for terms in facts.roles.values():
                named.update(t[len(prefix):-1] for t in terms
                             if t.startswith(prefix) and "/" not in t[len(prefix):-1])
        explicit = {c.local_ids[d.id]: d.mentions for d in doc.entities if d.mentions is not None}
        names: dict[str, list[str]] = {}
        for entity in sorted(named - set(explicit)):
            decl = c.index.entities.get(entity)
            if decl is not None:   # "China's Ministry of Commerce (MOFCOM)" is named both ways
                names[entity] = NameMatcher.written_names(decl)
        found = [(entity_iri(m.entity), m) for m in find_mentions(doc.text, names)]
        for entity, spans in explicit.items():
            found += [(entity_iri(entity), Mention(entity, s.start, s.end, s.exact, s.line)) for s in spans]
        found.sort(key=lambda pair: (pair[1].start, pair[1].end))
    result.mention_triples = mention_triples(doc.id, result.iri, found)
    return found


def _warn_probable(doc: ArticleDoc, decl: EntityDecl, matcher, schema: Schema, judged, warnings: list[Problem]) -> None:
    from .identity.names import judge_handle, probable_entity

    match = probable_entity(decl, matcher, schema, judged)
    if match is None:
        return
    name = decl.name or decl.id
    warnings.append(Problem(doc.path, decl.line, (
        f"entity {decl.id!r} ({name!r}) is probably {match.entity!r} ({match.known_name!r}; {match.reason}, "
        f"score {match.score:.2f}); if so: autokg review --judge {_shell_quote(judge_handle(name, match.entity))} same "
        f"(or write id: {match.entity})"), "WARNING"))


def _shell_quote(text: str) -> str:
    """``text`` as one shell word, in double quotes when it holds an apostrophe (names do)."""
    import shlex

    if "'" in text and not any(ch in text for ch in '"$`\\!'):
        return f'"{text}"'
    return shlex.quote(text)


def _event_label(c: _Compiler, schema: Schema, cls: str, event: EventDecl) -> str:
    found: list[tuple[int, int, str]] = []
    for key, values in event.props.items():
        prop = schema.property_named(key)
        rank = _AGENT_ROLES.get(prop.name) if prop else None
        if rank is None:
            continue
        for n, v in enumerate(values):
            if isinstance(v.raw, str):
                entity = c.entity_id(v.raw)
                found.append((rank, n, c.entity_name(entity) if entity else v.raw))
    names = list(dict.fromkeys(name for _, _, name in sorted(found)))
    label = schema.labels.get(cls, cls)
    return f"{label}: {', '.join(names)}" if names else label


def _evidence(c: _Compiler, doc: ArticleDoc, event_id: str, n: int, span, attr: str, body: str, article: str) -> None:
    anno_iri = annotation_iri(doc.id, event_id, n)
    anno, target = iri(anno_iri), iri(anno_iri + "/target")
    quote, position = iri(anno_iri + "/quote"), iri(anno_iri + "/position")
    c.emit(attr, _AK_evidence, anno)
    c.emit(anno, _RDF_TYPE, _OA_Annotation)
    c.emit(anno, _OA_motivatedBy, _OA_describing)
    c.emit(anno, _OA_hasBody, body)
    c.emit(anno, _OA_hasTarget, target)
    c.emit(target, _RDF_TYPE, _OA_SpecificResource)
    c.emit(target, _OA_hasSource, article)
    c.emit(target, _OA_hasSelector, quote)
    c.emit(target, _OA_hasSelector, position)
    c.emit(quote, _RDF_TYPE, _OA_TextQuoteSelector)
    c.emit(quote, _OA_exact, literal(span.exact))
    prefix = doc.text[max(0, span.start - _CONTEXT):span.start]
    suffix = doc.text[span.end:span.end + _CONTEXT]
    if prefix:
        c.emit(quote, _OA_prefix, literal(prefix))
    if suffix:
        c.emit(quote, _OA_suffix, literal(suffix))
    c.emit(position, _RDF_TYPE, _OA_TextPositionSelector)
    c.emit(position, _OA_start, literal(str(span.start), _XSD + "nonNegativeInteger"))
    c.emit(position, _OA_end, literal(str(span.end), _XSD + "nonNegativeInteger"))


def registry_triples(index: EntityIndex, schema: Schema | None = None) -> list[str]:
    """Triples describing the registry's canonical entities (for the registry graph)."""
    schema = schema or load_schema()
    out = Collector(index.path or "entities.yaml")
    lines: list[str] = []
    c = _Compiler(schema, index, out, lines)
    for decl in index.entities.values():
        c.describe_entity(decl, decl.id)
    out.raise_if_any()
    return lines
