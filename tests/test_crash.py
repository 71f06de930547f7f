"""Faults on the embedded store: `autokg load` killed with SIGKILL or stopped with Ctrl-C in the
middle of a large load, and a second writer or a reader arriving while a load runs. The store
must open and answer afterwards, and hold only whole articles. (The same for a remote store
whose server is killed mid-load: tests/test_remote.py.)"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from graph import load_paths, open_store

from .conftest import REGISTRY, ROOT, SEED_ARTICLE

ARTICLES = 1500


def autokg(store: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "graph.cli", "--store", str(store), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def graph_sizes(store) -> Counter:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").records()
    return Counter({r["g"]: int(r["n"]) for r in rows})


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """1,500 synthetic articles (bench/corpus.py) and each named graph's size after a clean load."""
    folder = tmp_path_factory.mktemp("crash") / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(folder), "--articles", str(ARTICLES),
                    "--seed", "11"], check=True, capture_output=True)
    clean = open_store("memory")
    load_paths(clean, [folder])
    sizes = graph_sizes(clean)
    clean.close()
    assert sum("/article/" in g for g in sizes) == ARTICLES
    return folder, sizes


def check_whole(store_dir: Path, expected: Counter) -> int:
    """The store opens, answers, and every article graph in it is whole; returns how many there are."""
    store = open_store(str(store_dir))
    try:
        assert store.query("ASK { ?s ?p ?o }").boolean in (True, False)
        present = graph_sizes(store)
        articles = [g for g in present if "/article/" in g]
        for g in articles:
            assert present[g] == expected[g], f"{g} holds {present[g]} triples, a clean load {expected[g]}"
        # The default graph (the merged graph) holds each present article's triples too.
        assert store.quad_count() >= sum(present.values())
        return len(articles)
    finally:
        store.close()


def test_sigkill_mid_load_leaves_only_whole_articles(corpus, tmp_path):
    folder, expected = corpus
    outcomes = []
    delay = 4.0
    for attempt in range(5):
        store_dir = tmp_path / f"store-{attempt}"
        load = autokg(store_dir, "load", str(folder))
        time.sleep(delay)
        finished = load.poll() is not None
        load.send_signal(signal.SIGKILL)
        load.communicate(timeout=30)
        count = check_whole(store_dir, expected)
        outcomes.append((delay, finished, count))
        if 0 < count < ARTICLES:
            break
        delay = delay * 1.4 if count == 0 else delay * 0.6  # aim for the middle of the writing
    assert any(0 < count < ARTICLES for _, _, count in outcomes), f"no kill landed mid-load: {outcomes}"


def test_ctrl_c_is_one_line_and_exit_130_and_leaves_whole_articles(corpus, tmp_path):
    folder, expected = corpus
    for attempt, delay in enumerate((4.0, 2.5, 1.5)):  # shorter if the load was done before Ctrl-C
        store_dir = tmp_path / f"store-{attempt}"
        load = autokg(store_dir, "load", str(folder))
        time.sleep(delay)
        load.send_signal(signal.SIGINT)
        out, err = load.communicate(timeout=60)
        if load.returncode != 0:
            break
    assert (load.returncode, err, out) == (130, "Interrupted.\n", ""), (out, err)
    check_whole(store_dir, expected)


def test_a_second_writer_and_a_reader_are_told_the_store_is_in_use(corpus, tmp_path):
    folder, expected = corpus
    store_dir = tmp_path / "store"
    first = autokg(store_dir, "load", str(folder))
    try:
        deadline = time.monotonic() + 30
        while not (store_dir / "LOCK").exists():  # RocksDB's lock file: the first load holds the store
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.05)
        second = subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(store_dir), "load",
                                 "--registry", str(REGISTRY), str(SEED_ARTICLE)], capture_output=True, text=True)
        reader = subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(store_dir), "query",
                                 "who-talked-to-whom"], capture_output=True, text=True)
        assert first.poll() is None, "the first load ended before the others tried"
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
    message = f"Error: store {store_dir} is in use by another autokg process; try again when it finishes\n"
    assert (second.returncode, second.stderr, second.stdout) == (1, message, "")
    assert (reader.returncode, reader.stderr, reader.stdout) == (1, message, "")
    # Nothing the refused writer had was written; what the first wrote is whole.
    check_whole(store_dir, expected)
    store = open_store(str(store_dir))
    assert not any("xiaomi-denies" in g for g in store.graphs())
    store.close()
