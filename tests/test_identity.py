"""Identity across articles: claim keys, near matches and the entity name matcher."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from graph.errors import AnnotationError
from graph.identity import (
    JUDGEMENTS_FILENAME,
    NameMatcher,
    claim_key,
    dates_compatible,
    near_match,
    split_key,
    topics_alike,
)
from graph.identity.review import review_items
from graph.loading import load_paths, remove_articles
from graph.queries import bind_parameters, find_query, run_query
from graph.registry import read_registry
from graph.store import open_store
from graph.terms import ID, OA, entity_iri, mentions_graph

from .conftest import EXAMPLES, all_quads, invoke, needs_shared

FORD, XIAOMI, BYD = "id:ford-motor-company", "id:xiaomi", "id:byd"


def test_a_key_ignores_filler_order_and_wording():
    a = claim_key("Negotiation", {"participant": [FORD, XIAOMI], "topic": ["joint venture to build EVs"]}, "2026-02")
    b = claim_key("https://w3id.org/autokg#Negotiation",
                  {"participant": [XIAOMI, FORD], "topic": ["a possible EV partnership"], "date": ["2026-02"]})
    assert a == b == "Negotiation|date=2026-02|participant=id:ford-motor-company,id:xiaomi"


def test_a_key_differs_by_kind_party_date_and_number():
    base = claim_key("Negotiation", {"participant": [FORD, XIAOMI]}, "2026-02")
    assert claim_key("Meeting", {"participant": [FORD, XIAOMI]}, "2026-02") != base
    assert claim_key("Negotiation", {"participant": [FORD, BYD]}, "2026-02") != base
    assert claim_key("Negotiation", {"participant": [FORD, XIAOMI]}, "2025") != base
    assert (claim_key("TariffImposition", {"policy": ["id:t"], "rate": ["25"]})
            != claim_key("TariffImposition", {"policy": ["id:t"], "rate": ["10"]}))


def test_split_key_gives_the_parts_back():
    parts = split_key(claim_key("Denial", {"onBehalfOf": [FORD], "denies": ["event:x"]}, "2026-02"))
    assert parts.kind == "Denial"
    assert parts.parties() == {"onBehalfOf": frozenset({FORD})}
    assert parts.dates() == {"date": frozenset({"2026-02"})}
    assert parts.rest() == {"denies": frozenset({"event:x"})}


@pytest.mark.parametrize(("a", "b", "compatible"), [
    ({"2026-02"}, {"2026-02-02"}, True), (set(), {"2025"}, True), ({"2019"}, {"2025"}, False),
    ({"2026-02-01"}, {"2026-02-02"}, False)])
def test_dates_compatible(a, b, compatible):
    assert dates_compatible(a, b) is compatible


def test_near_matches_are_same_parties_compatible_dates_alike_topics():
    month = claim_key("Negotiation", {"participant": [FORD, XIAOMI]}, "2026-02")
    day = claim_key("Negotiation", {"participant": [FORD, XIAOMI]}, "2026-02-03")
    undated = claim_key("Negotiation", {"participant": [FORD, XIAOMI]})
    assert near_match(month, day, ["EV joint venture"], ["joint venture talks"])
    assert near_match(month, undated)
    assert not near_match(month, month), "equal keys are a merge, not a candidate"
    assert not near_match(month, day, ["EV joint venture"], ["sponsorship of a football club"])
    assert not near_match(month, claim_key("Negotiation", {"participant": [FORD, BYD]}, "2026-02"))


def test_talks_in_2019_and_2025_are_no_candidate():
    y2019 = claim_key("Negotiation", {"participant": [FORD, XIAOMI]}, "2019")
    y2025 = claim_key("Negotiation", {"participant": [FORD, XIAOMI]}, "2025-06")
    assert y2019 != y2025
    assert not near_match(y2019, y2025, ["joint venture"], ["joint venture"])


def test_topics_alike():
    assert topics_alike(["joint venture to build EVs in the US"], ["EV joint-venture talks"])
    assert not topics_alike(["tariffs on steel"], ["a football sponsorship"])


@pytest.fixture(scope="module")
def matcher():
    return NameMatcher(read_registry(EXAMPLES / "entities.yaml"))


@pytest.mark.parametrize(("name", "entity"), [
    ("China's Ministry of Commerce", "mofcom"),
    ("Ministry of Commerce of China", "mofcom"),
    ("Stelantis", "stellantis"),
    ("European Commision", "european-commission"),
    ("Mercédès-Benz", "mercedes-benz-group"),
    ("Commission European", "european-commission"),
])
def test_the_matcher_finds_the_entity_a_name_probably_means(matcher, name, entity):
    best = matcher.best(name)
    assert best is not None and best.entity == entity, matcher.matches(name)
    assert 0 < best.score <= 1 and best.reason


def test_an_acronym_matches_the_words_it_stands_for(matcher):
    assert "european-commission" in [m.entity for m in matcher.matches("EC")]
    assert matcher.matches("ec") == [], "a lower-case word is not an acronym"


def test_an_unrelated_name_matches_nothing(matcher):
    assert matcher.matches("Harbin Snow Festival") == []


# --- claims and entities across articles, through load and review -------------------

IDENTITY = Path(__file__).parent / "data" / "identity"
RELAYED = "ford-xiaomi-talks-relayed/ford-xiaomi-ev-venture-talks"
DENIAL_SIDE = "ford-calls-xiaomi-report-false/talks-with-xiaomi"


def _workspace(tmp_path: Path, *fixtures: str) -> Path:
    """A folder with the example registry and the given fixture folders' articles, as a user has."""
    shutil.copy(EXAMPLES / "entities.yaml", tmp_path / "entities.yaml")
    for name in fixtures:
        for article in (IDENTITY / name).glob("*.yaml"):
            shutil.copy(article, tmp_path / article.name)
    return tmp_path


