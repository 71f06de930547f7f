"""SHACL validation of what the loader produces (ontology/shapes.ttl, via pyshacl).

Each article is checked together with the registry and the ontology (whose
rdfs:subClassOf triples let class targets reach subclasses), without inference:
RDFS inference made validation about ten times slower for no change in results.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .assertions import CompiledArticle, registry_triples
from .errors import Problem
from .loading import compile_paths
from .resources import ontology_file, shapes_file

__all__ = ["validate_paths", "shacl_problems"]

_SH = "http://www.w3.org/ns/shacl#"


@cache
def _shapes():
    import rdflib

    return rdflib.Graph().parse(shapes_file(), format="turtle")


@cache
def _ontology_nt() -> str:
    import rdflib

    return rdflib.Graph().parse(ontology_file(), format="turtle").serialize(format="nt")


def _rdflib_triples(ntriples: str):
    """N-Triples parsed by Oxigraph, as rdflib terms.

    rdflib's own N-Triples parser re-scans its buffer for every 8 kB it reads of a line, so
    an article whose text is one 10 MB line (one literal) took six minutes to parse."""
    import pyoxigraph as ox
    import rdflib

    string, lang_string = "http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

    def term(t):
        if isinstance(t, ox.NamedNode):
            return rdflib.URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return rdflib.BNode(t.value)
        datatype = t.datatype.value
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        return rdflib.Literal(t.value, datatype=None if datatype in (string, lang_string) else rdflib.URIRef(datatype))

    for t in ox.parse(ntriples.encode("utf-8"), ox.RdfFormat.N_TRIPLES):
        yield term(t.subject), term(t.predicate), term(t.object)


def shacl_problems(article: CompiledArticle, registry_lines: list[str]) -> list[Problem]:
    """SHACL violations for one compiled article, each as a Problem with the best line we know."""
    import pyshacl
    import rdflib

    data = rdflib.Graph()
    data.parse(data=_ontology_nt(), format="nt")
    for triple in _rdflib_triples("\n".join([*registry_lines, *article.triples, *article.mention_triples])):
        data.add(triple)
    conforms, report, _ = pyshacl.validate(data, shacl_graph=_shapes(), inference="none",
                                           allow_warnings=True)
    if conforms:
        return []
    sh = rdflib.Namespace(_SH)
    problems = []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = str(report.value(result, sh.focusNode))
        message = str(report.value(result, sh.resultMessage) or "violates a shape")
        severity = report.value(result, sh.resultSeverity)
        level = "ERROR" if severity is None or severity == sh.Violation else "WARNING"
        short = focus.rsplit("/id/", 1)[-1]
        path = report.value(result, sh.resultPath)
        if isinstance(path, rdflib.URIRef):
            short += ": " + str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        problems.append(Problem(article.path, article.origins.get(focus), f"{message} ({short})", level))
    # one line per problem: a shape can report the same focus and path more than once
    return sorted(set(problems), key=lambda p: (p.line or 0, p.message))


def validate_paths(paths: Iterable[Path | str], registry: Path | str | None = None,
                   shacl: bool = True, *, format: str = "auto", mapping=None,
                   lenient: bool = False, strict: bool = False, publisher: str | None = None,
                   predictions: bool = False) -> tuple[int, list[Problem]]:
    """Check articles without loading them. Returns (articles checked, problems).

    Reads every format as ``load`` does (``format``, ``mapping``, ``lenient``, ``publisher``,
    ``predictions``). Parse and reference errors raise AnnotationError (as in ``load``); the
    warnings a load would print (skipped tasks, unmapped types with ``lenient``...) and
    SHACL findings are returned so the caller can print them all. With ``strict`` the
    load's warnings are errors, as ``load --strict`` makes them.
    """
    problems: list[Problem] = []
    index, compiled = compile_paths(paths, registry, format=format, mapping=mapping, lenient=lenient,
                                    warnings=problems, strict=strict, publisher=publisher, predictions=predictions)
    if shacl:
        registry_lines = registry_triples(index) if index.path else []
        for article in compiled:
            problems.extend(shacl_problems(article, registry_lines))
    return len(compiled), problems
