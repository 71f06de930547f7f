"""One benchmark step per process, so each step's peak memory (RSS) is its own.

    python bench/steps.py STEP ARGS...   ->  prints one JSON object on the last line

Steps: load-autokg, load-floor, load-rdflib, dump, queries, analysis, entity, startup, view.
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

ENTITY = "aster-motors"  # the entity-profile parameter; a synthetic automaker


# A query file's last line, "ORDER BY ...": the group holds what follows ORDER BY.
FINAL_ORDER_BY = re.compile(r"\nORDER BY([^\n]*)\s*$")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_autokg(store_dir: str, corpus: str) -> dict:
    from graph import load_paths, open_store

    started = time.perf_counter()
    store = open_store(store_dir)
    report = load_paths(store, [corpus])
    store.close()
    return {"seconds": time.perf_counter() - started, "articles": len(report.articles),
            "claims": report.events, "quads": report.quads_after}


def compile_only(corpus: str) -> dict:
    """autokg's front end alone: parse, resolve and build every article's triples, no store."""
    from graph.loading import compile_paths

    started = time.perf_counter()
    _, compiled = compile_paths([corpus])
    return {"seconds": time.perf_counter() - started, "articles": len(compiled)}


def dump(store_dir: str, out: str) -> dict:
    import pyoxigraph as ox

    store = ox.Store.read_only(store_dir)
    store.dump(out, ox.RdfFormat.N_QUADS)
    return {"quads": len(store)}


def load_floor(nquads: str, store_dir: str) -> dict:
    """The floor: pyoxigraph bulk-loading the very quads autokg wrote, from an N-Quads file."""
    import pyoxigraph as ox

    started = time.perf_counter()
    store = ox.Store(store_dir)
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    store.flush()
    return {"seconds": time.perf_counter() - started, "quads": len(store)}


def load_rdflib(corpus: str) -> dict:
    """The peer: a plain rdflib pipeline. Parse the same YAML, build the same triples, and
    add each one to an in-memory rdflib Dataset (its own named graph and the default graph)."""
    import rdflib

    from graph.loading import compile_paths

    started = time.perf_counter()
    _, compiled = compile_paths([corpus])
    ds = rdflib.Dataset()
    default = ds.default_context
    count = 0
    for article in compiled:
        g = ds.graph(rdflib.URIRef(article.iri))
        for s, p, o in rdflib.Graph().parse(data="\n".join(article.triples), format="nt"):
            g.add((s, p, o))
            default.add((s, p, o))
            count += 2
    return {"seconds": time.perf_counter() - started, "quads": count}


def _query_texts(store) -> dict[str, str]:
    from graph.queries import list_queries, query_text

    # The text run_query runs: a bound parameter may choose the query's look-up file.
    return {q.name: query_text(store, q, {"entity": ENTITY} if q.name == "entity-profile" else {}) for q in list_queries()}


def queries(store_dir: str, repeat: str = "5") -> dict:
    """Each query through autokg (run_query: parameter binding, entity lookup) and directly in
    pyoxigraph on the same store with the same SPARQL text; medians of ``repeat`` runs."""
    import pyoxigraph as ox

    from graph import open_store, run_query

    store = open_store(store_dir)
    texts = _query_texts(store)
    raw = store._store  # the same pyoxigraph Store: the direct run has no autokg code in it
    out = {}
    for name, text in texts.items():
        params = {"entity": ENTITY} if name == "entity-profile" else {}
        autokg, direct = [], []
        rows = 0
        for _ in range(int(repeat)):
            t = time.perf_counter()
            rows = len(run_query(store, name, params).rows)
            autokg.append(time.perf_counter() - t)
            t = time.perf_counter()
            result = raw.query(text)
            n = sum(1 for _ in result) if not isinstance(result, ox.QueryBoolean) else 1
            direct.append(time.perf_counter() - t)
        out[name] = {"autokg": statistics.median(autokg), "pyoxigraph": statistics.median(direct),
                     "rows": rows, "direct_rows": n}
        if out[name]["autokg"] > 1.0:
            # Where the time goes: the same query without its final ORDER BY (Oxigraph compares
            # decoded strings while sorting), in pyoxigraph.
            unordered_text = FINAL_ORDER_BY.sub("\n", text)
            unordered = []
            for _ in range(3):
                t = time.perf_counter()
                sum(1 for _ in raw.query(unordered_text))
                unordered.append(time.perf_counter() - t)
            out[name]["pyoxigraph_unordered"] = statistics.median(unordered)
    store.close()
    return {"queries": out}


def listing_floor(store_dir: str, out_dir: str, *names: str) -> dict:
    """How fast Oxigraph on disk can list a query's answer at all: its rows, stored as a flat
    table (one node per row, one property per column) in a fresh on-disk store, read back with
    the query's own ORDER BY and without it. The floor for any modelling of the same answer."""
    import pyoxigraph as ox

    from graph import open_store

    store = open_store(store_dir)
    texts = _query_texts(store)
    raw = store._store
    out = {}
    for name in names:
        result = raw.query(texts[name])
        variables = [v.value for v in result.variables]
        column = {v: ox.NamedNode(f"urn:autokg-bench:column:{v}") for v in variables}
        quads, always = [], set(variables)
        for i, row in enumerate(result):
            node = ox.NamedNode(f"urn:autokg-bench:row:{i}")
            for v in variables:
                if row[v] is None:
                    always.discard(v)
                else:
                    quads.append(ox.Quad(node, column[v], row[v], ox.DefaultGraph()))
        folder = Path(out_dir) / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        table = ox.Store(str(folder))
        table.bulk_extend(quads)
        table.flush()
        patterns = " ".join(f"?row <{column[v].value}> ?{v} ." for v in variables if v in always)
        optional = " ".join(f"OPTIONAL {{ ?row <{column[v].value}> ?{v} }}" for v in variables if v not in always)
        unordered = f"SELECT {' '.join('?' + v for v in variables)} WHERE {{ {patterns} {optional} }}"
        order = FINAL_ORDER_BY.search(texts[name])
        timings = {}
        for label, text in (("unordered", unordered), ("ordered", unordered + (f" ORDER BY{order.group(1)}" if order else ""))):
            runs = []
            for _ in range(3):
                t = time.perf_counter()
                rows = sum(1 for _ in table.query(text))
                runs.append(time.perf_counter() - t)
            timings[label] = statistics.median(runs)
        out[name] = {**timings, "rows": rows, "columns": len(variables)}
        del table
    store.close()
    return {"queries": out}


