"""Interactive HTML views of the actor graph: one self-contained file that works offline.

pyvis builds the network (nodes and edges as vis-network items); the page is rendered
through autokg's own template (``graph/templates/view.html``), not pyvis's, because
pyvis 0.3.2's template links bootstrap and vis-network from a CDN whatever
``cdn_resources`` says. The vis-network that pyvis ships is inlined, the network is
embedded as JSON in a ``<script type="application/json">`` element with ``<``, ``>``
and ``&`` escaped (so no text can close the element), and the page builds every label,
legend entry and tooltip with ``textContent``: text from articles is never parsed as
HTML. A Content-Security-Policy forbids the page any network access.

Small graphs are laid out by vis-network's physics, which is switched off once stable;
above ``PRECOMPUTE_ABOVE`` nodes positions come from ``graph.layout`` and physics stays off.

>>> from graph.views import write_view                            # doctest: +SKIP
>>> write_view(actor_graph(store), "actors.html").nodes            # doctest: +SKIP
12
"""

from __future__ import annotations

import html
import json
import math
import re
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import AnalysisError

__all__ = ["write_view", "render_view", "view_details", "ViewReport", "PRECOMPUTE_ABOVE", "NODE_STYLES", "STATUS_STYLES",
           "vis_network_js", "json_for_html"]

PRECOMPUTE_ABOVE = 300
# Quotes per edge carried into the page: its tooltip shows this many (a claim stated in
# hundreds of articles would otherwise make the page megabytes larger).
EVIDENCE_SHOWN = 3

# Colour and vis-network shape per entity type (the ontology's class labels).
NODE_STYLES = {
    "automaker": ("#1f77b4", "dot"),
    "company": ("#5fa2dd", "dot"),
    "organisation": ("#8fbce6", "dot"),
    "agent group": ("#17becf", "dot"),
    "government": ("#b2182b", "square"),
    "government body": ("#d6604d", "square"),
    "ministry": ("#e7298a", "square"),
    "agency": ("#f4a582", "square"),
    "legislature or committee": ("#c51b7d", "square"),
    "association": ("#8c564b", "hexagon"),
    "media outlet": ("#ff7f0e", "star"),
    "person": ("#2ca02c", "diamond"),
    "anonymous source": ("#7f7f7f", "diamond"),
    "country": ("#9467bd", "triangle"),
    "place": ("#c5b0d5", "triangle"),
    "policy": ("#e377c2", "triangleDown"),
    "tariff": ("#e377c2", "triangleDown"),
    "countervailing duty": ("#f7b6d2", "triangleDown"),
    "product": ("#bcbd22", "square"),
    "legal basis": ("#7f7f7f", "hexagon"),
    "legal instrument": ("#7f7f7f", "hexagon"),
    "investigation": ("#7f7f7f", "hexagon"),
}
_DEFAULT_STYLE = ("#999999", "dot")

# How an edge is drawn for each claim status: colour, dashes (False = solid), and what it means.
STATUS_STYLES = {
    "confirmed": ("#2e7d32", False, "confirmed by a party"),
    "asserted": ("#555555", False, "stated as fact by an article"),
    "reported": ("#1565c0", [2, 4], "only relayed from a report or anonymous sources"),
    "contested": ("#ef6c00", [10, 4, 2, 4], "one party affirms it, another denies it"),
    "denied": ("#c62828", [8, 6], "denied, and nobody confirms it"),
}

_TEMPLATE_MARKER = re.compile(r"@@(TITLE|DATA|VIS_NETWORK)@@")


@dataclass
class ViewReport:
    path: Path | None
    nodes: int
    edges: int
    total_nodes: int
    total_edges: int
    positioned: bool
    seconds: float
    bytes: int


@cache
def vis_network_js() -> str:
    """The vis-network build that pyvis ships (standalone UMD, no network access)."""
    import pyvis

    base = Path(pyvis.__file__).resolve().parent
    builds = sorted(base.glob("**/vis-network.min.js"), key=lambda p: _version_key(p.parent.name), reverse=True)
    for candidate in builds:  # the newest build pyvis ships
        text = candidate.read_text(encoding="utf-8")
        # An inline script ends at the first "</script": the library must not contain one.
        if re.search(r"</script|<!--", text, re.IGNORECASE):
            text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE).replace("<!--", "<\\!--")
        return text
    raise AnalysisError(f"vis-network.min.js not found in the pyvis package ({base})")


