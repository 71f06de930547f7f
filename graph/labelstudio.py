"""Label Studio's JSON export -> ArticleDocs (one per task).

The export is a list of tasks, as Label Studio writes it (Export -> "JSON")::

    [{"id": 7, "data": {"text": "...", "headline": "...", "publisher": "global-times"},
      "annotations": [{"id": 12, "result": [...], "was_cancelled": false,
                       "ground_truth": false, "created_at": "...", "updated_at": "..."}],
      "predictions": [...]}]

* ``data.text`` is the article; optional ``data`` fields give its metadata:
  ``article_id`` (or ``id``), ``headline`` (or ``title``), ``publisher``, ``date``, ``url``,
  ``language``. Other fields are ignored. Without an id, a task is
  ``<file name>-task-<task id>``.
* **One annotation per task**: the ground-truth annotation if there is one (the latest
  of several), otherwise the most recently updated annotation that was not cancelled.
  Predictions (model output) are never loaded. A task with no usable annotation is
  skipped with a warning.
* Results of type ``labels`` are spans; a span labelled with an event type is the
  event's trigger and evidence. ``relation`` results from an event span are its roles
  (the relation's label is the role: ``participant``, ``reports``...), from an entity span
  they are relations (``country``...). ``direction: left`` swaps the ends. Per-region
  ``choices`` are attributes (``certainty``, ``polarity``, ``stance``); per-region
  ``textarea`` results are notes (``key: value`` notes set fields, as in brat).
* Offsets are code points (Label Studio's own since 1.4); an export from an older
  version that counted UTF-16 units (off by one after each emoji) is detected from the
  recorded span text and converted.
* The JSON-MIN export drops relations, and so every event role: it is refused.

Everything after the ``Standoff`` is shared with brat (``graph.standoff``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .annotations import Collector, Value
from .errors import AnnotationError, Problem
from .mapping import TypeMapping
from .registry import EntityIndex
from .standoff import AttributeAnn, EventAnn, ImportedDoc, NoteAnn, RelationAnn, Span, Standoff, to_article
from .terms import slugify

__all__ = ["read_labelstudio", "choose_annotation", "is_json_min"]

_META = {"article_id": "id", "id": "id", "headline": "headline", "title": "headline",
         "publisher": "publisher", "date": "date", "url": "url", "language": "language"}


def is_json_min(data) -> bool:
    """True for Label Studio's JSON-MIN export: flat task rows, no ``data``/``annotations``."""
    if not isinstance(data, list) or not data or not all(isinstance(t, dict) for t in data):
        return False
    if any("annotations" in t or "data" in t for t in data):
        return False
    markers = {"annotator", "annotation_id", "lead_time"}
    spans = any(isinstance(v, list) and v and isinstance(v[0], dict) and "start" in v[0]
                for t in data for v in t.values())
    return spans or any(markers & set(t) for t in data)


def choose_annotation(task: dict) -> dict | None:
    """The annotation to load: the latest ground truth, else the latest not cancelled."""
    usable = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    truth = [a for a in usable if a.get("ground_truth")]
    pool = truth or usable
    if not pool:
        return None
    return max(pool, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), str(a.get("id", ""))))


def read_labelstudio(path: Path | str, mapping: TypeMapping, index: EntityIndex,
                     warnings: list[Problem] | None = None) -> list[ImportedDoc]:
    """Read a Label Studio JSON export; one ArticleDoc per task with a usable annotation."""
    path = Path(path)
    warnings = warnings if warnings is not None else []
    out = Collector(str(path))
    try:
        raw = path.read_text(encoding="utf-8-sig")
        data = json.loads(raw)
    except UnicodeDecodeError:
        out.add(None, "file is not valid UTF-8")
        out.raise_if_any()
    except json.JSONDecodeError as exc:
        out.add(exc.lineno, f"invalid JSON: {exc.msg}")
        out.raise_if_any()
    if is_json_min(data):
        out.add(1, "this is Label Studio's JSON-MIN export, which leaves out relations (and so every event "
                   "role and nested report): export the project as 'JSON' instead")
        out.raise_if_any()
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(t, dict) and isinstance(t.get("data"), dict) for t in data):
        out.add(1, "not a Label Studio JSON export: expected a list of tasks, each with 'data' and 'annotations'")
        out.raise_if_any()
    docs: list[ImportedDoc] = []
    problems: list[Problem] = []
    for n, task in enumerate(data, start=1):
        try:
            so = _task_standoff(task, n, path, raw, mapping)
        except AnnotationError as exc:
            problems.extend(exc.problems)
            continue
        if so is None:
            warnings.append(Problem(str(path), _line(raw, task.get("id"), key="id"),
                                    f"task {task.get('id', n)}: no annotation that is not cancelled; skipped "
                                    f"(predictions are not loaded)", "WARNING"))
            continue
        try:
            docs.append(to_article(so, mapping, index, warnings))
        except AnnotationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise AnnotationError(problems)
    return docs


