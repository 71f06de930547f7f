"""A live Oxigraph server as the store: same answers as the embedded store, whole articles
after a crash, one clear line when the server is down or refuses."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from graph import StoreError, load_paths, open_store, run_query
from graph.analysis import actor_graph, centrality, talks
from graph.terms import article_iri

from .conftest import (
    REGISTRY,
    SEED_ARTICLE,
    OxigraphServer,
    all_quads,
    free_port,
    fresh_load_of,
    invoke,
    receive_signals,
    write_talks,
)

pytestmark = pytest.mark.remote
PAIRS = [("Ford", "Xiaomi"), ("Ford", "BYD"), ("Xiaomi", "BYD"), ("Ford", "Global Times")]


def _rows(result) -> list:
    return sorted(tuple(sorted((k, v or "") for k, v in r.items())) for r in result.records())


def test_embedded_memory_and_server_give_the_same_answers(oxigraph_server, tmp_path):
    oxigraph_server.clear()
    stores = {"disk": open_store(str(tmp_path / "store")), "memory": open_store("memory"),
              "remote": open_store(oxigraph_server.url)}
    answers = {}
    for kind, store in stores.items():
        load_paths(store, [SEED_ARTICLE], REGISTRY)
        G = actor_graph(store)
        answers[kind] = {
            **{name: _rows(run_query(store, name))
               for name in ("who-talked-to-whom", "tariffs", "contested-claims", "reactions", "sources")},
            "graphs": store.graphs(),
            "quads": store.quad_count(),
            "talks": sorted(map(repr, talks(G))),
            "centrality": sorted(map(repr, centrality(G))),
        }
        store.close()
    assert answers["disk"]["contested-claims"], "the seed story has a denied claim"
    assert answers["disk"]["tariffs"] and answers["disk"]["talks"]
    assert answers["disk"] == answers["memory"] == answers["remote"]


def test_cli_loads_queries_and_removes_on_the_server(runner, oxigraph_server):
    oxigraph_server.clear()
    url = oxigraph_server.url
    result = invoke(runner, url, "load", "--registry", str(REGISTRY), str(SEED_ARTICLE))
    assert result.exit_code == 0, result.output
    assert f"into SPARQL endpoint {url}" in result.output
    result = invoke(runner, url, "query", "contested-claims", "--format", "csv")
    assert "Ford Motor Company, Xiaomi" in result.output and "denied" in result.output
    result = invoke(runner, url, "remove", "xiaomi-denies-ford-talks-2026-02")
    assert result.exit_code == 0 and "Removed 1 article(s)." in result.output
    assert article_iri("xiaomi-denies-ford-talks-2026-02") not in open_store(url).graphs()


def test_server_down_is_one_line_and_exit_1(runner, monkeypatch):
    monkeypatch.setenv("AUTOKG_RETRIES", "0")
    url = f"http://127.0.0.1:{free_port()}"
    result = invoke(runner, url, "query", "tariffs")
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot reach SPARQL endpoint {url}/query: connection refused\n"


def test_bad_sparql_is_a_query_error(runner, oxigraph_server):
    result = invoke(runner, oxigraph_server.url, "query", "-e", "SELEKT nothing")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: invalid SPARQL: the endpoint {oxigraph_server.url}/query answered 400")
    assert len(result.stderr.splitlines()) == 1


def test_read_only_server_refuses_writes_clearly(tmp_path):
    from graph.serve import read_only_endpoint

    load_paths(open_store(str(tmp_path / "store")), [SEED_ARTICLE], REGISTRY)
    with read_only_endpoint(str(tmp_path / "store"), port=0) as endpoint:
        store = open_store(endpoint.url.removesuffix("/query"))
        assert len(run_query(store, "who-talked-to-whom").rows) == 5
        changed = tmp_path / SEED_ARTICLE.name  # reloading it unchanged would write nothing
        changed.write_text(SEED_ARTICLE.read_text(encoding="utf-8").replace("headline: ", "headline: Changed, ", 1),
                           encoding="utf-8")
        (tmp_path / SEED_ARTICLE.with_suffix(".txt").name).write_bytes(SEED_ARTICLE.with_suffix(".txt").read_bytes())
        with pytest.raises(StoreError, match=r"refused the request \(403 Forbidden: The server is read-only\)"):
            load_paths(store, [changed], REGISTRY)


def _oxigraph() -> str:
    from .conftest import oxigraph_binary

    return oxigraph_binary()


def _wait_for_port(port: int) -> None:
    import socket

    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)


def _write_articles(folder, count: int, confirm_from: int | None = None) -> None:
    """``count`` small valid articles, each with a few claims between registry entities."""
    write_talks(folder, range(count), PAIRS, confirm_from)


def _graph_sizes(store) -> Counter:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").records()
    return Counter({r["g"]: int(r["n"]) for r in rows})


def test_killing_the_server_mid_load_leaves_only_whole_articles(tmp_path):
    """Each request carries its articles' claim summaries: after the kill the server holds a
    fresh load's worth of exactly the articles in it, statuses of claims stored before included
    (100 articles are loaded first; the killed load's articles 100-199 confirm their talks)."""
    articles = tmp_path / "articles"
    _write_articles(articles, 300, confirm_from=100)
    clean = open_store("memory")
    load_paths(clean, [articles], REGISTRY)
    expected = _graph_sizes(clean)
    article_graphs = {g for g in expected if "/article/" in g}
    assert len(article_graphs) == 300

    server = OxigraphServer(tmp_path / "db").start()
    first = tmp_path / "first"
    first.mkdir()
    for path in sorted(articles.glob("*.yaml"))[:100]:
        shutil.copy(path, first / path.name)
    load_paths(open_store(server.url), [first], REGISTRY)
    env = {**os.environ, "AUTOKG_STORE": server.url, "AUTOKG_GRAPHS_PER_REQUEST": "1", "AUTOKG_RETRIES": "1"}
    load = subprocess.Popen([sys.executable, "-m", "graph.cli", "load", "--registry", str(REGISTRY), str(articles)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        probe = open_store(server.url)
        deadline = time.monotonic() + 60
        while len([g for g in probe.graphs() if "/article/" in g]) < 110:
            assert load.poll() is None, f"load ended before the kill: {load.communicate()}"
            assert time.monotonic() < deadline, "the load wrote nothing"
            time.sleep(0.01)
        server.kill()
        out, err = load.communicate(timeout=60)
    finally:
        if load.poll() is None:
            load.kill()
        server.kill()
    assert load.returncode == 1, (out, err)
    assert err.startswith(f"Error: cannot reach SPARQL endpoint {server.url}/"), err
    assert len(err.splitlines()) == 1 and "Traceback" not in err

    server.start()  # same folder, same port
    try:
        store = open_store(server.url)
        present = _graph_sizes(store)
        loaded = {g for g in present if "/article/" in g}
        assert 110 <= len(loaded) < 300, "the kill should land mid-load"
        for g in loaded:
            assert present[g] == expected[g], f"{g} holds {present[g]} triples, a clean load {expected[g]}"
        fresh, _ = fresh_load_of(store, articles, REGISTRY)
        assert all_quads(store) == all_quads(fresh)
        # Loading again completes the store.
        load_paths(store, [articles], REGISTRY)
        assert all_quads(store) == all_quads(clean)
    finally:
        server.stop()


def test_autokg_serve_answers_sparql_over_http(tmp_path):
    import json
    import urllib.parse
    import urllib.request

    store_dir = tmp_path / "store"
    load_paths(open_store(str(store_dir)), [SEED_ARTICLE], REGISTRY)
    serve = subprocess.Popen([sys.executable, "-m", "graph.cli", "--store", str(store_dir), "serve", "--port", "0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=receive_signals)
    try:
        line = serve.stdout.readline()
        assert line.startswith(f"Serving {store_dir} read-only at http://127.0.0.1:"), line + serve.stderr.read()
        url = line.split(" at ", 1)[1].split()[0] + "sparql"
        query = ("PREFIX ak: <https://w3id.org/autokg#> "
                 "SELECT ?claim WHERE { ?claim ak:status ak:denied }")
        request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': query})}",
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=30) as response:
            bindings = json.load(response)["results"]["bindings"]
        assert {b["claim"]["value"].rsplit("/", 1)[1] for b in bindings} >= {"ford-xiaomi-joint-venture-talks"}
        # While it serves, a write to the same store waits its turn with a clear message.
        busy = subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(store_dir), "load",
                               "--registry", str(REGISTRY), str(SEED_ARTICLE)], capture_output=True, text=True)
        assert busy.returncode == 1 and "in use" in busy.stderr
    finally:
        serve.send_signal(signal.SIGINT)
        try:
            out, err = serve.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.communicate()
            raise
    assert serve.returncode == 0, err
    assert err.strip().endswith("Stopped (SIGINT).")
