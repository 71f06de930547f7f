"""Network analysis of the actor graph: who talks to whom, who brokers, how two actors connect.

The actor graph is built from the store by flat SPARQL look-ups joined in Python (each claim's
parties by role, ``queries/internal/actor-roles.rq``, paired by ``_actor_pairs``, and flat
per-claim queries beside it):
nodes are the entities that take part in interactions (companies, government bodies,
people, countries, outlets, associations, and the policies that actors impose or take a
stance on); edges are interactions, one per claim and relation, in a
``networkx.MultiDiGraph`` carrying the claim's kind, relation, status, dates, articles
and evidence quotes. ``collapse`` folds it into an undirected weighted ``networkx.Graph``
(weight = number of claims) for the metrics; ``collapsed_actor_graph`` builds that one
straight from the snapshot's pairs, as the analysis commands do.

>>> from graph import open_store, load_paths
>>> from graph.analysis import actor_graph, brokers
>>> store = open_store("memory")
>>> _ = load_paths(store, ["examples/"])                          # doctest: +SKIP
>>> brokers(actor_graph(store))[0]["entity"]                      # doctest: +SKIP
'Xiaomi'

networkx is imported inside the functions, so importing autokg stays cheap.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from .errors import AnalysisError
from .memory import cycle_collector_paused
from .queries import internal_query, resolve_entity
from .store import QueryResult, Store
from .terms import AK, ID

__all__ = [
    "actor_graph", "collapse", "talks", "centrality", "communities", "brokers", "path",
    "ego_graph", "ego", "timeline", "write_actor_graph", "to_result", "resolve_node", "betweenness_note",
    "path_between", "ego_of", "collapsed_actor_graph",
    "TALK_KINDS", "EXACT_BETWEENNESS_MAX_NODES", "BETWEENNESS_SAMPLES", "SEED", "STATUS_RANK",
    "EXPORT_FORMATS",
]

# Betweenness is exact up to this many nodes (2.6 s for 2,000 nodes and 20,000 ties on two
# cores); above it, it is estimated from this many source nodes drawn with SEED (networkx's
# k-sample estimate), so runs are repeatable. At 10,000 articles (1,504 nodes) the top
# betweenness values lie within 2% of each other, and 1,000 sampled sources find only 8 of
# the exact top 10: a graph that size is measured exactly.
EXACT_BETWEENNESS_MAX_NODES = 2000
BETWEENNESS_SAMPLES = 300
SEED = 42

# Kinds of claim that count as talking to someone (the same as the who-talked-to-whom
# query); statements count when they have an addressee (relation "... to").
TALK_KINDS = ("negotiation", "meeting", "visit", "trade agreement", "invitation")

# Which claim to show for a hop when two actors share several: the best supported first.
STATUS_RANK = {"confirmed": 0, "asserted": 1, "reported": 2, "contested": 3, "denied": 4}

EXPORT_FORMATS = ("graphml", "gexf")

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _check_date(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not _DATE.match(value):
        raise AnalysisError(f"--{name} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


def _in_range(when: str | None, since: str | None, until: str | None) -> bool:
    """Same rule as the timeline query: a month or year counts from its start."""
    if since is None and until is None:
        return True
    if when is None:
        return False
    if since is not None and when < since:
        return False
    return not (until is not None and when[:len(until)] > until)


def actor_graph(store: Store, since: str | None = None, until: str | None = None,
                exclude_denied: bool = False, kinds: tuple[str, ...] | list[str] = (), evidence: bool = True):
    """Build the actor graph from the store: a MultiDiGraph with one edge per claim and relation.

    Parameters
    ----------
    since, until : str, optional
        Keep claims dated in this range (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``). A claim
        without a date of its own is placed at the date of the first article stating it;
        claims with no date at all are left out when a range is given.
    exclude_denied : bool
        Leave out claims whose status is ``denied`` (contested ones stay: someone confirms them).
    kinds : sequence of str
        Keep only edges whose claim kind (``negotiation``, ``statement``, ``denial``, ...)
        or relation (``opposes``, ``statement to``, ``speaks for``, ...) is one of these.
    evidence : bool
        Read the evidence quotes too (for paths, views and exports). The metrics do not
        need them, and on a large store reading them takes as long as the rest.

    Node attributes: ``label``, ``type``, ``country``, ``slug`` (the id). Edge attributes:
    ``claim`` (IRI), ``claim_id``, ``kind``, ``relation``, ``directed``, ``status``,
    ``date`` (the claim's own, or None), ``when`` (date used for time filters),
    ``topic``, ``articles`` (list), ``evidence`` (list of ``(article, quote)``; empty
    when ``evidence`` is false), ``reported_by``, ``denied_by``.
    """
    since, until = _check_date("since", since), _check_date("until", until)
    wanted = {k.strip().casefold() for k in kinds if k.strip()}
    with cycle_collector_paused():
        return _actor_graph(store, since, until, exclude_denied, wanted, evidence)


def _actor_graph(store: Store, since: str | None, until: str | None, exclude_denied: bool, wanted: set[str],
                 evidence: bool):
    import networkx as nx

    from .snapshot import snapshot

    held = snapshot(store)
    edges, nodes = held.edges, held.nodes
    _check_kinds(edges, wanted)
    quotes = _evidence(store.select_values(internal_query("claim-evidence.rq"))) if evidence else {}
    return _build(nx.MultiDiGraph(name="autokg actor graph"), nodes, _chosen(edges, since, until, exclude_denied, wanted),
                  quotes)


def _check_kinds(edges: list[dict], wanted: set[str]) -> None:
    if wanted:
        known = {e["kind"] for e in edges} | {e["relation"] for e in edges}
        unknown = sorted(wanted - known)
        if unknown:
            raise AnalysisError(f"no claims of kind {', '.join(map(repr, unknown))} in the store "
                                f"(kinds and relations: {', '.join(sorted(known)) or 'none'})")


def _chosen(edges: list[dict], since: str | None, until: str | None, exclude_denied: bool, wanted: set[str]):
    for e in edges:
        if not _in_range(e["when"], since, until):
            continue
        if exclude_denied and e["status"] == "denied":
            continue
        if wanted and e["kind"] not in wanted and e["relation"] not in wanted:
            continue
        yield e


def _node_attributes(nodes: dict[str, dict], iri: str) -> dict:
    info = nodes.get(iri, {})
    return {"slug": iri.removeprefix(str(ID)), "label": info.get("label") or iri,
            "type": info.get("type") or "entity", "country": info.get("country")}


def _build(G, nodes: dict[str, dict], edges, quotes: dict[str, list], also: tuple[str, ...] = ()):
    """Add ``edges`` (rows of the snapshot), their end nodes and the nodes ``also`` to the
    MultiDiGraph ``G``."""
    def add(iri: str) -> None:
        G.add_node(iri, **_node_attributes(nodes, iri))

    for iri in also:
        add(iri)
    for e in edges:
        for iri in (e["source"], e["target"]):
            if iri not in G:
                add(iri)
        G.add_edge(e["source"], e["target"], key=f"{e['claim']}#{e['relation']}",
                   claim=e["claim"], claim_id=e["claim"].removeprefix(f"{ID}event/"),
                   kind=e["kind"], relation=e["relation"], directed=e["directed"],
                   status=e["status"], date=e["date"], when=e["when"], topic=e["topic"],
                   articles=list(e["articles"]), evidence=quotes.get(e["claim"], []),
                   reported_by=e["reported_by"], denied_by=e["denied_by"])
    return G


def collapsed_actor_graph(store: Store, since: str | None = None, until: str | None = None,
                          exclude_denied: bool = False, kinds: tuple[str, ...] | list[str] = ()):
    """The actor graph collapsed for the metrics, from the snapshot's pairs: the nodes, ties
    and weights of ``collapse(actor_graph(store, ...))`` in the same order (so seeded measures
    give the same answers), without building an edge per claim.

    Edges carry ``weight`` (number of claims) and ``distance`` (1 / weight) only; the
    parameters are ``actor_graph``'s."""
    import networkx as nx

    from .snapshot import pair_counts

    held, chosen = _snapshot_and_filters(store, since, until, exclude_denied, kinds)
    if chosen is None:
        order, pairs = held.order, held.pairs
    else:
        order, pairs = pair_counts(_chosen(held.edges, *chosen))
    H = nx.Graph()
    with cycle_collector_paused():
        H.add_nodes_from((iri, _node_attributes(held.nodes, iri)) for iri in order)
        H.add_edges_from((u, v, {"weight": count, "distance": 1.0 / count}) for u, v, count in pairs)
    return H


def _collapsed(G):
    """``G`` if it is collapsed already (an undirected Graph), else ``collapse(G)``."""
    return G if not G.is_multigraph() and not G.is_directed() else collapse(G)


def _snapshot_and_filters(store: Store, since, until, exclude_denied, kinds) -> tuple:
    """The actor graph's snapshot and the filters asked for, checked; None for no filter at all."""
    from .snapshot import snapshot

    held = snapshot(store)
    chosen = _filters(since, until, exclude_denied, kinds)
    _check_kinds(held.edges, chosen[3])
    return held, (None if chosen == (None, None, False, set()) else chosen)


def _filters(since, until, exclude_denied, kinds) -> tuple:
    since, until = _check_date("since", since), _check_date("until", until)
    return since, until, exclude_denied, {k.strip().casefold() for k in kinds if k.strip()}


def _neighbourhood(store: Store, name: str, since, until, exclude_denied, kinds):
    """The snapshot's chosen edges, the undirected adjacency they make, and the node named ``name``."""
    from .snapshot import adjacency

    held, chosen = _snapshot_and_filters(store, since, until, exclude_denied, kinds)
    if chosen is None:
        edges, adjacent = held.edges, held.adjacent
    else:
        edges = list(_chosen(held.edges, *chosen))
        adjacent = adjacency(edges)
    iri = resolve_entity(store, name)
    if iri not in adjacent:
        raise AnalysisError(f"{name!r} takes part in no interaction in the selected claims")
    return held, edges, adjacent, iri


def ego_of(store: Store, name: str, depth: int = 1, since: str | None = None, until: str | None = None,
           exclude_denied: bool = False, kinds=()) -> list[dict]:
    """``ego`` for the entity called ``name``, read from the actor graph's snapshot: its rows
    are made from the snapshot's edges among the entities within ``depth`` hops, listed in
    the order ``ego`` meets them in a graph of those edges, so ties sort the same."""
    if depth < 0:
        raise AnalysisError("--depth must be 0 or more")
    held, edges, adjacent, center = _neighbourhood(store, name, since, until, exclude_denied, kinds)
    hops = {center: 0}
    frontier = [center]
    for step in range(1, depth + 1):
        reached = []
        for n in frontier:
            for m in adjacent[n]:
                if m not in hops:
                    hops[m] = step
                    reached.append(m)
        frontier = reached
    # A MultiDiGraph of these edges lists them by source (in the order nodes were added:
    # the center, then as edges name them), then by target, then in edge order.
    order = {center: None}
    out: dict[str, dict[str, list[dict]]] = {}
    for e in edges:
        source, target = e["source"], e["target"]
        if source in hops and target in hops:
            order.setdefault(source)
            order.setdefault(target)
            out.setdefault(source, {}).setdefault(target, []).append(e)
    labels = {n: _node_attributes(held.nodes, n)["label"] for n in order}
    claims = ((u, v, e) for u in order for v, found in out.get(u, {}).items() for e in found)
    return _ego_rows(claims, hops, labels)


def path_between(store: Store, source: str, target: str, since: str | None = None, until: str | None = None,
                 exclude_denied: bool = False, kinds=()) -> list[dict]:
    """``path`` between the entities called ``source`` and ``target``, from the actor graph's
    snapshot: the shortest chain of entities is found on the snapshot's pairs, and evidence
    quotes are read only for claims along it that the rows may show (see ``_best_claim``)."""
    import networkx as nx

    from .snapshot import evidence_for

    held, edges, adjacent, a = _neighbourhood(store, source, since, until, exclude_denied, kinds)
    b = resolve_entity(store, target)
    if b not in adjacent:
        raise AnalysisError(f"{target!r} takes part in no interaction in the selected claims")
    H = nx.Graph()
    H.add_nodes_from(adjacent)
    H.add_edges_from((n, m) for n, near in adjacent.items() for m in near)
    try:
        chain = nx.shortest_path(H, a, b)
    except nx.NetworkXNoPath:
        label = {n: held.nodes.get(n, {}).get("label") or n for n in (a, b)}
        raise AnalysisError(f"no connection between {label[a]} and {label[b]} in the selected claims") from None
    hops = {frozenset(pair) for pair in zip(chain, chain[1:], strict=False)}
    between: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for e in edges:
        if e["source"] != e["target"] and frozenset((e["source"], e["target"])) in hops:
            between[e["source"], e["target"]].append(e)
    labels = {n: _node_attributes(held.nodes, n)["label"] for n in chain}
    return _path_rows(chain, lambda u, v: between.get((u, v), []), lambda claims: evidence_for(store, claims), labels)


# The flat queries the edges are built from, longest first (they run side by side).
_EDGE_TABLES = ("actor-roles.rq", "claim-article-ids.rq", "answered-attributions.rq", "claim-classes.rq",
                "claim-statuses.rq", "claim-dates.rq", "claim-topics.rq", "claim-first-stated.rq", "stance-labels.rq",
                "claim-reporters.rq", "claim-deniers.rq", "event-classes.rq", "actor-classes.rq")


def _read_tables(store: Store, names: tuple[str, ...]) -> dict[str, list[list]]:
    """Run internal queries side by side (Oxigraph evaluates and writes them outside Python's
    lock; a remote store answers them in parallel) and return each one's rows as plain strings."""
    from concurrent.futures import ThreadPoolExecutor

    def rows(name: str) -> list[list]:
        return store.select_values(internal_query(name))

    pool = ThreadPoolExecutor(max_workers=min(len(names), 2), thread_name_prefix="autokg-query")
    try:
        futures = {name: pool.submit(rows, name) for name in names}
        return {name: future.result() for name, future in futures.items()}
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


_TALK_GROUPS = frozenset({"Negotiation", "Meeting", "TradeAgreement"})


def _actor_pairs(tables: dict[str, list[list]]) -> list[tuple[str, str, str, bool, str | None, str | None]]:
    """The actor graph's pairs, from the claims' parties by role (actor-roles.rq) and a few
    small tables: ``(claim, source, target, directed, relation text, suffix)``, once each,
    between two different parties. The relation is the relation text, else the claim's kind
    followed by the suffix ("statement" + "to").

    - the participants of a negotiation, meeting or trade agreement, two by two (undirected,
      the lesser IRI first); a meeting's visitor and its host;
    - an inviter and an invitee;
    - the speaker, else the principal it speaks for, to an addressee (suffix "to"), and to
      the target of a stance unless the target is a claim (relation: the stance's label);
    - a speaker to its principal ("speaks for");
    - a denial's or confirmation's principal, else its speaker, to the reporter of each
      attribution of the claim it answers, else to that attribution's asserter;
    - a policy action's actor to its policy; an investor to a location ("invests in"); a
      report's reporter to the source it cites ("cites").
    """
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for claim, role, party in tables["actor-roles.rq"]:
        roles[role][claim].append(party)
    (participant, visitor, host, inviter, invitee, addressee, speaker, principal, stance, stance_target,
     denies, confirms, actor, policy, investor, location, reporter, cites) = (roles[name] for name in (
        "participant", "visitor", "host", "inviter", "invitee", "addressee", "speaker", "onBehalfOf",
        "stance", "stanceTarget", "denies", "confirms", "actor", "policy", "investor", "location",
        "reporter", "citesSource"))
    group_of: dict[str, set[str]] = defaultdict(set)
    for cls, group in tables["actor-classes.rq"]:
        group_of[cls].add(group.rpartition("#")[2])
    groups: dict[str, set[str]] = defaultdict(set)
    reports = set()
    report = str(AK.Report)
    for claim, cls in tables["claim-classes.rq"]:
        if cls in group_of:
            groups[claim] |= group_of[cls]
        if cls == report:
            reports.add(claim)
    with_status = {claim for claim, _ in tables["claim-statuses.rq"]}
    labels: dict[str, list[str]] = defaultdict(list)
    for term, label in tables["stance-labels.rq"]:
        labels[term].append(label)
    told: dict[str, list[str]] = defaultdict(list)  # whom each answered claim's attributions name
    for answered, party in tables["answered-attributions.rq"]:
        told[answered].append(party)

    rows: dict[tuple, None] = {}  # in order, once each

    def pair(claim, sources, targets, directed=True, text=None, suffix=None) -> None:
        for source in sources:
            for target in targets:
                if source != target:
                    rows[claim, source, target, directed, text, suffix] = None

    def voice(claim) -> list[str]:
        return speaker.get(claim) or principal.get(claim, [])

    for claim, parties in participant.items():
        if groups.get(claim, set()) & _TALK_GROUPS:
            for source in parties:
                pair(claim, [source], [t for t in parties if source < t], directed=False)
    for claim, parties in visitor.items():
        if "Meeting" in groups.get(claim, ()):
            pair(claim, parties, host.get(claim, []))
    for claim, parties in inviter.items():
        pair(claim, parties, invitee.get(claim, []))
    for claim, parties in addressee.items():
        pair(claim, voice(claim), parties, suffix="to")
    for claim, taken in stance.items():
        targets = [t for t in stance_target.get(claim, []) if t not in with_status]
        for term in taken:
            for label in labels.get(term, []):
                pair(claim, voice(claim), targets, text=label)
    for claim, parties in speaker.items():
        pair(claim, parties, principal.get(claim, []), text="speaks for")
    for text, answers in (("denies", denies), ("confirms", confirms)):
        for claim, answered in answers.items():
            sources = principal.get(claim) or speaker.get(claim, [])
            for other in answered:
                pair(claim, sources, told.get(other, []), text=text)
    for claim, parties in actor.items():
        if "PolicyAction" in groups.get(claim, ()):
            pair(claim, parties, policy.get(claim, []))
    for claim, parties in investor.items():
        pair(claim, parties, location.get(claim, []), text="invests in")
    for claim, parties in reporter.items():
        if claim in reports:
            pair(claim, parties, cites.get(claim, []), text="cites")
    return list(rows)


def _edges(tables: dict[str, list[list]], pairs) -> list[dict]:
    """The actor graph's edges as dicts, sorted by claim, relation, source and target.

    ``pairs`` are ``_actor_pairs``'s; each claim's kind, status, dates and topic come from
    flat per-claim queries joined here (on Oxigraph this is about three times as fast as
    joining and grouping inside one query), and its articles, first date, reporters and
    deniers from the summaries the loader keeps (graph.summaries)."""
    kinds = {}
    for cls, label in tables["event-classes.rq"]:
        kinds.setdefault(cls, label.lower())
    statuses = {claim: status.rpartition("#")[2] for claim, status in tables["claim-statuses.rq"]}
    dates = dict(tables["claim-dates.rq"])
    topics: dict[str, str] = {}
    purposes: dict[str, str] = {}
    for claim, topic, purpose in tables["claim-topics.rq"]:
        if topic is not None:
            topics.setdefault(claim, topic)
        elif purpose is not None:
            purposes.setdefault(claim, purpose)
    facts: dict[str, list[tuple]] = defaultdict(list)
    for claim, cls in tables["claim-classes.rq"]:
        if cls in kinds and claim in statuses:  # a claim: one fact row per event class it has
            facts[claim].append((kinds[cls], statuses[claim], dates.get(claim), topics.get(claim, purposes.get(claim))))
    ids = dict(tables["claim-article-ids.rq"])
    first = dict(tables["claim-first-stated.rq"])

    def joined(table: str) -> dict[str, str]:
        found: dict[str, set[str]] = defaultdict(set)
        for claim, name in tables[table]:
            if name is not None:
                found[claim].add(name)
        return {claim: "; ".join(sorted(names)) for claim, names in found.items()}

    reported, denied = joined("claim-reporters.rq"), joined("claim-deniers.rq")
    known: dict[str, tuple] = {}
    edges = {}
    for claim, source, target, directed, relation_text, suffix in pairs:
        if claim not in facts:
            continue
        shared = known.get(claim)
        if shared is None:
            listed = ids.get(claim)
            shared = known[claim] = (sorted(set(listed.split("; "))) if listed else [], first.get(claim),
                                     reported.get(claim), denied.get(claim))
        articles, first_date, reported_by, denied_by = shared
        for kind, status, date, topic in facts[claim]:
            relation = relation_text or (f"{kind} {suffix}" if suffix else kind)
            edges[claim, relation, source, target] = {
                "claim": claim, "source": source, "target": target, "kind": kind, "relation": relation,
                "directed": directed, "status": status, "date": date, "when": date or first_date, "topic": topic,
                "articles": list(articles), "reported_by": reported_by, "denied_by": denied_by}
    return [edges[key] for key in sorted(edges)]


def _evidence(rows: list[list]) -> dict[str, list[tuple[str, str]]]:
    """Each claim's evidence quotes (claim-evidence.rq) as ``(article id, quote)``, by
    position in the text, then article."""
    found: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for claim, article, start, quote in rows:
        found[claim].append((int(start) if start is not None else -1, article, quote))
    return {claim: [(article, quote) for _, article, quote in sorted(items)] for claim, items in found.items()}


def collapse(G):
    """The undirected weighted Graph of ``G``: one edge per pair, ``weight`` = number of claims.

    Edges also carry ``relations`` and ``statuses`` (sets) and ``distance`` = 1 / weight.
    """
    with cycle_collector_paused():
        return _collapse(G)


def _collapse(G):
    import networkx as nx

    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, d in G.edges(data=True):
        if H.has_edge(u, v):
            e = H[u][v]
            e["weight"] += 1
        else:
            H.add_edge(u, v, weight=1, relations=set(), statuses=set(), claims=set())
            e = H[u][v]
        e["relations"].add(d["relation"])
        e["statuses"].add(d["status"])
        e["claims"].add(d["claim"])
    for _, _, e in H.edges(data=True):
        e["distance"] = 1.0 / e["weight"]
    return H


def resolve_node(store: Store, G, name: str) -> str:
    """The node of ``G`` named ``name`` (id, name or alias); errors name close matches."""
    iri = resolve_entity(store, name)
    if iri not in G:
        raise AnalysisError(f"{name!r} takes part in no interaction in the selected claims")
    return iri


def _label(G, node) -> str:
    return G.nodes[node].get("label", node)


def _join(values) -> str:
    return "; ".join(v for v in dict.fromkeys(values) if v)


def talks(G) -> list[dict]:
    """Who talked to whom: one row per pair, weighted by the number of claims.

    Talks are negotiations, meetings, visits, trade agreements, invitations and statements
    to an addressee. Rows are sorted by weight, then by names.
    """
    pairs: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for u, v, d in G.edges(data=True):
        if d["kind"] in TALK_KINDS or d["relation"].endswith(" to"):
            a, b = sorted((u, v), key=lambda n: (_label(G, n).casefold(), n))
            pairs[(a, b)].append(d)
    rows = []
    for (a, b), edges in pairs.items():
        edges.sort(key=lambda d: (d["when"] or "", d["claim"]))
        rows.append({
            "party_a": _label(G, a), "party_b": _label(G, b), "claims": len({d["claim"] for d in edges}),
            "kinds": _join(d["relation"] for d in edges), "topics": _join(d["topic"] for d in edges),
            "status": _join(d["status"] for d in edges),
            "reported_by": _join(d["reported_by"] for d in edges),
            "denied_by": _join(d["denied_by"] for d in edges),
            "dates": _join(d["date"] for d in edges),
            "articles": _join(a for d in edges for a in d["articles"]),
        })
    rows.sort(key=lambda r: (-r["claims"], r["party_a"].casefold(), r["party_b"].casefold()))
    return rows


def _betweenness(H, exact_max_nodes: int | None = None) -> dict:
    """Betweenness of every node of the undirected graph ``H``, normalised as networkx does:
    exact, or above ``exact_max_nodes`` estimated from BETWEENNESS_SAMPLES sources drawn
    with SEED (the sources ``networkx.betweenness_centrality(H, k, seed=SEED)`` draws)."""
    import random

    limit = EXACT_BETWEENNESS_MAX_NODES if exact_max_nodes is None else exact_max_nodes
    nodes = list(H)
    n = len(nodes)
    k = min(BETWEENNESS_SAMPLES, n)
    sources = random.Random(SEED).sample(nodes, k) if n > limit and k < n else nodes
    if n > _DENSE_MAX_NODES:
        import networkx as nx

        return nx.betweenness_centrality(H, k=None if sources is nodes else k, seed=SEED)
    totals = _dependencies(H, nodes, sources)
    if n - 1 < 2:
        return totals
    # networkx's rescaling: pairs (s, t) with s != t and neither the node itself; a sampled
    # source cannot count itself, so it is scaled by one source fewer.
    if sources is nodes:
        return {v: b / ((n - 1) * (n - 2)) for v, b in totals.items()}
    drawn = set(sources)
    source_scale = 1 / ((k - 1) * (n - 2)) if k > 1 else float("nan")
    other_scale = 1 / (k * (n - 2))
    return {v: b * (source_scale if v in drawn else other_scale) for v, b in totals.items()}


# Betweenness is accumulated on a dense adjacency matrix up to this many nodes (8 bytes a
# cell: 290 MB at 6,000); larger graphs go to networkx, node by node.
_DENSE_MAX_NODES = 6000


def _dependencies(H, nodes: list, sources: list) -> dict:
    """Brandes' accumulation of pair dependencies for shortest paths out of ``sources``,
    unnormalised: for each node, the sum over sources s and targets t of the share of
    shortest s-t paths through it.

    The breadth-first searches of many sources run side by side as matrix products, one per
    level: a column per source, counting shortest paths forward and dependencies back, as
    networkx's loop over one source at a time does (the same sums, to float rounding, in a
    third of the time or less)."""
    import networkx as nx
    import numpy as np

    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    A = np.zeros((n, n))
    for u, v in H.edges():
        if u != v:
            A[index[u], index[v]] = A[index[v], index[u]] = 1.0
    # Each search ends when it has reached its source's component: no product to find nothing.
    component = np.zeros(n, dtype=np.int64)
    for part in nx.connected_components(H):
        component[[index[m] for m in part]] = len(part)
    totals = np.zeros(n)
    at = np.array([index[s] for s in sources], dtype=np.intp)
    batch = max(1, (1 << 21) // max(n, 1))  # columns at once: 16 MB per n x batch array
    for start in range(0, len(at), batch):
        rows = at[start:start + batch]
        cols = np.arange(len(rows))
        paths = np.zeros((n, len(rows)))
        paths[rows, cols] = 1.0
        level = np.full((n, len(rows)), -1, dtype=np.int32)
        level[rows, cols] = 0
        frontier, depth = paths.copy(), 0
        left = int(component[rows].sum()) - len(rows)
        while left:
            reached = A @ frontier
            new = (reached > 0) & (level < 0)
            depth += 1
            level[new] = depth
            frontier = np.where(new, reached, 0.0)
            paths += frontier
            found = int(np.count_nonzero(new))
            if not found:
                break
            left -= found
        delta = np.zeros_like(paths)
        safe = np.where(paths > 0, paths, 1.0)
        for d in range(depth, 1, -1):  # level 0 holds the sources, which count for nothing
            share = np.where(level == d, (1.0 + delta) / safe, 0.0)
            delta = np.where(level == d - 1, paths * (A @ share), delta)
        totals += delta.sum(axis=1)
    return dict(zip(nodes, totals.tolist(), strict=True))


def betweenness_note(G, exact_max_nodes: int | None = None) -> str | None:
    """How betweenness is measured on ``G``, when it is estimated rather than exact."""
    limit = EXACT_BETWEENNESS_MAX_NODES if exact_max_nodes is None else exact_max_nodes
    n = G.number_of_nodes()
    if n <= limit:
        return None
    return (f"betweenness estimated from shortest paths out of {min(BETWEENNESS_SAMPLES, n):,} of the {n:,} nodes, "
            f"drawn with seed {SEED} (exact up to {limit:,} nodes)")


def _neighbours(H) -> dict:
    return {n: set(H[n]) for n in H}


def _constraint(H, nodes) -> dict:
    """Burt's constraint of ``nodes``, unweighted, exactly as ``networkx.constraint`` defines
    it, from neighbour sets: networkx recomputes each tie's normalisation inside a sum over
    neighbours of neighbours, which took over 20 minutes on 100,000 claims; this is linear in
    the number of two-step paths.

    With p(u, v) = 1 / |N(u)| for each neighbour v of u (N(u) includes u for a self-loop),
    c(u) = sum over v in N(u) of (p(u, v) + sum over w in N(u) & N(v) of p(u, w) p(w, v))^2."""
    near = _neighbours(H)
    share = {n: 1.0 / len(near[n]) if near[n] else 0.0 for n in near}
    out = {}
    for u in nodes:
        if not near[u]:
            out[u] = float("nan")
            continue
        total = 0.0
        for v in near[u]:
            indirect = sum(share[w] for w in near[u] & near[v])
            total += (share[u] + share[u] * indirect) ** 2
        out[u] = total
    return out


def _effective_size(H, nodes) -> dict:
    """Burt's effective size of ``nodes``, unweighted, as ``networkx.effective_size`` defines it
    (Borgatti's form: n - 2t / n, n neighbours other than itself, t ties among them)."""
    near = _neighbours(H)
    out = {}
    for u in nodes:
        others = near[u] - {u}
        if not near[u]:
            out[u] = float("nan")
            continue
        if not others:
            raise ZeroDivisionError(f"{u} has no neighbour but itself")
        pairs = sum(len(near[w] & others - {w}) for w in others) / 2
        loops = sum(1 for w in others if w in near[w])
        out[u] = len(others) - 2 * (pairs + loops) / len(others)
    return out


def _eigenvector(H, max_iter: int = 5000, tol: float = 1e-9) -> dict:
    """Eigenvector centrality weighted by ``weight``, or {} if it does not converge.

    The power iteration of ``networkx.eigenvector_centrality`` (x <- (A + I) x, L2-normed,
    stop when the L1 change is under n * tol) done with numpy on the list of ties: the same
    values to float rounding, in a hundredth of the time on a 1,500-node graph."""
    import numpy as np

    nodes = list(H)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    ends, starts, weights = [], [], []
    for u, v, w in H.edges(data="weight", default=1):
        i, j = index[u], index[v]
        # A tie is two entries of A, a self-loop one.
        ends += (i,) if i == j else (i, j)
        starts += (j,) if i == j else (j, i)
        weights += (w,) if i == j else (w, w)
    ends, starts = np.array(ends, dtype=np.intp), np.array(starts, dtype=np.intp)
    weights = np.array(weights, dtype=float)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = last + np.bincount(ends, weights=weights * last[starts], minlength=n)
        norm = np.sqrt(x @ x) or 1.0
        x = x / norm
        if np.abs(x - last).sum() < n * tol:
            return dict(zip(nodes, x.tolist(), strict=True))
    return {}


def centrality(G, exact_max_nodes: int | None = None) -> list[dict]:
    """Degree, betweenness and eigenvector centrality of every node, most between first.

    ``G`` is the actor graph or its collapsed form (``collapse``, ``collapsed_actor_graph``);
    the measures are computed on the collapsed one: degree and betweenness count neighbours and hops
    (betweenness is sampled above EXACT_BETWEENNESS_MAX_NODES nodes, with SEED);
    eigenvector centrality weighs ties by their number of claims.
    """
    import networkx as nx

    H = _collapsed(G)
    if H.number_of_nodes() == 0:
        return []
    degree = nx.degree_centrality(H)
    between = _betweenness(H, exact_max_nodes)
    eigen = _eigenvector(H)
    rows = [{
        "entity": _label(H, n), "type": H.nodes[n]["type"], "neighbours": H.degree(n),
        "claims": H.degree(n, weight="weight"), "degree": degree[n], "betweenness": between[n],
        "eigenvector": eigen.get(n), "id": H.nodes[n]["slug"],
    } for n in H]
    rows.sort(key=lambda r: (-round(r["betweenness"], 9), -r["neighbours"], r["entity"].casefold()))
    return rows


def _partition(H) -> list[set]:
    import networkx as nx

    found = nx.community.louvain_communities(H, weight="weight", seed=SEED)
    return sorted(found, key=lambda c: (-len(c), min(_label(H, n).casefold() for n in c)))


def communities(G) -> list[dict]:
    """Communities (Louvain on the collapsed graph, weighted, with SEED), largest first.

    Each row: the community number, its size, its hub (the member with most claims),
    its members, and the modularity of the whole partition. ``G`` is the actor graph or
    its collapsed form.
    """
    import networkx as nx

    H = _collapsed(G)
    if H.number_of_nodes() == 0:
        return []
    parts = _partition(H)
    modularity = nx.community.modularity(H, parts, weight="weight")
    rows = []
    for number, members in enumerate(parts, start=1):
        hub = max(members, key=lambda n: (H.degree(n, weight="weight"), H.degree(n), _label(H, n)))
        rows.append({"community": number, "size": len(members), "hub": _label(H, hub),
                     "members": "; ".join(sorted((_label(H, n) for n in members), key=str.casefold)),
                     "modularity": modularity})
    return rows


def brokers(G, exact_max_nodes: int | None = None) -> list[dict]:
    """Brokers: nodes on shortest paths between others, with the communities they reach.

    Every node with betweenness above zero, most between first, with the number of
    communities among itself and its neighbours, Burt's effective size (non-redundant
    contacts) and constraint (low = a broker across structural holes). Betweenness is
    estimated above ``exact_max_nodes`` nodes (see ``betweenness_note``). ``G`` is the
    actor graph or its collapsed form.
    """
    H = _collapsed(G)
    if H.number_of_nodes() == 0:
        return []
    between = _betweenness(H, exact_max_nodes)
    community_of = {n: i for i, part in enumerate(_partition(H)) for n in part}
    candidates = [n for n in H if between[n] > 0]
    effective = _effective_size(H, candidates)
    constraint = _constraint(H, candidates)
    rows = [{
        "entity": _label(H, n), "type": H.nodes[n]["type"], "betweenness": between[n],
        "communities_reached": len({community_of[m] for m in H[n]} | {community_of[n]}),
        "neighbours": H.degree(n), "effective_size": effective[n], "constraint": constraint[n],
        "id": H.nodes[n]["slug"],
    } for n in candidates]
    # Ties go to whoever reaches more communities, then to the less constrained (Burt).
    rows.sort(key=lambda r: (-round(r["betweenness"], 9), -r["communities_reached"], round(r["constraint"], 9),
                             r["entity"].casefold()))
    return rows


def _best_claim(claims: list[tuple[str, str, dict]], quotes) -> tuple[tuple[str, str, dict], list]:
    """The best supported of ``claims`` (``(source, target, attributes)``) and its evidence
    quotes: the best status (confirmed, then asserted, reported, contested, denied), then one
    with quotes, then the earliest, then by IRI; equal ones in the order given.

    ``quotes`` gives the quotes of a list of claim IRIs; it is asked about claims of the best
    status only, a few at a time in that order, until one has quotes."""
    rank = min(STATUS_RANK.get(d["status"], 9) for _, _, d in claims)
    best = sorted((c for c in claims if STATUS_RANK.get(c[2]["status"], 9) == rank),
                  key=lambda c: (c[2]["when"] or "", c[2]["claim"]))
    for start in range(0, len(best), _QUOTES_AT_ONCE):
        some = best[start:start + _QUOTES_AT_ONCE]
        found = quotes([d["claim"] for _, _, d in some])
        for c in some:
            if found.get(c[2]["claim"]):
                return c, found[c[2]["claim"]]
    return best[0], []


_QUOTES_AT_ONCE = 16


def _path_rows(chain: list, claims_from, quotes, labels: dict) -> list[dict]:
    """Rows of ``path`` along ``chain``: ``claims_from(u, v)`` gives the claim edges from u to v
    (attribute dicts), ``quotes`` as ``_best_claim`` takes it."""
    rows = []
    for step, (u, v) in enumerate(zip(chain, chain[1:], strict=False), start=1):
        claims = [(u, v, d) for d in claims_from(u, v)] + [(v, u, d) for d in claims_from(v, u)]
        (a, b, d), evidence = _best_claim(claims, quotes)
        article, quote = evidence[0] if evidence else (d["articles"][0] if d["articles"] else None, None)
        rows.append({
            "step": step, "from": labels[u], "to": labels[v], "link": f"{labels[a]} {d['relation']} {labels[b]}",
            "status": d["status"], "date": d["date"], "article": article, "quote": quote,
            "claims": len(claims), "claim": d["claim"].removeprefix(f"{ID}event/"),
        })
    return rows


def path(G, source: str, target: str) -> list[dict]:
    """The shortest connection between two nodes, with the evidence for each hop.

    Hops are counted on the collapsed graph; for each hop the best supported claim is
    shown (confirmed, then asserted, reported, contested, denied): the relation read in its
    own direction, its status and date, the article and the first evidence quote.
    Raises AnalysisError when the two are not connected.
    """
    import networkx as nx

    H = collapse(G)
    for node in (source, target):
        if node not in H:
            raise AnalysisError(f"{node.removeprefix(str(ID))!r} takes part in no interaction in the selected claims")
    try:
        nodes = nx.shortest_path(H, source, target)
    except nx.NetworkXNoPath:
        raise AnalysisError(f"no connection between {_label(G, source)} and {_label(G, target)} "
                            "in the selected claims") from None

    def claims_from(u, v) -> list[dict]:
        return list(G.get_edge_data(u, v, default={}).values())

    evidence = {d["claim"]: d["evidence"] for u, v in zip(nodes, nodes[1:], strict=False)
                for a, b in ((u, v), (v, u)) for d in claims_from(a, b)}
    return _path_rows(nodes, claims_from, lambda claims: {c: evidence[c] for c in claims},
                      {n: _label(G, n) for n in nodes})


def ego_graph(G, center: str, depth: int = 1):
    """The part of ``G`` within ``depth`` hops of ``center`` (hops ignore direction)."""
    import networkx as nx

    if depth < 0:
        raise AnalysisError("--depth must be 0 or more")
    distance = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), center, cutoff=depth)
    sub = G.subgraph(distance).copy()
    nx.set_node_attributes(sub, distance, "hops")
    return sub


