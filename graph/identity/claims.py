"""One claim for what several articles state: the merge pass of a load.

Each compiled article brings its claims as ``ClaimFacts`` (kind, role fillers as RDF terms,
topics, evidence quotes). ``identify_claims`` gives every claim its key (``claim_key``, with
the claims it refers to, such as the talks a denial denies, taken as already merged) and
its node:

1. the node of a claim judged ``same`` as this one, if that claim is known;
2. the claim's own node (``event/<id>``) if another article already states a claim under
   that id: an id typed in two articles is one claim, as it always was;
3. the node of a known claim with the same key (a *merge*), unless a judgement says the two
   are ``different``;
4. otherwise its own node; a node another claim already holds is never shared with a claim
   judged different from it: that one gets ``event/<article>-<id>``.

"Known" means stated by an article in the store that this load does not replace, or by an
article earlier in this load; the store's node for a key wins, so reloading keeps nodes
stable and a ``event:<id>`` reference in an article not reloaded keeps pointing at its
claim. Every attribution records the key and the id it was written with
(``ak:claimKey``, ``ak:annotatorId``): a merge is an attribution whose claim node is not
its own id's, which is how ``autokg review`` lists them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..terms import AK, ID, event_iri
from .judgements import Judgements
from .keys import claim_key, conflicts

__all__ = ["ClaimFacts", "KnownClaim", "Merge", "identify_claims", "key_filler", "known_claims", "known_claims_for",
           "known_claims_like", "shared_id_conflicts"]

_EVENT_PREFIX = f"{ID}event/"
_EVENT_TERM = re.compile(r"<" + re.escape(_EVENT_PREFIX) + r"([^>]*)>")
_ID_PREFIX = str(ID)


@dataclass
class ClaimFacts:
    """What one article says about one claim, before it is given its node."""

    article: str
    event_id: str
    kind: str
    attribution: str
    roles: dict[str, list[str]] = field(default_factory=dict)   # role -> N-Triples terms
    topics: list[str] = field(default_factory=list)
    line: int | None = None
    label: str | None = None
    key: str | None = None
    node: str | None = None

    @property
    def own(self) -> str:
        return event_iri(self.event_id)

    @property
    def ref(self) -> str:
        """How a judgement file names this claim: ``<article id>/<event id>``."""
        return f"{self.article}/{self.event_id}"


@dataclass(frozen=True)
class KnownClaim:
    """A claim an article in the store states: its node, key and the id it was written with."""

    article: str
    event_id: str
    node: str
    key: str
    label: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.article}/{self.event_id}"


@dataclass(frozen=True)
class Merge:
    """A claim given another claim's node: by equal keys or by a judgement ``same``."""

    claim: str      # article/event of the claim merged
    into: str       # the node it now shares
    reason: str


def key_filler(term: str) -> str:
    """An N-Triples term as a key filler: an autokg IRI by its path (``ford-motor-company``,
    ``event/x``), another IRI whole, a literal by its lexical form."""
    if term.startswith("<"):
        value = term[1:-1]
        return value[len(_ID_PREFIX):] if value.startswith(_ID_PREFIX) else value
    if term.startswith('"'):
        end = term.rfind('"')
        return term[1:end].encode("utf-8").decode("unicode_escape") if "\\" in term[1:end] else term[1:end]
    return term


def known_claims(store, excluding: Iterable[str] = ()) -> list[KnownClaim]:
    """The claims stated by articles in ``store`` other than the article graphs ``excluding``."""
    from ..queries import internal_query

    skip = set(excluding)
    out = []
    for row in store.query(internal_query("claim-keys.rq")).records():
        if row["article"] in skip:
            continue
        out.append(KnownClaim(row["articleId"], row["annotatorId"], row["claim"], row["key"], row["label"]))
    return out


def known_claims_like(store, keys: Iterable[str] = (), ids: Iterable[str] = (), excluding: Iterable[str] = (),
                      nodes: Iterable[str] = ()) -> list[KnownClaim]:
    """The claims stated by articles in ``store`` (other than the graphs ``excluding``) under one of
    ``keys``, written with one of the annotator ``ids`` or on one of the claim ``nodes``: a look-up by
    value each, not a scan of every claim (``known_claims``), for a few claims against a large store."""
    import pyoxigraph as ox

    from ..queries import internal_query

    query, skip = internal_query("claim-keys.rq"), set(excluding)
    found: dict[tuple[str, str], KnownClaim] = {}
    for var, values, term in (("key", keys, ox.Literal), ("annotatorId", ids, ox.Literal), ("claim", nodes, ox.NamedNode)):
        for value in dict.fromkeys(v for v in values if v):
            for row in store.query(query, {var: term(value)}).records():
                if row["article"] not in skip:
                    claim = KnownClaim(row["articleId"], row["annotatorId"], row["claim"], row["key"], row["label"])
                    found.setdefault((claim.node, claim.ref), claim)
    return list(found.values())