def queries_memory(nquads: str, store_dir: str, repeat: str = "3") -> dict:
    """Each query in pyoxigraph's in-memory store over the same quads, as rdflib's engine runs:
    to tell the engine's speed from the disk's."""
    import pyoxigraph as ox

    from graph import open_store

    store = open_store(store_dir)
    texts = _query_texts(store)
    store.close()
    memory = ox.Store()
    memory.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    out = {}
    for name, text in texts.items():
        runs = []
        for _ in range(int(repeat)):
            t = time.perf_counter()
            result = memory.query(text)
            rows = sum(1 for _ in result) if not isinstance(result, ox.QueryBoolean) else 1
            runs.append(time.perf_counter() - t)
        out[name] = {"memory": statistics.median(runs), "rows": rows}
    return {"queries": out}


def queries_rdflib(nquads: str, store_dir: str, timeout: str = "60") -> dict:
    """Each query in rdflib's own SPARQL engine over the same quads (default graph = merged)."""
    import signal

    import rdflib

    from graph import open_store

    store = open_store(store_dir)
    texts = _query_texts(store)
    store.close()
    started = time.perf_counter()
    ds = rdflib.Dataset()
    ds.parse(nquads, format="nquads")
    parse_seconds = time.perf_counter() - started

    class TimedOut(Exception):
        pass

    def alarm(*_):
        raise TimedOut

    signal.signal(signal.SIGALRM, alarm)
    out = {}
    for name, text in texts.items():
        signal.alarm(int(timeout))
        t = time.perf_counter()
        try:
            rows = len(list(ds.query(text)))
            out[name] = {"rdflib": time.perf_counter() - t, "rows": rows}
        except TimedOut:
            out[name] = {"rdflib": None, "timeout": int(timeout)}
        except Exception as exc:  # rdflib's engine fails on some valid queries (unbound aggregates)
            out[name] = {"rdflib": None, "error": f"{type(exc).__name__}: {exc}"[:200]}
        finally:
            signal.alarm(0)
    return {"queries": out, "parse_seconds": parse_seconds}