def _talks(store) -> list[dict]:
    return [r for r in run_query(store, "who-talked-to-whom").records()
            if {r["party_a"], r["party_b"]} == {"Ford Motor Company", "Xiaomi"}]


def test_two_articles_on_the_same_talks_make_one_claim_until_judged_different(tmp_path, runner):
    (tmp_path / "w").mkdir()
    folder = _workspace(tmp_path / "w", "ford-xiaomi")
    store = tmp_path / "store"
    assert invoke(runner, store, "load", str(folder)).exit_code == 0
    [row] = _talks(open_store(str(store)))
    assert row["status"] == "denied"
    assert set(row["denied_by"].split("; ")) == {"Ford Motor Company", "Xiaomi"}
    assert set(row["articles"].split("; ")) == {"ford-xiaomi-talks-relayed", "ford-calls-xiaomi-report-false"}
    assert row["corroboration"] == "2 articles, 2 publishers, 1 report"
    assert row["reported_by"] == "Financial Times"
    assert set(row["topic"].split("; ")) == {"a joint venture to build EVs in the United States",
                                             "making electric cars together in the US"}

    listed = invoke(runner, store, "review", "--registry", str(folder / "entities.yaml"), "--format", "csv")
    [merge] = [r for r in csv.DictReader(io.StringIO(listed.output)) if r["item"] == "merge"]
    assert {merge["a_articles"], merge["b_articles"]} == {"ford-xiaomi-talks-relayed", "ford-calls-xiaomi-report-false"}
    assert "joint venture" in merge["a_evidence"] + merge["b_evidence"]

    judged = invoke(runner, store, "review", "--registry", str(folder / "entities.yaml"),
                    "--judge", merge["handle"], "different")
    assert judged.exit_code == 0, judged.output
    assert invoke(runner, store, "load", str(folder)).exit_code == 0
    rows = _talks(open_store(str(store)))
    assert len(rows) == 2
    assert {r["articles"] for r in rows} == {"ford-xiaomi-talks-relayed", "ford-calls-xiaomi-report-false"}
    assert {r["denied_by"] for r in rows} == {"Ford Motor Company", "Xiaomi"}, "each denial stays with its own claim"


def test_a_judgement_file_is_data_the_load_obeys(tmp_path):
    folder = _workspace(tmp_path, "ford-xiaomi")
    (folder / JUDGEMENTS_FILENAME).write_text(
        "judgements:\n"
        f"  - claims: [{DENIAL_SIDE}, {RELAYED}]\n"
        "    verdict: different\n", encoding="utf-8")
    store = open_store("memory")
    report = load_paths(store, [folder])
    assert report.merges == []
    assert len(_talks(store)) == 2
    (folder / JUDGEMENTS_FILENAME).write_text("judgements:\n", encoding="utf-8")
    report = load_paths(store, [folder])
    assert [m.claim for m in report.merges] == [RELAYED]
    assert len(_talks(store)) == 1