def ego(G, center: str, depth: int = 1) -> list[dict]:
    """Every claim edge within ``depth`` hops of ``center``, nearest first."""
    sub = ego_graph(G, center, depth)
    return _ego_rows(sub.edges(data=True), dict(sub.nodes(data="hops")), {n: _label(sub, n) for n in sub})


def _ego_rows(claims, hops: dict, labels: dict) -> list[dict]:
    """Rows of ``ego`` for ``claims`` (``(source, target, edge attributes)``); equal rows keep
    the order of ``claims``."""
    rows = [{
        "hops": max(hops[u], hops[v]), "source": labels[u], "relation": d["relation"], "target": labels[v],
        "kind": d["kind"], "status": d["status"], "date": d["date"], "articles": "; ".join(d["articles"]),
    } for u, v, d in claims]
    folded = {label: label.casefold() for label in labels.values()}
    rows.sort(key=lambda r: (r["hops"], folded[r["source"]], r["relation"], folded[r["target"]]))
    return rows


def timeline(G, by: str = "month") -> list[dict]:
    """Time slices: per year, month or day, how many claims, which actors (and which are new).

    A claim is placed at its own date, else at its first article's date; a coarser date
    (a month when slicing by day) forms its own slice. Undated claims come last.
    """
    width = {"year": 4, "month": 7, "day": 10}.get(by)
    if width is None:
        raise AnalysisError(f"--by must be year, month or day, not {by!r}")
    slices: dict[str, list] = defaultdict(list)
    for u, v, d in G.edges(data=True):
        period = d["when"][:width] if d["when"] else "undated"
        slices[period].append((u, v, d))
    seen: set = set()
    rows = []
    for period in sorted(slices, key=lambda p: (p == "undated", p)):
        edges = slices[period]
        actors = Counter()
        for u, v, _ in edges:
            actors.update((u, v))
        new = sorted((n for n in actors if n not in seen), key=lambda n: _label(G, n).casefold())
        seen.update(actors)
        relations = Counter(d["relation"] for _, _, d in edges)
        top = max(actors, key=lambda n: (actors[n], _label(G, n)))
        rows.append({
            "period": period, "claims": len({d["claim"] for _, _, d in edges}), "interactions": len(edges),
            "actors": len(actors), "new_actors": "; ".join(_label(G, n) for n in new),
            "relations": "; ".join(f"{r} {c}" for r, c in sorted(relations.items(), key=lambda x: (-x[1], x[0]))),
            "denied": len({d["claim"] for _, _, d in edges if d["status"] == "denied"}),
            "most_active": _label(G, top),
        })
    return rows