def analysis(store_dir: str, repeat: str = "3") -> dict:
    """Actor graph, centrality, communities and brokers as the CLI runs them; medians of
    ``repeat`` runs. The actor graph is timed cold (its snapshot read from the store, as the
    first analysis after a write does) and warm (the collapsed graph the metrics start from,
    built from the snapshot file a later command reads)."""
    import graph.snapshot as snapshots
    from graph import open_store
    from graph.analysis import actor_graph, brokers, centrality, collapsed_actor_graph, communities

    store = open_store(store_dir)
    cache = snapshots._cache_file(store)
    parts: dict[str, list[float]] = {"actor_graph": [], "actor_graph_warm": [], "centrality": [], "communities": [],
                                     "brokers": [], "seconds": [], "actor_graph_with_evidence": []}
    for _ in range(int(repeat)):
        shutil.rmtree(cache.parent, ignore_errors=True)
        snapshots._memory.clear()
        # The snapshot read from the store (no evidence quotes), as the first analysis after a write.
        t = time.perf_counter()
        G = actor_graph(store, evidence=False)
        parts["actor_graph"].append(time.perf_counter() - t)
        snapshots._memory.clear()
        # As `autokg analyze centrality`, `communities` and `brokers` do: from the weighted pairs.
        t = time.perf_counter()
        H = collapsed_actor_graph(store)
        built = time.perf_counter() - t
        parts["actor_graph_warm"].append(built)
        t = time.perf_counter()
        centrality(H)
        parts["centrality"].append(time.perf_counter() - t)
        t = time.perf_counter()
        communities(H)
        parts["communities"].append(time.perf_counter() - t)
        t = time.perf_counter()
        brokers(H)
        parts["brokers"].append(time.perf_counter() - t)
        parts["seconds"].append(parts["actor_graph"][-1] + parts["centrality"][-1] + parts["communities"][-1])
        # As `autokg view` and `analyze export` do: with every edge's evidence.
        t = time.perf_counter()
        with_evidence = actor_graph(store, evidence=True)
        parts["actor_graph_with_evidence"].append(time.perf_counter() - t)
    store.close()
    return {**{name: statistics.median(values) for name, values in parts.items()},
            "runs": {name: values for name, values in parts.items()},
            "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
            "evidence_quotes": sum(len(d["evidence"]) for _, _, d in with_evidence.edges(data=True))}


AK = "https://w3id.org/autokg#"


def _median_time(run, repeat: int = 3) -> tuple[float, object]:
    times, answer = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        answer = run()
        times.append(time.perf_counter() - t)
    return statistics.median(times), answer


def _entity_asks(store, slug: str, article: str, partner: str) -> dict:
    """Each question about the entity ``slug``, as the CLI asks it (one library call each)."""
    from graph import run_query
    from graph.analysis import ego_of, path_between

    return {
        "who-talked-to-whom": lambda: run_query(store, "who-talked-to-whom", {"entity": slug}).rows,
        "timeline": lambda: run_query(store, "timeline", {"entity": slug}).rows,
        "entity-profile": lambda: run_query(store, "entity-profile", {"entity": slug}).rows,
        "reactions": lambda: run_query(store, "reactions", {"target": slug}).rows,
        "tariff-exposure": lambda: run_query(store, "tariff-exposure", {"maker": slug}).rows,
        "sources": lambda: run_query(store, "sources", {"article": article}).rows,
        "path": lambda: path_between(store, slug, partner),
        "ego": lambda: ego_of(store, slug, 1),
    }


