"""The package's public names, and no work at import time."""

from __future__ import annotations

import subprocess
import sys
import types

import graph


def test_public_names_are_exactly_these():
    assert set(graph.__all__) == {
        "__version__", "ArticleDoc", "read_article",
        "AutokgError", "AnnotationError", "RegistryError", "UnknownEntityError", "QueryError",
        "AnalysisError", "OutputError", "StoreError", "StoreBusyError", "Problem",
        "LoadReport", "load_paths", "compile_paths", "remove_articles",
        "QueryFile", "find_query", "list_queries", "run_query", "resolve_entity",
        "QueryResult", "Store", "open_store", "actor_graph",
    }
    for name in graph.__all__:
        assert hasattr(graph, name), name


def test_all_is_sorted_and_holds_every_public_name():
    """As httpx tests its __all__: every public name the package defines is exported, nothing
    else is, and the list is sorted (submodules such as graph.store are reached by import).
    Most names are imported on first use, so they are read through dir() and getattr()."""
    public = sorted((name for name in dir(graph)
                     if (not name.startswith("_") or name == "__version__")
                     and not isinstance(getattr(graph, name), types.ModuleType)),
                    key=str.casefold)
    assert graph.__all__ == public


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


TRICKY_VALUES = [
    'tab\there, newline\nthere, quote " and \\ backslash', "apostrophe ' and \u00e9, \U0001f697, \u202e RTL",
    "carriage\rreturn and bell \x07", "", "<not an IRI>", "_:not-a-blank-node", "12", "true", '"quoted"',
    "\\u0041 stays six characters", "a\\tb",
]


def test_select_values_gives_each_terms_value_like_query(empty_store):
    """select_values (TSV written by Oxigraph, read back by us) equals the terms' .value."""
    import pyoxigraph as ox

    subject, xsd = ox.NamedNode("https://example.org/s"), "http://www.w3.org/2001/XMLSchema#"
    objects = [ox.Literal(v) for v in TRICKY_VALUES] + [
        ox.Literal(value, datatype=ox.NamedNode(xsd + kind))
        for value, kind in [("42", "integer"), ("2.5", "decimal"), ("false", "boolean"), ("2026-02", "gYearMonth")]
    ] + [
        ox.Literal("Grüße", language="de"), ox.NamedNode("https://example.org/ü?q=1#f"),
    ]  # no blank nodes: autokg writes none (the ontology's are skolemised)
    lines = [f"{subject} <https://example.org/p{i}> {o} ." for i, o in enumerate(objects)]
    empty_store.add_graphs({"https://example.org/graph": lines})
    sparql = ("SELECT ?p ?o ?unbound WHERE { GRAPH <https://example.org/graph> { ?s ?p ?o } "
              "OPTIONAL { ?s <https://example.org/none> ?unbound } } ORDER BY ?p")
    expected = [[r["p"], r["o"], r["unbound"]] for r in empty_store.query(sparql).records()]
    got = empty_store.select_values(sparql)
    assert got == expected
    assert sorted(TRICKY_VALUES) == sorted(row[1] for row in got if row[1] in TRICKY_VALUES)