def _line(raw: str, value, key: str | None = None) -> int | None:
    """The line where a result id (or ``"key": value``) first appears in the raw JSON."""
    if value is None:
        return None
    if key:
        encoded = json.dumps(value, ensure_ascii=False)
        boundary = r"\b" if encoded[-1:].isalnum() else ""
        match = re.search(rf'"{re.escape(key)}"\s*:\s*{re.escape(encoded)}{boundary}', raw)
    else:
        match = re.search(re.escape(json.dumps(value, ensure_ascii=False)), raw)
    return raw.count("\n", 0, match.start()) + 1 if match else None


def _task_standoff(task: dict, n: int, path: Path, raw: str, mapping: TypeMapping) -> Standoff | None:
    out = Collector(str(path))
    task_id = task.get("id", n)
    task_line = _line(raw, task.get("id"), key="id")
    text = task["data"].get("text")
    if not isinstance(text, str) or not text:
        out.add(task_line, f"task {task_id}: data.text must hold the article text")
        out.raise_if_any()
    annotation = choose_annotation(task)
    if annotation is None:
        return None
    default_id = f"{slugify(path.stem)}-task-{slugify(str(task_id))}"
    so = Standoff(path=str(path), text=text, default_id=default_id)
    for key, field in _META.items():
        value = task["data"].get(key)
        if value is not None and field not in so.meta and not (key == "id" and not isinstance(value, str)):
            so.meta[field] = Value(value, _line(raw, value, key=key))
    results = annotation.get("result") or []
    regions: dict[str, dict] = {}
    for r in results:
        if isinstance(r, dict) and r.get("type") == "labels" and isinstance(r.get("value"), dict):
            regions[str(r.get("id"))] = r
    utf16 = None
    for rid, r in regions.items():
        value, line = r["value"], _line(raw, rid)
        labels = value.get("labels") or []
        if len(labels) != 1:
            out.add(line, f"task {task_id}: region {rid} has {len(labels)} labels; give it exactly one")
            continue
        start, end = value.get("start"), value.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            out.add(line, f"task {task_id}: region {rid} has no integer start/end offsets")
            continue
        recorded = value.get("text")
        if isinstance(recorded, str) and text[start:end] != recorded:
            utf16 = utf16 or _utf16_to_code_points(text)
            if end < len(utf16) and text[utf16[start]:utf16[end]] == recorded:
                start, end = utf16[start], utf16[end]
        so.spans[rid] = Span(rid, labels[0], [(start, end)], recorded if isinstance(recorded, str) else None, line)

    for r in results:
        if not isinstance(r, dict) or r.get("type") != "relation":
            continue
        a, b = str(r.get("from_id")), str(r.get("to_id"))
        line = _line(raw, r.get("from_id"), key="from_id")
        if r.get("direction") == "left":
            a, b = b, a
        labels = r.get("labels") or []
        if a not in so.spans or b not in so.spans:
            out.add(line, f"task {task_id}: relation {a} -> {b} joins regions that are not labelled spans")
            continue
        if not labels:
            out.add(line, f"task {task_id}: relation {a} -> {b} has no label: pick the role it plays")
            continue
        for label in labels:
            rel_id = f"{a}->{b}:{label}"
            so.relations[rel_id] = RelationAnn(rel_id, label, a, b, line)
    for r in results:
        if not isinstance(r, dict) or str(r.get("id")) not in so.spans:
            continue
        rid, value, line = str(r.get("id")), r.get("value") or {}, _line(raw, r.get("id"))
        if r.get("type") == "choices":
            for choice in value.get("choices") or []:
                so.attributes.append(AttributeAnn(f"{rid}:{r.get('from_name')}", str(r.get("from_name")), rid,
                                                  str(choice), line))
        elif r.get("type") == "textarea":
            for note in value.get("text") or []:
                so.notes.append(NoteAnn(f"{rid}:note", rid, str(note), line))
    out.raise_if_any()
    _events_from_relations(so, mapping)
    return so


def _events_from_relations(so: Standoff, mapping: TypeMapping) -> None:
    """Event-typed spans become events, the relations leaving them their roles."""
    schema = mapping.schema
    for rid, span in so.spans.items():
        kind, cls = mapping.span_type(span.type, None)
        if kind == "class" and (schema.is_a(cls, "Claim") or schema.is_a(cls, "Attribution")):
            so.events["E:" + rid] = EventAnn("E:" + rid, span.type, rid, [], span.line)
    events_by_trigger = {e.trigger: e for e in so.events.values()}
    for rel_id, rel in list(so.relations.items()):
        event = events_by_trigger.get(rel.arg1)
        if event is not None:
            event.args.append((rel.type, rel.arg2))
            del so.relations[rel_id]
    for attr in so.attributes:
        if attr.target in events_by_trigger:
            attr.target = events_by_trigger[attr.target].id


def _utf16_to_code_points(text: str) -> list[int]:
    """For each UTF-16 offset into ``text``, the code-point offset (older Label Studio counted UTF-16)."""
    table = []
    for i, ch in enumerate(text):
        table.append(i)
        if ord(ch) > 0xFFFF:
            table.append(i + 1)
    table.append(len(text))
    return table