# The questions graph/answers.py keeps rows for.
_TABLED = ("who-talked-to-whom", "timeline", "entity-profile", "reactions")


def entity_questions(store_dir: str, repeat: str = "3") -> dict:
    """Questions about one entity, timed in process once the store is open: for the five
    entities in most talks and five from the tail, each entity question autokg answers,
    beside the floor: pyoxigraph's own look-up of the entity's claims and their triples."""
    from graph import open_store
    from graph.analysis import ego_of

    store = open_store(store_dir)
    raw = store._store  # the same pyoxigraph Store: the floor has no autokg code in it
    counts = store.select_values(f"SELECT ?e (COUNT(?c) AS ?n) WHERE {{ ?c <{AK}party> ?e ; <{AK}kind> ?k "
                                 'FILTER(?k IN ("negotiation", "meeting", "visit", "statement")) } '
                                 "GROUP BY ?e ORDER BY DESC(?n) ?e")
    from graph.queries import entity_names

    # Only entities a user can name (publishers outside the registry take part in claims too).
    known = {iri for iri, _, _ in entity_names(store)}
    ranked = [(e, int(n)) for e, n in counts if e in known]
    chosen = ranked[:5] + ranked[-5:]
    # The first snapshot of the actor graph is read once per store change, not per question:
    # build it here, as the first analysis after a load does, and report its cost.
    first, _ = _median_time(lambda: ego_of(store, chosen[0][0].rsplit("/", 1)[1]), 1)
    tables, target = _entity_targets()
    out = []
    for number, (entity, claims) in enumerate(chosen):
        slug = entity.rsplit("/", 1)[1]
        floor_text = f"SELECT ?claim ?p ?o WHERE {{ ?claim ?role <{entity}> ; <{AK}status> ?status ; ?p ?o }}"
        floor, triples = _median_time(lambda text=floor_text: sum(1 for _ in raw.query(text)), int(repeat))
        article = store.select_values(f"SELECT ?id WHERE {{ ?c <{AK}party> <{entity}> ; <{AK}statedInArticle> ?a . "
                                      "?a <https://schema.org/identifier> ?id } ORDER BY ?id LIMIT 1")[0][0]
        partner = chosen[(number + 1) % len(chosen)][0].rsplit("/", 1)[1]
        asks = _entity_asks(store, slug, article, partner)
        row = {"entity": slug, "claims": claims, "floor": floor, "floor_triples": triples, "partner": partner,
               "article": article, "answers": {}}
        for name, ask in asks.items():
            try:
                seconds, rows = _median_time(ask, int(repeat))
                row["answers"][name] = {"seconds": seconds, "rows": len(rows)}
            except Exception as exc:  # e.g. no path between the two: the table says so
                row["answers"][name] = {"seconds": None, "error": f"{type(exc).__name__}: {exc}"[:160]}
                continue
            if name in _TABLED:
                # The same question, side by side, without the answer table (from the digests or the query file).
                store._answers = False
                row["answers"][name]["without_table"], _ = _median_time(ask, int(repeat))
                del store._answers
            if name in tables and seconds > target:
                row["answers"][name]["packed"] = _packed_floor(rows, Path(store_dir).parent / "packed", int(repeat))
        out.append(row)
    fixed = _fixed_costs(store, chosen[-1][0].rsplit("/", 1)[1], out[-1]["article"], int(repeat))
    store.close()
    return {"entities": out, "first_snapshot": first, "fixed": fixed}


def _entity_targets() -> tuple[tuple[str, ...], float]:
    """The entity questions answered as tables (not path and ego), and their time target, as bench/run.py sets them."""
    sys.path.insert(0, str(Path(__file__).parent))
    from run import ENTITY_QUESTIONS, TARGETS

    return tuple(q for q in ENTITY_QUESTIONS if q not in ("path", "ego")), TARGETS["entity_seconds"]


