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
  Predictions (model output) are loaded only when asked (``--predictions``), and then
  only for a task with no usable annotation: a person's work beats a model's. A task
  with nothing to load is skipped with a warning saying why: no usable annotation, only
  predictions, no text (an image or audio task), or no text regions (the annotation
  holds only rectangles, task-level choices...).
* A relation drawn with no label (a config without ``<Relation>`` values) is skipped with
  a warning, unless the mapping says what ``unlabelled`` means (``roles: {unlabelled: participant}``).
* Results of type ``labels`` are spans; a span labelled with an event type is the
  event's trigger and evidence. ``relation`` results from an event span are its roles
  (the relation's label is the role: ``participant``, ``reports``...), from an entity span
  they are relations (``country``...). ``direction: left`` swaps the ends. Per-region
  ``choices`` are attributes (``certainty``, ``polarity``, ``stance``); per-region
  ``textarea`` results are notes (``key: value`` notes set fields, as in brat).
* Offsets are code points (Label Studio's own since 1.4); an export from an older
  version that counted UTF-16 units (off by one after each emoji) is detected from the
  recorded span text and converted.
* Label Studio regions are contiguous: an event whose evidence is several passages is
  several regions with the same event label and the same ``id:`` note; they are one
  event, each region one evidence span (the relations may leave from any of them).
* The JSON-MIN export drops relations, and so every event role: it is refused.

Everything after the ``Standoff`` is shared with brat (``graph.readers.standoff``).

Writing (``export_task``, ``write_labelstudio``) turns YAML articles into a JSON export
of the shape Label Studio writes, for the config from ``autokg config labelstudio``,
that reads back to the same graph (as ``graph.readers.brat.write_brat`` does for brat).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
from pathlib import Path

from ..errors import AnnotationError, Problem
from ..registry import EntityIndex
from ..schema import Schema, load_schema
from ..terms import slugify
from .annotations import ArticleDoc, Collector, Value, article_metadata
from .inputfile import read_text
from .mapping import UNLABELLED, TypeMapping
from .standoff import (
    AttributeAnn,
    ImportedDoc,
    NoteAnn,
    RelationAnn,
    Span,
    Standoff,
    events_from_relations,
    parse_note,
    to_article,
)

__all__ = ["read_labelstudio", "choose_annotation", "choose_prediction", "is_json_min", "export_task", "write_labelstudio"]

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
    annotations = task.get("annotations")
    usable = [a for a in (annotations if isinstance(annotations, list) else [])
              if isinstance(a, dict) and not a.get("was_cancelled")]
    truth = [a for a in usable if a.get("ground_truth")]
    pool = truth or usable
    if not pool:
        return None
    return max(pool, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), str(a.get("id", ""))))


def choose_prediction(task: dict) -> dict | None:
    """The prediction to load when asked (``--predictions``): the latest, the best scored first among equals."""
    predictions = [p for p in (task.get("predictions") if isinstance(task.get("predictions"), list) else [])
                   if isinstance(p, dict) and isinstance(p.get("result"), list)]
    if not predictions:
        return None
    return max(predictions, key=lambda p: (str(p.get("updated_at") or p.get("created_at") or ""),
                                           p.get("score") if isinstance(p.get("score"), (int, float)) else 0,
                                           str(p.get("id", ""))))


def read_labelstudio(path: Path | str, mapping: TypeMapping, index: EntityIndex,
                     warnings: list[Problem] | None = None) -> list[ImportedDoc]:
    """Read a Label Studio JSON export; one ArticleDoc per task with a usable annotation."""
    path = Path(path)
    warnings = warnings if warnings is not None else []
    out = Collector(str(path))
    data, raw = _read_json(path, out)
    if is_json_min(data):
        out.add(1, "this is Label Studio's JSON-MIN export, which leaves out relations (and so every event "
                   "role and nested report): export the project as 'JSON' instead")
        out.raise_if_any()
    if isinstance(data, dict) and "%FEATURE_STRUCTURES" in data:
        out.add(1, "this is a UIMA CAS JSON file (INCEpTION's export), not a Label Studio export: "
                   "load it with --format inception")
        out.raise_if_any()
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(t, dict) and isinstance(t.get("data"), dict) for t in data):
        out.add(1, "not a Label Studio JSON export: expected a list of tasks, each with 'data' and 'annotations'")
        out.raise_if_any()
    if not data:
        warnings.append(Problem(str(path), 1, "the export holds no tasks: nothing to load", "WARNING"))
    try:
        return _read_tasks(data, path, raw, mapping, index, warnings)
    finally:
        _places.cache_clear()  # the index of where things are in the file holds the whole file


