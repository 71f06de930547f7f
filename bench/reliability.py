"""Reliability benchmark: readers stay linear on large inputs (issue #18).

One synthetic article with many annotations, written twice, as autokg YAML and as the Label
Studio JSON export of the same annotations (a labelled region per event trigger and per
participant mention, a relation per role): importing the Label Studio file must take at
most twice as long as the YAML one. Also timed: ``validate`` on a long single-line text.

    python bench/reliability.py [--regions 20000]        # writes bench/reliability.md
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def synthetic_article(events: int) -> tuple[str, list[tuple[int, int, int, int, int, int]]]:
    """Text of ``events`` sentences "Party A ... held talks with Party B ...", and for each
    sentence the offsets of (trigger, first party, second party)."""
    parts, spans, at = [], [], 0
    for n in range(events):
        a, b = f"Maker{n:06d}A", f"Maker{n:06d}B"
        sentence = f"{a} held talks with {b} about parts. "
        a_at = at
        b_at = at + sentence.index(b)
        trigger = at + sentence.index("held talks")
        spans.append((trigger, trigger + len("held talks"), a_at, a_at + len(a), b_at, b_at + len(b)))
        parts.append(sentence)
        at += len(sentence)
    return "".join(parts), spans


def write_yaml(folder: Path, events: int) -> Path:
    """The article in autokg's YAML format, evidence by offsets."""
    text, spans = synthetic_article(events)
    entities = [{"id": "wire", "type": "MediaOutlet", "name": "Wire"}]
    evs = []
    for n, (ts, te, a0, a1, b0, b1) in enumerate(spans):
        a, b = text[a0:a1], text[b0:b1]
        entities += [{"id": a.lower(), "type": "Automaker", "name": a}, {"id": b.lower(), "type": "Automaker", "name": b}]
        evs.append({"id": f"talks-{n}", "type": "Negotiation", "participant": [a.lower(), b.lower()],
                    "evidence": {"start": ts, "end": te}})
    doc = {"article": {"id": "bench-yaml", "headline": "Many talks", "publisher": "wire", "date": "2026-01-01",
                       "text": text}, "entities": entities, "events": evs}
    path = folder / "article.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def write_labelstudio(folder: Path, events: int) -> Path:
    """The same annotations as one Label Studio task: 3 regions and 2 relations per event."""
    text, spans = synthetic_article(events)
    result = []
    for n, (ts, te, a0, a1, b0, b1) in enumerate(spans):
        ids = (f"t{n}", f"a{n}", f"b{n}")
        for rid, (s, e), label in zip(ids, ((ts, te), (a0, a1), (b0, b1)), ("Negotiation", "Automaker", "Automaker"),
                                      strict=True):
            result.append({"value": {"start": s, "end": e, "text": text[s:e], "labels": [label]}, "id": rid,
                           "from_name": "label", "to_name": "text", "type": "labels"})
        for other in ids[1:]:
            result.append({"from_id": ids[0], "to_id": other, "type": "relation", "direction": "right",
                           "labels": ["participant"]})
    task = {"id": 1, "data": {"text": text, "article_id": "bench-labelstudio", "headline": "Many talks",
                              "publisher": "Wire", "date": "2026-01-01"},
            "annotations": [{"id": 1, "result": result, "was_cancelled": False, "ground_truth": False}]}
    path = folder / "export.json"
    path.write_text(json.dumps([task], indent=1), encoding="utf-8")
    return path


def registry(folder: Path) -> Path:
    path = folder / "registry.yaml"
    path.write_text("entities:\n  - {id: wire, type: MediaOutlet, name: Wire}\n", encoding="utf-8")
    return path


def time_load(path: Path, registry_path: Path) -> float:
    """Seconds (process CPU time) to read, check and load ``path`` into an in-memory store."""
    from graph import load_paths, open_store

    store = open_store("memory")
    start = time.process_time()
    load_paths(store, [path], registry_path)
    return time.process_time() - start


def time_validate_long_line(megabytes: float, folder: Path) -> float:
    """Seconds to validate (with SHACL) an article whose text is one line of ``megabytes`` MB."""
    from graph.validation import validate_paths

    text = ("word " * int(megabytes * 2**20 // 5)).strip() + " Maker held talks with Other."
    (folder / "long.txt").write_text(text, encoding="utf-8")
    doc = {"article": {"id": "long-line", "headline": "Long", "publisher": "wire", "date": "2026-01-01",
                       "text_file": "long.txt"},
           "entities": [{"id": "maker", "type": "Automaker", "name": "Maker"},
                        {"id": "other", "type": "Automaker", "name": "Other"}],
           "events": [{"id": "long-talks", "type": "Negotiation", "participant": ["maker", "other"],
                       "evidence": "Maker held talks with Other"}]}
    (folder / "long.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    start = time.perf_counter()
    validate_paths([folder / "long.yaml"], registry(folder))
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=HERE / "reliability.md")
    args = parser.parse_args(argv)
    events = -(-args.regions // 3)  # at least as many regions as asked
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        reg = registry(folder)
        yaml_s = time_load(write_yaml(folder, events), reg)
        ls_s = time_load(write_labelstudio(folder, events), reg)
        long_s = time_validate_long_line(10, folder)
    ratio = ls_s / yaml_s
    lines = [
        "# Reliability benchmark (bench/reliability.py)",
        "",
        "One article, the same annotations in two formats, loaded into an in-memory store",
        "(process CPU seconds, parse + check + compile + write).",
        "",
        "| input | size | seconds |",
        "|---|---:|---:|",
        f"| YAML article | {events:,} events, {2 * events:,} entities | {yaml_s:.2f} |",
        f"| Label Studio export of it | {3 * events:,} regions, {2 * events:,} relations | {ls_s:.2f} |",
        f"| `validate` (with SHACL), one-line text | 10 MB | {long_s:.2f} |",
        "",
        f"Label Studio / YAML: **{ratio:.2f}x** (must be at most 2x: {'met' if ratio <= 2 else 'NOT met'}).",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
