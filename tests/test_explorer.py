"""`autokg serve`: the explorer's pages in a real Chromium, /sparql's rules, and a clean stop.

Each server here is a real `autokg serve` process on 127.0.0.1 (port 0), over a store
loaded from examples/; the browser is Debian's Chromium driven by Playwright, with every
request that is not for that server blocked and recorded.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import load_paths, open_store

from .conftest import EXAMPLES, ROOT
from .test_lookups import cells

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "artifacts"
# `make screenshots` sets this: the screenshots shown in the README are taken by these tests.
DOCS = ROOT / "docs" if os.environ.get("AUTOKG_SCREENSHOTS") == "docs" else None
ID = "https://w3id.org/autokg/id/"
HOSTILE = Path(__file__).resolve().parent / "hostile"


def _receive_signals():
    # A test run from a background job inherits SIGINT ignored: the server must get it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


class Served:
    """A running `autokg serve`: its URL, its process, and plain HTTP to it."""

    def __init__(self, store: str, *extra: str, preload: tuple[str, ...] = ()):
        command = [sys.executable, "-m", "graph.cli", "--store", store, *preload, "serve", "--port", "0", *extra]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        preexec_fn=_receive_signals)
        line = self.process.stdout.readline()  # the server prints it once it listens
        if not line.startswith(f"Serving {store} read-only at http://127.0.0.1:"):
            self.process.kill()
            raise AssertionError(line + self.process.stderr.read())
        self.url = line.split(" at ", 1)[1].split()[0].rstrip("/")
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
        request = urllib.request.Request(self.url + path, data=data, headers=headers or {}, method=method)
        try:
            with self._opener.open(request, timeout=120) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.headers, exc.read()

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def stop(self, sig=signal.SIGTERM) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            _, err = self.process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        return self.process.returncode, err


def children(pid: int) -> list[int]:
    """The child processes of ``pid``, whichever of its threads started them."""
    tasks = Path(f"/proc/{pid}/task")
    if not (tasks / str(pid) / "children").exists():
        pytest.skip("this kernel does not list a process's children in /proc")
    found = set()
    for task in tasks.iterdir():
        try:
            found.update(int(x) for x in (task / "children").read_text().split())
        except FileNotFoundError:  # a thread that just ended
            pass
    return sorted(pid for pid in found if alive(pid))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def wait_until(predicate, what: str, limit: float = 120.0):
    """Poll for a state; the limit only bounds a test that would otherwise hang."""
    import time

    deadline = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.05)


def wait_in_page(page, expression: str, what: str):
    """Wait for a state in the page (page.evaluate is not bound by the page's CSP, which
    forbids the eval that Playwright's wait_for_function needs)."""
    wait_until(lambda: page.evaluate(expression), what)


@pytest.fixture(scope="module")
def example_store(tmp_path_factory) -> Path:
    store_dir = tmp_path_factory.mktemp("explorer") / "store"
    store = open_store(str(store_dir))
    load_paths(store, [EXAMPLES])
    store.close()
    return store_dir


@pytest.fixture
def own_store(example_store, tmp_path) -> Path:
    """A copy of the example store for one test: one serve at a time holds a store."""
    import shutil

    return Path(shutil.copytree(example_store, tmp_path / "store"))


@pytest.fixture(scope="module")
def served(example_store):
    server = Served(str(example_store))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make system-deps installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """A browser tab that may reach only the server under test; all else is blocked and kept."""

    def __init__(self, browser, server: Served):
        self.server, self.outside, self.errors, self.dialogs = server, [], [], []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._guard)

    def _guard(self, route):
        url = route.request.url
        if url.startswith(self.server.url + "/"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def go(self, path: str):
        response = self.page.goto(self.server.url + path)
        assert response.status == 200, (path, response.status)
        return self.page

    def screenshot(self, name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name))
        if DOCS:
            self.page.screenshot(path=str(DOCS / name))

    def clean(self):
        assert self.outside == [], self.outside
        assert self.dialogs == [], self.dialogs
        assert self.page.evaluate("window.__xss") is None
        assert self.page.evaluate("document.querySelectorAll('a[href^=\"javascript:\" i]').length") == 0

    def close(self):
        self.page.close()


@pytest.fixture
def visit(browser, served):
    tab = Visit(browser, served)
    yield tab
    tab.close()


def selectors(store_dir: Path, claim_slugs: list[str]) -> dict[str, tuple[int, int, str]]:
    """The stored evidence selectors of claims, read triple by triple (not through the
    app's queries): annotation id -> (start, end, exact)."""
    store = ox.Store.read_only(str(store_dir))
    AK, OA = "https://w3id.org/autokg#", "http://www.w3.org/ns/oa#"
    default = ox.DefaultGraph()

    def objects(subject, predicate):
        return [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None, default)]
    found = {}
    for slug in claim_slugs:
        claim = ox.NamedNode(ID + "event/" + slug)
        for quad in store.quads_for_pattern(None, ox.NamedNode(AK + "claim"), claim, default):
            for annotation in objects(quad.subject, AK + "evidence"):
                start = end = exact = None
                for target in objects(annotation, OA + "hasTarget"):
                    for selector in objects(target, OA + "hasSelector"):
                        for value in objects(selector, OA + "start"):
                            start = int(value.value)
                        for value in objects(selector, OA + "end"):
                            end = int(value.value)
                        for value in objects(selector, OA + "exact"):
                            exact = value.value
                found[annotation.value.removeprefix(ID)] = (start, end, exact)
    return found


