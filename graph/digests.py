"""Questions about one entity answered from the claims' digests, sorted here, not by the engine.

A busy entity takes part in thousands of claims (10,962 for the busiest at 10,000 articles).
Read triple by triple, its timeline costs five look-ups per claim and a string decoded for
each; and Oxigraph's ORDER BY decodes both strings again at every comparison, which alone
takes about 0.3 s for 9,000 rows. Each claim's summary therefore carries a digest
(``ak:digest``, written at load with the rest of the summary: graph/summaries.py): the fields
these questions list, packed in one JSON text. A question reads the entity's claims
(``ak:party``) and one digest each, in one query whose answer Oxigraph writes as TSV, builds
the rows here and sorts them with the query file's own ORDER BY keys.

This serves timeline, entity-profile and who-talked-to-whom with an entity given, and reactions
with a target. The answer is the query file's, row for row:
tests/test_lookups.py compares them on the examples and on a generated corpus. A store whose
claims have no digest, or digests of another layout (written by an earlier autokg), gets the
query file's answer instead.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import pyoxigraph as ox

from .store import QueryResult, Store
from .summaries import DIGEST_FORMAT
from .terms import AK, ID

__all__ = ["answer"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _literal(value: str, datatype: str = "", language: str = "") -> ox.Literal:
    if language:
        return ox.Literal(value, language=language)
    if datatype and datatype != _XSD_STRING:
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.Literal(value)


def _digests(store: Store, entity: ox.NamedNode) -> list[tuple[str, dict]] | None:
    """(claim IRI, digest) for every claim the entity takes part in; None if one has no digest."""
    rows = store.select_values(f"SELECT ?claim ?digest WHERE {{ ?claim <{AK.party}> {entity} "
                               f"OPTIONAL {{ ?claim <{AK.digest}> ?digest }} }}")
    if any(digest is None for _, digest in rows):
        return None
    claims = [(claim, json.loads(digest)) for claim, digest in rows]
    # Digests an earlier autokg wrote, of another layout: the query file answers instead.
    return claims if all(d.get("v") == DIGEST_FORMAT for _, d in claims) else None


def _labels(store: Store, sparql: str) -> dict[str, list[str]]:
    """Each subject's labels as plain text (``STR``), from a query of ?s ?label."""
    found: dict[str, list[str]] = {}
    for subject, label in store.select_values(sparql):
        found.setdefault(subject, []).append(label)
    return found


def _timeline(store: Store, bindings: dict) -> QueryResult | None:
    """queries/timeline.rq for one entity, from its claims' digests (None: no digests)."""
    claims = _digests(store, bindings["entity"])
    if claims is None:
        return None
    since, until = (bindings[name].value if name in bindings else None for name in ("since", "until"))
    # The claim kinds: each event class with its label in lower case, as the query reads them.
    kinds = _labels(store, f"SELECT ?class ?label WHERE {{ ?class <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
                           f"<{AK.Event}> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }}")
    rows = []
    for _, d in claims:
        if not d["articles"]:
            continue
        status = ox.Literal(d["status"])
        articles = ox.Literal(d["articles"])
        for kind in sorted({label.lower() for t in d["types"] for label in kinds.get(t, ())}):
            for date in d["dates"]:
                if (since is not None and date[0] < since) or (until is not None and date[0][:len(until)] > until):
                    continue
                for label in d["labels"]:
                    rows.append([_literal(*date), ox.Literal(kind), _literal(*label), status, articles])
    rows.sort(key=lambda row: (_key(row[0]), _key(row[2])))
    return QueryResult(["date", "kind", "claim", "status", "articles"], rows)


_BRANCH = "\n  } UNION {\n"  # between the top-level branches of a look-up file's WHERE
_ID_EVENT, _MENTIONS, _ARTICLE = f"{ID}event/", f"{ID}mentions/", f"{ID}article/"
_SUMMARY_ROLES = {str(AK.party), str(AK.reportedBy), str(AK.deniedBy), str(AK.confirmedBy)}


