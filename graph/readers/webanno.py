"""WebAnno TSV 3.3 (INCEpTION's tab-separated export) -> an ArticleDoc.

The format is documented in INCEpTION's user guide ("WebAnno TSV 3.3 File format"); this
reader follows it and INCEpTION's own reader (``Tsv3XDeserializer``):

* A header names the layers and their feature columns: ``#T_SP=`` span layers (a slot
  feature ``ROLE_...`` takes two columns: roles, then targets), ``#T_CH=`` chain layers
  (two columns), ``#T_RL=`` relation layers (their features, then the column of the source
  token; the ``BT_`` entry names the spans they join).
* The body is sentences: ``#Text=`` lines (a sentence with line breaks has several), then
  one line per token or sub-token: ``1-2  4-8  Haag  <columns>``. The document text is
  rebuilt as INCEpTION rebuilds it: sentences joined by a line break, gaps before a
  sentence's first token filled with spaces. Offsets count UTF-16 units (an emoji is two)
  and are converted to code points.
* A column value is ``_`` (nothing), ``*`` (an annotation without a value), or the value;
  ``[N]`` after it ties the tokens of one multi-token annotation together; ``|`` separates
  stacked annotations; ``\\`` escapes the reserved characters.

What is read is what ``graph.readers.inception`` reads from a CAS: INCEpTION's custom
layers and Named Entity, each span typed by its ``type``/``value``/``label`` feature (or
its layer's name), slots as event roles, relation layers as roles or relations, other
features as ``feature: value`` notes. Chain layers (coreference) are not read (a warning).

TSV has no place for article metadata: as for brat, an optional ``<name>.meta.yaml`` beside the
file holds the ``article:`` keys (id, headline, publisher, date, url, language).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..registry import EntityIndex
from ..terms import slugify
from .annotations import Collector
from .brat import META_SUFFIX, read_meta
from .inception import LABEL_FEATURES, NAMED_ENTITY
from .inputfile import read_text
from .mapping import UNLABELLED, TypeMapping
from .standoff import ImportedDoc, NoteAnn, RelationAnn, Span, Standoff, events_from_relations, to_article

__all__ = ["read_webanno", "parse_webanno"]

_CUSTOM_PREFIXES = ("webanno.custom.", "custom.")
_UNIT = re.compile(r"^(\d+)-(\d+)(?:\.(\d+))?$")
_OFFSETS = re.compile(r"^(\d+)-(\d+)$")
_DISAMBIGUATED = re.compile(r"^(.*?)\[(\d+)\]$", re.DOTALL)
_TEXT_ESCAPES = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r", "\\f": "\f", "\\b": "\b"}
_VALUE_ESCAPES = {"\\\\": "\\", "\\[": "[", "\\]": "]", "\\|": "|", "\\_": "_", "\\->": "->", "\\;": ";",
                  "\\t": "\t", "\\n": "\n", "\\*": "*"}


@dataclass
class _Column:
    layer: str
    kind: str                   # "span" | "relation" | "chain"
    feature: str | None         # None: a layer with no features (its one column marks presence)
    role: str = "value"         # "value" | "slot-role" | "slot-target" | "source" | "chain"
    target_type: str | None = None


@dataclass
class _Annotation:
    layer: str
    units: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    slots: list[tuple[str, str, str | None]] = field(default_factory=list)   # (role, target reference, its layer)
    line: int | None = None


def _unescape(value: str, table: dict[str, str]) -> str:
    return re.sub(r"\\(?:->|.)", lambda m: table.get(m.group(0), m.group(0)), value, flags=re.DOTALL)


def _split(value: str, sep: str) -> list[str]:
    """Split on ``sep`` where it is not escaped with a backslash."""
    parts, current, i = [], [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            current.append(value[i:i + 2])
            i += 2
            continue
        if value[i] == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(value[i])
        i += 1
    parts.append("".join(current))
    return parts


def _is_read(layer: str) -> bool:
    return layer == NAMED_ENTITY or layer.startswith(_CUSTOM_PREFIXES)


def _short(layer: str) -> str:
    return layer.rsplit(".", 1)[-1]


def _header_columns(kind: str, entries: list[str]) -> list[_Column]:
    layer, features = entries[0], entries[1:]
    if kind == "chain":
        return [_Column(layer, kind, f, "chain") for f in features[:2]] or [_Column(layer, kind, None, "chain")]
    columns: list[_Column] = []
    i = 0
    while i < len(features):
        name = features[i]
        if kind == "relation" and name.startswith("BT_"):
            columns.append(_Column(layer, kind, None, "source", name[3:]))
        elif name.startswith("ROLE_"):
            target = features[i + 1] if i + 1 < len(features) else None
            slot = name[len("ROLE_"):].rsplit("_", 1)[0].rsplit(":", 1)[-1]
            columns.append(_Column(layer, kind, slot, "slot-role", target))
            columns.append(_Column(layer, kind, slot, "slot-target", target))
            i += 1
        elif name:
            columns.append(_Column(layer, kind, name))
        i += 1
    if kind == "span" and not columns:
        columns.append(_Column(layer, kind, None))
    return columns


def parse_webanno(path: Path | str, mapping: TypeMapping, warnings: list[Problem]) -> Standoff:
    """Read one WebAnno TSV 3.x file into a Standoff."""
    path = Path(path)
    out = Collector(str(path))
    raw = read_text(path, out)
    lines = raw.split("\n")
    if not lines or not lines[0].rstrip("\r").startswith("#FORMAT=WebAnno TSV 3"):
        out.add(1, "not a WebAnno TSV 3 file: the first line must be '#FORMAT=WebAnno TSV 3.3'")
        out.raise_if_any()

    columns: list[_Column] = []
    text_parts: list[str] = []       # the document, in code points
    utf16 = 0                        # its length in UTF-16 units
    units: dict[str, tuple[int, int, int]] = {}     # unit id -> (begin, end) in UTF-16, line
    rows: list[tuple[str, list[str], int]] = []
    sentence: list[str] = []
    in_header, pending_break = True, False
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r")
        if in_header:
            match = re.match(r"^#T_(SP|CH|RL)=(.*)$", line)
            if match:
                kind = {"SP": "span", "CH": "chain", "RL": "relation"}[match.group(1)]
                columns += _header_columns(kind, match.group(2).split("|"))
                continue
            if line.startswith("#FORMAT=") or not line.strip():
                continue
            in_header = False
        if line.startswith("#Text="):
            sentence.append(_unescape(line[len("#Text="):], _TEXT_ESCAPES))
            continue
        if line.startswith("#") or not line.strip():
            continue
        cells = line.split("\t")
        unit = _UNIT.match(cells[0])
        offsets = _OFFSETS.match(cells[1]) if len(cells) > 1 else None
        if not unit or not offsets:
            out.add(number, "cannot read this line: a token line is 'sentence-token<TAB>begin-end<TAB>token<TAB>...'")
            continue
        begin, end = int(offsets.group(1)), int(offsets.group(2))
        if sentence:                 # the first token of a sentence: place the sentence's text
            # as INCEpTION does: a line break after each sentence, unless the next one starts
            # right where it ends; spaces up to the next sentence's first token
            if pending_break and begin > utf16:
                text_parts.append("\n")
                utf16 += 1
            if utf16 < begin:
                text_parts.append(" " * (begin - utf16))
                utf16 = begin
            if utf16 != begin:
                out.add(number, f"token offsets {begin}-{end} overlap the previous sentence")
            body = "\n".join(sentence)
            text_parts.append(body)
            utf16 += len(body.encode("utf-16-le")) // 2
            sentence, pending_break = [], True
        values = cells[3:]
        if values and values[-1] == "":
            values = values[:-1]                  # each line ends with a tab
        if len(values) != len(columns):
            out.add(number, f"{len(values)} annotation columns, but the header declares {len(columns)}")
            continue
        units[cells[0]] = (begin, end, number)
        rows.append((cells[0], values, number))
    out.raise_if_any()
    text = "".join(text_parts)
    if "\x00" in text:
        out.add(None, "the text holds a NUL character")
        out.raise_if_any()
    to_cp = _utf16_to_code_points(text)
    so = Standoff(path=str(path), text=text, default_id=slugify(path.stem),
                  meta_hint=f"{path.stem}{META_SUFFIX} beside it (article: publisher:, date:)")
    read_meta(path, so)                      # TSV has no place for metadata: a .meta.yaml, as for brat
    _annotations(so, columns, rows, units, to_cp, mapping, warnings, out)
    out.raise_if_any()
    events_from_relations(so, mapping)
    return so


def _annotations(so: Standoff, columns: list[_Column], rows, units, to_cp, mapping: TypeMapping,
                 warnings: list[Problem], out: Collector) -> None:
    spans: dict[tuple, _Annotation] = {}       # (layer, unit or disambiguation id) -> annotation
    at_unit: dict[str, list[tuple[str, str, tuple]]] = {}      # unit -> [(layer, disamb, key)]
    relations: list[tuple[str, str, str, dict[str, str], int, str | None]] = []   # + base layer
    chains_seen: set[str] = set()
    for unit, values, line in rows:
        by_layer: dict[str, list[tuple[_Column, str]]] = {}
        for column, value in zip(columns, values, strict=True):
            by_layer.setdefault(column.layer, []).append((column, value))
        for layer, cells in by_layer.items():
            kind = cells[0][0].kind
            if not _is_read(layer) or all(v == "_" for _, v in cells):
                continue
            if kind == "chain":
                if layer not in chains_seen:
                    chains_seen.add(layer)
                    warnings.append(Problem(so.path, line, f"chain layer {_short(layer)}: not read (autokg reads "
                                                           "span, slot and relation layers)", "WARNING"))
                continue
            if kind == "relation":
                source = next(((c, v) for c, v in cells if c.role == "source"), (None, "_"))
                base = source[0].target_type if source[0] else None
                for k, ref in enumerate(_split(source[1], "|")):
                    feats = {c.feature: _stack(v, k) for c, v in cells if c.role == "value" and c.feature}
                    relations.append((layer, ref, unit, feats, line, base))
                continue
            stacks = max(len(_split(v, "|")) for c, v in cells if c.role in ("value",)) if any(
                c.role == "value" for c, _ in cells) else 1
            for k in range(stacks):
                label_cells = [(c, _stack(v, k)) for c, v in cells if c.role == "value"]
                if label_cells and all(v in ("_", "") for _, v in label_cells):
                    continue
                disamb = next((m.group(2) for _, v in label_cells if (m := _DISAMBIGUATED.match(v))), None)
                key = (layer, disamb) if disamb else (layer, unit, k)
                ann = spans.setdefault(key, _Annotation(layer, line=line))
                ann.units.append(unit)
                at_unit.setdefault(unit, []).append((layer, disamb or "0", key))
                for column, value in label_cells:
                    match = _DISAMBIGUATED.match(value)
                    value = match.group(1) if match else value
                    if column.feature and value not in ("*", "_", "") and column.feature not in ann.values:
                        ann.values[column.feature] = _unescape(value, _VALUE_ESCAPES)
                roles = [(c, _stack(v, k)) for c, v in cells if c.role == "slot-role"]
                targets = [_stack(v, k) for c, v in cells if c.role == "slot-target"]
                for (column, role_cell), target_cell in zip(roles, targets, strict=True):
                    role_cell = _DISAMBIGUATED.sub(r"\1", role_cell)     # the host's id, said again
                    if role_cell in ("_", ""):
                        continue
                    for role, target in zip(_split(role_cell, ";"), _split(target_cell, ";"), strict=False):
                        if target in ("*", "_", ""):
                            continue                                       # a slot with no filler
                        ann.slots.append((_unescape(role, _VALUE_ESCAPES) if role != "*" else "", target,
                                          column.target_type))
    ids: dict[tuple, str] = {}
    for n, (key, ann) in enumerate(spans.items(), start=1):
        begins = [units[u][0] for u in ann.units]
        ends = [units[u][1] for u in ann.units]
        start, end = to_cp(min(begins)), to_cp(max(ends))
        if start is None or end is None:
            out.add(ann.line, f"{_short(ann.layer)} at {min(begins)}-{max(ends)}: offsets do not fall on characters")
            continue
        sid = f"T{n}"
        ids[key] = sid
        label = next((ann.values[f] for f in LABEL_FEATURES if f in ann.values), _short(ann.layer))
        so.spans[sid] = Span(sid, label, [(start, end)], None, ann.line)
        for feature, value in ann.values.items():
            if feature not in LABEL_FEATURES or value != label:
                so.notes.append(NoteAnn(f"#{n}:{feature}", sid, f"{feature}: {value}", ann.line))

    def find(layer: str | None, ref: str) -> str | None:
        """The one span a slot or relation end points at: the unit, its layer, its disambiguation id."""
        match = _DISAMBIGUATED.match(ref)
        unit, disamb = (match.group(1), match.group(2)) if match else (ref, None)
        typed = layer is not None and _is_read(layer)
        candidates = [key for lay, d, key in at_unit.get(unit, [])
                      if (not typed or lay == layer) and disamb in (None, "0", d)]
        found = [ids[k] for k in dict.fromkeys(candidates) if k in ids]
        return found[0] if len(found) == 1 else None

    for key, ann in spans.items():
        for k, (role, target, target_layer) in enumerate(ann.slots, start=1):
            host = ids.get(key)
            goal = find(target_layer, target)
            if host is None or goal is None:
                out.add(ann.line, f"{_short(ann.layer)}: slot {k} points at {target}, where no single span is")
                continue
            if not role:
                if not mapping.knows_unlabelled():
                    warnings.append(Problem(so.path, ann.line, f"{_short(ann.layer)}: slot {k} has no role: skipped; "
                                            f"give it the role it plays, or map '{UNLABELLED}' under 'roles:'",
                                            "WARNING"))
                    continue
                role = UNLABELLED
            rid = f"L{host}.{k}"
            so.relations[rid] = RelationAnn(rid, role, host, goal, ann.line)
    for n, (layer, ref, unit, feats, line, base) in enumerate(relations, start=1):
        if ref in ("_", ""):
            continue
        match = re.match(r"^(\d+-\d+(?:\.\d+)?)(?:\[(\d+)_(\d+)\])?$", ref)
        if not match:
            out.add(line, f"relation {_short(layer)}: cannot read its source {ref!r}")
            continue
        source_ref = match.group(1) + (f"[{match.group(2)}]" if match.group(2) not in (None, "0") else "")
        target_ref = unit + (f"[{match.group(3)}]" if match.group(3) not in (None, "0") else "")
        if base is not None and not _is_read(base):
            continue                  # a relation over tokens or POS (syntax), not over our spans
        governor, dependent = find(base, source_ref), find(base, target_ref)
        label = next((_unescape(_DISAMBIGUATED.sub(r"\1", feats[f]), _VALUE_ESCAPES) for f in LABEL_FEATURES
                      if feats.get(f) not in (None, "_", "*", "")), _short(layer))
        if governor is None or dependent is None:
            out.add(line, f"relation {label}: its ends are not spans of a layer autokg reads")
            continue
        so.relations[f"R{n}"] = RelationAnn(f"R{n}", label, governor, dependent, line)


def _stack(value: str, k: int) -> str:
    parts = _split(value, "|")
    return parts[k] if k < len(parts) else "_"


def _utf16_to_code_points(text: str):
    """A function from a UTF-16 offset into ``text`` to its code-point offset (None inside a pair)."""
    table: dict[int, int] = {}
    units = 0
    for i, ch in enumerate(text):
        table[units] = i
        units += 2 if ord(ch) > 0xFFFF else 1
    table[units] = len(text)
    return table.get


def read_webanno(path: Path | str, mapping: TypeMapping, index: EntityIndex,
                 warnings: list[Problem] | None = None) -> list[ImportedDoc]:
    """Read one WebAnno TSV 3.3 file into an ArticleDoc; raise AnnotationError listing every problem."""
    warnings = warnings if warnings is not None else []
    so = parse_webanno(path, mapping, warnings)
    if not so.spans:
        warnings.append(Problem(so.path, None, "no annotations on the layers autokg reads (custom layers, Named "
                                               "Entity): skipped", "WARNING"))
        return []
    return [to_article(so, mapping, index, warnings)]