def _read_tasks(data: list, path: Path, raw: str, mapping: TypeMapping, index: EntityIndex,
                warnings: list[Problem]) -> list[ImportedDoc]:
    docs: list[ImportedDoc] = []
    problems: list[Problem] = []
    for n, task in enumerate(data, start=1):
        try:
            so = _task_standoff(task, n, path, raw, mapping, warnings)
        except AnnotationError as exc:
            problems.extend(exc.problems)
            continue
        if isinstance(so, str):
            warnings.append(Problem(str(path), _line(raw, task.get("id"), key="id"), so, "WARNING"))
            continue
        try:
            docs.append(to_article(so, mapping, index, warnings))
        except AnnotationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise AnnotationError(problems)
    return docs


_LONE_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
                             r"|(?<![0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_NUL = re.compile(r"\\u0000")


def _read_json(path: Path, out: Collector) -> tuple[object, str]:
    """The parsed export and its text; every way a file can fail to be JSON is one problem."""
    raw = read_text(path, out)
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        out.add(exc.lineno, f"invalid JSON: {exc.msg}")
    except RecursionError:
        out.add(None, "invalid JSON: nested too deeply")
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        match = re.search(r"\d{1000,}", raw)
        out.add(raw.count("\n", 0, match.start()) + 1 if match else None, "invalid JSON: a number is too long")
    out.raise_if_any()
    # JSON can escape what no article text holds: NUL, and UTF-16 surrogates without their pair
    # (which no UTF-8 store can write). Walk every string, keys included.
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                match = _NUL.search(raw)
                out.add(raw.count("\n", 0, match.start()) + 1 if match else None, "a string holds a NUL character")
                break
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                match = _LONE_SURROGATE.search(raw)
                out.add(raw.count("\n", 0, match.start()) + 1 if match else None,
                        "a string holds half of a UTF-16 surrogate pair (\\ud800-\\udfff), not a character")
                break
    out.raise_if_any()
    return data, raw


_JSON_STRING = r'"(?:[^"\\]|\\.)*"'
# Every string in the file, with the value after it when it is a key: the scan consumes whole
# strings, so it never starts inside one.
_JSON_PAIR = re.compile(f"({_JSON_STRING})" + rf"(?:\s*:\s*({_JSON_STRING}|-?[0-9][0-9.eE+-]*|true|false|null))?")


@functools.lru_cache(maxsize=2)
def _places(raw: str) -> tuple[dict[tuple[str, str], list[int]], dict[str, list[int]], list[int]]:
    """Where each ``"key": value`` pair and each string value is in the raw JSON, found in one
    pass: (key, value) -> offsets, value -> offsets, and the offsets of the line ends."""
    pairs: dict[tuple[str, str], list[int]] = {}
    values: dict[str, list[int]] = {}

    def text(token: str) -> str:
        if token.startswith('"'):
            return json.loads(token) if "\\" in token else token[1:-1]
        return token

    for match in _JSON_PAIR.finditer(raw):
        key, value = match.group(1), match.group(2)
        if value is None:
            values.setdefault(text(key), []).append(match.start())
            continue
        value_text = text(value)
        pairs.setdefault((text(key), value_text), []).append(match.start())
        values.setdefault(value_text, []).append(match.start(2))
    return pairs, values, [m.start() for m in re.finditer("\n", raw)]


def _lines(raw: str, value, key: str | None = None) -> list[int]:
    """Every line where ``"key": value`` (or, without a key, the value) is in the raw JSON."""
    if value is None:
        return []
    pairs, values, ends = _places(raw)
    wanted = value if isinstance(value, str) else json.dumps(value)
    offsets = pairs.get((key, wanted), []) if key else values.get(wanted, [])
    return [bisect.bisect_left(ends, offset) + 1 for offset in offsets]


def _line(raw: str, value, key: str | None = None) -> int | None:
    """The line where a result id (or ``"key": value``) first appears in the raw JSON."""
    lines = _lines(raw, value, key)
    return lines[0] if lines else None


