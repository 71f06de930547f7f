"""What the explorer's pages show, read from the store through the query pool.

The store does not change while ``autokg serve`` runs (it holds the store's write lock), so
the tables every page needs (entities, claims, their roles and articles) and the search
index are read once at start; a page then costs one or two look-ups bound to its subject.
Every query is a ``.rq`` file in ``graph/web/queries/``; parameters are bound as RDF terms.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from ..store import _tsv_value, bind_values
from .pool import QueryPool
from .search import SearchIndex, fold

__all__ = ["Explorer", "web_query", "ID", "Entity", "Claim", "Article"]

ID = "https://w3id.org/autokg/id/"
AK = "https://w3id.org/autokg#"
QUERIES = Path(__file__).resolve().parent / "queries"
ENTITY_CLAIMS_SHOWN = 100
# Seconds each start-up query may take (whole-store tables; a page's look-ups get the
# pool's own, short limit).
LOAD_TIMEOUT = 900.0
STATUS_ORDER = ["contested", "denied", "reported", "asserted", "confirmed"]
STATUS_MEANING = {
    "confirmed": "a party to it confirms it, and nobody denies it",
    "asserted": "an article states it as fact; nobody denies or confirms it",
    "reported": "only relayed from another outlet's report or from anonymous sources",
    "contested": "one party affirms it, another denies it",
    "denied": "someone denies it, and nobody confirms it",
}


@cache
def web_query(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def local(iri: str | None, prefix: str = ID) -> str:
    return iri[len(prefix):] if iri and iri.startswith(prefix) else (iri or "")


@dataclass
class Entity:
    slug: str
    name: str
    types: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    same_as: list[str] = field(default_factory=list)
    claims: list[tuple[str, str]] = field(default_factory=list)  # (role, claim slug)

    @property
    def type(self) -> str:
        return self.types[0] if self.types else "entity"

    @property
    def wikidata(self) -> str | None:
        for iri in self.same_as:
            if iri.startswith("http://www.wikidata.org/entity/Q") and iri[31:].isdigit():
                return "https://www.wikidata.org/wiki/" + iri[31:]
        return None


@dataclass
class Claim:
    slug: str
    label: str
    kind: str
    status: str
    date: str | None = None
    topic: str | None = None
    roles: list[tuple[str, str]] = field(default_factory=list)  # (role, entity slug)
    articles: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)            # entity slugs of asserting outlets
    reports: list[str] = field(default_factory=list)            # claim slugs of relayed reports

    @property
    def year(self) -> str:
        return (self.date or "")[:4]


@dataclass
class Article:
    node: str
    id: str
    headline: str
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    claims: list[str] = field(default_factory=list)
    record: str | None = None   # a saved official record: the record's slug

    @property
    def safe_url(self) -> str | None:
        """The URL if it is http(s): no ``javascript:`` or ``data:`` link is ever made."""
        if self.url and self.url.lower().startswith(("http://", "https://")):
            return self.url
        return None


class Explorer:
    def __init__(self, pool: QueryPool, description: str):
        self.pool, self.description = pool, description
        self.entities: dict[str, Entity] = {}
        self.claims: dict[str, Claim] = {}
        self.articles: dict[str, Article] = {}
        self.index = SearchIndex()
        self._actor_graph = None
        self._facets = None
        self._lists: dict = {}

    # --- reading ------------------------------------------------------------------------
    def select(self, sparql: str, bindings: dict | None = None, timeout: float | None = None) -> list[dict]:
        """Rows of a SELECT as dicts of plain values (None for unbound)."""
        answer = self.pool.run(bind_values(sparql, bindings), "tsv", timeout=timeout)
        lines = answer.body.decode("utf-8").split("\n")
        names = [v.lstrip("?") for v in lines[0].split("\t")] if lines and lines[0] else []
        return [dict(zip(names, (_tsv_value(f) for f in line.split("\t")), strict=False))
                for line in lines[1:] if line]

    def rows(self, name: str, timeout: float | None = None, **bindings) -> list[dict]:
        terms = {k: ox.NamedNode(v) for k, v in bindings.items()}
        return self.select(web_query(name), terms, timeout=timeout)

    def load(self) -> Explorer:
        """Read the tables every page uses and build the search index."""
        for row in self.rows("entities", LOAD_TIMEOUT):
            slug = local(row["entity"])
            entity = self.entities.get(slug)
            if entity is None:
                entity = self.entities[slug] = Entity(slug, row["name"] or slug)
            if row["type"] and row["type"] not in entity.types:
                entity.types.append(row["type"])
            if row["country"]:
                entity.country = local(row["country"])
            if row["sameAs"] and row["sameAs"] not in entity.same_as:
                entity.same_as.append(row["sameAs"])
        for entity in self.entities.values():
            # the most specific type first: "automaker" before "company" before "organisation"
            entity.types.sort(key=lambda t: (t in ("agent", "organisation", "organization", "company", "place"), t))
        for row in self.rows("aliases", LOAD_TIMEOUT):
            entity = self.entities.get(local(row["entity"]))
            if entity and row["alias"] not in entity.aliases:
                entity.aliases.append(row["alias"])
        for row in self.rows("claims", LOAD_TIMEOUT):
            slug = local(row["claim"], ID + "event/")
            if slug in self.claims:
                continue
            self.claims[slug] = Claim(slug, row["label"] or slug, (row["kind"] or "claim").lower(), row["status"],
                                      row["date"], row["topic"])
        for row in self.rows("claim-roles", LOAD_TIMEOUT):
            claim = self.claims.get(local(row["claim"], ID + "event/"))
            slug = local(row["entity"])
            if claim and slug in self.entities:
                pair = (row["role"], slug)
                if pair not in claim.roles:
                    claim.roles.append(pair)
                    self.entities[slug].claims.append((row["role"], claim.slug))
        for row in self.rows("articles", LOAD_TIMEOUT):
            self.articles[row["id"]] = Article(row["node"], row["id"], row["headline"] or row["id"],
                                               local(row["publisher"]) or None, row["date"], row["url"],
                                               record=local(row["record"]) or None)
        for row in self.rows("attributions", LOAD_TIMEOUT):
            claim = self.claims.get(local(row["claim"], ID + "event/"))
            if not claim:
                continue
            if row["article"] not in claim.articles:
                claim.articles.append(row["article"])
                if row["article"] in self.articles:
                    self.articles[row["article"]].claims.append(claim.slug)
            outlet = local(row["assertedBy"])
            if outlet and outlet not in claim.outlets:
                claim.outlets.append(outlet)
            report = local(row["report"], ID + "event/")
            if report and report not in claim.reports:
                claim.reports.append(report)
        self._index()
        self._facet_table()
        self.claims_list({})
        return self

    def _index(self) -> None:
        index = self.index
        for e in self.entities.values():
            index.add("entity", e.slug, e.name, e.type, names=[e.name, *e.aliases], ids=[e.slug])
        quotes: dict[str, list[str]] = defaultdict(list)
        article_quotes: dict[str, list[str]] = defaultdict(list)
        for row in self.rows("quotes", LOAD_TIMEOUT):
            quotes[row["body"]].append(row["exact"])
            article_quotes[row["article"]].append(row["exact"])
        for c in self.claims.values():
            index.add("claim", c.slug, c.label, f"{c.kind}, {c.status}", ids=[c.slug],
                      titles=[c.label, c.topic or ""], texts=quotes.get(ID + "event/" + c.slug, []))
        for a in self.articles.values():
            publisher = self.entities.get(a.publisher or "")
            index.add("article", a.id, a.headline, ", ".join(x for x in (publisher.name if publisher else "", a.date or "") if x),
                      ids=[a.id], titles=[a.headline], texts=article_quotes.get(a.id, []))
        index.search("x")  # builds the typo index now, not on the first visitor's search

    # --- names --------------------------------------------------------------------------
    def name(self, slug: str | None) -> str:
        entity = self.entities.get(slug or "")
        return entity.name if entity else (slug or "")

    def find(self, text: str) -> list[Entity]:
        """Entities whose name, alias or id is ``text`` (folded), for the graph view's focus."""
        wanted = fold(text.strip())
        return [e for e in self.entities.values()
                if wanted in {fold(e.slug), fold(e.name), *(fold(a) for a in e.aliases)}]

    def suggestions(self, text: str, limit: int = 10) -> list[dict]:
        hits = self.index.search(text, limit, group="entity")
        return [{"name": h.title, "type": h.detail, "url": f"/entity/{h.key}"} for h in hits]

    def cell(self, term) -> tuple[str, str | None]:
        """A query result cell as (text, link): claims, entities and articles link to their
        pages, by IRI, or by a name or id that names exactly one of them."""
        if term is None:
            return "", None
        value = term.value
        if isinstance(term, ox.NamedNode):
            if value.startswith(ID + "event/") and local(value, ID + "event/") in self.claims:
                slug = local(value, ID + "event/")
                return self.claims[slug].label, "/claim/" + quote(slug, safe="")
            if local(value) in self.entities:
                return self.name(local(value)), "/entity/" + quote(local(value), safe="")
            return value, None
        if value in self.articles:
            return value, "/article/" + quote(value, safe="")
        slug = self._unique_names().get(fold(value))
        return value, ("/entity/" + quote(slug, safe="")) if slug else None

    def _unique_names(self) -> dict[str, str]:
        if not hasattr(self, "_names"):
            seen: dict[str, set[str]] = defaultdict(set)
            for e in self.entities.values():
                for name in (e.name, *e.aliases):
                    seen[fold(name)].add(e.slug)
            self._names = {name: next(iter(slugs)) for name, slugs in seen.items() if len(slugs) == 1}
        return self._names

    # --- pages --------------------------------------------------------------------------
    def entity_page(self, slug: str) -> dict | None:
        entity = self.entities.get(slug)
        if entity is None:
            return None
        iri = ID + slug
        claims = self.claims
        ordered = sorted(entity.claims, key=lambda p: (claims[p[1]].date or "9999", claims[p[1]].label))
        total = len(ordered)
        # The most recent claims in the table; the rest are one click away (/claims?entity=).
        rows = []
        for role, claim_slug in ordered[-ENTITY_CLAIMS_SHOWN:]:
            claim = claims[claim_slug]
            rows.append({"claim": claim, "role": role, "outlets": len(claim.outlets),
                         "counterparts": [(r, s) for r, s in claim.roles if s != slug]})
        months: dict[str, list] = defaultdict(list)
        counts: Counter = Counter()
        for _, claim_slug in ordered:
            month = (claims[claim_slug].date or "undated")[:7]
            counts[month] += 1
            if len(months[month]) < 12:
                months[month].append({"claim": claims[claim_slug]})
        timeline = [(month, months[month], counts[month]) for month in sorted(months)]
        posts = self.rows("entity-posts", entity=iri)
        mentions = self.rows("entity-mentions", entity=iri)
        in_country = sorted((e for e in self.entities.values() if e.country == slug), key=lambda e: fold(e.name))
        return {"entity": entity, "claims": rows, "claims_total": total, "timeline": timeline, "posts": posts,
                "mentions": mentions, "in_country": in_country[:200], "in_country_total": len(in_country)}

    def claim_page(self, slug: str) -> dict | None:
        claim = self.claims.get(slug)
        if claim is None:
            return None
        iri = ID + "event/" + slug
        attributions: dict[str, dict] = {}
        spans_by_article: dict[str, list[dict]] = defaultdict(list)
        for row in self.rows("claim-evidence", claim=iri):
            a = attributions.setdefault(row["attribution"], {
                "article": self.articles.get(row["article"]), "article_id": row["article"],
                "asserted_by": local(row["assertedBy"]), "certainty": local(row["certainty"], AK),
                "polarity": local(row["polarity"], AK), "report": local(row["report"], ID + "event/"), "quotes": []})
            if row["annotation"] and row["start"] is not None:
                span = {"id": local(row["annotation"]), "start": int(row["start"]), "end": int(row["end"]),
                        "exact": row["exact"]}
                if span not in a["quotes"]:
                    a["quotes"].append(span)
                    spans_by_article[row["article"]].append(span)
        responses = self._responses(iri)
        # A denial or confirmation is itself a claim: its articles and quotes come with it.
        for response in responses:
            response["claim"] = self.claims.get(response["slug"])
            response["evidence"] = []
            if response["claim"]:
                for row in self.rows("claim-evidence", claim=ID + "event/" + response["slug"]):
                    if row["annotation"] and row["start"] is not None:
                        span = {"id": local(row["annotation"]), "start": int(row["start"]), "end": int(row["end"]),
                                "exact": row["exact"], "article": row["article"]}
                        if span not in response["evidence"]:
                            response["evidence"].append(span)
        # Each article once, with the claim's spans and those of the reports and answers in it.
        for response in responses:
            for span in response["evidence"]:
                spans_by_article[span["article"]].append(span)
        texts = {}
        for article_id in sorted(spans_by_article, key=lambda a: (a not in claim.articles, a)):
            article = self.articles.get(article_id)
            if article:
                texts[article_id] = self.highlighted(article, {s["id"] for s in spans_by_article[article_id]})
        return {"claim": claim, "iri": iri, "attributions": sorted(attributions.values(), key=lambda a: a["article_id"]),
                "responses": responses, "why": self.why(claim, responses, attributions.values()),
                "texts": texts, "meaning": STATUS_MEANING.get(claim.status, "")}

    def _responses(self, iri: str) -> list[dict]:
        found: dict[str, dict] = {}
        for row in self.rows("claim-responses", claim=iri):
            slug = local(row["response"], ID + "event/")
            r = found.setdefault(slug, {"slug": slug, "kind": row["kind"], "agent": local(row["agent"]),
                                        "on_behalf_of": local(row["onBehalfOf"]), "description": row["description"],
                                        "quote": row["quote"], "count": row["count"], "cited": []})
            cited = local(row["cited"])
            if cited and cited not in r["cited"]:
                r["cited"].append(cited)
        return sorted(found.values(), key=lambda r: (["report", "denial", "confirmation"].index(r["kind"]), r["slug"]))

    def why(self, claim: Claim, responses: list[dict], attributions) -> str:
        """One sentence on how the status follows from what the articles say."""
        def who(r):
            return self.name(r["on_behalf_of"] or r["agent"]) or (r["description"] or "someone")
        denials = [who(r) for r in responses if r["kind"] == "denial"]
        confirmations = [who(r) for r in responses if r["kind"] == "confirmation"]
        direct = [a for a in attributions if not a["report"]]
        parts = []
        reports = [r for r in responses if r["kind"] == "report"]
        if reports:
            def reporter(r):
                sources = f" (citing {r['count']} {r['description'] or 'anonymous sources'})" if r["count"] else ""
                return self.name(r["agent"]) + sources
            parts.append("reported by " + "; ".join(reporter(r) for r in reports))
        if direct:
            parts.append(f"stated as fact in {len(direct)} article(s)")
        if denials:
            parts.append("denied by " + ", ".join(dict.fromkeys(denials)))
        if confirmations:
            parts.append("confirmed by " + ", ".join(dict.fromkeys(confirmations)))
        elif denials:
            parts.append("nobody confirms it")
        rule = {"contested": "someone denies it and someone confirms it",
                "denied": "someone denies it and nobody confirms it",
                "confirmed": "someone confirms it and nobody denies it",
                "asserted": "an article states it as fact and nobody denies or confirms it",
                "reported": "it is only relayed from a report"}.get(claim.status, "")
        return f"{claim.status.capitalize()}: {'; '.join(parts)}" + (f" (the rule: {rule})." if rule else ".")

    def highlighted(self, article: Article, wanted: set[str] | None = None) -> dict:
        """The article text cut into segments, each with the spans covering it.

        ``wanted``: the annotation ids to mark (all, when None). Offsets are the stored
        ``oa:start``/``oa:end`` (code points of the article text, as the loader checked them).
        """
        text_rows = self.rows("article-text", node=article.node)
        text = text_rows[0]["text"] if text_rows else ""
        spans = []
        for row in self.rows("article-spans", node=article.node):
            span_id = local(row["annotation"])
            if wanted is not None and span_id not in wanted:
                continue
            start, end = int(row["start"]), int(row["end"])
            if not 0 <= start < end <= len(text):
                continue
            body = row["body"]
            if body.startswith(ID + "event/"):
                target = ("claim", local(body, ID + "event/"))
            elif local(body) in self.entities:
                target = ("entity", local(body))
            else:
                target = ("other", body)
            span = {"id": span_id, "start": start, "end": end, "exact": row["exact"], "kind": target[0], "target": target[1],
                    "title": self.claims[target[1]].label if target[0] == "claim" and target[1] in self.claims
                    else self.name(target[1])}
            if not any(s["id"] == span_id for s in spans):
                spans.append(span)
        cuts = sorted({0, len(text), *(s["start"] for s in spans), *(s["end"] for s in spans)})
        segments = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            covering = [s for s in spans if s["start"] <= a and b <= s["end"]]
            covering.sort(key=lambda s: s["end"] - s["start"])  # the narrowest span links
            segments.append({"text": text[a:b], "spans": covering, "starts": [s for s in spans if s["start"] == a]})
        return {"article": article, "segments": segments, "spans": spans, "length": len(text)}

    def article_page(self, article_id: str) -> dict | None:
        article = self.articles.get(article_id)
        if article is None:
            return None
        page = self.highlighted(article)
        page["claims"] = [self.claims[c] for c in article.claims if c in self.claims]
        page["publisher"] = self.entities.get(article.publisher or "")
        return page

    # --- lists --------------------------------------------------------------------------
    FACETS = ("status", "kind", "year", "outlet", "jurisdiction")

    def facet_values(self, claim: Claim, facet: str) -> list[str]:
        if facet == "status":
            return [claim.status]
        if facet == "kind":
            return [claim.kind]
        if facet == "year":
            return [claim.year] if claim.year else []
        if facet == "outlet":
            return [self.name(o) for o in claim.outlets]
        if facet == "jurisdiction":
            countries = set()
            for _, slug in claim.roles:
                entity = self.entities.get(slug)
                if entity and entity.country:
                    countries.add(self.name(entity.country))
                elif entity and entity.type == "country":
                    countries.add(entity.name)
            return sorted(countries)
        raise KeyError(facet)

    def claims_list(self, chosen: dict[str, list[str]], entity: str | None = None
                    ) -> tuple[list[Claim], dict[str, list[tuple[str, int, bool]]]]:
        """Claims matching every chosen facet value (and naming ``entity``, if given), and
        each facet's counts among the claims that match the other facets (as Datasette and
        most catalogues count)."""
        chosen = {f: set(v) for f, v in chosen.items() if f in self.FACETS and v}
        table = self._facet_table()
        if entity:
            wanted = {slug for _, slug in self.entities[entity].claims} if entity in self.entities else set()
            table = [row for row in table if row[0].slug in wanted]
        key = (tuple(sorted((f, tuple(sorted(v))) for f, v in chosen.items())), entity)
        cached = self._lists.get(key)
        if cached:
            return cached
        # Per claim, the facets it fails: it is listed if it fails none, and counted in a
        # facet if it fails no other.
        selected, counts = [], {f: Counter() for f in self.FACETS}
        for claim, values in table:
            failed = [f for f, wanted in chosen.items() if not (set(values[f]) & wanted)]
            if not failed:
                selected.append(claim)
            for facet in self.FACETS:
                if not failed or failed == [facet]:
                    counts[facet].update(values[facet])
        facets = {}
        for facet in self.FACETS:
            ranked = sorted(counts[facet].items(), key=lambda kv: (-kv[1], kv[0]))
            facets[facet] = [(v, n, v in chosen.get(facet, ())) for v, n in ranked]
        result = (selected, facets)
        if len(self._lists) < 256:  # the store does not change while serving
            self._lists[key] = result
        return result

    def _facet_table(self) -> list[tuple[Claim, dict[str, tuple[str, ...]]]]:
        if self._facets is None:
            order = sorted(self.claims.values(),
                           key=lambda c: (STATUS_ORDER.index(c.status) if c.status in STATUS_ORDER else 9, c.date or "", c.label))
            self._facets = [(c, {f: tuple(self.facet_values(c, f)) for f in self.FACETS}) for c in order]
        return self._facets

    def claim_record(self, claim: Claim) -> dict:
        return {"claim": claim.slug, "label": claim.label, "kind": claim.kind, "status": claim.status,
                "date": claim.date, "topic": claim.topic,
                "parties": "; ".join(f"{role}: {self.name(s)}" for role, s in claim.roles),
                "articles": "; ".join(claim.articles), "outlets": "; ".join(self.name(o) for o in claim.outlets),
                "article_count": len(claim.articles)}

    def entity_record(self, entity: Entity) -> dict:
        return {"entity": entity.slug, "name": entity.name, "type": entity.type, "aliases": "; ".join(entity.aliases),
                "country": self.name(entity.country) if entity.country else None, "claims": len(entity.claims),
                "wikidata": entity.wikidata}

    def actor_graph(self):
        """The actor graph (cached: the store does not change while serving)."""
        if self._actor_graph is None:
            from ..analysis import actor_graph

            self._actor_graph = actor_graph(PoolStore(self, LOAD_TIMEOUT), evidence=True)
        return self._actor_graph


class PoolStore:
    """The reading half of ``graph.store.Store`` over the pool, for library functions
    (``actor_graph``, ``run_query``) that take a store."""

    def __init__(self, explorer: Explorer, timeout: float | None = None):
        self.explorer, self.timeout = explorer, timeout
        self.description = explorer.description

    def query(self, sparql: str, bindings: dict | None = None):
        from ..store import QueryResult

        answer = self.explorer.pool.run(bind_values(sparql, bindings), "json", timeout=self.timeout)
        result = ox.parse_query_results(answer.body, ox.QueryResultsFormat.JSON)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult([], [], bool(result))
        return QueryResult([v.value for v in result.variables], [list(s) for s in result])

    def select_values(self, sparql: str) -> list[list[str | None]]:
        answer = self.explorer.pool.run(sparql, "tsv", timeout=self.timeout)
        lines = answer.body.decode("utf-8").split("\n")
        return [[_tsv_value(f) for f in line.split("\t")] for line in lines[1:] if line]


def to_csv(records: list[dict], columns: list[str] | None = None) -> str:
    columns = columns or (list(records[0]) if records else [])
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: ("" if v is None else v) for k, v in record.items()})
    return out.getvalue()
