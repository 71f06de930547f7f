"""Loading: atomic, idempotent, clear errors with file:line, nothing half-written."""

from __future__ import annotations

import shutil

import pytest

from graph import AnnotationError, load_paths, open_store, remove_articles, run_query
from graph.terms import article_iri

from .conftest import DATA, EXAMPLES, REGISTRY, SEED_ARTICLE, invoke

BROKEN = DATA / "broken"


def test_example_loads_into_its_own_named_graph(store):
    graphs = store.graphs()
    assert article_iri("xiaomi-denies-ford-talks-2026-02") in graphs
    assert len(run_query(store, "who-talked-to-whom").rows) == 5


def test_loading_twice_leaves_the_quad_count_unchanged(store):
    before = store.quad_count()
    report = load_paths(store, [SEED_ARTICLE], REGISTRY)
    assert report.quads_before == report.quads_after == before


def test_removal_removes_the_article_and_its_claims(store):
    assert remove_articles(store, ["xiaomi-denies-ford-talks-2026-02"]) == ["xiaomi-denies-ford-talks-2026-02"]
    assert run_query(store, "who-talked-to-whom").rows == []
    assert run_query(store, "contested-claims").rows == []
    assert not any("/article/" in g for g in store.graphs())


@pytest.mark.parametrize("name, line, message", [
    ("bad-yaml.yaml", 11, "invalid YAML"),
    ("unknown-type.yaml", 8, "unknown event type 'Negotiaton' (did you mean 'Negotiation'?"),
    ("missing-quote.yaml", 11, "quote not found in the article text: 'Ford met BYD.'"),
    ("dangling-reference.yaml", 10, "participant refers to unknown entity or event 'xiaomi-motors-of-atlantis'"),
    ("ambiguous-quote.yaml", 11, "quote occurs 2 times in the text"),
])
def test_broken_file_fails_with_file_and_line_and_store_is_unchanged(runner, tmp_path, name, line, message):
    store_dir = tmp_path / "store"
    assert invoke(runner, store_dir, "load", "--registry", str(REGISTRY), str(SEED_ARTICLE)).exit_code == 0
    before = _dump(store_dir)
    result = invoke(runner, store_dir, "load", "--registry", str(REGISTRY), str(SEED_ARTICLE), str(BROKEN / name))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines, "no error printed"
    assert all(line_.startswith("[ERROR] ") for line_ in lines)
    assert any(f"{BROKEN / name}:{line}: " in line_ and message in line_ for line_ in lines), lines
    assert "Traceback" not in result.output
    assert _dump(store_dir) == before


def test_every_problem_in_a_file_is_reported_at_once():
    with pytest.raises(AnnotationError) as caught:
        load_paths(open_store("memory"), [BROKEN / "dangling-reference.yaml"], REGISTRY)
    assert [p.line for p in caught.value.problems] == [10, 15]


def test_a_broken_file_among_good_ones_writes_nothing(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(EXAMPLES, folder)
    shutil.copy(BROKEN / "missing-quote.yaml", folder / "articles" / "zz-broken.yaml")
    store = open_store("memory")
    with pytest.raises(AnnotationError):
        load_paths(store, [folder])
    assert store.quad_count() == 0


def test_quotes_across_line_breaks_and_prefix_disambiguation(tmp_path):
    (tmp_path / "a.yaml").write_text("""
article:
  id: wrapped
  headline: Wrapped quote
  publisher: global-times
  date: 2026
  text: "Ford met Xiaomi.\\nLater, Ford met\\n   Xiaomi again."
events:
  - id: second-talks
    type: Negotiation
    participant: [Ford, Xiaomi]
    evidence:
      quote: Ford met Xiaomi
      prefix: "Later,"
""", encoding="utf-8")
    store = open_store("memory")
    load_paths(store, [tmp_path / "a.yaml"], REGISTRY)
    result = store.query("PREFIX oa: <http://www.w3.org/ns/oa#> SELECT ?exact ?start "
                         "{ ?a oa:motivatedBy oa:describing ; oa:hasTarget ?t . "
                         "?q oa:exact ?exact . ?t oa:hasSelector ?q, ?p . ?p oa:start ?start }")
    assert result.records() == [{"exact": "Ford met\n   Xiaomi", "start": "24"}]


def _dump(store_dir) -> bytes:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_dir))
    try:
        return b"".join(sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines()))
    finally:
        del store


def test_reload_skips_unchanged_articles_and_replaces_changed_ones(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for suffix in (".yaml", ".txt"):
        shutil.copy(SEED_ARTICLE.with_suffix(suffix), folder)
    store = open_store(str(tmp_path / "store"))
    load_paths(store, [folder], REGISTRY)
    first = store.quad_count()
    article = folder / SEED_ARTICLE.name
    article.write_text(article.read_text().replace("topic: possible collaboration in the US",
                                                   "topic: a possible partnership in the US"))
    load_paths(store, [folder], REGISTRY)
    topics = {r["topic"] for r in run_query(store, "who-talked-to-whom").records()}
    assert "a possible partnership in the US" in topics
    assert "possible collaboration in the US" not in topics
    assert store.quad_count() == first, "one literal replaced by another: same number of quads"
