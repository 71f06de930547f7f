"""HTML views: self-contained, escaped, and working in a real headless Chromium with no network."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import networkx as nx
import pytest

from graph import load_paths, open_store
from graph.analysis import actor_graph, ego_graph
from graph.views import PRECOMPUTE_ABOVE, json_for_html, render_view, write_view

from .conftest import EXAMPLES, ROOT, SEED_ARTICLE

REGISTRY = EXAMPLES / "entities.yaml"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

PAYLOADS = {
    "img": '<img src=x onerror="window.__xss=1">',
    "script": "</script><script>window.__xss=2</script>",
    "comment": "<!-- </script><img src=x onerror=window.__xss=3>",
}

XSS_ARTICLE = """\
article:
  id: xss-article
  headline: "Payloads <script>window.__xss=9</script>"
  publisher: evil-times
  date: 2026-03
  language: en
  text: >-
    EvilCorp {img} held talks with BadMotors{script} on Monday.
    A spokesperson said "{comment}" loudly.
entities:
  - id: evil-times
    type: MediaOutlet
    name: 'Evil Times {script}'
  - id: evil-corp
    type: Automaker
    name: '{img}'
  - id: bad-motors
    type: Automaker
    name: '{script}'
events:
  - id: evil-talks
    type: Negotiation
    participant: [evil-corp, bad-motors]
    topic: '<b onmouseover="window.__xss=4">topic</b>'
    evidence: 'EvilCorp {img} held talks with BadMotors{script}'
  - id: evil-statement
    type: Statement
    speaker: evil-corp
    addressee: evil-times
    stance: comments
    quote: '{comment}'
    evidence: 'A spokesperson said "{comment}" loudly.'
