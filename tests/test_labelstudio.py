"""Label Studio: the full JSON export (relations, several annotations per task, cancelled
annotations, ground truth, predictions, per-region choices and notes, events split over
several regions); JSON-MIN refused; YAML -> Label Studio export -> graph round trips."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph import AnnotationError, compile_paths, load_paths, open_store
from graph.loading import find_registry
from graph.readers.annotations import read_article
from graph.readers.labelstudio import choose_annotation, is_json_min, read_labelstudio, write_labelstudio
from graph.readers.mapping import read_mapping
from graph.registry import read_registry
from graph.terms import ID, attribution_iri, event_iri

from .conftest import DATA, EXAMPLES, invoke

LS = DATA / "labelstudio"
EXPORT = LS / "project-3-at-2025-06-02-export.json"
JSON_MIN = LS / "project-3-json-min.json"
REGISTRY = DATA / "interop" / "entities.yaml"
AK = "https://w3id.org/autokg#"
META = {"publisher": "global-times", "date": "2026-02"}


@pytest.fixture(scope="module")
def docs():
    warnings = []
    docs = read_labelstudio(EXPORT, read_mapping(), read_registry(REGISTRY), warnings)
    return {d.id: d for d in docs}, warnings


def test_one_annotation_per_task_by_the_documented_rule():
    tasks = json.loads(EXPORT.read_text(encoding="utf-8"))
    assert choose_annotation(tasks[0])["id"] == 12      # latest that is not cancelled (13 is cancelled)
    assert choose_annotation(tasks[1])["id"] == 21      # ground truth beats a later annotation
    assert choose_annotation(tasks[2]) is None          # only cancelled: nothing (predictions never count)


def test_export_loads_with_relations_metadata_and_warnings(docs):
    by_id, warnings = docs
    assert set(by_id) == {"ls-byd-ford-talks", "project-3-at-2025-06-02-export-task-2"}
    [skipped] = warnings
    assert skipped.severity == "WARNING" and "task 3" in skipped.message and skipped.line
    talks = by_id["ls-byd-ford-talks"]
    assert talks.headline == "BYD and Ford held talks, FT says" and talks.publisher.raw == "global-times"
    negotiation = next(e for e in talks.events if e.type == "Negotiation")
    assert negotiation.id == "byd-ford-talks-detroit"                       # from the region's note
    assert [v.raw for v in negotiation.props["participant"]] == ["byd", "ford-motor-company"]
    assert negotiation.certainty.raw == "probable"
    report = next(e for e in talks.events if e.type == "Report")
    assert [v.raw for v in report.props["reports"]] == ["byd-ford-talks-detroit"]   # direction: left
    assert [v.raw for v in report.props["reporter"]] == ["financial-times"]
    # offsets are code points: the emoji before "the FT" does not shift it
    assert [e.exact for e in report.evidence] == ["reported"]
    assert talks.text[report.evidence[0].start:report.evidence[0].end] == "reported"


def test_export_loads_into_the_store(runner, tmp_path):
    result = invoke(runner, tmp_path / "s", "load", "--registry", str(REGISTRY), str(EXPORT))
    assert result.exit_code == 0, result.output
    assert "Loaded 2 article(s), 3 claim(s)" in result.output
    assert "[WARNING]" in result.stderr and "task 3" in result.stderr


def test_loaded_claims_keep_stance_notes_and_chain():
    store = open_store("memory")
    load_paths(store, [EXPORT], REGISTRY)
    rows = store.query(f"""PREFIX ak: <{AK}> SELECT ?report WHERE {{
        ?a ak:claim <{event_iri('byd-ford-talks-detroit')}> ; ak:viaReport ?report }}""").records()
    assert len(rows) == 1
    note = store.query(f"""SELECT ?n WHERE {{ <{attribution_iri('ls-byd-ford-talks', 'byd-ford-talks-detroit')}>
        <http://www.w3.org/2004/02/skos/core#note> ?n }}""").records()
    assert note == [{"n": "Only the FT says so."}]
    stance = store.query(f"""PREFIX ak: <{AK}> SELECT ?s ?target WHERE {{ ?e ak:stance ?s ; ak:stanceTarget ?target }}
        """).records()
    assert stance == [{"s": AK + "opposes", "target": "https://w3id.org/autokg/id/tariff"}]


def test_json_min_is_rejected_with_the_reason(runner, tmp_path):
    assert is_json_min(json.loads(JSON_MIN.read_text(encoding="utf-8")))
    assert not is_json_min(json.loads(EXPORT.read_text(encoding="utf-8")))
    result = invoke(runner, tmp_path / "s", "load", "--registry", str(REGISTRY), str(JSON_MIN))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"[ERROR] {JSON_MIN}:1: this is Label Studio's JSON-MIN export, which leaves out relations (and so "
        f"every event role and nested report): export the project as 'JSON' instead")


def test_older_utf16_offsets_are_converted(tmp_path):
    text = "🚗 Ford met 小米 in 🇺🇸 Detroit."
    start = text.index("Detroit")
    utf16 = len(text[:start].encode("utf-16-le")) // 2           # what older Label Studio recorded
    assert utf16 != start
    task = {"id": 9, "data": {"text": text, **META}, "annotations": [{"id": 1, "was_cancelled": False,
            "ground_truth": False, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
            "result": [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
                        "value": {"start": utf16, "end": utf16 + 7, "text": "Detroit", "labels": ["Place"]}}]}]}
    path = tmp_path / "old.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    [doc] = read_labelstudio(path, read_mapping(), read_registry(REGISTRY), [])
    assert [e.name for e in doc.entities] == ["Detroit"]