def _task_standoff(task: dict, n: int, path: Path, raw: str, mapping: TypeMapping,
                   warnings: list[Problem]) -> Standoff | str | None:
    out = Collector(str(path))
    task_id = task.get("id", n)
    task_line = _line(raw, task.get("id"), key="id")
    annotation = choose_annotation(task)
    if annotation is None and mapping.predictions:
        annotation = choose_prediction(task)
    if annotation is None:
        if _items(task.get("predictions")) and not mapping.predictions:
            return (f"task {task_id}: only predictions (model output), no annotation: skipped; "
                    f"pass --predictions to load them")
        return f"task {task_id}: no annotation that is not cancelled: skipped"
    results = _items(annotation.get("result"))
    if results is None:
        out.add(task_line, f"task {task_id}: the annotation's 'result' must be a list")
        out.raise_if_any()
    text = task["data"].get("text")
    labelled = [r for r in results if isinstance(r, dict) and r.get("type") == "labels"]
    if "text" not in task["data"] and not labelled:
        media = ", ".join(sorted(str(k) for k in task["data"])) or "nothing"
        return f"task {task_id}: no text to read (its data holds {media}): skipped; autokg reads text tasks (data.text)"
    if not isinstance(text, str) or not text:
        out.add(task_line, f"task {task_id}: data.text must hold the article text")
        out.raise_if_any()
    if not labelled:
        kinds: dict[str, int] = {}
        for r in results:
            kind = str(r.get("type")) if isinstance(r, dict) else "malformed"
            kinds[kind] = kinds.get(kind, 0) + 1
        held = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "no results"
        return (f"task {task_id}: no text regions (the annotation holds {held}): skipped; "
                f"autokg reads Labels regions drawn on the text")
    default_id = f"{slugify(path.stem)}-task-{slugify(str(task_id))}"
    so = Standoff(path=str(path), text=text, default_id=default_id,
                  meta_hint=f"task {task_id}'s data (data.publisher, data.date)")
    so.meta_line = task_line
    for key, field in _META.items():
        value = task["data"].get(key)
        if value is not None and field not in so.meta and not (key == "id" and not isinstance(value, str)):
            so.meta[field] = Value(value, _line(raw, value, key=key) or task_line)
    regions: dict[str, dict] = {}
    seen: dict[str, int] = {}
    for r in results:
        if isinstance(r, dict) and r.get("type") == "labels" and isinstance(r.get("value"), dict):
            rid = str(r.get("id"))
            seen[rid] = seen.get(rid, 0) + 1
            if rid in regions:
                lines = _lines(raw, r.get("id"), key="id") or [None]
                first, again = lines[0], lines[min(seen[rid], len(lines)) - 1]
                out.add(again, f"task {task_id}: region id {rid} is used by two labelled regions"
                               + (f" (the first on line {first})" if first and first != again else "")
                               + "; each region needs its own id")
                continue
            regions[rid] = r
    utf16 = None
    for rid, r in regions.items():
        value, line = r["value"], _line(raw, r.get("id"), key="id")
        labels = _items(value.get("labels")) or []
        if len(labels) != 1 or not isinstance(labels[0], str):
            out.add(line, f"task {task_id}: region {rid} has {len(labels)} labels; give it exactly one label (text)")
            continue
        start, end = value.get("start"), value.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
            out.add(line, f"task {task_id}: region {rid} has no integer start/end offsets")
            continue
        recorded = value.get("text")
        if isinstance(recorded, str) and text[start:end] != recorded:
            utf16 = utf16 or _utf16_to_code_points(text)
            if 0 <= start <= end < len(utf16) and text[utf16[start]:utf16[end]] == recorded:
                start, end = utf16[start], utf16[end]
        so.spans[rid] = Span(rid, labels[0], [(start, end)], recorded if isinstance(recorded, str) else None, line)

    for r in results:
        if not isinstance(r, dict) or r.get("type") != "relation":
            continue
        a, b = str(r.get("from_id")), str(r.get("to_id"))
        line = _line(raw, r.get("from_id"), key="from_id")
        if r.get("direction") == "left":
            a, b = b, a
        labels = [label for label in _items(r.get("labels")) or [] if isinstance(label, str)]
        if a not in so.spans or b not in so.spans:
            out.add(line, f"task {task_id}: relation {a} -> {b} joins regions that are not labelled spans")
            continue
        if not labels:
            if not mapping.knows_unlabelled():
                warnings.append(Problem(str(path), line, f"task {task_id}: relation {a} -> {b} has no label: skipped; "
                                        f"label it with the role it plays, or map '{UNLABELLED}' under 'roles:' or "
                                        f"'relations:' in a mapping file", "WARNING"))
                continue
            labels = [UNLABELLED]
        for label in labels:
            rel_id = f"{a}->{b}:{label}"
            so.relations[rel_id] = RelationAnn(rel_id, label, a, b, line)
    for r in results:
        if not isinstance(r, dict) or str(r.get("id")) not in so.spans:
            continue
        rid, value, line = str(r.get("id")), r.get("value"), _line(raw, r.get("id"), key="id")
        value = value if isinstance(value, dict) else {}
        if r.get("type") == "choices":
            for choice in _items(value.get("choices")) or []:
                so.attributes.append(AttributeAnn(f"{rid}:{r.get('from_name')}", str(r.get("from_name")), rid,
                                                  str(choice), line))
        elif r.get("type") == "textarea":
            for note in _items(value.get("text")) or []:
                so.notes.append(NoteAnn(f"{rid}:note", rid, str(note), line))
    out.raise_if_any()
    _join_split_triggers(so, mapping)
    events_from_relations(so, mapping)
    return so


