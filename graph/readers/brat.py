"""brat stand-off annotations (``.txt`` + ``.ann``): read them, and write articles as them.

Reading covers every line kind brat writes: ``T`` text-bound spans (discontinuous ones as
``0 5;16 23``), ``E`` events (roles, repeated roles ``Org-Arg2``, events as arguments),
``R`` relations, ``A``/``M`` attributes (binary and valued), ``N`` normalisations
(``Wikidata:Q44294``), ``#`` AnnotatorNotes and ``*`` equivalences. Offsets count code
points in the ``.txt`` decoded as UTF-8, with every ``\\r`` of a CRLF text counted (the
file is read with ``newline=''``), exactly as brat counts them; a span whose text does
not match the annotation is reported with its ``.ann`` line. How spans, events and
notes become entities and claims is ``graph.readers.standoff``'s job.

brat has no place for article metadata: an optional ``<name>.meta.yaml`` beside the pair
holds the ``article:`` keys of the YAML format (id, headline, publisher, date, url,
language). Without it the id is the slug of the file name and the headline the first
line of the text.

Writing (``export_article``) turns a YAML article into a ``.txt``/``.ann`` pair that the
config from ``autokg config brat`` describes and that reads back to the same graph.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ..errors import AnnotationError, Problem
from ..registry import EntityIndex
from ..schema import Schema, load_schema
from ..terms import slugify
from .annotations import ArticleDoc, Collector, Value, article_metadata
from .inputfile import UnreadableInput, read_input
from .mapping import TypeMapping, controlled_property
from .standoff import (
    AttributeAnn,
    EventAnn,
    ImportedDoc,
    NormAnn,
    NoteAnn,
    RelationAnn,
    Span,
    Standoff,
    to_article,
)
from .yamlsource import YDict, line_of, read_yaml, text_of

__all__ = ["parse_brat", "parse_ann", "read_brat", "read_meta", "export_article", "write_brat", "META_SUFFIX"]

META_SUFFIX = ".meta.yaml"
_META_KEYS = {"id", "headline", "title", "publisher", "date", "url", "language"}
_OFFSETS = re.compile(r"^\d+ \d+(?:;\d+ \d+)*$")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")


def _read_text(path: Path, out: Collector, what: str) -> str | None:
    """The file as text, every ``\\r`` kept (brat counts it); problems go to ``out`` with the
    line in ``path`` where they are. The pair must stay in the folder of the ``.ann`` file."""
    try:
        raw = read_input(path, within=Path(out.path).parent)
    except UnreadableInput as exc:
        if exc.missing:
            out.add(None, f"{what} {path.name} is missing (a brat document is a .txt and .ann pair)")
        else:
            out.problems.append(Problem(str(path), None, exc.reason))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        out.problems.append(Problem(str(path), line, f"{what} is not valid UTF-8 (byte {exc.start})"))
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        out.problems.append(Problem(str(path), line, f"{what} contains a NUL byte"))
        return None
    return text


def parse_brat(ann_path: Path | str) -> Standoff:
    """Parse one ``.ann`` file (with its ``.txt`` and optional ``.meta.yaml``) into a Standoff."""
    ann_path = Path(ann_path)
    out = Collector(str(ann_path))
    text = _read_text(ann_path.with_suffix(".txt"), out, "text file")
    ann = _read_text(ann_path, out, "annotation file")
    out.raise_if_any()
    so = Standoff(path=str(ann_path), text=text, default_id=slugify(ann_path.stem),
                  meta_hint=f"{ann_path.stem}{META_SUFFIX} beside it (article: publisher:, date:)")
    read_meta(ann_path, so)
    return parse_ann(ann, so)


def parse_ann(ann: str, so: Standoff) -> Standoff:
    """Read the lines of a ``.ann`` file into ``so`` (which holds the text); raise AnnotationError."""
    out = Collector(so.path)
    if ann.startswith("\ufeff"):
        ann = ann[1:]
    seen: dict[str, int] = {}
    for number, raw in enumerate(ann.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        parts = line.split("\t")
        ident = parts[0].strip()
        body = parts[1].strip() if len(parts) > 1 else ""
        tail = "\t".join(parts[2:]) if len(parts) > 2 else None
        if ident != "*":
            if not _ID.match(ident) and not (ident.startswith("#") and len(ident) > 1):
                out.add(number, "cannot read this line: an annotation starts with an id such as T1, E1, R1, "
                                "A1, N1, #1 or *, then a tab")
                continue
            if ident in seen:
                out.add(number, f"duplicate id {ident} (first used on line {seen[ident]})")
                continue
            seen[ident] = number
        kind = ident[0]
        fields = body.split()
        try:
            if kind == "T":
                type_, _, offsets = body.partition(" ")
                if not _OFFSETS.match(offsets.strip()):
                    raise ValueError("a span needs a type and offsets such as 'Person 0 5' or 'Person 0 5;9 12'")
                fragments = [tuple(int(x) for x in frag.split()) for frag in offsets.strip().split(";")]
                so.spans[ident] = Span(ident, type_, fragments, tail, number)
            elif kind == "E":
                if not fields:
                    raise ValueError("an event needs a type, as in 'Merge-org:T3 Org-Arg:T1'")
                type_, _, trigger = fields[0].partition(":")
                args = []
                for arg in fields[1:]:
                    role, sep, target = arg.partition(":")
                    if not sep or not role or not target:
                        raise ValueError(f"argument {arg!r} must be Role:ID")
                    args.append((role, target))
                so.events[ident] = EventAnn(ident, type_, trigger or None, args, number)
            elif kind == "R":
                if len(fields) != 3:
                    raise ValueError("a relation needs a type and two arguments, as in 'Located Arg1:T1 Arg2:T2'")
                targets = [f.partition(":")[2] for f in fields[1:]]
                if not all(targets):
                    raise ValueError("relation arguments must be Role:ID")
                so.relations[ident] = RelationAnn(ident, fields[0], targets[0], targets[1], number)
            elif kind in "AM":
                if len(fields) not in (2, 3):
                    raise ValueError("an attribute needs a name, a target and maybe a value, as in 'Negation E1'")
                so.attributes.append(AttributeAnn(ident, fields[0], fields[1], fields[2] if len(fields) == 3 else None,
                                                  number))
            elif kind == "N":
                if len(fields) != 3:
                    raise ValueError("a normalisation needs a type, a target and a reference, "
                                     "as in 'Reference T1 Wikidata:Q44294'")
                so.norms.append(NormAnn(ident, fields[1], fields[2], (tail or "").strip(), number))
            elif kind == "#":
                if len(fields) != 2:
                    raise ValueError("a note needs a type and a target, as in 'AnnotatorNotes T1', "
                                     "then a tab and the text")
                so.notes.append(NoteAnn(ident, fields[1], (tail or "").strip(), number))
            elif kind == "*":
                if len(fields) < 3:
                    raise ValueError("an equivalence needs a type and two or more ids, as in 'Alias T1 T2'")
                so.equivs.append((fields[1:], number))
            else:
                raise ValueError(f"unknown annotation kind {kind!r} (brat has T, E, R, A, M, N, # and *)")
        except ValueError as exc:
            out.add(number, str(exc))
    for ev in so.events.values():
        if ev.trigger and ev.trigger not in so.spans:
            out.add(ev.line, f"{ev.id}: trigger {ev.trigger} is not a span in this file")
    out.raise_if_any()
    return so


def read_meta(ann_path: Path, so: Standoff) -> None:
    """Read ``<name>.meta.yaml`` beside a document, if there is one, into ``so.meta``."""
    meta_path = ann_path.with_name(ann_path.stem + META_SUFFIX)
    if not os.path.lexists(meta_path):
        return
    data = read_yaml(meta_path, within=ann_path.parent)
    out = Collector(str(meta_path))
    meta = data.get("article") if isinstance(data, YDict) else None
    if not isinstance(meta, YDict):
        out.add(line_of(data), "a .meta.yaml file holds an 'article' mapping (id, headline, publisher, date, url)")
        out.raise_if_any()
    for key, value in meta.items():
        if key not in _META_KEYS:
            out.add(line_of(meta, key), f"unknown article key {key!r} (allowed: {', '.join(sorted(_META_KEYS))})")
        elif value is not None:
            so.meta[key] = Value(text_of(meta, key) or value, line_of(meta, key))  # numbers as written
    out.raise_if_any()
    so.meta_path, so.meta_line = str(meta_path), meta.line


def read_brat(ann_path: Path | str, mapping: TypeMapping, index: EntityIndex,
              warnings: list[Problem] | None = None) -> ImportedDoc:
    """Read one brat document into an ArticleDoc; raise AnnotationError listing every problem."""
    return to_article(parse_brat(ann_path), mapping, index, warnings if warnings is not None else [])


# --- writing -------------------------------------------------------------------------------

class _Writer:
    def __init__(self, doc: ArticleDoc, index: EntityIndex, schema: Schema):
        self.doc, self.schema = doc, schema
        self.registry = index
        self.index = index.copy()
        self.lines: list[str] = []
        self.counters: dict[str, int] = {}
        self.spans: dict[tuple, str] = {}
        self.id_noted: set[str] = set()
        self.local: dict[str, str] = {}
        for decl in doc.entities:
            canonical = self.index.resolve_decl(decl) or decl.id
            self.local[decl.id] = canonical
            if canonical not in self.index.entities:
                self.index.add(decl)
        self.declared = {self.local[d.id]: d for d in doc.entities}

    def next(self, kind: str) -> str:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return f"{kind}{self.counters[kind]}"

    def note(self, target: str, text: str) -> None:
        self.lines.append(f"{self.next('#')}\tAnnotatorNotes {target}\t{text}")

    def kv_note(self, target: str, key: str, value) -> None:
        text = str(value)
        if "\n" in text or "\r" in text or "\t" in text or text.startswith('"') or text != text.strip():
            text = json.dumps(text, ensure_ascii=False)
        self.note(target, f"{key}: {text}")

    def span(self, fragments: list[tuple[int, int]], type_: str, key=None) -> tuple[str, bool]:
        key = (tuple(fragments), type_, key)
        if key in self.spans:
            return self.spans[key], False
        tid = self.next("T")
        text = " ".join(" ".join(self.doc.text[s:e].split()) for s, e in fragments)
        offsets = ";".join(f"{s} {e}" for s, e in fragments)
        self.lines.append(f"{tid}\t{type_} {offsets}\t{text}")
        self.spans[key] = tid
        return tid, True

    # entities -------------------------------------------------------------------------
    def canonical(self, raw) -> str | None:
        if not isinstance(raw, str):
            return None
        return self.local.get(raw) or self.index.resolve(raw)

    def names(self, canonical: str) -> list[str]:
        names = []
        for decl in (self.registry.entities.get(canonical), self.declared.get(canonical)):
            if decl is not None:
                names.extend([decl.name or "", *decl.aliases])
        return sorted({n for n in names if n.strip()}, key=len, reverse=True)

    def entity_type(self, canonical: str) -> str:
        for decl in (self.declared.get(canonical), self.index.entities.get(canonical)):
            if decl is not None and decl.type and self.schema.class_named(decl.type):
                return self.schema.class_named(decl.type)
        return "Agent"

    def find(self, canonical: str, near: list[tuple[int, int]], fallback: bool = False) -> tuple[int, int] | None:
        text = self.doc.text
        hits = []
        for name in self.names(canonical):
            if canonical in self.registry.entities and self.registry.resolve(name) != canonical:
                continue
            hits.extend(m.span() for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text))
        if not hits and fallback:
            words = sorted({w for n in self.names(canonical) for w in re.findall(r"\w{3,}", n)}, key=len, reverse=True)
            for word in words:
                hits = [m.span() for m in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text)]
                if hits:
                    break
            if not hits:
                first = re.search(r"\w+", text)
                hits = [first.span()] if first else []
        if not hits:
            return None

        def distance(hit):
            inside = any(s <= hit[0] and hit[1] <= e for s, e in near)
            gap = min((abs(hit[0] - s) for s, _ in near), default=0)
            return (not inside, gap, hit[0])

        return min(hits, key=distance)

    def mention(self, canonical: str, where: tuple[int, int]) -> str:
        tid, _ = self.span([where], self.entity_type(canonical), canonical)
        text = self.doc.text[where[0]:where[1]]
        if tid not in self.id_noted and (canonical not in self.registry.entities
                                         or self.registry.resolve(text) != canonical):
            self.kv_note(tid, "id", canonical)
            self.id_noted.add(tid)
        return tid

    def entity(self, decl) -> None:
        canonical = self.local[decl.id]
        known = canonical in self.registry.entities
        near = [(ev.start, ev.end) for e in self.doc.events for ev in e.evidence
                if any(self.canonical(v.raw) == canonical for vs in e.props.values() for v in vs)]
        where = self.find(canonical, near, fallback=True)
        if where is None:
            raise AnnotationError([Problem(self.doc.path, decl.line, f"entity {decl.id!r}: the text is empty")])
        tid = self.mention(canonical, where)
        span_text = self.doc.text[where[0]:where[1]]
        if known:
            if decl.type:
                self.kv_note(tid, "type", decl.type)
            if decl.name:
                self.kv_note(tid, "name", decl.name)
        elif decl.name and decl.name != span_text:
            self.kv_note(tid, "name", decl.name)
        for alias in decl.aliases:
            self.kv_note(tid, "alias", alias)
        if decl.qid:
            self.lines.append(f"{self.next('N')}\tReference {tid} Wikidata:{decl.qid}\t{decl.name or span_text}")
        for key, values in decl.props.items():
            prop = self.schema.property_named(key)
            for value in values:
                self.property(tid, key, prop, value, near or [where])
        for pos in decl.positions:
            parts = [pos.role, str(pos.organization.raw)]
            parts += [str(v.raw) if v else "" for v in (pos.start, pos.end)]
            while parts and not parts[-1]:
                parts.pop()
            self.kv_note(tid, "position", " @ ".join(parts))

    def property(self, tid: str, key: str, prop, value: Value, near) -> None:
        """An entity's property: a relation to another mention where possible, else a note."""
        if prop is not None and prop.is_object and not controlled_property(self.schema, prop):
            target = self.canonical(value.raw)
            where = self.find(target, near) if target else None
            if where is not None:
                other = self.mention(target, where)
                self.lines.append(f"{self.next('R')}\t{prop.name} Arg1:{tid} Arg2:{other}\t")
                return
        self.kv_note(tid, key, value.raw)

    # events ---------------------------------------------------------------------------
    def argument(self, prop, value: Value, eids: dict[str, str], near) -> str | None:
        """The E or T id an event role value can point at, or None (it becomes a note)."""
        if prop is None or not prop.is_object or controlled_property(self.schema, prop):
            return None
        if isinstance(value.raw, str) and value.raw in eids:
            return eids[value.raw]
        canonical = self.canonical(value.raw)
        where = self.find(canonical, near) if canonical is not None else None
        return self.mention(canonical, where) if where else None

    def events(self) -> None:
        eids = {e.id: f"E{n}" for n, e in enumerate(self.doc.events, start=1)}
        self.counters["E"] = len(eids)
        for event in self.doc.events:
            cls = self.schema.class_named(event.type) or event.type
            fragments = [(ev.start, ev.end) for ev in event.evidence]
            tid, _ = self.span(fragments, cls, ("event", event.id))
            args, notes = [], []
            used: dict[str, int] = {}
            near = fragments
            for key, values in event.props.items():
                prop = self.schema.property_named(key)
                targets = [self.argument(prop, value, eids, near) for value in values]
                if None in targets:
                    # all of a role's values as notes, so they keep their order (labels list them)
                    notes.extend((key, value.raw) for value in values)
                    continue
                for target in targets:
                    used[prop.name] = used.get(prop.name, 0) + 1
                    role = prop.name + (str(used[prop.name]) if used[prop.name] > 1 else "")
                    args.append(f"{role}:{target}")
            eid = eids[event.id]
            self.lines.append(f"{eid}\t{cls}:{tid}" + "".join(" " + a for a in args))
            self.kv_note(eid, "id", event.id)
            for key, raw in notes:
                self.kv_note(eid, key, raw)
            if event.asserted_by is not None:
                self.kv_note(eid, "asserted_by", event.asserted_by.raw)
            for key in ("certainty", "polarity"):
                value = getattr(event, key)
                if value is not None:
                    self.lines.append(f"{self.next('A')}\t{key} {eid} {str(value.raw).strip().lower()}")


