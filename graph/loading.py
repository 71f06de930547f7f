"""The load pipeline: find files -> parse + validate -> resolve -> assert -> store.

Every file is parsed and checked before anything is written, so a load with any
problem writes nothing. Articles are then written in batches; each batch replaces its
articles' named graphs, the ontology and registry graphs, and the derived claim
statuses in one transaction, so the store only ever holds whole articles.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .assertions import CompiledArticle, compile_article
from .errors import AnnotationError, Problem
from .identity import (
    JUDGEMENTS_FILENAME,
    NameMatcher,
    apply_name_judgements,
    identify_claims,
    judgements_beside,
    known_claims,
    read_judgements,
)
from .identity.claims import Merge
from .products import hs_code_problems
from .readers.annotations import ArticleDoc, Value, read_article
from .readers.brat import META_SUFFIX
from .readers.mapping import TypeMapping, read_mapping
from .registry import REGISTRY_FILENAME, EntityIndex, read_registry
from .resources import ontology_file, queries_dir
from .schema import load_schema
from .store import Store
from .terms import ONTOLOGY_GRAPH, REGISTRY_GRAPH, SCHEMA, article_iri

__all__ = ["LoadReport", "load_paths", "compile_paths", "find_article_files", "find_registry",
           "remove_articles", "status_rule", "read_documents", "format_of", "CHUNK_QUADS", "FORMATS"]

# Quads written per call: each call is one transaction (or one atomic bulk ingest, which
# must stay far below Oxigraph's bulk-load batch of a million quads to be atomic).
CHUNK_QUADS = 100_000
_SKIP_DIRS = {"mappings", "counterexamples"}
FORMATS = ("auto", "yaml", "brat", "labelstudio", "inception", "webanno", "doccano", "federalregister", "gta")
# By suffix where the suffix says it; INCEpTION's UIMA JSON (.json) needs --format inception.
# Official records (.json Federal Register documents, .csv / .json GTA exports) go by their fields.
_SUFFIXES = {"yaml": (".yaml", ".yml"), "brat": (".ann",), "labelstudio": (".json",), "inception": (".xmi",),
             "webanno": (".tsv",), "doccano": (".jsonl",), "federalregister": (".json",), "gta": (".csv", ".json")}


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
def _ontology_triples() -> tuple[str, ...]:
    """The ontology as N-Triples, blank nodes skolemised to stable IRIs.

    Skolem IRIs (RDF 1.1, ``/.well-known/genid/``) let the same triples be written to the
    ontology graph and to the default graph in one update, and removed again by matching.
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
    return tuple(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8").splitlines())


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
    if path.suffix in (".json", ".csv"):  # official records, told from Label Studio by their fields
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
    bench/identity.py). ``publisher`` is the default publisher of documents whose format has
    no place for one (brat without ``.meta.yaml``, doccano); ``predictions`` loads a Label
    Studio task's prediction when it has no annotation.
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


def load_paths(store: Store, paths: Iterable[Path | str], registry: Path | str | None = None,
               progress: Callable[[int, int], None] | None = None, *, format: str = "auto",
               mapping: TypeMapping | Path | str | None = None, lenient: bool = False,
               strict: bool = False, identity: bool = True, publisher: str | None = None,
               predictions: bool = False) -> LoadReport:
    """Load every article under ``paths`` into ``store``; replace articles already there.

    Articles new to the store are added in chunks of whole articles (each chunk atomic,
    the fast path); articles already there are replaced in transactions. The ontology,
    the registry and the derived claim statuses are written last, in one transaction.
    ``format``, ``mapping``, ``lenient``, ``strict``, ``identity``, ``publisher`` and
    ``predictions`` are as for ``compile_paths``; claims are merged across articles either way.
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
    report.merges = _merge_claims(store, compiled, index, present)
    for article in compiled:
        _fingerprint(article)
    fresh = [a for a in compiled if a.iri not in present]
    loaded = _versions(store) if len(fresh) < len(compiled) else {}
    unchanged = [a for a in compiled if a.iri in present and loaded.get(a.iri) == a.version]
    replaced = [a for a in compiled if a.iri in present and loaded.get(a.iri) != a.version]
    _count(report, unchanged, progress, len(compiled))
    for batch in _chunks(fresh, CHUNK_QUADS):
        store.add_graphs({a.iri: a.triples for a in batch})
        _count(report, batch, progress, len(compiled))
    for batch in _chunks(replaced, CHUNK_QUADS):
        store.replace_graphs({a.iri: a.triples for a in batch})
        _count(report, batch, progress, len(compiled))
    shared = {str(ONTOLOGY_GRAPH): list(_ontology_triples())}
    if registry_lines is not None:
        shared[str(REGISTRY_GRAPH)] = registry_lines
    store.replace_graphs(shared, then=status_rule())
    store.flush()  # durable (or a clear error, such as a full disk) before the load is reported
    report.quads_after = store.quad_count()
    return report


def _merge_claims(store: Store, compiled: list[CompiledArticle], index: EntityIndex, present: set[str]) -> list[Merge]:
    """Give each claim its node across articles (graph.identity.claims), before fingerprints."""
    loading = {a.iri for a in compiled}
    stored = any(g not in loading and g.startswith(article_iri("")) for g in present)
    known = known_claims(store, excluding=loading) if stored else []
    return identify_claims(compiled, known, read_judgements(judgements_beside(index.path)))


def _fingerprint(article: CompiledArticle) -> None:
    """Stamp the article with a hash of its triples (schema:version), so that reloading an
    unchanged article writes nothing."""
    digest = hashlib.sha256("\n".join(article.triples).encode("utf-8")).hexdigest()[:32]
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
        if batch and size + len(article.triples) > max_quads:
            yield batch
            batch, size = [], 0
        batch.append(article)
        size += len(article.triples)
    if batch:
        yield batch


def _count(report: LoadReport, batch: list[CompiledArticle], progress, total: int) -> None:
    report.articles.extend(a.id for a in batch)
    report.events += sum(a.events for a in batch)
    if progress:
        progress(len(batch), total)


def remove_articles(store: Store, article_ids: Iterable[str]) -> list[str]:
    """Remove articles (their named graphs) by id; return the ids that were present."""
    present = set(store.graphs())
    iris = {a: article_iri(a) for a in article_ids}
    found = [a for a, g in iris.items() if g in present]
    store.remove_graphs([iris[a] for a in found], then=status_rule())
    return found