def _items(value) -> list | None:
    """A JSON list as a list, a missing one as empty; None when it is something else."""
    if value is None:
        return []
    return value if isinstance(value, list) else None


def _is_event_label(mapping: TypeMapping, label: str) -> bool:
    kind, cls = mapping.span_type(label, None)
    return kind == "class" and (mapping.schema.is_a(cls, "Claim") or mapping.schema.is_a(cls, "Attribution"))


def _join_split_triggers(so: Standoff, mapping: TypeMapping) -> None:
    """Regions with one event label and one ``id:`` note are one event, each region an evidence span."""
    ids: dict[str, str] = {}
    for note in so.notes:
        kv = parse_note(note.text)
        if kv and kv[0] == "id":
            ids.setdefault(note.target, str(kv[1]))
    head: dict[tuple[str, str], str] = {}
    moved: dict[str, str] = {}
    for rid, span in list(so.spans.items()):
        if rid not in ids or not _is_event_label(mapping, span.type):
            continue
        key = (span.type, ids[rid])
        if key not in head:
            head[key] = rid
            continue
        first = so.spans[head[key]]
        texts = [first.text, span.text]
        first.fragments = first.fragments + span.fragments
        first.text = " ".join(texts) if all(t is not None for t in texts) else None
        moved[rid] = head[key]
        del so.spans[rid]
    if not moved:
        return
    for rel in so.relations.values():
        rel.arg1, rel.arg2 = moved.get(rel.arg1, rel.arg1), moved.get(rel.arg2, rel.arg2)
    for attr in so.attributes:
        attr.target = moved.get(attr.target, attr.target)
    notes = []
    for note in so.notes:
        if note.target in moved:
            kv = parse_note(note.text)
            if kv and kv[0] == "id":
                continue                        # the id that joined them, said once
            note.target = moved[note.target]
        notes.append(note)
    so.notes = notes


def _utf16_to_code_points(text: str) -> list[int]:
    """For each UTF-16 offset into ``text``, the code-point offset (older Label Studio counted UTF-16)."""
    table = []
    for i, ch in enumerate(text):
        table.append(i)
        if ord(ch) > 0xFFFF:
            table.append(i + 1)
    table.append(len(text))
    return table


# --- writing -------------------------------------------------------------------------------

_STAMP = "2026-03-01T09:00:00.000000Z"


def _region_id(*parts) -> str:
    """A 10-character region id, as Label Studio makes them, but stable for the same input."""
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return "".join(alphabet[b % 64] for b in digest[:10])


