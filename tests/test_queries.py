"""Each query file answers its question on the examples (expected rows), and its header is sound."""

from __future__ import annotations

import pytest

from graph import QueryError, UnknownEntityError, list_queries, load_paths, open_store, run_query

from . import trade_answers as answers
from .conftest import EXAMPLES

ARTICLE = "xiaomi-denies-ford-talks-2026-02"
MOFCOM = "China's Ministry of Commerce (MOFCOM)"


def rows(store, name, **params):
    return run_query(store, name, params).records()


def normalised(records):
    """Rows with every "; "-joined list sorted (GROUP_CONCAT leaves the order to the store)."""
    return [{k: sorted(v.split("; ")) if isinstance(v, str) and "; " in v else v for k, v in r.items()}
            for r in records]


def whole(records, key):
    """The whole answer, normalised, in the order of ``key`` (ties broken by the whole row)."""
    return sorted(normalised(records), key=lambda r: (tuple(str(r[k]) for k in key), repr(r)))


def answer(records, columns):
    """The whole answer as sorted rows of every column, "; "-lists as sorted tuples; the query must
    give exactly ``columns`` (a new column needs its expected values too)."""
    assert all(tuple(r) == columns for r in records), (tuple(records[0]) if records else (), columns)
    return sorted((tuple(tuple(sorted(v.split("; "))) if isinstance(v, str) and "; " in v else v for v in r.values())
                   for r in records), key=repr)


def pick(records, *keys):
    return sorted(tuple(r[k] or "" for k in keys) for r in records)


def test_who_talked_to_whom(examples_store):
    got = rows(examples_store, "who-talked-to-whom")
    assert pick(got, "party_a", "party_b", "kind", "status", "reported_by", "cited_sources", "denied_by", "place") == [
        ("BYD", "Ford Motor Company", "negotiation", "reported", "Financial Times", "4 people familiar with the talks", "", ""),
        ("Donald Trump", "Chinese automakers", "invitation", "asserted", "", "", "", "Michigan"),
        ("Ford Motor Company", "Xiaomi", "negotiation", "denied", "Financial Times",
         "4 people familiar with the talks", "Xiaomi", ""),
        ("Xiaomi", "Global Times", "denial", "asserted", "", "", "", ""),
        ("Zhang Xiang", "Global Times", "statement", "asserted", "", "", "", ""),
    ]
    assert {r["articles"] for r in got} == {ARTICLE}
    talks = {r["party_b"]: r for r in got if r["kind"] == "negotiation"}
    assert talks["Xiaomi"]["topic"] == "joint venture to build EVs in the US"
    assert talks["Ford Motor Company"]["topic"] == "possible collaboration in the US"


def test_who_talked_to_whom_for_one_entity(examples_store):
    got = rows(examples_store, "who-talked-to-whom", entity="BYD")
    assert pick(got, "party_a", "party_b") == [("BYD", "Ford Motor Company")]


def test_tariffs(examples_store):
    [tariff] = rows(examples_store, "tariffs")
    assert normalised([tariff]) == [{
        "tariff": "US Section 232 tariff on imported automobiles", "kind": "tariff", "imposed_by": "United States",
        "rate": "25", "condition": None, "quota": None, "stage": None, "goods": "imported automobiles",
        "hs_codes": None, "effective": "2025-04-02", "until": None, "state": "in force",
        "announced": "2025-04-02 (Global Times)", "in_force": "2025-04-02 (Global Times: effective date)",
        "targets": None, "legal_basis": "Section 232 investigation", "exemptions": None, "in_response_to": None,
        "official_records": None,
        "opposed_by": "China's Ministry of Commerce (MOFCOM) (spokesperson He Yadong)",
        "articles": ARTICLE,
    }]
    assert rows(examples_store, "tariffs", authority="China") == []
    assert len(rows(examples_store, "tariffs", authority="US")) == 1