def known_claims_for(store, articles: list, excluding: Iterable[str] = (), judgements: Judgements | None = None,
                     *, scan_above: int = 2000) -> list[KnownClaim]:
    """The stored claims the claims of ``articles`` could take the nodes of, for ``identify_claims``.

    A load of more than ``scan_above`` claims reads every stored claim (``known_claims``). A smaller one
    looks up what it can meet: stored claims under its keys, written with its ids or with the ids its
    judgements name, and every claim on the nodes those are on. A claim that refers to another has its
    key once that one has its node, so the pass runs again, on copies of the articles, until no new
    stored claim turns up (at 10,000 articles a scan takes 5 to 15 s, a look-up a few milliseconds)."""
    from dataclasses import replace

    excluding = list(excluding)
    facts = [f for a in articles for f in getattr(a, "claims", [])]
    if len(facts) > scan_above:
        return known_claims(store, excluding)
    judgements = judgements or Judgements()
    found: dict[tuple[str, str], KnownClaim] = {}
    asked_keys: set[str] = set()
    asked_ids: set[str] = set()
    asked_nodes: set[str] = set()
    for _ in range(8):
        trial = [replace(a, triples=list(a.triples), claims=[replace(f, roles=dict(f.roles)) for f in a.claims])
                 for a in articles]
        identify_claims(trial, list(found.values()), judgements)
        keys, ids = set(), set()
        for fact in (f for a in trial for f in a.claims):
            keys.add(fact.key or "")
            ids.add(fact.event_id)
            for ref in (*judgements.same_as(fact.ref), *judgements.different_from(fact.ref)):
                ids.add(ref.split("/", 1)[-1])
        keys -= asked_keys
        ids -= asked_ids
        nodes = {k.node for k in found.values()} - asked_nodes
        if not keys and not ids and not nodes:
            break
        asked_keys |= keys
        asked_ids |= ids
        asked_nodes |= nodes
        for k in known_claims_like(store, keys, ids, excluding, nodes):
            found.setdefault((k.node, k.ref), k)
    return list(found.values())


def shared_id_conflicts(articles: list, judgements: Judgements | None = None) -> list:
    """Problems (warnings) for claims typed under one id in several of ``articles`` that say
    different things there (``keys.conflicts``: a date, a party, a rate both give otherwise):
    an id typed in two articles is one claim, which then holds both dates or both rates."""
    from ..errors import Problem

    first: dict[str, tuple[str, ClaimFacts]] = {}   # own node -> (its key, the first claim typed under it)
    found = []
    for article in articles:
        for fact in getattr(article, "claims", []):
            key = claim_key(fact.kind, {role: [key_filler(t) for t in terms] for role, terms in fact.roles.items()})
            if fact.own not in first:
                first[fact.own] = (key, fact)
                continue
            other_key, other = first[fact.own]
            if (other.article != fact.article and other.ref not in (judgements or Judgements()).different_from(fact.ref)
                    and (differ := conflicts(key, other_key))):
                found.append(Problem(article.path, fact.line, _conflict_message(fact, other.ref, differ), "WARNING"))
    return found


def _conflict_message(fact: ClaimFacts, other: str, differ: list[str]) -> str:
    return (f"claim id {fact.event_id!r} is also used by {other}, which says otherwise ({'; '.join(differ)}): "
            "one id is one claim and would hold both; if they are two, give this one its own id "
            f"or judge {fact.ref} and {other} different in judgements.yaml (autokg review)")


def identify_claims(articles: list, known: Iterable[KnownClaim] = (), judgements: Judgements | None = None,
                    warnings: list | None = None) -> list[Merge]:
    """Give every claim of ``articles`` (CompiledArticles, in load order) its key and node,
    rewrite their triples to the nodes, and return the merges made. A claim typed under the
    id of a stored claim that says otherwise is a warning in ``warnings`` (among the articles
    themselves, ``shared_id_conflicts`` has told it already)."""
    from ..errors import Problem

    judgements = judgements or Judgements()
    # in one order however they were found (all read, or looked up), so a merge names the same stored claim
    known = sorted(known, key=lambda k: (k.ref, k.node))
    stored = {event_iri(k.event_id): k for k in known}
    by_key: dict[str, str] = {}
    by_id: dict[str, str] = {}               # own node of an annotator id -> the node it has
    holders: dict[str, list[str]] = {}       # node -> refs of the claims on it
    held_key: dict[str, str] = {}            # node -> a key of a claim on it
    label_of: dict[str, str] = {}            # node -> its label: the first article's, for every article
    for k in known:
        if k.label:
            label_of.setdefault(k.node, k.label)
        by_key.setdefault(k.key, k.node)
        by_id.setdefault(event_iri(k.event_id), k.node)
        holders.setdefault(k.node, []).append(k.ref)
        held_key.setdefault(k.node, k.key)
    node_of_ref = {ref: node for node, refs in holders.items() for ref in refs}
    merges: list[Merge] = []

    for article in articles:
        facts: list[ClaimFacts] = getattr(article, "claims", [])
        own = {f.own: f for f in facts}
        mapping: dict[str, str] = {}
        relabel: dict[str, str] = {}
        for fact in _in_dependency_order(facts, own):
            roles = {role: [key_filler(_mapped(t, mapping, by_id)) for t in terms] for role, terms in fact.roles.items()}
            fact.key = claim_key(fact.kind, roles)
            fact.node, reason = _choose(fact, by_key, by_id, holders, node_of_ref, judgements)
            k = stored.get(fact.own)
            if (warnings is not None and k is not None and fact.node == k.node and k.article != fact.article
                    and (differ := conflicts(fact.key, k.key))):
                warnings.append(Problem(article.path, fact.line, _conflict_message(fact, k.ref, differ), "WARNING"))
            if fact.node != fact.own:
                mapping[fact.own] = fact.node
            if reason:
                merges.append(Merge(fact.ref, fact.node, reason))
            by_key.setdefault(fact.key, fact.node)
            by_id.setdefault(fact.own, fact.node)
            holders.setdefault(fact.node, []).append(fact.ref)
            held_key.setdefault(fact.node, fact.key)
            node_of_ref[fact.ref] = fact.node
            if fact.label:
                label = label_of.setdefault(fact.node, fact.label)
                if label != fact.label:
                    relabel[fact.node] = label
        _rewrite(article, facts, mapping, by_id, relabel)
    return merges


