"""Exports: the store as standard RDF, or the actor graph as GraphML, GEXF or a CSV edge list.

RDF is streamed from the store to the output (the embedded store dumps straight into the
file; a remote store is read graph by graph through the Graph Store Protocol), so exporting a
large store never builds it in memory. TriG, N-Quads and JSON-LD hold the whole dataset:
the default graph, which is the merged knowledge graph (every fact once, with the derived
claim statuses), and every named graph (each article's assertions, the registry, the
ontology). So a dump loaded into any SPARQL store answers the query files as autokg does.
Turtle and N-Triples hold one graph: ask for an article's, ``ontology``, ``registry``, or
``merged`` (the default graph).

JSON-LD is compacted with autokg's published context (``ontology/context.jsonld``, shipped
in the package and written inline, so reading a dump needs no network): IRIs as ``ak:``,
``id:``, ``schema:`` ... compact IRIs, every literal as ``@value`` with its ``@type`` or
``@language``, so nothing is lost to JSON numbers.

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
import json
import tempfile
from collections.abc import Iterable
from functools import cache
from typing import BinaryIO

import pyoxigraph as ox

from .errors import AutokgError, StoreError
from .store import MERGED, Store
from .terms import ID, PREFIXES, article_iri

__all__ = ["RDF_FORMATS", "ACTOR_GRAPH_FORMATS", "FORMATS", "EDGE_COLUMNS", "export_rdf", "export_actor_graph",
           "graph_iri", "GRAPH_NAMES", "jsonld_context", "write_jsonld"]

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
# The names --graph takes besides an article id or a graph IRI.
GRAPH_NAMES = (*_SHARED_GRAPHS, MERGED)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
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
                         f"(see `autokg query sources`), one of {', '.join(GRAPH_NAMES)}, or a graph IRI")
    return iri


def export_rdf(store: Store, output: BinaryIO, fmt: str, graph: str | None = None) -> None:
    """Write the store (or one named graph of it) to ``output`` in ``fmt`` (a key of RDF_FORMATS).

    Without ``graph``, formats with named graphs (nq, trig, jsonld) get every graph; Turtle
    and N-Triples get the store's only graph, or an error if it has several.
    """
    rdf_format = RDF_FORMATS[fmt]
    if rdf_format == ox.RdfFormat.JSON_LD:
        _export_jsonld(store, output, None if graph is None else graph_iri(store, graph))
        return
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


@cache
def jsonld_context() -> dict:
    """autokg's JSON-LD context: the prefixes of its namespaces (ontology/context.jsonld)."""
    from .resources import ontology_dir

    return json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def _export_jsonld(store: Store, output: BinaryIO, graph: str | None) -> None:
    """The dataset (or one graph) as compacted JSON-LD, through a temporary N-Quads file so
    that neither the store nor the document is ever held in memory."""
    fmt = ox.RdfFormat.N_QUADS if graph is None else ox.RdfFormat.N_TRIPLES
    with tempfile.TemporaryFile() as spool:
        if graph is None:
            store.dump(spool, fmt)
        else:
            store.dump(spool, fmt, graph)
        spool.seek(0)
        items = ox.parse(spool, fmt)
        write_jsonld((i if isinstance(i, ox.Quad) else ox.Quad(i.subject, i.predicate, i.object, ox.DefaultGraph())
                      for i in items), output)


def _compactor(context: dict):
    namespaces = sorted(((ns, prefix) for prefix, ns in context.items() if isinstance(ns, str)),
                        key=lambda item: -len(item[0]))

    @cache
    def compact(iri: str) -> str:
        for ns, prefix in namespaces:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri
    return compact


def write_jsonld(quads: Iterable[ox.Quad], output: BinaryIO, context: dict | None = None) -> None:
    """Write quads as one compacted JSON-LD document, streaming: default-graph nodes at the
    top of ``@graph``, each named graph as ``{"@id": graph, "@graph": [...]}``. Quads that
    share a graph and subject in a row make one node object (a node split over several
    objects is merged again by every JSON-LD reader)."""
    context = jsonld_context() if context is None else context
    compact = _compactor(context)

    def node_id(term) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact(term.value)

    def value(term) -> dict:
        if isinstance(term, (ox.NamedNode, ox.BlankNode)):
            return {"@id": node_id(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _XSD_STRING:
            return {"@value": term.value}
        return {"@value": term.value, "@type": compact(term.datatype.value)}

    text = io.TextIOWrapper(output, encoding="utf-8", newline="\n")
    text.write('{"@context": ' + json.dumps(context, indent=1) + ',\n"@graph": [')
    first_top = True  # no comma before the first entry of the top-level @graph
    graph = None  # the named graph open now (None: the default graph)
    first_in_graph = True
    node: dict | None = None
    node_key = None

    def flush_node() -> None:
        nonlocal node, first_top, first_in_graph
        if node is None:
            return
        if graph is None:
            text.write(("\n" if first_top else ",\n") + json.dumps(node, ensure_ascii=False))
            first_top = False
        else:
            text.write(("\n  " if first_in_graph else ",\n  ") + json.dumps(node, ensure_ascii=False))
            first_in_graph = False
        node = None

    def close_graph() -> None:
        nonlocal graph
        if graph is not None:
            text.write("\n]}")
            graph = None

    for q in quads:
        g = None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name
        key = (g, q.subject)
        if key != node_key:
            flush_node()
            if g != graph:
                close_graph()
                if g is not None:
                    text.write(("\n" if first_top else ",\n") + "{" + f'"@id": {json.dumps(node_id(g))}, "@graph": [')
                    first_top, first_in_graph = False, True
                    graph = g
            node, node_key = {"@id": node_id(q.subject)}, key
        if q.predicate.value == _RDF_TYPE and not isinstance(q.object, ox.Literal):
            node.setdefault("@type", []).append(node_id(q.object))
        else:
            node.setdefault(compact(q.predicate.value), []).append(value(q.object))
    flush_node()
    close_graph()
    text.write("\n]}\n")
    text.flush()
    text.detach()  # leave the caller's stream open


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
