"""Global Trade Alert exports: the Data Center's CSV download and the API's JSON.

Columns (CSV headers are matched ignoring case, spaces and punctuation; JSON keys likewise):
``Intervention ID``, ``State Act ID``, ``State Act Title`` (or ``Title``), ``Intervention
Type``, ``MAST Chapter``, ``GTA Evaluation`` (Red / Amber / Green), ``Implementing
Jurisdiction(s)``, ``Affected Jurisdiction(s)``, ``Affected Products`` (HS 6-digit codes),
``Date Announced``, ``Date Published``, ``Date Implemented``, ``Date Removed`` and a URL.
Several values in one CSV cell are separated by ``;`` (or ``,`` when no ``;`` is present);
in JSON they are lists, of names or of objects with a ``name``.

Each intervention (a CSV row, a JSON object) becomes one loaded document (see
``graph.readers.records``): the record (``ak:GTAIntervention`` with its ids, type and
evaluation), the measures it is linked to in the ``.meta.yaml`` beside the export, and, for
each measure, its adoption (announced), entry into force (implemented) and removal, asserted
by the Global Trade Alert with the row's field as evidence. The document's text is the
intervention's fields, one ``Column: value`` line each, as the export gives them.

An intervention with no link describes a measure of its own, typed by its intervention type
(the ontology's ``ak:gtaInterventionType``; a tariff type becomes a generic policy, as GTA
gives no rate), imposed by the implementing jurisdiction on the affected ones, with goods by
HS code. Jurisdictions are resolved through the registry by name or alias; an implementing
jurisdiction it does not know is an error, an affected one or an HS code under no known
heading a warning.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from pathlib import Path

from ..errors import AnnotationError, Problem
from ..products import hs_heading
from ..registry import EntityIndex
from ..schema import load_schema
from ..terms import slugify
from .annotations import Evidence, Value
from .records import RecordDoc, entity, event, parse_record_json, read_measure_links, read_record_text

__all__ = ["read_gta", "looks_like_gta"]

PUBLISHER = "global-trade-alert"
_FIELDS = {
    "intervention_id": ("interventionid",),
    "state_act_id": ("stateactid",),
    "title": ("stateacttitle", "title", "interventiontitle"),
    "intervention_type": ("interventiontype",),
    "mast_chapter": ("mastchapter",),
    "evaluation": ("gtaevaluation", "evaluation"),
    "implementing": ("implementingjurisdiction", "implementingjurisdictions"),
    "affected": ("affectedjurisdiction", "affectedjurisdictions"),
    "products": ("affectedproducts", "affectedproduct"),
    "announced": ("dateannounced", "announcementdate", "announceddate"),
    "published": ("datepublished", "publicationdate"),
    "implemented": ("dateimplemented", "implementationdate", "implementeddate"),
    "removed": ("dateremoved", "removaldate", "removeddate"),
    "url": ("interventionurl", "stateacturl", "url"),
}
_BY_KEY = {alias: field for field, aliases in _FIELDS.items() for alias in aliases}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def looks_like_gta(head: str) -> bool:
    """Whether the start of a CSV or JSON file reads as a GTA export (it names intervention ids)."""
    first = head.lstrip().splitlines()[0] if head.strip() else ""
    return "interventionid" in _key(first) or '"intervention_id"' in head


def _values(raw) -> list[str]:
    """A cell or JSON value as a list of names or codes."""
    if raw is None:
        return []
    if isinstance(raw, list):
        return [str(v["name"] if isinstance(v, dict) and "name" in v else v).strip() for v in raw if v not in (None, "")]
    text = str(raw).strip()
    if not text:
        return []
    parts = text.split(";") if ";" in text else text.split(",")
    return [p.strip() for p in parts if p.strip()]


def _rows(path: Path, text: str, problems: list[Problem]) -> list[tuple[int | None, list[tuple[str, object]]]]:
    """(line, [(column as written, value)]) for every intervention in a CSV or JSON export; a CSV
    row that cannot be read is a problem, and the others are still read."""
    source = str(path)
    if text.lstrip().startswith(("[", "{")):
        data = parse_record_json(text, source)
        items = data.get("data") if isinstance(data, dict) else data
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise AnnotationError([Problem(source, 1, "a GTA JSON export is a list of interventions (objects)")])
        return [(None, list(item.items())) for item in items]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise AnnotationError([Problem(source, 1, "the GTA export is empty")]) from None
    except csv.Error as exc:
        raise AnnotationError([Problem(source, 1, f"invalid CSV: {exc}")]) from None
    if "interventionid" not in {_key(column) for column in header}:
        raise AnnotationError([Problem(source, 1, "not a Global Trade Alert export: the header has no "
                                                  "'Intervention ID' column")])
    rows = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(Problem(source, reader.line_num, f"row has {len(cells)} cells, the header {len(header)}"))
                continue
            rows.append((reader.line_num, list(zip(header, cells, strict=True))))
    except csv.Error as exc:
        problems.append(Problem(source, reader.line_num, f"invalid CSV: {exc}"))
    return rows


def _class_for(intervention_type: str) -> str:
    """The ontology class whose GTA intervention type this is; tariffs stay generic policies."""
    schema = load_schema()
    for name, cls in _gta_classes().items():
        if name.casefold() == intervention_type.casefold():
            return "Policy" if schema.is_a(cls, "Tariff") else cls
    return "Policy"


@cache
def _gta_classes() -> dict[str, str]:
    """GTA intervention type -> ontology class, from the ontology's ak:gtaInterventionType."""
    import pyoxigraph as ox

    from ..resources import ontology_file
    from ..terms import AK

    found = {}
    for quad in ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE):
        if quad.predicate.value == str(AK.gtaInterventionType):
            found[quad.object.value] = quad.subject.value[len(str(AK._NS)):]
    return found


