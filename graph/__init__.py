"""autokg: a knowledge graph of automaker–policy relations, built from annotated news articles.

Library first: load articles into a store, ask questions of it.

>>> from graph import open_store, load_paths, run_query
>>> store = open_store("memory")
>>> report = load_paths(store, ["examples/"])                     # doctest: +SKIP
>>> run_query(store, "who-talked-to-whom").records()[0]["status"]  # doctest: +SKIP
'reported'
"""

from .errors import (
    AnnotationError,
    AutokgError,
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

__all__ = [
    "__version__",
    "ArticleDoc", "read_article",
    "AutokgError", "AnnotationError", "RegistryError", "UnknownEntityError", "QueryError",
    "StoreError", "StoreBusyError", "Problem",
    "LoadReport", "load_paths", "compile_paths", "remove_articles",
    "QueryFile", "find_query", "list_queries", "run_query", "resolve_entity",
    "QueryResult", "Store", "open_store",
]
