"""A query worker: one process that answers SPARQL over stdin/stdout, so it can be killed.

Neither pyoxigraph nor the Oxigraph server stops a query once it runs (measured with
oxigraph 0.5: ``serve-read-only --timeout-s 2`` kept evaluating a cartesian ORDER BY at
8 s and 3.3 GB). A query that runs too long is stopped here by killing its process; the
pool (``graph.web.pool``) starts a fresh one.

Protocol, one request at a time: a JSON line ``{"query": ..., "format": ...}`` in; a JSON
line ``{"ok": true, "media_type": ..., "length": n}`` (or ``{"ok": false, "error": ...}``)
and then ``n`` bytes out. The worker exits when its input closes, and dies with its
parent (Linux ``PR_SET_PDEATHSIG``), so nothing outlives ``autokg serve``.

    python -I graph/web/worker.py STORE

It is started as a script, not with ``-m``, so that it imports pyoxigraph alone (0.1 s),
not the whole ``graph`` package (1.2 s): a killed worker is replaced sooner.
"""

from __future__ import annotations

import ctypes
import json
import signal
import sys

import pyoxigraph as ox

# Result formats a client may ask for, by short name, with their media types.
RESULT_FORMATS = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv"),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
}
GRAPH_FORMATS = {
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
}
# For a CONSTRUCT asked for in a results format: the closest graph format.
_GRAPH_FOR_RESULTS = {"json": "ntriples", "xml": "rdfxml", "csv": "ntriples", "tsv": "ntriples"}
_RESULTS_FOR_GRAPH = {"ntriples": "tsv", "turtle": "tsv", "rdfxml": "xml"}


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the closed input still ends the worker
        pass


class LocalBackend:
    """An embedded store folder, opened read-only: this process cannot write to it."""

    def __init__(self, path: str):
        self.store = ox.Store.read_only(path)

    def run(self, query: str, fmt: str) -> tuple[str, bytes]:
        result = self.store.query(query)
        if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
            results_format, media_type = RESULT_FORMATS[fmt if fmt in RESULT_FORMATS else _RESULTS_FOR_GRAPH[fmt]]
            return media_type, result.serialize(format=results_format)
        graph_format, media_type = GRAPH_FORMATS[fmt if fmt in GRAPH_FORMATS else _GRAPH_FOR_RESULTS[fmt]]
        return media_type, result.serialize(format=graph_format)


class RemoteBackend:
    """A SPARQL endpoint: the query is passed on; killing this process drops the connection."""

    _ACCEPT = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values", "ntriples": "application/n-triples",
               "turtle": "text/turtle", "rdfxml": "application/rdf+xml"}

    def __init__(self, url: str):
        from graph.store import RemoteStore

        self.store = RemoteStore(url)

    def run(self, query: str, fmt: str) -> tuple[str, bytes]:
        accept = self._ACCEPT[fmt] + ", application/n-triples;q=0.5, application/sparql-results+json;q=0.5"
        # RemoteStore._request carries the endpoint's settings (auth, retries, proxies, errors).
        response = self.store._request("POST", self.store.endpoints.query, query.encode("utf-8"),
                                       {"Content-Type": "application/sparql-query; charset=utf-8",
                                        "Accept": accept}, for_query=True)
        with response:
            return response.headers.get_content_type(), response.read()


def main(argv: list[str]) -> int:
    _die_with_parent()
    # Ctrl-C in a terminal reaches the whole process group: the parent decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    spec = argv[0]
    out = sys.stdout.buffer
    try:
        backend = RemoteBackend(spec) if spec.startswith(("http://", "https://")) else LocalBackend(spec)
    except Exception as exc:  # reported to the parent, which stops serve with this line
        out.write((json.dumps({"ok": False, "error": f"cannot open store {spec}: {exc}"}) + "\n").encode())
        out.flush()
        return 1
    out.write(b'{"ok": true, "ready": true}\n')
    out.flush()
    for line in sys.stdin.buffer:
        request = json.loads(line)
        try:
            media_type, body = backend.run(request["query"], request.get("format", "tsv"))
        except SyntaxError as exc:
            header = {"ok": False, "error": f"invalid SPARQL: {exc}", "kind": "query"}
            body = b""
        except Exception as exc:  # the store's own error, passed on as one line
            kind = "query" if type(exc).__name__ == "QueryError" else "store"
            header = {"ok": False, "error": " ".join(str(exc).split()) or type(exc).__name__, "kind": kind}
            body = b""
        else:
            header = {"ok": True, "media_type": media_type, "length": len(body)}
        out.write((json.dumps(header) + "\n").encode())
        out.write(body)
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
