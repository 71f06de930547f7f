"""The actor graph is read once: a snapshot kept until any write changes the store's
fingerprints; path and ego read only what they show, and answer as the whole graph does."""

from __future__ import annotations

import shutil
from collections import defaultdict

import pytest

from graph import load_paths, open_store, remove_articles
from graph.analysis import actor_graph, ego, ego_of, path, path_between, talks
from graph.errors import AnalysisError
from graph.snapshot import _cache_file, fingerprint, snapshot

from .conftest import EXAMPLES, ROOT, generated_store

ID = "https://w3id.org/autokg/id/"
# The queries the actor graph was read with before its pairs were made in Python from flat
# tables (graph.analysis._actor_pairs) and its articles, reporters and deniers taken from the
# claims' summaries: the reference the snapshot must equal.
REFERENCE = ROOT / "tests" / "data" / "reference"
# Roles the examples do not fill: a visit's host, a confirmation, a report citing a source, two
# speakers each for two principals, a stance towards a claim, an attribution both reported and
# asserted; and a visit whose participants are its visitor and host (an undirected and a
# directed edge for the same pair and relation).
MORE_ROLES = """
PREFIX ak: <https://w3id.org/autokg#>
PREFIX id: <https://w3id.org/autokg/id/>
PREFIX event: <https://w3id.org/autokg/id/event/>
PREFIX attribution: <https://w3id.org/autokg/id/attribution/>
INSERT DATA {
  event:test-visit a ak:Visit ; ak:status ak:asserted ; ak:date "2026-03" ;
    ak:visitor id:byd ; ak:host id:xiaomi ; ak:participant id:byd, id:xiaomi, id:ford .
  event:test-confirmation a ak:Confirmation ; ak:status ak:asserted ; ak:confirms event:test-visit ;
    ak:speaker id:he-yadong, id:lei-jun ; ak:onBehalfOf id:xiaomi, id:byd .
  event:test-report a ak:Report ; ak:status ak:asserted ; ak:reporter id:reuters ; ak:citesSource id:ford .
  attribution:test-1 ak:claim event:test-visit ; ak:viaReport event:test-report ; ak:assertedBy id:ford .
  attribution:test-2 ak:claim event:test-visit ; ak:assertedBy id:european-union .
  event:test-statement a ak:Statement ; ak:status ak:reported ; ak:speaker id:ford, id:byd ;
    ak:addressee id:xiaomi ; ak:stance ak:opposes ; ak:stanceTarget event:test-visit, id:japan .
}
"""


@pytest.fixture(scope="module")
def examples_memory():
    store = open_store("memory")
    load_paths(store, [EXAMPLES])
    return store


@pytest.fixture(scope="module")
def generated_memory(tmp_path_factory):
    """300 generated articles (bench/corpus.py, as `make bench`)."""
    return generated_store(tmp_path_factory, 300, 11)


def _pairs_and_edges(store):
    """The actor graph's pairs and edges from the flat tables, and from the reference query."""
    from graph.analysis import _EDGE_TABLES, _actor_pairs, _edges, _read_tables

    tables = _read_tables(store, _EDGE_TABLES)
    rows = store.select_values((REFERENCE / "actor-graph.rq").read_text())
    reference = [(claim, source, target, directed in ("true", "1"), text, suffix)
                 for claim, source, target, directed, text, suffix in rows]
    pairs = _actor_pairs(tables)
    return (pairs, _edges(tables, pairs)), (reference, _edges(tables, reference))


