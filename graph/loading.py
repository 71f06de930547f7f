"""The load pipeline: find files -> parse + validate -> resolve -> assert -> store.

Every file is parsed and checked before anything is written, so a load with any
problem writes nothing. Articles are then written in batches; each batch writes its
articles' named graphs and the summaries (status included) of the claims they touch in
one transaction, and the first one the ontology and registry graphs, so the store only
ever holds whole articles, each claim summarised from exactly the articles there.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from .answers import Keeper
from .assertions import CompiledArticle, compile_article
from .errors import AnnotationError, Problem
from .identity import (
    JUDGEMENTS_FILENAME,
    NameMatcher,
    apply_name_judgements,
    identify_claims,
    judgements_beside,
    known_claims_for,
    read_judgements,
    shared_id_conflicts,
)
from .identity.claims import Merge
from .memory import cycle_collector_paused
from .products import hs_code_problems
from .readers import FORMATS
from .readers.annotations import ArticleDoc, Value, read_article
from .readers.brat import META_SUFFIX
from .readers.mapping import TypeMapping, read_mapping
from .registry import REGISTRY_FILENAME, EntityIndex, read_registry
from .resources import ontology_file, queries_dir
from .schema import load_schema
from .store import Store
from .summaries import (
    LINKS,
    ClaimFacts,
    claims_touched,
    delete_update,
    policies,
    record_ties,
    recorded_measures,
    store_facts,
    summary_triples,
)
from .terms import AK, MENTIONS_GRAPHS, ONTOLOGY_GRAPH, REGISTRY_GRAPH, SCHEMA, article_iri, mentions_graph

__all__ = ["LoadReport", "load_paths", "compile_paths", "find_article_files", "find_registry",
           "remove_articles", "status_rule", "read_documents", "format_of", "CHUNK_QUADS", "FORMATS"]

# Quads written per call where the store says nothing: each call is one transaction (or one
# atomic bulk ingest).
CHUNK_QUADS = 100_000
_SKIP_DIRS = {"mappings", "counterexamples"}
# By suffix where the suffix says it; INCEpTION's UIMA JSON (.json) needs --format inception.
# Official records (.json Federal Register documents, .csv / .json GTA exports, .yaml EU regulation
# records) go by their fields.
_SUFFIXES = {"yaml": (".yaml", ".yml"), "brat": (".ann",), "labelstudio": (".json",), "inception": (".xmi",),
             "webanno": (".tsv",), "doccano": (".jsonl",), "federalregister": (".json",), "gta": (".csv", ".json"),
             "euregulation": (".yaml", ".yml")}


@dataclass
class LoadReport:
    articles: list[str] = field(default_factory=list)
    events: int = 0
    quads_before: int = 0
    quads_after: int = 0
    registry: str | None = None
    warnings: list[Problem] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)   # claims given another article's claim node


@cache
def status_rule() -> str:
    """The SPARQL update that derives claim statuses (queries/internal/claim-status.ru)."""
    return (queries_dir() / "internal" / "claim-status.ru").read_text(encoding="utf-8")


@cache
def ontology_triples() -> tuple[str, ...]:
    """The ontology as N-Triples, blank nodes skolemised to stable IRIs, with its subclass
    closure stated.

    Skolem IRIs (RDF 1.1, ``/.well-known/genid/``) let the same triples be written to the
    ontology graph and to the default graph in one update, and removed again by matching.

    Every class is written ``rdfs:subClassOf`` each class it falls under, itself included:
    triples RDFS entails (rules rdfs10 and rdfs11), so they change no meaning. With them a
    query file asks for a class and its subclasses with one triple pattern instead of an
    ``rdfs:subClassOf*`` path, which Virtuoso 7.2 evaluates wrongly beside GROUP BY,
    OPTIONAL or NOT EXISTS (it drops rows; README, "Virtuoso").
    """
    import pyoxigraph as ox

    names: dict[str, ox.NamedNode] = {}

    def skolem(term):
        if isinstance(term, ox.BlankNode):
            if term.value not in names:
                names[term.value] = ox.NamedNode(f"{ONTOLOGY_GRAPH}/.well-known/genid/{len(names) + 1}")
            return names[term.value]
        return term

    triples = [ox.Triple(skolem(q.subject), q.predicate, skolem(q.object))
               for q in ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)]
    triples += _subclass_closure(triples)
    return tuple(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8").splitlines())


def _subclass_closure(triples: list) -> list:
    """The ``rdfs:subClassOf`` triples RDFS entails from ``triples`` and they do not state:
    every named class (an ``owl:Class``, or either end of a subclass triple) under itself and
    under every class above it."""
    import pyoxigraph as ox

    sub = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    owl_class = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    parents: dict = {}
    for t in triples:
        if t.predicate == sub and isinstance(t.object, ox.NamedNode):
            parents.setdefault(t.subject, set()).add(t.object)
            parents.setdefault(t.object, set())
        elif t.predicate == rdf_type and t.object == owl_class and isinstance(t.subject, ox.NamedNode):
            parents.setdefault(t.subject, set())
    stated = {(t.subject, t.object) for t in triples if t.predicate == sub}
    entailed = []
    for start in sorted(parents, key=str):
        seen, todo = set(), [start]
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(parents.get(c, ()))
        entailed += [ox.Triple(start, sub, up) for up in sorted(seen, key=str) if (start, up) not in stated]
    return entailed


def find_article_files(paths: Iterable[Path | str], format: str = "auto") -> list[Path]:
    """Article files under ``paths``, in a stable order.

    In folders: YAML articles (not the registry or its judgement file, not ``*.meta.yaml``), brat ``.ann`` files
    and Label Studio ``.json`` exports; ``format`` keeps only one kind. Folders named
    ``mappings`` or ``counterexamples`` and hidden folders are skipped. A ``.txt`` given
    by name stands for the brat ``.ann`` beside it.
    """
    kinds = [format] if format in _SUFFIXES else list(_SUFFIXES)
    suffixes = tuple(x for k in kinds for x in _SUFFIXES[k])
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for f in _files_under(path):
                rel = f.relative_to(path).parts
                if (f.suffix in suffixes and f.name not in (REGISTRY_FILENAME, JUDGEMENTS_FILENAME)
                        and not f.name.endswith(META_SUFFIX)
                        and not any(p in _SKIP_DIRS or p.startswith(".") for p in rel[:-1])):
                    found.append(f)
        elif path.exists():
            if path.suffix == ".txt" and path.with_suffix(".ann").exists():
                path = path.with_suffix(".ann")
            found.append(path)
        else:
            raise AnnotationError([Problem(str(path), None, "no such file or directory")])
    return list(dict.fromkeys(found))


def _files_under(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted; a subfolder that cannot be read is an error
    (skipping it would load part of the corpus and say nothing)."""
    unreadable: list[Problem] = []

    def refuse(exc: OSError) -> None:
        unreadable.append(Problem(exc.filename or str(folder), None, f"cannot read folder: {exc.strerror}"))

    files = [Path(top) / name for top, _, names in os.walk(folder, onerror=refuse) for name in names]
    if unreadable:
        raise AnnotationError(unreadable)
    return sorted(files)


