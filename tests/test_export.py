"""Exports: every RDF file parsed back by independent parsers is the store's graph again."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph.analysis import actor_graph
from graph.export import EDGE_COLUMNS, export_actor_graph, export_rdf
from graph.terms import article_iri

from .conftest import invoke

ARTICLE = "xiaomi-denies-ford-talks-2026-02"
RAPPER_INPUT = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "trig": "trig"}
DATASET_FORMATS = ["nq", "trig", "jsonld"]
GRAPH_FORMATS = ["ttl", "nt", "nq", "trig", "jsonld"]


DEFAULT = "(default graph)"


def _store_graphs(store) -> dict[str, Graph]:
    """The store's graphs as rdflib graphs, read by queries (not by the export code): every
    named graph, and the default graph (the merged knowledge graph) under DEFAULT."""
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    rows += [[None, *row] for row in store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows]
    lines: dict[str, list[str]] = {}
    for g, s, p, o in rows:
        lines.setdefault(g.value if g else DEFAULT, []).append(f"{s} {p} {o} .")
    return {g: Graph().parse(data="\n".join(ls), format="nt") for g, ls in lines.items()}


def _dataset_graphs(nquads: str) -> dict[str, Graph]:
    """N-Quads (written by the parser under test) as one rdflib graph per graph name."""
    lines: dict[str, list[str]] = {}
    for q in ox.parse(nquads, ox.RdfFormat.N_QUADS):
        name = DEFAULT if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        lines.setdefault(name, []).append(f"{q.subject} {q.predicate} {q.object} .")
    return {g: Graph().parse(data="\n".join(ls), format="nt") for g, ls in lines.items()}


def _same(found: dict[str, Graph], expected: dict[str, Graph]) -> None:
    assert sorted(found) == sorted(expected)
    for name, graph in expected.items():
        assert isomorphic(found[name], graph), name


def _oxigraph_nquads(path, fmt: str, graph: str | None) -> str:
    rdf_format = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
                  "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    items = list(ox.parse(path=str(path), format=rdf_format))
    if graph:  # a triples file: put the triples back in their graph
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in items]
    return ox.serialize(items, format=ox.RdfFormat.N_QUADS).decode("utf-8")


def _rapper_nquads(path, fmt: str, graph: str | None) -> str:
    rapper = shutil.which("rapper")
    if not rapper:
        pytest.skip("rapper is not installed (make test installs raptor2-utils)")
    result = subprocess.run([rapper, "-q", "-i", RAPPER_INPUT[fmt], "-o", "nquads", str(path), "http://example.org/"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    if graph:
        lines = [line[:-1].rstrip() + f" <{graph}> ." for line in result.stdout.splitlines() if line.strip()]
        return "\n".join(lines)
    return result.stdout


def _pyld_nquads(path, fmt: str, graph: str | None) -> str:
    from pyld import jsonld

    doc = json.loads(path.read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    if graph:
        lines = [line[:-1].rstrip() + f" <{graph}> ." for line in nquads.splitlines() if line.strip()]
        return "\n".join(lines)
    return nquads


PARSERS = {"oxigraph": _oxigraph_nquads, "rapper": _rapper_nquads, "pyld": _pyld_nquads}
CASES = [(fmt, None, parser) for fmt in DATASET_FORMATS for parser in ("oxigraph", "rapper", "pyld")
         if (parser == "pyld") == (fmt == "jsonld") or parser == "oxigraph"]
CASES += [(fmt, ARTICLE, parser) for fmt in GRAPH_FORMATS for parser in ("oxigraph", "rapper", "pyld")
          if ((parser == "pyld") == (fmt == "jsonld") or parser == "oxigraph")]


@pytest.mark.parametrize("fmt, graph, parser", CASES, ids=lambda x: str(x))
def test_rdf_export_reads_back_as_the_stores_graph(store, tmp_path, fmt, graph, parser):
    path = tmp_path / f"export.{fmt}"
    with open(path, "wb") as out:
        export_rdf(store, out, fmt, graph)
    iri = article_iri(graph) if graph else None
    expected = _store_graphs(store)
    if iri:
        expected = {iri: expected[iri]}
    _same(_dataset_graphs(PARSERS[parser](path, fmt, iri)), expected)


def test_turtle_of_a_store_with_several_graphs_is_refused_clearly(runner, tmp_path):
    store = tmp_path / "store"
    from .conftest import REGISTRY, SEED_ARTICLE

    assert invoke(runner, store, "load", "--registry", str(REGISTRY), str(SEED_ARTICLE)).exit_code == 0
    for fmt in ("ttl", "nt"):
        result = invoke(runner, store, "export", "--format", fmt, "--out", str(tmp_path / f"x.{fmt}"))
        assert result.exit_code == 1
        assert "holds a single graph and the store has 4 named graphs: give --graph ARTICLE_ID" in result.stderr
        assert not (tmp_path / f"x.{fmt}").exists() and not (tmp_path / f"x.{fmt}.part").exists()
    result = invoke(runner, store, "export", "--graph", "no-such-article", "--format", "nt")
    assert result.exit_code == 1 and "has no graph 'no-such-article'" in result.stderr
    result = invoke(runner, store, "export", "--out", str(tmp_path / "all.trig"))
    assert result.exit_code == 0 and (tmp_path / "all.trig").stat().st_size > 0
    merged = tmp_path / "merged.nt"
    result = invoke(runner, store, "export", "--format", "nt", "--graph", "merged", "--out", str(merged))
    assert result.exit_code == 0
    lines = merged.read_text().splitlines()
    assert len(lines) == len(set(lines)), "the merged graph holds each triple once"
    assert any("#denied>" in line and "#status>" in line for line in lines), "derived statuses are in it"


def test_csv_edge_list_has_a_header_and_one_row_per_claim_edge(store, tmp_path):
    path = tmp_path / "edges.csv"
    with open(path, "wb") as out:
        export_actor_graph(store, out, "csv")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == EDGE_COLUMNS
    assert len(rows) == actor_graph(store).number_of_edges()
    denied = [r for r in rows if r["claim"] == "ford-xiaomi-joint-venture-talks"]
    assert denied and {r["status"] for r in denied} == {"denied"}
    assert {denied[0]["source"], denied[0]["target"]} == {"ford-motor-company", "xiaomi"}


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_read_back_in_networkx(store, tmp_path, fmt, read):
    path = tmp_path / f"actors.{fmt}"
    with open(path, "wb") as out:
        export_actor_graph(store, out, fmt)
    G = actor_graph(store)
    back = read(path)
    assert back.number_of_nodes() == G.number_of_nodes()
    assert back.number_of_edges() == G.number_of_edges()