@pytest.mark.parametrize("corpus", ["examples", "more roles", "generated"])
def test_the_pairs_are_the_reference_querys_rows(examples_memory, generated_memory, corpus):
    if corpus == "generated":
        store = generated_memory
    else:
        store = open_store("memory")
        load_paths(store, [EXAMPLES])
        if corpus == "more roles":
            store._update(MORE_ROLES)
    (pairs, edges), (reference, expected) = _pairs_and_edges(store)
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == set(reference)
    assert edges == expected
    relations = {e["relation"] for e in edges}
    if corpus == "more roles":
        assert {"visit", "confirms", "cites", "statement to", "opposes"} <= relations
        visit = [e for e in edges if e["claim"] == f"{ID}event/test-visit"]
        assert [(e["source"], e["target"], e["directed"]) for e in visit] == [
            (f"{ID}byd", f"{ID}ford", False), (f"{ID}byd", f"{ID}xiaomi", True), (f"{ID}ford", f"{ID}xiaomi", False)]
    assert len(edges) > (1000 if corpus == "generated" else 100)


def _from_attributions(store) -> dict[str, tuple]:
    """Each claim's articles, first article date, reporters and deniers as the attributions give
    them (the reference queries claim-articles.rq and claim-deniers.rq, and articles.rq)."""
    from graph.queries import internal_query

    articles = {node: (identifier, published) for node, identifier, published
                in store.select_values(internal_query("articles.rq"))}
    stated, reporters, deniers = defaultdict(set), defaultdict(set), defaultdict(set)
    for claim, article, reporter in store.select_values((REFERENCE / "claim-articles.rq").read_text()):
        if article in articles:
            stated[claim].add(article)
        if reporter is not None:
            reporters[claim].add(reporter)
    for claim, denier in store.select_values((REFERENCE / "claim-deniers.rq").read_text()):
        if denier is not None:
            deniers[claim].add(denier)
    found = {}
    for claim in stated.keys() | reporters.keys() | deniers.keys():
        published = [articles[a][1] for a in stated[claim] if articles[a][1] is not None]
        found[claim] = (sorted({articles[a][0] for a in stated[claim]}), min(published) if published else None,
                        "; ".join(sorted(reporters[claim])) or None, "; ".join(sorted(deniers[claim])) or None)
    return found


@pytest.mark.parametrize("corpus", ["examples", "generated"])
def test_the_claims_summaries_give_the_articles_reporters_and_deniers_of_their_attributions(
        examples_memory, generated_memory, corpus):
    store = generated_memory if corpus == "generated" else examples_memory
    expected = _from_attributions(store)
    edges = snapshot(store).edges
    for e in edges:
        articles, first, reported_by, denied_by = expected.get(e["claim"], ([], None, None, None))
        assert (e["articles"], e["when"], e["reported_by"], e["denied_by"]) == \
            (articles, e["date"] or first, reported_by, denied_by), e["claim"]
    assert any(e["reported_by"] for e in edges) and any(e["denied_by"] for e in edges)
    assert all(e["articles"] and e["when"] for e in edges)


def test_ego_of_equals_ego_on_the_whole_graph(examples_memory):
    G = actor_graph(examples_memory)
    for node in G:
        slug = node.removeprefix(ID)
        for depth in (0, 1, 2):
            assert ego_of(examples_memory, slug, depth) == ego(G, node, depth), (slug, depth)
    assert ego_of(examples_memory, "xiaomi", 1, exclude_denied=True) == ego(actor_graph(
        examples_memory, exclude_denied=True), f"{ID}xiaomi", 1)


def test_path_between_equals_path_on_the_whole_graph_with_its_evidence(examples_memory):
    G = actor_graph(examples_memory, evidence=True)
    nodes = sorted(G)
    compared = 0
    for a in nodes[::3]:
        for b in nodes[1::4]:
            if a == b:
                continue
            try:
                expected = path(G, a, b)
            except AnalysisError as exc:
                with pytest.raises(AnalysisError, match="no connection"):
                    path_between(examples_memory, a.removeprefix(ID), b.removeprefix(ID))
                assert "no connection" in str(exc)
                continue
            got = path_between(examples_memory, a.removeprefix(ID), b.removeprefix(ID))
            assert len(got) == len(expected)
            if [r["from"] for r in got] == [r["from"] for r in expected]:  # the same chain: the same hops
                assert got == expected
                compared += 1
    assert compared > 20
    rows = path_between(examples_memory, "xiaomi", "he-yadong")
    assert all(r["quote"] for r in rows)


