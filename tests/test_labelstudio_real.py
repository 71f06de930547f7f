"""Label Studio exports as real projects make them: relations drawn without a label, predictions
(model output) loaded when asked, tasks with no text regions (images, task-level choices), and
the Label Studio repositories' own export fixtures (tests/data/labelstudio/upstream/, see its
README): each loads, or is skipped or refused with one line saying why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.readers.labelstudio import choose_prediction, read_labelstudio
from graph.readers.mapping import read_mapping
from graph.registry import read_registry

from .conftest import DATA, invoke

UPSTREAM = DATA / "labelstudio" / "upstream"
REGISTRY = DATA / "interop" / "entities.yaml"
TEXT = "BYD and Ford held talks in Detroit, the FT reported."
META = {"article_id": "ls-real", "headline": "BYD and Ford held talks", "publisher": "global-times",
        "date": "2026-02"}


def _region(rid: str, word: str, label: str) -> dict:
    start = TEXT.index(word)
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": start + len(word), "text": word, "labels": [label]}}


def _relation(a: str, b: str, *labels: str) -> dict:
    rel = {"from_id": a, "to_id": b, "type": "relation", "direction": "right"}
    if labels:
        rel["labels"] = list(labels)
    return rel


def _talks(*relations: dict) -> list[dict]:
    return [_region("byd", "BYD", "Automaker"), _region("ford", "Ford", "Automaker"),
            _region("talks", "talks", "Negotiation"), *relations]


def _write(tmp_path: Path, tasks: list[dict], name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(tasks, indent=1), encoding="utf-8")
    return path


def _annotated(result: list[dict]) -> dict:
    return {"id": 1, "data": {"text": TEXT, **META},
            "annotations": [{"id": 10, "result": result, "was_cancelled": False, "ground_truth": False,
                             "created_at": "2026-02-03T10:00:00Z", "updated_at": "2026-02-03T10:00:00Z"}]}


def test_a_relation_without_a_label_is_a_warning_and_the_rest_loads(runner, tmp_path):
    # a config with no <Relation> values: Label Studio writes the relation with no "labels" at all
    path = _write(tmp_path, [_annotated(_talks(_relation("talks", "byd", "participant"),
                                                _relation("talks", "ford", "participant"),
                                                _relation("byd", "ford")))])
    result = invoke(runner, tmp_path / "s", "load", "--registry", str(REGISTRY), str(path))
    assert result.exit_code == 0, result.output + result.stderr
    [warning] = result.stderr.splitlines()
    assert warning.startswith(f"[WARNING] {path}:") and "relation byd -> ford has no label: skipped" in warning
    assert "map 'unlabelled'" in warning
    assert "Loaded 1 article(s), 1 claim(s)" in result.output


def test_a_mapping_says_what_an_unlabelled_relation_means(tmp_path):
    path = _write(tmp_path, [_annotated(_talks(_relation("talks", "byd"), _relation("talks", "ford")))])
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text("roles:\n  unlabelled: participant\n", encoding="utf-8")
    warnings = []
    [doc] = read_labelstudio(path, read_mapping(mapping_file), read_registry(REGISTRY), warnings)
    assert warnings == []
    [talks] = doc.events
    assert sorted(v.raw for v in talks.props["participant"]) == ["byd", "ford-motor-company"]


def _predicted(score: float = 0.9) -> dict:
    return {"id": 2, "data": {"text": TEXT, **META}, "annotations": [],
            "predictions": [{"id": 5, "model_version": "ner-v1", "score": score, "created_at": "2026-02-03T09:00:00Z",
                             "result": _talks(_relation("talks", "byd", "participant"),
                                              _relation("talks", "ford", "participant"))}]}


def test_a_predictions_only_export_warns_and_loads_with_predictions(runner, tmp_path):
    path = _write(tmp_path, [_predicted()])
    result = invoke(runner, tmp_path / "s", "load", "--registry", str(REGISTRY), str(path))
    assert result.exit_code == 0
    assert result.stderr.strip() == (f"[WARNING] {path}:3: task 2: only predictions (model output), no annotation: "
                                     f"skipped; pass --predictions to load them")
    assert "Loaded 0 article(s)" in result.output
    result = invoke(runner, tmp_path / "s", "load", "--predictions", "--registry", str(REGISTRY), str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "" and "Loaded 1 article(s), 1 claim(s)" in result.output
    rows = invoke(runner, tmp_path / "s", "query", "who-talked-to-whom", "-f", "csv").output
    assert "BYD" in rows and "Ford Motor Company" in rows


def test_an_annotation_beats_a_prediction_even_with_predictions(tmp_path):
    task = _predicted()                                       # the model: BYD and Ford talked
    task["annotations"] = _annotated(_talks(_relation("talks", "byd", "participant")))["annotations"]
    mapping = read_mapping()
    mapping.predictions = True
    [doc] = read_labelstudio(_write(tmp_path, [task]), mapping, read_registry(REGISTRY), [])
    [talks] = doc.events                                      # the annotator kept BYD only
    assert [v.raw for v in talks.props["participant"]] == ["byd"]


def test_the_latest_prediction_is_chosen():
    task = _predicted()
    task["predictions"].append({**task["predictions"][0], "id": 6, "created_at": "2026-02-04T09:00:00Z"})
    assert choose_prediction(task)["id"] == 6
    assert choose_prediction({"predictions": []}) is None


def test_an_empty_export_says_so(runner, tmp_path):
    path = _write(tmp_path, [])
    result = invoke(runner, tmp_path / "s", "load", str(path))
    assert result.exit_code == 0
    assert result.stderr.strip() == f"[WARNING] {path}:1: the export holds no tasks: nothing to load"


# --- the Label Studio repositories' own exports ------------------------------------------------

# file -> the one line each task gives (warning: skipped and why)
UPSTREAM_VERDICTS = {
    "csv-csv_test.json": [
        ":1: task 1: no text regions (the annotation holds 1 rectanglelabels): skipped",
        ":1: task 2: no text regions (the annotation holds 2 rectanglelabels): skipped"],
    "csv-csv_test_history.json": [":3: task 6141: no text regions (the annotation holds 1 choices): skipped"],
    "csv-csv_test_colliding_keys.json": [":3: task 1: no text regions (the annotation holds 1 choices): skipped"],
    "doclang-data.json": [
        ":3: task 1: no text to read (its data holds image): skipped",
        ":38: task 2: no text to read (its data holds image): skipped",
        ":57: task 3: no annotation that is not cancelled: skipped"],
    "json_min-data.json": [":3: task 87: no text to read (its data holds image): skipped"],
}


def test_every_upstream_fixture_has_its_verdict():
    assert {p.name for p in UPSTREAM.glob("*.json")} == set(UPSTREAM_VERDICTS)


@pytest.mark.parametrize("name", sorted(UPSTREAM_VERDICTS))
def test_upstream_exports_give_one_line_per_task(runner, tmp_path, name):
    path = UPSTREAM / name
    result = invoke(runner, tmp_path / "s", "load", str(path))
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == len(UPSTREAM_VERDICTS[name])
    for line, expected in zip(lines, UPSTREAM_VERDICTS[name], strict=True):
        assert line.startswith(f"[WARNING] {path}{expected}"), line
    assert "Loaded 0 article(s)" in result.output
