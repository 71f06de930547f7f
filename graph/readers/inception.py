"""INCEpTION's UIMA CAS exports (XMI and JSON) -> an ArticleDoc, through dkpro-cassis.

INCEpTION (inception-project/inception) keeps each document as a UIMA CAS and exports it as
"UIMA CAS XMI" (a ``.xmi`` with its ``TypeSystem.xml``) or "UIMA CAS JSON" (a ``.json``
that carries its own type system). dkpro-cassis reads both, and converts UIMA's UTF-16
offsets into code points. It is an optional dependency: ``pip install 'autokg[inception]'``.

What is read (everything else in the CAS -- tokens, sentences, POS, lemmas -- is structure
and is left alone):

* **Span layers**: INCEpTION's custom layers (``webanno.custom.*``, ``custom.*``) and the
  built-in Named Entity layer. A span's type name is the value of its ``type``, ``value``
  or ``label`` feature (the layer's tag), or else the layer's own name
  (``webanno.custom.Automaker`` -> ``Automaker``). That name goes through the same type
  mapping as brat and Label Studio (ontology names need none; ``--mapping`` maps the rest,
  e.g. Named Entity's ``PER: Person``).
* **Slot features** (link features with roles): an event span's slots are its arguments,
  the slot's role the argument's role (``participant``...); a slot with no role is an
  unlabelled relation (a warning, or mapped as ``unlabelled``).
* **Relation layers** (features ``Governor`` and ``Dependent``): a relation from an event
  span is one of its roles, any other a relation between entities, named by its tag.
* Other string features become notes ``feature: value``, so a feature named like a note
  key (``id``, ``name``, ``wikidata``, ``date``, ``rate``, ``certainty``...) sets that
  field; the Named Entity ``identifier`` of a Wikidata item is its QID.
* Article metadata: a document-metadata layer with features ``publisher``, ``date``,
  ``headline``, ``url``, ``language``, ``article_id`` (the ``Article`` layer of ``autokg config
  inception``) gives them; else ``DocumentMetaData`` gives the title (headline) and, when
  it is a slug, the id, and the publisher and date come from ``--publisher`` or the mapping
  file's ``article:``.

``autokg config inception`` writes the layers (``webanno.custom.Entity``, ``Event``,
``Relation``) whose tags are the ontology's names, so what is annotated with them needs no
mapping. Everything after the ``Standoff`` is shared with the other stand-off readers.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from ..errors import AnnotationError, Problem
from ..registry import EntityIndex
from ..terms import slugify
from .annotations import Collector, Value
from .inputfile import UnreadableInput, read_input
from .mapping import UNLABELLED, TypeMapping
from .standoff import ImportedDoc, NormAnn, NoteAnn, RelationAnn, Span, Standoff, events_from_relations, to_article

__all__ = ["read_inception", "parse_cas", "cas_to_standoff", "TYPESYSTEM_NAMES", "LABEL_FEATURES"]

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
DOCUMENT_METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
TYPESYSTEM_NAMES = ("TypeSystem.xml", "typesystem.xml")
LABEL_FEATURES = ("type", "value", "label")          # the feature that holds a layer's tag
_CUSTOM_PREFIXES = ("webanno.custom.", "custom.")
# the features of a document-metadata layer that give the article's metadata
_META = {"article_id": "id", "headline": "headline", "publisher": "publisher", "date": "date", "url": "url",
         "language": "language"}
_STRUCTURAL = {"sofa", "begin", "end", "Governor", "Dependent"}
_WIKIDATA_URI = re.compile(r"^https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/(Q[1-9][0-9]*)$")
_NO_CASSIS = ("reading INCEpTION's UIMA CAS files needs dkpro-cassis: pip install 'autokg[inception]' "
              "(or export the project as WebAnno TSV 3.3, which needs nothing more)")


def _read_bytes(path: Path, out: Collector, within: Path) -> bytes:
    try:
        return read_input(path, within=within)
    except UnreadableInput as exc:
        out.problems.append(Problem(str(path), None, f"cannot read file: {exc.reason}" if exc.missing else exc.reason))
        out.raise_if_any()
    raise AssertionError("unreachable")


def _typesystem_beside(path: Path) -> Path | None:
    for name in TYPESYSTEM_NAMES:
        if (path.parent / name).is_file():
            return path.parent / name
    return None


def parse_cas(path: Path | str, mapping: TypeMapping, warnings: list[Problem]) -> Standoff:
    """Read one INCEpTION CAS file (XMI with its TypeSystem.xml beside it, or JSON) into a Standoff."""
    path = Path(path)
    out = Collector(str(path))
    raw = _read_bytes(path, out, path.parent)
    try:
        import cassis
    except ImportError:
        out.add(None, _NO_CASSIS)
        out.raise_if_any()
    is_json = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"
    if not is_json and (match := re.search(rb"<!(?:DOCTYPE|ENTITY)", raw)):
        # UIMA XMI declares no entities: refuse rather than let a parser expand or fetch them
        out.add(raw.count(b"\n", 0, match.start()) + 1, "XML with a DOCTYPE or entity declaration is refused "
                                                         "(a UIMA CAS XMI file has none)")
        out.raise_if_any()
    try:
        if is_json:
            cas = cassis.load_cas_from_json(io.BytesIO(raw))
        else:
            ts_path = _typesystem_beside(path)
            typesystem = None
            if ts_path is not None:
                try:
                    typesystem = cassis.load_typesystem(io.BytesIO(_read_bytes(ts_path, out, path.parent)))
                except Exception as exc:     # cassis raises lxml, ValueError and its own errors
                    raise AnnotationError([Problem(str(ts_path), getattr(exc, "lineno", None),
                                                   f"cannot read this type system: {_reason(exc)}")]) from None
            cas = cassis.load_cas_from_xmi(io.BytesIO(raw), typesystem=typesystem or cassis.TypeSystem())
    except AnnotationError:
        raise
    except Exception as exc:                 # every way a file can fail to be a CAS is one line
        reason = _reason(exc)
        if not is_json and _typesystem_beside(path) is None and "type" in reason.casefold():
            reason += (f"; no {TYPESYSTEM_NAMES[0]} beside it: INCEpTION's 'UIMA CAS XMI' export zips each "
                       f"document with its {TYPESYSTEM_NAMES[0]}, unzip both into one folder")
        out.add(getattr(exc, "lineno", None), f"not a UIMA CAS {'JSON' if is_json else 'XMI'} file: {reason}")
        out.raise_if_any()
    return cas_to_standoff(cas, path, raw.decode("utf-8", "replace"), mapping, warnings, is_json)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def _line_finder(raw: str, is_json: bool):
    """The line on which a feature structure (by xmi:id / %ID) is written."""
    pattern = re.compile(r'"%ID"\s*:\s*(\d+)' if is_json else r'xmi:id="(\d+)"')
    lines: dict[int, int] = {}
    for match in pattern.finditer(raw):
        lines.setdefault(int(match.group(1)), raw.count("\n", 0, match.start()) + 1)
    return lambda fs: lines.get(getattr(fs, "xmiID", None) or -1)


def _features(type_) -> dict:
    """A type's own features by the name INCEpTION gives them (cassis renames ``type`` to ``type_``)."""
    return {(f.name[:-1] if f.name in ("type_", "self_") else f.name): f
            for f in type_.all_features if f.name not in _STRUCTURAL}


