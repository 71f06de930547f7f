"""brat stand-off: the real brat news tutorial, offsets on UTF-8 and CRLF texts, bad spans,
unmapped types, and YAML -> brat -> graph round trips."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph import AnnotationError, compile_paths, load_paths, open_store
from graph.loading import find_registry, read_documents
from graph.readers.annotations import read_article
from graph.readers.brat import parse_brat, write_brat
from graph.readers.mapping import read_mapping
from graph.registry import EntityIndex, read_registry
from graph.terms import ID, attribution_iri, entity_iri

from .conftest import DATA, EXAMPLES, SHARED, invoke, needs_shared

TUTORIAL = SHARED / "external" / "brat-news-tutorial"
MAPPING = EXAMPLES / "mappings" / "brat-news.yaml"
INTEROP = DATA / "interop"
AK = "https://w3id.org/autokg#"
SKOS_NOTE = "http://www.w3.org/2004/02/skos/core#note"


@pytest.fixture(scope="module")
def tutorial_docs():
    mapping = read_mapping(MAPPING)
    docs = {}
    for ann in sorted(TUTORIAL.glob("*.ann")):
        [doc] = read_documents(ann, "auto", mapping, EntityIndex(), [])
        docs[doc.id] = doc
    assert not mapping.unmapped
    return docs


@pytest.fixture(scope="module")
def tutorial_store():
    store = open_store("memory")
    load_paths(store, [TUTORIAL], mapping=MAPPING)
    return store


def _ann_lines(kind: str) -> list[list[str]]:
    return [line.split("\t") for f in sorted(TUTORIAL.glob("*.ann"))
            for line in f.read_text(encoding="utf-8").splitlines() if line.startswith(kind)]


@needs_shared
def test_every_tutorial_span_matches_its_text():
    # the reader checks each span against the .txt; here the same check, independently
    checked = 0
    for ann in sorted(TUTORIAL.glob("*.ann")):
        so = parse_brat(ann)
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        for span in so.spans.values():
            assert " ".join(text[s:e] for s, e in span.fragments) == span.text, (ann.name, span.id)
            checked += 1
    assert checked == len(_ann_lines("T")) == 119


@needs_shared
def test_tutorial_counts(tutorial_docs):
    totals = Counter()
    for doc in tutorial_docs.values():
        totals.update(doc.counts)
    assert len(tutorial_docs) == 13
    assert totals["spans"] == 119 and totals["mentions"] == 95          # 24 spans are event triggers
    assert totals["events"] == len(_ann_lines("E")) == 23
    assert totals["reports"] == 8
    assert totals["attributes"] == totals["attributes kept"] == len(_ann_lines("A")) == 11
    assert totals["notes"] == len(_ann_lines("#")) == 4
    assert totals["relations"] == totals["relations kept"] == len(_ann_lines("R")) == 8
    assert totals["normalisations"] == 1


@needs_shared
def test_tutorial_loads_with_the_shipped_mapping(runner, tmp_path):
    result = invoke(runner, tmp_path / "s", "load", "--mapping", str(MAPPING), str(TUTORIAL))
    assert result.exit_code == 0, result.output
    assert "Loaded 13 article(s), 23 claim(s)" in result.output


@needs_shared
def test_without_a_mapping_every_unmapped_type_is_listed_and_nothing_is_written(runner, tmp_path):
    result = invoke(runner, tmp_path / "s", "load", str(TUTORIAL))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    for name in ("'GPE'", "'Merge-org'", "'Money'", "'Transfer-money'", "'Reporter-Arg'", "'Event-Arg'",
                 "'Family'", "'Mention'", "'Individual'"):
        assert any(name in line and "unmapped" in line for line in lines), name
    assert all(line.startswith("[ERROR] ") and ".ann:" in line for line in lines)
    assert any("080-event-annotation.ann:2: unmapped type 'Merge-org' (used 28 times in 4 file(s))" in line
               for line in lines)
    assert not (tmp_path / "s").exists() or invoke(runner, tmp_path / "s", "stats", "-f", "csv").output.count(
        "articles,all,0") == 1


@needs_shared
def test_lenient_skips_unmapped_types_with_warnings(runner, tmp_path):
    dates_only = tmp_path / "dates.yaml"          # no type mapped: only the tutorial's missing metadata
    dates_only.write_text("article:\n  date: 2012\n", encoding="utf-8")
    result = invoke(runner, tmp_path / "s", "load", "--lenient", "--mapping", str(dates_only),
                    "--publisher", "brat news tutorial", str(TUTORIAL))
    assert result.exit_code == 0
    assert "[WARNING]" in result.stderr and "unmapped type 'Merge-org'" in result.stderr
    # Merge-org and Transfer-money events are skipped; the 8 Reports (an ontology name) stay, without
    # their unmapped roles
    assert "Loaded 13 article(s), 8 claim(s)" in result.output


def _chain(store, article: str, event: str) -> list[str]:
    """Reporters from the article's claim outwards: claim <- report <- report ... The chain
    follows the article's own attributions: the claim may be merged with other articles'."""
    reporters = []
    current = attribution_iri(article, f"{article}-{event}")
    while True:
        rows = store.query(f"""PREFIX ak: <{AK}>
            SELECT ?report ?reporter ?next WHERE {{ <{current}> ak:viaReport ?report ; ak:statedIn ?article .
                                              ?report ak:reporter ?reporter .
                                              ?next ak:claim ?report ; ak:statedIn ?article .
                                              OPTIONAL {{ ?next ak:viaReport ?further }} }}
            ORDER BY DESC(BOUND(?further))""").records()
        if not rows:
            return reporters
        # one report the document annotates twice is one claim with two attributions here
        assert len({r["reporter"] for r in rows}) == 1
        reporters.append(rows[0]["reporter"].rsplit("/", 1)[-1])
        current = rows[0]["next"]


def _node(store, article: str, event: str) -> str:
    """The claim node of an article's event (its own id's, or the one it was merged into)."""
    [row] = store.query(f"""PREFIX ak: <{AK}> SELECT ?c WHERE {{
        <{attribution_iri(article, f"{article}-{event}")}> ak:claim ?c }}""").records()
    return row["c"]


@needs_shared
def test_nested_reports_become_attribution_chains(tutorial_store):
    # "My friend told me that Reddit posted that Wikinews reported that Google and YouTube merged."
    merger = _node(tutorial_store, "090-event-structures", "e6")
    assert _chain(tutorial_store, "090-event-structures", "e6") == ["wikinews", "reddit", "my-friend"]
    # "Wikinews reported that..." is said outright (e2) and relayed by Reddit (e5): one report claim
    assert _chain(tutorial_store, "090-event-structures", "e1")[0] == "wikinews"
    assert _node(tutorial_store, "090-event-structures", "e2") == _node(tutorial_store, "090-event-structures", "e5")
    assert not tutorial_store.query(f"""PREFIX ak: <{AK}> ASK {{
        <{attribution_iri("090-event-structures", "090-event-structures-e2")}> ak:viaReport ?r }}""").boolean
    # the tutorial states this merger in several documents: one claim
    assert merger == _node(tutorial_store, "080-event-annotation", "e2")
    rows = tutorial_store.query(f"""PREFIX ak: <{AK}>
        SELECT ?p WHERE {{ <{merger}> a ak:Merger ; ak:participant ?p }} ORDER BY ?p""").records()
    assert [r["p"].rsplit("/", 1)[-1] for r in rows] == ["google", "youtube"]
    # the outermost report is asserted by the article itself; in this article the merger is
    # only relayed, but another document states it as fact
    relayed = tutorial_store.query(f"""PREFIX ak: <{AK}> ASK {{
        <{attribution_iri("090-event-structures", "090-event-structures-e6")}> ak:viaReport ?r }}""").boolean
    assert relayed
    status = tutorial_store.query(f"""PREFIX ak: <{AK}>
        SELECT ?s WHERE {{ <{merger}> ak:status ?s }}""").records()
    assert status == [{"s": AK + "asserted"}]
    assert tutorial_store.query(f"""PREFIX ak: <{AK}> SELECT ?s WHERE {{
        <{_node(tutorial_store, "090-event-structures", "e3")}> ak:status ?s }}""").records() == [{"s": AK + "asserted"}]


@needs_shared
def test_attributes_become_certainty_and_notes(tutorial_store):
    def certainty(article, event):
        rows = tutorial_store.query(f"""PREFIX ak: <{AK}> SELECT ?c WHERE {{
            <{attribution_iri(article, article + '-' + event)}> ak:certainty ?c }}""").records()
        return rows[0]["c"].rsplit("#", 1)[-1]

    assert certainty("100-attribute-annotation", "e1") == "probable"    # Confidence Neutral
    assert certainty("100-attribute-annotation", "e2") == "possible"    # Confidence Low
    assert certainty("100-attribute-annotation", "e5") == "certain"     # Confidence High
    assert certainty("100-attribute-annotation", "e3") == "probable"
    assert certainty("100-attribute-annotation", "e7") == "certain"     # no attribute: the default
    assert certainty("000-introduction", "e1") == "certain"
    notes = _notes(tutorial_store, entity_iri("raul-salinas-de-gortari"))
    assert {"Mention: Name", "Individual", "Family: former Mexican president"} <= notes


def _notes(store, subject: str) -> set[str]:
    rows = store.query(f"SELECT ?n WHERE {{ <{subject}> <{SKOS_NOTE}> ?n }}").records()
    return {r["n"] for r in rows}


@needs_shared
def test_annotator_notes_are_kept(tutorial_store, tutorial_docs):
    assert _notes(tutorial_store, entity_iri("discworld")) == {"Should fictional places be annotated?"}
    assert _notes(tutorial_store, attribution_iri("110-note-annotation", "110-note-annotation-e1")) == {
        "Annotate as one merge event with three participants or two events with two participants each?"}
    assert "Should this be marked? It's not explicitly stated." in _notes(tutorial_store, entity_iri("orville-wright"))
    # a note on a value span is its normalised value: "$100 million" -> 100000000 USD
    [money] = tutorial_docs["000-introduction"].events
    assert [v.raw for v in money.props["topic"]] == ["100000000 USD"]
    # N normalisation to Wikipedia names the entity and is kept as a note
    carlos = entity_iri("carlos-salinas-de-gortari")
    assert "Wikipedia:64488 (Carlos Salinas de Gortari)" in _notes(tutorial_store, carlos)


@needs_shared
def test_equivalences_and_repeated_mentions_make_one_entity(tutorial_docs):
    doc = tutorial_docs["060-relation-annotation"]
    rowling = [e for e in doc.entities if "Rowling" in (e.name or "")]
    assert len(rowling) == 1
    assert rowling[0].name == "Joanne Rowling" and set(rowling[0].aliases) == {"Jo Rowling", "J. K. Rowling"}
    assert {e.id for e in doc.entities if e.type != "MediaOutlet"} == {"terry-pratchett", "england", "joanne-rowling"}
    # the same new name in two articles is one node
    assert "terry-pratchett" in {e.id for e in tutorial_docs["070-editing-relation-annotations"].entities}


def _write_pair(folder: Path, text: str, ann: str, newline: str = "") -> Path:
    with open(folder / "doc.txt", "w", encoding="utf-8", newline=newline) as handle:
        handle.write(text)
    (folder / "doc.ann").write_text(ann, encoding="utf-8")
    (folder / "doc.meta.yaml").write_text("article:\n  publisher: global-times\n  date: 2026-02\n", encoding="utf-8")
    return folder / "doc.ann"


def _span(text: str, word: str) -> str:
    start = text.index(word)
    return f"{start} {start + len(word)}"


def test_offsets_on_utf8_text_with_accents_cjk_emoji_and_crlf(tmp_path):
    text = ("Renault et Nissan négocient à Yokohama 🚗🚙.\r\n"
            "小米 (Xiaomi) a parlé avec Ford Motor Company à Détroit.\r\n")
    assert len(text.encode("utf-8")) > len(text)                 # multi-byte: offsets are code points
    ann = "\n".join([
        f"T1\tAutomaker {_span(text, 'Renault')}\tRenault",
        f"T2\tAutomaker {_span(text, 'Nissan')}\tNissan",
        f"T3\tNegotiation {_span(text, 'négocient')}\tnégocient",
        f"T4\tPlace {_span(text, 'Yokohama')}\tYokohama",
        f"T5\tAutomaker {_span(text, '小米')}\t小米",
        f"T6\tNegotiation {_span(text, 'a parlé')}\ta parlé",
        f"T7\tAutomaker {_span(text, 'Ford Motor Company')}\tFord Motor Company",
        f"T8\tPlace {_span(text, 'Détroit')}\tDétroit",
        "E1\tNegotiation:T3 participant:T1 participant2:T2 location:T4",
        "E2\tNegotiation:T6 participant:T5 participant2:T7 location:T8",
        "#1\tAnnotatorNotes T5\tname: Xiaomi",
    ]) + "\n"
    path = _write_pair(tmp_path, text, ann)
    assert b"\r\n" in (tmp_path / "doc.txt").read_bytes()
    [doc] = read_documents(path, "auto", read_mapping(), read_registry(INTEROP / "entities.yaml"), [])
    second = next(e for e in doc.events if e.id == "doc-e2")
    [evidence] = second.evidence
    assert text[evidence.start:evidence.end] == evidence.exact == "a parlé"
    assert evidence.start == text.index("a parlé")                 # counts the \r of the first line
    assert [v.raw for v in second.props["participant"]] == ["xiaomi", "ford-motor-company"]
    store = open_store("memory")
    load_paths(store, [path], INTEROP / "entities.yaml")
    rows = store.query("""PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact ?start ?end {
          GRAPH ?g { ?q oa:exact ?exact . ?t oa:hasSelector ?q, ?p . ?p oa:start ?start ; oa:end ?end } }
        ORDER BY ?start""").records()
    spans = [(r["exact"], int(r["start"]), int(r["end"])) for r in rows]
    # the two triggers are claim evidence, every entity span a mention: all with code-point offsets
    words = ["Renault", "Nissan", "négocient", "Yokohama", "小米", "a parlé", "Ford Motor Company", "Détroit"]
    assert spans == [(w, text.index(w), text.index(w) + len(w)) for w in words]


def test_a_span_whose_text_does_not_match_is_reported_with_file_and_line(tmp_path, runner):
    text = "Ford met Xiaomi.\r\nBYD waited.\r\n"
    # offsets computed as if the file had LF line ends: BYD is one character off
    ann = "T1\tAutomaker 0 4\tFord\nT2\tAutomaker 9 15\tXiaomi\nT3\tAutomaker 17 20\tBYD\n"
    path = _write_pair(tmp_path, text, ann)
    result = invoke(runner, tmp_path / "s", "load", "--registry", str(INTEROP / "entities.yaml"), str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"[ERROR] {path}:3: T3: text at 17..20 is '\\nBY', "
                                     f"but the annotation says 'BYD'")


def test_discontinuous_spans_give_one_evidence_span_per_fragment(tmp_path):
    text = "Ford held, the FT said, talks with Xiaomi."
    ann = (f"T1\tNegotiation 0 9;24 29\tFord held talks\n"
           f"T2\tAutomaker {_span(text, 'Xiaomi')}\tXiaomi\n"
           f"E1\tNegotiation:T1 participant:T2\n")
    path = _write_pair(tmp_path, text, ann)
    [doc] = read_documents(path, "brat", read_mapping(), read_registry(INTEROP / "entities.yaml"), [])
    assert [e.exact for e in doc.events[0].evidence] == ["Ford held", "talks"]


def test_malformed_lines_are_reported(tmp_path):
    path = _write_pair(tmp_path, "Ford met Xiaomi.", "T1\tAutomaker 0 4\tFord\nT2\tAutomaker zero\tXiaomi\n"
                                                     "E1\tNegotiation:T9 participant:T1\nX1 no tab\n")
    with pytest.raises(AnnotationError) as caught:
        parse_brat(path)
    assert [p.line for p in caught.value.problems] == [2, 4, 3]


def test_a_brat_file_and_a_yaml_file_about_the_same_story_share_nodes():
    store = open_store("memory")
    load_paths(store, [INTEROP / "ft-talks.yaml", INTEROP / "ft-talks-brat.ann"], INTEROP / "entities.yaml")
    rows = store.query("""PREFIX ak: <https://w3id.org/autokg#>
        SELECT DISTINCT ?g ?who WHERE { GRAPH ?g { ?e ak:participant|ak:speaker|ak:reporter|ak:onBehalfOf ?who } }
        """).records()
    by_article: dict[str, set[str]] = {}
    for r in rows:
        by_article.setdefault(r["g"].rsplit("/", 1)[-1], set()).add(r["who"].rsplit("/", 1)[-1])
    assert by_article["ft-ford-talks-yaml"] == {"financial-times", "ford-motor-company", "xiaomi"}
    assert by_article["ft-ford-talks-brat"] == {"financial-times", "ford-motor-company", "xiaomi", "lei-jun"}
    # Lei Jun is declared by the YAML article and only mentioned in the brat one: one IRI, one name
    names = store.query(f"SELECT ?g ?n WHERE {{ GRAPH ?g {{ <{entity_iri('lei-jun')}> "
                        f"<https://w3id.org/autokg#name> ?n }} }}").records()
    assert {r["n"] for r in names} == {"Lei Jun"}
    negated = store.query("""PREFIX ak: <https://w3id.org/autokg#> SELECT ?p WHERE {
        <https://w3id.org/autokg/id/attribution/ft-ford-talks-brat/ft-ford-talks-brat-e2> ak:polarity ?p }""").records()
    assert negated == [{"p": AK + "negative"}]