def test_tariffs_whole_answer_on_the_corpus(examples_memory):
    """Every tariff, one row each, every column: condition, quota, stage, HS codes, life-cycle state
    and dates with who states them, exemptions, counter-measures, official records."""
    assert answer(rows(examples_memory, "tariffs"), answers.TARIFFS_COLUMNS) == answers.TARIFFS
    assert [r["tariff"] for r in rows(examples_memory, "tariffs", authority="China")] == [
        "Chinese 100% tariff on Canadian canola oil and peas", "Chinese 25% tariff on Canadian pork and seafood",
        "China's provisional anti-dumping deposits on canola seed from Canada"]


def test_contested_claims(examples_store):
    [claim] = rows(examples_store, "contested-claims")
    assert claim == {
        "claim": "negotiation: Ford Motor Company, Xiaomi", "kind": "negotiation", "status": "denied",
        "reported_by": "Financial Times", "anonymous_sources": "4",
        "source_description": "people familiar with the talks", "denied_by": "Xiaomi",
        "confirmed_by": None, "articles": ARTICLE, "corroboration": "1 article, 1 publisher, 1 report",
    }


def test_reactions(examples_store):
    got = rows(examples_store, "reactions")
    assert pick(got, "actor", "on_behalf_of", "stance", "target_label") == [
        ("He Yadong", "China's Ministry of Commerce (MOFCOM)", "opposes",
         "US Section 232 tariff on imported automobiles"),
        ("Zhang Xiang", "", "criticises", "United States"),
    ]
    only = rows(examples_store, "reactions", target="us-section-232-auto-tariff")
    assert [r["actor"] for r in only] == ["He Yadong"]


def test_entity_profile(examples_store):
    got = pick(rows(examples_store, "entity-profile", entity="Xiaomi Corporation"), "relation", "value", "status")
    assert ("type", "automaker", "") in got
    assert ("country", "China", "") in got
    assert ("participant in", "negotiation: Ford Motor Company, Xiaomi", "denied") in got
    assert ("on behalf of in", "denial: Xiaomi", "asserted") in got
    claims = {r["value"]: r["claim"] for r in rows(examples_store, "entity-profile", entity="Xiaomi")}
    assert claims["negotiation: Ford Motor Company, Xiaomi"] == "ford-xiaomi-joint-venture-talks"
    mentioned = [v for r, v, _ in got if r == "mentioned in"]
    assert mentioned and all(v.endswith(("mention)", "mentions)")) for v in mentioned)


def test_entity_profile_needs_its_parameter(examples_store):
    with pytest.raises(QueryError, match="needs --param entity"):
        run_query(examples_store, "entity-profile")


def test_unknown_entity_lists_close_matches(examples_store):
    with pytest.raises(UnknownEntityError, match="Xiaomi"):
        run_query(examples_store, "entity-profile", {"entity": "Xiaomy"})


def test_timeline(examples_store):
    got = rows(examples_store, "timeline")
    assert [(r["date"], r["kind"]) for r in got] == [
        ("2025-04-02", "tariff imposition"), ("2026-02", "denial"), ("2026-02", "invitation"), ("2026-02", "visit"),
    ]
    assert [r["kind"] for r in rows(examples_store, "timeline", until="2025")] == ["tariff imposition"]
    assert [r["kind"] for r in rows(examples_store, "timeline", since="2026-01", entity="Trump")] == ["invitation", "visit"]


def test_sources(examples_store):
    got = rows(examples_store, "sources")
    assert len(got) == 10
    assert {r["asserted_by"] for r in got} == {"Global Times"}
    relayed = {r["claim"]: r for r in got if r["via_report"]}
    assert set(relayed) == {"negotiation: Ford Motor Company, Xiaomi", "negotiation: Ford Motor Company, BYD"}
    assert {r["cited_sources"] for r in relayed.values()} == {"4 people familiar with the talks"}
    assert rows(examples_store, "sources", article="no-such-article") == []


def test_people_and_posts(examples_store):
    assert pick(rows(examples_store, "people-and-posts"), "person", "role", "organization_label", "stated_in") == [
        ("Donald Trump", "President", "United States federal government", "registry"),
        ("He Yadong", "spokesperson", "China's Ministry of Commerce (MOFCOM)", ARTICLE),
        ("Zhang Xiang", "secretary-general", "International Intelligent Vehicle Engineering Association", ARTICLE),
    ]


