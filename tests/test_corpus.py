"""The example corpus (examples/): it validates cleanly, and the questions that need more
than one article get the expected rows.

Each cross-article question is answered by a query file on one in-memory store holding the
whole corpus (the seed story and the articles written for issue 8).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import load_paths, open_store, run_query
from graph.cli import cli
from graph.validation import validate_paths

from .conftest import EXAMPLES, invoke

MOFCOM = "China's Ministry of Commerce (MOFCOM)"
EU_DUTIES = {
    "EU countervailing duty on BYD battery EVs from China": "17",
    "EU countervailing duty on Geely battery EVs from China": "18.8",
    "EU countervailing duty on SAIC battery EVs from China": "35.3",
    "EU countervailing duty on Tesla battery EVs from China": "7.8",
}


@pytest.fixture(scope="module")
def corpus():
    store = open_store("memory")
    report = load_paths(store, [EXAMPLES])
    assert len(report.articles) >= 13
    yield store
    store.close()


@pytest.fixture(scope="module")
def tariffs(corpus):
    """The tariffs table, computed once (the query is the slowest on this corpus)."""
    return rows(corpus, "tariffs")


def rows(store, name, **params):
    return run_query(store, name, params).records()


def articles(record) -> set[str]:
    return set((record["articles"] or "").split("; ")) - {""}


def split(value) -> set[str]:
    return set((value or "").split("; ")) - {""}


# --- the corpus is clean --------------------------------------------------------------------

def test_validate_reports_no_errors_and_no_warnings():
    result = CliRunner().invoke(cli, ["validate", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert " 0 error(s), 0 warning(s)" in result.output


def test_every_article_passes_shacl():
    """Every article, checked with the registry against ontology/shapes.ttl: no findings."""
    checked, problems = validate_paths([EXAMPLES])
    assert checked >= 13
    assert problems == []


def test_every_article_has_its_text_beside_it():
    for yaml_file in (EXAMPLES / "articles").glob("*.yaml"):
        assert yaml_file.with_suffix(".txt").is_file(), yaml_file.name


def test_corpus_mixes_yaml_brat_and_label_studio_and_loads_without_warnings():
    """At least 3 articles in brat and 2 in Label Studio's JSON export, the rest YAML; one
    load reads all of them (format by file name), with the generated configs' names, no
    mapping, and not one warning."""
    from graph.loading import compile_paths, find_article_files, format_of

    files = find_article_files([EXAMPLES])
    warnings = []
    _, compiled = compile_paths([EXAMPLES], warnings=warnings)
    assert warnings == []
    by_format: dict[str, set[str]] = {}
    for article in compiled:
        by_format.setdefault(format_of(Path(article.path)), set()).add(article.id)
    assert len(by_format["brat"]) >= 3 and len(by_format["labelstudio"]) >= 2
    assert len(by_format["yaml"]) >= 10
    assert {"byd-turkey-manisa-plant-2024-07", "us-japan-auto-tariff-15-2025-09",
            "us-korea-auto-tariff-15-2025-12"} <= by_format["brat"] | by_format["labelstudio"]
    assert {a.path for a in compiled} == {str(f) for f in files}   # a GTA export holds several records
    for ann in (f for f in files if f.suffix == ".ann"):
        assert ann.with_suffix(".txt").is_file() and ann.with_name(ann.stem + ".meta.yaml").is_file()
    # brat finds its configuration beside the documents
    assert {"annotation.conf", "visual.conf"} <= {p.name for p in (EXAMPLES / "articles" / "brat").iterdir()}


def test_make_demo_load_prints_no_warnings(runner, tmp_path):
    from graph.loading import find_article_files

    result = invoke(runner, tmp_path / "store", "load", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    from graph.loading import compile_paths

    _, compiled = compile_paths([EXAMPLES])   # a GTA export holds several records, each a document
    assert len(compiled) > len(find_article_files([EXAMPLES]))
    assert result.stdout.startswith(f"Loaded {len(compiled)} article(s)")


# --- Ford-Xiaomi: one claim, two articles, denied by both ------------------------------------

def test_ford_xiaomi_talks_denied_by_both_companies(corpus):
    got = [r for r in rows(corpus, "contested-claims") if r["claim"] == "negotiation: Ford Motor Company, Xiaomi"]
    assert len(got) == 1
    [claim] = got
    assert claim["status"] == "denied"
    assert claim["reported_by"] == "Financial Times"
    assert claim["anonymous_sources"] == "4"
    assert split(claim["denied_by"]) == {"Ford Motor Company", "Xiaomi"}
    assert claim["confirmed_by"] in (None, "")
    assert articles(claim) == {"xiaomi-denies-ford-talks-2026-02", "ford-denies-xiaomi-talks-2026-02"}


def test_ford_xiaomi_is_the_only_denied_claim(corpus):
    assert [r["claim"] for r in rows(corpus, "contested-claims")] == ["negotiation: Ford Motor Company, Xiaomi"]


def test_ford_talks_with_xiaomi_and_byd_across_articles(corpus):
    got = {(r["party_a"], r["party_b"], r["status"], r["denied_by"] or "")
           for r in rows(corpus, "who-talked-to-whom", entity="Ford")}
    assert ("BYD", "Ford Motor Company", "reported", "") in got
    assert any(a == "Ford Motor Company" and b == "Xiaomi" and s == "denied"
               and split(d) == {"Ford Motor Company", "Xiaomi"} for a, b, s, d in got)


# --- MOFCOM's reactions across articles and policies -----------------------------------------

def test_mofcom_reactions_across_articles_and_policies(corpus):
    got = sorted((r["stance"], r["target_label"], r["date"] or "", r["articles"])
                 for r in rows(corpus, "reactions") if r["on_behalf_of"] == MOFCOM)
    expected = sorted([
        ("opposes", "US Section 301 tariff on electric vehicles from China", "2024-05",
         "us-section-301-ev-tariff-final-2024-09"),
        ("opposes", "Canadian 100% surtax on Chinese-made electric vehicles", "2024-08",
         "china-canola-probe-canada-ev-surtax-2024-09"),
        *[("opposes", duty, "2024-10-30", "mofcom-rejects-eu-ev-duties-2024-10") for duty in EU_DUTIES],
        ("opposes", "US Section 232 tariff on imported automobiles", "",
         "xiaomi-denies-ford-talks-2026-02"),
    ])
    assert got == expected
    # four jurisdictions' policies, five articles
    assert len({a for *_, a in got}) == 4
    opposed = {t for s, t, _, _ in got if s == "opposes"}
    assert {"US Section 301 tariff on electric vehicles from China",
            "Canadian 100% surtax on Chinese-made electric vehicles",
            "US Section 232 tariff on imported automobiles"} | set(EU_DUTIES) == opposed


def test_reactions_to_the_section_232_car_tariff(corpus):
    got = {(r["on_behalf_of"] or r["actor"], r["stance"])
           for r in rows(corpus, "reactions", target="us-section-232-auto-tariff")}
    assert got == {
        (MOFCOM, "opposes"),
        ("Government of Canada", "opposes"),
        ("European Commission", "criticises"),
        ("Government of Japan", "comments"),
        ("Government of South Korea", "comments"),
        ("Government of Mexico", "comments"),
        ("Stellantis", "complains"),
    }


# --- tariffs that hit BYD in more than one jurisdiction --------------------------------------

def test_tariffs_hitting_byd_in_several_jurisdictions(corpus):
    """Exposure follows what BYD makes (passenger cars, lithium-ion batteries): the US tariff
    on auto parts (HS 8708) and Canada's steel-and-aluminium surtax (HS 72, 76) miss it."""
    got = sorted((r["tariff"], r["imposed_by"], r["rate"], r["exposure"], r["reason"])
                 for r in rows(corpus, "tariff-exposure", maker="BYD"))
    cars = "makes passenger cars"
    assert got == sorted([
        ("US Section 301 tariff on electric vehicles from China", "United States", "100", "based in China", cars),
        ("US Section 301 tariff on lithium-ion EV batteries from China", "United States", "25", "based in China",
         "makes lithium-ion EV batteries"),
        ("Canadian 100% surtax on Chinese-made electric vehicles", "Canada", "100", "based in China", cars),
        ("EU countervailing duty on BYD battery EVs from China", "European Union", "17", "named as a target", cars),
        ("EU standard 10% import duty on cars", "European Union", "10", "all imports", cars),
        ("US Section 232 tariff on imported automobiles", "United States", "25", "all imports", cars),
        ("Brazilian 25% import duty on electric vehicles (July 2025 step)", "Brazil", "25", "all imports", cars),
        ("Indian 15% import duty on electric cars for makers investing locally", "India", "15", "all imports", cars),
    ])
    assert {imposer for _, imposer, *_ in got} == {"United States", "Canada", "European Union", "Brazil", "India"}
    [india] = [r for r in rows(corpus, "tariff-exposure", maker="BYD") if r["imposed_by"] == "India"]
    assert india["condition"].startswith("cars costing at least $35,000")   # a conditional rate says its condition


