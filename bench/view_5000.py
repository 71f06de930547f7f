"""Benchmark: write a 5,000-node HTML view, then open it in headless Chromium.

Reports the seconds to write the view (layout included), the file size, and the seconds
the browser needs until the view is drawn and frozen (``window.autokgView.readyAt``,
measured from navigation start). With ``--compare-spring`` it also times networkx's
``spring_layout`` on the same graph (slow: tens of seconds).

The graph is synthetic but has the actor graph's shape and attributes: a scale-free giant
component of companies, governments, people and outlets, plus small groups (pairs, stars)
such as a news corpus produces, with claim statuses, dates, articles and evidence quotes.

    .venv/bin/python bench/view_5000.py [--nodes 5000] [--out bench/out/view_5000.html] [--compare-spring]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import networkx as nx

from graph.layout import layout
from graph.views import write_view

TYPES = ["automaker", "company", "government", "ministry", "person", "media outlet", "association", "country",
         "tariff", "agent group"]
RELATIONS = [("negotiation", "negotiation", False), ("statement", "statement to", True),
             ("statement", "opposes", True), ("invitation", "invitation", True), ("denial", "denies", True),
             ("tariff imposition", "tariff imposition", True), ("meeting", "meeting", False)]
STATUSES = ["asserted"] * 6 + ["reported"] * 2 + ["denied", "contested", "confirmed"]


def synthetic_actor_graph(n: int = 5000, seed: int = 7) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    giant = int(n * 0.8)
    skeleton = nx.powerlaw_cluster_graph(giant, 2, 0.1, seed=seed)
    rest = n - giant
    offset = giant
    while rest > 0:  # small components: pairs, triangles, stars
        size = min(rest, rng.choice([2, 2, 3, 4, 6]))
        skeleton.add_edges_from((offset, offset + i) for i in range(1, size))
        offset += size
        rest -= size
    G = nx.MultiDiGraph(name="synthetic actor graph")
    for node in skeleton:
        G.add_node(f"n{node}", slug=f"entity-{node}", label=f"Entity {node}", type=rng.choice(TYPES),
                   country=rng.choice(["China", "United States", "Germany", None]))
    for claim, (u, v) in enumerate(skeleton.edges()):
        kind, relation, directed = rng.choice(RELATIONS)
        month = f"20{rng.randint(20, 26)}-{rng.randint(1, 12):02d}"
        article = f"article-{rng.randint(1, 800)}"
        G.add_edge(f"n{u}", f"n{v}", key=f"claim-{claim}#{relation}", claim=f"claim-{claim}", claim_id=f"claim-{claim}",
                   kind=kind, relation=relation, directed=directed, status=rng.choice(STATUSES), date=month,
                   when=month, topic="synthetic topic", articles=[article],
                   evidence=[(article, f"Entity {u} and Entity {v} held talks, a spokesperson said.")],
                   reported_by=None, denied_by=None)
    return G


def browser_seconds(path: Path) -> tuple[float, int, int, list[str], list[str]]:
    from playwright.sync_api import sync_playwright

    args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"]
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        def guard(route):
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                requests.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.autokgView !== undefined", timeout=600_000)
        ready_ms, nodes, edges = page.evaluate(
            "[autokgView.readyAt, autokgView.network.body.data.nodes.length,"
            " autokgView.network.body.data.edges.length]")
        page.screenshot(path=str(path.with_suffix(".png")))
        browser.close()
    return ready_ms / 1000, nodes, edges, requests, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=Path("bench/out/view_5000.html"))
    parser.add_argument("--compare-spring", action="store_true", help="also time networkx spring_layout")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)

    G = synthetic_actor_graph(args.nodes)
    print(f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} claim edges")
    started = time.perf_counter()
    layout(G)
    print(f"layout (graph.layout, PivotMDS + grid refinement): {time.perf_counter() - started:.2f} s")
    report = write_view(G, args.out)
    print(f"view written: {report.seconds:.2f} s, {report.bytes / 1e6:.1f} MB, {report.nodes} nodes, "
          f"{report.edges} edges, positions precomputed: {report.positioned} -> {args.out}")
    if not args.no_browser:
        seconds, nodes, edges, requests, errors = browser_seconds(args.out)
        print(f"browser: drawn and frozen {seconds:.2f} s after navigation start; {nodes} nodes, {edges} edges; "
              f"{len(requests)} network requests; {len(errors)} console errors; "
              f"screenshot {args.out.with_suffix('.png')}")
    if args.compare_spring:
        simple = nx.Graph(G.to_undirected())
        started = time.perf_counter()
        try:
            nx.spring_layout(simple, seed=42)
            what = "networkx spring_layout"
        except ImportError:  # above 500 nodes spring_layout wants scipy; time its dense numpy version
            from networkx.drawing.layout import _fruchterman_reingold

            _fruchterman_reingold(nx.to_numpy_array(simple), seed=42)
            what = "networkx spring_layout's Fruchterman-Reingold (dense numpy; the sparse one needs scipy)"
        print(f"{what}: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