def read_gta(path: Path | str, index: EntityIndex, warnings: list[Problem]) -> list[RecordDoc]:
    """Read one GTA export (CSV or JSON); raise AnnotationError listing every problem."""
    path = Path(path)
    source = str(path)
    text = read_record_text(path)
    links = read_measure_links(path)
    problems: list[Problem] = []
    docs = []
    for line, cells in _rows(path, text, problems):
        fields = {_BY_KEY[_key(col)]: (col, value) for col, value in cells if _key(col) in _BY_KEY}
        where = line or 1
        intervention = str(fields.get("intervention_id", ("", ""))[1]).strip()
        if not intervention:
            problems.append(Problem(source, where, "GTA intervention has no 'Intervention ID'"))
            continue
        doc = _intervention(path, where, intervention, fields, links.get(intervention), index, problems, warnings)
        if doc:
            docs.append(doc)
    if problems:
        raise AnnotationError(problems)
    return docs


def _intervention(path: Path, line: int, intervention: str, fields: dict, linked, index: EntityIndex,
                  problems: list[Problem], warnings: list[Problem]) -> RecordDoc | None:
    source = str(path)
    doc_id = slugify(f"gta-intervention-{intervention}")
    title = str(fields.get("title", ("", ""))[1] or f"GTA intervention {intervention}").strip()
    where = f"row {line} of {path.name}" if line > 1 else path.name
    text_lines = [f"Global Trade Alert intervention {intervention}, {where}"]
    spans: dict[str, Evidence] = {}
    for field, (column, value) in fields.items():
        shown = "; ".join(_values(value)) if isinstance(value, list) else str(value if value is not None else "")
        start = sum(len(t) + 1 for t in text_lines)
        text_lines.append(f"{column}: {shown}")
        spans[field] = Evidence(start, start + len(text_lines[-1]), text_lines[-1], line)
    text = "\n".join(text_lines)

    def value(field: str) -> str | None:
        raw = fields.get(field, ("", None))[1]
        return str(raw).strip() if raw not in (None, "") else None

    implementing = []
    for name in _values(fields.get("implementing", ("", None))[1]):
        found = index.resolve(name)
        if found is None:
            problems.append(Problem(source, line, f"GTA intervention {intervention}: implementing jurisdiction "
                                                  f"{name!r} is not in the registry (add it, or an alias)"))
        else:
            implementing.append(found)
    if not implementing:
        if not problems:
            problems.append(Problem(source, line, f"GTA intervention {intervention} has no implementing jurisdiction"))
        return None
    date = value("published") or value("announced")
    if date is None:
        problems.append(Problem(source, line, f"GTA intervention {intervention} has no announced or published date"))
        return None

    entities = [entity(PUBLISHER, "Association", "Global Trade Alert"),
                entity(doc_id, "GTAIntervention", f"GTA intervention {intervention}: {title}", line,
                       intervention_id=intervention, state_act_id=value("state_act_id"),
                       record_type=value("intervention_type"), gta_evaluation=value("evaluation"),
                       publication_date=value("published"),
                       record_url=value("url") if (value("url") or "").startswith(("http://", "https://")) else None)]
    if linked:
        measures = [v.raw for v in linked]
        entities.extend(entity(m, "Policy", None, v.line, official_record=doc_id) for m, v in zip(measures, linked, strict=True))
    else:
        measures = [f"{doc_id}-measure"]
        targets, goods = [], []
        for name in _values(fields.get("affected", ("", None))[1]):
            found = index.resolve(name)
            if found is None:
                warnings.append(Problem(source, line, f"GTA intervention {intervention}: affected jurisdiction "
                                                      f"{name!r} is not in the registry; left out", "WARNING"))
            else:
                targets.append(found)
        for code in _values(fields.get("products", ("", None))[1]):
            heading = hs_heading(code) if re.fullmatch(r"[0-9]{2,6}", code) else None
            if heading is None:
                warnings.append(Problem(source, line, f"GTA intervention {intervention}: HS code {code!r} is under "
                                                      "no heading autokg knows; left out", "WARNING"))
                continue
            pretty = code if len(code) <= 4 else f"{code[:4]}.{code[4:]}"
            goods.append(f"hs-{code}")
            entities.append(entity(f"hs-{code}", "Product", f"{heading.short} (HS {pretty})", line, hs_code=pretty))
        entities.append(entity(measures[0], _class_for(value("intervention_type") or ""), title, line,
                               imposed_by=implementing, target_jurisdiction=targets, goods=goods,
                               official_record=doc_id))
    events = []
    steps = (("announced", "MeasureAdoption", "adopted"), ("implemented", "EntryIntoForce", "in-force"),
             ("removed", "MeasureRemoval", "removed"))
    for measure in measures:
        for field, cls, word in steps:
            if value(field):
                events.append(event(f"{measure}-{word}-{doc_id}", cls, spans[field], PUBLISHER, line,
                                    actor=implementing, policy=measure, date=value(field)))
    return RecordDoc(id=doc_id, path=source, headline=title, publisher=Value(PUBLISHER, line),
                     date=Value(date, line), text=text, url=None, language="en",
                     entities=entities, events=events, line=line, record=doc_id)