def format_of(path: Path, format: str = "auto") -> str | None:
    """The annotation format of one file: the one asked for, or the one its name says."""
    if format != "auto":
        return format
    if path.suffix in (".json", ".csv", ".yaml", ".yml"):  # official records, told apart by their fields
        from .readers.records import record_format

        if kind := record_format(path):
            return kind
    for kind, suffixes in _SUFFIXES.items():
        if path.suffix in suffixes:
            return kind
    return None


def read_documents(path: Path, format: str, mapping: TypeMapping, index: EntityIndex,
                   warnings: list[Problem]) -> list[ArticleDoc]:
    """Read one file in ``format`` into its articles (a Label Studio export holds several)."""
    kind = format_of(path, format)
    if kind == "yaml":
        return [read_article(path)]
    if kind == "brat":
        from .readers.brat import read_brat

        return [read_brat(path, mapping, index, warnings)]
    if kind == "labelstudio":
        from .readers.labelstudio import read_labelstudio

        return read_labelstudio(path, mapping, index, warnings)
    if kind in ("inception", "webanno", "doccano"):
        from . import readers

        return getattr(readers, f"read_{kind}")(path, mapping, index, warnings)
    if kind == "federalregister":
        from .readers.federalregister import read_federal_register

        return read_federal_register(path, index, warnings)
    if kind == "gta":
        from .readers.gta import read_gta

        return read_gta(path, index, warnings)
    if kind == "euregulation":
        from .readers.euregulation import read_eu_regulation

        return read_eu_regulation(path, index, warnings)
    raise AnnotationError([Problem(str(path), None, "not an article file: expected .yaml, .ann (brat), .json "
                                                    "(Label Studio, Federal Register), .xmi (INCEpTION), .tsv "
                                                    "(WebAnno TSV), .jsonl (doccano) or .csv (Global Trade Alert), "
                                                    "or give --format")])


