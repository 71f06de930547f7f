"""Annotated articles: the format-neutral model, and the reader for autokg's YAML format.

Every importer (YAML here; brat and Label Studio elsewhere) produces an ``ArticleDoc``:
metadata, text, entity declarations and events whose references are still names.
``graph.assertions`` resolves the names and turns the document into triples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AnnotationError, Problem
from ..terms import slugify
from .inputfile import UnreadableInput, read_input
from .yamlsource import YDict, YList, line_of, read_yaml, text_of

__all__ = [
    "Value", "Evidence", "PositionDecl", "EntityDecl", "EventDecl", "ArticleDoc",
    "read_article", "parse_entity", "find_quote", "Collector", "article_metadata",
]


@dataclass(frozen=True)
class Value:
    """One value given for a role or attribute, as written, with its line."""

    raw: object
    line: int | None = None
    text: str | None = None     # a number as written in the file (``0x1f``), where it names something


@dataclass(frozen=True)
class Evidence:
    """A span of the article text: [start, end) in code points, and its exact text."""

    start: int
    end: int
    exact: str
    line: int | None = None


@dataclass
class PositionDecl:
    organization: Value
    role: str
    start: Value | None = None
    end: Value | None = None
    line: int | None = None


@dataclass
class EntityDecl:
    """An entity the article declares (or re-describes): id, type, names and attributes."""

    id: str
    type: str | None
    name: str | None
    aliases: list[str] = field(default_factory=list)
    qid: str | None = None
    props: dict[str, list[Value]] = field(default_factory=dict)
    positions: list[PositionDecl] = field(default_factory=list)
    line: int | None = None
    mentions: list[Evidence] | None = None   # where the article names it, if it says so itself


@dataclass
class EventDecl:
    """An event or relation taken from the article, with its roles and attribution."""

    id: str
    type: str
    props: dict[str, list[Value]] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    certainty: Value | None = None
    polarity: Value | None = None
    asserted_by: Value | None = None
    line: int | None = None


@dataclass
class ArticleDoc:
    """One annotated article, whatever format it came from."""

    id: str
    path: str
    headline: str
    publisher: Value
    date: Value
    text: str
    url: str | None = None
    language: str | None = None
    entities: list[EntityDecl] = field(default_factory=list)
    events: list[EventDecl] = field(default_factory=list)
    line: int | None = None
    # Entity mentions (graph.identity.mentions.Mention) as an annotation tool marked them;
    # None: the loader finds where the article's entities are named.
    mentions: list | None = None


class Collector:
    """Gathers problems for one file so the user sees all of them at once."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise AnnotationError(self.problems)


_ARTICLE_KEYS = {"id", "headline", "title", "publisher", "date", "url", "language", "text", "text_file"}
_ENTITY_KEYS = {"id", "type", "name", "aliases", "wikidata", "positions", "mentions"}
_EVENT_KEYS = {"id", "type", "evidence", "certainty", "polarity", "asserted_by"}
_POSITION_KEYS = {"organization", "role", "start_date", "end_date"}
_EVIDENCE_KEYS = {"quote", "prefix", "suffix", "start", "end"}
_QID = re.compile(r"^(?:wd:|wikidata:)?(Q[1-9][0-9]*)$", re.IGNORECASE)


