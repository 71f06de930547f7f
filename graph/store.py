"""Where the graph lives: one interface, several backends.

``open_store(spec)`` takes a directory (embedded Oxigraph on disk, the default),
``"memory"``, or an ``http(s)://`` SPARQL 1.1 endpoint. Every backend offers the same
operations: replace whole named graphs atomically, run SPARQL with bound parameters,
count and list graphs, dump RDF.

The remote backend (``RemoteStore``) speaks the SPARQL 1.1 Protocol for queries and
updates and the Graph Store HTTP Protocol to read whole named graphs. Its settings come
from the environment, so no secret ends up in a shell history:

    AUTOKG_QUERY_URL / AUTOKG_UPDATE_URL / AUTOKG_GSP_URL
        endpoints, by default the Oxigraph server layout: URL/query, URL/update, URL/store
    AUTOKG_USER + AUTOKG_PASSWORD (HTTP basic) or AUTOKG_TOKEN (bearer)
    AUTOKG_TIMEOUT      seconds per request (default 60)
    AUTOKG_RETRIES      extra attempts after a connection failure or a 502/503/504 (default 2)
    AUTOKG_GRAPHS_PER_REQUEST   named graphs written per update request (default 50)
    AUTOKG_UNION_DEFAULT_GRAPH  1 for a server whose default graph is the union of all its
        graphs (Virtuoso): the merged graph then lives in the named graph MERGED_GRAPH, which
        every request names as its default graph (``default-graph-uri``)
"""

from __future__ import annotations

import base64
import contextlib
import errno
import http.client
import ipaddress
import os
import re
import shutil
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .errors import QueryError, StoreBusyError, StoreError
from .memory import cycle_collector_paused

__all__ = ["Store", "OxigraphStore", "RemoteStore", "Endpoints", "QueryResult", "open_store", "DEFAULT_STORE",
           "store_spec", "bind_values", "python_value"]

DEFAULT_STORE = os.path.join(".autokg", "store")
# Names the default graph in ``dump``: the merged knowledge graph (every named graph's
# triples once, plus derived claim statuses).
MERGED = "merged"
# Where the merged graph lives on a server that has no default graph of its own (Virtuoso's
# is the union of all its graphs, which repeats a fact once per graph stating it).
MERGED_GRAPH = "https://w3id.org/autokg/id/graph/merged"
_AUTOKG_GRAPHS = "https://w3id.org/autokg/id/"


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {_XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}


def python_value(term):
    """The Python value of one result term: int, Decimal, float, bool, datetime.date or
    datetime.datetime for those XSD types; str for text (and for xsd:gYear / gYearMonth,
    which no Python type holds: "2026-02"); rdflib.URIRef for an IRI and rdflib.BNode for a
    blank node (both str subclasses); None for unbound. A literal that is not a valid value
    of its type stays its text."""
    import datetime
    import decimal

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        from rdflib import URIRef

        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        from rdflib import BNode

        return BNode(term.value)
    text, datatype = term.value, term.datatype.value
    try:
        if datatype in _INTEGER_TYPES:
            return int(text)
        if datatype == _XSD + "decimal":
            return decimal.Decimal(text)
        if datatype in (_XSD + "double", _XSD + "float"):
            return float(text.replace("INF", "inf"))
        if datatype == _XSD + "boolean":
            return {"true": True, "1": True, "false": False, "0": False}[text]
        if datatype == _XSD + "date":
            return datetime.date.fromisoformat(text)
        if datatype == _XSD + "dateTime":
            return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, KeyError, decimal.InvalidOperation):
        return text
    return text


