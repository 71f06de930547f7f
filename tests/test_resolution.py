"""Entity resolution: the resolver's order, one node per entity across formats, and
`autokg entities` with sources, new entities and possible duplicates."""

from __future__ import annotations

import csv
import io

from graph import load_paths, open_store
from graph.registry import normalise_name, read_registry
from graph.resolution import list_entities, similar_names, unresolved_entities

from .conftest import DATA, EXAMPLES, SHARED, invoke, needs_shared

INTEROP = DATA / "interop"
REGISTRY = INTEROP / "entities.yaml"
TUTORIAL = SHARED / "external" / "brat-news-tutorial"
MAPPING = EXAMPLES / "mappings" / "brat-news.yaml"


def test_resolver_order_id_qid_alias_normalised_name():
    index = read_registry(REGISTRY)
    assert index.resolve("ford-motor-company") == "ford-motor-company"     # explicit id
    assert index.resolve("Q44294") == "ford-motor-company"                 # Wikidata QID
    assert index.resolve("wikidata:Q30") == "united-states"
    assert index.resolve("FT") == "financial-times"                        # alias
    assert index.resolve("FORD MOTOR CO., LTD.") == "ford-motor-company"   # normalised name
    assert index.resolve("Xiaomi Corp.") == "xiaomi"
    assert normalise_name("The Ford Motor Company") == "ford"


def test_similar_names():
    assert similar_names("J. K. Rowling", "J K Rowling")
    assert similar_names("Google was", "Google")
    assert similar_names("WikiNews", "Wikinews")
    assert similar_names("Volkswagon", "Volkswagen")
    assert not similar_names("EU duty on BYD battery EVs", "EU duty on Geely battery EVs")
    assert not similar_names("Ford", "Honda")


def test_same_entities_from_yaml_brat_and_label_studio_are_one_node():
    store = open_store("memory")
    load_paths(store, [INTEROP, DATA / "labelstudio" / "project-3-at-2025-06-02-export.json"], REGISTRY)
    entities = {e.id: e for e in list_entities(store)}
    ford = entities["ford-motor-company"]
    assert ford.in_registry and set(ford.mentioned_in) >= {"ft-ford-talks-yaml", "ft-ford-talks-brat",
                                                           "ls-byd-ford-talks"}
    assert ford.sources[0] == "registry"
    lei = entities["lei-jun"]       # no registry entry: each article that names him declares him
    assert not lei.in_registry and lei.declared_in == ["ft-ford-talks-brat", "ft-ford-talks-yaml"]
    # both texts name him: the brat span and the YAML text are mentions of the one entity
    assert lei.mentioned_in == ["ft-ford-talks-brat", "ft-ford-talks-yaml"]
    assert set(lei.mentions) == {"ft-ford-talks-brat", "ft-ford-talks-yaml"}
    assert lei.name == "Lei Jun" and lei.classes == ["Person"]
    assert not any(e.startswith("ford") and e != "ford-motor-company" for e in entities)


def test_entities_command_lists_sources(runner, tmp_path):
    store = tmp_path / "s"
    assert invoke(runner, store, "load", "--registry", str(REGISTRY), str(INTEROP)).exit_code == 0
    result = invoke(runner, store, "entities", "-f", "csv")
    rows = {r["entity"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert rows["xiaomi"]["sources"] == "registry, ft-ford-talks-brat, ft-ford-talks-yaml"
    assert int(rows["xiaomi"]["mentions"]) >= 2
    assert {a.split(" (")[0] for a in rows["xiaomi"]["mentioned_in"].split("; ")} == {"ft-ford-talks-brat",
                                                                                    "ft-ford-talks-yaml"}
    assert rows["lei-jun"]["type"] == "person"


@needs_shared
def test_unresolved_lists_new_entities_and_possible_duplicates(runner, tmp_path):
    store = tmp_path / "s"
    result = invoke(runner, store, "load", "--mapping", str(MAPPING), str(TUTORIAL))
    assert result.exit_code == 0
    result = invoke(runner, store, "entities", "--unresolved", "-f", "csv")
    rows = {r["entity"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert rows["wikinews"]["articles"] == "080-event-annotation, 090-event-structures"
    # 070 (an exercise in fixing annotations) joins "J. K. Rowling" to Terry Pratchett with an
    # Alias equivalence; 060 has her as an alias of Joanne Rowling: the shared alias is flagged
    assert rows["terry-pratchett"]["possible_duplicates"] == "joanne-rowling"
    assert rows["joanne-rowling"]["possible_duplicates"] == "terry-pratchett"
    assert "google" in rows["google-was"]["possible_duplicates"]
    # "Google" annotated as a Person in one tutorial document and as an Organization elsewhere
    assert rows["google"]["type"] == "organisation / person"


def test_unresolved_in_the_library():
    store = open_store("memory")
    load_paths(store, [INTEROP], REGISTRY)
    [lei] = unresolved_entities(store)
    assert lei.id == "lei-jun" and lei.duplicates == []
