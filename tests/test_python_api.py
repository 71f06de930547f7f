"""The Python API as the README shows it: typed results, DataFrames, rdflib graphs, the actor graph."""

from __future__ import annotations

import datetime
import decimal
import doctest

import pytest
from rdflib import Graph, URIRef

import graph
from graph.store import python_value

from .conftest import ROOT


def test_the_readme_python_session_runs_as_written(monkeypatch):
    pytest.importorskip("pandas")
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python API"):]
    section = section[:section.index("\n## ", 1)]
    blocks = [part.split("```", 1)[0] for part in section.split("```pycon\n")[1:]]
    assert len(blocks) >= 4
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, "README.md#python-api", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=lambda text: pytest.fail(text))
    assert runner.summarize(verbose=False).attempted >= 10


def test_values_come_back_typed(store):
    [tariff] = graph.run_query(store, "tariffs").to_python()
    assert tariff["rate"] == decimal.Decimal(25) and isinstance(tariff["rate"], decimal.Decimal)
    assert tariff["effective"] == datetime.date(2025, 4, 2)
    assert tariff["until"] is None
    [claim] = graph.run_query(store, "contested-claims").to_python()
    assert claim["anonymous_sources"] == 4 and isinstance(claim["anonymous_sources"], int)
    rows = store.query("SELECT ?c WHERE { ?c <https://w3id.org/autokg#status> ?s }").to_python()
    assert all(isinstance(r["c"], URIRef) for r in rows) and len(rows) == 10


@pytest.mark.parametrize("lexical, datatype, expected", [
    ("17", "integer", 17), ("-3", "long", -3), ("2.50", "decimal", decimal.Decimal("2.50")),
    ("1e3", "double", 1000.0), ("true", "boolean", True), ("0", "boolean", False),
    ("2026-02-03", "date", datetime.date(2026, 2, 3)),
    ("2026-02-03T10:00:00Z", "dateTime", datetime.datetime(2026, 2, 3, 10, tzinfo=datetime.timezone.utc)),
    ("2026-02", "gYearMonth", "2026-02"), ("2026", "gYear", "2026"), ("abc", "integer", "abc"),
])
def test_python_value_of_each_xsd_type(lexical, datatype, expected):
    import pyoxigraph as ox

    value = python_value(ox.Literal(lexical, datatype=ox.NamedNode(f"http://www.w3.org/2001/XMLSchema#{datatype}")))
    assert value == expected and type(value) is type(expected)


def test_to_dataframe_has_one_typed_column_per_variable(store):
    pytest.importorskip("pandas")
    frame = graph.run_query(store, "tariffs").to_dataframe()
    assert list(frame.columns) == graph.run_query(store, "tariffs").variables
    assert frame.loc[0, "rate"] == 25 and frame.loc[0, "effective"] == datetime.date(2025, 4, 2)


def test_to_rdflib_is_the_construct_graph_and_refuses_a_select(store):
    result = store.query("CONSTRUCT { ?c <https://w3id.org/autokg#status> ?s } "
                         "WHERE { ?c <https://w3id.org/autokg#status> ?s }")
    g = result.to_rdflib()
    assert isinstance(g, Graph) and len(g) == 10
    with pytest.raises(graph.QueryError, match="not a SELECT"):
        graph.run_query(store, "tariffs").to_rdflib()


def test_the_actor_graph_is_public(store):
    G = graph.actor_graph(store)
    labels = {d["label"] for _, d in G.nodes(data=True)}
    assert {"Xiaomi", "Ford Motor Company", "BYD"} <= labels