def _version_key(name: str) -> tuple:
    return tuple(int(x) for x in re.findall(r"\d+", name))


@cache
def _template() -> str:
    return (Path(__file__).resolve().parent / "templates" / "view.html").read_text(encoding="utf-8")


def json_for_html(value) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' survive, nor U+2028/9."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _select_nodes(G, max_nodes: int | None) -> list:
    """All nodes, or the ``max_nodes`` with most claims (ties by label), in a stable order."""
    nodes = list(G.nodes)
    if max_nodes is not None and len(nodes) > max_nodes:
        nodes = sorted(nodes, key=lambda n: (-G.degree(n), str(G.nodes[n].get("label", n)), str(n)))[:max_nodes]
    return sorted(nodes, key=lambda n: (str(G.nodes[n].get("label", n)).casefold(), str(n)))


def _network(G, max_nodes: int | None, names: dict[str, list[str]] | None = None):
    """The pyvis Network for ``G`` (nodes keyed 0..n-1), and whether positions are precomputed.

    ``names``: more names (aliases) per node, which the page's find box matches too."""
    from pyvis.network import Network

    keep = _select_nodes(G, max_nodes)
    sub = G.subgraph(keep)
    positioned = sub.number_of_nodes() > PRECOMPUTE_ABOVE
    positions = {}
    if positioned:
        from .layout import layout

        positions = layout(sub)
    index = {node: i for i, node in enumerate(keep)}
    net = Network(directed=True, cdn_resources="in_line")
    for node in keep:
        attrs = sub.nodes[node]
        kind = attrs.get("type") or "entity"
        color, shape = NODE_STYLES.get(kind, _DEFAULT_STYLE)
        degree = sub.degree(node)
        # whole pixels are precise enough for a drawing, and keep a 5,000-node page small
        extra = {"x": round(positions[node][0]), "y": round(positions[node][1])} if positioned else {}
        net.add_node(index[node], label=str(attrs.get("label", node)), shape=shape, color=color,
                     size=round(8 + 5 * math.sqrt(degree), 1), type=kind, degree=degree,
                     **_present(country=attrs.get("country"), entity=attrs.get("slug", str(node)),
                                aliases=(names or {}).get(node) or None), **extra)
    for n, (u, v, d) in enumerate(sub.edges(data=True)):
        color, dashes, _ = STATUS_STYLES.get(d.get("status"), ("#555555", False, ""))
        net.add_edge(index[u], index[v], id=n, label=d.get("relation", ""), color=color, dashes=dashes,
                     arrows="to" if d.get("directed", True) else "", relation=d.get("relation"),
                     articles=list(d.get("articles") or []),
                     evidence=[list(e) for e in (d.get("evidence") or [])[:EVIDENCE_SHOWN]],
                     width=2 if d.get("status") in ("denied", "contested") else 1.5,
                     **_present(kind=d.get("kind"), status=d.get("status"), date=d.get("date"), when=d.get("when"),
                                topic=d.get("topic"), reported_by=d.get("reported_by"), denied_by=d.get("denied_by"),
                                claim=d.get("claim_id")))
    return net, positioned, sub


def _present(**fields) -> dict:
    """The fields that have a value: the page treats a missing field as empty, and leaving
    out nulls keeps large views small."""
    return {key: value for key, value in fields.items() if value is not None}


def _options(net, positioned: bool, size: int) -> dict:
    options = json.loads(net.options.to_json())  # pyvis's defaults, with ours on top
    options.pop("configure", None)
    _merge(options, {
        "autoResize": True,
        # The page draws the names itself (readable at any zoom, best connected first):
        # vis-network's own labels stay for hit-testing only, drawn transparent.
        "nodes": {"font": {"size": 14, "color": "rgba(0,0,0,0)", "strokeWidth": 0}, "borderWidth": 1},
        "edges": {"font": {"size": 10, "align": "middle", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "smooth": False if positioned else {"type": "dynamic"},
                  "arrows": {"to": {"scaleFactor": 0.6}}, "selectionWidth": 2},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": positioned,
                        "navigationButtons": False, "keyboard": False},
        "layout": {"improvedLayout": not positioned and size <= 100, "randomSeed": 42},
    })
    if positioned:
        options["physics"] = {"enabled": False}
    else:
        options["physics"] = {"enabled": True, "solver": "barnesHut",
                              "barnesHut": {"gravitationalConstant": -6000, "springLength": 140,
                                            "springConstant": 0.03, "avoidOverlap": 0.2},
                              "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 50,
                                                "fit": True}}
    return options


