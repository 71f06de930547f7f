"""Questions about one entity answered from the claims' digests, sorted here, not by the engine.

A busy entity takes part in thousands of claims (10,962 for the busiest at 10,000 articles).
Read triple by triple, its timeline costs five look-ups per claim and a string decoded for
each; and Oxigraph's ORDER BY decodes both strings again at every comparison, which alone
takes about 0.3 s for 9,000 rows. Each claim's summary therefore carries a digest
(``ak:digest``, written at load with the rest of the summary: graph/summaries.py): the fields
these questions list, packed in one JSON text. A question reads the entity's claims
(``ak:party``) and one digest each, in one query whose answer Oxigraph writes as TSV, builds
the rows here and sorts them with the query file's own ORDER BY keys.

The answer is the query file's (``queries/timeline.rq`` with its entity given), row for row:
tests/test_lookups.py compares them on the examples and on a generated corpus. A store whose
claims have no digest (written by an earlier autokg) gets the query file's answer instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pyoxigraph as ox

from .store import QueryResult, Store
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
    return [(claim, json.loads(digest)) for claim, digest in rows]


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


# (query, parameter) -> the answer built from digests when that parameter is given.
_ANSWERS: dict[tuple[str, str], Callable[[Store, dict], QueryResult | None]] = {
    ("timeline", "entity"): _timeline,
    ("entity-profile", "entity"): _profile,
}


def answer(store: Store, query: str, bindings: dict) -> QueryResult | None:
    """The answer to ``query`` from digests, if it has such a form for a parameter bound here
    and the store has digests; else None (run the query file)."""
    for (name, parameter), build in _ANSWERS.items():
        if name == query and parameter in bindings:
            return build(store, bindings)
    return None