def _without_branches(sparql: str, tags: tuple[str, ...]) -> str:
    """The look-up's text with the top-level UNION branches marked ``# digest: TAG`` left out,
    and without its final ORDER BY (the rows are sorted here)."""
    head, rest = sparql.split("WHERE {\n  {\n", 1)
    body, _ = rest.rsplit("\n  }\n}", 1)
    kept = [b for b in body.split(_BRANCH) if not any(f"# digest: {tag} " in b for tag in tags)]
    return head + "WHERE {\n  {\n" + _BRANCH.join(kept) + "\n  }\n}\n"


def _profile(store: Store, bindings: dict) -> QueryResult | None:
    """queries/entity-profile.rq for one entity: the claims it takes part in from their digests,
    the articles naming it counted from one look-up of its mentions, the rest as the look-up
    file states it (its own facts, the policies naming it)."""
    from .queries import fill_placeholders, find_query

    entity = bindings["entity"]
    claims = _digests(store, entity)
    if claims is None:
        return None
    query = find_query("entity-profile")
    rest = _without_branches(query.lookups["entity"], ("claims", "mentions"))
    variables = ["relation", "value", "status", "date", "claim"]
    result = store.query(*fill_placeholders(rest, bindings))
    rows = [[row[result.variables.index(v)] for v in variables] for row in result.rows]
    # The roles the entity holds in its claims (not the summary's party links), with their labels.
    held = [(claim, d, role) for claim, d in claims for role, filler in d["roles"]
            if filler == entity.value and role not in _SUMMARY_ROLES]
    roles = sorted({role for _, _, role in held})
    labels = _labels(store, f"SELECT ?role ?label WHERE {{ VALUES ?role {{ {' '.join(f'<{r}>' for r in roles)} }} "
                            "?role <http://www.w3.org/2000/01/rdf-schema#label> ?label }") if roles else {}
    for claim, d, role in held:
        status = ox.Literal(d["status"])
        name = ox.Literal(claim.split(_ID_EVENT, 1)[1] if _ID_EVENT in claim else "")
        for role_label in labels.get(role, ()):
            relation = ox.Literal(f"{role_label} in")
            for label in d["labels"]:
                for date in d["dates"] or [None]:
                    rows.append([relation, _literal(*label), status, _literal(*date) if date else None, name])
    # One row per article that names the entity: "article-id (3 mentions)", for an article in the store.
    counts: dict[str, int] = {}
    for graph, in store.select_values(f"SELECT ?g WHERE {{ GRAPH ?g {{ ?m <http://www.w3.org/ns/oa#hasBody> {entity} }} }}"):
        counts[graph] = counts.get(graph, 0) + 1
    articles = set(store.graphs())
    mentioned = ox.Literal("mentioned in")
    for graph, n in counts.items():
        article = graph[len(_MENTIONS):] if graph.startswith(_MENTIONS) else None
        if article is not None and f"{_ARTICLE}{article}" in articles:
            rows.append([mentioned, ox.Literal(f"{article} ({n} {'mention' if n == 1 else 'mentions'})"), None, None, None])
    rows.sort(key=lambda row: (_key(row[0]), _key(row[3]), _key(row[1])))
    return QueryResult(variables, rows)


def _key(term) -> tuple[int, str]:
    """A term's place in SPARQL's ORDER BY as Oxigraph sorts these answers: unbound first, then by
    lexical form (plain, dated and tagged literals alike)."""
    return (0, "") if term is None else (1, term.value)


_RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def _term_labels(store: Store, iris: set[str], via: str = "") -> dict[str, list]:
    """Each IRI's labels as terms (their language kept), or those of what it leads to by ``via``
    (a property path, e.g. the location of a context)."""
    if not iris:
        return {}
    found: dict[str, list] = {}
    result = store.query(f"SELECT ?s ?label WHERE {{ VALUES ?s {{ {' '.join(f'<{i}>' for i in sorted(iris))} }} "
                         f"?s {via + '/' if via else ''}<{_RDFS}label> ?label }}")
    for subject, label in result.rows:
        found.setdefault(subject.value, []).append(label)
    return found


def _concat(terms) -> ox.Literal | None:
    """GROUP_CONCAT(DISTINCT ...; separator="; ") of the terms, None for none."""
    values = list(dict.fromkeys((t.value, str(getattr(t, "datatype", "")), getattr(t, "language", None)) for t in terms))
    return ox.Literal("; ".join(v for v, _, _ in values)) if values else None