def _merge(base: dict, extra: dict) -> dict:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def render_view(G, title: str | None = None, max_nodes: int | None = None, names: dict[str, list[str]] | None = None,
                articles: dict[str, dict] | None = None, links: bool = False,
                total: tuple[int, int] | None = None) -> tuple[str, ViewReport]:
    """The HTML page for the actor graph ``G`` (or any part of it), and what it holds.

    ``names``: aliases by node, for the find box. ``articles``: by article id, a dict with
    ``headline``, ``url``, ``publisher`` and ``date``, shown in the tooltips (``url`` a
    link only if it is http(s) or a path on this server). ``links``: the page is served by
    ``autokg serve``, so entities and claims link to its pages. ``total``: the node and edge
    counts of the whole graph ``G`` was cut from, when it is a part (the page says so).
    """
    started = time.perf_counter()
    net, positioned, sub = _network(G, max_nodes, names)
    wanted = {a for e in net.edges for a in e.get("articles", [])}
    article_info = {a: {k: v for k, v in info.items() if v is not None}
                    for a, info in (articles or {}).items() if a in wanted}
    title = title or "autokg actor graph"
    total_nodes, total_edges = total or (G.number_of_nodes(), G.number_of_edges())
    data = {
        "title": title,
        "nodes": net.nodes,
        "edges": net.edges,
        "options": _options(net, positioned, len(net.nodes)),
        "positioned": positioned,
        "total": {"nodes": total_nodes, "edges": total_edges},
        "types": {t: {"color": c, "shape": s} for t, (c, s) in NODE_STYLES.items()},
        "default_type": {"color": _DEFAULT_STYLE[0], "shape": _DEFAULT_STYLE[1]},
        "statuses": {s: {"color": c, "dashes": d, "meaning": m} for s, (c, d, m) in STATUS_STYLES.items()},
        "articles": article_info,
        "links": {"entity": "/entity/", "claim": "/claim/", "article": "/article/"} if links else None,
    }
    values = {"TITLE": html.escape(title), "DATA": json_for_html(data), "VIS_NETWORK": vis_network_js()}
    # One pass over the template: inserted text is never scanned for markers again.
    page = _TEMPLATE_MARKER.sub(lambda m: values[m.group(1)], _template())
    report = ViewReport(None, len(net.nodes), len(net.edges), total_nodes, total_edges,
                        positioned, time.perf_counter() - started, len(page.encode("utf-8")))
    return page, report


def write_view(G, path: Path | str, title: str | None = None, max_nodes: int | None = None,
               names: dict[str, list[str]] | None = None, articles: dict[str, dict] | None = None) -> ViewReport:
    """Write the HTML view of ``G`` to ``path``; returns counts, timing and size."""
    started = time.perf_counter()
    path = Path(path)
    page, report = render_view(G, title=title, max_nodes=max_nodes, names=names, articles=articles)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise AnalysisError(f"cannot write {path}: {exc.strerror or exc}") from None
    report.path = path
    report.seconds = time.perf_counter() - started
    return report


def view_details(store) -> tuple[dict[str, list[str]], dict[str, dict]]:
    """Aliases by entity IRI and headline, URL, publisher and date by article id, from the
    store: what the view's find box and tooltips show beside the actor graph."""
    from .web.explorer import web_query

    aliases: dict[str, list[str]] = {}
    for entity, alias in store.select_values(web_query("aliases")):
        aliases.setdefault(entity, []).append(alias)
    articles = {}
    for _node, article_id, headline, _publisher, date, url, publisher_name, _record in store.select_values(web_query("articles")):
        articles[article_id] = {"headline": headline, "url": url, "publisher": publisher_name, "date": date}
    return aliases, articles
