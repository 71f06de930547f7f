"""Claim keys: what a claim says, as one comparable string, whatever id an annotator typed.

A key is built from the claim's kind, the fillers of its roles (entities, policies, the
claims it refers to, controlled values), its date or period and its numbers (a rate, an
amount). Free text (a topic, a quote, a description of a source) is left out: two articles
word a topic differently and still state one claim. Two claims with equal keys are one
claim; claims that share kind and parties but differ only where the text is vague (a date
given to the month in one and to the day in another, or not at all) are *candidates*:
``near_match`` says so, a person decides (see ``graph.identity.judgements``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["claim_key", "split_key", "conflicts", "KeyParts", "DESCRIPTIVE_ROLES", "PARTY_ROLES", "DATE_ROLES",
           "dates_compatible", "topics_alike", "near_match"]

# Roles that describe a claim in words rather than say what it is: they never part two claims.
DESCRIPTIVE_ROLES = frozenset({
    "topic", "purpose", "quote", "speakerDescription", "sourceDescription", "anonymousSourceCount",
    "citesSource", "name", "alias",
})
# Roles that name who takes part: a candidate must have the same ones.
PARTY_ROLES = frozenset({
    "participant", "inviter", "invitee", "speaker", "onBehalfOf", "actor", "investor", "reporter",
    "visitor", "host", "imposedBy", "addressee",
})
DATE_ROLES = frozenset({"date", "effectiveDate", "startDate", "endDate"})

_FIELD = "|"
_ROLE = "="
_FILLER = ","
_UNSAFE = re.compile(r"[|=,\s]+")


def _local(name: str) -> str:
    """``https://w3id.org/autokg#Negotiation`` -> ``Negotiation``; a local name stays as it is."""
    return re.split(r"[#/]", name)[-1] if "://" in name else name


_SEPARATORS = frozenset("|=, \t\n\r")


def _filler(value: object) -> str:
    text = str(value)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if _SEPARATORS.isdisjoint(text):    # the usual filler, an id or IRI: nothing to clean
        return text
    return _UNSAFE.sub(" ", text).strip()


def claim_key(kind: str, roles: Mapping[str, Iterable[object]], date: str | None = None) -> str:
    """The identity of a claim as a string: equal strings, one claim.

    Parameters
    ----------
    kind
        The claim's class, as a local name (``"Negotiation"``) or an IRI.
    roles
        Role name (the ontology's property name, ``participant``, ``onBehalfOf``...) -> the
        fillers: entity or claim IRIs (or ids), controlled values, dates, numbers. The order
        of fillers does not matter; roles in ``DESCRIPTIVE_ROLES`` are ignored.
    date
        The claim's date or period (``2026-02``), if not given among the roles as ``date``.

    >>> claim_key("Negotiation", {"participant": ["id:xiaomi", "id:ford"], "topic": ["JV"]}, "2026-02")
    'Negotiation|date=2026-02|participant=id:ford,id:xiaomi'
    """
    parts: dict[str, set[str]] = {}
    for role, fillers in roles.items():
        name = _local(role)
        if name in DESCRIPTIVE_ROLES:
            continue
        values = {f for f in (_filler(v) for v in fillers if v is not None) if f}
        if values:
            parts.setdefault(name, set()).update(values)
    if date:
        parts.setdefault("date", set()).add(_filler(date))
    fields = [_local(kind)] + [f"{role}{_ROLE}{_FILLER.join(sorted(values))}" for role, values in sorted(parts.items())]
    return _FIELD.join(fields)


@dataclass(frozen=True)
class KeyParts:
    """A key taken apart: the kind and each role's fillers."""

    kind: str
    roles: dict[str, frozenset[str]]

    def parties(self) -> dict[str, frozenset[str]]:
        return {r: v for r, v in self.roles.items() if r in PARTY_ROLES}

    def dates(self) -> dict[str, frozenset[str]]:
        return {r: v for r, v in self.roles.items() if r in DATE_ROLES}

    def rest(self) -> dict[str, frozenset[str]]:
        return {r: v for r, v in self.roles.items() if r not in PARTY_ROLES and r not in DATE_ROLES}


def split_key(key: str) -> KeyParts:
    """The parts of a key made by ``claim_key``."""
    kind, *fields = key.split(_FIELD)
    roles = {}
    for f in fields:
        role, _, values = f.partition(_ROLE)
        roles[role] = frozenset(values.split(_FILLER)) if values else frozenset()
    return KeyParts(kind, roles)


def conflicts(here: str, there: str) -> list[str]:
    """Where two keys of one kind say different things: each role both state with other
    fillers, as ``"date 2026-02-02 here, 2026-02 there"``. A role only one of them states is
    no conflict (one article says less); a different kind is."""
    a, b = split_key(here), split_key(there)
    found = [f"kind {a.kind} here, {b.kind} there"] if a.kind != b.kind else []
    for role in sorted(set(a.roles) & set(b.roles)):
        if a.roles[role] != b.roles[role]:
            found.append(f"{role} {', '.join(sorted(a.roles[role]))} here, {', '.join(sorted(b.roles[role]))} there")
    return found


def dates_compatible(a: Iterable[str], b: Iterable[str]) -> bool:
    """Two sets of dates can mean the same time: one missing, or each date of one lies within
    (or contains) a date of the other (``2026-02`` and ``2026-02-02``; not 2019 and 2025)."""
    a, b = set(a), set(b)
    if not a or not b:
        return True
    return all(any(x.startswith(y) or y.startswith(x) for y in b) for x in a)


_WORD = re.compile(r"\w+")
_STOP = frozenset({"a", "an", "the", "of", "and", "to", "in", "on", "for", "with", "about", "its", "it", "us",
                   "by", "at", "from", "possible", "report", "reported"})


def _words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return {w.rstrip("s") for w in _WORD.findall(folded) if w not in _STOP and len(w) > 1}


def topics_alike(a: Iterable[str], b: Iterable[str]) -> bool:
    """Topics in words that share a content word (or one side has no topic)."""
    wa = set().union(*(_words(t) for t in a)) if a else set()
    wb = set().union(*(_words(t) for t in b)) if b else set()
    return not wa or not wb or bool(wa & wb)


def near_match(a: str, b: str, topics_a: Iterable[str] = (), topics_b: Iterable[str] = ()) -> bool:
    """Two different keys that may still be one claim: same kind and parties, compatible
    dates, the same other fillers where both give them, and topics alike."""
    if a == b:
        return False
    pa, pb = split_key(a), split_key(b)
    if pa.kind != pb.kind or pa.parties() != pb.parties() or not pa.parties():
        return False
    da, db = pa.dates(), pb.dates()
    if not all(dates_compatible(da.get(r, ()), db.get(r, ())) for r in set(da) | set(db)):
        return False
    ra, rb = pa.rest(), pb.rest()
    if any(ra[r] != rb[r] for r in set(ra) & set(rb)):
        return False
    return topics_alike(list(topics_a), list(topics_b))