# --- in the browser ------------------------------------------------------------------------

@pytest.mark.browser
def test_search_ft_reaches_the_financial_times(visit):
    page = visit.go("/")
    page.fill("form.search input[name=q]", "FT")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=FT")
    first = page.locator("#results-entity li a").first
    assert first.inner_text() == "Financial Times"
    first.click()
    page.wait_for_url("**/entity/financial-times")
    assert page.inner_text("h1").startswith("Financial Times")
    assert "FT" in page.inner_text("dl.facts")
    # Forgiving: accents, case and a typo.
    for query, expected in [("financial tmes", "Financial Times"), ("XIOAMI", "Xiaomi"), ("camacari", "Camaçari")]:
        visit.go("/search?" + urllib.parse.urlencode({"q": query}))
        assert expected in page.inner_text("#results-entity"), query
    visit.go("/search?q=zzzzqqq")
    assert "Nothing found" in page.inner_text("main")
    visit.clean()


@pytest.mark.browser
def test_ford_xiaomi_claim_page_shows_why_it_is_denied(visit, example_store):
    page = visit.go("/claim/ford-xiaomi-joint-venture-talks")
    assert page.inner_text(".status-line .badge") == "denied"
    why = page.inner_text("#why")
    assert "Financial Times (citing 4 people familiar with the talks)" in why, why
    assert "denied by" in why and "Xiaomi" in why and "Ford Motor Company" in why and "nobody confirms it" in why
    chain = page.inner_text("#attributions")
    assert "relaying the report of Financial Times" in chain and "citing 4 people familiar with the talks" in chain
    responses = page.locator("#responses li.response-denial")
    assert responses.count() == 2
    deniers = " ".join(responses.all_inner_texts())
    assert "Denial by Xiaomi" in deniers and "Denial by Ford Motor Company" in deniers
    # Every quote is highlighted in its article at the stored offsets.
    denials = {"xiaomi-denies-ford-joint-venture", "ford-denies-xiaomi-joint-venture"}
    stored = selectors(example_store, ["ford-xiaomi-joint-venture-talks", "ft-report-ford-chinese-carmakers", *denials])
    shown = page.evaluate("""() => {
        const out = {};
        for (const box of document.querySelectorAll('article.source .article-text')) {
            const article = box.closest('article').dataset.article;
            for (const mark of box.querySelectorAll('mark')) {
                for (const id of mark.dataset.spans.split(' ')) {
                    const range = document.createRange();
                    range.setStart(box, 0);
                    range.setEndBefore(mark);
                    const at = [...range.toString()].length;  // code points, as stored
                    const text = mark.textContent;
                    const seen = out[id] || (out[id] = {article, start: at, text: ''});
                    seen.text += text;
                    seen.end = at + [...text].length;
                }
            }
        }
        return out;
    }""")
    assert len(stored) >= 4
    assert {k.split("/")[2] for k in stored} >= denials | {"ft-report-ford-chinese-carmakers"}
    for annotation, (start, end, exact) in stored.items():
        assert annotation in shown, annotation
        assert (shown[annotation]["start"], shown[annotation]["end"], shown[annotation]["text"]) == (start, end, exact)
    visit.screenshot("explorer-claim.png")
    visit.clean()


@pytest.mark.browser
def test_mofcom_page_lists_its_reactions_across_articles(visit):
    page = visit.go("/entity/mofcom")
    assert page.inner_text("h1").startswith("China's Ministry of Commerce")
    rows = page.locator("table.data tbody tr")
    reactions = [r for r in rows.all_inner_texts() if "statement" in r]
    assert len(reactions) >= 3, reactions
    articles = set(page.eval_on_selector_all("table.data tbody td:nth-child(7) a", "els => els.map(a => a.href)"))
    assert len(articles) >= 3, articles
    assert "He Yadong" in page.inner_text("dl.facts")  # the post held in it
    # The network around it is the graph view, embedded.
    frame = page.frame_locator("iframe.ego")
    frame.locator("body[data-ready=true]").wait_for(timeout=120_000)
    visit.screenshot("explorer-entity.png")
    visit.clean()


@pytest.mark.browser
def test_article_page_highlights_every_span(visit, example_store):
    page = visit.go("/article/xiaomi-denies-ford-talks-2026-02")
    marks = page.locator(".article-text mark")
    assert marks.count() >= 15
    hrefs = page.eval_on_selector_all(".article-text mark a", "els => els.map(a => a.getAttribute('href'))")
    assert all(h.startswith(("/claim/", "/entity/")) for h in hrefs)
    assert "/claim/ford-xiaomi-joint-venture-talks" in hrefs
    page.locator(".article-text mark a[href='/claim/ford-xiaomi-joint-venture-talks']").first.click()
    page.wait_for_url("**/claim/ford-xiaomi-joint-venture-talks")
    visit.clean()


