"""INCEpTION (UIMA CAS XMI and JSON through dkpro-cassis, WebAnno TSV 3.3) and doccano (JSONL):
the tools' own test files load or are refused one line each, and a small article annotated with
autokg's own types in each format (tests/data/inception/autokg, tests/data/doccano) loads to the
same claims."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph import load_paths, open_store
from graph.annotation_configs import INCEPTION_LAYERS, event_types, inception_config
from graph.loading import format_of
from graph.readers.mapping import read_mapping
from graph.readers.webanno import parse_webanno

from .conftest import DATA, invoke

INCEPTION = DATA / "inception"
DOCCANO = DATA / "doccano"
REGISTRY = DATA / "interop" / "entities.yaml"
OURS = {
    "inception (XMI)": ["--format", "inception", str(INCEPTION / "autokg" / "ft-ford-xiaomi-jv-talks.xmi")],
    "inception (JSON)": ["--format", "inception", str(INCEPTION / "autokg" / "ft-ford-xiaomi-jv-talks-cas.json")],
    "webanno (TSV 3.3)": [str(INCEPTION / "autokg" / "ft-ford-xiaomi-jv-talks.tsv")],
    "doccano (JSONL)": [str(DOCCANO / "ft-ford-xiaomi-jv-talks.jsonl")],
}


def _rows(runner, store: Path, query: str) -> list[dict]:
    result = invoke(runner, store, "query", query, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


@pytest.mark.parametrize("name", sorted(OURS))
def test_an_article_in_autokg_types_loads_to_the_same_claims(runner, tmp_path, name):
    if "inception (" in name:
        pytest.importorskip("cassis")
    store = tmp_path / "s"
    result = invoke(runner, store, "load", "--registry", str(REGISTRY), *OURS[name])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "Loaded 1 article(s), 3 claim(s)" in result.stdout
    talks = _rows(runner, store, "who-talked-to-whom")
    assert len(talks) == 1
    [row] = talks
    assert (row["party_a"], row["party_b"], row["kind"], row["status"]) == ("Ford Motor Company", "Xiaomi",
                                                                            "negotiation", "denied")
    assert (row["topic"], row["place"], row["reported_by"], row["denied_by"]) == (
        "a joint venture to build electric vehicles", "Michigan", "Financial Times", "Ford Motor Company")
    sources = {r["claim"]: r for r in _rows(runner, store, "sources")}
    assert sources["negotiation: Ford Motor Company, Xiaomi"]["via_report"] == "Financial Times"
    assert {r["article_id"] for r in sources.values()} == {"ft-ford-xiaomi-jv-talks"}


def test_the_four_formats_give_one_graph_of_claims(runner, tmp_path):
    """Loaded together they are one article each time: the same id, the same claim kinds and entities."""
    pytest.importorskip("cassis")
    seen = []
    for name, args in sorted(OURS.items()):
        store = open_store("memory")
        fmt = args[1] if args[0] == "--format" else "auto"
        load_paths(store, [args[-1]], REGISTRY, format=fmt)
        rows = store.query("""PREFIX ak: <https://w3id.org/autokg#>
            SELECT ?kind ?who WHERE { ?e a ?kind ; ?role ?x . ?x ak:name ?who .
              FILTER(?role IN (ak:participant, ak:speaker, ak:reporter)) }""").records()
        seen.append((name, sorted((r["kind"].rsplit("#", 1)[-1], r["who"]) for r in rows)))
    assert all(kinds == seen[0][1] for _, kinds in seen), seen
    assert ("Negotiation", "Xiaomi") in seen[0][1] and ("Denial", "Ford Motor Company") in seen[0][1]


def test_suffixes_choose_the_reader_where_they_are_unambiguous():
    assert format_of(Path("a.xmi")) == "inception"
    assert format_of(Path("a.tsv")) == "webanno"
    assert format_of(Path("a.jsonl")) == "doccano"
    assert format_of(Path("a.json")) == "labelstudio"          # a UIMA JSON needs --format inception


def test_a_uima_json_given_as_label_studio_says_how_to_load_it(runner, tmp_path):
    path = INCEPTION / "autokg" / "ft-ford-xiaomi-jv-talks-cas.json"
    result = invoke(runner, tmp_path / "s", "load", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"[ERROR] {path}:1: this is a UIMA CAS JSON file (INCEpTION's export), not a "
                                     f"Label Studio export: load it with --format inception")


# --- the tools' own test files ---------------------------------------------------------------

UPSTREAM = INCEPTION / "upstream"
UPSTREAM_MAPPING = INCEPTION / "mappings" / "upstream.yaml"
# file -> (exit status, claims loaded or the first line's message)
INCEPTION_VERDICTS = {
    "testSimpleSlotFeature.tsv": (0, "1 claim(s)"),
    "testMultiTokenSpanWithFeatureValue.tsv": (0, "0 claim(s)"),
    "testCrossSentenceSpanWithFeatureValue.tsv": (0, "0 claim(s)"),
    "testSentenceWithEmoji.tsv": (0, "0 claim(s)"),
    "testSentenceWithLineBreak.tsv": (0, "0 claim(s)"),
    "testSingleNonTokenRelationWithoutFeature.tsv": (0, "0 claim(s)"),
    "testStackedComplexSlotFeatureWithoutValues.tsv": (0, "2 claim(s)"),
    "testSimpleChain.tsv": (0, "chain layer SimpleLink: not read"),
    "testSingleTokenRelationWithFeatureValue.tsv": (0, "no annotations on the layers autokg reads"),
    "testTwoSentencesWithNoSpaceInBetween.tsv": (0, "no annotations on the layers autokg reads"),
    "testSubMultiTokenSpanWithFeatureValue.tsv": (1, "T8: offsets 7..7"),     # a zero-width span: no text
    "testTokenBoundedSpanWithSpecialSymbolsValue.tsv": (1, "unmapped type '#*"),
    "cassis-slot-feature/slot-feature.xmi": (0, "1 claim(s)"),
    "cassis-slot-feature/slot-feature.json": (0, "1 claim(s)"),
    "cassis-small-cas/small_cas.xmi": (0, "no annotations on the layers autokg reads"),
    "cassis-emoji.json": (0, "no annotations on the layers autokg reads"),
}


def test_every_upstream_inception_file_has_its_verdict():
    on_disk = {p.relative_to(UPSTREAM).as_posix() for p in UPSTREAM.rglob("*")
               if p.suffix in (".tsv", ".xmi", ".json")}
    assert on_disk == set(INCEPTION_VERDICTS)


@pytest.mark.parametrize("name", sorted(INCEPTION_VERDICTS))
def test_inception_and_cassis_test_files_load_or_are_refused_one_line_each(runner, tmp_path, name):
    path = UPSTREAM / name
    if path.suffix != ".tsv":
        pytest.importorskip("cassis")
    fmt = "webanno" if path.suffix == ".tsv" else "inception"
    result = invoke(runner, tmp_path / "s", "load", "--format", fmt, "--mapping", str(UPSTREAM_MAPPING), str(path))
    status, expected = INCEPTION_VERDICTS[name]
    assert result.exit_code == status, result.stderr
    lines = result.stderr.splitlines()
    assert all(line.startswith(("[ERROR] ", "[WARNING] ")) and str(path) in line for line in lines), lines
    if status == 1:
        assert expected in lines[0] and all(line.startswith("[ERROR] ") for line in lines), lines
    elif "claim(s)" in expected:
        assert f"Loaded 1 article(s), {expected}" in result.stdout and lines == []
    else:
        assert any(expected in line for line in lines) and "Loaded 0 article(s)" in result.stdout


def test_webanno_text_is_rebuilt_as_inception_does():
    mapping = read_mapping(UPSTREAM_MAPPING)
    emoji = parse_webanno(UPSTREAM / "testSentenceWithEmoji.tsv", mapping, [])
    [span] = emoji.spans.values()
    (start, end), = span.fragments
    assert emoji.text == "I like it 😊 ." and emoji.text[start:end] == "😊"     # UTF-16 10-12 -> code points 10-11
    assert parse_webanno(UPSTREAM / "testSentenceWithLineBreak.tsv", mapping, []).text == "This is\na test ."
    assert parse_webanno(UPSTREAM / "testTwoSentencesWithNoSpaceInBetween.tsv", mapping, []).text == "onetwo"
    slots = parse_webanno(UPSTREAM / "testSimpleSlotFeature.tsv", mapping, [])
    [event] = slots.events.values()
    assert sorted(role for role, _ in event.args) == ["p1", "p2"]


DOCCANO_UPSTREAM = DOCCANO / "upstream"
DOCCANO_MAPPING = DOCCANO / "mappings" / "upstream.yaml"
DOCCANO_VERDICTS = {
    "export-relation_extraction.jsonl": (0, "Loaded 1 article(s)"),     # pretty-printed, several lines per object
    "export-sequence_labeling.jsonl": (0, "Loaded 3 article(s)"),
    "import-relation_extraction.jsonl": (0, "Loaded 1 article(s)"),
    "export-text_classification.jsonl": (0, "a classification label, no spans: skipped"),
    "import-sequence_labeling.jsonl": (1, "document 3: 'text' must hold the article text"),
}


def test_every_upstream_doccano_file_has_its_verdict():
    assert {p.name for p in DOCCANO_UPSTREAM.glob("*.jsonl")} == set(DOCCANO_VERDICTS)


@pytest.mark.parametrize("name", sorted(DOCCANO_VERDICTS))
def test_doccano_example_files_load_or_are_refused_one_line_each(runner, tmp_path, name):
    path = DOCCANO_UPSTREAM / name
    result = invoke(runner, tmp_path / "s", "load", "--mapping", str(DOCCANO_MAPPING), str(path))
    status, expected = DOCCANO_VERDICTS[name]
    assert result.exit_code == status, result.stderr
    lines = result.stderr.splitlines()
    if status == 1:
        assert len(lines) == 1 and lines[0].startswith(f"[ERROR] {path}:3: ") and expected in lines[0]
    elif expected.startswith("Loaded"):
        assert expected in result.stdout and lines == []
    else:
        assert len(lines) == 3 and all(expected in line for line in lines)


def test_doccano_spans_keep_their_text_and_relations_become_notes(runner, tmp_path):
    store = tmp_path / "s"
    path = DOCCANO_UPSTREAM / "import-relation_extraction.jsonl"
    assert invoke(runner, store, "load", "--mapping", str(DOCCANO_MAPPING), str(path)).exit_code == 0
    s = open_store(str(store))
    names = {r["n"] for r in s.query("SELECT ?n WHERE { ?e <https://w3id.org/autokg#name> ?n }").records()}
    notes = {r["n"] for r in s.query("SELECT ?n WHERE { ?e <http://www.w3.org/2004/02/skos/core#note> ?n }").records()}
    s.close()
    assert {"Google", "Larry Page", "Sergey Brin"} <= names
    assert any("foundedBy" in n for n in notes), notes


# --- autokg config inception -----------------------------------------------------------------

def test_config_inception_writes_layers_with_the_ontologys_tags(runner, tmp_path):
    out = tmp_path / "layers.json"
    result = invoke(runner, tmp_path / "s", "config", "inception", "--out", str(out))
    assert result.exit_code == 0
    layers = json.loads(out.read_text(encoding="utf-8"))
    assert [layer["name"] for layer in layers] == list(INCEPTION_LAYERS.values())
    assert json.loads(inception_config()) == layers
    by_name = {layer["name"]: layer for layer in layers}
    event = by_name[INCEPTION_LAYERS["event"]]
    tags = {t["tag_name"] for f in event["features"] if f["name"] == "label" for t in f["tag_set"]["tags"]}
    assert tags == set(event_types())
    [slot] = [f for f in event["features"] if f["link_mode"] == "WITH_ROLE"]
    assert slot["type"] == "uima.tcas.Annotation" and slot["link_type_role_feature_name"] == "role"
    assert {"participant", "reports", "reporter", "denies"} <= {t["tag_name"] for t in slot["tag_set"]["tags"]}
    assert by_name[INCEPTION_LAYERS["relation"]]["attach_type"] == {"name": INCEPTION_LAYERS["entity"]}
    assert by_name[INCEPTION_LAYERS["article"]]["type"] == "document-metadata"
    # every layer and feature has the keys INCEpTION's ExportedAnnotationLayer/Feature read
    for layer in layers:
        assert {"name", "uiName", "type", "features", "anchoring_mode", "overlap_mode"} <= set(layer)
        for feature in layer["features"]:
            assert {"name", "type", "tag_set", "link_mode", "multi_value_mode"} <= set(feature)


# --- bad input: one line naming file:line, exit 1, no traceback -------------------------------

_DOC = {"text": "Ford met Xiaomi.", "publisher": "global-times", "date": "2026-02"}
HOSTILE = {
    "doccano-invalid-json.jsonl": (b'{"text": "Ford"}\n{"text": ]\n', 2, "invalid JSON"),
    "doccano-offsets-out-of-range.jsonl": (json.dumps({**_DOC, "label": [[0, 99, "Automaker"]]}).encode(), 1,
                                           "outside the text"),
    "doccano-offsets-bool.jsonl": (json.dumps({**_DOC, "label": [[True, 4, "Automaker"]]}).encode(), 1,
                                   "needs integer start and end offsets"),
    "doccano-dangling-relation.jsonl": (json.dumps({**_DOC, "entities": [
        {"id": 1, "start_offset": 0, "end_offset": 4, "label": "Automaker"}],
        "relations": [{"from_id": 1, "to_id": 9, "type": "participant"}]}).encode(), 1, "which are not both spans"),
    "doccano-not-an-object.jsonl": (b'["Ford"]\n', 1, "expected a JSON object"),
    "doccano-non-utf8.jsonl": (b'{"text": "Ford \xff"}\n', 1, "not valid UTF-8"),
    "doccano-nul.jsonl": (b'{"text": "Ford\\u0000", "label": [[0, 4, "Automaker"]]}\n', 1, "a NUL character"),
    "doccano-lone-surrogate.jsonl": (b'{"text": "Ford \\ud800", "label": [[0, 4, "Automaker"]]}\n', 1,
                                     "half of a UTF-16 surrogate pair"),
    "webanno-no-header.tsv": (b"#Text=Ford\n1-1\t0-4\tFord\t_\t\n", 1, "not a WebAnno TSV 3 file"),
    "webanno-columns.tsv": (b"#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Entity|label\n\n\n#Text=Ford\n"
                            b"1-1\t0-4\tFord\tAutomaker\tx\t\n", 6, "2 annotation columns, but the header declares 1"),
    "webanno-bad-token.tsv": (b"#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Entity|label\n\n\n#Text=Ford\n"
                              b"1-1\tzero\tFord\tAutomaker\t\n", 6, "cannot read this line"),
    "inception-not-xml.xmi": (b"<xmi:XMI><unclosed>", 1, "not a UIMA CAS XMI file"),
    "inception-doctype.xmi": (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<xmi:XMI/>', 2,
                              "DOCTYPE or entity declaration is refused"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_bad_files_are_one_line_with_file_and_line(runner, tmp_path, name):
    if name.startswith("inception"):
        pytest.importorskip("cassis")
    content, line, message = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(content)
    result = invoke(runner, tmp_path / "s", "load", "--publisher", "global-times", str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines and lines[0].startswith(f"[ERROR] {path}:{line}: ") and message in lines[0], lines