def find_registry(paths: Iterable[Path | str]) -> Path | None:
    """The registry beside the given files: ``entities.yaml`` in a given folder or a parent."""
    for raw in paths:
        path = Path(raw).resolve()
        for folder in ([path] if path.is_dir() else []) + list(path.parents):
            candidate = folder / REGISTRY_FILENAME
            if candidate.is_file():
                return candidate
    return None


@cycle_collector_paused()
def compile_paths(paths: Iterable[Path | str], registry: Path | str | None = None, *,
                  format: str = "auto", mapping: TypeMapping | Path | str | None = None,
                  lenient: bool = False, warnings: list[Problem] | None = None, strict: bool = False,
                  identity: bool = True, publisher: str | None = None, predictions: bool = False,
                  ) -> tuple[EntityIndex, list[CompiledArticle]]:
    """Parse and check every article under ``paths``; raise one AnnotationError listing all problems.

    ``format`` is yaml, brat, labelstudio or auto (by file name); ``mapping`` maps a tool's
    type names (a TypeMapping or a mapping file); with ``lenient`` unmapped types are
    skipped, and reported in ``warnings``, instead of failing the load. The judgement file
    beside the registry is obeyed (names judged ``same`` are aliases), and a declared entity
    that probably duplicates a known one is a warning; with ``strict`` warnings are errors.
    ``identity=False`` skips entity matching and mentions (only to measure what they cost:
    bench/identity.py).
    ``publisher`` is the default publisher of documents whose format has no place for one
    (brat without ``.meta.yaml``, doccano); ``predictions`` loads a Label Studio task's
    prediction when it has no annotation.
    """
    if format not in FORMATS:
        raise AnnotationError([Problem("--format", None, f"unknown format {format!r} (one of {', '.join(FORMATS)})")])
    paths = list(paths)
    warnings = warnings if warnings is not None else []
    registry_path = Path(registry) if registry else find_registry(paths)
    index = read_registry(registry_path) if registry_path else EntityIndex()
    judgements = read_judgements(judgements_beside(registry_path))
    apply_name_judgements(index, judgements)
    matcher = NameMatcher(index) if identity and index.entities else None
    schema = load_schema()
    problems: list[Problem] = hs_code_problems(index.entities.values(), index.path or "entities.yaml")
    if not isinstance(mapping, TypeMapping):
        mapping = read_mapping(mapping, lenient=lenient)
    mapping.lenient = mapping.lenient or lenient
    mapping.predictions = mapping.predictions or predictions
    if publisher:
        mapping.article_defaults["publisher"] = Value(publisher)
    compiled: list[CompiledArticle] = []
    seen: dict[str, str] = {}
    for path in find_article_files(paths, format):
        try:
            docs = read_documents(path, format, mapping, index, warnings)
        except AnnotationError as exc:
            problems.extend(exc.problems)
            continue
        for doc in docs:
            problems.extend(hs_code_problems(doc.entities, str(path)))
            try:
                article = compile_article(doc, index, schema, matcher=matcher, warnings=warnings,
                                          judged=judgements.verdict_for_name, mentions=identity)
            except AnnotationError as exc:
                problems.extend(exc.problems)
                continue
            if article.id in seen:
                line = doc.line if path.suffix != ".ann" else None  # a brat doc's line is in its .meta.yaml
                problems.append(Problem(str(path), line,
                                        f"article id {article.id!r} is also used by {seen[article.id]}"))
                continue
            seen[article.id] = str(path)
            warnings.extend(article.warnings)
            article.triples.extend(_note_triples(doc))
            article.triples.extend(_record_triples(doc, article.iri))
            compiled.append(article)
    warnings.extend(shared_id_conflicts(compiled, judgements))
    unmapped = mapping.unmapped_problems()
    (warnings if mapping.lenient else problems).extend(unmapped)
    if strict:  # every warning is an error, printed as one
        problems.extend(Problem(w.path, w.line, w.message) for w in warnings)
    if problems:
        # one line per problem: two tasks of one export can give the same file:line and message
        raise AnnotationError(list(dict.fromkeys(problems)))
    return index, compiled


