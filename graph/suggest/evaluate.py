"""Precision and recall of ``autokg suggest`` against hand annotations.

Each hand-annotated article (YAML, brat or Label Studio) is suggested again from its text
alone, with its own publisher, date, headline and id, and compared:

- **entities**: per article, the entities the annotation refers to (role fillers, declared
  entities, posts' organisations, and what a declared entity refers to, whatever its type:
  a tariff's or a ban's goods, authority, targets, target company and legal basis) against
  those the draft refers to, by the same rule; a registry entity matches by id, a new entity
  by its name or alias (ids of new entities are the annotator's choice).
  An unnamed group (AgentGroup) is matched by its description: one's words all in the other's
  ("Analysts" and "Analysts of China's car imports").
- **claims**: a suggested claim matches a hand-annotated one of the same kind whose core
  role fillers it shares (participants, speaker or on whose behalf, inviter and invitee,
  visitor, investor, reporter, actor...), and, where both name one, the same target
  (stance target, denied claim, policy's rate); every claim counts once. A stance on a tariff is one on
  the act that imposes it: their targets match when the rates of the policies they are or act on overlap.
- **tariff facts**: a hand-annotated tariff is matched exactly when the draft has a tariff
  with the same rate, imposing authority and effective date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AnnotationError, Problem
from ..registry import EntityIndex, normalise_name

__all__ = ["Score", "Evaluation", "evaluate_dir", "evaluate_documents"]


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.predicted += other.predicted
        self.expected += other.expected


@dataclass
class Evaluation:
    """Scores per kind (entities, claims, claims of each event class, tariff facts) and per article."""

    scores: dict[str, Score] = field(default_factory=dict)
    articles: list[tuple[str, dict[str, Score]]] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def score(self, kind: str) -> Score:
        return self.scores.setdefault(kind, Score())

    def rows(self) -> list[dict]:
        order = ["entities", "claims", "tariff facts"]
        kinds = order + sorted(k for k in self.scores if k not in order)
        return [
            {
                "kind": k,
                "precision": round(self.scores[k].precision, 3),
                "recall": round(self.scores[k].recall, 3),
                "matched": self.scores[k].true_positives,
                "suggested": self.scores[k].predicted,
                "annotated": self.scores[k].expected,
            }
            for k in kinds
            if k in self.scores
        ]


_CORE = {
    "Negotiation": [("participant",)],
    "Meeting": [("participant", "visitor", "host")],
    "TradeAgreement": [("participant",)],
    "Visit": [("visitor",)],
    "Invitation": [("inviter",), ("invitee",)],
    "Report": [("reporter",)],
    "Investment": [("investor",)],
    "Statement": [("speaker", "on_behalf_of")],
    "Denial": [("speaker", "on_behalf_of")],
    "Confirmation": [("speaker", "on_behalf_of")],
    "TariffImposition": [("actor",)],
    "TariffIncrease": [("actor",)],
    "TariffReduction": [("actor",)],
    "TariffSuspension": [("actor",)],
    "Merger": [("participant",)],
    "ConsultationRequest": [("actor",)],
    "PanelRequest": [("actor",)],
    "InvestigationInitiation": [("actor",)],
    "Retaliation": [("actor",)],
    "MeasureRemoval": [("actor",)],
    "MeasureSuspension": [("actor",)],
    "MeasureAdoption": [("actor",)],
    "EntryIntoForce": [("actor",)],
}
_POLICY_KINDS = ("Retaliation", "MeasureAdoption", "EntryIntoForce", "MeasureSuspension", "MeasureRemoval")
_TARGETS = ("stance_target", "denies", "confirms", "location", "dispute", "investigation")


def evaluate_dir(folder: Path | str, registry: Path | str | None = None, *, use_known: bool = True,
                 earlier: tuple = ()) -> Evaluation:
    """Suggest every hand-annotated article under ``folder`` from its text and score the suggestions
    (official records under it are not articles and are left out). ``earlier``: folders whose articles
    the store holds besides the others of ``folder`` (with ``use_known``), as an analyst's store holds
    what was annotated before."""
    from ..loading import find_article_files, find_registry, read_documents
    from ..readers.mapping import read_mapping
    from ..registry import read_registry

    folder = Path(folder)
    registry_path = Path(registry) if registry else find_registry([folder])
    if registry_path is None:
        raise AnnotationError([Problem(str(folder), None, "no entities.yaml in this folder or above it: give --registry")])
    index = read_registry(registry_path)
    mapping = read_mapping(None)

    def articles(where: Path) -> list:
        docs = []
        for path in find_article_files([where]):
            docs.extend(read_documents(path, "auto", mapping, index, []))
        # Official records (Federal Register documents, GTA exports) load beside the articles, but their
        # claims come from their fields by a reader, not from a hand annotation of their text.
        return [d for d in docs if not getattr(d, "record", None)]

    prior = [d for where in earlier for d in articles(Path(where))]
    return evaluate_documents(articles(folder), index, use_known=use_known, prior=prior)


def evaluate_documents(docs, index: EntityIndex, *, use_known: bool = True, prior=()) -> Evaluation:
    """Score suggestions for ``docs``; with ``use_known`` each article is suggested with the others
    (and the ``prior`` articles) as what the store holds (leave one out), as `autokg suggest` uses
    the store."""
    from .draft import Source, make_draft
    from .entities import EntityMatcher
    from .known import known_from_documents

    matcher = EntityMatcher(index)
    governs = {
        d.id: str(d.props["country"][0].raw) for d in index.entities.values() if d.type == "Government" and d.props.get("country")
    }
    everything = known_from_documents([*prior, *docs], index) if use_known else None
    result = Evaluation()
    for doc in docs:
        source = Source(doc.path, doc.text, doc.id, doc.headline, str(doc.publisher.raw), str(doc.date.raw))
        known = everything.without(doc.id) if everything is not None else None
        draft = make_draft(source, index, matcher=matcher, known=known)
        gold = _Side.from_document(doc, index)
        pred = _Side.from_draft(draft, index)
        # the governments the annotation declares act for their countries too, as the registry's do
        gold.governs = {**governs, **{d.id: str(d.props["country"][0].raw) for d in doc.entities
                                      if d.type == "Government" and d.props.get("country")}}
        scores = {"entities": _entity_score(gold, pred, result.misses, doc.id)}
        claims, per_kind = _claim_score(gold, pred, result.misses, doc.id)
        scores["claims"] = claims
        for kind, score in per_kind.items():
            scores[f"claims: {kind}"] = score
        scores["tariff facts"] = _tariff_score(gold, pred, result.misses, doc.id)
        for kind, score in scores.items():
            result.score(kind).add(score)
        result.articles.append((doc.id, scores))
    return result


@dataclass
class _Event:
    id: str
    kind: str
    roles: dict[str, set[str]]


@dataclass
class _Side:
    entities: set[str]
    names: dict[str, set[str]]  # entity id -> normalised names (new entities)
    events: list[_Event]
    tariffs: dict[str, tuple]  # tariff id -> (rate, authority, effective date)
    resolve: object
    governs: dict[str, str] = field(default_factory=dict)  # a government's id -> its country's id
    groups: set[str] = field(default_factory=set)  # new unnamed groups (AgentGroup): their "names" are descriptions

    @classmethod
    def from_document(cls, doc, index: EntityIndex) -> _Side:
        local = index.copy()
        names: dict[str, set[str]] = {}
        for decl in doc.entities:
            if decl.id not in index.entities:
                local.add(decl)
            names[decl.id] = {normalise_name(n) for n in [decl.name or "", *decl.aliases] if n} or {
                normalise_name(decl.id.replace("-", " "))
            }

        def resolve(raw) -> str:
            text = str(raw)
            return local.resolve(text) or text

        entities: set[str] = set()
        tariffs = {}
        event_ids = {ev.id for ev in doc.events}
        for decl in doc.entities:
            decl.props = {_snake(k): v for k, v in decl.props.items()}
            entities |= _declared(
                resolve(decl.id),
                [resolve(pos.organization.raw) for pos in decl.positions],
                {key: [resolve(v.raw) for v in decl.props.get(key, [])] for key in _REFERENCES},
            )
            if "rate" in decl.props:
                rate = decl.props["rate"][0].raw
                eff = decl.props.get("effective_date", [None])[0]
                auth = decl.props.get("imposed_by", [None])[0]
                tariffs[resolve(decl.id)] = (_float(rate), resolve(auth.raw) if auth else None, str(eff.raw) if eff else None)
        events = []
        for ev in doc.events:
            roles: dict[str, set[str]] = {}
            for role, values in ev.props.items():
                role = _snake(role)
                if role in _NOT_ROLES:
                    continue
                out = set()
                for v in values:
                    items = v.raw if isinstance(v.raw, list) else [v.raw]
                    for item in items:
                        text = str(item).removeprefix("event:")
                        out.add(text if text in event_ids else resolve(text))
                roles[role] = out
                entities |= _fillers(role, out, event_ids, tariffs)
            events.append(_Event(ev.id, ev.type, roles))
        entities.add(resolve(doc.publisher.raw))
        entities -= set(tariffs)
        groups = {decl.id for decl in doc.entities if decl.type == "AgentGroup" and decl.id not in index.entities}
        return cls(entities, names, events, tariffs, resolve, groups=groups)

    @classmethod
    def from_draft(cls, draft, index: EntityIndex) -> _Side:
        names: dict[str, set[str]] = {}
        for ent in draft.analysis.new_entities.values():
            names[ent.id] = {normalise_name(ent.name)}
        entities: set[str] = set()
        tariffs = {}
        for item in draft.entities:
            data = item.data
            entities |= _declared(
                data["id"],
                [pos["organization"] for pos in data.get("positions", [])],
                {key: [str(v) for v in _listed(data.get(key))] for key in _REFERENCES},
            )
            if "rate" in data:
                tariffs[data["id"]] = (_float(data["rate"]), data.get("imposed_by"),
                                       str(data["effective_date"]) if data.get("effective_date") else None)
        events = []
        event_ids = {item.data["id"] for item in draft.events}
        for item in draft.events:
            roles = {}
            for role, value in item.data.items():
                if role in ("id", "type", "evidence", *_NOT_ROLES):
                    continue
                roles[role] = {str(v) for v in (value if isinstance(value, list) else [value])}
                entities |= _fillers(role, roles[role], event_ids, tariffs)
            events.append(_Event(item.data["id"], item.data["type"], roles))
        entities.add(draft.source.publisher)
        entities -= set(tariffs)
        groups = {ent.id for ent in draft.analysis.new_entities.values() if getattr(ent, "type", None) == "AgentGroup"}
        return cls(entities, names, events, tariffs, lambda x: x, groups=groups)


# What a declaration refers to counts as an entity the article names, whatever the declared entity's type
# (a tariff's goods and authority, a ban's target company, a measure's law), on both sides alike.
_REFERENCES = ("goods", "imposed_by", "target_jurisdiction", "target_company", "legal_basis")


def _declared(entity: str, organizations: list[str], props: dict[str, list[str]]) -> set[str]:
    """The entities one declaration counts, hand-annotated or drafted: the declared entity (a tariff is
    taken out again, being scored as a tariff fact), its posts' organisations and what it refers to."""
    found = {entity, *organizations}
    for key in _REFERENCES:
        found.update(props.get(key, []))
    return found