def _is_read(type_name: str) -> bool:
    return type_name == NAMED_ENTITY or type_name.startswith(_CUSTOM_PREFIXES)


def _string(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def cas_to_standoff(cas, path: Path, raw: str, mapping: TypeMapping, warnings: list[Problem],
                    is_json: bool = False) -> Standoff:
    """The spans, slots and relations of a CAS's custom and Named Entity layers, as a Standoff."""
    out = Collector(str(path))
    line_of = _line_finder(raw, is_json)
    text = cas.sofa_string
    if not isinstance(text, str) or not text:
        out.add(None, "the CAS holds no text (its sofa string is empty)")
        out.raise_if_any()
    if "\x00" in text:
        out.add(None, "the text holds a NUL character")
        out.raise_if_any()
    so = Standoff(path=str(path), text=text, default_id=slugify(path.stem),
                  meta_hint="the document's metadata layer (the Article layer of `autokg config inception`)")
    annotations = list(cas.select_all_annotations())
    for fs in annotations:
        if fs.type.name == DOCUMENT_METADATA:
            title, doc_id = _string(fs.get("documentTitle")), _string(fs.get("documentId"))
            if title:
                so.meta["headline"] = Value(title, line_of(fs))
            if doc_id and slugify(doc_id) == doc_id:
                so.meta["id"] = Value(doc_id, line_of(fs))
    for fs in cas.select_all_fs():
        # an INCEpTION document-metadata layer (AnnotationBase, not a span) of ours: article fields
        if fs.type.name.startswith(_CUSTOM_PREFIXES) and not cas.typesystem.subsumes("uima.tcas.Annotation", fs.type):
            names = _features(fs.type)
            for key, field in _META.items():
                value = _string(fs.get(names[key].name)) if key in names else None
                if value is not None:
                    so.meta[field] = Value(value, line_of(fs))
    relations, links = [], []
    for fs in annotations:
        type_ = fs.type
        if not _is_read(type_.name):
            continue
        features = _features(type_)
        if "Governor" in {f.name for f in type_.all_features}:
            relations.append(fs)
            continue
        sid = f"T{fs.xmiID}"
        label_feature = next((n for n in LABEL_FEATURES if n in features and _string(fs.get(features[n].name))), None)
        label = _string(fs.get(features[label_feature].name)) if label_feature else type_.short_name
        so.spans[sid] = Span(sid, label, [(fs.begin, fs.end)], None, line_of(fs))
        for name, feature in features.items():
            value = fs.get(feature.name)
            if name == label_feature or value is None:
                continue
            if feature.rangeType.name in ("uima.cas.FSArray", "uima.cas.FSList") or hasattr(value, "elements"):
                links.append((fs, name, value))
            elif name == "identifier" and isinstance(value, str) and _WIKIDATA_URI.match(value.strip()):
                qid = _WIKIDATA_URI.match(value.strip()).group(1)
                so.norms.append(NormAnn(f"N{fs.xmiID}", sid, f"Wikidata:{qid}", "", line_of(fs)))
            elif isinstance(value, str) and value.strip():
                so.notes.append(NoteAnn(f"#{fs.xmiID}:{name}", sid, f"{name}: {value.strip()}", line_of(fs)))
            elif isinstance(value, int) and not isinstance(value, bool):
                so.notes.append(NoteAnn(f"#{fs.xmiID}:{name}", sid, f"{name}: {value}", line_of(fs)))
    for host, name, array in links:
        for k, link in enumerate(getattr(array, "elements", None) or [], start=1):
            target = getattr(link, "target", None)
            role = _string(getattr(link, "role", None))
            where = line_of(host)
            if target is None or f"T{target.xmiID}" not in so.spans:
                out.add(where, f"{host.type.short_name} at {host.begin}..{host.end}: slot {name} {k} points at "
                               f"no span of a layer autokg reads")
                continue
            if role is None:
                if not mapping.knows_unlabelled():
                    warnings.append(Problem(str(path), where, f"{host.type.short_name} at {host.begin}..{host.end}: "
                                            f"slot {k} has no role: skipped; give it the role it plays, or map "
                                            f"'{UNLABELLED}' under 'roles:' in a mapping file", "WARNING"))
                    continue
                role = UNLABELLED
            rid = f"L{host.xmiID}.{k}"
            so.relations[rid] = RelationAnn(rid, role, f"T{host.xmiID}", f"T{target.xmiID}", where)
    for fs in relations:
        governor, dependent = fs.get("Governor"), fs.get("Dependent")
        features = _features(fs.type)
        label = next((_string(fs.get(features[n].name)) for n in LABEL_FEATURES
                      if n in features and _string(fs.get(features[n].name))), None)
        label = label or fs.type.short_name
        ends = [f"T{x.xmiID}" if x is not None else None for x in (governor, dependent)]
        if None in ends or not all(e in so.spans for e in ends):
            out.add(line_of(fs), f"relation {label}: its ends are not spans of a layer autokg reads")
            continue
        so.relations[f"R{fs.xmiID}"] = RelationAnn(f"R{fs.xmiID}", label, ends[0], ends[1], line_of(fs))
    out.raise_if_any()
    events_from_relations(so, mapping)
    return so


def read_inception(path: Path | str, mapping: TypeMapping, index: EntityIndex,
                   warnings: list[Problem] | None = None) -> list[ImportedDoc]:
    """Read one INCEpTION UIMA CAS file (XMI or JSON) into an ArticleDoc; raise AnnotationError."""
    warnings = warnings if warnings is not None else []
    so = parse_cas(path, mapping, warnings)
    if not so.spans:
        warnings.append(Problem(str(path), None, "no annotations on the layers autokg reads (custom layers, Named "
                                                 "Entity): skipped", "WARNING"))
        return []
    return [to_article(so, mapping, index, warnings)]