@pytest.mark.browser
def test_graph_view_names_find_filters_and_tooltips(visit):
    page = visit.go("/graph")
    page.wait_for_selector("body[data-ready=true]", timeout=120_000)
    wait_in_page(page, "autokgView.labels.shown.length > 0", "names drawn")
    labels = page.evaluate("autokgView.labels")
    # Readable at the opening zoom: drawn at 13 px on screen, the best connected first.
    assert labels["px"] >= 12 and len(labels["shown"]) >= 15, labels
    best = page.evaluate("autokgView.nodes.get().sort((a, b) => b.degree - a.degree).slice(0, 10).map(n => n.label)")
    assert labels["shown"][0] == best[0] and len(set(best) & set(labels["shown"])) >= 7, (labels["shown"], best)
    assert labels["scale"] < 1  # the whole graph fits the window: names are drawn larger than the scale would make them
    visit.screenshot("explorer-graph.png")  # as it opens
    # A tooltip goes away when the pointer leaves the graph, and shows headlines and links.
    point = page.evaluate("""() => { const net = autokgView.network, id = autokgView.edges.getIds()[0];
        const p = net.canvasToDOM(net.body.edges[id].edgeType.getPoint(0.5));
        const box = document.getElementById('network').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y]; }""")
    page.mouse.move(*point)
    wait_in_page(page, "autokgView.tooltip.style.visibility === 'visible'", "a tooltip")
    assert page.locator("div.vis-tooltip a[href^='/article/']").count() >= 1
    page.mouse.move(5, 5)  # onto the page header, outside the graph
    wait_in_page(page, "autokgView.tooltip.style.visibility === 'hidden'", "the tooltip gone")
    # Find by an alias, with suggestions; "not found" says so.
    options = page.eval_on_selector_all("#entity-names option", "els => els.map(o => o.value)")
    assert "FT" in options and "MOFCOM" in options
    page.fill("#find", "FT")
    page.press("#find", "Enter")
    assert page.inner_text("#find-status") == "Found Financial Times."
    assert page.evaluate("autokgView.network.getSelectedNodes().length") == 1
    page.fill("#find", "Nobody Motors")
    page.press("#find", "Enter")
    assert page.inner_text("#find-status").startswith("Not found")
    # A filter hides the nodes it leaves without edges.
    before = page.evaluate("[autokgView.nodes.length, autokgView.edges.length]")
    page.uncheck('input[data-filter="status"][value="asserted"]')
    after = page.evaluate("[autokgView.nodes.length, autokgView.edges.length]")
    assert after[1] < before[1] and after[0] < before[0]
    orphans = page.evaluate("""() => { const v = autokgView, deg = {};
        v.edges.forEach(e => { deg[e.from] = 1; deg[e.to] = 1; });
        return v.nodes.getIds().filter(id => !deg[id]).length; }""")
    assert orphans == 0
    page.check('input[data-filter="status"][value="asserted"]')
    visit.clean()


@pytest.mark.browser
def test_pages_work_without_javascript(browser, served):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        page.goto(served.url + "/claims?status=denied")
        assert "Ford" in page.inner_text("table.data")
        page.check("form.facets input[name=kind][value=negotiation]")
        page.click("form.facets button[type=submit]")
        assert "kind=negotiation" in page.url
        page.goto(served.url + "/queries/entity-profile")
        page.fill("input[name=entity]", "Xiaomi")
        page.click("form.params button[type=submit]")
        assert "Xiaomi" in page.inner_text("table.data")
        assert page.locator("table.data a[href='/entity/xiaomi']").count() >= 1
    finally:
        context.close()


# --- lists, JSON and CSV ---------------------------------------------------------------------

def test_lists_have_csv_and_json_at_stable_urls(served):
    status, headers, body = served.request("/claims.json?status=denied")
    assert status == 200 and headers.get_content_type() == "application/json"
    denied = json.loads(body)
    assert {r["claim"] for r in denied} >= {"ford-xiaomi-joint-venture-talks"}
    assert all(r["status"] == "denied" for r in denied)
    status, headers, body = served.request("/claims.csv?status=denied")
    assert status == 200 and headers.get_content_type() == "text/csv"
    assert body.decode().splitlines()[0].startswith("claim,label,kind,status")
    assert len(body.decode().strip().splitlines()) == len(denied) + 1
    status, _, body = served.request("/queries/tariffs.json")
    assert status == 200 and any("25" in json.dumps(r) for r in json.loads(body))
    status, _, body = served.request("/queries/entity-profile.csv?entity=MOFCOM&run=1")
    assert status == 200 and "He Yadong" in body.decode()
    status, _, body = served.request("/entities.json?type=media%20outlet")
    assert status == 200 and "Financial Times" in {e["name"] for e in json.loads(body)}
    status, _, body = served.request("/entity/nobody-at-all")
    assert status == 404


def test_a_question_s_download_needs_its_required_parameters(served):
    """A question's CSV or JSON is asked as it is: without a required parameter it is a 400 naming
    it (it was a server error for CSV), and with it the rows, whether or not ``run`` is given."""
    for suffix in (".csv", ".json"):
        status, _, body = served.request(f"/queries/entity-profile{suffix}")
        assert status == 400 and "needs --param entity" in json.loads(body)["error"]
        status, _, body = served.request(f"/queries/entity-profile{suffix}?entity=MOFCOM")
        assert status == 200 and "He Yadong" in body.decode()


