"""Official records: Federal Register documents and Global Trade Alert exports load beside the
articles, meet them on the same measures, and confirm what the articles say about them."""

from __future__ import annotations

import json
import shutil

import pytest

from graph import AnnotationError, load_paths, open_store, run_query
from graph.cli import cli
from graph.loading import compile_paths, find_article_files, format_of
from graph.readers.records import record_format

from .conftest import EXAMPLES

RECORDS = EXAMPLES / "records"
FR_DOC = RECORDS / "federal-register" / "2025-05930.json"
GTA_CSV = RECORDS / "global-trade-alert" / "gta-us-section-232-autos.csv"
EU_REG = RECORDS / "eu-official-journal" / "2024-2754.yaml"
EU_DUTIES = ("EU countervailing duty on BYD battery EVs from China",
             "EU countervailing duty on Geely battery EVs from China",
             "EU countervailing duty on SAIC battery EVs from China",
             "EU countervailing duty on Tesla battery EVs from China",
             "EU countervailing duty on battery EVs from other cooperating Chinese makers",
             "EU countervailing duty on battery EVs from non-cooperating Chinese makers")
CARS = "US Section 232 tariff on imported automobiles"
PARTS = "US Section 232 tariff on imported auto parts"


def measure(store, name):
    [row] = [r for r in run_query(store, "measures").records() if r["measure_label"] == name]
    return row


def split(value) -> set[str]:
    return set((value or "").split("; ")) - {""}


# --- reading ------------------------------------------------------------------------------

def test_record_files_are_told_apart_from_label_studio_exports():
    assert format_of(FR_DOC) == record_format(FR_DOC) == "federalregister"
    assert format_of(GTA_CSV) == "gta"
    label_studio = next((EXAMPLES / "articles" / "labelstudio").glob("*.json"))
    assert record_format(label_studio) is None and format_of(label_studio) == "labelstudio"
    found = find_article_files([EXAMPLES])
    assert format_of(EU_REG) == record_format(EU_REG) == "euregulation"
    article = EXAMPLES / "articles" / "2024-10-eu-definitive-duties-chinese-evs.yaml"
    assert record_format(article) is None and format_of(article) == "yaml"
    assert FR_DOC in found and GTA_CSV in found and EU_REG in found
    assert not any(f.name.endswith(".meta.yaml") for f in found)


def test_the_federal_register_document_becomes_a_record_with_its_own_dates(examples_memory):
    rows = examples_memory.query("""
        PREFIX ak: <https://w3id.org/autokg#>
        SELECT ?number ?citation ?type ?signed ?published WHERE {
          ?record a ak:FederalRegisterDocument ; ak:documentNumber ?number ; ak:citation ?citation ;
                  ak:recordType ?type ; ak:signingDate ?signed ; ak:publicationDate ?published }""").records()
    assert rows == [{"number": "2025-05930", "citation": "90 FR 14705",
                     "type": "Presidential Document: Proclamation", "signed": "2025-03-26",
                     "published": "2025-04-03"}]


def test_evidence_points_into_the_saved_json(examples_memory):
    """The proclamation's adoption is quoted from the document's signing_date field, at its offsets."""
    text = FR_DOC.read_text(encoding="utf-8")
    rows = examples_memory.query("""
        PREFIX ak: <https://w3id.org/autokg#> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact ?start ?end WHERE {
          ?event a ak:MeasureAdoption ; ak:policy <https://w3id.org/autokg/id/us-section-232-auto-tariff> .
          ?attribution ak:claim ?event ; ak:statedIn <https://w3id.org/autokg/id/article/federal-register-2025-05930> ;
                       ak:evidence/oa:hasTarget/oa:hasSelector ?quote, ?position .
          ?quote oa:exact ?exact . ?position oa:start ?start ; oa:end ?end }""").records()
    [row] = rows
    assert row["exact"] == '"signing_date": "2025-03-26"'
    assert text[int(row["start"]):int(row["end"])] == row["exact"]


