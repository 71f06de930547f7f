"""What ``autokg review`` shows: the merges the loads made, and the open candidates.

* a **merge**: a claim an article states under its own id that shares another claim's node
  (equal keys, or a judgement ``same``);
* a **claim candidate**: two claim nodes that may be one (``near_match``: same kind and
  parties, compatible dates, alike topics) and that no judgement has settled;
* an **entity candidate**: an entity no registry entry covers whose name probably means a
  registry entity (``NameMatcher``), not yet judged.

Each item has a ``handle``, what ``--judge HANDLE VERDICT`` takes: ``<article>/<event>=
<article>/<event>`` for two claims, ``<name>=<entity id>`` for a name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AutokgError
from ..terms import event_iri
from .judgements import VERDICTS, Judgement, judgements_beside, read_judgements, write_judgement
from .keys import near_match, split_key

__all__ = ["ReviewSide", "ReviewItem", "review_items", "judge"]


@dataclass
class ReviewSide:
    """One side of an item: a claim (``<article>/<event>``) or a name/entity, with its evidence."""

    ref: str
    label: str
    articles: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)


@dataclass
class ReviewItem:
    kind: str            # "merge", "claim candidate", "entity candidate"
    handle: str
    left: ReviewSide
    right: ReviewSide
    why: str
    verdict: str | None = None


def _claims(store):
    from ..queries import internal_query

    rows = store.query(internal_query("claim-review.rq")).records()
    by_node: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_node[r["claim"]].append(r)
    return by_node


def review_items(store, registry: Path | str | None) -> list[ReviewItem]:
    """Merges made and open candidates, with the judgements already given (``verdict``)."""
    judgements = read_judgements(judgements_beside(registry))
    items: list[ReviewItem] = []
    by_node = _claims(store)

    def side(rows: list[dict], ref: str | None = None) -> ReviewSide:
        chosen = [r for r in rows if ref is None or f"{r['articleId']}/{r['annotatorId']}" == ref]
        first = chosen[0] if chosen else rows[0]
        return ReviewSide(ref or f"{first['articleId']}/{first['annotatorId']}", first["label"] or first["claim"],
                          sorted({r["articleId"] for r in chosen}),
                          sorted({r["quote"] for r in chosen if r["quote"]}))

    for node, rows in sorted(by_node.items()):
        owners = [r for r in rows if event_iri(r["annotatorId"]) == node] or rows[:1]
        owner_ref = f"{owners[0]['articleId']}/{owners[0]['annotatorId']}"
        merged = sorted({f"{r['articleId']}/{r['annotatorId']}" for r in rows if event_iri(r["annotatorId"]) != node})
        for ref in merged:
            if ref == owner_ref:
                continue
            handle = f"{owner_ref}={ref}"
            owner_keys = {r["key"] for r in rows if f"{r['articleId']}/{r['annotatorId']}" == owner_ref}
            member_keys = {r["key"] for r in rows if f"{r['articleId']}/{r['annotatorId']}" == ref}
            why = "same claim key" if owner_keys & member_keys else "judged the same"
            items.append(ReviewItem("merge", handle, side(rows, owner_ref), side(rows, ref), why,
                                    judgements.verdict_for_claims(owner_ref, ref)))

    groups: dict[tuple, list[str]] = defaultdict(list)
    keys = {node: rows[0]["key"] for node, rows in by_node.items() if rows[0]["key"]}
    for node, key in keys.items():
        parts = split_key(key)
        groups[(parts.kind, tuple(sorted(parts.parties().items())))].append(node)
    for nodes in groups.values():
        for i, a in enumerate(sorted(nodes)):
            for b in sorted(nodes)[i + 1:]:
                topics_a = {r["topic"] for r in by_node[a] if r["topic"]}
                topics_b = {r["topic"] for r in by_node[b] if r["topic"]}
                if not near_match(keys[a], keys[b], topics_a, topics_b):
                    continue
                left, right = side(by_node[a]), side(by_node[b])
                verdict = judgements.verdict_for_claims(left.ref, right.ref)
                if verdict in ("same", "different"):
                    continue
                items.append(ReviewItem("claim candidate", f"{left.ref}={right.ref}", left, right,
                                        "same kind and parties, compatible dates, alike topics", verdict))
    items.extend(_entity_candidates(store, registry, judgements))
    return items


def _entity_candidates(store, registry, judgements) -> list[ReviewItem]:
    from ..registry import read_registry
    from ..resolution import list_entities
    from .names import NameMatcher, judge_handle

    if not registry:
        return []
    index = read_registry(registry)
    matcher = NameMatcher(index)
    out = []
    for entity in list_entities(store):
        if entity.in_registry:
            continue
        for name in [entity.name, *entity.aliases]:
            match = matcher.best(name)
            if match is None:
                continue
            verdict = judgements.verdict_for_name(name, match.entity)
            if verdict in ("same", "different"):
                break
            known = index.entities[match.entity]
            out.append(ReviewItem(
                "entity candidate", judge_handle(name, match.entity),
                ReviewSide(name, f"{name} ({entity.id})", entity.sources),
                ReviewSide(match.entity, known.name or match.entity, ["registry"]),
                f"{match.reason}, score {match.score:.2f}", verdict))
            break
    return out


def judge(registry: Path | str, handle: str, verdict: str) -> Judgement:
    """Write a judgement on ``handle`` (as ``review_items`` gives it) to the judgement file
    beside ``registry``; return it."""
    if verdict not in VERDICTS:
        raise AutokgError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    left, sep, right = handle.rpartition("=")
    if not sep or not left or not right:
        raise AutokgError(f"{handle!r} is not an item handle: <article>/<event>=<article>/<event> or <name>=<entity>")
    if right.count("/") == 1 and left.count("/") == 1 and "=" not in left:
        judgement = Judgement(verdict, claims=(left, right))
    elif "/" not in right:
        judgement = Judgement(verdict, name=left, entity=right)
    else:
        raise AutokgError(f"{handle!r} is not an item handle: <article>/<event>=<article>/<event> or <name>=<entity>")
    path = judgements_beside(registry)
    write_judgement(path, judgement)
    return judgement