def _record_triples(doc: ArticleDoc, article_iri: str) -> list[str]:
    """For a document reproducing an official record, the triple naming that record."""
    record = getattr(doc, "record", None)
    if not record:
        return []
    from .readers.records import source_record_triple

    return [source_record_triple(doc, article_iri)]


def _note_triples(doc: ArticleDoc) -> list[str]:
    """Notes an annotation tool kept (brat AnnotatorNotes, Label Studio text areas) as skos:note."""
    from .assertions import iri, literal
    from .readers.standoff import SKOS_NOTE

    return [f"{iri(subject)} {iri(SKOS_NOTE)} {literal(text)} ." for subject, text in getattr(doc, "notes", [])]


@cycle_collector_paused()
def load_paths(store: Store, paths: Iterable[Path | str], registry: Path | str | None = None,
               progress: Callable[[int, int], None] | None = None, *, format: str = "auto",
               mapping: TypeMapping | Path | str | None = None, lenient: bool = False,
               strict: bool = False, identity: bool = True, merge: bool = True, publisher: str | None = None,
               predictions: bool = False) -> LoadReport:
    """Load every article under ``paths`` into ``store``; replace articles already there.

    Articles are written in batches of whole articles; each batch carries, in the same
    transaction (or atomic bulk ingest), the summaries (status and the rest, see
    ``graph/summaries.py``) of every claim it bears on, derived from exactly what the
    store holds once the batch is in; the first batch also carries the ontology and
    registry graphs when they changed. So a load stopped at any point leaves whole
    articles whose claims all have their right summaries. New articles whose claims no
    other article touches go by the fast path (bulk ingest, with summaries derived from
    their own triples); the others are written in transactions that first read the
    facts the store's other articles hold about the same claims.
    ``format``, ``mapping``, ``lenient``, ``strict``, ``identity``, ``publisher`` and
    ``predictions`` are as for ``compile_paths``; claims are merged across articles unless
    ``merge`` is False.
    """
    warnings: list[Problem] = []
    index, compiled = compile_paths(paths, registry, format=format, mapping=mapping, lenient=lenient,
                                    warnings=warnings, strict=strict, identity=identity,
                                    publisher=publisher, predictions=predictions)
    report = LoadReport(quads_before=store.quad_count(), registry=index.path, warnings=warnings)
    # The registry graph to write: the store's, merged with this load's registry (read before
    # any batch, so every write can carry the same merged registry).
    registry_lines = None
    if index.path:
        from .registry_graph import merged_registry

        registry_lines = merged_registry(store, index, report.warnings)
    present = set(store.graphs())
    answers = Keeper(store, empty=not any(g.startswith(_ARTICLE_PREFIX) for g in present))  # before any write
    _drop_stray_mentions(store, present)
    stated = len(report.warnings)
    report.merges = _merge_claims(store, compiled, index, present, report.warnings) if merge else []
    if strict and len(report.warnings) > stated:   # claims that say otherwise than the stored ones they join
        raise AnnotationError([Problem(w.path, w.line, w.message) for w in report.warnings[stated:]])
    for article in compiled:
        _fingerprint(article)
    fresh = [a for a in compiled if a.iri not in present]
    loaded = _versions(store) if len(fresh) < len(compiled) else {}
    unchanged = [a for a in compiled if a.iri in present and loaded.get(a.iri) == a.version]
    replaced = [a for a in compiled if a.iri in present and loaded.get(a.iri) != a.version]
    _count(report, unchanged, progress, len(compiled))
    shared = _changed_shared_graphs(store, registry_lines, present)
    if str(ONTOLOGY_GRAPH) in shared and str(ONTOLOGY_GRAPH) in present:
        answers.keep = False  # rows made with another ontology's classes: all written again at the end
    stored = any(g.startswith(_ARTICLE_PREFIX) for g in present)
    known = _known_claims(store) if stored else set()
    # Measures official records state claims about: what ties claims of different articles
    # (summaries.record_ties); none in most stores, and then no write pays for them.
    recorded = set().union(*(recorded_measures(a.triples) for a in compiled))
    stored_records = _recorded_measures(store) if stored else set()
    known |= {_MEASURE_KEY + m for m in stored_records | (_stored_measures(store, recorded) if stored else set())}
    ties = bool(recorded or stored_records)
    max_quads = getattr(store, "batch_quads", CHUNK_QUADS)
    max_graphs = getattr(store, "batch_graphs", None)
    bulk = getattr(store, "bulk", False)
    whole_quads = getattr(store, "bulk_quads", None) if bulk else None
    writes = _Writes(report, progress, len(compiled))
    try:
        for batch, closed in _plan(fresh, known, max_quads, max_graphs, recorded | stored_records, whole_quads):
            graphs = {a.iri: a.triples for a in batch}
            if closed and bulk and all(g not in present for g in shared):
                facts = ClaimFacts()
                for article in batch:
                    facts.add_lines(article.triples)
                graphs.update(shared)
                rows = answers.rows()
                derived = summary_triples(facts, facts.claims(), rows)
                # Written while the next batch is prepared (no later batch reads these claims),
                # and its answer rows once it is in.
                prepare = getattr(store, "prepared_add", None)
                write = (prepare(graphs, derived, _mentions(batch)) if prepare is not None
                         else partial(store.add_graphs, graphs, derived, _mentions(batch)))
                writes.behind(batch, write, partial(answers.written, facts.claims(), rows, batch))
            else:
                writes.wait()  # this batch reads the store: every earlier one is in
                # New articles' mentions bear on no summary: written first by the fast path (a
                # stop before the article's own write leaves them stray, and the next load drops them).
                if bulk:
                    store.add_graphs({}, unmerged=_mentions(batch))
                _write(store, {**shared, **graphs}, batch, ties, answers, mentions=not bulk)
                writes.count(batch)
            shared = {}
        writes.wait()
        for batch, _ in _plan(replaced, set(), max_quads, max_graphs, set()):
            _write(store, {**shared, **{a.iri: a.triples for a in batch}}, batch, ties, answers)
            shared = {}
            writes.count(batch)
    finally:
        writes.join()  # no write of this load goes on after it has stopped, whatever stopped it
    if shared:  # nothing else changed: the ontology or the registry alone
        store.replace_graphs(shared)
    store.flush()  # durable (or a clear error, such as a full disk) before the load is reported
    answers.done(store)
    report.quads_after = store.quad_count()
    return report