def read_article(path: Path | str) -> ArticleDoc:
    """Read one article in autokg's YAML format; raise AnnotationError listing every problem."""
    path = Path(path)
    source = str(path)
    data = read_yaml(path, within=path.parent)
    out = Collector(source)
    if not isinstance(data, YDict):
        out.add(line_of(data) or 1, "an article file must be a mapping with 'article', 'entities' and 'events'")
        out.raise_if_any()
    for key in data:
        if key not in ("article", "entities", "events"):
            out.add(line_of(data, key), f"unknown top-level key {key!r} (expected article, entities, events)")

    meta = data.get("article")
    if not isinstance(meta, YDict):
        out.add(line_of(data, "article") or 1, "missing 'article' mapping (id, headline, publisher, date, text)")
        out.raise_if_any()
    _unknown_keys(meta, _ARTICLE_KEYS, "article", out)
    article_id = _required_str(meta, "id", "article", out)
    if article_id and slugify(article_id) != article_id:
        out.add(line_of(meta, "id"), f"article id {article_id!r} must be a slug such as {slugify(article_id)!r}")
    headline = _required_str(meta, "headline", "article", out) if "title" not in meta else _str(meta, "title", out)
    text = _article_text(meta, path, out)
    doc = ArticleDoc(
        id=article_id or "", path=source, headline=headline or "",
        publisher=_value(meta, "publisher", out, required="article"),
        date=_value(meta, "date", out, required="article"),
        text=text or "", url=_str(meta, "url", out), language=_str(meta, "language", out),
        line=meta.line,
    )

    entities = data.get("entities", YList())
    if not isinstance(entities, list):
        out.add(line_of(data, "entities"), "'entities' must be a list")
        entities = []
    for i, item in enumerate(entities):
        entity = parse_entity(item, line_of(entities, i), out)
        if entity:
            if isinstance(item, YDict) and "mentions" in item:
                entity.mentions = _mentions(item, text, out)
            doc.entities.append(entity)

    events = data.get("events", YList())
    if not isinstance(events, list):
        out.add(line_of(data, "events"), "'events' must be a list")
        events = []
    for i, item in enumerate(events):
        event = _event(item, line_of(events, i), doc, text, out)
        if event:
            doc.events.append(event)

    seen: dict[str, int | None] = {}
    for decl in [*doc.entities, *doc.events]:
        if decl.id in seen:
            out.add(decl.line, f"duplicate id {decl.id!r} (first used on line {seen[decl.id]})")
        seen.setdefault(decl.id, decl.line)
    out.raise_if_any()
    return doc