""".format(**PAYLOADS)


@pytest.fixture(scope="module")
def seed_graph():
    store = open_store("memory")
    load_paths(store, [SEED_ARTICLE], REGISTRY)
    return actor_graph(store)


@pytest.fixture(scope="module")
def xss_graph(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xss")
    (folder / "xss.yaml").write_text(XSS_ARTICLE, encoding="utf-8")
    store = open_store("memory")
    load_paths(store, [folder / "xss.yaml"])
    return actor_graph(store)


def synthetic(n: int) -> nx.MultiDiGraph:
    skeleton = nx.barabasi_albert_graph(n, 2, seed=5)
    G = nx.MultiDiGraph()
    for node in skeleton:
        G.add_node(node, slug=f"e{node}", label=f"Entity {node}", type=["automaker", "person", "ministry"][node % 3],
                   country=None)
    for i, (u, v) in enumerate(skeleton.edges()):
        G.add_edge(u, v, claim=f"c{i}", claim_id=f"c{i}", kind="negotiation", relation="negotiation",
                   directed=False, status="denied" if i % 7 == 0 else "asserted", date="2026-01", when="2026-01",
                   topic=None, articles=["a"], evidence=[("a", "quote")], reported_by=None, denied_by=None)
    return G


def embedded_data(page_html: str) -> dict:
    match = re.search(r'<script type="application/json" id="autokg-data">(.*?)</script>', page_html, re.S)
    return json.loads(match.group(1))


# --- the file itself ------------------------------------------------------------------

def test_view_is_self_contained(seed_graph):
    page, report = render_view(seed_graph)
    assert report.nodes == 12 and report.edges == 10 and not report.positioned
    # No resource is loaded from anywhere: no src/href/url()/@import, and a CSP that forbids it.
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page, re.I)
    assert "@import" not in page
    assert "default-src 'none'" in page and "connect-src 'none'" in page
    assert page.lower().count("</script") == 3  # data, vis-network, our code: nothing else closes a script
    data = embedded_data(page)
    assert {n["label"] for n in data["nodes"]} >= {"Xiaomi", "Ford Motor Company", "He Yadong"}
    assert data["options"]["physics"]["enabled"] is True  # small graph: laid out in the browser, then frozen


def test_payloads_stay_inside_the_json(xss_graph):
    page, _ = render_view(xss_graph, title=PAYLOADS["script"])
    data_block = re.search(r'id="autokg-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data_block and ">" not in data_block and "&" not in data_block
    data = embedded_data(page)
    labels = {n["label"] for n in data["nodes"]}
    assert PAYLOADS["img"] in labels and PAYLOADS["script"] in labels
    quotes = [q for e in data["edges"] for _, q in e["evidence"]]
    assert any(PAYLOADS["comment"] in q for q in quotes)
    # The title is HTML-escaped where it is written into the page.
    assert "<title>&lt;/script&gt;&lt;script&gt;window.__xss=2&lt;/script&gt;</title>" in page


def test_json_for_html_round_trips():
    value = {"a": "</script><!-- & \u2028 >", "b": [1, 2.5, None, True]}
    text = json_for_html(value)
    assert not set("<>&\u2028") & set(text)
    assert json.loads(text) == value


def test_large_graphs_get_positions_and_no_physics():
    page, report = render_view(synthetic(PRECOMPUTE_ABOVE + 20))
    data = embedded_data(page)
    assert report.positioned and data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert data["options"]["layout"]["improvedLayout"] is False


def test_max_nodes_keeps_the_best_connected(seed_graph, tmp_path):
    report = write_view(seed_graph, tmp_path / "v.html", max_nodes=3)
    assert report.nodes == 3 and report.total_nodes == 12
    labels = {n["label"] for n in embedded_data((tmp_path / "v.html").read_text())["nodes"]}
    assert "Xiaomi" in labels


def test_template_ships_as_package_data():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "*.html" in config["tool"]["setuptools"]["package-data"]["*"]  # every package's HTML ships
    assert (ROOT / "graph" / "templates" / "view.html").is_file()


def test_cli_view_with_focus(runner, tmp_path):
    from graph.cli import cli

    out = tmp_path / "xiaomi.html"
    result = runner.invoke(cli, ["--store", "memory", "--load", str(SEED_ARTICLE), "--registry", str(REGISTRY),
                                 "view", "--out", str(out), "--focus", "Xiaomi", "--depth", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out}: 4 entities, 3 claim edges")
    labels = {n["label"] for n in embedded_data(out.read_text())["nodes"]}
    assert labels == {"Xiaomi", "Ford Motor Company", "Global Times", "Financial Times"}


# --- in a real browser ------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make test installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """A page opened with every network request blocked and recorded, and console errors kept."""

    def __init__(self, browser, path: Path):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._guard)
        self.page.goto(path.resolve().as_uri())
        self.wait("window.autokgView !== undefined")

    def wait(self, expression: str):
        """Poll for a state: page.evaluate is not bound by the page's CSP, which forbids the
        eval that Playwright's wait_for_function needs."""
        deadline = time.monotonic() + 120
        while not self.page.evaluate(expression):
            assert time.monotonic() < deadline, f"never true: {expression}"
            time.sleep(0.05)

    def _guard(self, route):
        url = route.request.url
        if url == self.page.url or url.startswith("file:") and url.endswith(".html"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def counts(self) -> tuple[int, int]:
        return tuple(self.page.evaluate(
            "[autokgView.network.body.data.nodes.length, autokgView.network.body.data.edges.length]"))

    def hover_everything(self) -> list[str]:
        """Move the mouse onto every node and edge midpoint; return the tooltip texts seen."""
        points = self.page.evaluate("""() => {
            const net = autokgView.network, out = [];
            const box = document.getElementById('network').getBoundingClientRect();
            const at = p => { const d = net.canvasToDOM(p); return [box.left + d.x, box.top + d.y]; };
            const pos = net.getPositions();
            for (const id of autokgView.nodes.getIds()) out.push(at(pos[id]));
            for (const id of autokgView.edges.getIds()) {
                out.push(at(net.body.edges[id].edgeType.getPoint(0.5)));  // on the (curved) edge
            }
            return out;
        }""")
        seen = []
        for x, y in points:
            self.page.mouse.move(x, y)
            self.page.wait_for_timeout(60)
            text = self.page.evaluate(
                "autokgView.tooltip.style.visibility === 'visible' ? autokgView.tooltip.textContent : ''")
            if text:
                seen.append(text)
        return seen

    def close(self):
        self.page.close()


@pytest.mark.browser
def test_seed_view_in_chromium(browser, seed_graph, tmp_path):
    out = tmp_path / "seed.html"
    write_view(seed_graph, out, title="Xiaomi denies Ford talks: the seed story")
    visit = Visit(browser, out)
    try:
        assert visit.counts() == (12, 10)
        assert visit.page.evaluate("autokgView.network.physics.physicsEnabled") is False  # frozen once laid out
        tips = visit.hover_everything()
        assert any("Ford held talks with Xiaomi" in t and "denied" in t for t in tips), tips
        assert any("He Yadong" in t and "person" in t for t in tips)
        # Filters: leaving out denied claims and then media outlets.
        visit.page.check('input[data-filter="status"][value="denied"]')
        visit.page.uncheck('input[data-filter="status"][value="denied"]')
        assert visit.counts() == (12, 9)
        visit.page.uncheck('input[data-filter="type"][value="media outlet"]')
        assert visit.counts() == (9, 6)  # and the node those filters left without an edge is hidden too
        visit.page.check('input[data-filter="type"][value="media outlet"]')
        visit.page.check('input[data-filter="status"][value="denied"]')
        visit.page.fill("#since", "2026")
        visit.page.press("#since", "Enter")
        visit.page.locator("#until").focus()
        assert visit.counts()[1] == 9
        legend = visit.page.inner_text("#legend")
        assert "denied" in legend and "contested" in legend
        ARTIFACTS.mkdir(exist_ok=True)
        visit.page.fill("#since", "")
        visit.page.press("#since", "Enter")
        visit.page.screenshot(path=str(ARTIFACTS / "seed-view.png"))
        assert visit.requests == [] and visit.errors == [] and visit.dialogs == []
    finally:
        visit.close()


@pytest.mark.browser
def test_offline_view_names_find_and_tooltips(browser, runner, tmp_path):
    """`autokg view`'s file: names readable as it opens, find by alias, "not found", tooltips
    with headlines that go away when the pointer leaves the graph."""
    from graph.cli import cli

    out = tmp_path / "examples.html"
    result = runner.invoke(cli, ["--store", "memory", "--load", str(EXAMPLES), "view", "--out", str(out)])
    assert result.exit_code == 0, result.output
    visit = Visit(browser, out)
    try:
        visit.wait("autokgView.labels.shown.length > 0")
        labels = visit.page.evaluate("autokgView.labels")
        assert labels["px"] >= 12 and len(labels["shown"]) >= 15 and labels["scale"] < 1, labels
        visit.page.fill("#find", "MOFCOM")
        visit.page.press("#find", "Enter")
        assert visit.page.inner_text("#find-status") == "Found China's Ministry of Commerce (MOFCOM)."
        visit.page.fill("#find", "Nobody Motors")
        visit.page.press("#find", "Enter")
        assert visit.page.inner_text("#find-status").startswith("Not found")
        visit.page.evaluate("autokgView.network.fit({animation: false})")
        tips = visit.hover_everything()
        assert any("Xiaomi rejects report of joint-venture talks with Ford" in t for t in tips)  # a headline
        assert visit.page.evaluate("document.querySelectorAll('div.vis-tooltip a[href^=\"javascript\"]').length") == 0
        visit.page.mouse.move(5, 5)
        assert visit.page.evaluate("autokgView.tooltip.style.visibility") == "hidden"
        assert visit.requests == [] and visit.errors == [] and visit.dialogs == []
    finally:
        visit.close()


@pytest.mark.browser
def test_payloads_in_names_and_quotes_do_not_run(browser, xss_graph, tmp_path):
    out = tmp_path / "xss.html"
    write_view(xss_graph, out, title=PAYLOADS["script"] + PAYLOADS["img"])
    visit = Visit(browser, out)
    try:
        assert visit.counts() == (3, 2)
        tips = visit.hover_everything()
        # The payloads are shown as text in tooltips, the legend and the node list...
        assert any(PAYLOADS["img"] in t for t in tips)
        assert any(PAYLOADS["comment"] in t for t in tips), tips
        assert visit.page.title() == PAYLOADS["script"] + PAYLOADS["img"]
        # ...and none of them ran or became an element.
        assert visit.page.evaluate("window.__xss") is None
        assert visit.page.evaluate("document.querySelectorAll('img, b, script:not([id]):not(:empty)').length") == 2
        assert visit.page.evaluate("document.querySelectorAll('img').length") == 0
        assert visit.requests == [] and visit.errors == [] and visit.dialogs == []
        ARTIFACTS.mkdir(exist_ok=True)
        visit.page.screenshot(path=str(ARTIFACTS / "xss-view.png"))
    finally:
        visit.close()


@pytest.mark.browser
def test_large_view_draws_with_precomputed_positions(browser, tmp_path):
    G = synthetic(600)
    out = tmp_path / "large.html"
    report = write_view(G, out)
    assert report.positioned
    visit = Visit(browser, out)
    try:
        assert visit.counts() == (600, G.number_of_edges())
        assert visit.page.evaluate("autokgView.network.physics.physicsEnabled") is False
        assert visit.requests == [] and visit.errors == []
    finally:
        visit.close()


@pytest.mark.browser
def test_ego_view_of_the_seed(browser, seed_graph, tmp_path):
    out = tmp_path / "ego.html"
    write_view(ego_graph(seed_graph, "https://w3id.org/autokg/id/he-yadong", 2), out)
    visit = Visit(browser, out)
    try:
        assert visit.counts() == (4, 3)
        assert visit.requests == [] and visit.errors == []
    finally:
        visit.close()


def test_no_browser_artifacts_left_in_the_repository():
    assert shutil.which("git") is None or not (ROOT / "lib").exists()  # pyvis's "local" mode writes lib/