def test_steel_and_aluminium_surtax_hits_no_carmaker(corpus, tariffs):
    """Canada's 25 % surtax on Chinese steel and aluminium (HS 72, 76) targets China, but no
    carmaker makes steel: it is in the tariffs table and in nobody's exposure."""
    steel = "Canadian 25% surtax on steel and aluminium products from China"
    assert [(r["imposed_by"], r["rate"], r["targets"]) for r in tariffs if r["tariff"] == steel] == [
        ("Canada", "25", "China")]
    assert [r for r in rows(corpus, "tariff-exposure") if r["tariff"] == steel] == []


def test_a_tariff_on_hs_8703_hits_carmakers_because_they_make_passenger_cars(corpus):
    got = {(r["automaker_label"], r["exposure"], r["reason"]) for r in rows(corpus, "tariff-exposure")
           if r["tariff"] == "EU standard 10% import duty on cars"}
    assert ("BYD", "all imports", "makes passenger cars") in got
    assert ("Toyota Motor Corporation", "all imports", "makes passenger cars") in got
    assert not any(maker == "Volkswagen Group" for maker, _, _ in got)   # based in the EU


def test_the_eu_car_tariff_loads_without_an_effective_date(tariffs):
    [eu] = [r for r in tariffs if r["tariff"] == "EU standard 10% import duty on cars"]
    assert (eu["imposed_by"], eu["rate"], eu["goods"], eu["effective"]) == (
        "European Union", "10", "passenger cars", None)