@dataclass
class QueryResult:
    """Rows of a SELECT (``variables`` + ``rows`` of pyoxigraph terms or None), an ASK
    boolean, or the triples of a CONSTRUCT / DESCRIBE (``graph``: rows of subject,
    predicate, object).

    ``records()`` gives every value as text; ``to_python()`` as typed Python values,
    ``to_dataframe()`` as a pandas DataFrame, ``to_rdflib()`` a CONSTRUCT's triples as an
    rdflib Graph.
    """

    variables: list[str]
    rows: list[list]
    boolean: bool | None = None
    graph: bool = False

    def records(self) -> list[dict]:
        """Rows as dicts of plain strings (None for unbound), for code and tests."""
        return [{v: (t.value if t is not None else None) for v, t in zip(self.variables, row, strict=True)}
                for row in self.rows]

    def to_python(self) -> list[dict]:
        """Rows as dicts of typed Python values (see ``python_value``): numbers as int or
        Decimal, dates as datetime.date, IRIs as rdflib.URIRef, None for unbound."""
        return [{v: python_value(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]

    def to_dataframe(self):
        """The rows as a pandas DataFrame, one column per variable, values as in ``to_python``.

        Needs pandas: ``pip install 'autokg[dataframe]'``.
        """
        try:
            import pandas
        except ImportError:
            raise ImportError("QueryResult.to_dataframe() needs pandas: pip install 'autokg[dataframe]'") from None
        return pandas.DataFrame.from_records(self.to_python(), columns=self.variables)

    def to_rdflib(self):
        """The triples of a CONSTRUCT or DESCRIBE result as an rdflib Graph."""
        if not self.graph:
            raise QueryError("to_rdflib() takes the result of a CONSTRUCT or DESCRIBE query, not a "
                             + ("ASK" if self.boolean is not None else "SELECT"))
        from rdflib import BNode, Graph, Literal, URIRef

        def term(t):
            if isinstance(t, ox.NamedNode):
                return URIRef(t.value)
            if isinstance(t, ox.BlankNode):
                return BNode(t.value)
            if t.language:
                return Literal(t.value, lang=t.language)
            return Literal(t.value, datatype=URIRef(t.datatype.value))

        graph = Graph()
        for s, p, o in self.rows:
            graph.add((term(s), term(p), term(o)))
        return graph


class Store(Protocol):
    """What every backend can do."""

    description: str

    def replace_graphs(self, graphs: dict[str, list[str]], then: str | None = None,
                       unmerged: dict[str, list[str]] | None = None) -> None:
        """Replace each named graph with the given N-Triples lines, then run the update
        ``then``, all in one transaction: afterwards all of it holds or none of it.
        ``unmerged`` graphs are replaced too, but their triples stay out of the default graph
        (the merged knowledge graph): an article's entity mentions (terms.mentions_graph)."""

    def add_graphs(self, graphs: dict[str, list[str]], derived: Iterable[str] = (),
                   unmerged: dict[str, list[str]] | None = None) -> None:
        """Add named graphs that are not in the store yet (the fast path for new articles),
        ``derived`` triples to the default graph only (the claims' summaries), and
        ``unmerged`` graphs, not in the store yet either, to no other graph.

        Each call is atomic: afterwards either every given graph is whole, or none is there."""

    def remove_graphs(self, graph_iris: Iterable[str], then: str | None = None, unmerged: Iterable[str] = ()) -> None:
        """Remove named graphs (and ``unmerged`` ones) and run ``then``, in one transaction."""

    def query(self, sparql: str, bindings: dict | None = None) -> QueryResult: ...

    def select_values(self, sparql: str) -> list[list[str | None]]:
        """The rows of a SELECT as the terms' plain values (None for unbound), in the order of
        its variables: for reading large tables without a Python object per term."""

    def graphs(self) -> list[str]: ...

    def quad_count(self) -> int: ...

    def dump(self, output, fmt: ox.RdfFormat, graph: str | None = None, prefixes: dict | None = None) -> None:
        """Write one graph (triples; ``MERGED`` names the default graph, the merged knowledge
        graph), or the whole dataset (quads: the default graph and every named graph), to a
        binary file."""

    def flush(self) -> None:
        """Make every finished write durable before it is reported as done."""

    def close(self) -> None: ...


def _first_group(sparql: str) -> int:
    """Index of the '{' that opens the outermost WHERE group (skipping comments, IRIs, strings)."""
    i, n = 0, len(sparql)
    while i < n:
        ch = sparql[i]
        if ch == "#":
            i = sparql.find("\n", i)
            if i < 0:
                break
        elif ch == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", sparql[i:]):
            i = sparql.index(">", i)
        elif ch in "\"'":
            quote = sparql[i:i + 3] if sparql[i:i + 3] in ('"""', "'''") else ch
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                j += 2 if sparql[j] == "\\" else 1
            i = j + len(quote) - 1
        elif ch == "{":
            return i
        i += 1
    raise QueryError("query has no WHERE group to bind parameters into")


def bind_values(sparql: str, bindings: dict | None) -> str:
    """Bind variables to RDF terms with a VALUES block at the start of the outermost group.

    Terms are serialised by pyoxigraph (N-Triples syntax, escaped), never pasted from user
    text, so a value can only ever be a term. Unlike SEP-0007 substitution this also binds
    variables the query does not project, and works the same on every SPARQL endpoint.
    """
    if not bindings:
        return sparql
    at = _first_group(sparql) + 1
    names = list(bindings)
    values = " ".join(str(bindings[k]) for k in names)
    block = f"\n  VALUES ({' '.join('?' + k for k in names)}) {{ ({values}) }}\n"
    return sparql[:at] + block + sparql[at:]


def _split_prologue(update: str) -> tuple[list[str], str]:
    """PREFIX lines and the rest: Oxigraph wants the prologue before the first operation."""
    prologue, body = [], []
    for line in update.splitlines():
        (prologue if line.lstrip().upper().startswith("PREFIX ") else body).append(line)
    return prologue, "\n".join(body)


def _replace_update(graphs: dict[str, list[str]], then: str | None, merged_graph: str | None = None,
                    unmerged: dict[str, list[str]] | None = None) -> str:
    """One SPARQL update that replaces named graphs and keeps the default graph in step.

    The default graph is the merged knowledge graph: every triple of every named graph but the
    unmerged ones (articles' mentions), once (an RDF merge; Oxigraph's union default graph would repeat a triple for each
    graph stating it, and joins would multiply). So each replaced graph first withdraws
    from the default graph the triples no other graph states, then is dropped, then its
    new triples go into both. ``then`` (the claims' summaries) runs last, in the same request.
    ``merged_graph``: the named graph that stands for the default graph on the server (see
    MERGED_GRAPH), which does not count as another graph stating a triple. ``unmerged`` graphs
    are dropped and written again with no trace in the default graph.
    """
    prologue, then = _split_prologue(then) if then else ([], None)
    parts = []
    for graph, triples in graphs.items():
        if merged_graph:
            # Virtuoso, given the merged graph as default-graph-uri, finds one triple at most in
            # GRAPH <iri> { ... }; GRAPH ?g with a FILTER finds them all.
            parts.append(
                f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH ?graph {{ ?s ?p ?o }} FILTER(?graph = <{graph}>) "
                f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other NOT IN (<{graph}>, <{merged_graph}>)) }} }}")
        else:
            parts.append(
                f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{graph}>) }} }}")
        parts.append(f"DROP SILENT GRAPH <{graph}>")
        if triples:
            body = "\n".join(triples)
            parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")
            parts.append(f"INSERT DATA {{\n{body}\n}}")
    for graph, triples in (unmerged or {}).items():
        parts.append(f"DROP SILENT GRAPH <{graph}>")
        if triples:
            body = "\n".join(triples)
            parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")
    if then:
        parts.append(then)
    return "\n".join(prologue) + "\n" + " ;\n".join(parts)


