"""EU regulations saved as a small YAML record, with the fields EUR-Lex gives a document.

EUR-Lex has no API document autokg could save as the Federal Register's, so a regulation is
written down from its EUR-Lex "Document information" page, one field a line, under a top-level
``eu_regulation`` key::

    eu_regulation:
      regulation_number: (EU) 2024/2754        # required
      title: Commission Implementing Regulation (EU) 2024/2754 of 29 October 2024 ...  # required
      form: Implementing regulation
      author: European Commission              # registry name or id; required
      celex: 32024R2754
      oj_reference: OJ L, 2024/2754, 29.10.2024
      date_of_document: 2024-10-29             # adopted
      date_of_publication: 2024-10-29          # required
      date_of_effect: 2024-10-30               # in force
      date_of_end_of_validity: ...             # removed (when given)
      eli: http://data.europa.eu/eli/reg_impl/2024/2754/oj

One file becomes one loaded document (see ``graph.readers.records``): the record
(``ak:EURegulation`` with its number, citation, form and dates), the measures it is the
official record of (from the ``.meta.yaml`` beside it, keyed by the regulation number), and,
for each measure, its adoption on the date of the document, its entry into force on the date
of effect and its removal at the end of validity, asserted by the author, with the record's
line as the evidence quote. The document's text is the saved YAML itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import AnnotationError, Problem
from ..registry import EntityIndex
from ..terms import slugify
from .annotations import Evidence, Value
from .records import RecordDoc, entity, event, read_record_text, record_measures
from .yamlsource import YDict, line_of, parse_yaml

__all__ = ["read_eu_regulation", "looks_like_eu_regulation", "PUBLISHER"]

PUBLISHER = "publications-office-of-the-eu"
_KEY = "eu_regulation"
_FIELDS = ("regulation_number", "title", "form", "author", "celex", "oj_reference", "date_of_document",
           "date_of_publication", "date_of_effect", "date_of_end_of_validity", "eli")


def looks_like_eu_regulation(head: str) -> bool:
    """Whether the start of a YAML file is an EU regulation record (a top-level ``eu_regulation:``)."""
    return re.search(r"^eu_regulation\s*:", head, re.MULTILINE) is not None


def read_eu_regulation(path: Path | str, index: EntityIndex, warnings: list[Problem]) -> list[RecordDoc]:
    """Read one saved EU regulation record; raise AnnotationError listing every problem."""
    path = Path(path)
    source = str(path)
    text = read_record_text(path)
    data = parse_yaml(text, source)
    record = data.get(_KEY) if isinstance(data, YDict) else None
    if not isinstance(record, YDict):
        raise AnnotationError([Problem(source, line_of(data) or 1,
                                       f"an EU regulation record is a mapping under {_KEY!r}")])
    problems: list[Problem] = []
    for key in record:
        if key not in _FIELDS:
            problems.append(Problem(source, line_of(record, key),
                                    f"unknown EU regulation field {key!r} (known: {', '.join(_FIELDS)})"))

    def value(key: str) -> str | None:
        raw = record.get(key)
        if raw is None or raw == "":
            return None
        if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
            problems.append(Problem(source, line_of(record, key), f"EU regulation field {key!r} must be text"))
            return None
        return str(raw).strip()

    def required(key: str) -> str | None:
        found = value(key)
        if found is None and key not in record:
            problems.append(Problem(source, line_of(record) or 1, f"EU regulation record needs {key!r}"))
        return found

    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def evidence(key: str) -> Evidence | None:
        """The record's line for ``key``, as the quote."""
        number = line_of(record, key)
        if not number or number > len(lines):
            return None
        raw = lines[number - 1].rstrip("\r\n")
        indent = len(raw) - len(raw.lstrip())
        start = starts[number - 1] + indent
        return Evidence(start, start + len(raw) - indent, raw.strip(), number)

    number, title, published = required("regulation_number"), required("title"), required("date_of_publication")
    author_name = required("author")
    fields = {key: value(key) for key in _FIELDS}
    author = None
    if author_name:
        author = index.resolve(author_name)
        if author is None:
            problems.append(Problem(source, line_of(record, "author"), f"EU regulation author {author_name!r} is "
                                                                       "not in the registry (add it, or an alias)"))
    if problems or not (number and title and published and author):
        raise AnnotationError(problems or [Problem(source, line_of(record) or 1, "EU regulation record is incomplete")])

    doc_id = slugify(f"eu-regulation-{number.removeprefix('(EU)').strip()}")
    url = fields["eli"] if fields["eli"] and fields["eli"].startswith(("http://", "https://")) else None
    entities = [entity(PUBLISHER, "Agency", "Publications Office of the European Union", country="european-union"),
                entity(doc_id, "EURegulation", None if doc_id in index.entities else title,
                       line_of(record), regulation_number=number, citation=fields["oj_reference"],
                       record_type=fields["form"], signing_date=fields["date_of_document"],
                       publication_date=published, record_url=url)]
    measures = record_measures(path, number, doc_id, title, author, entities, line_of(record))

    steps = (("date_of_document", "MeasureAdoption", "adopted"), ("date_of_effect", "EntryIntoForce", "in-force"),
             ("date_of_end_of_validity", "MeasureRemoval", "removed"))
    events = []
    for measure in measures:
        for key, kind, step in steps:
            if fields[key] and (span := evidence(key)):
                events.append(event(f"{measure}-{step}-{doc_id}", kind, span, author, span.line,
                                    actor=author, policy=measure, date=fields[key]))
    return [RecordDoc(id=doc_id, path=source, headline=title, publisher=Value(PUBLISHER, 1),
                      date=Value(published, line_of(record, "date_of_publication")), text=text, url=url,
                      language="en", entities=entities, events=events, line=line_of(record) or 1, record=doc_id)]
