"""autokg: a knowledge graph of automaker–policy relations, built from annotated news articles.

Library first: load articles into a store, ask questions of it, get typed answers
(the README's "Python API" section has a worked example that a test runs).

>>> from graph import open_store, load_paths, run_query
>>> store = open_store("memory")
>>> report = load_paths(store, ["examples/"])                        # doctest: +SKIP
>>> run_query(store, "tariffs").to_python()[0]["rate"]                # doctest: +SKIP
Decimal('25')
"""

from .analysis import actor_graph
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
from .loading import LoadReport, compile_paths, load_paths, remove_articles
from .queries import QueryFile, find_query, list_queries, resolve_entity, run_query
from .readers.annotations import ArticleDoc, read_article
from .store import QueryResult, Store, open_store

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