_TURTLE_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(match: re.Match) -> str:
    short, long, char = match.groups()
    if char is None:
        return chr(int(short or long, 16))
    return _ECHARS.get(char, "\\" + char)


def _tsv_value(field: str) -> str | None:
    """The value of one term of SPARQL TSV results (Turtle syntax), or None for unbound."""
    if not field:
        return None
    first = field[0]
    if first == "<":
        return field[1:-1]
    if first == '"':
        text = field[1:field.rindex('"')]  # past the string: nothing but @lang or ^^<datatype>
        return _TURTLE_ESCAPE.sub(_unescape, text) if "\\" in text else text
    if field.startswith("_:"):
        return field[2:]
    return field  # a number or boolean in its short form: its lexical value


_NO_SPACE = "the disk is full"


def _os_reason(exc: OSError) -> str:
    """Oxigraph's (RocksDB's) words for an I/O error, made readable where we know them."""
    message = str(exc)
    if "No space left on device" in message or getattr(exc, "errno", None) == errno.ENOSPC:
        return f"{_NO_SPACE} (No space left on device); free some space and run it again"
    return message


class OxigraphStore:
    """Embedded Oxigraph: on disk (RocksDB, transactional) or in memory.

    ``read_only`` opens an existing store on disk without its write lock, so any number of
    readers (``query``, ``stats``, ``export``...) can run beside one writer (``load``) or
    ``serve``: each reader sees the store as the last finished write left it, never a
    half-written article, and writes nothing, so it works on a full disk too.
    """

    # The loader's batches: whole articles of at most this many quads per write, and new
    # articles may be added by ``add_graphs`` (atomic, faster than a transaction). Articles
    # that share claims go in one ``add_graphs`` call of up to ``bulk_quads`` quads, so that
    # their claims' summaries come from their own triples rather than from a transaction
    # reading the store (graph.loading._plan).
    batch_quads = 100_000
    bulk_quads = 1_000_000
    batch_graphs = None
    bulk = True

    def __init__(self, path: str | None, read_only: bool = False):
        self.path = path
        self.read_only = bool(path) and read_only
        self.description = f"embedded store {path}" if path else "in-memory store"
        try:
            if not path:
                self._store = ox.Store()
            elif self.read_only:
                self._store = ox.Store.read_only(path)
            else:
                self._store = ox.Store(path)
        except OSError as exc:
            message = str(exc)
            if "lock" in message.lower() and not self.read_only:
                raise StoreBusyError(f"store {path} is in use by another autokg process; try again when it finishes") from None
            raise StoreError(f"cannot open store {path}: {_os_reason(exc)}") from None
        except RuntimeError as exc:  # RocksDB's "Invalid argument": e.g. read while a first load creates it
            raise StoreError(f"cannot open store {path}: {exc} (is a first load still creating it?)") from None

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.description} was opened read-only (a bug: this command should open it for writing)")
        from .answers import table_for

        table = table_for(self)  # its rows are out of date from this write on, until a loader says otherwise
        if table is not None:
            table.outdate()

    def replace_graphs(self, graphs: dict[str, list[str]], then: str | None = None,
                       unmerged: dict[str, list[str]] | None = None) -> None:
        self._update(_replace_update(graphs, then, unmerged=unmerged))

    def add_graphs(self, graphs: dict[str, list[str]], derived: Iterable[str] = (),
                   unmerged: dict[str, list[str]] | None = None) -> None:
        self.prepared_add(graphs, derived, unmerged)()

    def prepared_add(self, graphs: dict[str, list[str]], derived: Iterable[str] = (),
                     unmerged: dict[str, list[str]] | None = None) -> Callable[[], None]:
        """``add_graphs`` in two steps: the N-Quads text is made now, and the write is made
        when the function returned is called, which may be in another thread (Oxigraph
        writes outside Python's lock: the loader prepares its next batch meanwhile)."""
        # Each triple twice: in its named graph, and in the default graph (the merged
        # knowledge graph, where a triple stated by several articles is stored once). One
        # join per graph: a third quicker than a text per quad.
        parts: list[str] = []
        for triples in graphs.values():
            if triples:
                parts += ["\n".join(triples), "\n"]
        for g, triples in (*graphs.items(), *(unmerged or {}).items()):
            if triples:
                suffix = f"<{g}> .\n"
                parts += [suffix.join([t[:-1] for t in triples]), suffix]
        derived = list(derived)
        if derived:
            parts += ["\n".join(derived), "\n"]
        text = "".join(parts)
        del parts  # the pieces go before the bytes are made: two copies of a batch at most, not three
        data = text.encode("utf-8")
        del text

        def write() -> None:
            self._writable()
            # On disk, bulk loading writes SST files and ingests them all with one RocksDB
            # IngestExternalFiles call at the end (atomic across column families, whatever the
            # size: pyoxigraph 0.5.1 and later). It is 3-6x faster than a transaction. In
            # memory, a transactional load is just as fast.
            try:
                if self.path:
                    self._store.bulk_load(data, ox.RdfFormat.N_QUADS)
                else:
                    self._store.load(data, ox.RdfFormat.N_QUADS)
            except SyntaxError as exc:
                raise StoreError(f"internal error: generated N-Quads are invalid: {exc}") from exc
            except OSError as exc:
                raise StoreError(f"cannot write to {self.description}: {_os_reason(exc)}") from None

        return write

    def remove_graphs(self, graph_iris: Iterable[str], then: str | None = None, unmerged: Iterable[str] = ()) -> None:
        self._update(_replace_update({g: [] for g in graph_iris}, then, unmerged={g: [] for g in unmerged}))

    def _update(self, text: str) -> None:
        self._writable()
        try:
            self._store.update(text)
        except SyntaxError as exc:  # a bug in what we generated, not the user's fault
            raise StoreError(f"internal error: generated update is invalid: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot write to {self.description}: {_os_reason(exc)}") from None

    @contextlib.contextmanager
    def _reading(self):
        """Oxigraph's errors while reading, as autokg's: bad SPARQL, or a store it cannot read."""
        try:
            yield
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {exc}") from None
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"cannot read {self.description}: {_os_reason(exc)}") from None

    def query(self, sparql: str, bindings: dict | None = None) -> QueryResult:
        # Solutions are computed as they are read: errors while reading them (a SERVICE
        # that cannot be reached, a store that cannot be read) are mapped too.
        with self._reading():
            result = self._store.query(bind_values(sparql, bindings))
            if isinstance(result, ox.QueryBoolean):
                return QueryResult([], [], bool(result))
            if isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                # Thousands of rows of terms, none in a cycle: see graph/memory.py.
                with cycle_collector_paused():
                    return QueryResult(variables, [list(solution) for solution in result])
            triples = [[t.subject, t.predicate, t.object] for t in result]
            return QueryResult(["subject", "predicate", "object"], triples, graph=True)

    def select_values(self, sparql: str) -> list[list[str | None]]:
        # Oxigraph writes the answer as TSV in Rust, outside Python's lock, several times
        # faster than building a term object per cell; the terms are read back here.
        with self._reading():
            text = self._store.query(sparql).serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")
        lines = text.split("\n")
        return [[_tsv_value(field) for field in line.split("\t")] for line in lines[1:] if line]

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def quad_count(self) -> int:
        return len(self._store)

    def dump(self, output, fmt: ox.RdfFormat, graph: str | None = None, prefixes: dict | None = None) -> None:
        kwargs = {"prefixes": prefixes} if prefixes else {}
        if graph:
            name = ox.DefaultGraph() if graph == MERGED else ox.NamedNode(graph)
            self._store.dump(output, fmt, from_graph=name, **kwargs)
        else:
            # The whole dataset, the default graph (the merged knowledge graph with the claim
            # statuses) included: loaded into any SPARQL store, the dump answers the same.
            self._store.dump(output, fmt, **kwargs)

    def flush(self) -> None:
        """Make what was written durable on disk now (a full disk is reported here, as a
        StoreError, rather than when the store is closed)."""
        if self.path and not self.read_only:
            try:
                self._store.flush()
            except OSError as exc:
                raise StoreError(f"cannot write to {self.description}: {_os_reason(exc)}") from None

    def close(self) -> None:
        """Flush and close. Never raises: a failed flush was reported when the writer called
        ``flush``, and every finished transaction is already in RocksDB's write-ahead log."""
        if getattr(self, "_store", None) is None:
            return
        try:
            self.flush()
        except StoreError:
            pass
        finally:
            self._store = None


