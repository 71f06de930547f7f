"""doccano's JSONL export -> ArticleDocs (one per document).

doccano (doccano/doccano) exports one JSON object per line; the sequence-labelling and
relation-extraction projects write spans and relations::

    {"id": 7, "text": "...", "entities": [{"id": 0, "start_offset": 0, "end_offset": 6, "label": "Automaker"}],
     "relations": [{"id": 0, "from_id": 1, "to_id": 0, "type": "participant"}]}
    {"id": 8, "text": "...", "label": [[0, 6, "Automaker"], [11, 17, "Negotiation"]]}

* ``entities`` (relation projects) or ``label`` as ``[start, end, label]`` triples
  (sequence-labelling projects) are spans; a ``label`` list of strings (a text-classification
  project) holds no span, and such a document is skipped with a warning.
* A span labelled with an event type is the event's trigger and evidence; ``relations``
  from it are its roles (the relation's ``type`` is the role), other relations are
  relations between entities (``country``...) -- as in Label Studio
  (``graph.readers.standoff.events_from_relations``).
* Offsets are code points of ``text`` (doccano counts them in Python); a span whose
  offsets fall outside the text is an error with its line.
* Article metadata comes from the document's own fields or its ``meta`` object
  (``article_id``, ``headline`` or ``title``, ``publisher``, ``date``, ``url``,
  ``language``), which doccano keeps from the imported file; without them the id is
  ``<file name>-<document id>``, and the publisher and date come from ``--publisher`` or
  the mapping file's ``article:`` section.
* The file may also be pretty-printed (several lines per object), as doccano's own
  example exports are: objects are read one after another, whatever their layout.

Everything after the ``Standoff`` is shared with brat and Label Studio (``graph.readers.standoff``).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import AnnotationError, Problem
from ..registry import EntityIndex
from ..terms import slugify
from .annotations import Collector, Value
from .inputfile import read_text
from .mapping import TypeMapping
from .standoff import ImportedDoc, RelationAnn, Span, Standoff, events_from_relations, to_article

__all__ = ["read_doccano", "parse_doccano"]

_META = {"article_id": "id", "headline": "headline", "title": "headline", "publisher": "publisher",
         "date": "date", "url": "url", "language": "language"}


def _objects(raw: str, out: Collector) -> list[tuple[int, object]]:
    """Every JSON value in ``raw``, one after another, with the line it starts on."""
    decoder = json.JSONDecoder()
    values: list[tuple[int, object]] = []
    pos, line = 0, 1
    while True:
        while pos < len(raw) and raw[pos] in " \t\r\n":
            line += raw[pos] == "\n"
            pos += 1
        if pos >= len(raw):
            return values
        try:
            value, end = decoder.raw_decode(raw, pos)
        except json.JSONDecodeError as exc:
            out.add(exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})")
            return values
        except RecursionError:
            out.add(line, "invalid JSON: nested too deeply")
            return values
        values.append((line, value))
        line += raw.count("\n", pos, end)
        pos = end


def _unwritable(text: str) -> str | None:
    """What in ``text`` no article may hold (JSON can escape both), or None."""
    if "\x00" in text:
        return "a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "half of a UTF-16 surrogate pair (\\ud800-\\udfff), not a character"
    return None


def _is_offset(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_doccano(path: Path | str, mapping: TypeMapping, warnings: list[Problem]) -> list[Standoff]:
    """Read a doccano JSONL export into one Standoff per document with spans."""
    path = Path(path)
    out = Collector(str(path))
    objects = _objects(read_text(path, out), out)
    out.raise_if_any()
    if not objects:
        warnings.append(Problem(str(path), None, "the export holds no documents: nothing to load", "WARNING"))
    documents: list[Standoff] = []
    for n, (line, doc) in enumerate(objects, start=1):
        if not isinstance(doc, dict):
            out.add(line, f"document {n}: expected a JSON object with 'text' and 'entities' or 'label'")
            continue
        name = f"document {doc.get('id', n)}"
        text = doc.get("text")
        if not isinstance(text, str) or not text:
            out.add(line, f"{name}: 'text' must hold the article text")
            continue
        if (bad := _unwritable(text)) is not None:
            out.add(line, f"{name}: the text holds {bad}")
            continue
        spans = _spans(doc, name, line, len(text), out)
        if spans is None:
            continue
        if not spans:
            held = "a classification label" if isinstance(doc.get("label"), list) and doc["label"] else "no spans"
            warnings.append(Problem(str(path), line, f"{name}: {held}, no spans: skipped; autokg reads "
                                                     "sequence-labelling and relation-extraction exports", "WARNING"))
            continue
        default_id = f"{slugify(path.stem)}-{slugify(str(doc.get('id', n)))}"
        so = Standoff(path=str(path), text=text, default_id=default_id,
                      meta_hint=f"{name}'s fields (publisher, date) or its meta object")
        so.meta_line = line
        meta = doc.get("meta") if isinstance(doc.get("meta"), dict) else {}
        for key, field in _META.items():
            value = doc.get(key, meta.get(key))
            if value is not None and field not in so.meta:
                so.meta[field] = Value(value, line)
        for span in spans:
            so.spans[span.id] = span
        for k, rel in enumerate(doc.get("relations") or [], start=1):
            if not isinstance(rel, dict) or not isinstance(rel.get("type"), str) or not rel["type"]:
                out.add(line, f"{name}: relation {k} needs from_id, to_id and a type")
                continue
            a, b = str(rel.get("from_id")), str(rel.get("to_id"))
            if a not in so.spans or b not in so.spans:
                out.add(line, f"{name}: relation {k} ({rel['type']}) joins {a} and {b}, which are not both spans")
                continue
            rel_id = f"R{rel.get('id', k)}"
            so.relations[rel_id] = RelationAnn(rel_id, rel["type"], a, b, line)
        events_from_relations(so, mapping)
        documents.append(so)
    out.raise_if_any()
    return documents


def _spans(doc: dict, name: str, line: int, size: int, out: Collector) -> list[Span] | None:
    """The document's spans (``entities`` objects or ``label`` triples); None after a problem."""
    found: list[Span] = []
    problems = len(out.problems)
    if isinstance(doc.get("entities"), list):
        for k, ent in enumerate(doc["entities"], start=1):
            if not isinstance(ent, dict):
                out.add(line, f"{name}: entity {k} must be an object with start_offset, end_offset and label")
                continue
            found.append(_span(str(ent.get("id", k)), ent.get("start_offset"), ent.get("end_offset"),
                               ent.get("label"), name, line, size, out))
    elif isinstance(doc.get("label"), list):
        for k, item in enumerate(doc["label"], start=1):
            if isinstance(item, str):
                continue                                    # a text-classification label
            if not isinstance(item, list) or len(item) != 3:
                out.add(line, f"{name}: label {k} must be [start, end, label]")
                continue
            found.append(_span(f"T{k}", item[0], item[1], item[2], name, line, size, out))
    ids = [s.id for s in found if s is not None]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        out.add(line, f"{name}: two entities have the id {dup}")
    if len(out.problems) > problems:
        return None
    return [s for s in found if s is not None]


def _span(sid: str, start, end, label, name: str, line: int, size: int, out: Collector) -> Span | None:
    if not isinstance(label, str) or not label:
        out.add(line, f"{name}: span {sid} needs a label (text)")
        return None
    if not _is_offset(start) or not _is_offset(end):
        out.add(line, f"{name}: span {sid} ({label}) needs integer start and end offsets")
        return None
    if not 0 <= start < end <= size:
        out.add(line, f"{name}: span {sid} ({label}) at {start}..{end} is outside the text (0..{size})")
        return None
    return Span(sid, label, [(start, end)], None, line)


def read_doccano(path: Path | str, mapping: TypeMapping, index: EntityIndex,
                 warnings: list[Problem] | None = None) -> list[ImportedDoc]:
    """Read a doccano JSONL export; one ArticleDoc per document with spans."""
    warnings = warnings if warnings is not None else []
    docs: list[ImportedDoc] = []
    problems: list[Problem] = []
    for so in parse_doccano(path, mapping, warnings):
        try:
            docs.append(to_article(so, mapping, index, warnings))
        except AnnotationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise AnnotationError(problems)
    return docs
