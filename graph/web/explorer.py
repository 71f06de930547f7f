"""What the explorer's pages show, read from the store through the query pool.

The store does not change while ``autokg serve`` runs (it holds the store's write lock), so
the tables every page needs (entities, claims, their roles and articles) are read once at
start, from the claims' summaries, and the search index and the actor graph once after serve
listens; a page then costs one or two look-ups bound to its subject. For a store folder all
three are kept in files beside it (``STORE.cache/``, with the store's fingerprint), so the
next start reads them instead, until a write changes the store.
Every query is a ``.rq`` file in ``graph/web/queries/``; parameters are bound as RDF terms.
"""

from __future__ import annotations

import csv
import io
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from ..errors import AutokgError, QueryError, UnknownEntityError
from ..store import _tsv_value, bind_values
from ..terms import mentions_graph
from .pool import QueryPool
from .search import SearchIndex, fold

__all__ = ["Explorer", "web_query", "ID", "Entity", "Claim", "Article"]

ID = "https://w3id.org/autokg/id/"
AK = "https://w3id.org/autokg#"
QUERIES = Path(__file__).resolve().parent / "queries"
ENTITY_CLAIMS_SHOWN = 100
MENTIONS_SHOWN = 100  # an outlet is mentioned in most articles: the latest are shown
# Seconds each start-up query may take (whole-store tables; a page's look-ups get the
# pool's own, short limit).
LOAD_TIMEOUT = 900.0
ANSWERS_KEPT = 16  # question pages' results kept for their next pages (Explorer.answer)
CHUNK = 100  # rows per compressed chunk of an answer computed at start (KeptRows): a question page's rows
# Entities in this many claims have every question about them answered at start (Explorer.prepare_answers):
# at 10,000 articles the 14 busiest, whose profiles take the store 0.3-1.1 s; none at 1,000.
BUSY_CLAIMS = 2000
BUSY_ENTITIES = 16
# What start-up reads: flat tables, joined in Python (see claim-statuses.rq).
_START_TABLES = ("claim-parties", "labels", "entities", "claim-statuses", "claim-kinds", "claim-articles",
                 "attribution-claims", "attribution-outlets", "claim-dates", "claim-topics", "articles", "aliases")
# Bump when what the cache files hold changes shape (Entity, Claim, Article, SearchIndex, KeptRows).
_CACHE_FORMAT = 3
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


@dataclass
class _Graph:
    """The actor graph's snapshot, with each node's edges (by position) and degree."""

    held: object  # graph.snapshot.ActorSnapshot
    by_node: dict[str, list[int]]
    degree: Counter


