"""Regenerate the README section "What the graph tells us" from the example corpus.

Loads examples/ (YAML, brat and Label Studio articles) into a throwaway in-memory store,
runs the questions and analyses, and rewrites README.md between the markers
``<!-- findings:start -->`` and ``<!-- findings:end -->``; then writes the corpus view
(``autokg view``) and a screenshot of it taken in headless Chromium, docs/corpus-view.png.

    python docs/what_the_graph_tells_us.py            # README + screenshot (make findings)
    python docs/what_the_graph_tells_us.py --check    # exit 1 if the README section is stale
    python docs/what_the_graph_tells_us.py --no-screenshot

Every table and number in the section comes from this run; nothing is typed by hand, so
a test (tests/test_findings.py) can check the README still says what the corpus says.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
README = ROOT / "README.md"
SCREENSHOT = ROOT / "docs" / "corpus-view.png"
START, END = "<!-- findings:start -->", "<!-- findings:end -->"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
AK = "https://w3id.org/autokg#"
# Columns holding "; "-joined lists: sorted here, so the text does not depend on load order.
_LISTS = {"articles", "denied_by", "confirmed_by", "opposed_by", "targets", "reported_by", "steps", "reason",
          "outcome", "products", "measures", "hs_codes",
          "adopted", "in_force", "official_records", "claims"}


def load_corpus():
    """The whole example corpus in a memory store; (store, load report, article files by format)."""
    from graph import load_paths, open_store
    from graph.loading import find_article_files, format_of

    store = open_store("memory")
    report = load_paths(store, [EXAMPLES])
    if report.warnings:
        raise SystemExit("loading examples/ gave warnings:\n" + "\n".join(map(str, report.warnings)))
    formats = Counter(format_of(f) for f in find_article_files([EXAMPLES]))
    return store, report, formats


def _cell(column: str, value) -> str:
    text = "" if value is None else str(value)
    if column in _LISTS and "; " in text:
        text = "; ".join(sorted(text.split("; ")))
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def table(rows: list[dict], columns: list[str], headers: list[str] | None = None) -> str:
    """A Markdown table of ``rows`` (dicts) in ``columns``."""
    headers = headers or columns
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_cell(c, r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(lines)


def _records(store, name: str, **params) -> list[dict]:
    from graph import run_query

    return run_query(store, name, params).records()


def carmaker_side(store) -> set[str]:
    """Labels of automakers, groups of automakers, and people holding a post at an automaker."""
    rows = store.query(f"""PREFIX ak: <{AK}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?label WHERE {{
          {{ ?e a ak:Automaker }} UNION {{ ?e ak:memberType ak:Automaker }}
          UNION {{ ?e ak:holdsPosition/ak:organization/a ak:Automaker }}
          ?e rdfs:label ?label }}""").records()
    return {r["label"] for r in rows}


def _sorted_by_date(rows: list[dict], *keys: str) -> list[dict]:
    return sorted(rows, key=lambda r: tuple((r.get(k) or "") for k in keys))


def _names(values) -> str:
    values = sorted(values, key=str.casefold)
    return ", ".join(values[:-1]) + " and " + values[-1] if len(values) > 1 else "".join(values)


def headlines(store) -> list[str]:
    """A few sentences, each computed from a cross-article answer."""
    from graph.analysis import actor_graph, brokers

    lines = []
    for claim in _records(store, "contested-claims"):
        deniers = sorted((claim["denied_by"] or "").split("; "))
        lines.append(f"**{claim['claim']}** is `{claim['status']}`: reported by {claim['reported_by']} "
                     f"(citing {claim['anonymous_sources']} {claim['source_description']}) and denied by "
                     f"{_names(deniers)}, an answer joining {len(set(claim['articles'].split('; ')))} articles.")
    hits: dict[str, set[str]] = {}
    for r in _records(store, "tariff-exposure"):
        hits.setdefault(r["automaker_label"], set()).add(r["imposed_by"])
    most = max(len(j) for j in hits.values())
    widest = [m for m, j in hits.items() if len(j) == most]
    lines.append(f"{_names(widest)} {'are' if len(widest) > 1 else 'is'} hit by tariffs in {most} jurisdictions "
                 f"({_names(hits[widest[0]])}).")
    reactions = [r for r in _records(store, "reactions") if (r["on_behalf_of"] or r["actor"]) ==
                 "China's Ministry of Commerce (MOFCOM)"]
    opposed = {r["target_label"] for r in reactions if r["stance"] == "opposes"}
    articles = {a for r in reactions for a in r["articles"].split("; ")}
    imposers = {r["imposed_by"] for r in _records(store, "tariffs") if r["tariff"] in opposed}
    lines.append(f"China's Ministry of Commerce (MOFCOM) reacts {len(reactions)} times in {len(articles)} "
                 f"articles and opposes {len(opposed)} tariffs and duties imposed by {_names(imposers)}.")
    [top] = brokers(actor_graph(store))[:1]
    lines.append(f"The top broker is {top['entity']} ({top['type']}): it links "
                 f"{top['neighbours']} actors across {top['communities_reached']} communities.")
    return lines


def findings(store, report, formats: Counter) -> str:
    """The README section's text (between the markers), from the loaded corpus."""
    from graph.analysis import actor_graph, brokers

    out: list[str] = []
    say = out.append
    yaml_n, brat_n, ls_n = formats["yaml"], formats["brat"], formats["labelstudio"]
    entities = store.query(f"PREFIX ak: <{AK}> SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e ak:name ?name }}"
                           ).records()[0]["n"]
    say(f"The example corpus in `examples/` tells the auto-trade story of 2023–2026 in "
        f"{len(report.articles)} documents: {yaml_n} articles annotated in YAML, {brat_n} in brat "
        f"(`examples/articles/brat/`, with the generated `annotation.conf` beside them) and {ls_n} as "
        f"Label Studio exports (`examples/articles/labelstudio/`), beside {formats['federalregister']} Federal "
        f"Register document, {formats['gta']} Global Trade Alert export and {formats['euregulation']} EU "
        f"regulation record (`examples/records/`, loaded as official records, not articles), all sharing "
        f"`examples/entities.yaml`. "
        f"Loaded together they make {report.events} claims about {entities} named entities. "
        f"Everything below is the real output of `docs/what_the_graph_tells_us.py` (`make findings`) "
        f"on a fresh load; a test fails when this section no longer matches the corpus.")
    say("")

    say("In short:")
    say("")
    for line in headlines(store):
        say(f"- {line}")
    say("")

    # --- who talked to whom --------------------------------------------------------------
    talks = _records(store, "who-talked-to-whom")
    side = carmaker_side(store)
    carmakers = _sorted_by_date([r for r in talks if r["party_a"] in side or r["party_b"] in side], "date")
    governments = _sorted_by_date([r for r in talks if r not in carmakers], "date")
    say("### Who talked to whom")
    say("")
    say(f"`autokg query who-talked-to-whom` finds {len(talks)} talks, meetings, deals, invitations, statements "
        f"and denials. The {len(carmakers)} with a carmaker (or a carmaker's chairman) on one side:")
    say("")
    say(table(carmakers, ["party_a", "party_b", "kind", "topic", "status", "reported_by", "cited_sources",
                          "denied_by", "date", "articles"]))
    say("")
    say(f"and the other {len(governments)}, between governments, officials, associations and the press:")
    say("")
    say(table(governments, ["party_a", "party_b", "kind", "topic", "place", "date"]))
    say("")

    # --- tariffs by jurisdiction ---------------------------------------------------------
    tariffs = _sorted_by_date(_records(store, "tariffs"), "imposed_by", "effective", "tariff")
    say("### Tariffs by jurisdiction")
    say("")
    by_authority = Counter(r["imposed_by"] for r in tariffs)
    say(f"`autokg query tariffs`: {len(tariffs)} tariffs imposed by "
        + ", ".join(f"{a} ({n})" for a, n in sorted(by_authority.items(), key=lambda kv: (-kv[1], kv[0])))
        + "; rates in percent, `opposed_by` from the reactions in every article.")
    say("")
    say(table(tariffs, ["imposed_by", "tariff", "rate", "goods", "effective", "targets", "opposed_by"]))
    say("")

    # --- tariffs by company --------------------------------------------------------------
    exposure = _records(store, "tariff-exposure")
    jurisdictions = sorted({r["imposed_by"] for r in exposure}, key=lambda j: (-by_authority.get(j, 0), j))
    makers: dict[str, dict[str, list[dict]]] = {}
    for r in exposure:
        makers.setdefault(r["automaker_label"], {}).setdefault(r["imposed_by"], []).append(r)
    rows = []
    for maker, hits in makers.items():
        row = {"carmaker": maker, "jurisdictions": str(len(hits))}
        for j in jurisdictions:
            row[j] = "; ".join(f"{r['rate']}% {r['goods']} ({r['exposure']})"
                               for r in _sorted_by_date(hits.get(j, []), "effective", "tariff"))
        rows.append(row)
    rows.sort(key=lambda r: (-int(r["jurisdictions"]), r["carmaker"].casefold()))
    widest = [r for r in rows if int(r["jurisdictions"]) >= 3]
    say("### Which tariffs hit which carmakers")
    say("")
    say(f"`autokg query tariff-exposure` works out, for each of the {len(rows)} carmakers it finds exposed, "
        f"the tariffs that hit it and why: named as a target, based in a targeted country, or a tariff on all "
        f"imports; and, where the tariff names its goods by HS code, only if the carmaker makes such goods "
        f"(\"makes passenger cars\"). The {len(widest)} carmakers hit in three or more jurisdictions:")
    say("")
    say(table(widest, ["carmaker", "jurisdictions", *jurisdictions]))
    say("")
    tariffed = {r["tariff"] for r in tariffs}
    missed = sorted(tariffed - {r["tariff"] for r in exposure})
    say(f"{len(missed)} of the {len(tariffed)} tariffs hit no carmaker, because no carmaker makes their goods "
        f"or none is based where they apply: {'; '.join(missed)}.")
    say("")

    # --- measures and their life cycle ----------------------------------------------------
    measures = _records(store, "measures")
    recorded = [r for r in measures if r["official_records"]]
    kinds = Counter(r["kind"] for r in measures)
    say("### Measures, their life cycle and official records")
    say("")
    say(f"`autokg query measures`: {len(measures)} measures, tariff or not ("
        + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        + f"). The {len(recorded)} with an official record, with each life-cycle date and who states it, "
          "and the status of the articles' claims about them:")
    say("")
    say(table(recorded, ["measure_label", "kind", "adopted", "in_force", "official_records", "claims"]))
    say("")

    # --- investigations and disputes -------------------------------------------------------
    investigations = _records(store, "investigations")
    disputes = _records(store, "disputes")
    say("### Investigations and disputes")
    say("")
    say(f"`autokg query investigations`: {len(investigations)} investigations, with the authority, the products "
        f"(and their HS codes), the jurisdiction investigated, the dated steps and the measures that came of them:")
    say("")
    say(table(investigations, ["investigation", "kind", "investigated_by", "products", "hs_codes", "from", "opened",
                               "stage", "outcome"]))
    say("")
    say(f"`autokg query disputes`: {len(disputes)} WTO disputes, complainant against respondent, with the DS number "
        f"and the steps the articles report:")
    say("")
    say(table(disputes, ["dispute", "number", "complainant", "respondent", "opened", "stage", "steps", "articles"]))
    say("")

    # --- contested and denied claims -----------------------------------------------------
    contested = _records(store, "contested-claims")
    say("### Contested and denied claims")
    say("")
    say(f"`autokg query contested-claims`: {len(contested)} claim(s) that someone denies or disputes, "
        f"with who reported them, on whose word, and who denied them, across articles:")
    say("")
    say(table(contested, ["claim", "status", "reported_by", "anonymous_sources", "source_description",
                          "denied_by", "confirmed_by", "articles"]))
    say("")

    # --- brokers ---------------------------------------------------------------------------
    G = actor_graph(store)
    top = brokers(G)[:10]
    for r in top:
        for key in ("betweenness", "effective_size", "constraint"):
            r[key] = f"{r[key]:.4f}"
    say("### Brokers")
    say("")
    say(f"`autokg analyze brokers` on the actor graph ({G.number_of_nodes()} entities, {G.number_of_edges()} "
        f"claim edges): the ten entities most often on the shortest paths between others, how many "
        f"Louvain communities they touch, and Burt's constraint (low: contacts that do not know each other).")
    say("")
    say(table(top, ["entity", "type", "betweenness", "communities_reached", "neighbours", "effective_size",
                    "constraint"]))
    say("")

    # --- the view ----------------------------------------------------------------------------
    say("### The corpus view")
    say("")
    say("`autokg view --out corpus.html` on the same store (the screenshot is taken in headless Chromium by the "
        "same script); dashed red edges are denied claims:")
    say("")
    say("![The actor graph of the example corpus: governments, ministries, carmakers, tariffs and outlets]"
        "(docs/corpus-view.png)")
    return "\n".join(out) + "\n"