SEED = EXAMPLES / "articles" / "2026-02-xiaomi-denies-ford-talks.yaml"
SEED_DENIAL = "xiaomi-denies-ford-talks-2026-02/xiaomi-denies-ford-joint-venture"
REUSED_DENIAL = "reuters-xiaomi-denial/xiaomi-denies-ford-joint-venture"


def _denial_dates(store) -> list[str]:
    return sorted(r["date"] for r in run_query(store, "timeline", {"entity": "xiaomi"}).records()
                  if r["kind"] == "denial")


def test_an_id_reused_for_a_claim_that_says_otherwise_warns_until_judged(tmp_path, runner):
    """Another article typing the seed's denial id with another date: validate and load warn
    with file:line and both dates, whether the seed is in the same load or already stored;
    --strict refuses it; judged different, it is a claim of its own with its own date."""
    folder = _workspace(tmp_path, "reused-id")
    shutil.copy(SEED, folder / SEED.name)
    shutil.copy(SEED.with_suffix(".txt"), folder / SEED.with_suffix(".txt").name)
    reused = folder / "reuters-xiaomi-denial.yaml"
    expected = (f"[WARNING] {reused}:13: claim id 'xiaomi-denies-ford-joint-venture' is also used by {SEED_DENIAL}, "
                "which says otherwise (date 2026-02-02 here, 2026-02 there)")
    for command in (("validate", str(folder)), ("load", str(folder))):
        done = invoke(runner, tmp_path / "store", *command)
        assert done.exit_code == 0 and [line.split(": one id")[0] for line in done.output.splitlines()
                                        if line.startswith("[WARNING]")] == [expected], done.output
    assert _denial_dates(open_store(str(tmp_path / "store"))) == ["2026-02", "2026-02-02"], "one node, two dates"
    stored = tmp_path / "stored"
    assert invoke(runner, stored, "load", str(folder / SEED.name)).exit_code == 0
    before = all_quads(open_store(str(stored)))
    strict = invoke(runner, stored, "load", "--strict", str(reused))
    assert strict.exit_code == 1 and expected.replace("WARNING", "ERROR") in strict.output
    assert all_quads(open_store(str(stored))) == before, "refused: nothing written"
    later = invoke(runner, stored, "load", str(reused))
    assert later.exit_code == 0 and expected in later.output, "warned against the stored claim too"

    (folder / JUDGEMENTS_FILENAME).write_text(
        f"judgements:\n  - claims: [{REUSED_DENIAL}, {SEED_DENIAL}]\n    verdict: different\n", encoding="utf-8")
    for store in (tmp_path / "store", stored):
        again = invoke(runner, store, "load", str(folder))
        assert again.exit_code == 0 and "[WARNING]" not in again.output, again.output
        assert _denial_dates(open_store(str(store))) == ["2026-02", "2026-02-02"]
        rows = [r for r in run_query(open_store(str(store)), "timeline", {"entity": "xiaomi"}).records()
                if r["kind"] == "denial"]
        assert sorted(r["articles"] for r in rows) == ["reuters-xiaomi-denial", "xiaomi-denies-ford-talks-2026-02"]


def test_a_bad_judgement_is_one_line_with_its_place(tmp_path):
    folder = _workspace(tmp_path, "ford-xiaomi")
    (folder / JUDGEMENTS_FILENAME).write_text("judgements:\n  - claims: [a/b, c/d]\n    verdict: maybe\n",
                                              encoding="utf-8")
    with pytest.raises(AnnotationError) as caught:
        load_paths(open_store("memory"), [folder])
    [problem] = caught.value.problems
    assert problem.line == 3 and "verdict must be one of same, different, unsure" in problem.message


def test_talks_in_different_years_are_two_claims_and_no_candidate(tmp_path):
    folder = _workspace(tmp_path, "talks-years")
    store = open_store("memory")
    report = load_paths(store, [folder])
    assert report.merges == []
    rows = [r for r in run_query(store, "who-talked-to-whom").records()
            if {r["party_a"], r["party_b"]} == {"Ford Motor Company", "BYD"}]
    assert sorted(r["date"] for r in rows) == ["2019", "2025-06"]
    assert [i for i in review_items(store, folder / "entities.yaml") if i.kind != "entity candidate"] == []