def test_saved_records_are_typed_as_records_not_news_and_counted_apart(examples_memory, runner):
    """A saved official record is an ak:RecordDocument, never a schema:NewsArticle: `stats` counts
    the articles without it and the records by kind; queries that list documents still list it."""
    rows = examples_memory.query("""
        PREFIX ak: <https://w3id.org/autokg#> PREFIX schema: <https://schema.org/>
        SELECT ?id ?news WHERE { ?doc a ak:RecordDocument ; schema:identifier ?id .
          BIND(EXISTS { ?doc a schema:NewsArticle } AS ?news) } ORDER BY ?id""").records()
    assert rows == [{"id": "eu-regulation-2024-2754", "news": "false"},
                    {"id": "federal-register-2025-05930", "news": "false"},
                    {"id": "gta-intervention-900101", "news": "false"},
                    {"id": "gta-intervention-900102", "news": "false"}]
    result = runner.invoke(cli, ["--store", "memory", "--load", str(EXAMPLES), "-q", "stats", "-f", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "articles,all,20" in lines
    assert [line for line in lines if line.startswith("official records,")] == [
        "official records,Global Trade Alert intervention,2", "official records,EU regulation,1",
        "official records,Federal Register document,1"]
    # sources counts a record's statement apart from the articles
    [row, *_] = run_query(examples_memory, "sources", {"article": "eu-regulation-2024-2754"}).records()
    assert row["corroboration"] == "0 articles, 1 official record, 1 publisher, 0 reports"
    # the documents a measure comes from still name its records
    assert {"federal-register-2025-05930", "gta-intervention-900101"} <= split(measure(examples_memory, CARS)["documents"])


def test_the_eu_regulation_loads_as_the_official_record_of_the_eu_duties(examples_memory):
    """Implementing Regulation (EU) 2024/2754 is a record with its own dates, cited by each of the
    six duties; its adoption and entry into force are the Commission's, and confirm the article's
    imposition."""
    rows = examples_memory.query("""
        PREFIX ak: <https://w3id.org/autokg#>
        SELECT ?number ?citation ?form ?adopted ?published ?url WHERE {
          ?record a ak:EURegulation ; ak:regulationNumber ?number ; ak:citation ?citation ; ak:recordType ?form ;
                  ak:signingDate ?adopted ; ak:publicationDate ?published ; ak:recordUrl ?url }""").records()
    assert rows == [{"number": "(EU) 2024/2754", "citation": "OJ L, 2024/2754, 29.10.2024",
                     "form": "Implementing regulation", "adopted": "2024-10-29", "published": "2024-10-29",
                     "url": "http://data.europa.eu/eli/reg_impl/2024/2754/oj"}]
    for name in EU_DUTIES:
        duty = measure(examples_memory, name)
        assert duty["official_records"] == "EU regulation (EU) 2024/2754 (OJ L, 2024/2754, 29.10.2024)", name
        assert "2024-10-29 (European Commission)" in split(duty["adopted"]), name
        assert "2024-10-30 (European Commission)" in split(duty["in_force"]), name
        assert duty["claims"] == "tariff imposition 2024-10-29: confirmed", name
        assert "eu-regulation-2024-2754" in split(duty["documents"]), name
    # a record can be named as a parameter, by id or name
    profile = run_query(examples_memory, "entity-profile", {"entity": "eu-regulation-2024-2754"}).records()
    assert {r["value"] for r in profile if r["relation"] == "official record of"} == set(EU_DUTIES)
    # the evidence is the record's own line
    [quote] = examples_memory.query("""
        PREFIX ak: <https://w3id.org/autokg#> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact WHERE {
          ?event a ak:EntryIntoForce ; ak:policy <https://w3id.org/autokg/id/eu-cvd-bev-byd> .
          ?attribution ak:claim ?event ; ak:statedIn <https://w3id.org/autokg/id/article/eu-regulation-2024-2754> ;
                       ak:evidence/oa:hasTarget/oa:hasSelector/oa:exact ?exact }""").records()
    assert quote == {"exact": "date_of_effect: 2024-10-30"}


# --- the must-show lines -----------------------------------------------------------------

def test_one_measure_with_both_official_records_and_the_articles_claims_confirmed(examples_memory):
    cars = measure(examples_memory, CARS)
    assert split(cars["official_records"]) == {"Federal Register 2025-05930 (90 FR 14705)",
                                              "GTA intervention 900101 (state act 900100)"}
    # the articles' claims about the tariff: the Reuters report of the proclamation and the
    # Global Times' "imposed ... from April 2", both confirmed by the official records
    assert split(cars["claims"]) == {"tariff imposition 2025-03-26: confirmed",
                                     "tariff imposition 2025-04-02: confirmed"}
    assert {"federal-register-2025-05930", "gta-intervention-900101", "xiaomi-denies-ford-talks-2026-02",
            "us-section-232-auto-tariffs-reactions-2025-03"} <= split(cars["documents"])


def test_the_section_232_life_cycle_comes_from_dated_events_each_date_with_who_states_it(examples_memory):
    cars, parts = measure(examples_memory, CARS), measure(examples_memory, PARTS)
    assert {"2025-03-26 (Donald Trump)", "2025-03-26 (Global Trade Alert)", "2025-03-26 (Reuters)"} <= split(
        cars["adopted"])
    assert "2025-04-03 (Global Trade Alert)" in split(cars["in_force"])
    # the seed's "from April 2, 2025" stays beside the official date, with who says it
    assert {"2025-04-02 (Global Times: effective date)", "2025-04-02 (Reuters: effective date)"} <= split(
        cars["in_force"])
    assert "2025-05-03 (Global Trade Alert)" in split(parts["in_force"])
    assert "2025-03-26 (Donald Trump)" in split(parts["adopted"])


def test_claims_stated_by_an_official_record_are_confirmed(examples_memory):
    rows = examples_memory.query("""
        PREFIX ak: <https://w3id.org/autokg#>
        SELECT DISTINCT ?status WHERE {
          ?attribution ak:claim ?event ; ak:statedIn/ak:sourceRecord ?record .
          ?event ak:status ?status }""").records()
    assert {r["status"] for r in rows} == {"https://w3id.org/autokg#confirmed"}


def test_the_eu_car_tariff_has_no_dates_and_the_ban_its_authority(examples_memory):
    eu = measure(examples_memory, "EU standard 10% import duty on cars")
    assert (eu["kind"], eu["rate"], eu["adopted"], eu["in_force"]) == ("tariff", "10", None, None)
    ban = measure(examples_memory, "US ban on connected vehicles with Chinese or Russian software or hardware")
    assert (ban["kind"], ban["imposed_by"], split(ban["targets"])) == (
        "import or sales ban", "US Department of Commerce", {"China", "Russia"})
    assert ban["adopted"] == "2025-01-14 (Reuters)"


# --- records without a link, and bad ones ---------------------------------------------------

def _copy(tmp_path, *files):
    folder = tmp_path / "records"
    folder.mkdir()
    shutil.copy(EXAMPLES / "entities.yaml", tmp_path / "entities.yaml")
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


def test_a_gta_row_without_a_link_describes_a_measure_of_its_own(tmp_path):
    folder = _copy(tmp_path, GTA_CSV)   # no .meta.yaml beside it
    store = open_store("memory")
    warnings = []
    _, compiled = compile_paths([folder], warnings=warnings)
    assert {a.id for a in compiled} == {"gta-intervention-900101", "gta-intervention-900102"}
    load_paths(store, [folder])
    got = measure(store, "USA: Section 232 tariff of 25% on imported automobiles")
    assert (got["kind"], got["imposed_by"]) == ("policy", "United States")
    assert split(got["targets"]) == {"Japan", "South Korea", "Mexico", "Canada", "Germany", "United Kingdom"}
    assert split(got["hs_codes"]) == {"8703.21", "8703.22", "8703.23", "8703.24", "8703.80"}
    assert got["in_force"] == "2025-04-03 (Global Trade Alert)"
    store.close()


def test_gta_json_reads_like_the_csv(tmp_path):
    folder = _copy(tmp_path)
    rows = [{"intervention_id": 900101, "state_act_id": 900100, "state_act_title": "USA: car tariff",
             "intervention_type": "Import ban", "gta_evaluation": "Red",
             "implementing_jurisdictions": [{"name": "United States of America", "iso": "USA"}],
             "affected_jurisdictions": [{"name": "Japan"}, {"name": "Atlantis"}],
             "affected_products": [870380, 999999], "date_announced": "2025-03-26", "date_implemented": None}]
    (folder / "export.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    warnings = []
    _, [doc] = compile_paths([folder], warnings=warnings)
    assert doc.id == "gta-intervention-900101"
    assert sorted(w.message for w in warnings) == [
        "GTA intervention 900101: HS code '999999' is under no heading autokg knows; left out",
        "GTA intervention 900101: affected jurisdiction 'Atlantis' is not in the registry; left out",
    ]
    store = open_store("memory")
    load_paths(store, [folder])
    got = measure(store, "USA: car tariff")
    assert (got["kind"], got["targets"], got["hs_codes"], got["adopted"]) == (
        "import or sales ban", "Japan", "8703.80", "2025-03-26 (Global Trade Alert)")
    store.close()


def test_bad_records_are_one_line_each_with_file_and_line(tmp_path):
    folder = _copy(tmp_path)
    doc = json.loads(FR_DOC.read_text(encoding="utf-8"))
    del doc["document_number"]
    (folder / "no-number.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
    (folder / "broken.json").write_text('{"document_number": "1", "publication_date": \n', encoding="utf-8")
    (folder / "gta.csv").write_text("Intervention ID,Implementing Jurisdiction,Date Announced\n"
                                    "1,Atlantis,2025-01-01\n2,China\n", encoding="utf-8")
    with pytest.raises(AnnotationError) as caught:
        compile_paths([folder])
    lines = sorted(caught.value.lines())
    assert any("broken.json:2: invalid JSON" in line for line in lines)
    assert any("gta.csv:2: GTA intervention 1: implementing jurisdiction 'Atlantis' is not in the registry"
               in line for line in lines)
    assert any("gta.csv:3: row has 2 cells, the header 3" in line for line in lines)
    # without a document number the file is not taken for a Federal Register document at all
    assert any("no-number.json:1: not a Label Studio JSON export" in line for line in lines)


def test_a_measure_link_must_be_an_entity_id(tmp_path):
    folder = _copy(tmp_path, FR_DOC)
    (folder / "2025-05930.meta.yaml").write_text("measures:\n  2025-05930: [US Section 232 tariff]\n",
                                                 encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"2025-05930.meta.yaml:2: measure 'US Section 232 tariff' "
                                              r"must be an entity id"):
        compile_paths([folder])


def test_an_eu_regulation_without_a_link_describes_a_measure_of_its_own(tmp_path):
    folder = _copy(tmp_path, EU_REG)   # no .meta.yaml beside it
    store = open_store("memory")
    load_paths(store, [folder])
    [got] = [r for r in run_query(store, "measures").records() if r["official_records"]]
    assert got["measure_label"].startswith("Commission Implementing Regulation (EU) 2024/2754 of 29 October 2024")
    assert (got["imposed_by"], got["adopted"], got["in_force"]) == (
        "European Commission", "2024-10-29 (European Commission)", "2024-10-30 (European Commission)")
    store.close()


def test_bad_eu_regulation_records_are_one_line_each_with_file_and_line(tmp_path):
    folder = _copy(tmp_path)
    (folder / "a.yaml").write_text("eu_regulation:\n  regulation_number: (EU) 2024/1\n  title: T\n"
                                   "  author: Atlantis Commission\n  date_of_publication: 2024-01-01\n"
                                   "  colour: red\n", encoding="utf-8")
    (folder / "b.yaml").write_text("eu_regulation:\n  title: T\n  author: European Commission\n",
                                   encoding="utf-8")
    (folder / "c.yaml").write_text("eu_regulation: (EU) 2024/2754\n", encoding="utf-8")
    with pytest.raises(AnnotationError) as caught:
        compile_paths([folder])
    lines = sorted(caught.value.lines())
    assert any(line.endswith("a.yaml:4: EU regulation author 'Atlantis Commission' is not in the registry "
                             "(add it, or an alias)") for line in lines), lines
    assert any("a.yaml:6: unknown EU regulation field 'colour'" in line for line in lines), lines
    assert any(line.endswith("b.yaml:2: EU regulation record needs 'regulation_number'") for line in lines), lines
    assert any(line.endswith("b.yaml:2: EU regulation record needs 'date_of_publication'") for line in lines), lines
    assert any(line.endswith("c.yaml:1: an EU regulation record is a mapping under 'eu_regulation'")
               for line in lines), lines


def test_removing_the_eu_regulation_unconfirms_the_article_and_loading_it_again_confirms(tmp_path):
    from graph.loading import remove_articles

    store = open_store("memory")
    load_paths(store, [EXAMPLES])

    def claims():
        return {measure(store, name)["claims"] for name in EU_DUTIES}

    assert claims() == {"tariff imposition 2024-10-29: confirmed"}
    assert remove_articles(store, ["eu-regulation-2024-2754"]) == ["eu-regulation-2024-2754"]
    assert claims() == {"tariff imposition 2024-10-29: asserted"}
    load_paths(store, [EU_REG], registry=EXAMPLES / "entities.yaml")
    assert claims() == {"tariff imposition 2024-10-29: confirmed"}
    store.close()