def _packed_floor(rows: list, folder: Path, repeat: int) -> dict[str, float]:
    """How fast Oxigraph on disk can give this answer at all, whatever the modelling: its rows
    packed one literal per row (the cells joined) in a fresh on-disk store holding nothing
    else, read back sorted by that literal (ORDER BY) and unsorted."""
    import pyoxigraph as ox

    shutil.rmtree(folder, ignore_errors=True)
    table = ox.Store(str(folder))
    column = ox.NamedNode("urn:autokg-bench:row")
    table.bulk_extend(ox.Quad(ox.NamedNode(f"urn:autokg-bench:row:{i}"), column,
                              ox.Literal("\x1f".join("" if cell is None else cell.value for cell in row)), ox.DefaultGraph())
                      for i, row in enumerate(rows))
    table.flush()
    read = "SELECT ?row WHERE { ?r <urn:autokg-bench:row> ?row }"
    out = {}
    for label, text in (("ordered", read + " ORDER BY ?row"), ("unordered", read)):
        out[label], _ = _median_time(lambda text=text, table=table: sum(1 for _ in table.query(text)), repeat)
    del table
    shutil.rmtree(folder, ignore_errors=True)
    return out


def _fixed_costs(store, slug: str, article: str, repeat: int) -> dict[str, float]:
    """What Oxigraph takes to parse and plan each question's query text, bound as run_query
    binds it: the same text run on an empty store, where there is nothing to look up."""
    import pyoxigraph as ox

    from graph.queries import find_query, query_text

    empty = ox.Store()
    asked = {"who-talked-to-whom": {"entity": slug}, "timeline": {"entity": slug}, "entity-profile": {"entity": slug},
             "reactions": {"target": slug}, "tariff-exposure": {"maker": slug}, "sources": {"article": article}}
    out = {}
    for name, params in asked.items():
        text = query_text(store, find_query(name), params)
        out[name], _ = _median_time(lambda text=text: sum(1 for _ in empty.query(text)), max(repeat, 5))
    return out


def startup(repeat: str = "5") -> dict:
    """The command line's own start-up: `autokg --help` and `autokg queries` (no store), wall
    time of a fresh process, beside a bare Python interpreter's."""
    import subprocess

    def wall(args: list[str]) -> float:
        runs = []
        for _ in range(int(repeat)):
            t = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True)
            runs.append(time.perf_counter() - t)
        return statistics.median(runs)

    return {"python": wall([sys.executable, "-c", "pass"]),
            "help": wall([sys.executable, "-m", "graph.cli", "--help"]),
            "queries": wall([sys.executable, "-m", "graph.cli", "queries"]),
            "import_graph": wall([sys.executable, "-c", "import graph, graph.cli"])}


def view(out: str, nodes: str = "5000") -> dict:
    sys.path.insert(0, str(Path(__file__).parent))
    from view_5000 import browser_seconds, synthetic_actor_graph

    from graph.views import write_view

    G = synthetic_actor_graph(int(nodes))
    t = time.perf_counter()
    report = write_view(G, Path(out))
    written = time.perf_counter() - t
    browser, shown_nodes, shown_edges, requests, errors = browser_seconds(Path(out))
    return {"seconds": written, "megabytes": report.bytes / 1e6, "nodes": report.nodes, "edges": report.edges,
            "browser_seconds": browser, "browser_nodes": shown_nodes, "requests": len(requests),
            "console_errors": len(errors)}


STEPS = {"load-autokg": load_autokg, "compile": compile_only, "dump": dump, "load-floor": load_floor, "load-rdflib": load_rdflib,
         "queries": queries, "listing-floor": listing_floor, "queries-memory": queries_memory,
         "queries-rdflib": queries_rdflib, "analysis": analysis, "entity": entity_questions, "startup": startup,
         "view": view}

if __name__ == "__main__":
    result = STEPS[sys.argv[1]](*sys.argv[2:])
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))
