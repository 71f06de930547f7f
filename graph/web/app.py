"""The explorer as an ASGI application (Starlette): pages rendered on the server, read-only.

Every page works without JavaScript; two small scripts add name suggestions to the search
box and draw the graph. Every response carries a Content-Security-Policy that allows
nothing from outside this server, and every text from the store is escaped (Jinja2
autoescaping, ``markupsafe`` for the article text). Only GET and HEAD are answered, and
POST on ``/sparql`` with a SPARQL content type.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import AutokgError, QueryError
from .explorer import STATUS_MEANING, STATUS_ORDER, Explorer, to_csv
from .pool import PoolBusy, QueryTimeout
from .sparql import FORM_TYPES, SPARQL_QUERY_TYPE, negotiate, uses_service

__all__ = ["create_app", "CSP"]

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'")
# The graph view is one self-contained page (inline data and script, as `autokg view` writes it).
VIEW_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
            "connect-src 'none'; frame-ancestors 'self'; form-action 'none'; base-uri 'none'")
PAGE_SIZE = 100
PAGE_WAIT = 0.4  # seconds a question page waits for its answer before it says it is being computed
EXPORT_CACHE_BYTES = 512_000_000
# The graph page shows the best-connected entities (laid out in the browser); focus shows the rest.
GRAPH_NODES = 300
# And at most this many claim edges among them (Explorer.graph).
GRAPH_EDGES = 1000


def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["q"] = lambda value: urllib.parse.quote(str(value), safe="")
    env.filters["qs"] = lambda params: urllib.parse.urlencode([(k, v) for k, v in params if v not in (None, "")])
    env.globals.update(STATUS_ORDER=STATUS_ORDER, STATUS_MEANING=STATUS_MEANING)
    return env


def json_text(value) -> str:
    """JSON with '<', '>' and '&' escaped, so no browser can read it as markup."""
    return (json.dumps(value, ensure_ascii=False, indent=1).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


def json_response(value, status: int = 200) -> Response:
    return Response(json_text(value), status, media_type="application/json")


def csv_response(records: list[dict], name: str, columns: list[str] | None = None) -> Response:
    return Response(to_csv(records, columns), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'inline; filename="{name}.csv"'})


def paged(request: Request, rows: list) -> tuple[list, int, int]:
    """The rows of the page ``?page=N`` asks for (the first when it names none or no number),
    its number and the number of pages."""
    try:
        number = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        number = 1
    return rows[(number - 1) * PAGE_SIZE: number * PAGE_SIZE], number, max(1, -(-len(rows) // PAGE_SIZE))


def render_text(page: dict) -> Markup:
    """The article text with each span as a <mark> linked to its claim or entity page."""
    out = []
    for segment in page["segments"]:
        anchors = "".join(f'<span class="anchor" id="span-{escape(s["id"].replace("/", "-"))}"></span>'
                          for s in segment["starts"])
        text = escape(segment["text"])
        spans = segment["spans"]
        if not spans:
            out.append(anchors + str(text))
            continue
        first = spans[0]
        href = {"claim": "/claim/", "entity": "/entity/"}.get(first["kind"])
        ids = " ".join(s["id"] for s in spans)
        kinds = " ".join(sorted({f"mark-{s['kind']}" for s in spans}))
        title = "; ".join(s["title"] for s in spans)
        inner = (f'<a href="{href}{escape(urllib.parse.quote(first["target"], safe=""))}">{text}</a>'
                 if href else str(text))
        out.append(f'{anchors}<mark class="{kinds}" data-spans="{escape(ids)}" title="{escape(title)}">{inner}</mark>')
    return Markup("".join(out))


class SecurityHeaders:
    """CSP and friends on every response; only this server's own host names are answered."""

    def __init__(self, app, allowed_hosts: set[str]):
        self.app, self.allowed_hosts = app, allowed_hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
        if self.allowed_hosts and host not in self.allowed_hosts:
            # DNS rebinding: a page from elsewhere reaching 127.0.0.1 under its own name.
            response = PlainTextResponse(f"unknown host {host!r}", 421)
            return await response(scope, receive, send)
        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k.lower() == b"content-security-policy" for k, _ in headers):
                    headers.append((b"content-security-policy", CSP.encode()))
                headers += [
                            (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                            (b"cross-origin-resource-policy", b"same-origin"), (b"x-frame-options", b"SAMEORIGIN")]
                message = {**message, "headers": headers}
            await send(message)
        await self.app(scope, receive, with_headers)


def create_app(explorer: Explorer, *, allow_service: bool = False, allowed_hosts: set[str] | None = None) -> Starlette:
    env = _environment()

    def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        context.setdefault("q", "")
        html = env.get_template(template).render(request=request, store=explorer.description, **context)
        return HTMLResponse(html, status)

    def not_found(request: Request, what: str) -> HTMLResponse:
        return page(request, "error.html", 404, title="Not found", message=what)

    exports: dict[str, Response] = {}
    exported_bytes = [0]

    def exported(request: Request, make) -> Response:
        """A whole list as CSV or JSON, made once per URL: the store does not change while
        serving, and at 10,000 articles a full export takes seconds to build."""
        key = str(request.url.path) + "?" + str(request.url.query)
        response = exports.get(key)
        if response is None:
            response = make()
            if exported_bytes[0] + len(response.body) < EXPORT_CACHE_BYTES:
                exports[key] = response
                exported_bytes[0] += len(response.body)
        return Response(response.body, response.status_code, media_type=response.media_type,
                        headers={k: v for k, v in response.headers.items() if k.lower() == "content-disposition"})

    def wants(request: Request, suffix: str) -> bool:
        return request.url.path.endswith(suffix) or request.query_params.get("format") == suffix.lstrip(".")

    def home_context() -> dict:
        statuses = {s: sum(1 for c in explorer.claims.values() if c.status == s) for s in STATUS_ORDER}
        recent = sorted(explorer.articles.values(), key=lambda a: a.date or "", reverse=True)[:15]
        top = sorted(explorer.entities.values(), key=lambda e: -len(e.claims))[:20]
        return {"statuses": statuses, "recent": recent, "top": top,
                "counts": {"entities": len(explorer.entities), "claims": len(explorer.claims),
                           "articles": len(explorer.articles)}}
    home_data = home_context()  # the store does not change while serving

    def home(request: Request):
        return page(request, "home.html", title="autokg explorer", **home_data)

    def search(request: Request):
        q = request.query_params.get("q", "").strip()[:200]
        groups = explorer.search_index().grouped(q) if q else {}
        if wants(request, ".json"):
            return json_response({"query": q, "groups": {
                g: {"total": total, "hits": [{"key": h.key, "title": h.title, "detail": h.detail,
                                              "url": f"/{g}/{urllib.parse.quote(h.key, safe='')}"} for h in hits]}
                for g, (hits, total) in groups.items()}})
        return page(request, "search.html", title=f"Search: {q}" if q else "Search", q=q, groups=groups)

    def suggest(request: Request):
        q = request.query_params.get("q", "").strip()[:100]
        return json_response(explorer.suggestions(q) if q else [])

    def entity(request: Request):
        slug = request.path_params["slug"]
        data = explorer.entity_page(slug)
        if data is None:
            return not_found(request, f"no entity {slug!r}")
        if wants(request, ".json"):
            e = data["entity"]
            return json_response({**explorer.entity_record(e), "aliases": e.aliases, "types": e.types,
                                  "claims": [{**explorer.claim_record(r["claim"]), "role": r["role"]} for r in data["claims"]],
                                  "posts": data["posts"], "mentions": data["mentions"],
                                  "mentions_total": data["mentions_total"]})
        in_graph = explorer.in_graph(slug)
        return page(request, "entity.html", title=data["entity"].name, **data, x=explorer, in_graph=in_graph)

    def claim(request: Request):
        slug = request.path_params["slug"]
        data = explorer.claim_page(slug)
        if data is None:
            return not_found(request, f"no claim {slug!r}")
        if wants(request, ".json"):
            return json_response({**explorer.claim_record(data["claim"]), "why": data["why"],
                                  "attributions": [{k: v for k, v in a.items() if k != "article"} for a in data["attributions"]],
                                  "responses": [{k: v for k, v in r.items() if k != "claim"} for r in data["responses"]]})
        return page(request, "claim.html", title=data["claim"].label, **data, x=explorer, render_text=render_text)

    def article(request: Request):
        article_id = request.path_params["id"]
        data = explorer.article_page(article_id)
        if data is None:
            return not_found(request, f"no article {article_id!r}")
        a = data["article"]
        if wants(request, ".json"):
            return json_response({"id": a.id, "headline": a.headline, "publisher": a.publisher, "date": a.date,
                                  "url": a.url, "claims": a.claims,
                                  "spans": [{k: s[k] for k in ("id", "start", "end", "exact", "kind", "target")}
                                            for s in data["spans"]]})
        return page(request, "article.html", title=a.headline, **data, x=explorer, text=render_text(data))

    def claims(request: Request):
        chosen = {f: request.query_params.getlist(f) for f in explorer.FACETS}
        about = request.query_params.get("entity", "").strip() or None
        selected, facets = explorer.claims_list(chosen, about)
        if wants(request, ".json") or wants(request, ".csv"):
            def make():
                records = [explorer.claim_record(c) for c in selected]
                return csv_response(records, "claims") if wants(request, ".csv") else json_response(records)
            return exported(request, make)
        shown, number, pages = paged(request, selected)
        params = [(f, v) for f, values in chosen.items() for v in values] + ([("entity", about)] if about else [])
        return page(request, "claims.html", title="Claims", claims=shown, total=len(selected), facets=facets, about=about,
                    params=params, number=number, pages=pages, x=explorer)

    def entities(request: Request):
        wanted_type = request.query_params.get("type", "")
        rows = sorted(explorer.entities.values(), key=lambda e: (-len(e.claims), e.name.casefold()))
        if wanted_type:
            rows = [e for e in rows if e.type == wanted_type]
        if wants(request, ".json") or wants(request, ".csv"):
            def make():
                records = [explorer.entity_record(e) for e in rows]
                return csv_response(records, "entities") if wants(request, ".csv") else json_response(records)
            return exported(request, make)
        types: dict[str, int] = {}
        for e in explorer.entities.values():
            types[e.type] = types.get(e.type, 0) + 1
        shown, number, pages = paged(request, rows)
        return page(request, "entities.html", title="Entities", entities=shown, total=len(rows),
                    types=sorted(types.items()), wanted_type=wanted_type, number=number, pages=pages, x=explorer)

    def articles(request: Request):
        rows = sorted(explorer.articles.values(), key=lambda a: (a.date or "", a.id), reverse=True)
        if wants(request, ".json") or wants(request, ".csv"):
            def make():
                records = [{"id": a.id, "headline": a.headline, "publisher": explorer.name(a.publisher) or None,
                            "date": a.date, "url": a.url, "claims": len(a.claims),
                            "kind": "official record" if a.record else "news article"} for a in rows]
                return csv_response(records, "articles") if wants(request, ".csv") else json_response(records)
            return exported(request, make)
        shown, number, pages = paged(request, rows)
        return page(request, "articles.html", title="Articles", articles=shown, total=len(rows), number=number,
                    pages=pages, x=explorer)

    def queries(request: Request):
        from ..queries import list_queries

        return page(request, "queries.html", title="Questions", queries=list_queries())

    def query(request: Request):
        from ..queries import find_query

        name = request.path_params["name"]
        for suffix in (".csv", ".json"):
            name = name.removesuffix(suffix)
        try:
            query_file = find_query(name)
        except AutokgError:
            return not_found(request, f"no question {name!r}")
        if "/" in name or Path(query_file.path).parent.name == "internal":
            return not_found(request, f"no question {name!r}")
        values = {p.name: request.query_params.get(p.name, "").strip() for p in query_file.parameters}
        download = wants(request, ".json") or wants(request, ".csv")
        # A download is always asked: a missing required parameter is its error, not an empty file.
        asked = download or "run" in request.query_params or not any(p.required for p in query_file.parameters)
        result, error = None, None
        if asked:
            try:
                # A page waits PAGE_WAIT for its answer, then says it is being computed and
                # reloads itself; a download waits for every row.
                result = explorer.answer(query_file, {k: v for k, v in values.items() if v},
                                         wait=None if download else PAGE_WAIT)
            except (QueryTimeout, PoolBusy) as exc:
                error = str(exc)
            except AutokgError as exc:
                error = "; ".join(exc.lines()) if hasattr(exc, "lines") else str(exc)
        if download:
            if error:
                return json_response({"error": error}, 400)

            def make():
                records = result.records() if result else []
                return csv_response(records, name, result.variables) if wants(request, ".csv") else json_response(records)
            return exported(request, make)
        params = [(k, v) for k, v in values.items()] + ([("run", "1")] if asked else [])
        if asked and result is None and error is None:
            return page(request, "query.html", 202, title=query_file.title, query=query_file, values=values,
                        result=None, computing=True, refresh=1, error=None, params=params, x=explorer)
        # A page of rows as links (a busy entity's profile has thousands); CSV and JSON have them all.
        rows, number, pages = paged(request, result.rows if result else [])
        cells = [[explorer.cell(term) for term in row] for row in rows]
        return page(request, "query.html", title=query_file.title, query=query_file, values=values, result=result,
                    total=len(result.rows) if result else 0, cells=cells, error=error, params=params, number=number,
                    pages=pages, first=(number - 1) * PAGE_SIZE + 1, x=explorer)

    def graph_view(request: Request):
        node = None
        focus = request.query_params.get("focus", "").strip()
        try:
            depth = min(3, max(0, int(request.query_params.get("depth", "1"))))
        except ValueError:
            depth = 1
        if focus:
            found = explorer.find(focus)
            node = next((f"https://w3id.org/autokg/id/{e.slug}" for e in found if explorer.in_graph(e.slug)), None)
            if node is None:
                return not_found(request, f"no entity {focus!r} in the actor graph")
        return HTMLResponse(graph_html(node, depth), headers={"Content-Security-Policy": VIEW_CSP})

    def graph_html(node: str | None, depth: int) -> str:
        from ..views import render_view

        key = (node, depth if node else None)
        html = views.get(key)
        if html is None:
            title = "autokg actor graph"
            if node:
                title = f"{explorer.name(node.rsplit('/', 1)[1])}: the network at depth {depth}"
            G, total = explorer.graph(node, depth, GRAPH_NODES, GRAPH_EDGES)
            html, _ = render_view(G, title=title, names=aliases, articles=article_info, links=True, total=total)
            if len(views) < 512:  # the store does not change while serving
                views[key] = html
        return html

    views: dict = {}
    aliases, article_info = _aliases(explorer), _articles(explorer)
    explorer.then(lambda: graph_html(None, 1))  # the graph page drawn before its first visitor asks

    def sparql(request: Request):
        return _sparql(request, explorer, allow_service)

    def ready(request: Request):
        """What is built yet of what serve builds after it starts listening."""
        return json_response(explorer.ready())

    async def sparql_endpoint(request: Request):
        if request.method == "POST":
            body = await request.body()
            request.state.body = body
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(sparql, request)

    routes = [
        Route("/", home), Route("/search", search), Route("/search.json", search), Route("/suggest.json", suggest),
        Route("/entity/{slug:path}", entity), Route("/claim/{slug:path}", claim), Route("/article/{id:path}", article),
        Route("/claims", claims), Route("/claims.csv", claims), Route("/claims.json", claims),
        Route("/entities", entities), Route("/entities.csv", entities), Route("/entities.json", entities),
        Route("/articles", articles), Route("/articles.csv", articles), Route("/articles.json", articles),
        Route("/queries", queries), Route("/queries/{name}", query), Route("/graph", graph_view), Route("/ready.json", ready),
        Route("/sparql", sparql_endpoint, methods=["GET", "HEAD", "POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    def failed(request: Request, exc: Exception):
        if isinstance(exc, (QueryTimeout, PoolBusy)):
            return page(request, "error.html", 503, title="Too slow", message=str(exc))
        return page(request, "error.html", 500, title="Error", message=str(exc))

    app = Starlette(routes=routes, exception_handlers={QueryTimeout: failed, PoolBusy: failed,
                                                       AutokgError: failed})
    app.add_middleware(SecurityHeaders, allowed_hosts=allowed_hosts or set())
    return app


def _aliases(explorer: Explorer) -> dict[str, list[str]]:
    return {"https://w3id.org/autokg/id/" + e.slug: e.aliases for e in explorer.entities.values() if e.aliases}


def _articles(explorer: Explorer) -> dict[str, dict]:
    return {a.id: {"headline": a.headline, "url": f"/article/{urllib.parse.quote(a.id, safe='')}",
                   "publisher": explorer.name(a.publisher), "date": a.date} for a in explorer.articles.values()}


def _sparql(request: Request, explorer: Explorer, allow_service: bool) -> Response:
    """SPARQL 1.1 Protocol, query operation only."""
    params = request.query_params
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "application/sparql-update":
            return PlainTextResponse("this endpoint is read-only: updates are refused\n", 403)
        if media in FORM_TYPES or media != SPARQL_QUERY_TYPE:
            return PlainTextResponse(
                f"POST a query with Content-Type: {SPARQL_QUERY_TYPE} (or use GET ?query=); "
                f"{media or 'no content type'} is refused, so that no other web page can make your browser "
                f"run queries here\n", 415)
        query = request.state.body.decode("utf-8", "replace")
    else:
        if "update" in params:
            return PlainTextResponse("this endpoint is read-only: updates are refused\n", 403)
        query = params.get("query")
        if query is None:
            return PlainTextResponse("give a query: GET /sparql?query=... or POST it as application/sparql-query\n", 400)
    if params.getlist("default-graph-uri") or params.getlist("named-graph-uri"):
        return PlainTextResponse("default-graph-uri and named-graph-uri are not supported here\n", 400)
    if not allow_service and uses_service(query):
        return PlainTextResponse("SERVICE is refused: this server does not fetch other endpoints for its clients "
                                 "(start autokg serve with --allow-service to allow it)\n", 403)
    fmt = negotiate(request.headers.get("accept"), params.get("format"))
    try:
        answer = explorer.pool.run(query, fmt)
    except QueryTimeout as exc:
        return PlainTextResponse(f"{exc}\n", 503)
    except PoolBusy as exc:
        return PlainTextResponse(f"{exc}\n", 503, headers={"Retry-After": "5"})
    except QueryError as exc:
        return PlainTextResponse(f"{exc}\n", 400)
    media_type = answer.media_type
    if media_type.startswith("text/") or media_type.endswith(("+json", "+xml", "/json", "/xml", "n-triples")):
        media_type += "; charset=utf-8"
    return Response(answer.body, media_type=media_type)
