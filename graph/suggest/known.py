"""What is already known: tariffs and claims other articles state, so a suggestion reuses their ids.

A suggested tariff with the rate, authority and goods (and target company) of a known one
is that tariff: the draft declares it with the known id and values and says which article
states it. A suggested claim whose kind and core role fillers equal a known claim's reuses
that claim's id, so loading the draft adds an attribution to the claim instead of a twin.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..registry import EntityIndex

__all__ = ["KnownTariff", "KnownClaim", "Known", "known_from_documents", "claim_key"]


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
        return Known([t for t in self.tariffs if t.article != article], [c for c in self.claims if c.article != article])


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


def _snake(name: str) -> str:
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
