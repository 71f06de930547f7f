"""A dump answers like the store: export N-Quads, TriG or JSON-LD, load the file into a fresh
Oxigraph server with plain HTTP (no autokg on the way in or out), run every query file there,
and get the rows the embedded store gives."""

from __future__ import annotations

import json
import urllib.request

import pyoxigraph as ox
import pytest

from graph import list_queries, run_query
from graph.export import export_rdf, jsonld_context
from graph.queries import bind_parameters
from graph.store import bind_values
from graph.terms import PREFIXES

from .conftest import OxigraphServer

MEDIA_TYPES = {"nq": "application/n-quads", "trig": "application/trig", "jsonld": "application/ld+json"}
# Values for required parameters, and a few optional ones, so each query is asked as a user would.
PARAMS = {"entity-profile": {"entity": "Xiaomi"}}
AK_STATUS = "https://w3id.org/autokg#status"


def _http(url: str, body: bytes, content_type: str, accept: str | None = None) -> bytes:
    headers = {"Content-Type": content_type, **({"Accept": accept} if accept else {})}
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=120) as response:
        return response.read()


def _cell(term) -> str:
    """A term as N-Triples text; the parts of a GROUP_CONCAT list sorted, since SPARQL leaves
    their order to the store (and it follows the order the data was loaded in)."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and "; " in term.value:
        return str(ox.Literal("; ".join(sorted(term.value.split("; "))), datatype=term.datatype))
    return str(term)


def _rows(variables, rows) -> list[tuple]:
    return sorted(tuple(_cell(t) for t in row) for row in rows)


def _dump(store, fmt: str, tmp_path) -> bytes:
    path = tmp_path / f"dump.{fmt}"
    with open(path, "wb") as out:
        export_rdf(store, out, fmt)
    return path.read_bytes()


@pytest.mark.remote
@pytest.mark.parametrize("fmt", list(MEDIA_TYPES))
def test_a_dump_loaded_into_a_fresh_oxigraph_server_answers_every_query_the_same(examples_memory, tmp_path, fmt):
    dump = _dump(examples_memory, fmt, tmp_path)
    server = OxigraphServer(tmp_path / "db").start()
    try:
        _http(f"{server.url}/store", dump, MEDIA_TYPES[fmt])
        asked = 0
        for query in list_queries():
            bindings = bind_parameters(examples_memory, query, PARAMS.get(query.name, {}))
            expected = run_query(examples_memory, query, PARAMS.get(query.name, {}))
            answer = _http(f"{server.url}/query", bind_values(query.sparql, bindings).encode("utf-8"),
                           "application/sparql-query", "application/sparql-results+json")
            got = ox.parse_query_results(answer, ox.QueryResultsFormat.JSON)
            got_vars = [v.value for v in got.variables]
            assert got_vars == expected.variables, query.name
            assert _rows(got_vars, list(got)) == _rows(expected.variables, expected.rows), query.name
            asked += bool(expected.rows)
        assert asked >= 8, "most query files have answers on the examples_memory"
    finally:
        server.stop()


@pytest.mark.parametrize("fmt", list(MEDIA_TYPES))
def test_dataset_dumps_hold_the_merged_default_graph_with_statuses(examples_memory, tmp_path, fmt):
    dump = _dump(examples_memory, fmt, tmp_path)
    rdf_format = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    statuses = [q for q in ox.parse(dump, rdf_format)
                if q.predicate.value == AK_STATUS and isinstance(q.graph_name, ox.DefaultGraph)]
    expected = examples_memory.query("SELECT (COUNT(*) AS ?n) WHERE { ?c <https://w3id.org/autokg#status> ?s }")
    assert len(statuses) == int(expected.rows[0][0].value) > 0


def test_jsonld_is_compacted_with_the_published_context(examples_memory, tmp_path):
    doc = json.loads(_dump(examples_memory, "jsonld", tmp_path))
    assert doc["@context"] == jsonld_context()
    keys = {k for entry in doc["@graph"] for node in [entry, *entry.get("@graph", [])] for k in node}
    assert {"ak:status", "schema:headline", "@type"} <= keys
    assert not any(k.startswith("http") for k in keys), "every property of autokg's own is a compact IRI"
    named = [entry["@id"] for entry in doc["@graph"] if "@graph" in entry]
    assert "id:graph/ontology" in named and "id:graph/registry" in named


def test_the_context_ships_in_the_package_and_covers_every_prefix():
    from graph.resources import ontology_dir

    shipped = json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert {k: shipped.get(k) for k in PREFIXES} == PREFIXES


def test_help_and_readme_name_the_graphs_that_exist(runner):
    from graph.cli import cli
    from graph.export import GRAPH_NAMES

    from .conftest import ROOT

    help_text = " ".join(runner.invoke(cli, ["export", "--help"]).output.split())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Exports"):readme.index("## Using a shared triple store")]
    for name in GRAPH_NAMES:
        assert name in help_text and f"`{name}`" in section, name
    assert "derived" not in help_text.replace("derived claim statuses", "")
    assert "`derived`" not in readme
