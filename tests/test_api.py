"""The package's public names, and no work at import time."""

from __future__ import annotations

import subprocess
import sys

import graph


def test_public_names_are_exactly_these():
    assert set(graph.__all__) == {
        "__version__", "ArticleDoc", "read_article",
        "AutokgError", "AnnotationError", "RegistryError", "UnknownEntityError", "QueryError",
        "StoreError", "StoreBusyError", "Problem",
        "LoadReport", "load_paths", "compile_paths", "remove_articles",
        "QueryFile", "find_query", "list_queries", "run_query", "resolve_entity",
        "QueryResult", "Store", "open_store",
    }
    for name in graph.__all__:
        assert hasattr(graph, name), name


def test_errors_share_one_root():
    for name in ("AnnotationError", "RegistryError", "UnknownEntityError", "QueryError", "StoreError", "StoreBusyError"):
        assert issubclass(getattr(graph, name), graph.AutokgError)


def test_importing_reads_no_files_and_opens_no_store(tmp_path):
    code = ("import builtins, graph, graph.cli; "
            "import graph.schema as s, graph.loading as l; "
            "assert s.load_schema.cache_info().currsize == 0; "
            "assert l.status_rule.cache_info().currsize == 0")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / ".autokg").exists()