def _role(d: dict, role: str) -> list[str]:
    return [filler for r, filler in d["roles"] if r == role]


def _reactions(store: Store, bindings: dict) -> QueryResult | None:
    """queries/reactions.rq for one target, from the digests of the claims it takes part in."""
    target = bindings["target"]
    claims = _digests(store, target)
    if claims is None:
        return None
    mine = [(c, d) for c, d in claims if target.value in _role(d, str(AK.stanceTarget)) and d["stances"] and d["articles"]]
    people = {x for _, d in mine for role in (AK.speaker, AK.onBehalfOf) for x in _role(d, str(role))}
    labels = _term_labels(store, people | {target.value})
    rows = set()
    for _, d in mine:
        status, articles = ox.Literal(d["status"]), ox.Literal(d["articles"])
        speakers = [label for x in _role(d, str(AK.speaker)) for label in labels.get(x, ())] or [None]
        principals = [label for x in _role(d, str(AK.onBehalfOf)) for label in labels.get(x, ())] or [None]
        descriptions = [_literal(*t) for t in d["descriptions"]] or [None]
        topics = [_literal(*t) for t in d["topics"]] or [None]
        dates = [_literal(*t) for t in d["dates"]] or [None]
        for stance in d["stances"]:
            stance_name = ox.Literal(stance.rsplit("#", 1)[-1])
            for target_label in labels.get(target.value, ()):
                for speaker in speakers:
                    for description in descriptions:
                        for principal in principals:
                            actor = speaker or description or principal
                            for topic in topics:
                                for date in dates:
                                    rows.add((actor, principal, stance_name, target_label, topic, status, date, articles))
    ordered = sorted((list(r) for r in rows), key=lambda row: (_key(row[3]), _key(row[6]), _key(row[0])))
    return QueryResult(["actor", "on_behalf_of", "stance", "target_label", "topic", "status", "date", "articles"], ordered)


_GROUPS = {"pairs": (AK.Negotiation, AK.Meeting, AK.TradeAgreement), "visits": (AK.Meeting,),
           "invitations": (AK.Invitation,), "statements": (AK.Statement,)}


def _pairs(d: dict, groups: dict[str, set[str]]) -> list[tuple[str, str, str]]:
    """(a, b, class) for each pair the claim makes, branch by branch as who-talked-to-whom.rq
    makes them (a bag: a claim in two branches gives both)."""
    out = []
    for t in d["types"]:
        for group in _GROUPS["pairs"]:
            if t in groups.get(str(group), ()):
                people = _role(d, str(AK.participant))
                out += [(a, b, t) for a in people for b in people if a < b]
        if t in groups.get(str(AK.Meeting), ()):
            out += [(a, b, t) for a in _role(d, str(AK.visitor)) for b in _role(d, str(AK.host))]
        if t in groups.get(str(AK.Invitation), ()):
            out += [(a, b, t) for a in _role(d, str(AK.inviter)) for b in _role(d, str(AK.invitee))]
        if t in groups.get(str(AK.Statement), ()):
            speakers = _role(d, str(AK.speaker)) or _role(d, str(AK.onBehalfOf))
            out += [(a, b, t) for a in speakers for b in _role(d, str(AK.addressee))]
    return out