def _dataset(compiled) -> Graph:
    """The articles' triples, without entity mentions (compared on their own: an export also
    marks the spans it anchors relations on, so it has a few more)."""
    graph = Graph()
    for article in compiled:
        graph.parse(data="\n".join(t for t in article.triples if not t.startswith(f"<{ID}mention/")), format="nt")
    return graph


def _mentions(compiled) -> set[tuple[str, int, int, str]]:
    return {(entity, m.start, m.end, m.exact) for article in compiled for entity, m in article.mentions}


ARTICLES = sorted((EXAMPLES / "articles").glob("*.yaml"))


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_yaml_to_brat_and_back_gives_an_isomorphic_graph(article, tmp_path):
    registry = find_registry([article])
    index = read_registry(registry)
    doc = read_article(article)
    ann = write_brat(doc, tmp_path / "brat", index, stem=article.stem)
    _, from_yaml = compile_paths([article], registry)
    _, from_brat = compile_paths([ann], registry)        # no mapping: the generated config's names
    assert isomorphic(_dataset(from_yaml), _dataset(from_brat))
    assert _mentions(from_yaml) <= _mentions(from_brat)


def test_round_trip_through_the_generated_config_names_only(tmp_path):
    """Every type, role and attribute the exporter writes is defined in `autokg config brat`."""
    from graph.annotation_configs import brat_config

    from .test_configs import parse_brat_conf

    conf = parse_brat_conf(brat_config()["annotation.conf"])
    registry = find_registry([ARTICLES[0]])
    for article in ARTICLES:
        ann = write_brat(read_article(article), tmp_path, read_registry(registry), stem=article.stem)
        so = parse_brat(ann)
        assert {s.type for s in so.spans.values()} <= conf.entities | conf.events
        for ev in so.events.values():
            roles = conf.roles[ev.type]
            assert all(role.rstrip("0123456789") in roles for role, _ in ev.args), (article.name, ev)
        assert {r.type for r in so.relations.values()} <= set(conf.relations)
        assert {a.name for a in so.attributes} <= set(conf.attributes)


@needs_shared
def test_tutorial_folder_scanning_skips_conf_files_and_meta(tmp_path):
    folder = tmp_path / "news"
    shutil.copytree(TUTORIAL, folder)
    (folder / "mappings").mkdir()
    shutil.copy(MAPPING, folder / "mappings" / "brat-news.yaml")
    (folder / "000-introduction.meta.yaml").write_text(
        "article:\n  id: brat-intro\n  headline: Welcome\n  date: 2012-05\n", encoding="utf-8")
    _, compiled = compile_paths([folder], mapping=folder / "mappings" / "brat-news.yaml")
    ids = {a.id for a in compiled}
    assert len(ids) == 13 and "brat-intro" in ids and "000-introduction" not in ids