def test_an_undated_account_of_dated_talks_is_a_candidate_not_a_merge(tmp_path):
    folder = _workspace(tmp_path, "talks-years")
    undated = (IDENTITY / "talks-years" / "ford-byd-2025.yaml").read_text(encoding="utf-8")
    undated = (undated.replace("ford-byd-talks-2025", "ford-byd-talks-undated")
               .replace("    date: 2025-06\n", "").replace("ford-byd-battery-supply-talks", "byd-ford-battery-talks"))
    (folder / "undated.yaml").write_text(undated, encoding="utf-8")
    store = open_store("memory")
    assert load_paths(store, [folder]).merges == []
    candidates = [i for i in review_items(store, folder / "entities.yaml") if i.kind == "claim candidate"]
    assert len(candidates) == 2, "the undated talks may be either dated one; the dated ones are not each other"
    assert all("ford-byd-talks-undated/byd-ford-battery-talks" in c.handle for c in candidates)
    assert all(c.left.quotes and c.right.quotes for c in candidates)


def test_china_s_ministry_of_commerce_warns_and_a_judgement_same_makes_one_node(tmp_path, runner):
    (tmp_path / "w").mkdir()
    folder = _workspace(tmp_path / "w", "mofcom")
    store = tmp_path / "store"
    loaded = invoke(runner, store, "load", str(folder))
    assert loaded.exit_code == 0
    [warning] = [line for line in loaded.output.splitlines() if line.startswith("[WARNING]")]
    assert f"{folder / 'mofcom-canola.yaml'}:11:" in warning
    assert "'china-ministry-of-commerce'" in warning and "probably 'mofcom'" in warning
    assert "\"China's Ministry of Commerce\"" in warning
    fix = warning.split("if so: ")[1].split(" (or write")[0]
    assert fix == "autokg review --judge \"China's Ministry of Commerce=mofcom\" same"

    strict = invoke(runner, tmp_path / "strict-store", "load", "--strict", str(folder))
    assert strict.exit_code == 1 and "[ERROR]" in strict.output and "probably 'mofcom'" in strict.output
    assert invoke(runner, tmp_path / "x", "validate", "--strict", str(folder)).exit_code == 1

    listed = invoke(runner, store, "review", "--registry", str(folder / "entities.yaml"), "--format", "csv")
    [candidate] = [r for r in csv.DictReader(io.StringIO(listed.output)) if r["item"] == "entity candidate"]
    assert candidate["handle"] == "China's Ministry of Commerce=mofcom"
    assert invoke(runner, store, "review", "--registry", str(folder / "entities.yaml"),
                  "--judge", candidate["handle"], "same").exit_code == 0
    again = invoke(runner, store, "load", str(folder))
    assert "probably" not in again.output, "the judgement settled it"
    graph = open_store(str(store))
    speakers = graph.query(
        "PREFIX ak: <https://w3id.org/autokg#> SELECT ?s WHERE { ?e ak:speaker ?s }").records()
    assert [r["s"] for r in speakers] == [entity_iri("mofcom")]
    assert not graph.query(f"ASK {{ <{entity_iri('china-ministry-of-commerce')}> ?p ?o }}").boolean


# A later article whose statement refers to the talks of the ford-xiaomi fixture by their event id.
LATER_COMMENT = """\
article:
  id: later-comment
  headline: Lawmaker criticises the reported Ford-Xiaomi venture
  publisher: reuters
  date: 2026-02-05
  text: A US lawmaker criticised the talks Ford was reported to have held with Xiaomi.
events:
  - id: lawmaker-criticises-talks
    type: Statement
    speaker: john-moolenaar
    stance: criticises
    stance_target: event:ford-xiaomi-ev-venture-talks
    evidence: "A US lawmaker criticised the talks Ford was reported to have held with Xiaomi."
"""


def test_an_event_reference_to_a_merged_claim_follows_it(tmp_path):
    folder = _workspace(tmp_path, "ford-xiaomi")
    (folder / "zz-later.yaml").write_text(LATER_COMMENT, encoding="utf-8")
    store = open_store("memory")
    report = load_paths(store, [folder])
    [merge] = report.merges
    rows = store.query("PREFIX ak: <https://w3id.org/autokg#> SELECT ?t WHERE { ?s ak:stanceTarget ?t }").records()
    assert [r["t"] for r in rows] == [merge.into]