def _article_text(meta: YDict, path: Path, out: Collector) -> str | None:
    if "text" in meta and "text_file" in meta:
        out.add(line_of(meta, "text_file"), "give either 'text' or 'text_file', not both")
        return None
    if "text" in meta:
        return _str(meta, "text", out)
    name = _str(meta, "text_file", out)
    if not name:
        out.add(meta.line, "article needs 'text' or 'text_file'")
        return None
    text_path = path.parent / name
    try:
        # An article must not pull arbitrary files of the machine into the store.
        raw = read_input(text_path, within=path.parent)
    except UnreadableInput as exc:
        if exc.missing:
            out.add(line_of(meta, "text_file"), f"cannot read text file {name!r}: {exc.reason}")
        elif exc.outside:
            out.add(line_of(meta, "text_file"),
                    f"text file {name!r} is outside the article's folder {str(path.parent.resolve())!r}")
        else:
            out.add(line_of(meta, "text_file"), f"text file {name!r}: {exc.reason}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        out.add(line_of(meta, "text_file"), f"text file {name!r} is not valid UTF-8")
        return None
    if "\x00" in text:
        out.add(line_of(meta, "text_file"), f"text file {name!r} contains a NUL byte")
        return None
    return text


def parse_entity(item, line, out: Collector) -> EntityDecl | None:
    if not isinstance(item, YDict):
        out.add(line, "each entity must be a mapping with at least 'id'")
        return None
    entity_id = _required_str(item, "id", "entity", out)
    if not entity_id:
        return None
    if slugify(entity_id) != entity_id:
        out.add(line_of(item, "id"), f"entity id {entity_id!r} must be a slug such as {slugify(entity_id)!r}")
        return None
    qid = _qid(item, out)
    aliases = _str_list(item, "aliases", out)
    positions = []
    raw_positions = item.get("positions") or []
    if not isinstance(raw_positions, list):
        out.add(line_of(item, "positions"), "'positions' must be a list of mappings with 'organization' and 'role'")
        raw_positions = []
    for i, pos in enumerate(raw_positions):
        pos_line = line_of(item["positions"], i)
        if not isinstance(pos, YDict):
            out.add(pos_line, "each position must be a mapping with 'organization' and 'role'")
            continue
        _unknown_keys(pos, _POSITION_KEYS, "position", out)
        role = _required_str(pos, "role", "position", out)
        org = _value(pos, "organization", out, required="position")
        if role and org:
            positions.append(PositionDecl(org, role, _value(pos, "start_date", out), _value(pos, "end_date", out), pos_line))
    props = {k: _values(item, k) for k in item if k not in _ENTITY_KEYS}
    return EntityDecl(entity_id, _str(item, "type", out), _str(item, "name", out), aliases, qid, props, positions, line)


def _event(item, line, doc: ArticleDoc, text: str | None, out: Collector) -> EventDecl | None:
    if not isinstance(item, YDict):
        out.add(line, "each event must be a mapping with 'id', 'type' and 'evidence'")
        return None
    event_id = _required_str(item, "id", "event", out)
    event_type = _required_str(item, "type", "event", out)
    if not event_id or not event_type:
        return None
    if slugify(event_id) != event_id:
        out.add(line_of(item, "id"), f"event id {event_id!r} must be a slug such as {slugify(event_id)!r}")
        return None
    evidence = []
    raw_evidence = item.get("evidence")
    if raw_evidence is None:
        out.add(line, f"event {event_id!r} has no evidence: quote the sentence it comes from")
    else:
        items = raw_evidence if isinstance(raw_evidence, list) else [raw_evidence]
        for i, ev in enumerate(items):
            ev_line = line_of(raw_evidence, i) if isinstance(raw_evidence, list) else line_of(item, "evidence")
            span = _evidence(ev, ev_line, text, out)
            if span:
                evidence.append(span)
    props = {k: _values(item, k) for k in item if k not in _EVENT_KEYS}
    return EventDecl(
        event_id, event_type, props, evidence,
        certainty=_value(item, "certainty", out), polarity=_value(item, "polarity", out),
        asserted_by=_value(item, "asserted_by", out), line=line,
    )


def _mentions(item: YDict, text: str | None, out: Collector) -> list[Evidence]:
    """An entity's own list of where the article names it: quotes or offsets, as evidence."""
    raw = item["mentions"]
    items = raw if isinstance(raw, list) else [raw]
    spans = []
    for i, ev in enumerate(items):
        span = _evidence(ev, line_of(raw, i) if isinstance(raw, list) else line_of(item, "mentions"), text, out)
        if span:
            spans.append(span)
    return spans


def _evidence(ev, line, text: str | None, out: Collector) -> Evidence | None:
    if isinstance(ev, str):
        ev = {"quote": ev}
    elif isinstance(ev, YDict):
        _unknown_keys(ev, _EVIDENCE_KEYS, "evidence", out)
    else:
        out.add(line, "evidence must be a quote, or a mapping with 'quote' (and 'prefix'/'suffix') or 'start'/'end'")
        return None
    if text is None:
        return None
    if "quote" in ev:
        quote = ev["quote"]
        if not isinstance(quote, str) or not quote.strip():
            out.add(line, "evidence quote must be non-empty text")
            return None
        prefix, suffix = ev.get("prefix"), ev.get("suffix")
        found = find_quote(text, quote, prefix if isinstance(prefix, str) else None,
                           suffix if isinstance(suffix, str) else None)
        if not found:
            out.add(line, f"quote not found in the article text: {_short(quote)!r}")
            return None
        if len(found) > 1:
            lines = ", ".join(str(text.count("\n", 0, s) + 1) for s, _ in found[:5])
            out.add(line, f"quote occurs {len(found)} times in the text (text lines {lines}): "
                          f"add 'prefix' or 'suffix', or give offsets: {_short(quote)!r}")
            return None
        start, end = found[0]
        if ("start" in ev and ev["start"] != start) or ("end" in ev and ev["end"] != end):
            out.add(line, f"evidence offsets {ev.get('start')}..{ev.get('end')} do not match the quote "
                          f"(found at {start}..{end})")
            return None
        return Evidence(start, end, text[start:end], line)
    start, end = ev.get("start"), ev.get("end")
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        out.add(line, "evidence needs 'quote', or integer 'start' and 'end' offsets")
        return None
    if not 0 <= start < end <= len(text):
        out.add(line, f"evidence offsets {start}..{end} are outside the text (0..{len(text)}) or reversed")
        return None
    return Evidence(start, end, text[start:end], line)


def article_metadata(doc: ArticleDoc) -> dict:
    """The article's metadata as plain values (what the brat and Label Studio writers export)."""
    meta: dict = {}
    for key in ("publisher", "date"):
        value = getattr(doc, key)
        if value is not None:
            meta[key] = str(value.raw)
    for key in ("url", "language"):
        if getattr(doc, key):
            meta[key] = getattr(doc, key)
    return meta


def find_quote(text: str, quote: str, prefix: str | None = None, suffix: str | None = None) -> list[tuple[int, int]]:
    """Every (start, end) where ``quote`` occurs, filtered by the optional prefix/suffix.

    Matches exactly first; if that fails, lets any run of whitespace in the quote match any
    run of whitespace in the text (annotators paste quotes across line breaks).
    """
    def context_fits(span: tuple[int, int]) -> bool:
        s, e = span
        return ((not prefix or text[:s].rstrip().endswith(prefix.rstrip()))
                and (not suffix or text[e:].lstrip().startswith(suffix.lstrip())))

    spans = []
    i = text.find(quote)
    while i >= 0:
        spans.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    spans = [s for s in spans if context_fits(s)]
    if not spans:
        words = quote.split()
        if words:
            pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
            spans = [m.span() for m in pattern.finditer(text) if context_fits(m.span())]
    return spans


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _unknown_keys(mapping: YDict, allowed: set[str], what: str, out: Collector) -> None:
    for key in mapping:
        if key not in allowed:
            out.add(line_of(mapping, key), f"unknown {what} key {key!r} (allowed: {', '.join(sorted(allowed))})")


def _str(mapping: YDict, key: str, out: Collector) -> str | None:
    value = mapping.get(key)
    if value is None:
        return None
    if isinstance(value, (YDict, list)) or isinstance(value, bool):
        out.add(line_of(mapping, key), f"{key!r} must be text")
        return None
    return text_of(mapping, key) or str(value)  # `id: 0x1f` is the id "0x1f", not 31


def _required_str(mapping: YDict, key: str, what: str, out: Collector) -> str | None:
    if key not in mapping or mapping[key] in (None, ""):
        out.add(mapping.line, f"{what} is missing {key!r}")
        return None
    return _str(mapping, key, out)


def _str_list(mapping: YDict, key: str, out: Collector) -> list[str]:
    value = mapping.get(key)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if any(isinstance(v, (YDict, list)) for v in items):
        out.add(line_of(mapping, key), f"{key!r} must be text or a list of text")
        return []
    texts = value if isinstance(value, list) else None
    return [(text_of(texts, i) if texts is not None else text_of(mapping, key)) or str(v) for i, v in enumerate(items)]


def _value(mapping: YDict, key: str, out: Collector, required: str | None = None) -> Value | None:
    if key not in mapping or mapping[key] is None:
        if required:
            out.add(mapping.line, f"{required} is missing {key!r}")
        return None
    raw = mapping[key]
    if isinstance(raw, (YDict, list)):
        out.add(line_of(mapping, key), f"{key!r} must be a single value")
        return None
    return Value(raw, line_of(mapping, key), text_of(mapping, key))


def _values(mapping: YDict, key: str) -> list[Value]:
    raw = mapping[key]
    if isinstance(raw, list):
        return [Value(v, line_of(raw, i), text_of(raw, i)) for i, v in enumerate(raw)]
    return [Value(raw, line_of(mapping, key), text_of(mapping, key))]


def _qid(item: YDict, out: Collector) -> str | None:
    raw = item.get("wikidata")
    if raw is None:
        return None
    match = _QID.match(str(raw))
    if not match:
        out.add(line_of(item, "wikidata"), f"wikidata must be a QID such as Q44294, not {raw!r}")
        return None
    return match.group(1).upper()
