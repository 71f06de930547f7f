"""`make bench`, the explorer: how long each page of `autokg serve` takes, at 1,000 and 10,000 articles.

Loads the synthetic corpus (bench/out/corpus-N, made by bench/corpus.py as bench/run.py makes
it; a pre-generated one may be linked there) into bench/out/explorer-store-N once, starts a
real `autokg serve --port 0` over it, asks every page `--repeat` times over HTTP on 127.0.0.1
(each page once first, unmeasured) and writes the medians to bench/explorer.md.

    python bench/explorer.py [--sizes 1000 10000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from graph.web.explorer import BUSY_CLAIMS

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
TARGET = 0.5  # seconds per page, the bar


def corpus(n: int) -> Path:
    folder = OUT / f"corpus-{n}"
    if not (folder / ".complete").exists():
        subprocess.run([sys.executable, str(HERE / "corpus.py"), str(folder), "--articles", str(n)], check=True)
        (folder / ".complete").touch()
    return folder


def store(n: int) -> tuple[Path, float | None]:
    folder = OUT / f"explorer-store-{n}"
    marker = OUT / f"explorer-store-{n}.complete"
    if marker.exists():
        return folder, None
    source = corpus(n)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(folder), "load", "--registry",
                    str(source / "entities.yaml"), str(source / "articles")], check=True, stdout=subprocess.DEVNULL)
    marker.touch()
    return folder, time.perf_counter() - started


class Server:
    def __init__(self, folder: Path):
        started = time.perf_counter()
        # The server's own messages go to a file: a pipe nobody reads would fill and block it.
        self.log = folder.with_name(folder.name + "-serve.log")
        with open(self.log, "w") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "graph.cli", "--store", str(folder), "serve",
                                             "--port", "0"], stdout=subprocess.PIPE, stderr=log, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("Serving"):
            raise SystemExit(f"serve did not start: {line}{self.log.read_text()[-3000:]}")
        self.startup = time.perf_counter() - started
        self.url = line.split(" at ", 1)[1].split()[0].rstrip("/")
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        # Serve builds the search index, reads the actor graph, draws the graph page and writes
        # its cache files after it starts listening: pages are timed once all are done (writing
        # the files at 10,000 articles holds Python's lock for seconds).
        while not all(self.json("/ready.json").values()):
            if self.process.poll() is not None:
                raise SystemExit(f"serve stopped: {self.log.read_text()[-3000:]}")
            time.sleep(0.2)
        self.ready = time.perf_counter() - started

    def get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        try:
            with self.opener.open(self.url + path, timeout=120) as response:
                body, status = response.read(), response.status
        except urllib.error.HTTPError as exc:
            body, status = exc.read(), exc.code
        return status, body, time.perf_counter() - started

    def json(self, path: str):
        return json.loads(self.get(path)[1])

    def stop(self):
        self.process.terminate()
        self.process.communicate(timeout=120)


def typo(name: str) -> str:
    """``name`` with one letter dropped from its longest word (search forgives one typo in a
    word of four letters or more)."""
    words = name.split(" ")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    words[longest] = words[longest][:-2] + words[longest][-1:]
    return " ".join(words)


def pages(server: Server) -> dict[str, str]:
    """The pages to time: one of each kind, picked the same way at every size."""
    entities = server.json("/entities.json")
    busiest = entities[0]["entity"]                      # the most claim roles
    # The busiest entities not answered at start, nor asked above (at 1,000 articles none is
    # answered at start, and the 7 busiest are asked first).
    after = [e for e in entities[7:] if e["claims"] < BUSY_CLAIMS]
    middling = entities[len(entities) // 2]["entity"]
    denied = server.json("/claims.json?status=denied")
    claims = denied or server.json("/claims.json")
    claim = max(claims, key=lambda c: (c["article_count"], c["claim"]))["claim"]
    articles = server.json("/articles.json")
    article = articles[len(articles) // 2]["id"]
    quote = urllib.parse.quote
    return {
        "home": "/",
        "search (a name)": "/search?q=" + quote(entities[1]["name"]),
        "search (one typo)": "/search?q=" + quote(typo(entities[1]["name"])),
        "search suggestions (JSON)": "/suggest.json?q=" + quote(entities[2]["name"][:3]),
        "entity page (most claims)": "/entity/" + quote(busiest, safe=""),
        "entity page (middling)": "/entity/" + quote(middling, safe=""),
        "claim page (most articles)": "/claim/" + quote(claim, safe=""),
        "article page": "/article/" + quote(article, safe=""),
        "claims list": "/claims",
        "claims list, two facets": "/claims?status=denied&kind=negotiation",
        "claims of one entity": "/claims?entity=" + quote(busiest, safe=""),
        "claims as CSV (all)": "/claims.csv",
        "entities list": "/entities",
        "articles list": "/articles",
        "questions": "/queries",
        # The explorer keeps a question's last answers for their next pages: a question asked
        # again is not asked of the store. So a question is timed once each for several subjects
        # (a list: each asked once, the median of them), and its next page apart. The listings
        # and the busiest entities' answers are computed at start (Explorer.prepare_answers): the
        # busiest are timed apart from the first ask of the busiest entities after them.
        "question: entity-profile, the 7 busiest entities (at 10,000 articles: answered at start)": [
            "/queries/entity-profile?run=1&entity=" + quote(e["entity"], safe="") for e in entities[:7]],
        "question: entity-profile, first asked (the next 7 busiest, not answered at start)": [
            "/queries/entity-profile?run=1&entity=" + quote(e["entity"], safe="") for e in after[:7]],
        "question: who-talked-to-whom, first asked (the same 7)": [
            "/queries/who-talked-to-whom?run=1&entity=" + quote(e["entity"], safe="") for e in after[:7]],
        "question: sources, the whole listing (answered at start)": "/queries/sources",
        "question: sources, its 500th page": "/queries/sources?page=500",
        "question: sources as CSV (every row)": "/queries/sources.csv",
        # No date is prepared, and since 2024 is half the claims: the page says the answer is being
        # computed (202) and reloads itself until it is there; both times are shown.
        "question: timeline since 2024, first asked (33,534 rows at 10,000 articles: not prepared)": [
            "/queries/timeline?run=1&since=2024"],
        "question: entity-profile, its next page (the answer kept)":
            "/queries/entity-profile?run=1&page=2&entity=" + quote(busiest, safe=""),
        "question: reactions, first asked (7 middling targets)": [
            "/queries/reactions?run=1&target=" + quote(e["entity"], safe="")
            for e in entities[len(entities) // 2:len(entities) // 2 + 7]],
        "graph (300 best connected)": "/graph",
        "graph around the busiest entity": "/graph?depth=1&focus=" + quote(busiest, safe=""),
        "sparql (count claims)": "/sparql?query=" + quote(
            "SELECT (COUNT(*) AS ?n) WHERE { ?c <https://w3id.org/autokg#status> ?s }"),
    }


def measure(n: int, repeat: int, progress=lambda: None) -> dict:
    folder, load_seconds = store(n)
    # The first start after a load: nothing kept beside the store (STORE.cache/) yet.
    cache = folder.with_name(folder.name + ".cache")
    for kept in list(cache.glob("explorer-*.pickle")) + list(cache.glob("actor-graph.pickle")):
        kept.unlink()
    server = Server(folder)
    try:
        results = {"startup": server.startup, "ready": server.ready, "load": load_seconds, "pages": {}}
        progress(results)
        for name, path in pages(server).items():
            later = None
            if isinstance(path, list):  # each asked once, none before
                asked, waits = [], []
                for p in path:
                    started = time.perf_counter()
                    asked.append(server.get(p))
                    if asked[-1][0] == 202:  # being computed: reloaded each second, as the page does, until there
                        while server.get(p)[0] == 202:
                            time.sleep(1)
                        waits.append(time.perf_counter() - started)
                status = max(a[0] for a in asked)
                body, times, first = asked[0][1], [a[2] for a in asked], 0.0
                later = max(waits) if waits else None
            else:
                status, body, first = server.get(path)  # once unmeasured: the first visit may build and cache the page
                times = [server.get(path)[2] for _ in range(repeat)]
            results["pages"][name] = {"path": path, "status": status, "bytes": len(body), "median": statistics.median(times),
                                      "max": max(times), "first": first, "answered": later}
            print(f"  {n:>6} {name:40s} {status} {statistics.median(times) * 1000:8.1f} ms  {len(body):>9} B", flush=True)
            progress(results)
    finally:
        server.stop()
    again = Server(folder)  # the next start: from the files the first one kept
    again.stop()
    results["startup_again"], results["ready_again"] = again.startup, again.ready
    progress(results)
    return results


def write(results: dict, sizes: list[int]) -> str:
    lines = ["# The explorer's pages: medians", "",
             f"`python bench/explorer.py` on {datetime.date.today().isoformat()}, this 2-core machine shared with other work; "
             f"each page asked {results['repeat']} times over HTTP on 127.0.0.1 after one unmeasured visit "
             f"(a first visit that took {TARGET} s or more is shown beside the median); a question (a query file run "
             f"with its parameters) is asked once for each of 7 subjects instead, as the explorer keeps its last "
             f"answers for their next pages, and the slowest of them is shown beside the median. Every question asked "
             f"with no parameter (a listing), and every question about an entity in {BUSY_CLAIMS:,} claims or more, is "
             f"answered while serve prepares, and counted in the first start's time. "
             f"Target: every page under {TARGET} s at 10,000 articles.", ""]
    header = "| page | " + " | ".join(f"{n:,} articles" for n in sizes) + " |"
    lines += [header, "|---|" + "---|" * len(sizes)]
    names = list(dict.fromkeys(name for n in sizes for name in results[n]["pages"]))
    for name in names:
        cells = []
        for n in sizes:
            page = results[n]["pages"].get(name)
            if page is None:
                cells.append("not measured")
                continue
            mark = "" if page["median"] < TARGET and page["status"] == 200 else " **over**" if page["status"] == 200 \
                else f" (HTTP {page['status']})"
            if page["status"] == 202 and page.get("answered"):
                mark = f" (for some a 202: being computed; the answer shown after {page['answered']:.1f} s at most)"
            first = page.get("first", 0.0)
            note = f" (first visit {first:.1f} s)" if first >= TARGET else ""
            if isinstance(page["path"], list):
                note = f" (slowest {page['max'] * 1000:,.0f} ms)"
            cells.append(f"{page['median'] * 1000:,.0f} ms{mark}{note}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "| | " + " | ".join(f"{n:,} articles" for n in sizes) + " |", "|---|" + "---|" * len(sizes),
              "| first start after a load: `autokg serve` listening (its tables read) | "
              + " | ".join(f"{results[n]['startup']:.1f} s" for n in sizes) + " |",
              "| first start: search index, actor graph, graph page, cache files, listings and busiest entities' answers "
              "done (`/ready.json`) | "
              + " | ".join(f"{results[n]['ready']:.1f} s" if results[n].get("ready") else "not measured" for n in sizes) + " |",
              "| the next start (store unchanged: from `STORE.cache/`), listening / all built | "
              + " | ".join(f"{results[n]['startup_again']:.1f} s / {results[n]['ready_again']:.1f} s"
                           if results[n].get("ready_again") else "not measured" for n in sizes) + " |"]
    missing = [(n, name) for n in sizes for name in names if name not in results[n]["pages"]]
    if missing:
        lines += ["", f"Not measured (the run stopped first): {len(missing)} page(s)."]
    over = [(n, name) for n in sizes for name, p in results[n]["pages"].items()
            if p["median"] >= TARGET or p["status"] not in (200, 202)]
    later = [(n, name, p["answered"]) for n in sizes for name, p in results[n]["pages"].items()
             if p["status"] == 202 and p["median"] < TARGET]
    lines += ["", "Over the target: " + ("none." if not over else "; ".join(f"{name} at {n:,}" for n, name in over) + ".")]
    if later:
        lines += ["", "Answered at once that the answer was being computed, and shown later: "
                  + "; ".join(f"{name} at {n:,} (after {t:.1f} s)" for n, name, t in later) + "."]
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    results: dict = {"repeat": args.repeat}
    done: list[int] = []

    def progress(partial=None):  # written after every page, so a stopped run still reports
        (HERE / "explorer.md").write_text(write(results, done), encoding="utf-8")
        (OUT / "explorer.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    for n in args.sizes:
        print(f"== {n} articles", flush=True)
        results[n] = {"startup": 0.0, "ready": 0.0, "pages": {}}
        done.append(n)
        results[n] = measure(n, args.repeat, lambda partial, n=n: (results.__setitem__(n, partial), progress()))
    progress()
    print(f"wrote {HERE / 'explorer.md'}")


if __name__ == "__main__":
    main()
