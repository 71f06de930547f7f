"""The load pipeline: find files -> parse + validate -> resolve -> assert -> store.

Every file is parsed and checked before anything is written, so a load with any
problem writes nothing. Articles are then written in batches; each batch replaces its
articles' named graphs, the ontology and registry graphs, and the derived claim
statuses in one transaction, so the store only ever holds whole articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Callable, Iterable

from .annotations import read_article
from .assertions import CompiledArticle, compile_article, registry_triples
from .errors import AnnotationError, Problem
from .registry import REGISTRY_FILENAME, EntityIndex, read_registry
from .resources import ontology_file, queries_dir
from .schema import load_schema
from .store import Store
from .terms import ONTOLOGY_GRAPH, REGISTRY_GRAPH, article_iri

__all__ = ["LoadReport", "load_paths", "compile_paths", "find_article_files", "find_registry",
           "remove_articles", "status_rule", "CHUNK_QUADS"]

# Quads written per call: each call is one transaction (or one atomic bulk ingest, which
# must stay far below Oxigraph's bulk-load batch of a million quads to be atomic).
CHUNK_QUADS = 100_000
_SKIP_DIRS = {"mappings", "counterexamples"}


@dataclass
class LoadReport:
    articles: list[str] = field(default_factory=list)
    events: int = 0
    quads_before: int = 0
    quads_after: int = 0
    registry: str | None = None


@cache
def status_rule() -> str:
    """The SPARQL update that derives claim statuses (queries/internal/claim-status.ru)."""
    return (queries_dir() / "internal" / "claim-status.ru").read_text(encoding="utf-8")


@cache
def _ontology_triples() -> tuple[str, ...]:
    import pyoxigraph as ox

    data = ox.serialize(ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE),
                        format=ox.RdfFormat.N_TRIPLES)
    return tuple(data.decode("utf-8").splitlines())


def find_article_files(paths: Iterable[Path | str]) -> list[Path]:
    """Article files under ``paths``: YAML files other than the registry, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path).parts
                if (f.suffix in (".yaml", ".yml") and f.name != REGISTRY_FILENAME
                        and not any(p in _SKIP_DIRS or p.startswith(".") for p in rel[:-1])):
                    found.append(f)
        elif path.exists():
            found.append(path)
        else:
            raise AnnotationError([Problem(str(path), None, "no such file or directory")])
    return list(dict.fromkeys(found))


def find_registry(paths: Iterable[Path | str]) -> Path | None:
    """The registry beside the given files: ``entities.yaml`` in a given folder or a parent."""
    for raw in paths:
        path = Path(raw).resolve()
        for folder in ([path] if path.is_dir() else []) + list(path.parents):
            candidate = folder / REGISTRY_FILENAME
            if candidate.is_file():
                return candidate
    return None


def compile_paths(paths: Iterable[Path | str], registry: Path | str | None = None
                  ) -> tuple[EntityIndex, list[CompiledArticle]]:
    """Parse and check every article under ``paths``; raise one AnnotationError listing all problems."""
    paths = list(paths)
    registry_path = Path(registry) if registry else find_registry(paths)
    index = read_registry(registry_path) if registry_path else EntityIndex()
    schema = load_schema()
    problems: list[Problem] = []
    compiled: list[CompiledArticle] = []
    seen: dict[str, str] = {}
    for path in find_article_files(paths):
        try:
            article = compile_article(read_article(path), index, schema)
        except AnnotationError as exc:
            problems.extend(exc.problems)
            continue
        if article.id in seen:
            problems.append(Problem(str(path), None, f"article id {article.id!r} is also used by {seen[article.id]}"))
            continue
        seen[article.id] = str(path)
        compiled.append(article)
    if problems:
        raise AnnotationError(problems)
    return index, compiled


def load_paths(store: Store, paths: Iterable[Path | str], registry: Path | str | None = None,
               progress: Callable[[int], None] | None = None) -> LoadReport:
    """Load every article under ``paths`` into ``store``; replace articles already there.

    Articles new to the store are added in chunks of whole articles (each chunk atomic,
    the fast path); articles already there are replaced in transactions. The ontology,
    the registry and the derived claim statuses are written last, in one transaction.
    """
    index, compiled = compile_paths(paths, registry)
    report = LoadReport(quads_before=store.quad_count(), registry=index.path)
    present = set(store.graphs())
    fresh = [a for a in compiled if a.iri not in present]
    replaced = [a for a in compiled if a.iri in present]
    for batch in _chunks(fresh, CHUNK_QUADS):
        store.add_graphs({a.iri: a.triples for a in batch})
        _count(report, batch, progress)
    for batch in _chunks(replaced, CHUNK_QUADS):
        store.replace_graphs({a.iri: a.triples for a in batch})
        _count(report, batch, progress)
    shared = {str(ONTOLOGY_GRAPH): list(_ontology_triples())}
    if index.path:
        shared[str(REGISTRY_GRAPH)] = registry_triples(index)
    store.replace_graphs(shared, then=status_rule())
    report.quads_after = store.quad_count()
    return report


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


def _count(report: LoadReport, batch: list[CompiledArticle], progress) -> None:
    report.articles.extend(a.id for a in batch)
    report.events += sum(a.events for a in batch)
    if progress:
        progress(len(batch))


def remove_articles(store: Store, article_ids: Iterable[str]) -> list[str]:
    """Remove articles (their named graphs) by id; return the ids that were present."""
    present = set(store.graphs())
    iris = {a: article_iri(a) for a in article_ids}
    found = [a for a, g in iris.items() if g in present]
    store.remove_graphs([iris[a] for a in found], then=status_rule())
    return found


