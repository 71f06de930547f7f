"""Faults on the embedded store: `autokg load` killed with SIGKILL or stopped with Ctrl-C in the
middle of a large load, and a second writer or readers arriving while a load runs. The store
must open and answer afterwards, and hold only whole articles; readers answer beside the writer.
Each child takes signals the default way whatever the test runner ignores, each test waits for a
state (the load has written its first articles), never for a number of seconds, and kills what it
started however it ends. (The same for a remote store
whose server is killed mid-load: tests/test_remote.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest

from graph import StoreError, load_paths, open_store

from .conftest import REGISTRY, ROOT, SEED_ARTICLE, receive_signals

ARTICLES = 400  # several batches of CHUNK_QUADS: enough for a kill between two of them


def autokg(store: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "graph.cli", "--store", str(store), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=receive_signals, **kwargs)


@contextmanager
def running(process: subprocess.Popen):
    """The process, killed and reaped when the block ends however it ends: nothing is left running."""
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def articles_written(store_dir: Path) -> int:
    """Whole articles the store holds now, read beside the writer (0 while there is no store)."""
    try:
        store = open_store(str(store_dir), read_only=True)
    except StoreError:
        return 0
    try:
        return sum("/article/" in g for g in store.graphs())
    finally:
        store.close()


def wait_until_writing(store_dir: Path, process: subprocess.Popen) -> None:
    """Wait for a state, not for a time: the load has written its first articles (or ended)."""
    while process.poll() is None and articles_written(store_dir) == 0:
        time.sleep(0.02)


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


def check_whole(store_dir: Path, expected: Counter, read_only: bool = False) -> int:
    """The store opens, answers, and every article graph in it is whole; returns how many there are."""
    store = open_store(str(store_dir), read_only=read_only)
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


def stopped_after_first_batch(store_dir: Path, *args: str) -> subprocess.Popen:
    """A load that stops itself (SIGSTOP) once its first batch is written: a known state mid-load,
    reached however busy the machine is (AUTOKG_STOP_AFTER_BATCHES, graph/loading.py)."""
    load = autokg(store_dir, *args, env={**os.environ, "AUTOKG_STOP_AFTER_BATCHES": "1"})
    _, status = os.waitpid(load.pid, os.WUNTRACED)
    assert os.WIFSTOPPED(status), "the load ended before it wrote its first batch"
    return load


def test_sigkill_mid_load_leaves_only_whole_articles(corpus, tmp_path):
    folder, expected = corpus
    store_dir = tmp_path / "store"
    with running(stopped_after_first_batch(store_dir, "load", str(folder))) as load:
        load.send_signal(signal.SIGKILL)
    count = check_whole(store_dir, expected)
    assert 0 < count < ARTICLES


def test_ctrl_c_is_one_line_and_exit_130_and_leaves_whole_articles(corpus, tmp_path):
    folder, expected = corpus
    store_dir = tmp_path / "store"
    with running(stopped_after_first_batch(store_dir, "load", str(folder))) as load:
        load.send_signal(signal.SIGINT)   # pending while stopped, taken as soon as it goes on
        load.send_signal(signal.SIGCONT)
        out, err = load.communicate()
    assert (load.returncode, err, out) == (130, "Interrupted.\n", ""), (out, err)
    assert 0 < check_whole(store_dir, expected) < ARTICLES


def test_a_second_writer_is_told_the_store_is_in_use_and_readers_run_beside_it(corpus, tmp_path):
    folder, expected = corpus
    store_dir = tmp_path / "store"
    with running(stopped_after_first_batch(store_dir, "load", str(folder))) as first:  # holds the lock, mid-load
        second = subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(store_dir), "load",
                                 "--registry", str(REGISTRY), str(SEED_ARTICLE)], capture_output=True, text=True)
        readers = [subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(store_dir), "query", "-e",
                                   "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "-f", "csv"],
                                  capture_output=True, text=True) for _ in range(2)]
        during = check_whole(store_dir, expected, read_only=True)  # a reader here too, checking every graph
        assert first.poll() is None, "the first load ended before the others tried"
    message = f"Error: store {store_dir} is in use by another autokg process; try again when it finishes\n"
    assert (second.returncode, second.stderr, second.stdout) == (1, message, "")
    for reader in readers:
        assert (reader.returncode, reader.stderr) == (0, ""), reader.stderr
        assert int(reader.stdout.split()[-1]) >= 1
    assert 0 < during < ARTICLES
    # Nothing the refused writer had was written; what the first wrote is whole.
    check_whole(store_dir, expected)
    store = open_store(str(store_dir))
    assert not any("xiaomi-denies" in g for g in store.graphs())
    store.close()


LOAD_IN_SMALL_BATCHES = """
import sys
from graph import load_paths, open_store
store = open_store(sys.argv[1])
store.batch_quads = 400  # a few articles per batch, so that a kill lands between batches
load_paths(store, [sys.argv[2]], sys.argv[3], progress=lambda done, total: print(done, flush=True))
store.close()
print("done", flush=True)
"""


def test_a_load_killed_mid_way_leaves_every_claim_summarised_from_the_articles_there(tmp_path):
    """Statuses and summaries go with each batch: after a kill, the store equals a fresh load of
    exactly the articles it holds, including claims an earlier load stored as denied that an
    article of the killed load confirms (now contested)."""
    from .conftest import all_quads, fresh_load_of, write_talks
    from .test_remote import PAIRS

    articles = tmp_path / "articles"
    write_talks(articles, range(0, 100), PAIRS)
    store_dir = tmp_path / "store"
    store = open_store(str(store_dir))
    load_paths(store, [articles], REGISTRY)
    store.close()
    write_talks(articles, range(100, 400), PAIRS, confirm_from=100)  # 100-199 confirm 0-99
    load = subprocess.Popen([sys.executable, "-c", LOAD_IN_SMALL_BATCHES, str(store_dir), str(articles), str(REGISTRY)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Progress reports the 100 articles already there, then each batch written: kill after two.
        for _ in range(3):
            line = load.stdout.readline()
            assert line and line != "done\n", f"the load ended first: {load.communicate()}"
        load.send_signal(signal.SIGKILL)
        load.communicate(timeout=30)
    finally:
        if load.poll() is None:
            load.kill()
    store = open_store(str(store_dir))
    try:
        fresh, count = fresh_load_of(store, articles, REGISTRY)
        assert 100 < count < 400, count
        assert all_quads(store) == all_quads(fresh)
        contested = store.query("PREFIX ak: <https://w3id.org/autokg#> "
                                "SELECT ?c WHERE { ?c ak:status ak:contested }").rows
        assert contested, "the killed load had confirmed some stored claims"
    finally:
        store.close()
