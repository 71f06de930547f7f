"""Where the graph lives: one interface, several backends.

``open_store(spec)`` takes a directory (embedded Oxigraph on disk, the default),
``"memory"``, or an ``http(s)://`` SPARQL 1.1 endpoint. Every backend offers the same
operations: replace whole named graphs atomically, run SPARQL with bound parameters,
count and list graphs, dump RDF.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol

import pyoxigraph as ox

from .errors import QueryError, StoreBusyError, StoreError

__all__ = ["Store", "OxigraphStore", "QueryResult", "open_store", "DEFAULT_STORE", "store_spec", "bind_values"]

DEFAULT_STORE = os.path.join(".autokg", "store")


@dataclass
class QueryResult:
    """Rows of a SELECT (``variables`` + ``rows`` of pyoxigraph terms or None), or an ASK boolean."""

    variables: list[str]
    rows: list[list]
    boolean: bool | None = None

    def records(self) -> list[dict]:
        """Rows as dicts of plain strings (None for unbound), for code and tests."""
        return [{v: (t.value if t is not None else None) for v, t in zip(self.variables, row)}
                for row in self.rows]


class Store(Protocol):
    """What every backend can do."""

    description: str

    def replace_graphs(self, graphs: dict[str, list[str]], then: str | None = None) -> None:
        """Replace each named graph with the given N-Triples lines, then run the update
        ``then``, all in one transaction: afterwards all of it holds or none of it."""

    def remove_graphs(self, graph_iris: Iterable[str], then: str | None = None) -> None: ...

    def query(self, sparql: str, bindings: dict | None = None) -> QueryResult: ...

    def graphs(self) -> list[str]: ...

    def quad_count(self) -> int: ...

    def dump(self, output, fmt: ox.RdfFormat, graph: str | None = None) -> None: ...

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


def _replace_update(graphs: dict[str, list[str]], then: str | None) -> str:
    prologue, then = _split_prologue(then) if then else ([], None)
    parts = []
    for graph, triples in graphs.items():
        parts.append(f"DROP SILENT GRAPH <{graph}>")
        if triples:
            parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(triples) + "\n} }")
    if then:
        parts.append(then)
    return "\n".join(prologue) + "\n" + " ;\n".join(parts)


class OxigraphStore:
    """Embedded Oxigraph: on disk (RocksDB, transactional) or in memory."""

    def __init__(self, path: str | None):
        self.path = path
        self.description = f"embedded store {path}" if path else "in-memory store"
        try:
            self._store = ox.Store(path) if path else ox.Store()
        except OSError as exc:
            message = str(exc)
            if "lock" in message.lower():
                raise StoreBusyError(f"store {path} is in use by another autokg process; try again when it finishes") from None
            raise StoreError(f"cannot open store {path}: {message}") from None

    def replace_graphs(self, graphs: dict[str, list[str]], then: str | None = None) -> None:
        self._update(_replace_update(graphs, then))

    def remove_graphs(self, graph_iris: Iterable[str], then: str | None = None) -> None:
        self._update(_replace_update({g: [] for g in graph_iris}, then))

    def _update(self, text: str) -> None:
        try:
            self._store.update(text)
        except SyntaxError as exc:  # a bug in what we generated, not the user's fault
            raise StoreError(f"internal error: generated update is invalid: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot write to {self.description}: {exc}") from None

    def query(self, sparql: str, bindings: dict | None = None) -> QueryResult:
        try:
            result = self._store.query(bind_values(sparql, bindings), use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {exc}") from None
        except OSError as exc:
            raise StoreError(f"cannot read {self.description}: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            return QueryResult([], [], bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            return QueryResult(variables, [[sol[v] for v in variables] for sol in result])
        triples = [[t.subject, t.predicate, t.object] for t in result]
        return QueryResult(["subject", "predicate", "object"], triples)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def quad_count(self) -> int:
        return len(self._store)

    def dump(self, output, fmt: ox.RdfFormat, graph: str | None = None) -> None:
        kwargs = {"from_graph": ox.NamedNode(graph)} if graph else {}
        self._store.dump(output, fmt, **kwargs)

    def close(self) -> None:
        flush = getattr(self._store, "flush", None)
        if self.path and flush:
            flush()
        del self._store


def store_spec(spec: str | None) -> str:
    """The store the user means: the argument, else $AUTOKG_STORE, else ./.autokg/store."""
    return spec or os.environ.get("AUTOKG_STORE") or DEFAULT_STORE


def open_store(spec: str | None = None) -> Store:
    """Open the store named by ``spec`` (see ``store_spec``)."""
    spec = store_spec(spec)
    if spec == "memory":
        return OxigraphStore(None)
    if spec.startswith(("http://", "https://")):
        raise StoreError(f"remote SPARQL endpoints are not supported yet: {spec}")
    path = Path(spec)
    if path.exists() and not path.is_dir():
        raise StoreError(f"store path {spec} exists and is not a directory")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create store folder {path.parent}: {exc.strerror}") from None
    return OxigraphStore(str(path))