def test_tariff_exposure(examples_store):
    assert pick(rows(examples_store, "tariff-exposure"), "automaker_label", "rate", "exposure") == [
        ("BYD", "25", "all imports"), ("Xiaomi", "25", "all imports"),
    ]
    assert pick(rows(examples_store, "tariff-exposure", maker="Ford"), "automaker_label") == []


def test_tariff_exposure_whole_answer_on_the_corpus(examples_memory):
    """Every (maker, tariff) pair and why: the steel-and-aluminium surtax hits nobody, HS 8703 tariffs
    hit makers of passenger cars, residual rates skip makers with a rate of their own (or their
    owner's), conditional rates carry their condition."""
    got = answer(rows(examples_memory, "tariff-exposure"), answers.TARIFF_EXPOSURE_COLUMNS)
    assert got == answers.TARIFF_EXPOSURE
    assert not any(r[1] == "Canadian 25% surtax on steel and aluminium products from China" for r in got)
    assert answer(rows(examples_memory, "tariff-exposure", maker="geely-auto"), answers.TARIFF_EXPOSURE_COLUMNS) == [
        r for r in answers.TARIFF_EXPOSURE if r[0] == "Geely Automobile Holdings"]


def test_investigations(examples_store, examples_memory):
    [seed] = rows(examples_store, "investigations")
    assert (seed["investigation"], seed["kind"], seed["outcome"]) == (
        "Section 232 investigation", "investigation", "US Section 232 tariff on imported automobiles: 25 %")
    got = {r["investigation"]: r for r in rows(examples_memory, "investigations")}
    canola = got["China's anti-dumping investigation into canola from Canada"]
    assert {k: canola[k] for k in ("kind", "investigated_by", "products", "hs_codes", "from", "opened", "stage")} == {
        "kind": "anti-dumping investigation", "investigated_by": MOFCOM, "products": "canola", "hs_codes": "1205",
        "from": "Canada", "opened": "2024-09", "stage": "preliminary determination",
    }
    assert set(canola["steps"].split("; ")) == {"investigation opened 2024-09", "preliminary determination 2025-08-12"}
    assert canola["outcome"] == "China's provisional anti-dumping deposits on canola seed from Canada: 75.8 %"
    assert canola["quote"] == ("China's Ministry of Commerce said on Tuesday it had opened an anti-dumping "
                               "investigation into imports of canola from Canada")
    eu = got["EU anti-subsidy investigation into battery EVs from China"]
    assert (eu["kind"], eu["opened"], eu["stage"]) == ("anti-subsidy investigation", "2023-10", "final determination")
    assert set(eu["steps"].split("; ")) == {"investigation opened 2023-10", "final determination 2024-10-29"}
    assert "EU countervailing duty on BYD battery EVs from China: 17 %" in eu["outcome"]
    assert [r["investigation"] for r in rows(examples_memory, "investigations", authority="MOFCOM")] == [
        "China's anti-dumping investigation into canola from Canada"]


def test_investigations_whole_answer_on_the_corpus(examples_memory):
    assert answer(rows(examples_memory, "investigations"), answers.INVESTIGATIONS_COLUMNS) == answers.INVESTIGATIONS


def test_disputes_whole_answer_on_the_corpus(examples_memory):
    """DS626 opens on its dated consultations request though an article also tells it undated."""
    assert answer(rows(examples_memory, "disputes"), answers.DISPUTES_COLUMNS) == answers.DISPUTES


