"""Per-claim summaries: what every listing would otherwise recompute per claim, derived once.

A claim's summary lives in the default graph (the merged knowledge graph) beside the claim:
its status across all articles (``ak:status``), the articles stating it
(``ak:statedInArticle``, ``ak:articleIds``, ``ak:articleCount``), the date of the first of
them (``ak:firstStated``), who reported it, denied it or confirmed it (``ak:reportedBy``,
``ak:deniedBy``, ``ak:confirmedBy``), the entities taking part in it (``ak:party``) and its
kind (``ak:kind``, the class label in lower case).

The loader derives summaries in Python from the claim's facts, read from the triples it is
about to write and from the store's other graphs, and writes them in the same transaction
as the articles they come from (``graph/loading.py``): every claim in the store has a summary
derived from exactly the articles in the store, after any load, reload, removal, or a crash.
A claim is confirmed, too, when an official record (an article reproducing one, with
``ak:sourceRecord``) states it, or states a claim about the same measure (``ak:policy``) of
a kind the claim is of or falls under: so a claim's status can depend on another article's
claims, and ``record_ties`` names the claims to derive again with those a write touches.
``queries/internal/claim-status.ru`` states the status rule in SPARQL; a test checks that the
two agree.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from .assertions import literal
from .store import Store, _tsv_value
from .terms import AK, ID, SCHEMA

__all__ = ["ClaimFacts", "claims_touched", "summary_triples", "store_facts", "delete_update", "record_ties",
           "recorded_measures", "DERIVED", "LINKS"]

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_XSD_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"


def _iri(term) -> str:
    return f"<{term}>"


CLAIM, DENIES, CONFIRMS = _iri(AK.claim), _iri(AK.denies), _iri(AK.confirms)
LINKS = (CLAIM, DENIES, CONFIRMS)  # what ties a subject to the claim it is about
_STATED_IN, _VIA_REPORT, _REPORTER = _iri(AK.statedIn), _iri(AK.viaReport), _iri(AK.reporter)
_ON_BEHALF_OF, _SPEAKER = _iri(AK.onBehalfOf), _iri(AK.speaker)
_IDENTIFIER, _PUBLISHED = _iri(SCHEMA.identifier), _iri(SCHEMA.datePublished)
_SOURCE_RECORD, _POLICY = _iri(AK.sourceRecord), _iri(AK.policy)
_REPORTS, _PUBLISHER = _iri(AK.reports), _iri(SCHEMA.publisher)
# What a claim's reports say of their sources, as who-talked-to-whom lists them.
_SOURCES = (_iri(AK.anonymousSourceCount), _iri(AK.sourceDescription), _iri(AK.citesSource))
# The texts of a claim the look-ups list, by the digest's key.
_TEXTS = {"topics": _iri(AK.topic), "purposes": _iri(AK.purpose), "descriptions": _iri(AK.speakerDescription)}
_SUBCLASS_OF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
# Properties of a claim whose objects are not parties to it.
_NOT_PARTIES = {_RDF_TYPE, DENIES, CONFIRMS, _iri(AK.during), _iri(AK.reports), _iri(AK.status)}

STATUS, ARTICLE_COUNT, STATED_IN_ARTICLE, ARTICLE_IDS = (_iri(AK.status), _iri(AK.articleCount),
                                                         _iri(AK.statedInArticle), _iri(AK.articleIds))
FIRST_STATED, REPORTED_BY, DENIED_BY, CONFIRMED_BY = (_iri(AK.firstStated), _iri(AK.reportedBy),
                                                      _iri(AK.deniedBy), _iri(AK.confirmedBy))
PARTY, KIND, DIGEST = _iri(AK.party), _iri(AK.kind), _iri(AK.digest)
# Every predicate a summary is written with: only the loader writes them, only in the default graph.
DERIVED = (STATUS, ARTICLE_COUNT, STATED_IN_ARTICLE, ARTICLE_IDS, FIRST_STATED, REPORTED_BY, DENIED_BY,
           CONFIRMED_BY, PARTY, KIND, DIGEST)
# The digest's layout: bumped when its fields change, so that a look-up never reads one it does not know.
DIGEST_FORMAT = 2
_DATE = _iri(AK.date)
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_LITERAL = re.compile(r'^"(?:[^"\\]|\\.)*"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$', re.DOTALL)
_ID_PREFIX = f"<{ID}"
# Evidence and mention annotations (graph.terms.annotation_iri, mention_iri): most of an
# article's triples, and no part of a summary.
_ANNOTATION_PREFIXES = (f"<{ID}annotation/", f"<{ID}mention/")
_LINK_LINE = re.compile(r" (?:" + "|".join(re.escape(p) for p in LINKS) + r") (<[^>]*>) \.$", re.MULTILINE)
_POLICY_LINE = re.compile(r" " + re.escape(_POLICY) + r" (<[^>]*>) \.$", re.MULTILINE)
_RECORD_LINE = re.compile(r"^<[^>]*> " + re.escape(_SOURCE_RECORD) + " ", re.MULTILINE)


def _split(line: str) -> tuple[str, str, str]:
    """Subject, predicate and object (as N-Triples terms) of one line autokg wrote."""
    s, p, rest = line.split(" ", 2)
    return s, p, rest[:-2]


@dataclass
class ClaimFacts:
    """Triples about claims and the things that tie to them (attributions, denials, reports,
    articles), by subject, as N-Triples terms; added to from article triples or from the store."""

    about: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    links: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    reported: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # claim -> reports of it

    def claims(self) -> set[str]:
        """The claims something here states, denies or confirms."""
        return set(self.links)

    def add(self, s: str, p: str, o: str) -> None:
        self.about[s][p].add(o)
        if p in LINKS:
            self.links[o][p].add(s)
        elif p == _REPORTS:
            self.reported[o].add(s)

    def add_lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            if not line.startswith(_ANNOTATION_PREFIXES):
                self.add(*_split(line))

    def _one(self, subject: str, predicate: str) -> str | None:
        values = self.about.get(subject, {}).get(predicate)
        return min(values) if values else None

    def _speakers(self, statements: Iterable[str]) -> set[str]:
        """On whose behalf each statement was made, else who made it (as the listings read it)."""
        found: set[str] = set()
        for statement in statements:
            props = self.about.get(statement, {})
            found |= props.get(_ON_BEHALF_OF) or props.get(_SPEAKER) or set()
        return found

    def in_record(self, claim: str) -> bool:
        """Whether an official record (an article with ``ak:sourceRecord``) states the claim."""
        return any(self.about.get(article, {}).get(_SOURCE_RECORD)
                   for a in self.links.get(claim, {}).get(CLAIM, ())
                   for article in self.about.get(a, {}).get(_STATED_IN, ()))

    def by_policy(self) -> dict[str, set[str]]:
        """The subjects here about each measure (``ak:policy``)."""
        found: dict[str, set[str]] = defaultdict(set)
        for subject, props in self.about.items():
            for measure in props.get(_POLICY, ()):
                found[measure].add(subject)
        return found

    def _recorded(self, claim: str, by_policy: dict[str, set[str]]) -> bool:
        """Whether an official record states a claim about one of this claim's measures, of a
        kind this claim is of or falls under (the rule of queries/internal/claim-status.ru)."""
        own = self.about.get(claim, {})
        above = _superclasses()
        kinds = {up for t in own.get(_RDF_TYPE, ()) for up in above.get(t, {t})}
        return any(kinds & self.about.get(other, {}).get(_RDF_TYPE, set()) and self.in_record(other)
                   for measure in own.get(_POLICY, ()) for other in by_policy.get(measure, ()))

    def summary(self, claim: str, kinds: dict[str, str], by_policy: dict[str, set[str]] | None = None,
                rows: list | None = None) -> list[str]:
        """The summary triples of one claim (none if no article states it); ``by_policy`` as
        from ``by_policy()``. With ``rows``, the rows the claim gives the questions about one
        entity are added to it (graph/answers.py)."""
        links = self.links.get(claim, {})
        attributions = links.get(CLAIM, set())
        if not attributions:
            return []
        denials, confirmations = links.get(DENIES, set()), links.get(CONFIRMS, set())
        confirmed = bool(confirmations) or self.in_record(claim) or self._recorded(
            claim, self.by_policy() if by_policy is None else by_policy)
        asserted = any(not self.about.get(a, {}).get(_VIA_REPORT) for a in attributions)
        status = ("contested" if denials and confirmed else "denied" if denials else
                  "confirmed" if confirmed else "asserted" if asserted else "reported")
        articles = {o for a in attributions for o in self.about.get(a, {}).get(_STATED_IN, ())}
        ids = sorted(v for v in (_tsv_value(self._one(a, _IDENTIFIER) or "") for a in articles) if v is not None)
        published = [d for d in (self._one(a, _PUBLISHED) for a in articles) if d is not None]
        reports = {r for a in attributions for r in self.about.get(a, {}).get(_VIA_REPORT, ())}
        reporters = {x for r in reports for x in self.about.get(r, {}).get(_REPORTER, ())}
        own = self.about.get(claim, {})
        parties = {o for p, objects in own.items() if p not in _NOT_PARTIES
                   for o in objects if o.startswith(_ID_PREFIX) and o not in self.links}
        kind = next((kinds[t] for t in sorted(own.get(_RDF_TYPE, ())) if t in kinds), None)
        out = [f"{claim} {STATUS} <{AK[status]}> .",
               f'{claim} {ARTICLE_COUNT} "{len(ids)}"^^{_XSD_INTEGER} .',
               f'{claim} {ARTICLE_IDS} {literal("; ".join(ids))} .' if ids else None]
        out += [f"{claim} {STATED_IN_ARTICLE} {a} ." for a in sorted(articles)]
        if published:
            out.append(f"{claim} {FIRST_STATED} {min(published, key=_tsv_value)} .")
        out += [f"{claim} {REPORTED_BY} {r} ." for r in sorted(reporters)]
        deniers = self._speakers(denials)
        out += [f"{claim} {DENIED_BY} {d} ." for d in sorted(deniers)]
        out += [f"{claim} {CONFIRMED_BY} {c} ." for c in sorted(self._speakers(confirmations))]
        out += [f"{claim} {PARTY} {e} ." for e in sorted(parties)]
        if kind:
            out.append(f"{claim} {KIND} {literal(kind)} .")
        digest = self._digest(claim, status, ids, articles, reports, deniers)
        out.append(f"{claim} {DIGEST} {literal(json.dumps(digest, ensure_ascii=False, separators=(',', ':')))} .")
        if rows is not None:
            from .digests import rows_of

            labels = [_parts(t) for t in sorted(own.get(_LABEL, ()))]
            rows += [(q, e, claim[1:-1], row) for q, e, row in rows_of(claim[1:-1], digest, (p[1:-1] for p in parties),
                                                                       kind, labels)]
        return [line for line in out if line]

    def _digest(self, claim: str, status: str, ids: list[str], articles: set[str], reports: set[str],
                deniers: set[str]) -> dict:
        """The claim's fields that who-talked-to-whom and reactions list (graph/digests.py), as one
        JSON text: what they would otherwise read triple by triple. Terms as [value, datatype,
        language]; roles as [predicate, entity] for every entity the claim's own triples name;
        entities by IRI only (their labels are read when a question is asked)."""
        own = self.about.get(claim, {})
        roles = sorted([p[1:-1], o[1:-1]] for p, objects in own.items() if p != _RDF_TYPE
                       for o in objects if o.startswith(_ID_PREFIX))
        articles = {a for a in articles if self.about.get(a, {}).get(_IDENTIFIER)}  # as the listings count them
        publishers = {p for a in articles for p in self.about.get(a, {}).get(_PUBLISHER, ())}
        sources = []
        for r in sorted(reports):
            props = self.about.get(r, {})
            count, description, cites = (props.get(p, ()) for p in _SOURCES)
            # by value: the same count may be written as an integer of two types (Virtuoso keeps one)
            sources.append({"counts": sorted({_parts(c)[0] for c in count}),
                            "descriptions": sorted({_parts(d)[0] for d in description}),
                            "cites": sorted(c[1:-1] for c in cites if c.startswith("<")),
                            "reporters": sorted(x[1:-1] for x in props.get(_REPORTER, ()) if x.startswith("<"))})
        return {"v": DIGEST_FORMAT, "status": status, "articles": "; ".join(ids),
                "dates": sorted(_parts(t) for t in own.get(_DATE, ())),
                "types": sorted(t[1:-1] for t in own.get(_RDF_TYPE, ()) if t.startswith("<")),
                "roles": roles,
                "stances": sorted(t[1:-1] for t in own.get(_iri(AK.stance), ()) if t.startswith("<")),
                **{key: sorted(_parts(t) for t in own.get(p, ())) for key, p in _TEXTS.items()},
                "article_count": len(articles), "publisher_count": len(publishers),
                "report_count": len(self.reported.get(claim, ())), "reports": sources,
                "denied_by": sorted(d[1:-1] for d in deniers if d.startswith("<"))}


def _parts(term: str) -> list[str]:
    """A literal (N-Triples form) as [value, datatype, language] ('' for none)."""
    match = _LITERAL.match(term)
    if not match:
        return [_tsv_value(term) or "", "", ""]
    return [_tsv_value(term) or "", match.group(2) or "", match.group(1) or ""]


def claims_touched(lines: Iterable[str]) -> set[str]:
    """The claims whose summary the given triples bear on: those they state, deny or confirm."""
    return set(_LINK_LINE.findall("\n".join(lines)))


def summary_triples(facts: ClaimFacts, claims: Iterable[str], rows: list | None = None) -> list[str]:
    """Summary triples of ``claims`` derived from ``facts``; with ``rows``, the rows they give
    the questions about one entity are added to it."""
    kinds, by_policy = _kinds(), facts.by_policy()
    return [line for claim in sorted(claims) for line in facts.summary(claim, kinds, by_policy, rows)]


@cache
def _superclasses() -> dict[str, set[str]]:
    """Each ontology class (N-Triples form) with every class it falls under, itself included
    (``rdfs:subClassOf*``): the closure the ontology graph states (graph.loading.ontology_triples)."""
    from .loading import ontology_triples

    closure: dict[str, set[str]] = defaultdict(set)
    for line in ontology_triples():
        s, p, o = _split(line)
        if p == _SUBCLASS_OF and o.startswith("<"):
            closure[s].add(o)
    return closure


def recorded_measures(lines: Iterable[str]) -> set[str]:
    """The measures an official record's triples (one article's) state claims about; none if the
    article reproduces no record."""
    text = "\n".join(lines)
    # A plain substring test first: almost no article is a record, and it is far quicker than the pattern.
    return set(_POLICY_LINE.findall(text)) if _SOURCE_RECORD in text and _RECORD_LINE.search(text) else set()


def policies(lines: Iterable[str]) -> set[str]:
    """The measures the triples name with ``ak:policy``."""
    return set(_POLICY_LINE.findall("\n".join(lines)))


def record_ties(store: Store, claims: set[str], new_lines: dict[str, list[str]], old_graphs: Iterable[str],
                skip_graphs: Iterable[str] = ()) -> set[str]:
    """``claims`` (those a write touches) with the claims their summaries must be derived with
    through official records: every claim about a measure that a record being written
    (``new_lines``, by article) or replaced or removed (``old_graphs``) is about, and the claims
    official records state about the measures of all of these."""
    old_graphs, skip = sorted(old_graphs), _not_in(skip_graphs, store)
    measures = set().union(*(recorded_measures(lines) for lines in new_lines.values()))
    if old_graphs:
        measures |= {f"<{m}>" for m, in store.select_values(
            f"SELECT DISTINCT ?m WHERE {{ VALUES ?g {{ {_values(f'<{g}>' for g in old_graphs)} }} "
            f"GRAPH ?g {{ ?article {_SOURCE_RECORD} ?record . ?s {_POLICY} ?m }} }}")}
    claims = set(claims)
    for chunk in _chunks(sorted(measures)):
        claims |= {f"<{c}>" for c, in store.select_values(
            f"SELECT DISTINCT ?c WHERE {{ VALUES ?m {{ {_values(chunk)} }} GRAPH ?g {{ ?c {_POLICY} ?m }} }}")}
    # the measures of all of them, then what official records in the store state about those
    about = set().union(*(policies(lines) for lines in new_lines.values()))
    for chunk in _chunks(sorted(claims)):
        about |= {f"<{m}>" for m, in store.select_values(
            f"SELECT DISTINCT ?m WHERE {{ VALUES ?c {{ {_values(chunk)} }} GRAPH ?g {{ ?c {_POLICY} ?m }} {skip} }}")}
    for chunk in _chunks(sorted(about)):
        claims |= {f"<{r}>" for r, in store.select_values(
            f"SELECT DISTINCT ?r WHERE {{ VALUES ?m {{ {_values(chunk)} }} GRAPH ?g {{ ?r {_POLICY} ?m }} "
            f"GRAPH ?h {{ ?attribution {CLAIM} ?r ; {_STATED_IN} ?article . ?article {_SOURCE_RECORD} ?record }} "
            f"{skip.replace('?g', '?h')} }}")}
    return claims


def _kinds() -> dict[str, str]:
    from .schema import load_schema

    schema = load_schema()
    return {f"<{iri}>": schema.labels.get(name, name).lower() for name, iri in schema.classes.items()}


def _values(terms: Iterable[str]) -> str:
    return " ".join(sorted(terms))


def _one_of(predicates: Iterable[str]) -> str:
    """A filter keeping ``?p`` to ``predicates``. Oxigraph joins a second VALUES block (of
    predicates) after scanning the pattern, which reads the whole store once per call (11.8 s
    against 0.6 s at 1,000 articles); a filter on the subject's own triples reads only those."""
    return f"FILTER(?p IN ({', '.join(predicates)}))"