def test_residual_duties_skip_makers_with_their_own_rate(corpus):
    residual = {"EU countervailing duty on battery EVs from other cooperating Chinese makers",
                "EU countervailing duty on battery EVs from non-cooperating Chinese makers"}
    hit = {}
    for r in rows(corpus, "tariff-exposure"):
        if r["tariff"] in residual:
            hit.setdefault(r["automaker_label"], set()).add(r["condition"])
    assert {"BYD", "SAIC Motor", "Tesla", "Zhejiang Geely Holding Group"}.isdisjoint(hit)
    assert hit["Xiaomi"] == {"makers that cooperated with the investigation without a rate of their own",
                             "makers that did not cooperate with the investigation"}


def test_eu_duties_are_company_specific(corpus, tariffs):
    by_tariff = {r["tariff"]: r for r in tariffs if r["tariff"] in EU_DUTIES}
    assert {t: r["rate"] for t, r in by_tariff.items()} == EU_DUTIES
    for r in by_tariff.values():
        assert r["effective"] == "2024-10-30"
        assert r["legal_basis"] == "EU anti-subsidy investigation into battery EVs from China"
        assert articles(r) == {"eu-definitive-duties-chinese-evs-2024-10", "mofcom-rejects-eu-ev-duties-2024-10"}
    # SAIC is hit by its own EU duty only, not by its competitors' rates
    saic = {r["tariff"] for r in rows(corpus, "tariff-exposure", maker="SAIC")}
    assert saic & set(EU_DUTIES) == {"EU countervailing duty on SAIC battery EVs from China"}


# --- one tariff, one node, across articles ---------------------------------------------------

def test_section_232_car_tariff_is_one_tariff_across_three_articles(tariffs):
    got = [r for r in tariffs if r["tariff"] == "US Section 232 tariff on imported automobiles"]
    assert len(got) == 1
    [tariff] = got
    assert (tariff["imposed_by"], tariff["rate"], tariff["effective"], tariff["legal_basis"]) == (
        "United States", "25", "2025-04-02", "Section 232 investigation")
    assert articles(tariff) == {"xiaomi-denies-ford-talks-2026-02",
                                "us-section-232-auto-tariffs-reactions-2025-03",
                                "canada-counter-tariffs-us-vehicles-2025-04"}


def test_later_us_deals_lower_car_tariffs_for_some_partners(tariffs):
    got = {(r["targets"], r["rate"], r["effective"]) for r in tariffs
           if r["imposed_by"] == "United States" and r["goods"] == "imported automobiles" and r["targets"]}
    assert got == {
        ("United Kingdom", "10", "2025-06"),
        ("European Union", "15", "2025-08-01"),
        ("Japan", "15", "2025-09-16"),
        ("South Korea", "15", "2025-11-01"),
    }


def test_byd_plants_abroad(corpus):
    """BYD's investments in Hungary, Turkey and Brazil (one SPARQL question, no query file)."""
    sparql = """
        PREFIX ak: <https://w3id.org/autokg#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?place ?country ?status WHERE {
          ?investment a ak:Investment ; ak:investor <https://w3id.org/autokg/id/byd> ;
                      ak:location ?loc ; ak:status ?statusTerm .
          ?loc rdfs:label ?place ; ak:country/rdfs:label ?country .
          BIND(REPLACE(STR(?statusTerm), "^.*#", "") AS ?status)
        } ORDER BY ?place ?status"""
    got = {tuple(r) for r in (tuple(t.value for t in row) for row in corpus.query(sparql).rows)}
    assert got == {
        ("Szeged", "Hungary", "asserted"),
        ("Manisa", "Turkey", "reported"),
        ("Camaçari", "Brazil", "asserted"),
    }