def test_tariffs_and_measures_are_one_click_from_every_page(served):
    """The header links to the tariffs and the measures listings, which answer with their rows."""
    for page in ("/", "/claims", "/entity/mofcom"):
        header = served.request(page)[2].decode().split("</header>", 1)[0]
        for path, title in (("/queries/tariffs", "Tariffs"), ("/queries/measures", "Measures")):
            assert f'<a href="{path}">{title}</a>' in header, page
    for path, rows in (("/queries/tariffs", "/queries/tariffs.json"), ("/queries/measures", "/queries/measures.json")):
        status, _, body = served.request(path)
        total = len(json.loads(served.request(rows)[2]))
        assert status == 200 and total > 0
        assert f"{total} row(s)" in body.decode() or f"of {total:,}" in body.decode()


def test_long_answers_are_shown_a_page_at_a_time(served):
    """A question's answer longer than a page shows its first page with the count and a link
    to the next; the pages hold every row once, and CSV and JSON hold them all."""
    status, _, body = served.request("/queries/tariff-exposure.csv")
    assert status == 200
    every = list(csv.reader(io.StringIO(body.decode())))[1:]
    assert len(every) > 100
    shown = []
    for number in (1, 2):
        status, _, body = served.request(f"/queries/tariff-exposure?page={number}")
        html = body.decode()
        assert status == 200
        last = min(len(every), number * 100)
        assert f"Rows {(number - 1) * 100 + 1}–{last} of {len(every)}" in html
        assert ("page=2" in html) == (number == 1)
        shown += re.findall(r"<tr><td>", html.split("<tbody>", 1)[1].split("</tbody>", 1)[0])
    assert len(shown) == len(every)
    status, _, body = served.request("/queries/tariff-exposure.json")
    assert len(json.loads(body)) == len(every)


def test_a_question_s_answer_is_kept_for_its_next_pages(example_store):
    """The explorer keeps the last answers to its question pages (the store does not change
    while serving): asked again with the same parameters, the same result comes back without
    asking the store; other parameters are asked anew; the least recently asked go first."""
    from graph.queries import find_query, run_query
    from graph.web.explorer import ANSWERS_KEPT, Explorer
    from graph.web.pool import QueryPool

    pool = QueryPool(str(example_store), size=1).start()
    try:
        explorer = Explorer(pool, str(example_store))
        profile = find_query("entity-profile")
        first = explorer.answer(profile, {"entity": "Xiaomi"})
        assert explorer.answer(profile, {"entity": "Xiaomi"}) is first
        store = open_store(str(example_store), read_only=True)
        try:
            assert first.rows == run_query(store, profile, {"entity": "Xiaomi"}).rows
        finally:
            store.close()
        other = explorer.answer(profile, {"entity": "Ford"})
        assert other is not first and other.rows != first.rows
        parties = explorer.select("PREFIX ak: <https://w3id.org/autokg#> "
                                  "SELECT DISTINCT ?e WHERE { ?claim ak:party ?e } ORDER BY ?e")
        # Answers are kept by the SPARQL they run: "xiaomi" is the key of "Xiaomi".
        others = [e for e in (row["e"].rsplit("/", 1)[1] for row in parties) if e not in ("xiaomi", "ford")]
        assert len(others) >= ANSWERS_KEPT
        for entity in others[:ANSWERS_KEPT - 2]:
            explorer.answer(profile, {"entity": entity})
        assert explorer.answer(profile, {"entity": "Xiaomi"}) is first  # the last ANSWERS_KEPT kept
        explorer.answer(profile, {"entity": others[ANSWERS_KEPT - 2]})
        assert explorer.answer(profile, {"entity": "Ford"}) is not other  # the oldest went first
    finally:
        pool.close()