def _not_in(graphs: Iterable[str], store: Store) -> str:
    """A FILTER keeping ``GRAPH ?g`` to the store's graphs other than ``graphs``. On a server
    whose default graph is a union (Virtuoso), the merged graph is a named graph too and still
    holds what ``graphs`` state: it is left out as well."""
    merged = getattr(store, "merged_graph", None)
    graphs = sorted({*graphs, *([merged] if merged else [])})
    return f"FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in graphs)}))" if graphs else ""


# Claims per query: a VALUES block of this many IRIs is quick to parse and to join.
_PER_QUERY = 2000


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), _PER_QUERY):
        yield items[i:i + _PER_QUERY]


def store_facts(store: Store, claims: Iterable[str], skip_graphs: Iterable[str] = ()) -> ClaimFacts:
    """The facts the store's article graphs (except ``skip_graphs``, about to be replaced or
    removed) hold about ``claims``: the claims' own triples, what links to them, and the
    attributions', reports' and articles' properties a summary reads."""
    facts = ClaimFacts()
    skip = _not_in(skip_graphs, store)
    claims = sorted(claims)
    for chunk in _chunks(claims):
        rows = store.select_values(
            f"SELECT DISTINCT ?s ?p ?c WHERE {{ VALUES ?c {{ {_values(chunk)} }} GRAPH ?g {{ ?s ?p ?c }} "
            f"{_one_of((*LINKS, _REPORTS))} {skip} }}")
        for s, p, c in rows:
            facts.add(f"<{s}>", f"<{p}>", f"<{c}>")
    subjects = sorted(set(claims) | {s for c in claims for by in facts.links.get(c, {}).values() for s in by})
    _describe(store, facts, subjects, skip, None)
    attributions = [s for c in claims for s in facts.links.get(c, {}).get(CLAIM, ())]
    onward = {o for a in attributions for p in (_STATED_IN, _VIA_REPORT) for o in facts.about.get(a, {}).get(p, ())}
    _describe(store, facts, sorted(onward), skip, (_IDENTIFIER, _PUBLISHED, _REPORTER, _SOURCE_RECORD, _PUBLISHER,
                                                    *_SOURCES))
    return facts


def _describe(store: Store, facts: ClaimFacts, subjects: list[str], skip: str, predicates) -> None:
    """Add the named graphs' triples about ``subjects`` (only ``predicates``, if given)."""
    only = _one_of(predicates) if predicates else ""
    for chunk in _chunks(subjects):
        result = store.query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {_values(chunk)} }} "
                             f"GRAPH ?g {{ ?s ?p ?o }} {only} {skip} }}")
        for s, p, o in result.rows:
            facts.add(str(s), str(p), str(o))


def delete_update(claims: Iterable[str]) -> str:
    """A SPARQL update removing the summaries of ``claims`` from the default graph."""
    parts = []
    claims = sorted(claims)
    for chunk in _chunks(claims):
        parts.append(f"DELETE {{ ?c ?p ?o }} WHERE {{ VALUES ?c {{ {_values(chunk)} }} ?c ?p ?o {_one_of(DERIVED)} }}")
    return " ;\n".join(parts)