def _merge_claims(store: Store, compiled: list[CompiledArticle], index: EntityIndex, present: set[str],
                  warnings: list[Problem]) -> list[Merge]:
    """Give each claim its node across articles (graph.identity.claims), before fingerprints."""
    loading = {a.iri for a in compiled}
    stored = any(g not in loading and g.startswith(article_iri("")) for g in present)
    judgements = read_judgements(judgements_beside(index.path))
    known = known_claims_for(store, compiled, loading, judgements) if stored else []
    return identify_claims(compiled, known, judgements, warnings)


_ARTICLE_PREFIX = article_iri("")


def _lines(batch: list[CompiledArticle]) -> Iterable[str]:
    return (line for article in batch for line in article.triples)


def _mentions(batch: list[CompiledArticle]) -> dict[str, list[str]]:
    """The mentions graph of each article of ``batch`` (empty for an article that has none)."""
    return {mentions_graph(a.id): a.mention_triples for a in batch}


def _drop_stray_mentions(store: Store, present: set[str]) -> None:
    """Remove mentions graphs whose article is not in the store (left by a load stopped
    between an article's mentions and the article), so they cannot join a later load's."""
    stray = [g for g in present if g.startswith(MENTIONS_GRAPHS)
             and article_iri(g[len(MENTIONS_GRAPHS):]) not in present]
    if stray:
        store.remove_graphs([], unmerged=stray)
        present.difference_update(stray)