def test_a_wrong_span_is_reported_with_its_line(tmp_path):
    text = "Ford met Xiaomi."
    result = [{"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": 0, "end": 4, "text": "Fork", "labels": ["Automaker"]}},
              {"id": "b", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": 5, "end": 8, "text": "met", "labels": ["Negotiation"]}},
              {"from_id": "b", "to_id": "a", "type": "relation", "direction": "right", "labels": ["participant"]}]
    task = {"id": 4, "data": {"text": text, **META},
            "annotations": [{"id": 1, "result": result, "was_cancelled": False, "ground_truth": False}]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([task], indent=2), encoding="utf-8")
    with pytest.raises(AnnotationError) as caught:
        read_labelstudio(path, read_mapping(), read_registry(REGISTRY), [])
    assert [p.message for p in caught.value.problems] == ["a: text at 0..4 is 'Ford', but the annotation says 'Fork'"]
    assert all(p.line for p in caught.value.problems)


# --- writing: YAML -> Label Studio export -> graph ---------------------------------------------

EXAMPLE_YAML = sorted((EXAMPLES / "articles").glob("*.yaml"))


def _dataset(compiled) -> Graph:
    """The articles' triples, without entity mentions (compared on their own: an export also
    marks the spans it anchors relations on, so it has a few more)."""
    graph = Graph()
    for article in compiled:
        graph.parse(data="\n".join(t for t in article.triples if not t.startswith(f"<{ID}mention/")), format="nt")
    return graph


def _mentions(compiled) -> set[tuple[str, int, int, str]]:
    return {(entity, m.start, m.end, m.exact) for article in compiled for entity, m in article.mentions}


@pytest.mark.parametrize("article", EXAMPLE_YAML, ids=lambda p: p.stem)
def test_yaml_to_labelstudio_and_back_gives_an_isomorphic_graph(article, tmp_path):
    registry = find_registry([article])
    export = write_labelstudio(read_article(article), tmp_path / f"{article.stem}.json", read_registry(registry))
    _, from_yaml = compile_paths([article], registry)
    warnings = []
    _, from_ls = compile_paths([export], registry, warnings=warnings)     # no mapping: the config's names
    assert warnings == []
    assert isomorphic(_dataset(from_yaml), _dataset(from_ls))
    assert _mentions(from_yaml) <= _mentions(from_ls)