def test_the_snapshot_is_kept_until_a_write(tmp_path):
    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES, folder)
    store = open_store(str(tmp_path / "store"))
    load_paths(store, [folder])
    first = snapshot(store)
    assert snapshot(store) is first  # read once per process
    assert _cache_file(store).is_file()  # and kept for the next command
    store.close()
    store = open_store(str(tmp_path / "store"))
    assert snapshot(store).edges == first.edges  # from the file
    before = {(r["party_a"], r["party_b"]) for r in talks(actor_graph(store))}
    assert remove_articles(store, ["xiaomi-denies-ford-talks-2026-02"])
    assert fingerprint(store) != first.fingerprint
    after = snapshot(store)
    assert after is not first and len(after.edges) < len(first.edges)
    reloaded = open_store("memory")
    load_paths(reloaded, [folder])
    remove_articles(reloaded, ["xiaomi-denies-ford-talks-2026-02"])
    assert {(r["party_a"], r["party_b"]) for r in talks(actor_graph(store))} == \
        {(r["party_a"], r["party_b"]) for r in talks(actor_graph(reloaded))}
    assert before  # the examples have talks
    # A registry change is a write too: its fingerprint is the registry graph's.
    registry = folder / "entities.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("name: Xiaomi\n", "name: Xiaomi Inc\n", 1),
                        encoding="utf-8")
    load_paths(store, [folder])
    assert any(e["label"] == "Xiaomi Inc" for e in snapshot(store).nodes.values())
    store.close()


def _ties(H):
    return [(u, v, d["weight"], d["distance"]) for u, v, d in H.edges(data=True)]


@pytest.mark.parametrize("chosen", [{}, {"exclude_denied": True}, {"since": "2026-01"}, {"kinds": ["negotiation"]}])
def test_collapsed_actor_graph_is_the_collapsed_claim_graph(examples_memory, chosen):
    """From the snapshot's pairs: the same nodes, ties and weights in the same order as
    collapsing the claim graph, so every metric answers the same."""
    from graph.analysis import brokers, centrality, collapse, collapsed_actor_graph, communities

    G = actor_graph(examples_memory, evidence=False, **chosen)
    expected, H = collapse(G), collapsed_actor_graph(examples_memory, **chosen)
    assert list(H.nodes(data=True)) == list(expected.nodes(data=True))
    assert _ties(H) == _ties(expected)
    assert [list(H[n]) for n in H] == [list(expected[n]) for n in expected]
    for measure in (centrality, communities, brokers):
        assert measure(H) == measure(G), measure.__name__
    with pytest.raises(AnalysisError, match="no claims of kind 'gossip'"):
        collapsed_actor_graph(examples_memory, kinds=["gossip"])


def test_a_hop_asks_for_quotes_of_its_best_supported_claims_only():
    """path's choice for a hop: the best status, then a claim with quotes, then the earliest;
    quotes are asked for claims of the best status, a few at a time, until one has some."""
    from graph.analysis import _best_claim

    def claim(number, status, when="2026-01"):
        return ("a", "b", {"claim": f"c{number:02}", "status": status, "when": when})

    claims = [claim(n, "confirmed", when=f"2026-01-{n + 1:02}") for n in range(20)]
    claims += [claim(90, "reported", when="2025-01"), claim(91, "denied")]
    asked = []

    def quotes(iris):
        asked.append(list(iris))
        return {iri: [("article", "quote")] for iri in iris if iri in {"c17", "c90"}}

    (_, _, best), evidence = _best_claim(claims, quotes)
    assert best["claim"] == "c17" and evidence == [("article", "quote")]
    assert [len(batch) for batch in asked] == [16, 4]
    assert all(iri < "c20" for batch in asked for iri in batch)  # never the reported or the denied claim
    asked.clear()
    (_, _, best), evidence = _best_claim(claims[:3] + claims[20:], quotes)
    assert best["claim"] == "c00" and evidence == []  # no quotes among the confirmed: the earliest of them
