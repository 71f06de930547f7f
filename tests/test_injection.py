"""Injection: text from users and articles never runs as SPARQL, never becomes an IRI unslugged.

`--param` values are bound as RDF terms (a VALUES block written by pyoxigraph), so SPARQL-looking
values are only ever a literal or an unknown name; every query with a string, entity or date
parameter is tried with each payload, and the store's quads are the same afterwards. HTML views
escape every text field: tests/test_views.py (payloads rendered in headless Chromium).
"""

from __future__ import annotations

import re

import pytest

from graph import load_paths, open_store
from graph.queries import list_queries
from graph.terms import ID

from .conftest import REGISTRY, SEED_ARTICLE, invoke
from .test_hostile import ACCEPTED, HOSTILE, dump, seed_store_on_disk

PAYLOADS = ['"} ; DROP ALL ; {"', "<http://x> . ?s", "'} ; DELETE WHERE { ?s ?p ?o } #",
            '" . } INSERT DATA { <urn:a> <urn:b> <urn:c> } #', "Xiaomi\" || true || \"", "?s ?p ?o",
            "\\u0022 } DROP ALL", "2026-02\" } DROP ALL {", "\u202eiaomiX"]
PARAMETERS = [(q.name, p.name) for q in list_queries() for p in q.parameters]


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    return seed_store_on_disk(tmp_path_factory.mktemp("injection") / "store")


def test_every_parameter_type_is_covered():
    types = {p.type for q in list_queries() for p in q.parameters}
    assert types >= {"entity", "string", "date"} and len(PARAMETERS) >= 9


@pytest.mark.parametrize(("query", "param"), PARAMETERS)
def test_sparql_in_a_parameter_is_only_a_value(runner, seed_store, query, param):
    store_dir, before = seed_store
    for payload in PAYLOADS:
        args = ["query", query, "--param", f"{param}={payload}"]
        for q in list_queries():  # required parameters other than this one get a real value
            if q.name == query:
                args += [a for p in q.parameters if p.required and p.name != param
                         for a in ("--param", f"{p.name}=Xiaomi")]
        result = invoke(runner, store_dir, *args)
        output = result.output + result.stderr
        assert "Traceback" not in output
        if result.exit_code == 0:  # bound as a literal: it matches nothing
            assert re.fullmatch(r"(?s).*\(0 rows\)\n", result.output), (payload, result.output)
        else:  # or refused, in one line: not an entity, not a date
            assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1, (payload, output)
            assert result.stderr.startswith("Error: "), output
    assert dump(store_dir) == before, f"{query} --param {param} changed the store"


def test_a_load_then_every_injection_attempt_leaves_the_quad_count(runner, tmp_path):
    store_dir = tmp_path / "store"
    assert invoke(runner, store_dir, "load", "--registry", str(REGISTRY), str(SEED_ARTICLE)).exit_code == 0
    store = open_store(str(store_dir))
    count = store.quad_count()
    store.close()
    for query, param in PARAMETERS:
        for payload in PAYLOADS[:2]:  # the two; every payload is tried above, store compared
            invoke(runner, store_dir, "query", query, "--param", f"{param}={payload}", "--param", "entity=Xiaomi")
    result = invoke(runner, store_dir, "stats", "--format", "csv")
    assert f"quads,all,{count}" in result.output


def test_iris_come_only_from_slugs(tmp_path):
    """After loading every accepted hostile file (names with quotes, <>, {}, RTL marks...), every
    instance IRI is the base followed by slugs, numbers and slashes."""
    store = open_store("memory")
    load_paths(store, [SEED_ARTICLE], REGISTRY)
    for name in sorted(ACCEPTED):
        load_paths(store, [HOSTILE / name], REGISTRY)
    rows = store.query("SELECT DISTINCT ?i WHERE { { GRAPH ?i { ?s ?p ?o } } UNION { GRAPH ?g { ?i ?p ?o } } "
                       "UNION { GRAPH ?g { ?s ?p ?i } } FILTER(isIRI(?i)) }").records()
    iris = {r["i"] for r in rows if r["i"].startswith(str(ID))}
    store.close()
    # Slugs, numbers and slashes; the ontology's skolemised blank nodes are autokg's own.
    slug = re.compile(re.escape(str(ID)) + r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*"
                      r"(?:/\.well-known/genid/[0-9]+)?")
    assert iris and all(slug.fullmatch(i) for i in iris), sorted(i for i in iris if not slug.fullmatch(i))[:5]