# Roles whose fillers are claims, or what a statement is about (counted only when it is an entity).
_NOT_NAMED = ("denies", "confirms", "reports", "during", "stance_target")


# What a claim says that is no role filler, in a hand annotation and in a draft alike: texts, numbers,
# its stance, and whether it holds (polarity, certainty: a plant closed is an Investment that does not).
_NOT_ROLES = ("topic", "quote", "date", "purpose", "amount", "speaker_description", "source_description",
              "anonymous_source_count", "stance", "polarity", "certainty")


def _fillers(role: str, values: set[str], event_ids: set[str], tariffs: dict) -> set[str]:
    """The entities a claim's role counts, hand-annotated or drafted: not the claims it points at, and of
    what a statement is about only an entity other than a tariff. A policy acted on counts like any role
    (a tariff is taken out again, being scored as a tariff fact)."""
    if role == "stance_target":
        return {x for x in values if x not in event_ids and x not in tariffs}
    if role in _NOT_NAMED:
        return set()
    return {x for x in values if x not in event_ids}


def _listed(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def _snake(name: str) -> str:
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _entity_matches(gold: _Side, pred: _Side, g: str, p: str) -> bool:
    if g == p:
        return True
    # a country acts through its government: "Canada will impose" is the Government of Canada imposing
    if gold.governs.get(g) == p or gold.governs.get(p) == g:
        return True
    pn = pred.names.get(p)
    gn = gold.names.get(g)
    if pn and gn and pn & gn:
        return True
    # an unnamed group is told by what it is, in either's words: "Analysts" is "Analysts of China's car imports"
    if p in pred.groups and g in gold.groups:
        return any(_described_alike(a, b) for a in pn or () for b in gn or ())
    return False


def _described_alike(a: str, b: str) -> bool:
    """Whether one group's description has every word of the other's ("environmental groups" and "Canadian
    environmental groups"), a plural's "s" aside."""
    def words(text: str) -> set[str]:
        return {w.rstrip("s") for w in text.split() if w not in ("some", "the", "of", "and")}

    wa, wb = words(a), words(b)
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def _entity_score(gold: _Side, pred: _Side, misses: list[str], article: str) -> Score:
    score = Score(predicted=len(pred.entities), expected=len(gold.entities))
    unmatched = set(gold.entities)
    # the same id first, so that "vietnam" is not taken by the annotation's government of Vietnam
    # while the annotation's "vietnam" is left over
    same = pred.entities & unmatched
    score.true_positives += len(same)
    unmatched -= same
    for p in sorted(pred.entities - same):
        hit = next((g for g in sorted(unmatched) if _entity_matches(gold, pred, g, p)), None)
        if hit:
            score.true_positives += 1
            unmatched.discard(hit)
        else:
            misses.append(f"{article}: entity suggested, not annotated: {p}")
    misses.extend(f"{article}: entity annotated, not suggested: {g}" for g in sorted(unmatched))
    return score


def _same(gold: _Side, pred: _Side, gs: set[str], ps: set[str]) -> bool:
    return any(_entity_matches(gold, pred, g, p) for g in gs for p in ps)


def _claims_match(gold: _Side, pred: _Side, g: _Event, p: _Event, pairs: dict[str, str], strict: bool = False) -> bool:
    if g.kind != p.kind:
        return False
    if strict and any(g.roles.get(r) and not p.roles.get(r) for r in _TARGETS):
        return False
    for group in _CORE.get(g.kind, []):
        gs = set().union(*(g.roles.get(r, set()) for r in group))
        ps = set().union(*(p.roles.get(r, set()) for r in group))
        if g.kind in ("Negotiation", "Meeting", "TradeAgreement", "Merger"):
            if not gs or len(ps) < 2 or sum(1 for x in ps if _same(gold, pred, gs, {x})) < min(2, len(gs)):
                return False
            continue
        if gs and not _same(gold, pred, gs, ps):
            return False
    for role in _TARGETS:
        gs, ps = g.roles.get(role), p.roles.get(role)
        if gs and ps:
            mapped = {pairs.get(x, x) for x in ps}
            if not (_same(gold, pred, gs, mapped) or _tariffs_overlap(gold, pred, gs, ps)
                    or (role == "stance_target" and _acts_on_alike(gold, pred, gs, ps))):
                return False
    if (g.kind.startswith("Tariff") or g.kind in _POLICY_KINDS) and g.roles.get("policy") and p.roles.get("policy"):
        # a policy's rate is what tells two acts apart; measures without one (licences, rules) are told apart
        # by their actor, whose ids are the annotator's and the suggester's own choice otherwise
        rated = any(x in gold.tariffs for x in g.roles["policy"]) and any(x in pred.tariffs for x in p.roles["policy"])
        if rated and not _tariffs_overlap(gold, pred, g.roles["policy"], p.roles["policy"]):
            return False
        if not rated and any(x in gold.tariffs for x in g.roles["policy"]) != any(x in pred.tariffs for x in p.roles["policy"]):
            return False
    return True


def _acts_on_alike(gold: _Side, pred: _Side, gs: set[str], ps: set[str]) -> bool:
    """A stance on a tariff and a stance on the act that imposes it are one stance: the rates of the policies
    the targets are, or that the target claims act on, overlap ("opposes the 15% tariff" and "opposes
    China's imposing it")."""
    def rates(side: _Side, targets: set[str]) -> set:
        policies = set(targets)
        for ev in side.events:
            if ev.id in targets:
                policies |= ev.roles.get("policy", set())
        return {side.tariffs[x][0] for x in policies if x in side.tariffs}

    return bool(rates(gold, gs) & rates(pred, ps))


def _tariffs_overlap(gold: _Side, pred: _Side, gs: set[str], ps: set[str]) -> bool:
    grates = {gold.tariffs[x][0] for x in gs if x in gold.tariffs}
    prates = {pred.tariffs[x][0] for x in ps if x in pred.tariffs}
    return bool(grates & prates)


def _claim_score(gold: _Side, pred: _Side, misses: list[str], article: str) -> tuple[Score, dict[str, Score]]:
    score = Score(predicted=len(pred.events), expected=len(gold.events))
    per_kind: dict[str, Score] = {}
    for ev in gold.events:
        per_kind.setdefault(ev.kind, Score()).expected += 1
    for ev in pred.events:
        per_kind.setdefault(ev.kind, Score()).predicted += 1
    pairs: dict[str, str] = {}
    unmatched = list(gold.events)
    # events other claims point at first (talks before the denial that denies them)
    ordered = sorted(pred.events, key=lambda e: e.kind in ("Denial", "Confirmation", "Report", "Statement", "Invitation"))
    left = []
    # first the pairs that agree on every target the annotation names, then the looser ones
    for strict in (True, False):
        for p in ordered if strict else left:
            hit = next((g for g in unmatched if _claims_match(gold, pred, g, p, pairs, strict)), None)
            if hit:
                unmatched.remove(hit)
                pairs[p.id] = hit.id
                score.true_positives += 1
                per_kind[p.kind].true_positives += 1
            elif strict:
                left.append(p)
            else:
                misses.append(f"{article}: claim suggested, not annotated: {p.kind} {_describe(p)}")
    misses.extend(f"{article}: claim annotated, not suggested: {g.kind} {_describe(g)}" for g in unmatched)
    return score, per_kind


def _describe(ev: _Event) -> str:
    return "; ".join(f"{k}={','.join(sorted(v))}" for k, v in sorted(ev.roles.items()))


def _tariff_score(gold: _Side, pred: _Side, misses: list[str], article: str) -> Score:
    score = Score(predicted=len(pred.tariffs), expected=len(gold.tariffs))
    unmatched = dict(pred.tariffs)
    for gid, facts in gold.tariffs.items():
        hit = next(
            (
                pid
                for pid, pf in unmatched.items()
                if pf == facts or (pf[0] == facts[0] and pf[2] == facts[2] and _authority_equal(gold, pf[1], facts[1]))
            ),
            None,
        )
        if hit:
            score.true_positives += 1
            del unmatched[hit]
        else:
            misses.append(f"{article}: tariff annotated, not suggested exactly: {gid} {facts}")
    misses.extend(f"{article}: tariff suggested, not annotated: {pid} {pf}" for pid, pf in unmatched.items())
    return score


def _authority_equal(gold: _Side, a, b) -> bool:
    return a == b
