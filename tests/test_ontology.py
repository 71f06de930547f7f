"""The ontology matches graph.terms.AK, and the SHACL shapes accept the example and reject
each counter-example with the message of the one rule it breaks."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from graph.terms import AK

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "autokg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
SHACL_DIR = Path(__file__).resolve().parent / "shacl"
VALID = SHACL_DIR / "valid.ttl"
COUNTEREXAMPLES = sorted((SHACL_DIR / "counterexamples").glob("*.ttl"))

AK_NS = str(AK._NS)

# Event classes and stances with their CAMEO / PLOVER codes (None: the class has no such code).
CODES = {
    "Negotiation": ("046", "CONSULT"),
    "Meeting": ("040", "CONSULT"),
    "Visit": ("042", "CONSULT"),
    "Statement": ("010", None),
    "Denial": (None, "REJECT"),
    "Confirmation": (None, None),
    "Invitation": ("0211", "AGREE"),
    "TariffImposition": ("163", "SANCTION"),
    "TariffIncrease": ("163", "SANCTION"),
    "TariffReduction": ("085", "RETREAT"),
    "TariffSuspension": ("085", "RETREAT"),
    "TradeAgreement": ("057", "AGREE"),
    "Investment": ("061", "COOPERATE"),
    "Report": (None, None),
    "MeasureAdoption": ("163", "SANCTION"),
    "EntryIntoForce": ("163", "SANCTION"),
    "MeasureSuspension": ("085", "RETREAT"),
    "MeasureRemoval": ("085", "RETREAT"),
    "Retaliation": ("163", "SANCTION"),
    "InvestigationStep": ("090", "ACCUSE:investigate"),
    "InvestigationInitiation": ("090", "ACCUSE:investigate"),
    "PreliminaryDetermination": ("163", "SANCTION"),
    "FinalDetermination": ("163", "SANCTION"),
    "ExpiryReview": ("090", "ACCUSE:investigate"),
    "InvestigationTermination": ("085", "RETREAT"),
    "DisputeStep": ("114", "ACCUSE"),
    "ConsultationRequest": ("114", "ACCUSE"),
    "PanelRequest": ("114", "ACCUSE"),
    "PanelRuling": ("112", "ACCUSE"),
    "DisputeAppeal": ("114", "ACCUSE"),
    "opposes": ("111", "ACCUSE:disapprove"),
    "criticises": ("111", "ACCUSE"),
    "complains": ("114", "ACCUSE"),
    "supports": ("051", "SUPPORT"),
    "comments": ("010", None),
}

CONTROLLED_VALUES = {
    "Stance": {"supports", "opposes", "criticises", "complains", "comments"},
    "Certainty": {"certain", "probable", "possible"},
    "Polarity": {"positive", "negative"},
    "ClaimStatus": {"asserted", "reported", "confirmed", "denied", "contested"},
    "RemedyStage": {"provisional", "definitive"},
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def ak(name: str) -> URIRef:
    return URIRef(AK_NS + name)


def validate(data: Path, ontology: Graph, shapes: Graph) -> tuple[bool, set[str]]:
    """Validate ``data`` plus the ontology (no inference); return conformance and messages."""
    graph = Graph().parse(data, format="turtle")
    graph += ontology
    conforms, results, _ = pyshacl.validate(
        data_graph=graph, shacl_graph=shapes, inference="none"
    )
    return conforms, {str(m) for m in results.objects(None, SH.resultMessage)}


@pytest.mark.parametrize("path", [ONTOLOGY, SHAPES, VALID, *COUNTEREXAMPLES], ids=lambda p: p.name)
def test_turtle_parses_in_rdflib_and_oxigraph(path: Path) -> None:
    rdflib_count = len(Graph().parse(path, format="turtle"))
    oxigraph_count = len(list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)))
    assert rdflib_count == oxigraph_count > 0


def test_ontology_defines_exactly_the_terms_in_ak(ontology: Graph) -> None:
    defined = {
        str(s)[len(AK_NS):]
        for s in ontology.subjects()
        if isinstance(s, URIRef) and str(s).startswith(AK_NS)
    }
    declared = set(AK.__annotations__)
    assert {str(t)[len(AK_NS):] for t in dir(AK)} == declared
    assert defined - declared == set(), "defined in autokg.ttl but missing from graph.terms.AK"
    assert declared - defined == set(), "in graph.terms.AK but not defined in autokg.ttl"


@pytest.mark.parametrize("name", sorted(AK.__annotations__))
def test_every_term_is_typed_labelled_and_commented(ontology: Graph, name: str) -> None:
    term = ak(name)
    kinds = {
        OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
        OWL.NamedIndividual,
    }
    assert set(ontology.objects(term, RDF.type)) & kinds
    labels = [o for o in ontology.objects(term, RDFS.label) if o.language == "en"]
    comments = [o for o in ontology.objects(term, RDFS.comment) if o.language == "en"]
    assert len(labels) == 1 and len(comments) == 1


def test_ontology_header(ontology: Graph) -> None:
    assert (URIRef("https://w3id.org/autokg"), RDF.type, OWL.Ontology) in ontology


@pytest.mark.parametrize("name", sorted(CODES))
def test_cameo_and_plover_codes(ontology: Graph, name: str) -> None:
    cameo, plover = CODES[name]
    expected_cameo = {Literal(cameo)} if cameo else set()
    expected_plover = {Literal(plover)} if plover else set()
    assert set(ontology.objects(ak(name), ak("cameoCode"))) == expected_cameo
    assert set(ontology.objects(ak(name), ak("ploverCode"))) == expected_plover


@pytest.mark.parametrize("cls", sorted(CONTROLLED_VALUES))
def test_controlled_values_are_closed_lists(ontology: Graph, cls: str) -> None:
    expected = {ak(v) for v in CONTROLLED_VALUES[cls]}
    members = set(ontology.items(ontology.value(ak(cls), OWL.oneOf)))
    assert members == expected
    assert set(ontology.subjects(RDF.type, ak(cls))) == expected
    assert all((m, RDF.type, OWL.NamedIndividual) in ontology for m in members)


def test_every_event_class_has_cameo_and_plover_codes(ontology: Graph) -> None:
    """Every event class (below ak:Event) but the three the codes do not fit carries both codes,
    so the graph lines up with GDELT (CAMEO) and POLECAT (PLOVER) data."""
    without = {"Event", "Report", "Confirmation", "PolicyAction", "Merger", "Statement", "Denial"}
    events = {str(c)[len(AK_NS):] for c in ontology.transitive_subjects(RDFS.subClassOf, ak("Event"))}
    for name in sorted(events - without):
        assert ontology.value(ak(name), ak("cameoCode")) is not None, name
        assert ontology.value(ak(name), ak("ploverCode")) is not None, name


def test_measure_classes_align_with_mast_and_gta(ontology: Graph) -> None:
    """Trade-remedy and non-tariff measure classes name their UNCTAD MAST code; the GTA reader
    types a measure by the class whose GTA intervention type it carries (one class per type)."""
    for name in ("AntiDumpingDuty", "CountervailingDuty", "SafeguardDuty", "ImportBan", "LicensingRequirement",
                 "ImportFee", "LocalContentRule", "Subsidy", "MinimumImportPrice", "PriceUndertaking",
                 "AntiDumpingInvestigation", "AntiSubsidyInvestigation", "SafeguardInvestigation"):
        assert ontology.value(ak(name), ak("mastCode")) is not None, name
    types = [str(o) for o in ontology.objects(None, ak("gtaInterventionType"))]
    assert len(types) == len(set(types)) >= 8


def test_properties_have_at_most_one_domain_and_range(ontology: Graph) -> None:
    for prop in ontology.subjects(RDF.type, None):
        if isinstance(prop, URIRef) and str(prop).startswith(AK_NS):
            assert len(set(ontology.objects(prop, RDFS.domain))) <= 1, prop
            assert len(set(ontology.objects(prop, RDFS.range))) <= 1, prop


def test_valid_example_conforms(ontology: Graph, shapes: Graph) -> None:
    conforms, messages = validate(VALID, ontology, shapes)
    assert conforms, messages


def test_every_shape_has_a_counterexample(shapes: Graph) -> None:
    messages = {str(m) for m in shapes.objects(None, SH.message)}
    expected = {_expected_message(p) for p in COUNTEREXAMPLES}
    assert len(COUNTEREXAMPLES) >= 12
    assert messages == expected


def _expected_message(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name}: first line must be '# expect: <message>'"
    return first.removeprefix("# expect: ").strip()


@pytest.mark.parametrize("path", COUNTEREXAMPLES, ids=lambda p: p.stem)
def test_counterexample_breaks_exactly_its_rule(ontology: Graph, shapes: Graph, path: Path) -> None:
    conforms, messages = validate(path, ontology, shapes)
    assert not conforms
    assert messages == {_expected_message(path)}