def _write(store: Store, graphs: dict[str, list[str]], batch: list[CompiledArticle], ties: bool,
           answers: Keeper, mentions: bool = True) -> None:
    """Replace ``graphs``, the batch's mentions graphs (unless ``mentions`` is False: written
    already) and the summaries of every claim the old or new articles touch (and, with
    ``ties``, the claims tied to those through official records), in one transaction."""
    olds = [a.iri for a in batch]
    claims = claims_touched(_lines(batch)) | _claims_in(store, olds)
    if ties:
        claims = record_ties(store, claims, {a.iri: a.triples for a in batch}, olds, skip_graphs=graphs)
    facts = store_facts(store, claims, skip_graphs=graphs)
    for article in batch:
        facts.add_lines(article.triples)
    rows = answers.rows()
    store.replace_graphs(graphs, then=_summary_update(claims, summary_triples(facts, claims, rows)),
                         unmerged=_mentions(batch) if mentions else None)
    answers.written(claims, rows, batch)


def _summary_update(claims: set[str], triples: list[str]) -> str | None:
    parts = [delete_update(claims)] if claims else []
    if triples:
        parts.append("INSERT DATA {\n" + "\n".join(triples) + "\n}")
    return " ;\n".join(parts) or None


def _claims_in(store: Store, graphs: list[str]) -> set[str]:
    """The claims the store's graphs ``graphs`` state, deny or confirm."""
    if not graphs:
        return set()
    # One branch per link (a constant predicate reads its index), not a VALUES block of them.
    rows = store.select_values(
        f"SELECT DISTINCT ?c WHERE {{ VALUES ?g {{ {' '.join(f'<{g}>' for g in sorted(graphs))} }} "
        + " UNION ".join(f"{{ GRAPH ?g {{ ?s {p} ?c }} }}" for p in LINKS) + " }")
    return {f"<{c}>" for c, in rows}


_MEASURE_KEY = "measure "  # a measure official records are about, as a key beside claims in _plan


def _recorded_measures(store: Store) -> set[str]:
    """The measures the store's official records state claims about."""
    rows = store.select_values(f"SELECT DISTINCT ?m WHERE {{ GRAPH ?g {{ ?article <{AK.sourceRecord}> ?record . "
                               f"?s <{AK.policy}> ?m }} }}")
    return {f"<{m}>" for m, in rows}


def _stored_measures(store: Store, measures: set[str]) -> set[str]:
    """Those of ``measures`` the store's articles name."""
    if not measures:
        return set()
    rows = store.select_values(f"SELECT DISTINCT ?m WHERE {{ VALUES ?m {{ {' '.join(sorted(measures))} }} "
                               f"GRAPH ?g {{ ?s <{AK.policy}> ?m }} }}")
    return {f"<{m}>" for m, in rows}


def _known_claims(store: Store) -> set[str]:
    """Every claim the store's articles state, deny or confirm."""
    rows = store.select_values(f"SELECT DISTINCT ?c WHERE {{ VALUES ?p {{ {' '.join(LINKS)} }} ?s ?p ?c }}")
    return {f"<{c}>" for c, in rows}


def _plan(articles: list[CompiledArticle], known: set[str], max_quads: int, max_graphs: int | None,
          recorded: set[str], whole_quads: int | None = None) -> Iterable[tuple[list[CompiledArticle], bool]]:
    """Batches of whole articles, and whether each is new ground: none of the claims it touches
    (nor measures of ``recorded``, those official records are about) has a summary in the store
    when it is written, since no stored article (``known``) and no earlier batch touches them. Such
    a batch's summaries derive from its own triples; the others, written last, read the facts
    the store holds about their claims.

    Articles that share claims or recorded measures go in one batch: packed into batches of
    ``max_quads`` quads (triples and mentions), and a group larger than that alone in a batch of
    its own, up to ``whole_quads``. A group larger still is split along the claims its articles
    share (breadth first), each part taking the articles none of whose claims an earlier part
    touched; the rest are written last."""
    whole_quads = max(whole_quads or max_quads, max_quads)
    touched = [claims_touched(a.triples) | {_MEASURE_KEY + m for m in policies(a.triples) & recorded}
               for a in articles]
    weight = [len(a.triples) + len(a.mention_triples) for a in articles]
    summarised = set(known)
    batch: list[int] = []
    later: list[int] = []
    size = 0

    def full(extra: int, count: int, limit: int) -> bool:
        return bool(batch) and (size + extra > limit or (max_graphs is not None and len(batch) + count > max_graphs))

    def flush() -> Iterable[tuple[list[CompiledArticle], bool]]:
        nonlocal batch, size
        if batch:
            yield [articles[i] for i in batch], True
            summarised.update(*(touched[i] for i in batch))
            batch, size = [], 0

    for members in _groups(touched):
        total = sum(weight[i] for i in members)
        if full(total, len(members), max_quads):  # keep the group together in the next batch
            yield from flush()
        for i in _along_shared_claims(members, touched):
            if touched[i] & summarised:
                later.append(i)
                continue
            if full(weight[i], 1, whole_quads):
                yield from flush()
                if touched[i] & summarised:
                    later.append(i)
                    continue
            batch.append(i)
            size += weight[i]
        if size > max_quads:
            yield from flush()
    yield from flush()
    for part in _chunks([articles[i] for i in later], max_quads):
        for i in range(0, len(part), max_graphs or len(part)):
            yield part[i:i + (max_graphs or len(part))], False


