"""Query files: find them, read their headers, bind their parameters as RDF terms, run them.

A query file starts with a comment header::

    # title: Who talked to whom
    # description: Talks, meetings ... (continuation lines are indented)
    # param: entity entity optional  Only interactions that involve this entity
    # lookup: entity lookup/who-talked-to-whom.entity.rq

Parameter types: ``entity`` (an id, name or alias, resolved to the entity's IRI),
``iri``, ``string``, ``integer``, ``decimal`` and ``date``. Values are bound as typed RDF
terms by the store (never pasted into the SPARQL text); an optional parameter left out
stays unbound, and the query treats it as "no filter".

A ``lookup:`` line names the query to run instead when that parameter is given (a path
relative to the query file): the same question, written to start from the bound term, so
that asking about one entity costs a look-up of its claims rather than a filter over every
claim. It gives the same rows as the query with the parameter as a filter (tests compare
them). In it, an empty ``VALUES ?param {}`` marks each place the parameter is bound (the
start of a subquery or of a UNION branch, which the engine evaluates on their own, before
any outer binding reaches them); parameters without such a mark are bound as in the query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError, UnknownEntityError
from .resources import queries_dir
from .store import QueryResult, Store, bind_values
from .terms import ID

__all__ = ["QueryFile", "Parameter", "list_queries", "find_query", "parse_query_file", "parse_query_text",
           "read_query_stream",
           "run_query", "bound_query", "query_text", "resolve_entity", "entity_names", "internal_query", "PARAM_TYPES"]

PARAM_TYPES = ("entity", "iri", "string", "integer", "decimal", "date")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool
    description: str


@dataclass
class QueryFile:
    """A SPARQL query with its header: title, description and parameters."""

    name: str
    path: str
    title: str
    description: str
    sparql: str
    parameters: list[Parameter] = field(default_factory=list)
    lookups: dict[str, str] = field(default_factory=dict)  # parameter -> SPARQL starting from it

    def sparql_for(self, bound: Iterable[str]) -> str:
        """The SPARQL to run with these parameters bound: the look-up form of the first bound
        parameter that has one, else the query itself."""
        bound = set(bound)
        for p in self.parameters:
            if p.name in bound and p.name in self.lookups:
                return self.lookups[p.name]
        return self.sparql


def parse_query_file(path: Path | str) -> QueryFile:
    """Read a .rq file and its header comment."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read query file: {exc}") from None
    return parse_query_text(text, path.stem, str(path))