def export_article(doc: ArticleDoc, index: EntityIndex, schema: Schema | None = None) -> tuple[str, str, str]:
    """A YAML article as brat: (text, .ann content, .meta.yaml content)."""
    import yaml

    from ..assertions import compile_article
    from ..terms import entity_iri

    schema = schema or load_schema()
    writer = _Writer(doc, index, schema)
    for decl in doc.entities:
        writer.entity(decl)
    writer.events()
    # every place the loader finds the article naming an entity becomes a span, so the
    # document read back has the same mentions
    prefix = entity_iri("")
    for entity, mention in compile_article(doc, index, schema).mentions:
        writer.mention(entity[len(prefix):], (mention.start, mention.end))
    meta = {"id": doc.id, "headline": doc.headline, **article_metadata(doc)}
    meta_text = ("# Article metadata for the brat document beside it (autokg).\n"
                 + yaml.safe_dump({"article": meta}, sort_keys=False, allow_unicode=True))
    return doc.text, "\n".join(writer.lines) + "\n", meta_text


def write_brat(doc: ArticleDoc, folder: Path | str, index: EntityIndex, stem: str | None = None) -> Path:
    """Write ``doc`` as ``<stem>.txt``, ``<stem>.ann`` and ``<stem>.meta.yaml`` in ``folder``; return the .ann path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = stem or doc.id
    text, ann, meta = export_article(doc, index)
    with open(folder / f"{stem}.txt", "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    (folder / f"{stem}.ann").write_text(ann, encoding="utf-8")
    (folder / f"{stem}{META_SUFFIX}").write_text(meta, encoding="utf-8")
    return folder / f"{stem}.ann"