def _flat(value):
    """An attribute value GraphML and GEXF can hold: lists become text, None is left out."""
    if isinstance(value, (list, tuple, set)):
        items = [" | ".join(map(str, v)) if isinstance(v, tuple) else str(v) for v in value]
        return "\n".join(sorted(items) if isinstance(value, set) else items)
    return value


def exportable(G):
    """A copy of ``G`` whose attributes are all strings, numbers or booleans (None dropped).

    ``articles`` become one id per line, ``evidence`` one ``article | quote`` per line.
    """
    out = G.__class__()
    out.graph.update({k: v for k, v in G.graph.items() if isinstance(v, (str, int, float, bool))})
    for n, d in G.nodes(data=True):
        out.add_node(n, **{k: _flat(v) for k, v in d.items() if v is not None})
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else ((u, v, None, d) for u, v, d in G.edges(data=True))
    for u, v, key, d in edges:
        attrs = {k: _flat(v) for k, v in d.items() if v is not None}
        if key is None:
            out.add_edge(u, v, **attrs)
        else:
            out.add_edge(u, v, key=key, **attrs)
    return out


def write_actor_graph(G, path: Path | str, fmt: str | None = None) -> Path:
    """Write the actor graph as GraphML or GEXF (Gephi), with node and edge attributes.

    ``fmt`` defaults to the file's suffix. Returns the path written.
    """
    import networkx as nx

    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in EXPORT_FORMATS:
        raise AnalysisError(f"unknown graph format {fmt!r} (formats: {', '.join(EXPORT_FORMATS)})")
    flat = exportable(G)
    tmp = path.with_name(path.name + ".part")
    try:
        if fmt == "graphml":
            nx.write_graphml(flat, tmp, named_key_ids=True)
        else:
            nx.write_gexf(flat, tmp)
        tmp.replace(path)
    except OSError as exc:
        raise AnalysisError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def to_result(rows: list[dict], columns: list[str] | None = None) -> QueryResult:
    """Rows of an analysis as a QueryResult, so every output format of ``query`` works.

    Integers become xsd:integer, floats xsd:decimal (4 places), text plain literals.
    """
    import pyoxigraph as ox

    xsd = "http://www.w3.org/2001/XMLSchema#"
    columns = columns or (list(rows[0]) if rows else [])

    def make(value):
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return ox.Literal("true" if value else "false", datatype=ox.NamedNode(xsd + "boolean"))
        if isinstance(value, int):
            return ox.Literal(str(value), datatype=ox.NamedNode(xsd + "integer"))
        if isinstance(value, float):
            return ox.Literal(f"{value:.4f}", datatype=ox.NamedNode(xsd + "decimal"))
        return ox.Literal(str(value))

    # Terms are immutable: one per distinct value (labels, relations, statuses repeat in
    # most rows: an ego network at 10,000 articles has 670,000 cells and 17,000 values).
    made: dict = {}

    def term(value):
        key = (type(value), value)
        found = made.get(key, made)
        if found is made:
            found = made[key] = make(value)
        return found

    return QueryResult(columns, [[term(r.get(c)) for c in columns] for r in rows])
