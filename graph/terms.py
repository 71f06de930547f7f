"""The one place where autokg's namespaces and terms are declared.

``AK`` is the autokg schema (``ontology/autokg.ttl``); ``ID`` is the base of every
instance IRI. Terms are declared members of ``AK``, so a misspelt term fails where it is
used. A test checks that every ``AK`` term is defined in the ontology and vice versa.

Terms are plain strings (``str`` subclasses), not rdflib terms: every command imports this
module, and rdflib takes longer to import than most commands take to run.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata


class URIRef(str):
    """An IRI, as text."""

    __slots__ = ()


class Namespace(str):
    """An IRI prefix: ``NS["local"]`` and ``NS.local`` are the IRIs under it."""

    __slots__ = ()

    def __getitem__(self, name) -> URIRef:
        if not isinstance(name, str):
            return str.__getitem__(self, name)
        return URIRef(f"{self}{name}")

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]


class _Defined(type):
    """A closed namespace: its members are the names annotated in the class body."""

    def __getattr__(cls, name: str) -> URIRef:
        if name.startswith("_") or name not in cls.__annotations__:
            raise AttributeError(f"term {name!r} is not in {cls._NS}")
        return URIRef(f"{cls._NS}{name}")

    def __getitem__(cls, name: str) -> URIRef:
        return getattr(cls, name)

    def __contains__(cls, item) -> bool:
        return str(item).startswith(cls._NS) and str(item)[len(cls._NS):] in cls.__annotations__

    def __dir__(cls) -> list[URIRef]:
        return [URIRef(f"{cls._NS}{name}") for name in cls.__annotations__]


class DefinedNamespace(metaclass=_Defined):
    _NS: Namespace

__all__ = [
    "AK", "ID", "OA", "SCHEMA", "PROV", "ORG", "SEM", "WD", "XSD_NS",
    "ONTOLOGY_GRAPH", "REGISTRY_GRAPH",
    "slugify", "distinct_slug", "entity_iri", "event_iri", "article_iri", "attribution_iri",
    "annotation_iri", "mention_iri", "position_iri", "PREFIXES",
]


class AK(DefinedNamespace):
    """autokg ontology terms (https://w3id.org/autokg#)."""

    _NS = Namespace("https://w3id.org/autokg#")
    _fail = True

    # --- agents and things -------------------------------------------------
    Agent: URIRef
    Organization: URIRef
    Company: URIRef
    Automaker: URIRef
    GovernmentBody: URIRef
    Government: URIRef
    Ministry: URIRef
    Agency: URIRef
    Legislature: URIRef
    Association: URIRef
    MediaOutlet: URIRef
    Person: URIRef
    AgentGroup: URIRef          # a collective such as "Chinese automakers"
    AnonymousSource: URIRef     # "four people familiar with the talks"
    Place: URIRef
    Country: URIRef
    Position: URIRef            # a person's post in an organisation
    Policy: URIRef
    Tariff: URIRef
    CountervailingDuty: URIRef
    LegalBasis: URIRef
    LegalInstrument: URIRef
    Investigation: URIRef
    Product: URIRef

    # --- trade measures, remedies, disputes, official records ---------------
    AntiDumpingDuty: URIRef
    SafeguardDuty: URIRef
    ResidualDuty: URIRef        # the rate for companies without one of their own
    TariffRateQuota: URIRef
    NonTariffMeasure: URIRef
    ImportBan: URIRef
    LicensingRequirement: URIRef
    ImportFee: URIRef
    LocalContentRule: URIRef
    Subsidy: URIRef
    MinimumImportPrice: URIRef
    PriceUndertaking: URIRef
    Exemption: URIRef
    RemedyStage: URIRef
    provisional: URIRef
    definitive: URIRef
    TradeRemedyInvestigation: URIRef
    AntiDumpingInvestigation: URIRef
    AntiSubsidyInvestigation: URIRef
    SafeguardInvestigation: URIRef
    Section232Investigation: URIRef
    Section301Investigation: URIRef
    TradeDispute: URIRef
    OfficialRecord: URIRef
    FederalRegisterDocument: URIRef
    EURegulation: URIRef
    WTODisputeRecord: URIRef
    GTAIntervention: URIRef
    RecordDocument: URIRef      # a loaded document reproducing an official record (not a NewsArticle)

    # --- claims, events, attribution ---------------------------------------
    Claim: URIRef
    Event: URIRef
    Negotiation: URIRef
    Meeting: URIRef
    Visit: URIRef
    Statement: URIRef
    Denial: URIRef
    Confirmation: URIRef
    Invitation: URIRef
    PolicyAction: URIRef
    TariffImposition: URIRef
    TariffIncrease: URIRef
    TariffReduction: URIRef
    TariffSuspension: URIRef
    TradeAgreement: URIRef
    Investment: URIRef
    Merger: URIRef              # organisations combining, or one acquiring another
    Report: URIRef
    MeasureAdoption: URIRef     # a measure's life cycle: adopted, in force, suspended, removed
    EntryIntoForce: URIRef
    MeasureSuspension: URIRef
    MeasureRemoval: URIRef
    Retaliation: URIRef
    InvestigationStep: URIRef
    InvestigationInitiation: URIRef
    PreliminaryDetermination: URIRef
    FinalDetermination: URIRef
    ExpiryReview: URIRef
    InvestigationTermination: URIRef
    DisputeStep: URIRef
    ConsultationRequest: URIRef
    PanelRequest: URIRef
    PanelRuling: URIRef
    DisputeAppeal: URIRef
    Attribution: URIRef

    # --- controlled values (classes and their individuals) -----------------
    Stance: URIRef
    supports: URIRef
    opposes: URIRef
    criticises: URIRef
    complains: URIRef
    comments: URIRef
    Certainty: URIRef
    certain: URIRef
    probable: URIRef
    possible: URIRef
    Polarity: URIRef
    positive: URIRef
    negative: URIRef
    ClaimStatus: URIRef
    asserted: URIRef
    reported: URIRef
    confirmed: URIRef
    denied: URIRef
    contested: URIRef

    # --- entity properties -------------------------------------------------
    name: URIRef                # preferred label (also rdfs:label)
    alias: URIRef
    country: URIRef             # Agent/Place/Product -> Country
    parentOrganization: URIRef
    memberType: URIRef          # AgentGroup -> class of its members
    holder: URIRef              # Position -> Person
    organization: URIRef        # Position -> Organization
    role: URIRef                # Position -> literal ("spokesperson")
    holdsPosition: URIRef       # Person -> Position
    startDate: URIRef
    endDate: URIRef

    # --- policy properties -------------------------------------------------
    rate: URIRef                # percent, xsd:decimal
    goods: URIRef               # Tariff -> Product
    effectiveDate: URIRef
    imposedBy: URIRef           # Policy -> Agent
    targetJurisdiction: URIRef  # Policy -> Country
    targetCompany: URIRef       # Policy -> Company
    legalBasis: URIRef          # Policy -> LegalBasis
    condition: URIRef           # Policy -> literal: when a conditional rate applies
    remedyStage: URIRef         # Policy -> RemedyStage
    quotaVolume: URIRef
    outOfQuotaRate: URIRef
    exemptFrom: URIRef          # Exemption -> Policy
    inResponseTo: URIRef        # anything -> the Policy it answers
    hsCode: URIRef              # Product -> "8703", "8507.60"
    makes: URIRef               # Company -> Product
    memberOf: URIRef            # Country -> the customs union it belongs to
    investigatedBy: URIRef
    investigatedProduct: URIRef
    investigatedJurisdiction: URIRef
    petitioner: URIRef
    investigation: URIRef       # InvestigationStep -> Investigation
    complainant: URIRef
    respondent: URIRef
    disputedMeasure: URIRef
    dispute: URIRef             # DisputeStep -> TradeDispute
    officialRecord: URIRef      # measure -> OfficialRecord
    sourceRecord: URIRef        # loaded document -> the OfficialRecord it reproduces
    documentNumber: URIRef
    citation: URIRef
    regulationNumber: URIRef
    disputeNumber: URIRef
    interventionId: URIRef
    stateActId: URIRef
    recordType: URIRef
    gtaEvaluation: URIRef
    signingDate: URIRef
    publicationDate: URIRef
    recordUrl: URIRef

    # --- event roles -------------------------------------------------------
    date: URIRef
    participant: URIRef
    topic: URIRef
    purpose: URIRef
    location: URIRef
    visitor: URIRef
    host: URIRef
    speaker: URIRef
    speakerDescription: URIRef
    onBehalfOf: URIRef
    addressee: URIRef
    quote: URIRef
    stance: URIRef
    stanceTarget: URIRef
    denies: URIRef
    confirms: URIRef
    inviter: URIRef
    invitee: URIRef
    during: URIRef
    actor: URIRef
    policy: URIRef
    investor: URIRef
    product: URIRef
    amount: URIRef
    reporter: URIRef
    reports: URIRef
    citesSource: URIRef
    anonymousSourceCount: URIRef
    sourceDescription: URIRef

    # --- attribution -------------------------------------------------------
    claim: URIRef               # Attribution -> Claim
    statedIn: URIRef            # Attribution -> article
    assertedBy: URIRef          # Attribution -> Agent (the publisher by default)
    viaReport: URIRef           # Attribution -> Report it relays
    certainty: URIRef
    polarity: URIRef
    evidence: URIRef            # Attribution -> oa:Annotation
    status: URIRef              # Claim -> ClaimStatus (derived graph)

    # --- a claim's summary (derived at load, graph/summaries.py) -----------
    statedInArticle: URIRef
    articleIds: URIRef
    articleCount: URIRef
    firstStated: URIRef
    reportedBy: URIRef
    deniedBy: URIRef
    confirmedBy: URIRef
    party: URIRef
    kind: URIRef
    digest: URIRef

    # --- alignment annotations ---------------------------------------------
    cameoCode: URIRef
    ploverCode: URIRef
    mastCode: URIRef
    gtaInterventionType: URIRef

    # --- identity across articles (graph/identity/) ------------------------
    claimKey: URIRef            # Attribution -> what its claim says, as a string
    annotatorId: URIRef         # Attribution -> the id the article gave its claim


ID = Namespace("https://w3id.org/autokg/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")
XSD_NS = Namespace("http://www.w3.org/2001/XMLSchema#")

# Named graphs that are not articles: the ontology itself and the shared entity registry.
# The default graph is the merged knowledge graph (every named graph's triples, once) plus
# the claim statuses derived across all articles; queries read it.
ONTOLOGY_GRAPH = ID["graph/ontology"]
REGISTRY_GRAPH = ID["graph/registry"]

PREFIXES = {
    "ak": str(AK._NS),
    "id": str(ID),
    "oa": str(OA),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "org": str(ORG),
    "sem": str(SEM),
    "wd": str(WD),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": str(XSD_NS),
}

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower-case ASCII slug: ``"Ford Motor Co."`` -> ``"ford-motor-co"``.

    IRIs are only ever built from slugs, so no annotation text reaches an IRI raw.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")


def distinct_slug(text: str) -> str:
    """A slug that keeps texts apart when ``slugify`` would drop what tells them apart.

    Letters and digits with no ASCII form (``发言人``, ``部长``) vanish from a slug; such a
    text gets a short hash of itself appended (``"部长"`` -> ``"h-1b2c3d4e"``), so two
    roles written in Chinese do not become one. ASCII text, and accented Latin text whose
    accents fold away (``Zürich``), keeps its plain slug.
    """
    slug = slugify(text)
    folded = unicodedata.normalize("NFKC", text).casefold()
    lost = any(not ch.isascii() and ch.isalnum() for ch in unicodedata.normalize("NFKD", folded))
    if not lost:
        return slug
    digest = hashlib.sha1(folded.strip().encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}" if slug else f"h-{digest}"


def entity_iri(slug: str) -> str:
    return f"{ID}{slug}"


def event_iri(slug: str) -> str:
    return f"{ID}event/{slug}"


def article_iri(slug: str) -> str:
    return f"{ID}article/{slug}"


def attribution_iri(article: str, event: str) -> str:
    return f"{ID}attribution/{article}/{event}"


def annotation_iri(article: str, event: str, n: int) -> str:
    return f"{ID}annotation/{article}/{event}/{n}"


def mentions_graph(article: str) -> str:
    """The named graph of an article's entity mentions: written beside the article's own graph
    and, unlike it, not merged into the default graph (graph.store, "unmerged" graphs)."""
    return f"{MENTIONS_GRAPHS}{article}"


MENTIONS_GRAPHS = f"{ID}mentions/"


def mention_iri(article: str, span: str) -> str:
    """An entity mention of an article (an oa:Annotation motivated by oa:identifying), named by
    its span (``"12-18"``)."""
    return f"{ID}mention/{article}/{span}"


def position_iri(person: str, organization: str, role: str) -> str:
    return f"{ID}position/{person}/{organization}/{distinct_slug(role)}"
