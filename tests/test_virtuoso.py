"""Virtuoso (Debian's virtuoso-opensource, the engine behind DBpedia) as a second remote store:
load, reload and remove leave the same graphs and statuses as the embedded store, and every
query file, and every look-up a query file runs for a parameter, gives the same rows."""

from __future__ import annotations

import shutil
from collections import Counter

import pyoxigraph as ox
import pytest
import yaml

from graph import list_queries, load_paths, open_store, remove_articles, run_query
from graph.queries import internal_query

from .conftest import EXAMPLES, invoke

pytestmark = [pytest.mark.remote, pytest.mark.virtuoso]
PARAMS = {"entity-profile": {"entity": "Xiaomi"}}
REMOVED = "xiaomi-denies-ford-talks-2026-02"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + n for n in ("nonNegativeInteger", "positiveInteger", "int", "long", "short", "byte")}

# No query file is excused: where Virtuoso 7.2.5 (Debian 12) evaluated one differently, the
# query (or what the loader writes) was put in a form both stores evaluate as SPARQL 1.1 says
# (README, "Virtuoso").


def _cell(term) -> str:
    """A term as N-Triples text, with what SPARQL leaves to the store made equal: GROUP_CONCAT's
    order, an empty GROUP_CONCAT ("" on Virtuoso, unbound on Oxigraph), integer subtypes."""
    if term is None or (isinstance(term, ox.Literal) and term.value == "" and term.datatype.value == _XSD + "string"):
        return ""
    if isinstance(term, ox.Literal) and term.datatype.value in _INTEGERS:
        term = ox.Literal(term.value, datatype=ox.NamedNode(_XSD + "integer"))
    if isinstance(term, ox.Literal) and "; " in term.value:
        return str(ox.Literal("; ".join(sorted(term.value.split("; "))), datatype=term.datatype))
    return str(term)


def _rows(result) -> list[tuple]:
    return [tuple(result.variables)] + sorted(tuple(_cell(t) for t in row) for row in result.rows)


def _answer(store, name: str) -> list[tuple]:
    return _rows(run_query(store, name, PARAMS.get(name, {})))


def _graph_sizes(store) -> Counter:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").records()
    graphs = set(store.graphs())
    return Counter({r["g"]: int(r["n"]) for r in rows if r["g"] in graphs})


def _merged_size(store) -> int:
    return int(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value)


def _merged(store) -> set[tuple]:
    """The merged graph's triples (the claims' summaries among them), terms as in _cell."""
    return {tuple(_cell(t) for t in row) for row in store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows}


@pytest.fixture(scope="module")
def both(virtuoso_server):
    """The examples loaded into the embedded store and into Virtuoso."""
    virtuoso_server.clear()
    embedded, virtuoso = open_store("memory"), virtuoso_server.store()
    load_paths(embedded, [EXAMPLES])
    load_paths(virtuoso, [EXAMPLES])
    yield embedded, virtuoso
    virtuoso.close()


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_query_file_gives_the_embedded_stores_rows(both, name):
    embedded, virtuoso = both
    expected = _answer(embedded, name)
    assert len(expected) > 1, f"{name} has answers on the examples"
    assert _answer(virtuoso, name) == expected


@pytest.mark.parametrize("name, param", [(q.name, p) for q in list_queries() for p in sorted(q.lookups)])
def test_every_look_up_gives_the_embedded_stores_rows(both, name, param):
    embedded, virtuoso = both
    bindings = {param: SAMPLES_FOR.get((name, param), SAMPLES[param])}
    expected = _rows(run_query(embedded, name, bindings))
    assert len(expected) > 1, f"{name} with {bindings} has answers on the examples"
    assert _rows(run_query(virtuoso, name, bindings)) == expected


# A value for each parameter a query file declares, one with answers on the examples.
SAMPLES = {"party": "China", "entity": "Xiaomi", "authority": "European Union", "measure": "eu-cvd-bev-byd",
           "organization": "MOFCOM", "target": "us-section-232-auto-tariff", "article": REMOVED,
           "maker": "Volvo Cars", "since": "2025-01", "until": "2025-06"}


SAMPLES_FOR = {("investigations", "authority"): "European Commission"}


@pytest.mark.parametrize("name, param", [(q.name, p.name) for q in list_queries() for p in q.parameters])
def test_every_parameter_gives_the_embedded_stores_rows(both, name, param):
    embedded, virtuoso = both
    bindings = {param: SAMPLES_FOR.get((name, param), SAMPLES[param])}
    expected = _rows(run_query(embedded, name, bindings))
    assert len(expected) > 1, f"{name} with {bindings} has answers on the examples"
    assert _rows(run_query(virtuoso, name, bindings)) == expected


def test_load_writes_the_same_graphs_merged_graph_and_statuses(both):
    embedded, virtuoso = both
    assert virtuoso.graphs() == embedded.graphs()
    assert _graph_sizes(virtuoso) == _graph_sizes(embedded)
    assert _merged_size(virtuoso) == _merged_size(embedded)
    assert _merged(virtuoso) == _merged(embedded)
    for internal in ("claim-statuses.rq", "stats.rq", "articles.rq", "entity-names.rq", "actor-nodes.rq",
                     "claim-classes.rq", "event-classes.rq"):
        assert _rows(virtuoso.query(internal_query(internal))) == _rows(embedded.query(internal_query(internal))), internal