def export_task(doc: ArticleDoc, index: EntityIndex, task_id: int = 1, project: int = 1,
                schema: Schema | None = None) -> dict:
    """A YAML article as one Label Studio task (with one annotation), as Label Studio exports it.

    The annotations are the ones ``graph.readers.brat.export_article`` writes, drawn the Label
    Studio way: spans are ``labels`` regions, event roles and entity relations are
    ``relation`` results (from the event's region, labelled with the role), attributes are
    per-region ``choices``, notes (``id:``, ``name:``, ``wikidata:``...) per-region
    ``textarea`` results; a discontinuous evidence span is one region per passage, each
    with the event's ``id:`` note.
    """
    from .brat import export_article, parse_ann

    schema = schema or load_schema()
    text, ann, _ = export_article(doc, index, schema)
    so = parse_ann(ann, Standoff(path=doc.path, text=text, default_id=doc.id))
    regions: dict[str, list[str]] = {}             # brat T id -> region ids (one per fragment)
    result: list[dict] = []
    for tid, span in so.spans.items():
        regions[tid] = []
        for n, (start, end) in enumerate(span.fragments):
            rid = _region_id(doc.id, tid, n, start, end)
            regions[tid].append(rid)
            result.append({"value": {"start": start, "end": end, "text": text[start:end], "labels": [span.type]},
                           "id": rid, "from_name": "label", "to_name": "text", "type": "labels",
                           "origin": "manual"})
    trigger_of = {eid: ev.trigger for eid, ev in so.events.items()}

    def region(target: str) -> str:
        return regions[trigger_of.get(target, target)][0]

    relations: list[dict] = []
    for ev in so.events.values():
        for role, target in ev.args:
            base = role.rstrip("0123456789")
            relations.append({"from_id": region(ev.id), "to_id": region(target), "type": "relation",
                              "direction": "right", "labels": [base if base in schema.properties else role]})
    for rel in so.relations.values():
        relations.append({"from_id": region(rel.arg1), "to_id": region(rel.arg2), "type": "relation",
                          "direction": "right", "labels": [rel.type]})
    notes: dict[str, list[str]] = {}
    for norm in so.norms:
        notes.setdefault(region(norm.target), []).append(f"wikidata: {norm.ref.partition(':')[2]}")
    for note in so.notes:
        notes.setdefault(region(note.target), []).append(note.text)
        kv = parse_note(note.text)
        if note.target in so.events and kv and kv[0] == "id":
            for other in regions[trigger_of[note.target]][1:]:     # every passage names its event
                notes.setdefault(other, []).append(note.text)
    per_region: list[dict] = []
    by_id = {r["id"]: r for r in result}
    for attr in so.attributes:
        rid = region(attr.target)
        where = {k: by_id[rid]["value"][k] for k in ("start", "end", "text")}
        per_region.append({"value": {**where, "choices": [attr.value]}, "id": rid, "from_name": attr.name,
                           "to_name": "text", "type": "choices", "origin": "manual"})
    for rid, texts in notes.items():
        where = {k: by_id[rid]["value"][k] for k in ("start", "end")}
        per_region.append({"value": {**where, "text": texts}, "id": rid, "from_name": "note",
                           "to_name": "text", "type": "textarea", "origin": "manual"})
    data = {"text": text, "article_id": doc.id, "headline": doc.headline, **article_metadata(doc)}
    annotation_id = 100 * project + task_id
    return {
        "id": task_id,
        "annotations": [{
            "id": annotation_id, "completed_by": 1, "result": result + per_region + relations,
            "was_cancelled": False, "ground_truth": False, "created_at": _STAMP, "updated_at": _STAMP,
            "draft_created_at": None, "lead_time": None, "prediction": {}, "result_count": 0,
            "unique_id": _region_id("annotation", doc.id), "import_id": None, "last_action": None,
            "task": task_id, "project": project, "updated_by": 1, "parent_prediction": None,
            "parent_annotation": None, "last_created_by": None,
        }],
        "file_upload": None, "drafts": [], "predictions": [], "data": data, "meta": {},
        "created_at": _STAMP, "updated_at": _STAMP, "inner_id": task_id, "total_annotations": 1,
        "cancelled_annotations": 0, "total_predictions": 0, "comment_count": 0, "unresolved_comment_count": 0,
        "last_comment_updated_at": None, "project": project, "updated_by": 1, "comment_authors": [],
    }


def write_labelstudio(docs: ArticleDoc | list[ArticleDoc], path: Path | str, index: EntityIndex,
                      project: int = 1) -> Path:
    """Write articles as one Label Studio JSON export (a task each, ids from 1) at ``path``."""
    docs = [docs] if isinstance(docs, ArticleDoc) else list(docs)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = load_schema()
    tasks = [export_task(doc, index, n, project, schema) for n, doc in enumerate(docs, start=1)]
    path.write_text(json.dumps(tasks, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