def test_written_export_has_label_studios_shape_and_the_configs_names(tmp_path):
    """Tasks and annotations carry the keys Label Studio's JSON export has; every label,
    relation label and per-region control is one the generated labeling config defines."""
    import xml.etree.ElementTree as ET

    from graph.annotation_configs import labelstudio_config

    config = ET.fromstring(labelstudio_config())
    labels = {e.get("value") for e in config.iter("Label")}
    relations = {e.get("value") for e in config.iter("Relation")}
    controls = {e.get("name") for e in config.iter() if e.tag in ("Choices", "TextArea")}
    docs = [read_article(a) for a in EXAMPLE_YAML]
    export = write_labelstudio(docs, tmp_path / "export.json", read_registry(find_registry(EXAMPLE_YAML)))
    tasks = json.loads(export.read_text(encoding="utf-8"))
    assert [t["id"] for t in tasks] == list(range(1, len(docs) + 1))
    assert [t["data"]["article_id"] for t in tasks] == [d.id for d in docs]
    reference = json.loads(EXPORT.read_text(encoding="utf-8"))[0]
    for task in tasks:
        assert set(reference) <= set(task)
        [annotation] = task["annotations"]
        assert set(reference["annotations"][0]) <= set(annotation)
        assert task["predictions"] == [] and not annotation["was_cancelled"]
        for r in annotation["result"]:
            if r["type"] == "labels":
                assert r["from_name"] == "label" and r["to_name"] == "text" and len(r["id"]) == 10
                assert set(r["value"]["labels"]) <= labels
                assert task["data"]["text"][r["value"]["start"]:r["value"]["end"]] == r["value"]["text"]
            elif r["type"] == "relation":
                assert set(r["labels"]) <= relations and r["direction"] == "right"
            else:
                assert r["type"] in ("choices", "textarea") and r["from_name"] in controls
    assert not is_json_min(tasks)
    # the same input gives the same file (stable region ids)
    again = write_labelstudio(docs, tmp_path / "again.json", read_registry(find_registry(EXAMPLE_YAML)))
    assert again.read_bytes() == export.read_bytes()


def test_an_event_split_over_several_regions_is_one_event_with_each_region_as_evidence(tmp_path):
    text = "Ford met Xiaomi in Detroit. Later, Xiaomi said the talks went well."
    ford, xiaomi, met, went = (text.index(w) for w in ("Ford", "Xiaomi", "met", "the talks went well"))

    def region(rid, start, end, label):
        return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}

    def note(rid, start, end, *notes):
        return {"id": rid, "from_name": "note", "to_name": "text", "type": "textarea",
                "value": {"start": start, "end": end, "text": list(notes)}}

    result = [region("f", ford, ford + 4, "Automaker"), region("x", xiaomi, xiaomi + 6, "Automaker"),
              region("m1", met, met + 3, "Meeting"), region("m2", went, went + 19, "Meeting"),
              note("m1", met, met + 3, "id: ford-xiaomi-detroit", "topic: cars"),
              note("m2", went, went + 19, "id: ford-xiaomi-detroit"),
              {"from_id": "m1", "to_id": "f", "type": "relation", "direction": "right", "labels": ["participant"]},
              {"from_id": "m2", "to_id": "x", "type": "relation", "direction": "right", "labels": ["participant"]}]
    task = {"id": 1, "data": {"text": text, "article_id": "split-regions", **META},
            "annotations": [{"id": 1, "result": result, "was_cancelled": False, "ground_truth": False}]}
    path = tmp_path / "split.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    warnings = []
    [doc] = read_labelstudio(path, read_mapping(), read_registry(REGISTRY), warnings)
    assert warnings == []
    [event] = doc.events
    assert event.id == "ford-xiaomi-detroit" and event.type == "Meeting"
    assert [e.exact for e in event.evidence] == ["met", "the talks went well"]
    assert sorted(v.raw for v in event.props["participant"]) == ["ford-motor-company", "xiaomi"]
    assert [v.raw for v in event.props["topic"]] == ["cars"]