# --- mentions as evidence -------------------------------------------------------------

MULTISCRIPT = IDENTITY / "multiscript"
_SPANS = """PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <https://schema.org/>
SELECT ?article ?motivation ?body ?exact ?start ?end ?text WHERE {
  GRAPH ?graph {   # every annotation once: evidence in its article's graph, mentions in the mentions graph
    ?annotation oa:motivatedBy ?motivation ; oa:hasBody ?body ; oa:hasTarget ?target .
    ?target oa:hasSource ?node ; oa:hasSelector ?quote, ?position .
    ?quote oa:exact ?exact . ?position oa:start ?start ; oa:end ?end .
  }
  ?node schema:identifier ?article ; schema:text ?text .
}"""


def _stored_spans(store) -> list[dict]:
    rows = store.query(_SPANS).records()
    for r in rows:
        r["start"], r["end"] = int(r["start"]), int(r["end"])
    return rows


def _t_spans(folder: Path, article_id) -> set[tuple[str, int, int, str]]:
    """(article, start, end, text) of every fragment of every T line of every .ann in ``folder``."""
    found = set()
    for ann in sorted(folder.glob("*.ann")):
        text = ann.with_suffix(".txt").read_bytes().decode("utf-8")
        for line in ann.read_text(encoding="utf-8").splitlines():
            if not line.startswith("T"):
                continue
            offsets = line.split("\t")[1].split(" ", 1)[1]
            for fragment in offsets.split(";"):
                start, end = (int(x) for x in fragment.split())
                found.add((article_id(ann), start, end, text[start:end]))
    return found


def test_every_span_of_entity_only_brat_documents_is_a_mention_whose_selector_matches_the_text():
    store = open_store("memory")
    warnings = load_paths(store, [MULTISCRIPT], registry=EXAMPLES / "entities.yaml").warnings
    rows = _stored_spans(store)
    mentions = [r for r in rows if r["motivation"].endswith("#identifying")]
    assert mentions and all(r["text"][r["start"]:r["end"]] == r["exact"] for r in mentions)
    stored = {(r["article"], r["start"], r["end"], r["exact"]) for r in mentions}
    assert stored == _t_spans(MULTISCRIPT, lambda ann: f"multiscript-{ann.stem}")
    bodies = {r["exact"]: r["body"] for r in mentions}
    # mentions of registry entities are mentions of those entities
    assert bodies["BYD"] == entity_iri("byd") and bodies["Toyota"] == entity_iri("toyota")
    assert bodies["Xiaomi"] == entity_iri("xiaomi")
    assert bodies["België"] == bodies["Belgie"], "two spellings, one entity"
    aliases = store.query(f"SELECT ?a WHERE {{ <{bodies['België']}> <https://w3id.org/autokg#alias> ?a }}").records()
    assert {r["a"] for r in aliases} == {"Belgie"}
    [conflict] = [w for w in warnings if "typed" in w.message]
    assert conflict.path.endswith("type-conflict-crlf.ann") and conflict.line == 2
    assert "'Jaguar' is typed Person here and Automaker at line 1: kept Automaker" in conflict.message


@needs_shared
def test_every_t_span_of_the_brat_news_tutorial_is_stored_with_its_text():
    from .test_brat import MAPPING, TUTORIAL

    store = open_store("memory")
    load_paths(store, [TUTORIAL], mapping=MAPPING)
    rows = _stored_spans(store)
    assert all(r["text"][r["start"]:r["end"]] == r["exact"] for r in rows)
    stored = {(r["article"], r["start"], r["end"], r["exact"]) for r in rows}
    expected = _t_spans(TUTORIAL, lambda ann: ann.stem.replace("_", "-"))
    assert expected - stored == set()


def test_a_yaml_article_s_mentions_are_where_its_entities_are_named(tmp_path):
    store = open_store("memory")
    load_paths(store, [IDENTITY / "ford-xiaomi"], registry=EXAMPLES / "entities.yaml")
    mentions = [r for r in _stored_spans(store) if r["motivation"].endswith("#identifying")]
    assert all(r["text"][r["start"]:r["end"]] == r["exact"] for r in mentions)
    denial = sorted((r["exact"], r["body"].rsplit("/", 1)[-1]) for r in mentions
                    if r["article"] == "ford-calls-xiaomi-report-false")
    assert denial == [("Ford", "ford-motor-company"), ("Xiaomi", "xiaomi")]
    relayed = {(r["exact"], r["body"].rsplit("/", 1)[-1]) for r in mentions if r["article"] == "ford-xiaomi-talks-relayed"}
    assert relayed >= {("Ford Motor", "ford-motor-company"), ("Financial Times", "financial-times"),
                       ("Xiaomi", "xiaomi")}


