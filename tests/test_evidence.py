"""Every evidence annotation in the store (a claim's evidence, an entity's mention) points at
exactly the text it quotes."""

from __future__ import annotations

import shutil

import pytest

from graph import load_paths, open_store

from .conftest import DATA, REGISTRY, SHARED

EVIDENCE = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <https://schema.org/>
SELECT ?annotation ?motivation ?exact ?prefix ?suffix ?start ?end ?text WHERE {
  GRAPH ?graph {   # every annotation once: evidence in its article's graph, mentions in the mentions graph
    ?annotation a oa:Annotation ; oa:motivatedBy ?motivation ; oa:hasTarget ?target .
    ?target oa:hasSource ?article ; oa:hasSelector ?quote, ?position .
    ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
    OPTIONAL { ?quote oa:prefix ?prefix } OPTIONAL { ?quote oa:suffix ?suffix }
    ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  }
  ?article schema:text ?text .
}
"""


def check_every_selector(store) -> int:
    """Check every annotation's selectors; return how many claim evidence spans there are."""
    records = store.query(EVIDENCE).records()
    for r in records:
        start, end, text = int(r["start"]), int(r["end"]), r["text"]
        assert text[start:end] == r["exact"], r["annotation"]
        assert text[:start].endswith(r["prefix"] or ""), r["annotation"]
        assert text[end:].startswith(r["suffix"] or ""), r["annotation"]
    assert any(r["motivation"].endswith("#identifying") for r in records), "entity mentions are checked too"
    return sum(r["motivation"].endswith("#describing") for r in records)


def test_every_example_selector_matches_the_text(examples_store):
    assert check_every_selector(examples_store) == 15


def test_every_seed_selector_matches_the_original_text(tmp_path):
    seed = SHARED / "seeds" / "global-times-xiaomi-ford-2026-02.txt"
    if not seed.exists():
        pytest.skip("../shared/seeds is not present next to this checkout")
    shutil.copy(seed, tmp_path)
    shutil.copy(DATA / "seed" / "global-times-seed.yaml", tmp_path)
    store = open_store("memory")
    load_paths(store, [tmp_path], REGISTRY)
    assert check_every_selector(store) == 15