def _groups(touched: list[set[str]]) -> list[list[int]]:
    """The articles (by index) in groups linked by the claims they touch, in order of their first member."""
    parent = list(range(len(touched)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, claims in enumerate(touched):
        for claim in claims:
            j = owner.setdefault(claim, i)
            if root(j) != root(i):
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(touched)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _along_shared_claims(members: list[int], touched: list[set[str]]) -> list[int]:
    """The members of one group breadth first from its first, along the claims they share, so that
    a group split into parts keeps articles of the same claims in the same part."""
    if len(members) < 3:
        return members
    by_claim: dict[str, list[int]] = {}
    for i in members:
        for claim in touched[i]:
            by_claim.setdefault(claim, []).append(i)
    order, seen = [], set()
    for start in members:
        if start in seen:
            continue
        seen.add(start)
        queue = deque([start])
        while queue:
            i = queue.popleft()
            order.append(i)
            for claim in sorted(touched[i]):
                for j in by_claim[claim]:
                    if j not in seen:
                        seen.add(j)
                        queue.append(j)
    return order


def _changed_shared_graphs(store: Store, registry_lines: list[str] | None, present: set[str],
                           ) -> dict[str, list[str]]:
    """The ontology and registry graphs (``registry_lines``: the merged registry, if this
    load has one), for those the store lacks or holds otherwise."""
    import pyoxigraph as ox

    shared = {str(ONTOLOGY_GRAPH): list(ontology_triples())}
    if registry_lines is not None:
        # The version line is this graph's own, made again from the merged registry.
        version = f"<{REGISTRY_GRAPH}> <{SCHEMA.version}> "
        merged = [line for line in registry_lines if not line.startswith(version)]
        shared[str(REGISTRY_GRAPH)] = _versioned(str(REGISTRY_GRAPH), merged)
    changed = {}
    for graph, triples in shared.items():
        if graph in present:
            held = {tuple(row) for row in store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows}
            wanted = {(t.subject, t.predicate, t.object)
                      for t in ox.parse("\n".join(triples), format=ox.RdfFormat.N_TRIPLES)}
            if held == wanted:
                continue
        changed[graph] = triples
    return changed


def _versioned(graph: str, triples: list[str]) -> list[str]:
    """The graph's triples with its fingerprint (schema:version), as articles carry theirs:
    what tells a reader, such as the actor graph's snapshot, that the graph changed."""
    digest = hashlib.sha256("\n".join(triples).encode("utf-8")).hexdigest()[:32]
    return [*triples, f'<{graph}> <{SCHEMA.version}> "sha256:{digest}" .']


def _fingerprint(article: CompiledArticle) -> None:
    """Stamp the article with a hash of its triples (schema:version), so that reloading an
    unchanged article writes nothing."""
    digest = hashlib.sha256("\n".join(article.triples + article.mention_triples).encode("utf-8")).hexdigest()[:32]
    article.version = f"sha256:{digest}"
    article.triples.append(f'<{article.iri}> <{SCHEMA.version}> "{article.version}" .')


def _versions(store: Store) -> dict[str, str]:
    from .queries import internal_query

    return {r["graph"]: r["version"] for r in store.query(internal_query("article-versions.rq")).records()}


def _chunks(articles: list[CompiledArticle], max_quads: int) -> Iterable[list[CompiledArticle]]:
    """Consecutive groups of whole articles holding at most ``max_quads`` quads (or one article)."""
    batch: list[CompiledArticle] = []
    size = 0
    for article in articles:
        if batch and size + len(article.triples) + len(article.mention_triples) > max_quads:
            yield batch
            batch, size = [], 0
        batch.append(article)
        size += len(article.triples) + len(article.mention_triples)
    if batch:
        yield batch


class _Writes:
    """A load's batches, written in order, one at a time. A batch no later one reads (new
    ground, by the bulk path) is written in a thread of its own while the next batch is
    prepared: the store's bulk load runs outside Python's lock, on one core (at 10,000
    articles 46 s of an 83 s load), and the next batch's summaries and N-Quads text, and the
    answer rows of the batch before, are made meanwhile on the other. Each batch is counted
    (progress, report, the crash tests' stop) once it is written, before the next one starts."""

    def __init__(self, report: LoadReport, progress, total: int):
        self.report, self.progress, self.total = report, progress, total
        self.written = 0
        self._pending: tuple[threading.Thread, list, list[CompiledArticle], Callable[[], object]] | None = None

    def behind(self, batch: list[CompiledArticle], write: Callable[[], object], then: Callable[[], object]) -> None:
        """Write ``batch`` by ``write`` in a thread once the batch before it is written, then
        (in this thread, once it is written) run ``then``."""
        after = self._finish()
        failed: list[BaseException] = []

        def run() -> None:
            try:
                write()
            except BaseException as exc:  # raised in the load's own thread, when it waits
                failed.append(exc)

        thread = threading.Thread(target=run, name="autokg-load-write")
        thread.start()
        self._pending = (thread, failed, batch, then)
        if after is not None:
            after()

    def wait(self) -> None:
        """Wait for the batch being written, raise what stopped it, count it and run its ``then``."""
        after = self._finish()
        if after is not None:
            after()

    def _finish(self) -> Callable[[], object] | None:
        if self._pending is None:
            return None
        thread, failed, batch, then = self._pending
        thread.join()
        self._pending = None
        if failed:
            raise failed[0]
        self.count(batch)
        return then

    def count(self, batch: list[CompiledArticle]) -> None:
        _count(self.report, batch, self.progress, self.total)
        self.written += 1
        _stop_after_batch(self.written)

    def join(self) -> None:
        """Wait for a write still running, without counting it: the load is stopping."""
        if self._pending is not None:
            self._pending[0].join()
            self._pending = None


def _stop_after_batch(written: int) -> None:
    """Fault injection for the crash tests: with ``AUTOKG_STOP_AFTER_BATCHES=N`` the load stops
    itself (SIGSTOP) once its Nth batch is written, so a test kills it at a known point mid-load
    instead of racing it on a busy machine."""
    wanted = os.environ.get("AUTOKG_STOP_AFTER_BATCHES")
    if wanted and wanted.isdigit() and written == int(wanted):
        os.kill(os.getpid(), signal.SIGSTOP)


def _count(report: LoadReport, batch: list[CompiledArticle], progress, total: int) -> None:
    report.articles.extend(a.id for a in batch)
    report.events += sum(a.events for a in batch)
    if progress:
        progress(len(batch), total)


def remove_articles(store: Store, article_ids: Iterable[str]) -> list[str]:
    """Remove articles (their named graphs) by id; return the ids that were present.

    The summaries of the claims they touched are derived again from the articles that
    remain, in the same transaction."""
    present = set(store.graphs())
    iris = {a: article_iri(a) for a in article_ids}
    found = [a for a, g in iris.items() if g in present]
    graphs = [iris[a] for a in found]
    if graphs:
        answers = Keeper(store, empty=False)
        claims = record_ties(store, _claims_in(store, graphs), {}, graphs, skip_graphs=graphs)
        facts = store_facts(store, claims, skip_graphs=graphs)
        rows = answers.rows()
        store.remove_graphs(graphs, then=_summary_update(claims, summary_triples(facts, claims, rows)),
                            unmerged=[mentions_graph(a) for a in found])
        answers.written(claims, rows, removed=graphs)
        answers.done(store)
    return found