def _mention_quads(store) -> dict[str, int]:
    """How many mention triples each graph holds (the default graph as "default")."""
    rows = store.query("""PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?g (COUNT(*) AS ?n) WHERE {
          { ?m oa:motivatedBy oa:identifying } UNION { GRAPH ?g { ?m oa:motivatedBy oa:identifying } }
        } GROUP BY ?g""").records()
    return {r["g"].removeprefix(str(ID)) if r["g"] else "default": int(r["n"]) for r in rows}


def test_mentions_live_in_their_article_s_mentions_graph_and_follow_the_article(tmp_path):
    """An article's mentions are its mentions graph alone (not the default graph): replaced
    when the article is reloaded changed, removed with it; a mentions graph left without its
    article (a load stopped between the two writes) is dropped by the next load."""
    folder = tmp_path / "articles"
    shutil.copytree(IDENTITY / "ford-xiaomi", folder)
    store = open_store(str(tmp_path / "store"))
    load_paths(store, [folder], registry=EXAMPLES / "entities.yaml")
    stray = mentions_graph("never-loaded")
    mention = f"<{ID}mention/never-loaded/0-4>"
    store.add_graphs({}, unmerged={stray: [f"{mention} <{OA}motivatedBy> <{OA}identifying> .",
                                           f"{mention} <{OA}hasBody> <{entity_iri('xiaomi')}> ."]})
    assert stray in store.graphs()
    profile = find_query("entity-profile")
    listing = store.query(profile.sparql, bind_parameters(store, profile, {"entity": "xiaomi"})).records()
    for rows in (listing, run_query(store, profile, {"entity": "xiaomi"}).records()):   # and the look-up
        mentioned = [r["value"] for r in rows if r["relation"] == "mentioned in"]
        assert mentioned and not any("never-loaded" in v for v in mentioned), mentioned
    load_paths(store, [folder], registry=EXAMPLES / "entities.yaml")
    assert stray not in store.graphs()
    counts = _mention_quads(store)
    assert "default" not in counts
    assert set(counts) == {"mentions/ford-calls-xiaomi-report-false", "mentions/ford-xiaomi-talks-relayed"}
    denial = folder / "ford-denial.yaml"   # one more sentence naming Ford and Xiaomi
    denial.write_text(denial.read_text(encoding="utf-8").replace(
        'was "completely false".\n', 'was "completely false".\n    Xiaomi did not comment on Ford.\n', 1), encoding="utf-8")
    before = counts["mentions/ford-calls-xiaomi-report-false"]
    load_paths(store, [folder], registry=EXAMPLES / "entities.yaml")
    fresh = open_store("memory")
    load_paths(fresh, [folder], registry=EXAMPLES / "entities.yaml")
    assert _stored_spans(store) and sorted(map(str, _stored_spans(store))) == sorted(map(str, _stored_spans(fresh)))
    assert _mention_quads(store) == _mention_quads(fresh)
    assert _mention_quads(store)["mentions/ford-calls-xiaomi-report-false"] > before
    remove_articles(store, ["ford-calls-xiaomi-report-false"])
    assert set(_mention_quads(store)) == {"mentions/ford-xiaomi-talks-relayed"}
    assert mentions_graph("ford-calls-xiaomi-report-false") not in store.graphs()


def test_an_entity_s_own_mention_list_overrides_the_search(tmp_path):
    article = tmp_path / "a.yaml"
    article.write_text("""\
article:
  id: own-mentions
  headline: Ford and Ford
  publisher: reuters
  date: 2026-01-01
  text: Ford said Ford Motor Company and the carmaker would build it.
entities:
  - id: ford-motor-company
    mentions: ["the carmaker", {start: 0, end: 4}]
events:
  - id: ford-statement
    type: Statement
    speaker: ford-motor-company
    evidence: "Ford said"
""", encoding="utf-8")
    store = open_store("memory")
    load_paths(store, [article], registry=EXAMPLES / "entities.yaml")
    mentions = sorted((r["start"], r["exact"]) for r in _stored_spans(store) if r["motivation"].endswith("#identifying"))
    assert mentions == [(0, "Ford"), (33, "the carmaker")]