def test_disputes(examples_store, examples_memory):
    assert rows(examples_store, "disputes") == []
    got = {r["number"]: r for r in rows(examples_memory, "disputes")}
    ds626 = got["DS626"]
    assert (ds626["complainant"], ds626["respondent"], ds626["stage"]) == (
        "China", "European Union", "consultations requested")
    assert ds626["quote"] == ("China had challenged the measure under the dispute settlement mechanism "
                              "of the World Trade Organization")
    assert set(ds626["articles"].split("; ")) == {"mofcom-rejects-eu-ev-duties-2024-10",
                                                  "wto-panel-china-eu-ev-duties-2025-04"}
    ds630 = got["DS630"]
    assert (ds630["complainant"], ds630["respondent"], ds630["opened"]) == ("China", "European Union", "2024-11-04")
    assert set(ds630["steps"].split("; ")) == {"consultations requested 2024-11-04", "panel requested 2025-03-13",
                                               "panel requested 2025-04-25"}
    assert "EU countervailing duty on BYD battery EVs from China" in ds630["measures"]
    assert {r["number"] for r in rows(examples_memory, "disputes", party="European Union")} == set(got)
    assert rows(examples_memory, "disputes", party="Japan") == []


def test_measures(examples_store, examples_memory):
    [seed] = rows(examples_store, "measures")
    assert {k: seed[k] for k in ("measure_label", "kind", "imposed_by", "rate", "legal_basis", "in_force",
                                 "adopted", "claims", "opposed_by")} == {
        "measure_label": "US Section 232 tariff on imported automobiles", "kind": "tariff",
        "imposed_by": "United States", "rate": "25", "legal_basis": "Section 232 investigation",
        "in_force": "2025-04-02 (Global Times: effective date)", "adopted": "2025-04-02 (Global Times)",
        "claims": "tariff imposition 2025-04-02: asserted", "opposed_by": MOFCOM,
    }
    got = {r["measure_label"]: r for r in rows(examples_memory, "measures")}
    canola = got["China's provisional anti-dumping deposits on canola seed from Canada"]
    assert {k: canola[k] for k in ("kind", "imposed_by", "targets", "goods", "hs_codes", "rate", "stage",
                                   "legal_basis", "in_force")} == {
        "kind": "anti-dumping duty", "imposed_by": "China", "targets": "Canada", "goods": "canola",
        "hs_codes": "1205", "rate": "75.8", "stage": "provisional",
        "legal_basis": "China's anti-dumping investigation into canola from Canada",
        "in_force": "2025-08-14 (Reuters: effective date)",
    }
    fee = got["Russian recycling fee on cars (October 2024 increase)"]
    assert (fee["kind"], fee["imposed_by"], fee["in_force"].split("; ")[0][:10]) == ("fee or charge", "Russia", "2024-10-01")
    india = got["Indian 15% import duty on electric cars for makers investing locally"]
    assert india["condition"].startswith("cars costing at least $35,000")
    assert {r["measure_label"] for r in rows(examples_memory, "measures", authority="India")} == {
        "Indian 15% import duty on electric cars for makers investing locally",
        "Indian local value addition targets for electric-car makers in the import scheme",
    }
    assert [r["measure_label"] for r in rows(examples_memory, "measures", measure="eu-car-import-tariff")] == [
        "EU standard 10% import duty on cars"]


def test_measures_whole_answer_on_the_corpus(examples_memory):
    assert answer(rows(examples_memory, "measures"), answers.MEASURES_COLUMNS) == answers.MEASURES


def test_every_query_file_has_a_header_and_a_test():
    queries = list_queries()
    assert {q.name for q in queries} == {
        "who-talked-to-whom", "tariffs", "reactions", "contested-claims", "entity-profile",
        "timeline", "sources", "people-and-posts", "tariff-exposure", "investigations", "disputes", "measures",
    }
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    for q in queries:
        assert q.title and q.description, q.name
        assert q.name in tested, f"no test for query {q.name}"
        for p in q.parameters:
            assert f"?{p.name}" in q.sparql, f"{q.name}: parameter {p.name} is not used"


def test_parameters_are_bound_as_terms_not_pasted(examples_store):
    before = examples_store.quad_count()
    hostile = '"} ; DROP ALL ; {"'
    assert rows(examples_store, "sources", article=hostile) == []
    assert rows(examples_store, "sources", article="<http://x> . ?s") == []
    assert examples_store.quad_count() == before


def test_unknown_parameter_is_refused(examples_store):
    with pytest.raises(QueryError, match="has no parameter 'colour'"):
        run_query(examples_store, "tariffs", {"colour": "red"})


