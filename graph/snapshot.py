"""The actor graph read once: a snapshot of its nodes and edges, kept until the store changes.

Building the actor graph reads every claim of the store (4 s at 10,000 articles); the
analysis commands and the entity questions (path, ego) all start from it. The snapshot is
the graph's rows - nodes, and edges without evidence quotes, and the edges collapsed to
weighted pairs for the metrics - with the store's fingerprint:
the fingerprint (``schema:version``) of every article graph and of the registry graph,
which every load or removal changes, and autokg's version. It is kept in memory for the
process and, for a store on disk, in a file beside the store (``STORE.cache/``), so the
next command reads it instead of the store. Any write changes the fingerprint, and the
next reader builds a new snapshot. Evidence quotes are fetched for the claims shown only
(``evidence_for``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from .store import Store

__all__ = ["ActorSnapshot", "snapshot", "fingerprint", "evidence_for", "adjacency", "pair_counts"]

_FORMAT = 4  # bump when the snapshot's layout changes


@dataclass
class ActorSnapshot:
    """The actor graph's rows: ``nodes`` (IRI -> label, type, country) and ``edges`` (as
    ``graph.analysis._edges`` gives them, sorted), and the fingerprint they were read at."""

    fingerprint: str
    nodes: dict[str, dict]
    edges: list[dict]
    # Each node's neighbours, either direction, in edge order (built once, kept in the file).
    adjacent: dict[str, list[str]] = field(default_factory=dict)
    # The nodes and the pairs they make, as ``pair_counts`` gives them: what the metrics need.
    order: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str, int]] = field(default_factory=list)


_memory: dict[int, ActorSnapshot] = {}


def fingerprint(store: Store) -> str:
    """A digest of what the actor graph is built from: every graph's schema:version."""
    from . import __version__

    rows = store.select_values("SELECT ?g ?v WHERE { GRAPH ?g { ?g <https://schema.org/version> ?v } }")
    digest = hashlib.sha256(f"{_FORMAT} {__version__}\n".encode())
    for graph, version in sorted(map(tuple, rows)):
        digest.update(f"{graph} {version}\n".encode())
    return digest.hexdigest()[:32]


def _cache_file(store: Store) -> Path | None:
    path = getattr(store, "path", None)
    if not path:
        return None
    folder = Path(path)
    return folder.with_name(folder.name + ".cache") / "actor-graph.pickle"


def snapshot(store: Store) -> ActorSnapshot:
    """The actor graph's rows for the store as it is now: from memory, from the cache file,
    or read from the store (and kept)."""
    current = fingerprint(store)
    held = _memory.get(id(store))
    if held is not None and held.fingerprint == current:
        return held
    cache = _cache_file(store)
    if cache is not None and cache.is_file():
        from .memory import cycle_collector_paused

        try:
            with cache.open("rb") as f, cycle_collector_paused():  # 100,000 small dicts: the collector's passes doubled the time
                held = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            held = None  # unreadable or from another layout: build it again
        if isinstance(held, ActorSnapshot) and held.fingerprint == current:
            _memory[id(store)] = held
            return held
    held = _read(store, current)
    _memory[id(store)] = held
    if cache is not None:
        _write(cache, held)
    return held


def _read(store: Store, current: str) -> ActorSnapshot:
    from .analysis import _EDGE_TABLES, _actor_pairs, _edges, _read_tables
    from .memory import cycle_collector_paused

    with cycle_collector_paused():
        tables = _read_tables(store, _EDGE_TABLES + ("actor-nodes.rq",))
        nodes = {entity: {"label": label, "type": kind, "country": country}
                 for entity, label, kind, country in tables["actor-nodes.rq"]}
        edges = _edges(tables, _actor_pairs(tables))
        return ActorSnapshot(current, nodes, edges, adjacency(edges), *pair_counts(edges))


def adjacency(edges) -> dict[str, list[str]]:
    """Each node's neighbours (either direction) along ``edges``, in edge order, once each."""
    near: dict[str, dict[str, None]] = {}
    for e in edges:
        near.setdefault(e["source"], {})[e["target"]] = None
        near.setdefault(e["target"], {})[e["source"]] = None
    return {n: list(m) for n, m in near.items()}


def pair_counts(edges) -> tuple[list[str], list[tuple[str, str, int]]]:
    """The nodes of ``edges`` in order of first appearance, and each pair of them that the
    edges join (either way) with its number of edges, as ``(u, v, count)``: in the order, and
    with u and v the way round, that collapsing a MultiDiGraph built from ``edges`` meets
    them (its edges by source in node order, then by target, then in edge order), so a graph
    made from these has its nodes and ties in the same order as the collapsed one."""
    order: dict[str, None] = {}
    out: dict[str, dict[str, int]] = {}
    for e in edges:
        source, target = e["source"], e["target"]
        order.setdefault(source)
        order.setdefault(target)
        counts = out.setdefault(source, {})
        counts[target] = counts.get(target, 0) + 1
    ties: dict[tuple[str, str], int] = {}
    for u in order:
        for v, count in out.get(u, {}).items():
            key = (v, u) if (v, u) in ties else (u, v)
            ties[key] = ties.get(key, 0) + count
    return list(order), [(u, v, count) for (u, v), count in ties.items()]


def _write(cache: Path, held: ActorSnapshot) -> None:
    """Write the snapshot file atomically; a store folder that cannot take it is no error."""
    try:
        cache.parent.mkdir(exist_ok=True)
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.part")
        with tmp.open("wb") as f:
            pickle.dump(held, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    except OSError:
        pass


def evidence_for(store: Store, claims) -> dict[str, list[tuple[str, str]]]:
    """The evidence quotes of ``claims`` only, as ``(article id, quote)`` in reading order."""
    import pyoxigraph as ox

    from .analysis import _evidence
    from .queries import internal_query

    claims = sorted(set(claims))
    if not claims:
        return {}
    text = internal_query("claim-evidence.rq")
    at = text.index("WHERE {") + len("WHERE {")
    values = " ".join(str(ox.NamedNode(c)) for c in claims)
    return _evidence(store.select_values(f"{text[:at]}\n  VALUES ?claim {{ {values} }}{text[at:]}"))