def test_removing_or_reloading_an_article_keeps_the_merged_claim_right(tmp_path):
    folder = _workspace(tmp_path, "ford-xiaomi")
    store = open_store("memory")
    first = load_paths(store, [folder])
    [merge] = first.merges
    again = load_paths(store, [folder])
    assert [(m.claim, m.into) for m in again.merges] == [(merge.claim, merge.into)], "a reload keeps the node"
    assert len(_talks(store)) == 1
    remove_articles(store, ["ford-calls-xiaomi-report-false"])
    [row] = _talks(store)
    assert row["articles"] == "ford-xiaomi-talks-relayed"
    assert row["denied_by"] == "Xiaomi" and row["corroboration"] == "1 article, 1 publisher, 1 report"
    # the remaining article still holds the claim on the node it shared, whole
    [node] = {r["c"] for r in store.query(
        "PREFIX ak: <https://w3id.org/autokg#> SELECT ?c WHERE { ?a ak:claim ?c ; ak:annotatorId ?id "
        "FILTER(?id = 'ford-xiaomi-ev-venture-talks') }").records()}
    assert node == merge.into


def _incremental_load(folder: Path, monkeypatch, scan: bool):
    """The fixture's articles loaded one at a time into one store; each load's merges, and the talks."""
    from graph.identity import claims as claim_identity

    if scan:   # every stored claim read, as a large load does
        monkeypatch.setitem(claim_identity.known_claims_for.__kwdefaults__, "scan_above", -1)
    store = open_store("memory")
    merges = [sorted((m.claim, m.into, m.reason) for m in load_paths(store, [article], folder / "entities.yaml").merges)
              for article in sorted(folder.glob("*.yaml")) if article.name not in ("entities.yaml", JUDGEMENTS_FILENAME)]
    talks = sorted((r["articles"], r["denied_by"], r["status"]) for r in _talks(store))
    monkeypatch.undo()
    return merges, talks


def test_a_small_load_looks_the_stored_claims_up_and_merges_as_a_full_read_does(tmp_path, monkeypatch):
    """Loaded one at a time, the second account of the talks merges into the stored claim, the comment
    that refers to the talks follows them, and a judgement 'different' keeps them apart: the same
    whether the stored claims are looked up by key, id and node (a small load) or all read."""
    folder = _workspace(tmp_path, "ford-xiaomi")
    (folder / "zz-later.yaml").write_text(LATER_COMMENT, encoding="utf-8")
    # a third account, loaded last, restates the talks and Xiaomi's denial of them under ids of its own: its
    # denial's key names the talks' node only once the talks have merged, so the look-up must run again
    (folder / "zzz-third.yaml").write_text("""\
article:
  id: third-account
  headline: Xiaomi again denies Ford venture talks
  publisher: reuters
  date: 2026-02-06
  text: Ford held talks with Xiaomi, people said. Xiaomi said it is not negotiating with Ford.
events:
  - id: talks-again
    type: Negotiation
    participant: [ford-motor-company, xiaomi]
    evidence: "Ford held talks with Xiaomi"
  - id: xiaomi-denies-again
    type: Denial
    on_behalf_of: xiaomi
    denies: talks-again
    evidence: "Xiaomi said it is not negotiating with Ford."
""", encoding="utf-8")
    looked_up = _incremental_load(folder, monkeypatch, scan=False)
    assert any(merges for merges in looked_up[0]), "the second account merges into the stored talks"
    assert {m[0] for m in looked_up[0][-1]} == {"third-account/talks-again", "third-account/xiaomi-denies-again"}
    assert looked_up == _incremental_load(folder, monkeypatch, scan=True)
    (folder / JUDGEMENTS_FILENAME).write_text(
        f"judgements:\n  - claims: [{DENIAL_SIDE}, {RELAYED}]\n    verdict: different\n", encoding="utf-8")
    apart = _incremental_load(folder, monkeypatch, scan=False)
    assert len(apart[1]) == 2 and apart == _incremental_load(folder, monkeypatch, scan=True)
