"""`make bench` (incremental): loading a few articles into a large store, with the stored claims read
in full against looked up by key, id and node (graph.identity.claims.known_claims_for).

A load gives every claim its node across articles. Up to ``scan_above`` claims, it now looks up the
stored claims its own could meet instead of reading every stored claim's key. This loads one
synthetic article, under a new id, into a copy of bench/run.py's store of the synthetic corpus,
both ways, each in its own process on its own copy, alternating, and checks that both give the
same merges and the same number of quads. Writes bench/incremental.md.

    python bench/incremental.py [--articles 10000] [--repeats 2]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"

_LOAD = """
import json, sys, time
from pathlib import Path
import graph.identity.claims as claim_identity
from graph.loading import load_paths
from graph.store import open_store
if sys.argv[3] == "scan":
    claim_identity.known_claims_for.__kwdefaults__["scan_above"] = -1
store = open_store(sys.argv[1])
started = time.perf_counter()
report = load_paths(store, [Path(sys.argv[2])], Path(sys.argv[4]))
seconds = time.perf_counter() - started
quads = store.quad_count()
store.close()
print(json.dumps({"seconds": seconds, "quads": quads,
                  "merges": sorted([m.claim, m.into, m.reason] for m in report.merges)}))
"""


def _article(corpus: Path, tmp: Path) -> Path:
    """The corpus's first article under a new id, its claims under new ids too: they say what stored
    claims say, so each joins a stored claim by its key (a merge), not by its id."""
    import yaml

    first = sorted((corpus / "articles").glob("*.yaml"))[0]
    data = yaml.safe_load(first.read_text(encoding="utf-8"))
    data["article"]["id"] += "-again"
    ids = {ev["id"] for ev in data.get("events", [])}

    def renamed(value):
        if isinstance(value, list):
            return [renamed(v) for v in value]
        if isinstance(value, str) and value.removeprefix("event:") in ids:
            return value + "-again"
        return value

    data["events"] = [{k: (v + "-again" if k == "id" else renamed(v)) for k, v in ev.items()} for ev in data.get("events", [])]
    out = tmp / "again.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out


def _one(store: Path, article: Path, mode: str, registry: Path, tmp: Path) -> dict:
    copy = tmp / f"store-{mode}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)
    try:
        done = subprocess.run([sys.executable, "-c", _LOAD, str(copy), str(article), mode, str(registry)],
                              capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            raise SystemExit(f"load ({mode}) failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def _times(runs: list[dict]) -> str:
    return ", ".join(f"{r['seconds']:.2f}" for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    store, corpus = OUT / f"store-{args.articles}", OUT / f"corpus-{args.articles}"
    if not store.exists() or not corpus.exists():
        raise SystemExit(f"no {store} or {corpus}: run bench/run.py --only load --sizes {args.articles} first")
    runs: dict[str, list[dict]] = {"scan": [], "look-up": []}
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        article = _article(corpus, Path(tmp))
        for _ in range(args.repeats):
            for mode in ("scan", "look-up"):
                runs[mode].append(_one(store, article, mode, corpus / "entities.yaml", Path(tmp)))
    scan, look = (statistics.median(r["seconds"] for r in runs[m]) for m in ("scan", "look-up"))
    same = all(r["merges"] == runs["scan"][0]["merges"] and r["quads"] == runs["scan"][0]["quads"]
               for rs in runs.values() for r in rs)
    lines = [
        "# Loading one article into a large store",
        "",
        f"Written by `python bench/incremental.py` ({args.articles:,} synthetic articles in bench/run.py's store; "
        f"{args.repeats} load(s) each way, alternating, each in its own process on its own copy of the store).",
        "",
        "| stored claims | median seconds | every run |",
        "|---|---:|---|",
        f"| all read (`known_claims`) | {scan:.2f} | {_times(runs['scan'])} |",
        f"| looked up by key, id and node (`known_claims_for`) | {look:.2f} | {_times(runs['look-up'])} |",
        "",
        f"Look-up against full read: **{look / scan:.2f}x**. Merges and quads the same both ways: "
        f"**{'yes' if same else 'NO'}** ({len(runs['scan'][0]['merges'])} merge(s), "
        f"{runs['scan'][0]['quads']:,} quads after the load).",
    ]
    (HERE / "incremental.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    if not same:
        raise SystemExit("the two ways disagree")


if __name__ == "__main__":
    main()