def test_listings_and_the_busiest_entities_answers_are_computed_before_anyone_asks(own_store, monkeypatch):
    """Every question asked with no parameter (a listing) and every question about each of the
    busiest entities is answered while serve prepares, alone on one worker; asked later (by
    id, name or alias), it comes back without asking the store, with the rows ``run_query``
    gives, in pages that read only their rows. The answers are kept in the cache file beside
    the store, so the next start does not compute them again. A less busy entity is asked anew."""
    from graph.queries import bound_query, find_query, list_queries, run_query
    from graph.store import bind_values
    from graph.web import explorer as module
    from graph.web.explorer import Explorer, KeptRows
    from graph.web.pool import QueryPool

    monkeypatch.setattr(module, "BUSY_CLAIMS", 1)  # no example entity is in 2,000 claims
    monkeypatch.setattr(module, "BUSY_ENTITIES", 3)
    monkeypatch.setattr(module, "CHUNK", 7)  # pages cross the kept chunks' bounds
    pool = QueryPool(str(own_store), size=1).start()
    asked: list[str] = []
    run = pool.run
    monkeypatch.setattr(pool, "run", lambda text, *a, **k: asked.append(text) or run(text, *a, **k))
    store = open_store(str(own_store), read_only=True)
    try:
        explorer = Explorer(pool, str(own_store), str(own_store)).load()
        explorer.prepare_answers()
        explorer._save()
        busiest = sorted(explorer.entities.values(), key=lambda e: (-len(e.claims), e.slug))[:4]
        questions = [(q, p.name) for q in list_queries() for p in q.parameters if p.type == "entity"]
        listings = [q for q in list_queries() if not any(p.required for p in q.parameters)]
        assert len(questions) >= 8 and len(listings) >= 10
        texts = {(q.name, None, None): bind_values(*bound_query(store, q, {})) for q in listings}
        for query_file, parameter in questions:
            for entity in busiest:
                texts[query_file.name, parameter, entity.slug] = bind_values(
                    *bound_query(store, query_file, {parameter: entity.slug}))
        prepared = [t for (_, _, slug), t in texts.items() if slug != busiest[3].slug]
        assert set(prepared) <= set(asked)  # computed at start
        for name in ("name", "alias"):
            for query_file, parameter in questions:
                for entity in busiest[:3]:
                    said = entity.name if name == "name" else (entity.aliases or [entity.name])[0]
                    asked.clear()
                    answer = explorer.answer(query_file, {parameter: said})
                    assert texts[query_file.name, parameter, entity.slug] not in asked
                    expected = run_query(store, query_file, {parameter: entity.slug})
                    # run_query may answer from the claims' digests (graph/digests.py): the same
                    # rows, with rows the ORDER BY leaves tied and a group's values in their own order.
                    assert answer.variables == expected.variables, query_file.name
                    assert sorted(map(cells, answer.rows)) == sorted(map(cells, expected.rows)), query_file.name
        for query_file in listings:
            asked.clear()
            answer = explorer.answer(query_file, {})
            assert texts[query_file.name, None, None] not in asked
            expected = run_query(store, query_file).rows
            assert isinstance(answer.rows, KeptRows) and len(answer.rows) == len(expected)
            for start, stop in ((0, 7), (5, 16), (6, 7), (len(expected) - 3, len(expected) + 5), (3, 3)):
                assert answer.rows[start:stop] == expected[start:stop], (query_file.name, start, stop)
            if expected:
                assert answer.rows[-1] == expected[-1] and answer.rows[len(expected) // 2] == expected[len(expected) // 2]
            assert answer.records() == run_query(store, query_file).records()
        asked.clear()
        explorer.answer(find_query("entity-profile"), {"entity": busiest[3].slug})
        assert texts["entity-profile", "entity", busiest[3].slug] in asked  # not among the busiest: asked

        asked.clear()
        again = Explorer(pool, str(own_store), str(own_store)).load()
        again.prepare_answers()
        assert not set(prepared) & set(asked)  # read from the cache file
        assert again._prepared_answers == explorer._prepared_answers
        monkeypatch.setattr(module, "CHUNK", 5)  # a file written with other chunks reads the same
        timeline = find_query("timeline")
        assert again.answer(timeline, {}).rows[3:19] == run_query(store, timeline).rows[3:19]
    finally:
        store.close()
        pool.close()


def _get(app, path: str, query: str = "") -> tuple[int, str]:
    """GET ``path`` from the ASGI app in this process: its status and body."""
    import asyncio
    import threading

    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "http_version": "1.1", "method": "GET", "scheme": "http", "path": path,
             "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"127.0.0.1:7878")], "server": ("127.0.0.1", 7878), "client": ("127.0.0.1", 50000)}
    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    thread = threading.Thread(target=asyncio.run, args=(app(scope, receive, send),))
    thread.start()
    thread.join()
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()


def test_a_question_still_being_computed_says_so_and_its_page_reloads(own_store):
    """A question page whose answer is not there within a moment answers at once that it is
    being computed, with a reload (no script needed); asked again meanwhile, the answer is
    computed once; when it is there, the page shows it, and a download waits for every row.
    Deterministic: the pool's only worker is held, so nothing can be answered until it is let go."""
    from graph.queries import find_query, run_query
    from graph.web.app import create_app
    from graph.web.explorer import Explorer
    from graph.web.pool import QueryPool

    pool = QueryPool(str(own_store), size=1).start()
    explorer = Explorer(pool, str(own_store), str(own_store)).load()
    try:
        app = create_app(explorer, allowed_hosts={"127.0.0.1:7878"})
        timeline = find_query("timeline")
        worker = pool._idle.get()  # held: no query can run
        try:
            status, html = _get(app, "/queries/timeline")
            assert status == 202
            assert '<meta http-equiv="refresh" content="1">' in html and "Still computing this answer" in html
            assert "<tbody>" not in html
            assert explorer.answer(timeline, {}, wait=0) is None
            assert len(explorer._computing) == 1  # one computation, however many ask
        finally:
            pool._idle.put(worker)
        store = open_store(str(own_store), read_only=True)
        try:
            expected = run_query(store, timeline)
        finally:
            store.close()
        assert explorer.answer(timeline, {}).rows == expected.rows  # waits for it
        assert not explorer._computing
        status, html = _get(app, "/queries/timeline")
        assert status == 200 and "Still computing" not in html and "http-equiv" not in html
        assert f"of {len(expected.rows):,}" in html or f"{len(expected.rows)} row(s)" in html
        worker = pool._idle.get()
        try:
            status, html = _get(app, "/queries/timeline")  # kept: no worker needed
            assert status == 200 and "Still computing" not in html
        finally:
            pool._idle.put(worker)
        status, body = _get(app, "/queries/timeline.csv")
        assert status == 200 and len(list(csv.reader(io.StringIO(body)))) == 1 + len(expected.rows)
    finally:
        explorer.close()
        pool.close()


def test_saved_official_records_are_listed_apart_from_news(served):
    """The article list keeps the saved official records, marked as such, not as news."""
    status, _, body = served.request("/articles.json")
    assert status == 200
    kinds = {a["id"]: a["kind"] for a in json.loads(body)}
    assert {i for i, k in kinds.items() if k == "official record"} == {
        "eu-regulation-2024-2754", "federal-register-2025-05930", "gta-intervention-900101", "gta-intervention-900102"}
    assert kinds["xiaomi-denies-ford-talks-2026-02"] == "news article"
    status, _, body = served.request("/articles")
    assert status == 200 and "(official record)" in body.decode()


def test_every_response_has_a_strict_content_security_policy(served):
    for path in ["/", "/claims", "/entity/xiaomi", "/graph", "/claims.json", "/sparql?query=ASK%7B%7D"]:
        status, headers, _ = served.request(path)
        assert status == 200, path
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "connect-src 'none'" in policy or "connect-src 'self'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_app_refuses_writes(served):
    for method in ["POST", "PUT", "DELETE", "PATCH"]:
        for path in ["/", "/claims", "/entity/xiaomi", "/queries/tariffs"]:
            status, _, _ = served.request(path, data=b"x=1", method=method,
                                          headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert status == 405, (method, path, status)
    status, _, body = served.request("/sparql", data=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert status == 403 and b"read-only" in body
    status, _, body = served.request("/sparql?" + urllib.parse.urlencode({"update": "DROP ALL"}))
    assert status == 403
    # An update sent as a query does not parse as one; the workers open the store read-only anyway.
    status, _, body = served.request("/sparql", data=b"DELETE WHERE { ?s ?p ?o }",
                                     headers={"Content-Type": "application/sparql-query"})
    assert status == 400
    status, _, body = served.request("/sparql?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}),
                                     headers={"Accept": "text/csv"})
    assert status == 200 and int(body.decode().split()[1]) > 1000


def test_a_host_name_not_this_server_is_refused(served):
    status, _, _ = served.request("/", headers={"Host": "evil.example:80"})
    assert status == 421


# --- /sparql ----------------------------------------------------------------------------------

DENIED = "PREFIX ak: <https://w3id.org/autokg#> SELECT ?claim WHERE { ?claim ak:status ak:denied }"


def test_sparql_protocol_get_and_post(served):
    status, headers, body = served.request("/sparql?" + urllib.parse.urlencode({"query": DENIED}),
                                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and headers.get_content_type() == "application/sparql-results+json"
    claims = {b["claim"]["value"].rsplit("/", 1)[1] for b in json.loads(body)["results"]["bindings"]}
    assert "ford-xiaomi-joint-venture-talks" in claims
    status, headers, body = served.request("/sparql", data=DENIED.encode(),
                                           headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and headers.get_content_type() == "text/csv" and b"ford-xiaomi-joint-venture-talks" in body
    status, headers, body = served.request("/sparql?" + urllib.parse.urlencode(
        {"query": "CONSTRUCT { ?c a ?t } WHERE { ?c a ?t } LIMIT 3"}), headers={"Accept": "text/turtle"})
    assert status == 200 and headers.get_content_type() == "text/turtle"
    status, _, body = served.request("/sparql?" + urllib.parse.urlencode({"query": "SELEKT nothing"}))
    assert status == 400 and body.startswith(b"invalid SPARQL")


def test_sparql_refuses_a_cross_site_form_post(served):
    # What any web page can make a browser send to 127.0.0.1 without asking first.
    for content_type in ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"]:
        status, _, body = served.request("/sparql", data=urllib.parse.urlencode({"query": DENIED}).encode(),
                                         headers={"Content-Type": content_type})
        assert status == 415, content_type
        assert b"application/sparql-query" in body


def test_sparql_refuses_service(served):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, _, body = served.request("/sparql?" + urllib.parse.urlencode({"query": query}))
    assert status == 403 and b"SERVICE is refused" in body
    # The word in a string, an IRI, a variable or a prefixed name is not the keyword.
    harmless = ('PREFIX ex: <http://example.org/SERVICE/> SELECT ?service WHERE { BIND("SERVICE" AS ?service) '
                "# SERVICE\n }")
    status, _, _ = served.request("/sparql?" + urllib.parse.urlencode({"query": harmless}))
    assert status == 200


def test_uses_service_is_lexical():
    from graph.web.sparql import uses_service

    assert uses_service("SELECT * { service <x> { ?s ?p ?o } }")
    assert uses_service("SELECT * {SERVICE SILENT<x>{?s ?p ?o}}")
    assert not uses_service("SELECT ?service { ?service a ex:SERVICE . FILTER(?x = 'SERVICE') } # SERVICE")
    assert not uses_service('SELECT * { ?s ?p """a SERVICE b""" ; <http://x/SERVICE> :SERVICE }')


def test_a_runaway_query_is_stopped_and_its_worker_killed(own_store):
    server = Served(str(own_store), "--timeout", "1", "--workers", "1")
    try:
        before = server.workers()
        assert len(before) == 1
        runaway = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f } ORDER BY ?b ?d ?f"
        status, _, body = server.request("/sparql?" + urllib.parse.urlencode({"query": runaway}))
        assert status == 503 and b"ran longer than 1 s and was stopped" in body
        wait_until(lambda: not alive(before[0]), "the worker running the abandoned query is gone")
        wait_until(lambda: len(server.workers()) == 1 and server.workers() != before, "a fresh worker")
        status, _, body = server.request("/sparql?" + urllib.parse.urlencode({"query": DENIED}),
                                         headers={"Accept": "text/csv"})
        assert status == 200 and b"ford-xiaomi" in body
    finally:
        code, err = server.stop()
    assert code == 0, err


def test_a_restart_reads_the_cache_and_a_write_makes_it_stale(own_store):
    """serve keeps its tables, search index, actor graph and busiest entities' answers beside
    the store folder; the next serve reads them while the store is unchanged, and reads the
    store again after a write."""
    def ready(server):
        wait_until(lambda: all(json.loads(server.request("/ready.json")[2]).values()), "tables, index and graph built")

    cache = own_store.with_name(own_store.name + ".cache")
    article = "xiaomi-denies-ford-talks-2026-02"
    server = Served(str(own_store))
    try:
        ready(server)
    finally:
        assert server.stop()[0] == 0
    files = {p.name: p.stat().st_mtime_ns for p in cache.glob("explorer-*.pickle")}
    assert set(files) == {"explorer-tables.pickle", "explorer-search.pickle", "explorer-answers.pickle"}
    server = Served(str(own_store))
    try:
        ready(server)
        status, _, body = server.request("/search.json?q=FT")
        assert status == 200 and json.loads(body)["groups"]["entity"]["hits"][0]["key"] == "financial-times"
        assert article in {a["id"] for a in json.loads(server.request("/articles.json")[2])}
    finally:
        assert server.stop()[0] == 0
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("explorer-*.pickle")} == files  # read, not written
    removed = subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(own_store), "remove", article],
                             capture_output=True, text=True)
    assert removed.returncode == 0, removed.stderr
    server = Served(str(own_store))
    try:
        ready(server)
        assert article not in {a["id"] for a in json.loads(server.request("/articles.json")[2])}
        status, _, body = server.request("/search.json?q=" + urllib.parse.quote("Xiaomi denies"))
        assert article not in {h["key"] for h in json.loads(body)["groups"].get("article", {}).get("hits", [])}
    finally:
        assert server.stop()[0] == 0


# --- stopping -------------------------------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_stop_signal_stops_everything_and_then_frees_the_store(own_store, sig):
    store_dir = own_store
    server = Served(str(store_dir))
    workers = server.workers()
    assert len(workers) == 2 and all(alive(w) for w in workers)
    busy = subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(store_dir), "load",
                           str(EXAMPLES / "articles" / "2026-02-xiaomi-denies-ford-talks.yaml")],
                          capture_output=True, text=True)
    assert busy.returncode == 1 and "in use" in busy.stderr
    code, err = server.stop(sig)
    assert code == 0, err
    assert err.strip().endswith(f"Stopped ({sig.name}).")
    assert not any(alive(w) for w in workers)  # gone before serve exited
    load = subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(store_dir), "load",
                           str(EXAMPLES / "articles" / "2026-02-xiaomi-denies-ford-talks.yaml")],
                          capture_output=True, text=True)
    assert load.returncode == 0, load.stderr


