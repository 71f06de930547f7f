"""What the official-record readers share: a document that reproduces an official record.

A Federal Register document, a Global Trade Alert intervention or an EU regulation record is
loaded like an article, as an ``ak:RecordDocument`` (not a news article): one named graph, with
the record as an entity (``ak:FederalRegisterDocument``, ``ak:GTAIntervention``,
``ak:EURegulation``), the measures it is about, and its dated life-cycle events (adopted,
in force, removed) as claims asserted by the record's author, each with the field of the
record it comes from as evidence. The loaded document says which record it reproduces
(``ak:sourceRecord``); the claim-status rule counts what it states as confirmed.

Which autokg measures a record is about is the analyst's link, kept in a sidecar beside the
record, as brat's metadata is (``<name>.meta.yaml``)::

    # Proclamation 10908 is the official record of these two tariffs
    measures:
      2025-05930: [us-section-232-auto-tariff, us-section-232-auto-parts-tariff]

keyed by the record's own id (a Federal Register document number, a GTA intervention id).
A record with no entry describes a measure of its own (``<record id>-measure``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import AnnotationError, Problem
from ..terms import slugify
from .annotations import ArticleDoc, EntityDecl, EventDecl, Evidence, Value
from .inputfile import UnreadableInput, read_input
from .yamlsource import YDict, YList, line_of, read_yaml

__all__ = ["RecordDoc", "read_measure_links", "entity", "event", "META_SUFFIX", "source_record_triple",
           "record_format"]

META_SUFFIX = ".meta.yaml"


@dataclass
class RecordDoc(ArticleDoc):
    """An ArticleDoc whose text is a saved official record; ``record`` is the record entity's id."""

    record: str = ""


def source_record_triple(doc: RecordDoc, article_iri: str) -> str:
    """The triple saying which official record the loaded document reproduces."""
    from ..terms import AK, entity_iri

    return f"<{article_iri}> <{AK.sourceRecord}> <{entity_iri(doc.record)}> ."


def read_measure_links(path: Path) -> dict[str, list[Value]]:
    """The measures each record id in ``path``'s sidecar is linked to (empty without a sidecar)."""
    meta = path.with_name(path.name.removesuffix(path.suffix) + META_SUFFIX)
    if not meta.is_file():
        return {}
    data = read_yaml(meta)
    problems: list[Problem] = []
    links: dict[str, list[Value]] = {}
    measures = data.get("measures") if isinstance(data, YDict) else None
    if not isinstance(measures, YDict):
        raise AnnotationError([Problem(str(meta), line_of(data) or 1,
                                       "a record's .meta.yaml holds 'measures': record id -> measure ids")])
    for key, value in measures.items():
        items = value if isinstance(value, YList) else [value]
        lines = value.item_lines if isinstance(value, YList) else [line_of(measures, key)] * len(items)
        for item, line in zip(items, lines, strict=True):
            if not isinstance(item, str) or slugify(item) != item:
                problems.append(Problem(str(meta), line, f"measure {item!r} must be an entity id (a slug)"))
            else:
                links.setdefault(str(key), []).append(Value(item, line))
    if problems:
        raise AnnotationError(problems)
    return links


def entity(id: str, type: str | None, name: str | None = None, line: int | None = None, **props) -> EntityDecl:
    """An entity declaration with its properties given as plain values (lists for several)."""
    values = {key: [Value(v, line) for v in (value if isinstance(value, list) else [value])]
              for key, value in props.items() if value not in (None, "", [])}
    return EntityDecl(id, type, name, props=values, line=line)


def record_measures(path: Path, number: str, doc_id: str, title: str, author: str | None,
                    entities: list[EntityDecl], line: int | None = None) -> list[str]:
    """The ids of the measures the record ``number`` is about: those its ``.meta.yaml`` links it
    to, else one measure of its own named ``title``; their declarations (with this record as
    their official record) are added to ``entities``."""
    links = read_measure_links(path).get(number)
    if links:
        entities.extend(entity(v.raw, "Policy", None, v.line, official_record=doc_id) for v in links)
        return [v.raw for v in links]
    own = f"{doc_id}-measure"
    entities.append(entity(own, "Policy", title, line, imposed_by=author, official_record=doc_id))
    return [own]


def event(id: str, type: str, evidence: Evidence, asserted_by: str, line: int | None = None, **props) -> EventDecl:
    """A life-cycle event taken from one field of a record, asserted by the record's author."""
    values = {key: [Value(v, line) for v in (value if isinstance(value, list) else [value])]
              for key, value in props.items() if value not in (None, "", [])}
    return EventDecl(id, type, values, [evidence], asserted_by=Value(asserted_by, line), line=line)


def read_record_text(path: Path) -> str:
    """The text of a saved official record, read the one safe way (graph/readers/inputfile.py:
    a regular file, within the size limit); raise AnnotationError naming the file."""
    source = str(path)
    try:
        raw = read_input(path, within=path.parent)
    except UnreadableInput as exc:
        raise AnnotationError([Problem(source, None, f"cannot read file: {exc.reason}" if exc.missing
                                       else exc.reason)]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnnotationError([Problem(source, None, "file is not valid UTF-8")]) from None


def parse_record_json(text: str, source: str):
    """A saved record's JSON; each way it fails to be JSON is one problem naming the file."""
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnnotationError([Problem(source, exc.lineno, f"invalid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise AnnotationError([Problem(source, None, "JSON nested too deeply")]) from None


def record_format(path: Path) -> str | None:
    """``federalregister``, ``gta`` or ``euregulation`` when the file reads as one of those records,
    else None."""
    from .euregulation import looks_like_eu_regulation
    from .federalregister import looks_like_federal_register
    from .gta import looks_like_gta

    try:
        head = read_input(path, within=path.parent)[:65536].decode("utf-8-sig", errors="replace")
    except UnreadableInput:
        return None  # not a regular file, too large...: the reader that follows says what is wrong
    if path.suffix in (".yaml", ".yml"):
        return "euregulation" if looks_like_eu_regulation(head) else None
    if path.suffix == ".json" and looks_like_federal_register(head):
        return "federalregister"
    if looks_like_gta(head):
        return "gta"
    return None