class Explorer:
    def __init__(self, pool: QueryPool, description: str, path: str | None = None):
        self.pool, self.description, self.path = pool, description, path
        self.entities: dict[str, Entity] = {}
        self.claims: dict[str, Claim] = {}
        self.articles: dict[str, Article] = {}
        self.index = SearchIndex()
        self._snapshot: _Graph | None = None
        self._index_ready = threading.Event()
        self._then: list = []
        self._prepared = threading.Event()
        self._saved = threading.Event()  # the cache files written (or nothing to write)
        self._building_index, self._building_graph = threading.Lock(), threading.Lock()
        self._facets = None
        self._lists: dict = {}
        self._answers: OrderedDict = OrderedDict()  # question pages' results (``answer``)
        self._answers_lock = threading.Lock()
        self._computing: dict = {}  # questions being answered (``answer``): SPARQL -> Future
        self._computer = ThreadPoolExecutor(max(1, pool.size), thread_name_prefix="autokg-answer")
        self._prepared_answers: dict[str, KeptRows] = {}  # answers computed at start, by SPARQL
        self._answered = threading.Event()  # prepare_answers done
        self._fingerprint: str | None = None
        self._article_of: dict[str, Article] | None = None  # by its mentions graph
        self._unsaved: list[tuple[str, tuple[str, ...]]] = []  # cache files to write (``_save``)

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

    def answer(self, query_file, values: dict[str, str], wait: float | None = None):
        """The result of a question (a query file) with these parameters, kept for the next
        pages of the same answer: the store does not change while serving, and the profile of
        a busy entity (15,741 rows at 10,000 articles) takes the store a second to compute.
        Answers are keyed by the SPARQL they run (an entity by id, name or alias is one key).
        The last ``ANSWERS_KEPT`` answers are kept; a failed one is not. The whole listings
        and the busiest entities' answers were computed before anyone asked (``prepare_answers``).
        With ``wait``, None if the answer is not there within that many seconds: it goes on
        being computed (once, however many ask), and is kept when done."""
        from concurrent.futures import TimeoutError as NotYet

        from ..queries import query_text
        from ..store import QueryResult

        text = query_text(PoolStore(self), query_file, values)
        kept = self._prepared_answers.get(text)
        if kept is not None:
            return QueryResult(kept.variables, kept)
        with self._answers_lock:
            if text in self._answers:
                self._answers.move_to_end(text)
                return self._answers[text]
            future = self._computing.get(text)
            if future is None:
                future = self._computing[text] = self._computer.submit(self._compute, text)
        try:
            return future.result(timeout=wait)
        except NotYet:
            return None

    def _compute(self, text: str):
        try:
            result = PoolStore(self).query(text)
            with self._answers_lock:
                self._answers[text] = result
                while len(self._answers) > ANSWERS_KEPT:
                    self._answers.popitem(last=False)
            return result
        finally:
            with self._answers_lock:
                self._computing.pop(text, None)

    def close(self) -> None:
        """Drop the questions not yet started (serve is stopping: the pool closes next)."""
        self._computer.shutdown(wait=False, cancel_futures=True)

    def prepare_answers(self) -> None:
        """Compute, once, the answers that take the store seconds: every question asked with
        no parameter (a listing of every claim: 88,275 rows in 15 s for sources at 10,000
        articles), and every question about each of the busiest entities (those in at least
        ``BUSY_CLAIMS`` claims, at most ``BUSY_ENTITIES`` of them: the profile of an entity in
        10,962 claims takes a second). They run alone on one query worker while serve answers
        on the others, and are kept compressed (``KeptRows``), and in a cache file beside a
        store folder. A remote endpoint is not sent every listing at each start (nothing is
        kept between starts there): its questions are asked when a visitor asks."""
        from ..queries import list_queries, query_text

        if self.pool.spec.startswith(("http://", "https://")) or self._from_cache("answers", ("_prepared_answers",)):
            return
        busiest = sorted((e for e in self.entities.values() if len(e.claims) >= BUSY_CLAIMS),
                         key=lambda e: (-len(e.claims), e.slug))[:BUSY_ENTITIES]
        store = PoolStore(self, LOAD_TIMEOUT)
        asked = []
        for query_file in list_queries():
            if not any(p.required for p in query_file.parameters):
                asked.append((query_file, {}))
            if not any(p.required and p.type != "entity" for p in query_file.parameters):
                asked += [(query_file, {p.name: e.slug}) for p in query_file.parameters if p.type == "entity"
                          for e in busiest]
        kept: dict[str, KeptRows] = {}
        for query_file, values in asked:
            try:
                text = query_text(store, query_file, values)
                kept[text] = KeptRows.of(self.pool.run(text, "tsv", timeout=LOAD_TIMEOUT).body)
            except (QueryError, UnknownEntityError):  # asked again if a visitor asks
                continue
        self._prepared_answers = kept
        self._unsaved.append(("answers", ("_prepared_answers",)))

    def tables(self, names: tuple[str, ...], timeout: float = LOAD_TIMEOUT) -> dict[str, list[list]]:
        """Whole-store tables (queries without parameters) as rows of plain values, read side
        by side on the pool's workers."""

        def read(name: str) -> list[list]:
            answer = self.pool.run(web_query(name), "tsv", timeout=timeout)
            lines = answer.body.decode("utf-8").split("\n")
            return [[_tsv_value(f) for f in line.split("\t")] for line in lines[1:] if line]
        threads = ThreadPoolExecutor(max(1, self.pool.size), thread_name_prefix="autokg-table")
        try:
            futures = {name: threads.submit(read, name) for name in names}
            return {name: future.result() for name, future in futures.items()}
        finally:
            # Not waiting: a stop signal lands here, and the threads end when the pool closes.
            threads.shutdown(wait=False, cancel_futures=True)

    def load(self) -> Explorer:
        """Read the tables every page uses, from the cache file beside a store folder when it
        is current, else from the store (``_read``); the search index and the actor graph
        follow in the background (``prepare``)."""
        from ..memory import cycle_collector_paused

        with cycle_collector_paused():
            if not self._from_cache("tables", ("entities", "claims", "articles")):
                self._read()
                self._unsaved.append(("tables", ("entities", "claims", "articles")))
        return self

    # --- the cache beside a store folder ----------------------------------------------------
    def _cache_file(self, name: str) -> Path | None:
        """``STORE.cache/explorer-NAME.pickle``, beside graph.snapshot's file; None for a store
        that is not a folder (memory, an endpoint)."""
        if not self.path:
            return None
        folder = Path(self.path)
        return folder.with_name(folder.name + ".cache") / f"explorer-{name}.pickle"

    def fingerprint(self) -> str:
        """The store's fingerprint (graph.snapshot: every graph's version; any write changes it)."""
        if self._fingerprint is None:
            from ..snapshot import fingerprint

            self._fingerprint = f"{_CACHE_FORMAT} {_shapes()} {fingerprint(PoolStore(self, LOAD_TIMEOUT))}"
        return self._fingerprint

    def _from_cache(self, name: str, attributes: tuple[str, ...]) -> bool:
        """Set ``attributes`` from the cache file ``name`` if it was written at the store's
        present fingerprint; False if there is none, or it is stale or unreadable."""
        import pickle

        path = self._cache_file(name)
        if path is None or not path.is_file():
            return False
        try:
            with path.open("rb") as f:
                held = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, ImportError):
            return False
        if not isinstance(held, dict) or held.get("fingerprint") != self.fingerprint():
            return False
        for attribute in attributes:
            setattr(self, attribute, held[attribute])
        return True

    def _save(self) -> None:
        """Write the cache files of what was read or built from the store (atomically; a store
        folder whose parent cannot take them is no error)."""
        import os
        import pickle

        while self._unsaved:
            name, attributes = self._unsaved.pop(0)
            path = self._cache_file(name)
            if path is None:
                continue
            try:
                path.parent.mkdir(exist_ok=True)
                for stale in path.parent.glob(f"{path.name}.*.part"):  # a serve stopped while writing
                    stale.unlink(missing_ok=True)
                tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
                with tmp.open("wb") as f:
                    pickle.dump({"fingerprint": self.fingerprint(), **{a: getattr(self, a) for a in attributes}}, f,
                                protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except OSError:
                pass

    def _read(self) -> None:
        """The tables from the store: flat tables of the claims' summaries (written at load),
        joined here."""
        t = self.tables(_START_TABLES)
        for entity_iri, name, kind, country, same_as in t["entities"]:
            slug = local(entity_iri)
            entity = self.entities.get(slug)
            if entity is None:
                entity = self.entities[slug] = Entity(slug, name or slug)
            if kind and kind not in entity.types:
                entity.types.append(kind)
            if country:
                entity.country = local(country)
            if same_as and same_as not in entity.same_as:
                entity.same_as.append(same_as)
        for entity in self.entities.values():
            # the most specific type first: "automaker" before "company" before "organisation"
            entity.types.sort(key=lambda t: (t in ("agent", "organisation", "organization", "company", "place"), t))
        for entity_iri, alias in t["aliases"]:
            entity = self.entities.get(local(entity_iri))
            if entity and alias not in entity.aliases:
                entity.aliases.append(alias)
        labels: dict[str, str] = {}
        for thing, label in t["labels"]:
            labels.setdefault(thing, label)
        kinds = dict(t["claim-kinds"])
        event = ID + "event/"
        claims = self.claims
        for claim_iri, status in sorted(t["claim-statuses"]):
            slug = local(claim_iri, event)
            if slug not in claims:
                claims[slug] = Claim(slug, labels.get(claim_iri) or slug, (kinds.get(claim_iri) or "claim").lower(),
                                     status.rpartition("#")[2])
        for claim_iri, date in t["claim-dates"]:
            claim = claims.get(local(claim_iri, event))
            if claim and claim.date is None:
                claim.date = date
        for claim_iri, topic in t["claim-topics"]:
            claim = claims.get(local(claim_iri, event))
            if claim and claim.topic is None:
                claim.topic = topic
        for claim_iri, prop, entity_iri in sorted(t["claim-parties"]):
            claim, slug, role = claims.get(local(claim_iri, event)), local(entity_iri), labels.get(prop)
            if claim and role and slug in self.entities:
                pair = (role, slug)
                if pair not in claim.roles:
                    claim.roles.append(pair)
                    self.entities[slug].claims.append((role, claim.slug))
        by_node = {}
        for node, article_id, headline, publisher, date, url, _, record in t["articles"]:
            if article_id not in self.articles:
                self.articles[article_id] = by_node[node] = Article(node, article_id, headline or article_id,
                                                                    local(publisher) or None, date, url,
                                                                    record=local(record) or None)
        for claim_iri, node in sorted(t["claim-articles"], key=lambda r: (r[0], by_node[r[1]].id if r[1] in by_node else "")):
            claim, article = claims.get(local(claim_iri, event)), by_node.get(node)
            if claim and article and article.id not in claim.articles:
                claim.articles.append(article.id)
                article.claims.append(claim.slug)
        about = dict(t["attribution-claims"])
        for attribution, outlet in sorted(t["attribution-outlets"]):
            claim = claims.get(local(about.get(attribution), event))
            slug = local(outlet)
            if claim and slug not in claim.outlets:
                claim.outlets.append(slug)

    def _index(self) -> None:
        index = SearchIndex()
        for e in self.entities.values():
            index.add("entity", e.slug, e.name, e.type, names=[e.name, *e.aliases], ids=[e.slug])
        quotes: dict[str, list[str]] = defaultdict(list)
        article_quotes: dict[str, list[str]] = defaultdict(list)
        t = self.tables(("quote-texts", "annotation-bodies"))
        bodies = dict(t["annotation-bodies"])
        # Evidence quotes are in their article's graph, mentions in its mentions graph.
        by_node = {g: a.id for a in self.articles.values() for g in (a.node, mentions_graph(a.id))}
        for graph, selector, exact in t["quote-texts"]:
            # autokg names an annotation's quote selector ANNOTATION/quote (graph.assertions),
            # and keeps each article in the named graph of its node.
            article = by_node.get(graph)
            body = bodies.get(selector.removesuffix("/quote")) if selector.endswith("/quote") else None
            if article is None or body is None:
                continue
            quotes[body].append(exact)
            article_quotes[article].append(exact)
        for c in self.claims.values():
            index.add("claim", c.slug, c.label, f"{c.kind}, {c.status}", ids=[c.slug],
                      titles=[c.label, c.topic or ""], texts=quotes.get(ID + "event/" + c.slug, []))
        for a in self.articles.values():
            publisher = self.entities.get(a.publisher or "")
            index.add("article", a.id, a.headline, ", ".join(x for x in (publisher.name if publisher else "", a.date or "") if x),
                      ids=[a.id], titles=[a.headline], texts=article_quotes.get(a.id, []))
        index.search("x")  # builds the typo index now, not on the first visitor's search
        self.index = index

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
        hits = self.search_index().search(text, limit, group="entity")
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
        mentions, mentions_total = self.mentions(iri)
        in_country = sorted((e for e in self.entities.values() if e.country == slug), key=lambda e: fold(e.name))
        return {"entity": entity, "claims": rows, "claims_total": total, "timeline": timeline, "posts": posts,
                "mentions": mentions, "mentions_total": mentions_total, "in_country": in_country[:200],
                "in_country_total": len(in_country)}

    def mentions(self, iri: str, limit: int = MENTIONS_SHOWN) -> tuple[list[dict], int]:
        """The entity's mentions in the latest articles mentioning it (by date, then id), at
        most ``limit``: each with its article, where it starts and its exact text; and how
        many in all."""
        if self._article_of is None:
            self._article_of = {mentions_graph(a.id): a for a in self.articles.values()}
        counts = {}
        for row in self.rows("entity-mention-articles", entity=iri):
            if row["graph"] in self._article_of:
                counts[row["graph"]] = int(row["mentions"])
        latest, taken = [], 0
        for node in sorted(counts, key=lambda n: (self._article_of[n].date or "", self._article_of[n].id), reverse=True):
            if taken >= limit:
                break
            latest.append(node)
            taken += counts[node]
        rows = []
        if latest:
            found = {row["annotation"]: self._article_of[row["graph"]] for row in self.select(
                _with_values(web_query("entity-mention-annotations"), "graph", latest), {"entity": ox.NamedNode(iri)})}
            seen = set()
            for row in self.select(_with_values(web_query("mention-quotes"), "annotation", sorted(found))):
                if row["annotation"] not in seen and row["start"] is not None and row["exact"] is not None:
                    seen.add(row["annotation"])
                    article = found[row["annotation"]]
                    rows.append((article.date or "", article.id, -int(row["start"]),
                                 {"article": article.id, "start": int(row["start"]), "exact": row["exact"]}))
        rows.sort(key=lambda r: r[:3], reverse=True)  # latest article first, each in reading order
        return [r[3] for r in rows[:limit]], sum(counts.values())

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
        shown = [self.articles[a] for a in sorted(spans_by_article, key=lambda a: (a not in claim.articles, a))
                 if a in self.articles]
        # Every article's text and spans in two queries, not two per article.
        nodes = [a.node for a in shown]
        text_rows, span_rows = defaultdict(list), defaultdict(list)
        if nodes:
            for row in self.select(_with_values(web_query("articles-texts"), "node", nodes)):
                text_rows[row["node"]].append(row)
            for row in self.select(_with_values(web_query("articles-spans"), "node", nodes)):
                span_rows[row["node"]].append(row)
        for article in shown:
            texts[article.id] = self.highlighted(article, {s["id"] for s in spans_by_article[article.id]},
                                                 text_rows[article.node], span_rows[article.node])
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

    def highlighted(self, article: Article, wanted: set[str] | None = None, text_rows: list[dict] | None = None,
                    span_rows: list[dict] | None = None) -> dict:
        """The article text cut into segments, each with the spans covering it.

        ``wanted``: the annotation ids to mark (all, when None). Offsets are the stored
        ``oa:start``/``oa:end`` (code points of the article text, as the loader checked them).
        ``text_rows``, ``span_rows``: the article's rows of article-text.rq and
        article-spans.rq, when already read (in the order those give them).
        """
        if text_rows is None:
            text_rows = self.rows("article-text", node=article.node)
        if span_rows is None:
            span_rows = self.rows("article-spans", node=article.node)
        text = text_rows[0]["text"] if text_rows else ""
        spans = []
        for row in span_rows:
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

    # --- built after start-up ---------------------------------------------------------------
    def prepare(self) -> threading.Thread:
        """Build the claims' facet table and the search index and read the actor graph's snapshot
        in a background thread, so that serve listens as soon as the tables are read; a page that
        needs one waits for it (``search_index``, ``snapshot``) or builds it (the facet table)."""
        def build():
            try:
                self.claims_list({})  # the facet table (4 s at 10,000 articles), before any visitor asks
                self.search_index()
                self.snapshot()
                for step in self._then:
                    step()
                self._prepared.set()
                self._save()
                self._saved.set()
                self.prepare_answers()
                self._save()
                self._answered.set()
            except (AutokgError, OSError, ValueError):
                # The pool closed under it (serve is stopping), or the store failed: a page
                # that needs what is missing builds it again and shows the error.
                pass
        thread = threading.Thread(target=build, name="autokg-prepare", daemon=True)
        thread.start()
        return thread

    def then(self, step) -> None:
        """Run ``step`` in the background once the search index and actor graph are built."""
        self._then.append(step)

    def ready(self) -> dict[str, bool]:
        return {"search_index": self._index_ready.is_set(), "actor_graph": self._snapshot is not None,
                "graph_page": self._prepared.is_set(), "cache_saved": self._saved.is_set(),
                "answers": self._answered.is_set()}

    def search_index(self) -> SearchIndex:
        """The search index, built once (the first caller builds it, the others wait), or read
        from the cache file beside the store."""
        with self._building_index:
            if not self._index_ready.is_set():
                from ..memory import cycle_collector_paused

                with cycle_collector_paused():
                    if not self._from_cache("search", ("index",)):
                        self._index()
                        self._unsaved.append(("search", ("index",)))
                self._index_ready.set()
        return self.index

    def snapshot(self) -> _Graph:
        """The actor graph's rows (``graph.snapshot``): from the snapshot file beside a store
        folder when it is current, else read from the store once (and kept in that file)."""
        with self._building_graph:
            if self._snapshot is None:
                from ..snapshot import snapshot

                held = snapshot(PoolStore(self, LOAD_TIMEOUT, path=self.path))
                by_node: dict[str, list[int]] = defaultdict(list)
                degree: Counter = Counter()
                for number, e in enumerate(held.edges):
                    by_node[e["source"]].append(number)
                    if e["target"] != e["source"]:
                        by_node[e["target"]].append(number)
                    degree[e["source"]] += 1  # as networkx counts a MultiDiGraph's degree
                    degree[e["target"]] += 1
                self._snapshot = _Graph(held, by_node, degree)
        return self._snapshot

    def in_graph(self, slug: str) -> bool:
        return ID + slug in self.snapshot().by_node

    def graph(self, center: str | None = None, depth: int = 1, limit: int = 300, edge_limit: int = 1000):
        """The part of the actor graph a view draws, as a networkx MultiDiGraph with evidence
        quotes: the ``limit`` best-connected entities (most claim edges, then by name) of the
        whole graph or of those within ``depth`` hops of ``center`` (its ego network), and at
        most ``edge_limit`` of the edges among them (``_budget``); and the node and edge counts
        of all it was chosen from."""
        import networkx as nx

        from ..analysis import _build
        from ..snapshot import evidence_for

        g = self.snapshot()
        edges = g.held.edges
        if center is None:
            pool_nodes, degree = list(g.by_node), g.degree
        else:
            near, frontier = {center}, [center]
            for _ in range(depth):
                reached = []
                for n in frontier:
                    for m in g.held.adjacent.get(n, ()):
                        if m not in near:
                            near.add(m)
                            reached.append(m)
                frontier = reached
            pool_nodes = list(near)
            degree = Counter()
            for number in {i for n in near for i in g.by_node.get(n, ())}:
                e = edges[number]
                if e["source"] in near and e["target"] in near:
                    degree[e["source"]] += 1
                    degree[e["target"]] += 1
        total_nodes = len(pool_nodes)
        total_edges = sum(degree.values()) // 2
        label = {n: str(g.held.nodes.get(n, {}).get("label") or n) for n in pool_nodes}
        keep = set(sorted(pool_nodes, key=lambda n: (-degree[n], label[n], n))[:limit])
        numbers = sorted({i for n in keep for i in g.by_node.get(n, ())})
        chosen = _budget([edges[i] for i in numbers if edges[i]["source"] in keep and edges[i]["target"] in keep],
                         edge_limit)
        quotes = evidence_for(PoolStore(self), {e["claim"] for e in chosen})
        G = _build(nx.MultiDiGraph(name="autokg actor graph"), g.held.nodes, chosen, quotes,
                   also=(center,) if center else ())
        return G, (total_nodes, total_edges)


def _with_values(sparql: str, name: str, iris) -> str:
    """``sparql`` with ``VALUES ?name { ... }`` of the given IRIs (each serialised by pyoxigraph,
    as bind_values does) at the start of its WHERE group."""
    at = sparql.index("WHERE {") + len("WHERE {")
    values = " ".join(str(ox.NamedNode(i)) for i in iris)
    return f"{sparql[:at]}\n  VALUES ?{name} {{ {values} }}{sparql[at:]}"


def _shapes() -> str:
    """The fields of what the cache files hold: a file written by code whose records had other
    fields is stale even if nobody bumped _CACHE_FORMAT."""
    from dataclasses import fields

    from .search import _Doc

    return ";".join(f"{cls.__name__}:{','.join(f.name for f in fields(cls))}" for cls in (Entity, Claim, Article, _Doc))


def _budget(edges: list[dict], limit: int) -> list[dict]:
    """At most ``limit`` of ``edges``: one claim of every pair of entities first (the pairs
    with the most claims first), then a second of each, and so on; the most recent claims of
    a pair first. Between the best-connected entities of a large store there are tens of
    thousands of claims (37 MB of page at 10,000 articles), more than a drawing can show."""
    if len(edges) <= limit:
        return edges
    pairs: dict[frozenset, list[dict]] = defaultdict(list)
    for e in edges:
        pairs[frozenset((e["source"], e["target"]))].append(e)
    ranked = sorted(pairs.values(), key=lambda group: (-len(group), min(e["claim"] for e in group)))
    for group in ranked:
        group.sort(key=lambda e: e["claim"])
        group.sort(key=lambda e: e["when"] or "", reverse=True)  # stable: undated last, ties by claim
    chosen: list[dict] = []
    rank = 0
    while len(chosen) < limit:
        taken = [group[rank] for group in ranked if rank < len(group)]
        if not taken:
            break
        chosen.extend(taken[:limit - len(chosen)])
        rank += 1
    return chosen


class KeptRows(Sequence):
    """The rows of an answer computed at start, kept as its SPARQL TSV lines, compressed by
    chunks of ``CHUNK``, and made terms only where read: a page of the listing of every claim
    (88,275 rows at 10,000 articles; 93 MB as terms, 2.3 MB kept) reads 100 rows."""

    __hash__ = None

    def __init__(self, variables: list[str], header: str, chunks: list[bytes], count: int, size: int):
        self.variables, self.header, self.chunks, self.count = variables, header, chunks, count
        self.size = size  # rows per chunk: a cache file written with another CHUNK reads right

    @classmethod
    def of(cls, body: bytes) -> KeptRows:
        import zlib

        header, _, rest = body.decode("utf-8").partition("\n")
        lines = [line for line in rest.split("\n") if line]  # a literal's line breaks are escaped in TSV
        chunks = [zlib.compress("\n".join(lines[i:i + CHUNK]).encode("utf-8"), 1) for i in range(0, len(lines), CHUNK)]
        return cls([v.lstrip("?") for v in header.split("\t")] if header else [], header, chunks, len(lines), CHUNK)

    def _chunk(self, number: int) -> list[list]:
        import zlib

        body = f"{self.header}\n{zlib.decompress(self.chunks[number]).decode('utf-8')}\n".encode()
        return [list(solution) for solution in ox.parse_query_results(body, ox.QueryResultsFormat.TSV)]

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self.count)
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            rows: list[list] = []
            for number in range(start // self.size, (stop - 1) // self.size + 1) if stop > start else ():
                base = number * self.size
                rows += self._chunk(number)[max(0, start - base):stop - base]
            return rows
        if index < 0:
            index += self.count
        if not 0 <= index < self.count:
            raise IndexError("row index out of range")
        return self._chunk(index // self.size)[index % self.size]

    def __iter__(self):
        for number in range(len(self.chunks)):
            yield from self._chunk(number)

    def __eq__(self, other) -> bool:
        return isinstance(other, (list, KeptRows)) and list(self) == list(other)


class PoolStore:
    """The reading half of ``graph.store.Store`` over the pool, for library functions
    (``actor_graph``, ``run_query``) that take a store."""

    def __init__(self, explorer: Explorer, timeout: float | None = None, path: str | None = None):
        self.explorer, self.timeout = explorer, timeout
        self.path = path  # a store folder: graph.snapshot keeps its snapshot file beside it
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