class StalledEndpoint:
    """A SPARQL endpoint on 127.0.0.1 that takes every query and never answers it: serve over
    it stays in its start-up (reading its tables) for as long as the test wants."""

    def __init__(self):
        import http.server
        import threading

        self.asked = threading.Event()
        self.release = threading.Event()
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                endpoint.asked.set()
                endpoint.release.wait()

            do_GET = do_POST

            def log_message(self, *args):
                pass
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def in_group(pgid: int) -> list[int]:
    """The live processes of process group ``pgid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_a_stop_signal_during_start_up_stops_everything(sig):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) or SIGTERM while serve
    is still reading its start-up tables: serve, its query workers and its port are all gone."""
    import socket

    endpoint = StalledEndpoint()
    port = free_port()
    try:
        process = subprocess.Popen([sys.executable, "-m", "graph.cli", "--store", endpoint.url, "serve", "--port",
                                    str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   preexec_fn=_receive_signals, start_new_session=True)
        try:
            # The state: its workers run, and a start-up query has reached the endpoint.
            wait_until(endpoint.asked.is_set, "a start-up query reaches the endpoint")
            group = in_group(process.pid)
            assert process.pid in group and len(group) == 3, group  # serve and its two workers
            assert process.poll() is None
            if sig == signal.SIGINT:
                os.killpg(process.pid, sig)
            else:
                process.send_signal(sig)
            out, err = process.communicate(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        assert process.returncode == 0, err
        assert out == ""  # it never said it was serving
        assert err.strip().endswith(f"Stopped ({sig.name}).")
        assert in_group(process.pid) == []
        assert not any(alive(pid) for pid in group)
        with socket.socket() as sock:  # the port is free again
            sock.bind(("127.0.0.1", port))
    finally:
        endpoint.close()


def test_workers_die_with_a_killed_server(own_store):
    server = Served(str(own_store))
    workers = server.workers()
    server.process.kill()
    server.process.communicate()
    wait_until(lambda: not any(alive(w) for w in workers), "the workers of a SIGKILLed serve are gone")


def test_serves_a_memory_store(tmp_path):
    server = Served("memory", preload=("--load", str(EXAMPLES)))
    try:
        status, _, body = server.request("/search.json?q=FT")
        hits = json.loads(body)["groups"]["entity"]["hits"]
        assert status == 200 and hits[0]["key"] == "financial-times"
    finally:
        code, err = server.stop()
    assert code == 0, err


# --- hostile names, quotes and URLs ------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_served(tmp_path_factory):
    store_dir = tmp_path_factory.mktemp("hostile-explorer") / "store"
    store = open_store(str(store_dir))
    load_paths(store, [EXAMPLES / "articles" / "2026-02-xiaomi-denies-ford-talks.yaml"])
    for path in [HOSTILE / "yaml" / "hostile-names.yaml", HOSTILE / "brat" / "hostile-names.ann",
                 HOSTILE / "labelstudio" / "hostile-names.json"]:
        load_paths(store, [path], EXAMPLES / "entities.yaml")
    store.close()
    # URLs no loader accepts, written straight into the store: the pages must still not link them.
    raw = ox.Store(str(store_dir))
    article = ox.NamedNode(ID + "article/h-hostile-names")
    for url in ["javascript:window.__xss=1", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>"]:
        raw.add(ox.Quad(article, ox.NamedNode("https://schema.org/url"), ox.Literal(url)))
    raw.add(ox.Quad(ox.NamedNode(ID + "acme-motors"), ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs"),
                    ox.NamedNode("javascript:alert(2)")))
    raw.flush()
    del raw
    server = Served(str(store_dir))
    yield server
    server.stop()


@pytest.mark.browser
def test_hostile_payloads_are_inert_in_the_browser(browser, hostile_served):
    visit = Visit(browser, hostile_served)
    try:
        _, _, body = hostile_served.request("/entities.json")
        entities = json.loads(body)
        _, _, body = hostile_served.request("/claims.json")
        claims = json.loads(body)
        _, _, body = hostile_served.request("/articles.json")
        articles = [a["id"] for a in json.loads(body)]
        paths = ["/", "/claims", "/entities", "/articles", "/search?q=acme", "/search?q=%3Cscript%3E", "/graph",
                 *("/entity/" + urllib.parse.quote(e["entity"], safe="") for e in entities[:40]),
                 *("/claim/" + urllib.parse.quote(c["claim"], safe="") for c in claims),
                 *("/article/" + urllib.parse.quote(a, safe="") for a in articles)]
        assert any("acme" in p for p in paths) and len(articles) >= 1
        for path in paths:
            page = visit.go(path)
            if path == "/graph":
                page.wait_for_selector("body[data-ready=true]", timeout=120_000)
            assert page.evaluate("document.querySelectorAll('main b, main script, main img').length") == 0, path
            visit.clean()
        page = visit.go("/entity/acme-motors")
        assert '<b>{x}</b>' in page.inner_text("h1")
        assert "<script>alert(1)</script>" in page.inner_text("dl.facts")
        assert visit.errors == [], sorted(set(visit.errors))[:10]
    finally:
        visit.close()


def test_json_responses_escape_markup(hostile_served):
    for path in ["/entities.json", "/claims.json", "/articles.json", "/search.json?q=acme", "/entity/acme-motors?format=json",
                 "/suggest.json?q=acme"]:
        status, headers, body = hostile_served.request(path)
        assert status == 200 and headers.get_content_type() == "application/json", path
        assert b"<" not in body and b">" not in body, path
        json.loads(body)
    _, _, body = hostile_served.request("/article/h-hostile-names")
    assert b'href="javascript' not in body.lower() and b"href='javascript" not in body.lower()
    assert b"<b>{x}</b>" not in body and b"&lt;b&gt;{x}&lt;/b&gt;" in body


def test_search_index_forgives_case_accents_and_typos():
    from graph.web.search import SearchIndex

    index = SearchIndex()
    index.add("entity", "financial-times", "Financial Times", names=["Financial Times", "FT"], ids=["financial-times"])
    index.add("entity", "camacari", "Camaçari", names=["Camaçari"])
    index.add("claim", "c1", "talks", texts=["The FT, quoting four people familiar with the talks"])
    assert [h.key for h in index.search("ft")][0] == "financial-times"
    assert [h.key for h in index.search("CAMACARI")] == ["camacari"]
    assert [h.key for h in index.search("finacial")] == ["financial-times"]
    assert [h.key for h in index.search("quoting peopel")] == ["c1"]
    assert index.search("nothing here") == []


@pytest.mark.remote
def test_serves_a_remote_sparql_endpoint(tmp_path):
    from .conftest import OxigraphServer

    remote = OxigraphServer(tmp_path / "db").start()
    try:
        load_paths(open_store(remote.url), [EXAMPLES])
        server = Served(remote.url)
        try:
            status, _, body = server.request("/claim/ford-xiaomi-joint-venture-talks?format=json")
            assert status == 200 and json.loads(body)["status"] == "denied"
            status, _, body = server.request("/sparql?" + urllib.parse.urlencode({"query": DENIED}),
                                             headers={"Accept": "text/csv"})
            assert status == 200 and b"ford-xiaomi-joint-venture-talks" in body
            status, _, body = server.request("/queries/timeline.json")  # asked when asked
            assert status == 200 and json.loads(body)
        finally:
            code, err = server.stop()
        assert code == 0, err
        # The endpoint is not sent every listing at each start.
        from graph.web.explorer import Explorer
        from graph.web.pool import QueryPool

        pool = QueryPool(remote.url, size=1).start()
        try:
            explorer = Explorer(pool, remote.url).load()
            explorer.prepare_answers()
            assert explorer._prepared_answers == {} and explorer.entities
        finally:
            pool.close()
    finally:
        remote.stop()


def test_query_with_a_failing_service_is_one_line(runner, tmp_path):
    from graph.cli import cli

    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    result = runner.invoke(cli, ["--store", "memory", "query", "-e", query])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot read in-memory store: ") and len(result.output.splitlines()) == 1