LIFE_CYCLE = """article:
  id: life-cycle
  headline: A tariff suspended, then back in force; another removed
  publisher: reuters
  date: 2025-12-01
  text: >-
    The US suspended its tariff A on May 1 and restored it on June 1. It
    suspended tariff B on July 1. It removed tariff C on August 1.
entities:
{entities}
events:
  - {{id: a-suspended, type: MeasureSuspension, actor: united-states, policy: tariff-a, date: 2025-05-01,
     evidence: "US suspended its tariff A on May 1"}}
  - {{id: a-restored, type: EntryIntoForce, actor: united-states, policy: tariff-a, date: 2025-06-01,
     evidence: "restored it on June 1"}}
  - {{id: b-suspended, type: MeasureSuspension, actor: united-states, policy: tariff-b, date: 2025-07-01,
     evidence: "suspended tariff B on July 1"}}
  - {{id: c-removed, type: MeasureRemoval, actor: united-states, policy: tariff-c, date: 2025-08-01,
     evidence: "It removed tariff C on August 1"}}
"""


def test_tariffs_life_cycle_state_from_dated_claims(tmp_path):
    """Removed beats everything; a suspension stands unless the tariff entered into force again later."""
    import shutil

    shutil.copy(EXAMPLES / "entities.yaml", tmp_path / "entities.yaml")
    entities = "\n".join(f"  - {{id: tariff-{x}, type: Tariff, name: Tariff {x.upper()}, rate: 10, "
                         f"imposed_by: united-states, effective_date: 2025-01-01}}" for x in "abc")
    (tmp_path / "life-cycle.yaml").write_text(LIFE_CYCLE.format(entities=entities), encoding="utf-8")
    store = open_store("memory")
    load_paths(store, [tmp_path])
    got = {r["tariff"]: (r["state"], r["in_force"]) for r in rows(store, "tariffs")}
    assert got == {"Tariff A": ("in force", "2025-01-01 (Reuters: effective date); 2025-06-01 (Reuters)"),
                   "Tariff B": ("suspended", "2025-01-01 (Reuters: effective date)"),
                   "Tariff C": ("removed", "2025-01-01 (Reuters: effective date)")}
    store.close()


def test_the_ontology_graph_states_its_subclass_closure(examples_memory, tmp_path):
    """Query files ask for a class and its subclasses with one triple pattern: the ontology
    graph states every class under itself and each class above it (RDFS-entailed triples), so
    no query needs a property path Virtuoso 7.2 evaluates wrongly; a store whose ontology graph
    lacks them gets them on its next load."""
    from graph.terms import ONTOLOGY_GRAPH

    ask = ("ASK { GRAPH <%s> { <https://w3id.org/autokg#CountervailingDuty> "
           "<http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://w3id.org/autokg#%s> } }")
    for above in ("CountervailingDuty", "Tariff", "Policy"):
        assert examples_memory.query(ask % (ONTOLOGY_GRAPH, above)).boolean, above
    article = EXAMPLES / "articles" / "2026-02-xiaomi-denies-ford-talks.yaml"
    store = open_store(str(tmp_path / "store"))
    load_paths(store, [article])
    store._store.update(f"DELETE WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <https://w3id.org/autokg#CountervailingDuty> "
                        "<http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://w3id.org/autokg#Policy> } }")
    assert not store.query(ask % (ONTOLOGY_GRAPH, "Policy")).boolean  # as an earlier autokg left it
    load_paths(store, [article])  # unchanged: the article is not written again, the ontology is
    assert store.query(ask % (ONTOLOGY_GRAPH, "Policy")).boolean
    store.close()


@pytest.mark.parametrize("path", sorted(EXAMPLES.parent.joinpath("queries").rglob("*.rq")), ids=lambda p: p.name)
def test_query_files_use_no_subclass_path(path):
    """`rdfs:subClassOf*` / `+` beside GROUP BY, OPTIONAL, GRAPH ?g or NOT EXISTS loses rows on
    Virtuoso 7.2 (README, "Virtuoso"); the ontology graph's closure makes them unneeded."""
    text = path.read_text(encoding="utf-8")
    assert "subClassOf*" not in text and "subClassOf+" not in text
