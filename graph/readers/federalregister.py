"""Federal Register documents saved from its API (``/api/v1/documents/<number>.json``).

The reader takes the fields the API documents for a document: ``document_number``,
``title``, ``type`` and ``subtype`` ("Presidential Document", "Proclamation"), ``citation``
("90 FR 14705"), ``publication_date``, ``signing_date``, ``effective_on``, ``html_url``,
``agencies`` (``name``, ``slug``) and, for presidential documents, ``president`` (``name``).
Other fields are kept in the text but not read.

One saved document becomes one loaded document (see ``graph.readers.records``): the record
(``ak:FederalRegisterDocument`` with its number, citation, type and dates), the measures it
is the official record of (from the ``.meta.yaml`` beside it), and, for each measure, its
adoption on the signing date (or, for a rule, the publication date) and its entry into force
on ``effective_on``, asserted by the president or the first agency, with the JSON field as
the evidence quote. The document's text is the saved JSON itself, so offsets point into it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import AnnotationError, Problem
from ..registry import EntityIndex
from ..terms import slugify
from .annotations import Evidence, Value
from .records import RecordDoc, entity, event, parse_record_json, read_record_text, record_measures

__all__ = ["read_federal_register", "looks_like_federal_register"]

PUBLISHER = "office-of-the-federal-register"


def looks_like_federal_register(head: str) -> bool:
    """Whether the start of a JSON file reads as a Federal Register API document."""
    return head.lstrip().startswith("{") and '"document_number"' in head and '"publication_date"' in head


def _field_span(text: str, key: str) -> tuple[int, int] | None:
    """Where ``"key": value`` is written in the raw JSON (the first, top-level, occurrence)."""
    pattern = r'"' + re.escape(key) + r'"\s*:\s*("(?:[^"\\]|\\.)*"|[-+0-9.eE]+|true|false)'
    match = re.search(pattern, text)
    return match.span() if match else None


def read_federal_register(path: Path | str, index: EntityIndex, warnings: list[Problem]) -> list[RecordDoc]:
    """Read one saved Federal Register document; raise AnnotationError listing every problem."""
    path = Path(path)
    source = str(path)
    text = read_record_text(path)
    data = parse_record_json(text, source)
    if not isinstance(data, dict):
        raise AnnotationError([Problem(source, 1, "a Federal Register document is one JSON object")])

    problems: list[Problem] = []

    def line_of(key: str) -> int | None:
        span = _field_span(text, key)
        return text.count("\n", 0, span[0]) + 1 if span else None

    def required(key: str) -> str | None:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(source, line_of(key) or 1, f"Federal Register document needs {key!r} (text)"))
            return None
        return value.strip()

    def evidence(key: str) -> Evidence | None:
        span = _field_span(text, key)
        return Evidence(span[0], span[1], text[span[0]:span[1]], line_of(key)) if span else None

    number, title, published = required("document_number"), required("title"), required("publication_date")
    if problems:
        raise AnnotationError(problems)
    doc_id = slugify(f"federal-register-{number}")
    kind = ": ".join(str(data[k]) for k in ("type", "subtype") if isinstance(data.get(k), str) and data[k])
    url = data.get("html_url") if isinstance(data.get("html_url"), str) else None

    president = data.get("president") if isinstance(data.get("president"), dict) else {}
    agencies = [a for a in data.get("agencies") or [] if isinstance(a, dict) and isinstance(a.get("name"), str)]
    entities = [entity(PUBLISHER, "Agency", "Office of the Federal Register", country="united-states")]
    if isinstance(president.get("name"), str) and president["name"].strip():
        author = slugify(president["name"])
        entities.append(entity(author, "Person", president["name"].strip()))
    elif agencies:
        author = slugify(agencies[0].get("slug") or agencies[0]["name"])
        entities.append(entity(author, "GovernmentBody", agencies[0]["name"]))
    else:
        raise AnnotationError([Problem(source, line_of("agencies") or 1,
                                       "Federal Register document names no president and no agency: "
                                       "nobody to attribute it to")])
    entities.append(entity(doc_id, "FederalRegisterDocument", f"Federal Register {number}: {title}",
                           document_number=number, citation=data.get("citation"), record_type=kind or None,
                           signing_date=data.get("signing_date"), publication_date=published, record_url=url))

    measures = record_measures(path, number, doc_id, title, author, entities)

    events = []
    adopted_key = "signing_date" if data.get("signing_date") else (
        "publication_date" if str(data.get("type")) == "Rule" else None)
    for measure in measures:
        if adopted_key and (span := evidence(adopted_key)):
            events.append(event(f"{measure}-adopted-{doc_id}", "MeasureAdoption", span, author, span.line,
                                actor=author, policy=measure, date=data[adopted_key]))
        if data.get("effective_on") and (span := evidence("effective_on")):
            events.append(event(f"{measure}-in-force-{doc_id}", "EntryIntoForce", span, author, span.line,
                                actor=author, policy=measure, date=data["effective_on"]))
    doc = RecordDoc(id=doc_id, path=source, headline=title, publisher=Value(PUBLISHER, 1),
                    date=Value(published, line_of("publication_date")), text=text, url=url, language="en",
                    entities=entities, events=events, line=1, record=doc_id)
    return [doc]