def read_query_stream(path: str) -> QueryFile:
    """A query read as a stream: ``-`` (standard input), ``/dev/stdin``, a pipe or ``<(...)``."""
    import sys

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(f"{path}: the query is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise QueryError(f"cannot read query {path}: {exc.strerror or exc}") from None
    if not text.strip():
        raise QueryError(f"{path}: the query is empty")
    return parse_query_text(text, "stdin" if path == "-" else Path(path).name, path)


def parse_query_text(text: str, name: str, path: str) -> QueryFile:
    """A query and its header comment, from the text of a query file."""
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    lookups: dict[str, tuple[int, str]] = {}
    last = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        body = line[1:]
        match = re.match(r"\s*(title|description|param|lookup):\s*(.*)$", body)
        if match:
            key, value = match.groups()
            if key == "lookup":
                lookups[value.split(None, 1)[0] if value.split() else ""] = (lineno, value)
                last = None
            elif key == "param":
                parts = value.split(None, 3)
                if len(parts) < 3 or parts[1] not in PARAM_TYPES or parts[2] not in ("optional", "required") \
                        or not _NAME.match(parts[0]):
                    raise QueryError(f"{path}:{lineno}: param line must read "
                                     f"'# param: NAME TYPE optional|required DESCRIPTION' (types: {', '.join(PARAM_TYPES)})")
                params.append(Parameter(parts[0], parts[1], parts[2] == "required", parts[3] if len(parts) > 3 else ""))
                last = None
            else:
                fields[key] = value.strip()
                last = key
        elif last and body.startswith("   "):
            fields[last] += " " + body.strip()
    # A query from standard input has no folder to find its look-ups in; it answers the same rows without them.
    found = {} if path == "-" else _read_lookups(Path(path), lookups, {p.name for p in params})
    return QueryFile(name, path, fields.get("title", name), fields.get("description", ""), text, params, found)


def _read_lookups(path: Path, lines: dict[str, tuple[int, str]], declared: set[str]) -> dict[str, str]:
    found = {}
    for name, (lineno, value) in lines.items():
        parts = value.split()
        if len(parts) != 2 or name not in declared:
            raise QueryError(f"{path}:{lineno}: lookup line must read '# lookup: PARAM FILE' for a declared "
                             f"parameter (parameters: {', '.join(sorted(declared)) or 'none'})")
        target = path.parent / parts[1]
        try:
            found[name] = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{path}:{lineno}: cannot read the look-up query {target}: {exc}") from None
    return found


def list_queries(folder: Path | None = None) -> list[QueryFile]:
    """The question files in ``queries/`` (not its ``internal/`` helpers), by name."""
    folder = folder or queries_dir()
    return [parse_query_file(p) for p in sorted(folder.glob("*.rq"))]


def find_query(name_or_path: str) -> QueryFile:
    """A query by name (``who-talked-to-whom``), by path to a .rq file, or ``-`` for
    standard input (any path that is not a regular file, such as ``/dev/stdin``, is read
    as a stream too)."""
    path = Path(name_or_path)
    if name_or_path == "-":
        return read_query_stream(name_or_path)
    if path.suffix == ".rq" and path.is_file():
        return parse_query_file(path)
    if "/" in name_or_path and path.exists() and not path.is_dir():
        return read_query_stream(name_or_path) if not path.is_file() else parse_query_file(path)
    candidate = queries_dir() / f"{name_or_path.removesuffix('.rq')}.rq"
    if candidate.is_file():
        return parse_query_file(candidate)
    known = ", ".join(q.name for q in list_queries())
    raise QueryError(f"no query named {name_or_path!r} (known: {known}); give a name or a path to a .rq file")


@cache
def internal_query(name: str) -> str:
    return (queries_dir() / "internal" / name).read_text(encoding="utf-8")


def entity_names(store: Store) -> list[tuple[str, str, str]]:
    """(IRI, name, type label) for every name and alias of every entity in the store."""
    result = store.query(internal_query("entity-names.rq"))
    return [(r["entity"], r["name"], r["type"]) for r in result.records()]


def resolve_entity(store: Store, name: str) -> str:
    """The IRI of the entity called ``name`` (id, IRI, name or alias); raise UnknownEntityError."""
    # An id or IRI is looked up alone (a question about one entity should not list them all).
    for candidate in (name, f"{ID}{name}"):
        try:
            term = ox.NamedNode(candidate)
        except ValueError:
            continue
        if store.query(internal_query("entity-names.rq"), {"entity": term}).rows:
            return candidate
    names = entity_names(store)
    iris = {iri for iri, _, _ in names}
    for candidate in (name, f"{ID}{name}"):
        if candidate in iris:
            return candidate
    wanted = name.casefold()
    exact = sorted({iri for iri, n, _ in names if n.casefold() == wanted})
    if len(exact) == 1:
        return exact[0]
    from .registry import normalise_name  # the registry's readers: only for names not matched exactly

    key = normalise_name(name)
    loose = sorted({iri for iri, n, _ in names if normalise_name(n) == key}) if not exact else exact
    if len(loose) == 1:
        return loose[0]
    if len(loose) > 1:
        raise UnknownEntityError(name, [iri.removeprefix(str(ID)) for iri in loose])
    import difflib

    labels = {n: iri for iri, n, _ in names}
    close = difflib.get_close_matches(name, list(labels), n=5, cutoff=0.5)
    raise UnknownEntityError(name, close)


def _term(store: Store, param: Parameter, raw: str):
    if param.type == "entity":
        return ox.NamedNode(resolve_entity(store, raw))
    if param.type == "iri":
        try:
            return ox.NamedNode(raw)
        except ValueError:
            raise QueryError(f"parameter {param.name}: {raw!r} is not a valid IRI") from None
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", raw.strip()):
            raise QueryError(f"parameter {param.name}: {raw!r} is not a whole number")
        return ox.Literal(raw.strip(), datatype=ox.NamedNode(_XSD + "integer"))
    if param.type == "decimal":
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", raw.strip()):
            raise QueryError(f"parameter {param.name}: {raw!r} is not a number")
        return ox.Literal(raw.strip(), datatype=ox.NamedNode(_XSD + "decimal"))
    if param.type == "date":
        if not _DATE.match(raw.strip()):
            raise QueryError(f"parameter {param.name}: {raw!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        kind = {4: "gYear", 7: "gYearMonth", 10: "date"}[len(raw.strip())]
        return ox.Literal(raw.strip(), datatype=ox.NamedNode(_XSD + kind))
    return ox.Literal(raw)


def bind_parameters(store: Store, query: QueryFile, values: dict[str, str]) -> dict:
    """Typed RDF terms for the given parameter values; check names and required ones."""
    declared = {p.name: p for p in query.parameters}
    for name in values:
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise QueryError(f"query {query.name!r} has no parameter {name!r} (parameters: {known})")
    for p in query.parameters:
        if p.required and p.name not in values:
            raise QueryError(f"query {query.name!r} needs --param {p.name}=... ({p.description})")
    return {name: _term(store, declared[name], raw) for name, raw in values.items()}


# ``VALUES ?name {}`` marks where a parameter is bound; ``VALUES ?name { UNDEF }`` marks an
# optional one, left unbound there when it is not given.
_PLACE = re.compile(r"\bVALUES\s+\?([A-Za-z_][A-Za-z0-9_]*)\s*\{\s*(?:UNDEF\s*)?\}")


def fill_placeholders(sparql: str, bindings: dict) -> tuple[str, dict]:
    """Bind each parameter that has ``VALUES ?name {}`` marks at every mark (one row: its term,
    serialised by pyoxigraph); return the text and the bindings left for the outer group."""
    marked: set[str] = set()

    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name not in bindings:
            return match.group(0)
        marked.add(name)
        return f"VALUES ?{name} {{ {bindings[name]} }}"

    lines = [line if line.lstrip().startswith("#") else _PLACE.sub(fill, line) for line in sparql.split("\n")]
    return "\n".join(lines), {k: v for k, v in bindings.items() if k not in marked}


def bound_query(store: Store, query: QueryFile, params: dict[str, str] | None = None) -> tuple[str, dict]:
    """The SPARQL ``run_query`` runs for these parameters (the look-up form a bound parameter
    chooses, its marks filled) and the bindings left for the outer group."""
    bindings = bind_parameters(store, query, params or {})
    return fill_placeholders(query.sparql_for(bindings), bindings)


def query_text(store: Store, query: QueryFile, params: dict[str, str] | None = None) -> str:
    """The whole SPARQL text ``run_query`` runs for these parameters, every binding in it: the
    key of an answer (an entity given by id, name or alias is one text)."""
    return bind_values(*bound_query(store, query, params))


# The queries graph/digests.py may answer (imported only for these).
_DIGESTED = ("entity-profile", "reactions", "timeline", "who-talked-to-whom")


def run_query(store: Store, query: QueryFile | str, params: dict[str, str] | None = None) -> QueryResult:
    """Run a query file (or name) with parameters given as text. A question about one entity
    that the claims' digests answer (graph/digests.py) is answered from them, row for row."""
    if isinstance(query, str):
        query = find_query(query)
    bindings = bind_parameters(store, query, params or {})
    if query.name in _DIGESTED:
        from .digests import answer

        found = answer(store, query, bindings)
        if found is not None:
            return found
    return store.query(*fill_placeholders(query.sparql_for(bindings), bindings))