def _talks(store: Store, bindings: dict) -> QueryResult | None:
    """queries/who-talked-to-whom.rq for one entity, from the digests of its claims."""
    entity = bindings["entity"].value
    claims = _digests(store, bindings["entity"])
    if claims is None:
        return None
    groups: dict[str, set[str]] = {}
    for cls, group in store.select_values(
            f"SELECT ?class ?group WHERE {{ VALUES ?group {{ {' '.join(f'<{g}>' for g in sorted({*_GROUPS['pairs'], AK.Invitation, AK.Statement}))} }} "
            f"?class <{_RDFS}subClassOf> ?group }}"):
        groups.setdefault(group, set()).add(cls)
    made = [(c, d, a, b, t) for c, d in claims if d["articles"] for a, b, t in _pairs(d, groups) if entity in (a, b)]
    names = {x for _, d, a, b, _ in made for x in (a, b, *_role(d, str(AK.location)), *d["denied_by"],
                                                  *(y for r in d["reports"] for y in (*r["reporters"], *r["cites"])))}
    labels = _term_labels(store, names | {t for *_, t in made})
    contexts = _term_labels(store, {x for _, d, *_ in made for x in _role(d, str(AK.during))}, f"<{AK.location}>")
    rows = []
    for _, d, a, b, t in made:
        status = ox.Literal(d["status"])
        topics = _concat(_literal(*x) for x in d["topics"] + d["purposes"])
        topic = topics if topics is not None else ox.Literal("")
        own = list(dict.fromkeys(label for x in _role(d, str(AK.location)) for label in labels.get(x, ()))) or [None]
        around = list(dict.fromkeys(label for x in _role(d, str(AK.during)) for label in contexts.get(x, ()))) or [None]
        reported_by = _concat(label for r in d["reports"] for x in r["reporters"] for label in labels.get(x, ()))
        cited = []
        for r in d["reports"]:
            named = [label for x in r["cites"] for label in labels.get(x, ())] or [None]
            for count in r["counts"] or [None]:
                for description in r["descriptions"] or [None]:
                    for name in named:
                        text = (name.value if name is not None else f"{count} {description or 'anonymous sources'}"
                                if count is not None else description)
                        if text is not None:
                            cited.append(ox.Literal(text))
        cited_sources = _concat(cited)
        denied_by = _concat(label for x in d["denied_by"] for label in labels.get(x, ()))
        n, p, r = d["article_count"], d["publisher_count"], d["report_count"]
        corroboration = ox.Literal(f"{n} {'article' if n == 1 else 'articles'}, {p} {'publisher' if p == 1 else 'publishers'}, "
                                   f"{r} {'report' if r == 1 else 'reports'}")
        articles = ox.Literal(d["articles"])
        for party_a in labels.get(a, ()):
            for party_b in labels.get(b, ()):
                for class_label in labels.get(t, ()):
                    kind = ox.Literal(class_label.value.lower())
                    for date in [_literal(*x) for x in d["dates"]] or [None]:
                        for mine in own:
                            for other in around:
                                place = mine or other or ox.Literal("")
                                rows.append([party_a, party_b, kind, topic, status, place, reported_by, cited_sources,
                                             denied_by, date, articles, corroboration])
    rows.sort(key=lambda row: (_key(row[9]), _key(row[0]), _key(row[1]), _key(row[2])))
    return QueryResult(["party_a", "party_b", "kind", "topic", "status", "place", "reported_by", "cited_sources",
                        "denied_by", "date", "articles", "corroboration"], rows)


# (query, parameter) -> the answer built from digests when that parameter is given, and the
# query file (with its look-up file) the builder answers for, by the first 16 hex digits of its
# SHA-256: a changed query file is answered by itself until its builder is changed to match.
_ANSWERS: dict[tuple[str, str], tuple[Callable[[Store, dict], QueryResult | None], str]] = {
    ("timeline", "entity"): (_timeline, "cd65f183f939c234"),
    ("entity-profile", "entity"): (_profile, "57eefa769c7701f5"),
    ("reactions", "target"): (_reactions, "d86618b6a2a4a815"),
    ("who-talked-to-whom", "entity"): (_talks, "3d0c12167eb730a4"),
}


def query_digest(query, parameter: str) -> str:
    """The first 16 hex digits of the SHA-256 of a query file's text and its look-up for ``parameter``."""
    return hashlib.sha256(f"{query.sparql}\n{query.lookups.get(parameter, '')}".encode()).hexdigest()[:16]


def answer(store: Store, query, bindings: dict) -> QueryResult | None:
    """The answer to ``query`` (a QueryFile) from digests, if it has such a form for a parameter
    bound here, the query file is the one its builder answers for, and the store has digests;
    else None (run the query file)."""
    for (name, parameter), (build, known) in _ANSWERS.items():
        if name == query.name and parameter in bindings and query_digest(query, parameter) == known:
            return build(store, bindings)
    return None
