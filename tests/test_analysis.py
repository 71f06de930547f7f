"""Network analysis on the seed story: talks, centrality, communities, brokers, paths, exports."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest

from graph import UnknownEntityError, load_paths, open_store
from graph.analysis import (
    actor_graph,
    brokers,
    centrality,
    collapse,
    communities,
    ego,
    exportable,
    path,
    resolve_node,
    talks,
    timeline,
    write_actor_graph,
)
from graph.errors import AnalysisError
from graph.layout import layout

from .conftest import EXAMPLES, SEED_ARTICLE, invoke

REGISTRY = EXAMPLES / "entities.yaml"
ID = "https://w3id.org/autokg/id/"


@pytest.fixture(scope="module")
def seed_store():
    store = open_store("memory")
    load_paths(store, [SEED_ARTICLE], REGISTRY)
    return store


@pytest.fixture(scope="module")
def seed(seed_store):
    return actor_graph(seed_store)


@pytest.fixture
def seed_cli(tmp_path):
    """CLI arguments for a memory store holding only the seed story."""
    return ["--store", "memory", "--load", str(SEED_ARTICLE), "--registry", str(REGISTRY)]


def pair(row):
    return frozenset((row["party_a"], row["party_b"]))


def test_actor_graph_has_one_edge_per_claim_and_relation(seed):
    assert isinstance(seed, nx.MultiDiGraph)
    assert seed.number_of_nodes() == 12 and seed.number_of_edges() == 10
    assert seed.nodes[f"{ID}xiaomi"] == {"slug": "xiaomi", "label": "Xiaomi", "type": "automaker", "country": "China"}
    [talk] = seed.get_edge_data(f"{ID}ford-motor-company", f"{ID}xiaomi").values()
    assert talk["kind"] == "negotiation" and talk["status"] == "denied" and talk["directed"] is False
    assert talk["reported_by"] == "Financial Times" and talk["denied_by"] == "Xiaomi"
    assert talk["articles"] == ["xiaomi-denies-ford-talks-2026-02"]
    assert talk["when"] == "2026-02" and talk["date"] is None  # undated claim: placed at its article's date
    assert [q for _, q in talk["evidence"]] == [
        "Ford Motor had discussed setting up a joint venture with it to build EVs in the United States",
        "Ford held talks with Xiaomi over a partnership meant to give Chinese carmakers a foothold in the US"]
    # The MOFCOM statement is one claim with two relations: the stance and speaking for MOFCOM.
    relations = {d["relation"] for _, _, d in seed.out_edges(f"{ID}he-yadong", data=True)}
    assert relations == {"opposes", "speaks for"}


def test_collapsed_graph_is_weighted(seed):
    H = collapse(seed)
    assert isinstance(H, nx.Graph) and not H.is_directed()
    assert H.number_of_edges() == 10
    assert H[f"{ID}xiaomi"][f"{ID}global-times"]["weight"] == 1


def test_talks_lists_ford_xiaomi_denied_and_ford_byd_reported(seed, seed_store):
    rows = {pair(r): r for r in talks(seed)}
    assert rows[frozenset(("Ford Motor Company", "Xiaomi"))]["status"] == "denied"
    assert rows[frozenset(("Ford Motor Company", "Xiaomi"))]["denied_by"] == "Xiaomi"
    assert rows[frozenset(("BYD", "Ford Motor Company"))]["status"] == "reported"
    assert rows[frozenset(("BYD", "Ford Motor Company"))]["reported_by"] == "Financial Times"
    assert len(rows) == 5
    kept = {pair(r) for r in talks(actor_graph(seed_store, exclude_denied=True))}
    assert frozenset(("Ford Motor Company", "Xiaomi")) not in kept
    assert frozenset(("BYD", "Ford Motor Company")) in kept


def test_cli_talks_with_and_without_denied(runner, seed_cli):
    from graph.cli import cli

    result = runner.invoke(cli, [*seed_cli, "analyze", "talks", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = {pair(r): r for r in csv.DictReader(io.StringIO(result.output))}
    assert rows[frozenset(("Ford Motor Company", "Xiaomi"))]["status"] == "denied"
    assert rows[frozenset(("BYD", "Ford Motor Company"))]["status"] == "reported"
    result = runner.invoke(cli, [*seed_cli, "analyze", "talks", "--exclude-denied", "-f", "csv"])
    rows = {pair(r) for r in csv.DictReader(io.StringIO(result.output))}
    assert frozenset(("Ford Motor Company", "Xiaomi")) not in rows


def test_centrality_expected_values(seed):
    rows = {r["entity"]: r for r in centrality(seed)}
    assert centrality(seed)[0]["entity"] == "Xiaomi"
    # 12 nodes: betweenness normalised by (n-1)(n-2)/2 = 55 pairs.
    assert rows["Xiaomi"]["betweenness"] == pytest.approx(20 / 55)
    assert rows["Global Times"]["betweenness"] == pytest.approx(20 / 55)
    assert rows["United States"]["betweenness"] == pytest.approx(18 / 55)
    assert rows["BYD"]["betweenness"] == 0
    assert rows["Xiaomi"]["neighbours"] == 3 and rows["Xiaomi"]["degree"] == pytest.approx(3 / 11)
    top_eigen = max(rows.values(), key=lambda r: r["eigenvector"])
    assert top_eigen["entity"] == "Xiaomi"
    assert rows["Donald Trump"]["eigenvector"] == pytest.approx(0, abs=1e-6)  # a separate component


def test_sampled_betweenness_is_repeatable(monkeypatch):
    import graph.analysis as analysis

    G = nx.MultiDiGraph()
    big = nx.barabasi_albert_graph(60, 2, seed=1)
    for n in big:
        G.add_node(n, slug=str(n), label=f"n{n}", type="company", country=None)
    for u, v in big.edges():
        G.add_edge(u, v, claim=f"c{u}-{v}", relation="negotiation", status="asserted")
    exact = {r["entity"]: r["betweenness"] for r in centrality(G)}
    monkeypatch.setattr(analysis, "EXACT_BETWEENNESS_MAX_NODES", 10)
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLES", 30)
    first, second = centrality(G), centrality(G)
    assert first == second
    sampled = {r["entity"]: r["betweenness"] for r in first}
    assert sampled != exact
    top_exact = max(exact, key=exact.get)
    assert top_exact in sorted(sampled, key=sampled.get)[-5:]


def test_communities_expected(seed):
    rows = communities(seed)
    groups = [set(r["members"].split("; ")) for r in rows]
    assert {"Ford Motor Company", "Xiaomi", "BYD", "Financial Times"} in groups
    assert {"Donald Trump", "Chinese automakers"} in groups
    assert {"He Yadong", "China's Ministry of Commerce (MOFCOM)", "US Section 232 tariff on imported automobiles",
            "United States"} in groups
    assert sum(r["size"] for r in rows) == 12
    assert rows[0]["modularity"] == pytest.approx(0.505, abs=1e-3)
    assert communities(seed) == rows  # seeded: the same every run


def test_top_broker_is_xiaomi(seed):
    rows = brokers(seed)
    assert rows[0]["entity"] == "Xiaomi"
    assert rows[0]["communities_reached"] == 2 and rows[0]["constraint"] == pytest.approx(1 / 3)
    assert {r["entity"] for r in rows} == {"Xiaomi", "Global Times", "Zhang Xiang", "United States",
                                          "US Section 232 tariff on imported automobiles", "Ford Motor Company",
                                          "He Yadong"}


def test_path_from_xiaomi_to_he_yadong_names_article_and_quote_for_every_hop(seed, seed_store):
    rows = path(seed, resolve_node(seed_store, seed, "Xiaomi"), resolve_node(seed_store, seed, "He Yadong"))
    assert [r["to"] for r in rows] == ["Global Times", "Zhang Xiang", "United States",
                                       "US Section 232 tariff on imported automobiles", "He Yadong"]
    assert [r["link"] for r in rows][2] == "Zhang Xiang criticises United States"
    text = SEED_ARTICLE.with_suffix(".txt").read_text()
    for row in rows:
        assert row["article"] == "xiaomi-denies-ford-talks-2026-02"
        assert row["quote"] and " ".join(row["quote"].split()) in " ".join(text.split())
    assert rows[-1]["quote"] == "said China firmly opposes these tariff measures"


def test_cli_path_prints_every_hop_with_article_and_quote(runner, seed_cli):
    from graph.cli import cli

    result = runner.invoke(cli, [*seed_cli, "analyze", "path", "Xiaomi", "He Yadong", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 5
    assert all(r["article"] == "xiaomi-denies-ford-talks-2026-02" and r["quote"] for r in rows)


def test_path_errors(seed, seed_store, runner, seed_cli):
    from graph.cli import cli

    with pytest.raises(AnalysisError, match="no connection between Xiaomi and Donald Trump"):
        path(seed, f"{ID}xiaomi", f"{ID}donald-trump")
    with pytest.raises(AnalysisError, match="takes part in no interaction"):
        resolve_node(seed_store, seed, "Michigan")
    with pytest.raises(UnknownEntityError) as info:
        resolve_node(seed_store, seed, "Xiaomy")
    assert "xiaomi" in [s.casefold() for s in info.value.suggestions]
    result = runner.invoke(cli, [*seed_cli, "analyze", "path", "Xiaomy", "Ford"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown entity 'Xiaomy'; close matches: Xiaomi")
    without_denied = actor_graph(seed_store, exclude_denied=True)
    with pytest.raises(AnalysisError, match="no connection"):
        path(without_denied, f"{ID}ford-motor-company", f"{ID}xiaomi")


def test_ego_network(seed):
    rows = ego(seed, f"{ID}ford-motor-company", 1)
    assert {(r["source"], r["target"]) for r in rows} == {("BYD", "Ford Motor Company"),
                                                         ("Ford Motor Company", "Xiaomi")}
    two = ego(seed, f"{ID}ford-motor-company", 2)
    assert {r["relation"] for r in two if r["hops"] == 2} == {"denial to", "denies"}


def test_timeline_slices(seed, seed_store):
    rows = timeline(seed)
    assert [r["period"] for r in rows] == ["2025-04", "2026-02"]
    assert rows[0]["relations"] == "tariff imposition 1"
    assert rows[1]["denied"] == 1 and rows[1]["claims"] == 7
    assert [r["period"] for r in timeline(seed, "year")] == ["2025", "2026"]
    only_2025 = actor_graph(seed_store, until="2025")
    assert only_2025.number_of_edges() == 1
    assert actor_graph(seed_store, since="2026-01").number_of_edges() == 9
    with pytest.raises(AnalysisError, match="not a date"):
        actor_graph(seed_store, since="last year")


def test_kind_filter(seed_store):
    G = actor_graph(seed_store, kinds=["negotiation"])
    assert {d["kind"] for _, _, d in G.edges(data=True)} == {"negotiation"}
    assert actor_graph(seed_store, kinds=["opposes"]).number_of_edges() == 1
    with pytest.raises(AnalysisError, match="no claims of kind 'gossip'"):
        actor_graph(seed_store, kinds=["gossip"])


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_read_back_with_the_same_nodes_edges_and_attributes(seed, tmp_path, fmt):
    out = write_actor_graph(seed, tmp_path / f"actors.{fmt}")
    back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    flat = exportable(seed)
    assert set(back.nodes) == set(flat.nodes)
    for node, attrs in flat.nodes(data=True):
        got = dict(back.nodes[node])
        if fmt == "gexf":
            assert got.pop("label") == attrs["label"]
            attrs = {k: v for k, v in attrs.items() if k != "label"}
        for key, value in attrs.items():
            assert got[key] == value, (node, key)
    assert back.number_of_edges() == flat.number_of_edges() == 10

    def summary(graph):
        return sorted((u, v, d["claim"], d["relation"], d["status"], d["evidence"])
                      for u, v, d in graph.edges(data=True))

    expected, actual = summary(flat), summary(back)
    assert actual == expected
    denied = [d for _, _, d in back.edges(data=True) if d["status"] == "denied"]
    assert denied[0]["directed"] is False and denied[0]["articles"] == "xiaomi-denies-ford-talks-2026-02"


def test_cli_export_and_bad_format(runner, seed_cli, tmp_path):
    from graph.cli import cli

    out = tmp_path / "actors.gexf"
    result = runner.invoke(cli, [*seed_cli, "analyze", "export", "--format", "gexf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "12 entities, 10 claim edges" in result.output
    assert nx.read_gexf(out).number_of_nodes() == 12
    assert runner.invoke(cli, [*seed_cli, "analyze", "export", "--format", "dot", "--out", str(out)]).exit_code == 2


@pytest.mark.parametrize("command", [["centrality"], ["communities"], ["brokers"], ["ego", "Ford"], ["timeline"]])
def test_every_analysis_prints_json_and_md(runner, seed_cli, command):
    import json

    from graph.cli import cli

    result = runner.invoke(cli, [*seed_cli, "analyze", *command, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"]["bindings"]
    assert "|---|" in runner.invoke(cli, [*seed_cli, "analyze", *command, "-f", "md"]).output


def test_analysis_on_a_disk_store(runner, tmp_path):
    store = tmp_path / "store"
    assert invoke(runner, store, "load", str(SEED_ARTICLE), "--registry", str(REGISTRY)).exit_code == 0
    result = invoke(runner, store, "analyze", "brokers", "-f", "csv")
    assert result.output.splitlines()[1].startswith("Xiaomi,")


def test_layout_places_every_node_apart():
    G = nx.disjoint_union(nx.barabasi_albert_graph(400, 1, seed=3), nx.star_graph(5))
    pos = layout(G)
    assert set(pos) == set(G)
    assert layout(G) == pos  # deterministic
    points = sorted(pos.values())
    assert len(set(points)) == len(points)


@pytest.fixture(scope="module")
def corpus_graph(tmp_path_factory):
    """The actor graph of 1,000 generated articles (bench/corpus.py, as `make bench`): 927 entities."""
    from .conftest import generated_store

    return actor_graph(generated_store(tmp_path_factory, 1000, 7), evidence=False)


def test_burt_measures_are_networkx_s(seed, tmp_path):
    """Constraint and effective size, computed from neighbour sets, equal networkx's
    definitions (on the seed story, and on every entity of 60 generated articles)."""
    import subprocess
    import sys

    from graph.analysis import _constraint, _effective_size

    from .conftest import ROOT

    folder = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(folder), "--articles", "60",
                    "--seed", "4"], check=True, capture_output=True)
    store = open_store("memory")
    load_paths(store, [folder])
    for G in (seed, actor_graph(store, evidence=False)):
        H = collapse(G)
        nodes = [n for n in H if set(H[n]) - {n}]
        assert _constraint(H, nodes) == pytest.approx(nx.constraint(H, nodes=nodes), rel=1e-12)
        assert _effective_size(H, nodes) == pytest.approx(nx.effective_size(H, nodes=nodes), rel=1e-12)


def test_sampled_brokers_and_centrality_have_the_exact_top_ten(corpus_graph):
    from graph.analysis import BETWEENNESS_SAMPLES, betweenness_note

    nodes = corpus_graph.number_of_nodes()
    assert nodes > BETWEENNESS_SAMPLES + 100  # so that sampling leaves sources out
    below = BETWEENNESS_SAMPLES  # sample above this size, as on a large corpus
    for measure in (brokers, centrality):
        exact = [r["entity"] for r in measure(corpus_graph)[:10]]
        sampled = [r["entity"] for r in measure(corpus_graph, exact_max_nodes=below)[:10]]
        assert set(sampled) == set(exact), measure.__name__
    assert betweenness_note(corpus_graph) is None
    assert f"out of {BETWEENNESS_SAMPLES:,} of the {nodes:,} nodes" in betweenness_note(corpus_graph, below)


def test_betweenness_is_networkx_s(seed, corpus_graph, monkeypatch):
    """Betweenness, accumulated for many sources at once, equals networkx's, exact and sampled
    (the same sources drawn with the same seed)."""
    import graph.analysis as analysis

    for G in (seed, corpus_graph):
        H = collapse(G)
        assert analysis._betweenness(H) == pytest.approx(nx.betweenness_centrality(H), abs=1e-12)
        k = len(H) // 2
        monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLES", k)
        assert analysis._betweenness(H, exact_max_nodes=k) == pytest.approx(
            nx.betweenness_centrality(H, k=k, seed=analysis.SEED), abs=1e-12)
    monkeypatch.setattr(analysis, "_DENSE_MAX_NODES", 5)  # past it, networkx itself
    assert analysis._betweenness(collapse(seed)) == nx.betweenness_centrality(collapse(seed))


def test_eigenvector_is_networkx_s(seed, corpus_graph):
    from graph.analysis import _eigenvector

    for G in (seed, corpus_graph):
        H = collapse(G)
        expected = nx.eigenvector_centrality(H, max_iter=5000, tol=1e-9, weight="weight")
        assert _eigenvector(H) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("command", ["centrality", "brokers"])
def test_cli_says_when_betweenness_is_estimated(runner, seed_cli, monkeypatch, command):
    import graph.analysis as analysis
    from graph.cli import cli

    exact = runner.invoke(cli, [*seed_cli, "analyze", command, "-f", "csv"])
    assert exact.exit_code == 0 and "estimated" not in exact.stderr
    monkeypatch.setattr(analysis, "EXACT_BETWEENNESS_MAX_NODES", 5)
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLES", 6)
    sampled = runner.invoke(cli, [*seed_cli, "analyze", command, "-f", "csv"])
    assert sampled.exit_code == 0, sampled.output
    assert sampled.stderr.startswith("Note: betweenness estimated from shortest paths out of 6 of the 12 nodes, "
                                     "drawn with seed 42 (exact up to 5 nodes).")
    assert sampled.stdout != exact.stdout and sampled.stdout.startswith("entity,")