def replace_section(readme: str, body: str) -> str:
    """``readme`` with the text between the markers replaced by ``body``."""
    before, start, rest = readme.partition(START)
    _, end, after = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"README.md has no {START} ... {END} markers")
    return f"{before}{START}\n{body}{END}{after}"


def current_section(readme: str) -> str:
    """The text between the markers, as ``findings`` returns it."""
    return readme.partition(START)[2].partition(END)[0].removeprefix("\n")


def screenshot(store, png: Path = SCREENSHOT) -> Path:
    """Write the corpus view and photograph it in headless Chromium (network blocked)."""
    from playwright.sync_api import sync_playwright

    from graph.analysis import actor_graph
    from graph.views import write_view

    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "corpus-view.html"
        write_view(actor_graph(store), html, title="autokg: the example corpus (auto-trade policy 2023–2026)")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1600, "height": 1000}, device_scale_factor=2)
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                           else route.abort())
                page.goto(html.resolve().as_uri())
                # Poll from here: the page's Content-Security-Policy forbids the eval that
                # wait_for_function would need once it has to wait.
                deadline = time.monotonic() + 120
                while not page.evaluate("window.autokgView !== undefined"
                                        " && !autokgView.network.physics.physicsEnabled"):
                    if time.monotonic() > deadline:
                        raise SystemExit("the corpus view did not settle in 120 s")
                    page.wait_for_timeout(100)
                # A still image cannot be zoomed: larger labels, and the view fitted to the graph.
                page.evaluate("autokgView.network.setOptions({nodes: {font: {size: 30}}, edges: {font: {size: 18}}})")
                page.evaluate("autokgView.network.fit()")
                page.wait_for_timeout(300)
                png.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(png))
            finally:
                browser.close()
    return png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="Only check that README.md is current (exit 1 if not).")
    parser.add_argument("--no-screenshot", action="store_true", help="Leave docs/corpus-view.png as it is.")
    args = parser.parse_args(argv)
    store, report, formats = load_corpus()
    try:
        body = findings(store, report, formats)
        readme = README.read_text(encoding="utf-8")
        if args.check:
            if current_section(readme) != body:
                print("README.md: 'What the graph tells us' is stale; run `make findings`.", file=sys.stderr)
                return 1
            print("README.md: 'What the graph tells us' is current.")
            return 0
        updated = replace_section(readme, body)
        if updated != readme:
            README.write_text(updated, encoding="utf-8")
        print(f"README.md: 'What the graph tells us' {'rewritten' if updated != readme else 'unchanged'}.")
        if not args.no_screenshot:
            print(f"Wrote {screenshot(store).relative_to(ROOT)}.")
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
