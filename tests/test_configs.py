"""Annotation-tool configs generated from the ontology: a valid brat configuration and a
well-formed Label Studio labeling config with every class."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pytest

from graph.annotation_configs import (
    VALUE_TYPE,
    brat_config,
    entity_types,
    event_types,
    labelstudio_config,
    relation_types,
)
from graph.schema import load_schema

from .conftest import SHARED, needs_shared

TUTORIAL_CONF = SHARED / "external" / "brat-news-tutorial" / "annotation.conf"
_SPECIAL = {"<EVENT>", "<ENTITY>", "<ANY>", "<RELATION>"}


@dataclass
class BratConf:
    entities: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    relations: dict[str, list[str]] = field(default_factory=dict)
    roles: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    attributes: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def parse_brat_conf(text: str) -> BratConf:
    """Read a brat annotation.conf (sections, hierarchy, macros) and check every reference."""
    conf, section, macros = BratConf(), None, {}
    references: list[tuple[str, str]] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0] if raw.lstrip().startswith("#") else raw
        if not line.strip():
            continue
        if re.match(r"^\[\w+\]$", line.strip()):
            section = line.strip()[1:-1]
            continue
        macro = re.match(r"^(<[A-Z]+>)=(.*)$", line.strip())
        if macro:
            macros[macro.group(1)] = macro.group(2)
            continue
        name, _, rest = line.strip().lstrip("!").partition("\t" if "\t" in line.strip() else " ")
        name, rest = name.strip(), rest.strip()
        if not re.match(r"^[A-Za-z0-9_-]+$", name):
            conf.problems.append(f"bad type name {name!r}")
        if section == "entities":
            conf.entities.add(name)
        elif section == "events":
            conf.events.add(name)
            conf.roles[name] = {}
            for arg in filter(None, (a.strip() for a in rest.split(","))):
                role, _, types = arg.partition(":")
                role = re.sub(r"[?*+]$|\{\d+(-\d+)?\}$", "", role)
                expanded = macros.get(types, types).split("|")
                conf.roles[name][role] = expanded
                references += [(f"event {name} role {role}", t) for t in expanded]
        elif section == "relations":
            args = [a.strip() for a in rest.split(",")]
            types = []
            for arg in args:
                role, _, value = arg.partition(":")
                if role.startswith("<"):
                    continue
                types += macros.get(value, value).split("|")
            conf.relations[name] = types
            references += [(f"relation {name}", t) for t in types]
        elif section == "attributes":
            keys = dict(part.strip().split(":", 1) for part in rest.split(","))
            targets = keys["Arg"].split("|")
            conf.attributes[name] = targets
            references += [(f"attribute {name}", t) for t in targets]
    defined = conf.entities | conf.events | _SPECIAL
    for where, target in references:
        if target not in defined:
            conf.problems.append(f"{where} refers to undefined type {target!r}")
    return conf


@needs_shared
def test_the_checker_accepts_brats_own_tutorial_config():
    conf = parse_brat_conf(TUTORIAL_CONF.read_text(encoding="utf-8"))
    assert conf.problems == []
    assert "Merge-org" in conf.events and conf.roles["Report"]["Event-Arg"] == ["<EVENT>"]


def test_generated_brat_config_is_valid():
    conf = parse_brat_conf(brat_config()["annotation.conf"])
    assert conf.problems == []
    schema = load_schema()
    assert conf.entities == set(entity_types()) | {VALUE_TYPE}
    assert conf.events == set(event_types()) and {"Negotiation", "Report", "Merger", "Denial"} <= conf.events
    assert conf.roles["Report"]["reports"] == ["<EVENT>"]
    assert "Automaker" in conf.roles["Negotiation"]["participant"]
    assert conf.roles["Report"]["anonymousSourceCount"] == [VALUE_TYPE]
    assert set(conf.relations) == {name for name, _, _ in relation_types()}
    assert {"country", "imposedBy", "goods", "legalBasis"} <= set(conf.relations)
    assert {"certainty", "polarity", "stance"} <= set(conf.attributes)
    assert conf.attributes["stance"] == sorted(conf.attributes["stance"], key=lambda c: len(schema.ancestors(c)))


def test_generated_visual_conf_labels_every_type():
    visual = brat_config()["visual.conf"]
    labelled = {line.split(" | ")[0] for line in visual.splitlines() if " | " in line}
    assert set(entity_types()) | set(event_types()) | {VALUE_TYPE} <= labelled


def test_labelstudio_config_is_well_formed_xml_with_every_class():
    root = ET.fromstring(labelstudio_config())
    assert root.tag == "View"
    labels = {e.get("value") for e in root.iter("Label")}
    assert labels == set(entity_types()) | set(event_types()) | {VALUE_TYPE}
    relations = {e.get("value") for e in root.iter("Relation")}
    assert {"participant", "reporter", "reports", "denies", "country", "imposedBy"} <= relations
    [text] = root.iter("Text")
    assert text.get("value") == "$text"
    assert {c.get("name") for c in root.iter("Choices")} >= {"certainty", "polarity", "stance"}
    assert all(c.get("toName") == "text" for c in root.iter("Labels"))


def test_config_commands(runner, tmp_path):
    from graph.cli import cli

    result = runner.invoke(cli, ["config", "brat", "--out", str(tmp_path / "brat")])
    assert result.exit_code == 0
    assert parse_brat_conf((tmp_path / "brat" / "annotation.conf").read_text(encoding="utf-8")).problems == []
    assert (tmp_path / "brat" / "visual.conf").is_file()
    result = runner.invoke(cli, ["config", "labelstudio"])
    assert result.exit_code == 0 and ET.fromstring(result.output).tag == "View"
    assert runner.invoke(cli, ["config", "labelstudio", "--out", str(tmp_path / "ls.xml")]).exit_code == 0
    assert ET.parse(tmp_path / "ls.xml").getroot().tag == "View"


@pytest.mark.parametrize("kind", ["brat", "labelstudio"])
def test_config_needs_no_mapping(kind):
    from graph.readers.mapping import read_mapping

    mapping = read_mapping()
    for cls in [*entity_types(), *event_types()]:
        assert mapping.span_type(cls, ("x", 1))[0] == "class"
    assert mapping.span_type(VALUE_TYPE, ("x", 1))[0] == "value"
    assert not mapping.unmapped
