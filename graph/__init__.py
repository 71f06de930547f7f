"""autokg: a knowledge graph of automaker–policy relations, built from annotated news articles.

Library first: load articles into a store, ask questions of it, get typed answers
(the README's "Python API" section has a worked example that a test runs).

>>> from graph import open_store, load_paths, run_query
>>> store = open_store("memory")
>>> report = load_paths(store, ["examples/"])                        # doctest: +SKIP
>>> run_query(store, "tariffs").to_python()[0]["rate"]                # doctest: +SKIP
Decimal('25')
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING

from .errors import (
    AnalysisError,
    AnnotationError,
    AutokgError,
    OutputError,
    Problem,
    QueryError,
    RegistryError,
    StoreBusyError,
    StoreError,
    UnknownEntityError,
)

# The rest is imported on first use (PEP 562), so that `import graph` - and every `autokg`
# command, which imports it - does not pay for rdflib, pyoxigraph and the readers it may not need.
_LAZY = {
    "actor_graph": "analysis",
    "LoadReport": "loading", "compile_paths": "loading", "load_paths": "loading", "remove_articles": "loading",
    "QueryFile": "queries", "find_query": "queries", "list_queries": "queries", "resolve_entity": "queries",
    "run_query": "queries",
    "ArticleDoc": "readers.annotations", "read_article": "readers.annotations",
    "QueryResult": "store", "Store": "store", "open_store": "store",
}


if _TYPE_CHECKING:  # what the lazy names are, for type checkers and editors
    from .analysis import actor_graph
    from .loading import LoadReport, compile_paths, load_paths, remove_articles
    from .queries import QueryFile, find_query, list_queries, resolve_entity, run_query
    from .readers.annotations import ArticleDoc, read_article
    from .store import QueryResult, Store, open_store


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"

# Sorted (case-insensitively), and exactly the public names: tests/test_api.py checks both.
__all__ = [
    "__version__",
    "actor_graph",
    "AnalysisError",
    "AnnotationError",
    "ArticleDoc",
    "AutokgError",
    "compile_paths",
    "find_query",
    "list_queries",
    "load_paths",
    "LoadReport",
    "open_store",
    "OutputError",
    "Problem",
    "QueryError",
    "QueryFile",
    "QueryResult",
    "read_article",
    "RegistryError",
    "remove_articles",
    "resolve_entity",
    "run_query",
    "Store",
    "StoreBusyError",
    "StoreError",
    "UnknownEntityError",
]