def _mapped(term: str, mapping: dict[str, str], by_id: dict[str, str]) -> str:
    if not term.startswith("<" + _EVENT_PREFIX):
        return term
    node = term[1:-1]
    return f"<{mapping.get(node) or by_id.get(node) or node}>"


def _choose(fact: ClaimFacts, by_key, by_id, holders, node_of_ref, judgements: Judgements) -> tuple[str, str | None]:
    for other in judgements.same_as(fact.ref):
        if other in node_of_ref:
            node = node_of_ref[other]
            return node, (f"judged the same as {other}" if node != fact.own else None)
    different = judgements.different_from(fact.ref)

    def apart(node: str) -> bool:   # a claim on ``node`` is judged different from this one
        return bool(different) and not different.isdisjoint(holders.get(node, ()))

    if fact.own in holders and not apart(fact.own):
        return fact.own, None
    node = by_key.get(fact.key)
    if node and node != fact.own and not apart(node):
        return node, f"same claim key as {holders.get(node, [node])[0]}"
    if fact.own in holders:   # the id is taken by a claim judged different from this one
        return event_iri(f"{fact.article}-{fact.event_id}"), None
    return fact.own, None


def _in_dependency_order(facts: list[ClaimFacts], own: dict[str, ClaimFacts]) -> list[ClaimFacts]:
    """Claims before the claims that refer to them (a denial after what it denies)."""
    depth: dict[str, int] = {}

    def visit(fact: ClaimFacts, path: frozenset) -> int:
        if fact.own in depth:
            return depth[fact.own]
        refs = [own[t[1:-1]] for terms in fact.roles.values() for t in terms
                if t.startswith("<" + _EVENT_PREFIX) and t[1:-1] in own and t[1:-1] not in path]
        d = 1 + max((visit(r, path | {fact.own}) for r in refs), default=-1)
        depth[fact.own] = d
        return d

    for f in facts:
        visit(f, frozenset())
    return sorted(facts, key=lambda f: depth[f.own])


_CLAIM_KEY = f"<{AK.claimKey}>"
_ANNOTATOR_ID = f"<{AK.annotatorId}>"


_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def _rewrite(article, facts: list[ClaimFacts], mapping: dict[str, str], by_id: dict[str, str],
             relabel: dict[str, str]) -> None:
    """Point the article's triples at the claims' nodes; a merged claim takes its node's label,
    so one claim has one label whichever article named its parties first."""
    from ..assertions import literal

    def node(match: re.Match) -> str:
        iri = match.group(0)[1:-1]
        return f"<{mapping.get(iri) or by_id.get(iri) or iri}>"

    # claims are referred to only in role objects (and as their own subjects), so the facts
    # say whether any triple needs rewriting
    referred = {t[1:-1] for f in facts for terms in f.roles.values() for t in terms if t.startswith("<" + _EVENT_PREFIX)}
    if mapping or any(by_id.get(m) not in (None, m) for m in referred):
        article.triples[:] = [_EVENT_TERM.sub(node, t) if _EVENT_PREFIX in t else t for t in article.triples]
    if relabel:
        heads = {f"<{n}> {_LABEL} ": f"<{n}> {_LABEL} {literal(label)} ." for n, label in relabel.items()}
        article.triples[:] = [heads.get(t[:t.find(_LABEL) + len(_LABEL) + 1], t) if _LABEL in t else t
                              for t in article.triples]
    for fact in facts:
        article.triples.append(f"<{fact.attribution}> {_CLAIM_KEY} {literal(fact.key or '')} .")
        article.triples.append(f"<{fact.attribution}> {_ANNOTATOR_ID} {literal(fact.event_id)} .")

