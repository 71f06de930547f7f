"""What is already known: tariffs, claims and entities other articles state, so a suggestion reuses their ids.

A suggested tariff with the rate, authority and goods (and target company) of a known one
is that tariff: the draft declares it with the known id and values and says which article
states it. A suggested claim whose kind and core role fillers equal a known claim's reuses
that claim's id, so loading the draft adds an attribution to the claim instead of a twin.
An entity another article declares (a ministry, a governor, a company the registry lacks)
is found by its name and aliases as the registry's are, and declared again with its id: a
name annotated once is recognised in every later draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..registry import EntityIndex

__all__ = ["KnownTariff", "KnownClaim", "KnownEntity", "Known", "known_from_documents", "known_from_store", "claim_key"]


@dataclass(frozen=True)
class KnownTariff:
    id: str
    article: str
    rate: float
    imposed_by: str | None
    goods: str | None
    target_company: str | None
    targets: frozenset
    values: tuple  # (key, value) pairs to declare it again, as stated


@dataclass(frozen=True)
class KnownEntity:
    id: str
    article: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    positions: tuple[tuple[str, str], ...] = ()  # (organisation id, role)


# The classes of entities another article's declaration lets a draft recognise by name: agents and places,
# not what is article-specific (a group of analysts, a claim's product wording, a policy or an investigation).
# Countries and governments are left to the world's list and its rules, which also make a country's government.
_REUSED_TYPES = ("Automaker", "Company", "Ministry", "Agency", "Legislature", "GovernmentBody", "Association",
                 "MediaOutlet", "Organization", "Person", "Place")


@dataclass(frozen=True)
class KnownClaim:
    id: str
    article: str
    kind: str
    key: tuple


# Roles whose fillers say which claim it is (the rest, a topic or a quote, may be worded differently).
CORE_ROLES = {
    "Negotiation": ("participant",),
    "Meeting": ("participant",),
    "TradeAgreement": ("participant",),
    "Visit": ("visitor", "location"),
    "Invitation": ("inviter", "invitee"),
    "Report": ("reporter",),
    "Investment": ("investor", "location"),
    "Statement": ("speaker", "on_behalf_of", "stance_target"),
    "InvestigationInitiation": ("actor", "investigation"),
    "Denial": ("speaker", "on_behalf_of", "denies"),
    "Confirmation": ("speaker", "on_behalf_of", "confirms"),
}


def claim_key(kind: str, roles: dict[str, set[str]]) -> tuple | None:
    """Kind and core role fillers: two claims with the same key say the same thing."""
    core = CORE_ROLES.get(kind)
    if core is None:
        return None
    values = tuple(frozenset(roles.get(r, ())) for r in core)
    if not any(values):
        return None
    return (kind, *values)


@dataclass
class Known:
    tariffs: list[KnownTariff] = field(default_factory=list)
    claims: list[KnownClaim] = field(default_factory=list)
    entities: list[KnownEntity] = field(default_factory=list)
    _extended: dict = field(default_factory=dict, repr=False, compare=False)  # id(registry) -> (index, matcher)

    def extend(self, index: EntityIndex):
        """The registry with the known entities it lacks (none whose name the registry gives another
        entity), and a matcher over both; (index, None) when nothing is added."""
        cached = self._extended.get(id(index))
        if cached is not None and cached[0] is index:
            return cached[1], cached[2]
        from ..readers.annotations import EntityDecl, PositionDecl, Value
        from .entities import EntityMatcher, cues

        # a capital stands for its state in the rules ("talks in Washington"), whatever another article declared
        capitals = set(cues()["capitals"])

        def free(name: str) -> bool:
            return not index.resolve(name) and name.lower() not in capitals

        extended, added = index.copy(), False
        for e in self.entities:
            if e.id in extended.entities or not free(e.name):
                continue
            props = {"country": [Value(e.country)]} if e.country else {}
            posts = [PositionDecl(Value(org), role) for org, role in e.positions]
            extended.add(EntityDecl(e.id, e.type, e.name, aliases=[a for a in e.aliases if free(a)], props=props,
                                    positions=posts))
            added = True
        result = (extended, EntityMatcher(extended)) if added else (index, None)
        self._extended[id(index)] = (index, *result)
        return result

    def tariff(
        self, rate: float, imposed_by: str | None, goods: str | None, target_company: str | None, targets=()
    ) -> KnownTariff | None:
        for t in self.tariffs:
            if t.rate == rate and t.imposed_by == imposed_by and imposed_by is not None and t.target_company == target_company:
                if targets and t.targets and not (set(targets) & t.targets):
                    continue
                # a tariff on no named goods is the same as one on named goods only for the same targets
                if goods == t.goods or ((goods is None or t.goods is None) and set(targets) == set(t.targets)):
                    return t
        return None

    def claim(self, kind: str, roles: dict[str, set[str]]) -> KnownClaim | None:
        key = claim_key(kind, roles)
        if key is None:
            return None
        return next((c for c in self.claims if c.key == key), None)

    def without(self, article: str) -> Known:
        if all(x.article != article for x in (*self.tariffs, *self.claims, *self.entities)):
            return self  # nothing of this article: the same, with its extended registry kept
        return Known([t for t in self.tariffs if t.article != article], [c for c in self.claims if c.article != article],
                     [e for e in self.entities if e.article != article])


def known_from_documents(docs, index: EntityIndex) -> Known:
    """Tariffs and claims stated by annotated articles (ArticleDoc), with their ids resolved."""
    known = Known()
    for doc in docs:
        local = index.copy()
        for decl in doc.entities:
            if decl.id not in index.entities:
                local.add(decl)

        def resolve(raw, local=local) -> str:
            text = str(raw)
            return local.resolve(text) or text

        for decl in doc.entities:
            props = {_snake(k): v for k, v in decl.props.items()}
            if decl.id not in index.entities and "rate" not in props and _reused(decl.type):
                country = props.get("country")
                posts = tuple((resolve(p.organization.raw), p.role) for p in decl.positions)
                known.entities.append(KnownEntity(decl.id, doc.id, decl.type, decl.name or decl.id, tuple(decl.aliases),
                                                  resolve(country[0].raw) if country else None, posts))
            if "rate" not in props:
                continue
            try:
                rate = float(props["rate"][0].raw)
            except (TypeError, ValueError):
                continue

            def one(key, props=props):
                values = props.get(key)
                return resolve(values[0].raw) if values else None

            values = [("type", decl.type or "Tariff"), ("name", decl.name or decl.id), ("rate", props["rate"][0].raw)]
            for key in (
                "goods",
                "effective_date",
                "end_date",
                "imposed_by",
                "target_jurisdiction",
                "target_company",
                "legal_basis",
            ):
                if key in props:
                    raw = [str(v.raw) for v in props[key]]
                    values.append((key, raw[0] if len(raw) == 1 else tuple(raw)))
            targets = frozenset(resolve(v.raw) for v in props.get("target_jurisdiction", []))
            known.tariffs.append(
                KnownTariff(
                    resolve(decl.id), doc.id, rate, one("imposed_by"), one("goods"), one("target_company"), targets, tuple(values)
                )
            )
        event_ids = {ev.id for ev in doc.events}
        for ev in doc.events:
            roles: dict[str, set[str]] = {}
            for role, values in ev.props.items():
                out = set()
                for v in values:
                    for item in v.raw if isinstance(v.raw, list) else [v.raw]:
                        text = str(item).removeprefix("event:")
                        out.add(text if text in event_ids else resolve(text))
                roles[_snake(role)] = out
            key = claim_key(ev.type, roles)
            if key is not None:
                known.claims.append(KnownClaim(ev.id, doc.id, ev.type, key))
    return known


def known_from_store(store, index: EntityIndex) -> Known:
    """The entities the store's articles declare that the registry lacks (one query, about 0.9 s at
    10,000 articles)."""
    from ..queries import internal_query
    from ..terms import ID

    base, article, ns = str(ID), str(ID) + "article/", "https://w3id.org/autokg#"
    known = Known()
    for row in store.query(internal_query("declared-entities.rq")).records():
        if not row["entity"].startswith(base) or not (row["graph"] or "").startswith(article):
            continue
        slug = row["entity"][len(base):]
        kind = _most_specific([c[len(ns):] for c in (row["classes"] or "").split() if c.startswith(ns)])
        if kind is None or slug in index.entities:
            continue
        aliases = tuple(a for a in (row["aliases"] or "").split("\n") if a)
        known.entities.append(KnownEntity(slug, row["graph"][len(article):], kind, row["name"] or slug, aliases))
    return known


def _reused(kind: str | None) -> bool:
    from .entities import base_type

    return bool(kind) and base_type(kind) in _REUSED_TYPES


def _most_specific(classes: list[str]) -> str | None:
    from .entities import BASE_TYPES, base_type

    ranked = sorted((BASE_TYPES.index(base_type(c)), c) for c in classes if base_type(c) in BASE_TYPES)
    return ranked[0][1] if ranked and base_type(ranked[0][1]) in _REUSED_TYPES else None


def _snake(name: str) -> str:
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