def test_the_actor_graph_and_the_entity_list_are_the_embedded_stores(both):
    """What autokg builds from the internal queries' rows: Virtuoso gives booleans as the
    integers 1 and 0 (the actor graph's `directed`, the entity list's `declared`)."""
    from dataclasses import asdict

    from graph import actor_graph
    from graph.resolution import list_entities

    def edges(G):
        return sorted((u, v, d["relation"], d["directed"], d["status"], str(d["date"]), str(d["when"]),
                       tuple(sorted(d["articles"])), tuple(sorted(map(tuple, d["evidence"]))))
                      for u, v, d in G.edges(data=True))

    def nodes(G):
        return sorted((n, *(str(d.get(k)) for k in ("label", "type", "country", "slug"))) for n, d in G.nodes(data=True))

    embedded, virtuoso = both
    ours, theirs = actor_graph(embedded), actor_graph(virtuoso)
    assert any(d["directed"] for _, _, d in ours.edges(data=True))
    assert nodes(theirs) == nodes(ours)
    assert edges(theirs) == edges(ours)
    assert [asdict(e) for e in list_entities(virtuoso)] == [asdict(e) for e in list_entities(embedded)]


def test_reload_and_remove_keep_virtuoso_in_step(virtuoso_server, tmp_path):
    virtuoso_server.clear()
    embedded, virtuoso = open_store("memory"), virtuoso_server.store()
    for store in (embedded, virtuoso):
        load_paths(store, [EXAMPLES])
        load_paths(store, [EXAMPLES])  # reloading changes nothing
    assert _graph_sizes(virtuoso) == _graph_sizes(embedded)
    assert _merged_size(virtuoso) == _merged_size(embedded)
    assert _merged(virtuoso) == _merged(embedded)
    assert remove_articles(virtuoso, [REMOVED]) == remove_articles(embedded, [REMOVED]) == [REMOVED]
    assert _graph_sizes(virtuoso) == _graph_sizes(embedded)
    # the summaries of the claims the removed article stated are derived from the others alone
    # (on Virtuoso the merged graph is a named graph too, and still held the removed article)
    assert _merged(virtuoso) == _merged(embedded)
    statuses = internal_query("claim-statuses.rq")
    assert _rows(virtuoso.query(statuses)) == _rows(embedded.query(statuses))
    for name in ("entity-profile", "reactions", "timeline"):
        assert _answer(virtuoso, name) == _answer(embedded, name), name
    for store in (embedded, virtuoso):
        load_paths(store, [EXAMPLES])  # the removed article comes back
    assert _merged(virtuoso) == _merged(embedded)
    # An article changed: Ford's denial taken out. Its claims' summaries come from the new
    # version and the other articles, not from the merged graph's old triples.
    changed = tmp_path / "examples"
    shutil.copytree(EXAMPLES, changed)
    ford = changed / "articles" / "2026-02-ford-denies-xiaomi-talks.yaml"
    doc = yaml.safe_load(ford.read_text(encoding="utf-8"))
    doc["events"] = [e for e in doc["events"] if e["id"] != "ford-denies-xiaomi-joint-venture"]
    ford.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    for store in (embedded, virtuoso):
        load_paths(store, [changed])
    assert _merged(virtuoso) == _merged(embedded)
    denied = "SELECT ?who WHERE { <https://w3id.org/autokg/id/event/ford-xiaomi-joint-venture-talks> ak:deniedBy ?who }"
    denied = "PREFIX ak: <https://w3id.org/autokg#> " + denied
    assert {r["who"] for r in virtuoso.query(denied).records()} == {r["who"] for r in embedded.query(denied).records()}
    assert "https://w3id.org/autokg/id/ford-motor-company" not in {r["who"] for r in virtuoso.query(denied).records()}
    virtuoso.close()


def test_the_cli_runs_against_virtuoso(runner, virtuoso_server, monkeypatch):
    virtuoso_server.clear()
    for name, value in virtuoso_server.env.items():
        monkeypatch.setenv(name, value)
    url = virtuoso_server.url
    result = invoke(runner, url, "load", str(EXAMPLES / "articles" / "2026-02-xiaomi-denies-ford-talks.yaml"))
    assert result.exit_code == 0 and f"into SPARQL endpoint {url}" in result.output
    result = invoke(runner, url, "query", "contested-claims", "--format", "csv")
    assert "Ford Motor Company, Xiaomi" in result.output and "denied" in result.output
    result = invoke(runner, url, "export", "--format", "nq")
    quads = list(ox.parse(result.stdout_bytes, ox.RdfFormat.N_QUADS))
    assert any(q.predicate.value.endswith("#status") and isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
    result = invoke(runner, url, "remove", REMOVED)
    assert result.exit_code == 0 and "Removed 1 article(s)." in result.output
