"""Exports: the store as standard RDF, or the actor graph as GraphML, GEXF or a CSV edge list.

RDF is streamed from the store to the output (the embedded store dumps straight into the
file; a remote store is read graph by graph through the Graph Store Protocol), so exporting a
large store never builds it in memory. TriG, N-Quads and JSON-LD keep every named graph (each
article's assertions, the registry, the ontology). Turtle and N-Triples hold one graph: ask
for an article's, or for ``merged``, the merged knowledge graph (every fact once, with the
derived claim statuses).

>>> import io
>>> from graph import open_store
>>> out = io.BytesIO()
>>> export_rdf(open_store("memory"), out, "nq")
>>> out.getvalue()
b''
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

import pyoxigraph as ox

from .errors import AutokgError, StoreError
from .store import MERGED, Store
from .terms import ID, PREFIXES, article_iri

__all__ = ["RDF_FORMATS", "ACTOR_GRAPH_FORMATS", "FORMATS", "EDGE_COLUMNS", "export_rdf", "export_actor_graph",
           "graph_iri"]

RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
ACTOR_GRAPH_FORMATS = ("graphml", "gexf", "csv")
FORMATS = (*RDF_FORMATS, *ACTOR_GRAPH_FORMATS)
_SHARED_GRAPHS = ("ontology", "registry")
EDGE_COLUMNS = ["source", "source_label", "target", "target_label", "relation", "kind", "directed", "status",
                "date", "topic", "claim", "articles", "reported_by", "denied_by", "quote"]


def graph_iri(store: Store, name: str) -> str:
    """The graph meant by ``name``: an article id, ``ontology``, ``registry``, ``merged`` (the
    default graph), or an IRI."""
    if name == MERGED:
        return MERGED
    if name.startswith(("http://", "https://", "urn:")):
        iri = name
    elif name in _SHARED_GRAPHS:
        iri = f"{ID}graph/{name}"
    else:
        iri = article_iri(name)
    if iri not in store.graphs():
        raise StoreError(f"{store.description} has no graph {name!r}; give an article id "
                         f"(see `autokg query sources`), one of {', '.join((*_SHARED_GRAPHS, MERGED))}, or a graph IRI")
    return iri


def export_rdf(store: Store, output: BinaryIO, fmt: str, graph: str | None = None) -> None:
    """Write the store (or one named graph of it) to ``output`` in ``fmt`` (a key of RDF_FORMATS).

    Without ``graph``, formats with named graphs (nq, trig, jsonld) get every graph; Turtle
    and N-Triples get the store's only graph, or an error if it has several.
    """
    rdf_format = RDF_FORMATS[fmt]
    if graph is not None:
        store.dump(output, rdf_format, graph_iri(store, graph), **_prefixes(rdf_format))
        return
    if rdf_format.supports_datasets:
        store.dump(output, rdf_format, **_prefixes(rdf_format))
        return
    graphs = store.graphs()
    if len(graphs) > 1:
        raise AutokgError(f"{rdf_format.name} holds a single graph and the store has {len(graphs)} named graphs: "
                          "give --graph ARTICLE_ID (or --graph merged for the merged knowledge graph), "
                          "or use --format trig, nq or jsonld to keep them all")
    if graphs:
        store.dump(output, rdf_format, graphs[0], **_prefixes(rdf_format))


def _prefixes(rdf_format: ox.RdfFormat) -> dict:
    if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return {"prefixes": PREFIXES}
    return {}


def export_actor_graph(store: Store, output: BinaryIO, fmt: str) -> None:
    """Write the actor graph (see ``graph.analysis.actor_graph``) as GraphML, GEXF or a CSV edge list.

    The CSV has one row per claim edge, with the columns in ``EDGE_COLUMNS``: entity ids
    and names, relation, kind, status, date, topic, claim id, articles (``;``-separated),
    reporters, deniers, and the first evidence quote.
    """
    import networkx as nx

    from .analysis import actor_graph, exportable

    G = actor_graph(store)
    if fmt == "graphml":
        nx.write_graphml(exportable(G), output, named_key_ids=True)
    elif fmt == "gexf":
        nx.write_gexf(exportable(G), output)
    elif fmt == "csv":
        text = io.TextIOWrapper(output, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(EDGE_COLUMNS)
        for u, v, d in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2]["claim"], e[2].get("relation", ""))):
            quotes = d.get("evidence") or []
            writer.writerow([
                u.removeprefix(str(ID)), G.nodes[u].get("label", u),
                v.removeprefix(str(ID)), G.nodes[v].get("label", v),
                d.get("relation"), d.get("kind"), str(bool(d.get("directed"))).lower(), d.get("status"),
                d.get("date") or "", d.get("topic") or "", d["claim"].removeprefix(f"{ID}event/"),
                "; ".join(d.get("articles") or []), d.get("reported_by") or "", d.get("denied_by") or "",
                quotes[0][1] if quotes else ""])
        text.flush()
        text.detach()  # leave the caller's stream open
    else:
        raise ValueError(f"not an actor graph format: {fmt!r}")