@dataclass(frozen=True)
class Endpoints:
    """The three URLs of a remote store: SPARQL query, SPARQL update, Graph Store Protocol."""

    query: str
    update: str
    graph_store: str

    @classmethod
    def from_url(cls, url: str, env: dict | None = None) -> Endpoints:
        """Endpoints for ``url``: $AUTOKG_QUERY_URL etc. where set, else Oxigraph's layout under ``url``."""
        env = os.environ if env is None else env
        base = url.rstrip("/")
        return cls(env.get("AUTOKG_QUERY_URL") or f"{base}/query",
                   env.get("AUTOKG_UPDATE_URL") or f"{base}/update",
                   env.get("AUTOKG_GSP_URL") or f"{base}/store")


_RESULTS_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
_RETRY_STATUS = {502, 503, 504}


def _env_number(env, name: str, default: float, kind=float):
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise StoreError(f"${name} must be a number, not {raw!r}") from None
    if value < 0:
        raise StoreError(f"${name} must not be negative, not {raw!r}")
    return value


def _why(exc: BaseException) -> str:
    """A few words on why a request failed at the connection level."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "no answer in time (timed out)"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(reason, (http.client.RemoteDisconnected, http.client.IncompleteRead, BrokenPipeError)):
        return "the server closed the connection"
    text = getattr(reason, "strerror", None) or str(reason)
    return text.lower() if text else type(reason).__name__


def _is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class RemoteStore:
    """A SPARQL 1.1 endpoint: Oxigraph server, Fuseki, GraphDB, Virtuoso, Neptune...

    Queries go to the query endpoint (POST, URL-encoded: the form every SPARQL 1.1 server
    reads, Virtuoso 7 included), writes to the update endpoint, whole graphs are read through
    the Graph Store HTTP Protocol. Queries read the server's own default graph, which autokg
    keeps as the merged knowledge graph (see ``_replace_update``): no union-default-graph
    setting is needed, and none should be set, since a union would count facts stated by
    several articles several times. A server that has no default graph of its own but only
    the union (Virtuoso) is run with ``AUTOKG_UNION_DEFAULT_GRAPH=1``: the merged graph is
    then the named graph MERGED_GRAPH, given as ``default-graph-uri`` with every request.

    Writes: each update request replaces whole named graphs (DROP + INSERT DATA) and then
    runs ``then`` (the summaries of the claims they touch). The SPARQL 1.1 Update spec asks servers to apply a
    request atomically, and the Oxigraph server runs each in one transaction, so every request leaves whole
    articles with statuses derived from exactly what is there, even if the server dies between
    requests. (A Graph Store PUT is not enough on Oxigraph: it clears the graph and loads the
    new one in two transactions, so a crash between them empties the article.) Every request
    autokg sends is idempotent - queries read, and updates replace whole graphs and recompute
    statuses - so connection failures and 502/503/504 answers are retried a bounded number
    of times with a short back-off.
    """

    def __init__(self, url: str, env: dict | None = None):
        env = os.environ if env is None else env
        self.url = url
        self.endpoints = Endpoints.from_url(url, env)
        self.description = f"SPARQL endpoint {url}"
        self.timeout = _env_number(env, "AUTOKG_TIMEOUT", 60.0)
        self.retries = _env_number(env, "AUTOKG_RETRIES", 2, int)
        self.graphs_per_request = max(1, _env_number(env, "AUTOKG_GRAPHS_PER_REQUEST", 50, int))
        self.bytes_per_request = 8_000_000
        union = env.get("AUTOKG_UNION_DEFAULT_GRAPH", "").strip().lower()
        if union not in ("", "0", "1", "true", "false", "yes", "no"):
            raise StoreError(f"$AUTOKG_UNION_DEFAULT_GRAPH must be 1 or 0, not {union!r}")
        self.merged_graph = MERGED_GRAPH if union in ("1", "true", "yes") else None
        self._headers = {"User-Agent": "autokg"}
        if env.get("AUTOKG_TOKEN"):
            self._headers["Authorization"] = f"Bearer {env['AUTOKG_TOKEN']}"
        elif env.get("AUTOKG_USER"):
            pair = f"{env['AUTOKG_USER']}:{env.get('AUTOKG_PASSWORD', '')}".encode()
            self._headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        # A proxy set for the outside world must not swallow requests to this machine.
        handlers = [urllib.request.ProxyHandler({})] if _is_loopback(self.endpoints.query) else []
        self._opener = urllib.request.build_opener(*handlers)

    # --- HTTP ---------------------------------------------------------------------------
    def _request(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None,
                 *, for_query: bool = False):
        """Send one request and return the open response; retry what may be retried."""
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(url, data=body, method=method,
                                             headers={**self._headers, **(headers or {})})
            try:
                return self._opener.open(request, timeout=self.timeout)
            except urllib.error.HTTPError as exc:
                if exc.code in _RETRY_STATUS and attempt < self.retries:
                    exc.close()
                    time.sleep(0.5 * 2 ** attempt)
                    continue
                raise self._answer_error(url, exc, for_query) from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                # A request that timed out may still be running: sending it again only adds load.
                timed_out = isinstance(getattr(exc, "reason", exc), (TimeoutError, socket.timeout))
                if attempt < self.retries and not timed_out:
                    time.sleep(0.5 * 2 ** attempt)
                    continue
                raise StoreError(f"cannot reach SPARQL endpoint {url}: {_why(exc)}") from None
        raise AssertionError("unreachable")

    def _answer_error(self, url: str, exc: urllib.error.HTTPError, for_query: bool) -> StoreError | QueryError:
        try:
            detail = exc.read(2000).decode("utf-8", "replace")
        except OSError:
            detail = ""
        finally:
            exc.close()
        detail = " ".join(detail.split())[:300]
        said = f"{exc.code} {exc.reason}" + (f": {detail}" if detail else "")
        if exc.code in (401, 403):
            hint = "" if "Authorization" in self._headers else "; set AUTOKG_USER and AUTOKG_PASSWORD, or AUTOKG_TOKEN"
            return StoreError(f"SPARQL endpoint {url} refused the request ({said}){hint}")
        if for_query and exc.code == 400:
            return QueryError(f"invalid SPARQL: the endpoint {url} answered {said}")
        return StoreError(f"SPARQL endpoint {url} answered {said}")

    def _with_default_graph(self, url: str) -> str:
        if not self.merged_graph:
            return url
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}{urllib.parse.urlencode({'default-graph-uri': self.merged_graph})}"

    def _update(self, text: str) -> None:
        response = self._request("POST", self._with_default_graph(self.endpoints.update), text.encode("utf-8"),
                                 {"Content-Type": "application/sparql-update; charset=utf-8"})
        with response:
            response.read()

    # --- Store ----------------------------------------------------------------------------
    def _requests(self, graphs: dict[str, list[str]]) -> Iterator[dict[str, list[str]]]:
        """Whole graphs grouped into requests of bounded size (a graph is never split)."""
        chunk: dict[str, list[str]] = {}
        size = 0
        for graph, triples in graphs.items():
            weight = sum(len(t) + 1 for t in triples)
            if chunk and (len(chunk) >= self.graphs_per_request or size + weight > self.bytes_per_request):
                yield chunk
                chunk, size = {}, 0
            chunk[graph] = triples
            size += weight
        if chunk or not graphs:
            yield chunk

    # The loader's batches fit one request: ``batch_graphs`` graphs, about 8 MB.
    bulk = False

    @property
    def batch_graphs(self) -> int:
        return self.graphs_per_request

    @property
    def batch_quads(self) -> int:
        return max(1, self.bytes_per_request // 200)

    def replace_graphs(self, graphs: dict[str, list[str]], then: str | None = None,
                       unmerged: dict[str, list[str]] | None = None) -> None:
        """Replace the graphs; with ``then`` or ``unmerged``, in one request (that runs
        ``then`` last), otherwise a few graphs per request.

        Each request is atomic on the server, so after any failure the store holds, for
        every graph, either its old or its new content, and ``then``'s derived facts match
        (the loader sizes its batches to ``batch_graphs`` and ``batch_quads`` to keep such
        a request bounded).
        """
        if then or unmerged:
            self._update(_replace_update(graphs, then, self.merged_graph, unmerged))
            return
        for chunk in self._requests(graphs):
            self._update(_replace_update(chunk, None, self.merged_graph))

    def remove_graphs(self, graph_iris: Iterable[str], then: str | None = None, unmerged: Iterable[str] = ()) -> None:
        self.replace_graphs({g: [] for g in graph_iris}, then, {g: [] for g in unmerged})

    def add_graphs(self, graphs: dict[str, list[str]], derived: Iterable[str] = (),
                   unmerged: dict[str, list[str]] | None = None) -> None:
        """New graphs go the same way as replaced ones: whole graphs, in one request with
        the derived triples or unmerged graphs, or a few graphs per request without."""
        derived = list(derived)
        self.replace_graphs(graphs, ("INSERT DATA {\n" + "\n".join(derived) + "\n}") if derived else None, unmerged)

    def query(self, sparql: str, bindings: dict | None = None) -> QueryResult:
        return self._select(bind_values(sparql, bindings))

    def select_values(self, sparql: str) -> list[list[str | None]]:
        return [[t.value if t is not None else None for t in row] for row in self._select(sparql).rows]

    def _select(self, sparql: str) -> QueryResult:
        form = {"query": sparql, **({"default-graph-uri": self.merged_graph} if self.merged_graph else {})}
        response = self._request("POST", self.endpoints.query, urllib.parse.urlencode(form).encode("ascii"),
                                 {"Content-Type": "application/x-www-form-urlencoded",
                                  "Accept": _RESULTS_ACCEPT}, for_query=True)
        media_type = response.headers.get_content_type()
        with response:
            try:
                results_format = ox.QueryResultsFormat.from_media_type(media_type)
                if results_format is not None:
                    result = ox.parse_query_results(response, results_format)
                    if isinstance(result, ox.QueryBoolean):
                        return QueryResult([], [], bool(result))
                    variables = [v.value for v in result.variables]
                    return QueryResult(variables, [list(solution) for solution in result])
                rdf_format = ox.RdfFormat.from_media_type(media_type)
                if rdf_format is None:
                    raise StoreError(f"SPARQL endpoint {self.endpoints.query} answered in a format "
                                     f"autokg cannot read: {media_type}")
                triples = [[t.subject, t.predicate, t.object] for t in ox.parse(response, rdf_format)]
                return QueryResult(["subject", "predicate", "object"], triples, graph=True)
            except SyntaxError as exc:
                raise StoreError(f"SPARQL endpoint {self.endpoints.query} sent results autokg "
                                 f"cannot read: {exc}") from None
            except (OSError, http.client.HTTPException) as exc:
                raise StoreError(f"cannot reach SPARQL endpoint {self.endpoints.query}: {_why(exc)}") from None

    def graphs(self) -> list[str]:
        if self.merged_graph:
            # Virtuoso's GRAPH ?g {} matches nothing, and it lists its own system graphs
            # (and the merged graph) beside autokg's.
            result = self._select(bind_values(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?ours) && ?g != ?merged) }",
                {"ours": ox.Literal(_AUTOKG_GRAPHS), "merged": ox.NamedNode(self.merged_graph)}))
        else:
            result = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(r["g"] for r in result.records() if r["g"])

    def quad_count(self) -> int:
        if self.merged_graph:
            result = self._select(bind_values(
                "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION "
                "{ GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?ours) && ?g != ?merged) } }",
                {"ours": ox.Literal(_AUTOKG_GRAPHS), "merged": ox.NamedNode(self.merged_graph)}))
        else:
            result = self._select("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        return int(result.rows[0][0].value)

    def _graph_url(self, graph: str) -> str:
        separator = "&" if "?" in self.endpoints.graph_store else "?"
        if graph == MERGED and self.merged_graph:
            graph = self.merged_graph
        elif graph == MERGED:
            return f"{self.endpoints.graph_store}{separator}default"
        return f"{self.endpoints.graph_store}{separator}{urllib.parse.urlencode({'graph': graph})}"

    def _open_graph(self, graph: str):
        try:
            return self._request("GET", self._graph_url(graph), headers={"Accept": "application/n-triples"})
        except StoreError as exc:
            if " answered 404 " in str(exc):
                raise StoreError(f"{self.description} has no graph <{graph}>") from None
            raise

    def _triples(self, graph: str) -> Iterator:
        with self._open_graph(graph) as response:
            yield from ox.parse(response, ox.RdfFormat.N_TRIPLES)

    def dump(self, output, fmt: ox.RdfFormat, graph: str | None = None, prefixes: dict | None = None) -> None:
        """Write one graph (triples; ``MERGED`` is the default graph) or the whole dataset
        (quads: the default graph, then every named graph), streamed from the server."""
        kwargs = {"prefixes": prefixes} if prefixes else {}
        try:
            if graph and fmt == ox.RdfFormat.N_TRIPLES and hasattr(output, "write"):
                with self._open_graph(graph) as response:
                    shutil.copyfileobj(response, output)
            elif graph:
                ox.serialize(self._triples(graph), output, fmt, **kwargs)
            else:
                def quads():
                    for t in self._triples(MERGED):
                        yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                    for g in self.graphs():
                        name = ox.NamedNode(g)
                        for t in self._triples(g):
                            yield ox.Quad(t.subject, t.predicate, t.object, name)
                ox.serialize(quads(), output, fmt, **kwargs)
        except SyntaxError as exc:
            raise StoreError(f"{self.description} sent RDF autokg cannot read: {exc}") from None
        except http.client.HTTPException as exc:
            raise StoreError(f"cannot reach SPARQL endpoint {self.endpoints.graph_store}: {_why(exc)}") from None

    def flush(self) -> None:
        """Every request is finished when it returns: nothing to flush."""

    def close(self) -> None:
        self._opener.close()


def store_spec(spec: str | None) -> str:
    """The store the user means: the argument, else $AUTOKG_STORE, else ./.autokg/store."""
    return spec or os.environ.get("AUTOKG_STORE") or DEFAULT_STORE


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def open_store(spec: str | None = None, read_only: bool = False) -> Store:
    """Open the store named by ``spec`` (see ``store_spec``).

    ``read_only``: for commands that only read. An embedded store is then opened without its
    write lock, beside any writer, and must exist already: a reader never creates a store.
    """
    spec = store_spec(spec)
    if spec == "memory":
        return OxigraphStore(None)
    if spec.startswith(("http://", "https://")):
        if not urllib.parse.urlsplit(spec).hostname:
            raise StoreError(f"store URL {spec} has no host name")
        return RemoteStore(spec)
    if _SCHEME.match(spec):
        raise StoreError(f"store {spec}: autokg stores are a folder, 'memory', or an http(s):// SPARQL endpoint")
    path = Path(spec)
    if path.exists() and not path.is_dir():
        raise StoreError(f"store path {spec} exists and is not a directory")
    if read_only:
        if not path.is_dir() or not any(path.iterdir()):
            raise StoreError(f"no store at {spec}; make one by loading articles: autokg --store {spec} load PATH")
        return OxigraphStore(str(path), read_only=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create store folder {path.parent}: {exc.strerror}") from None
    return OxigraphStore(str(path))
