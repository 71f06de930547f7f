"""Shared fixtures: the example corpus, stores of each kind, a CLI runner."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import load_paths, open_store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED_ARTICLE = EXAMPLES / "articles" / "2026-02-xiaomi-denies-ford-talks.yaml"
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"
REGISTRY = DATA / "seed" / "entities.yaml"  # frozen: the example registry grows
# Tests that read ../shared (the seed text, the brat tutorial) skip when it is not there.
needs_shared = pytest.mark.skipif(not (SHARED / "external").is_dir(),
                                  reason="../shared is not present next to this checkout")


def receive_signals() -> None:
    """``preexec_fn`` for a child a test will signal: take SIGINT the default way and block no
    signal. A shell runs background jobs (and so `make test &`) with SIGINT ignored, and children
    inherit that: Python would never turn the test's Ctrl-C into KeyboardInterrupt."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    """The `oxigraph` server from PyPI (beside this Python, or on PATH); skip if missing."""
    found = Path(sys.executable).parent / "oxigraph"
    found = str(found) if found.exists() else shutil.which("oxigraph")
    if not found:
        pytest.skip("the oxigraph server is not installed (make test installs it from PyPI)")
    return found


class OxigraphServer:
    """A real Oxigraph server on 127.0.0.1 over a folder."""

    def __init__(self, location: Path, port: int | None = None):
        self.location, self.port = location, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> OxigraphServer:
        log = open(self.location.with_name(self.location.name + ".log"), "ab")
        self.process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(self.location),
             "--bind", f"127.0.0.1:{self.port}"],
            stdout=log, stderr=log)
        log.close()
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph server did not start on {self.url}") from None
                time.sleep(0.05)

    def clear(self) -> None:
        request = urllib.request.Request(f"{self.url}/update", data=b"DROP ALL", method="POST",
                                         headers={"Content-Type": "application/sparql-update"})
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=30):
            pass

    def kill(self) -> None:
        """SIGKILL: the server gets no chance to finish anything."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """One Oxigraph server for the session; `empty_store` clears it before each test."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db").start()
    yield server
    server.stop()


def virtuoso_binaries() -> tuple[str, str]:
    """Debian's Virtuoso server and its isql client; skip if the package is not installed."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not (server and isql):
        pytest.skip("Virtuoso is not installed: make test installs Debian's virtuoso-opensource-7-bin "
                    "(apt-get install virtuoso-opensource-7-bin)")
    return server, isql


class VirtuosoServer:
    """A real Virtuoso 7 on 127.0.0.1 with its database in a folder of its own, set up as
    autokg's README says: SPARQL updates granted, the merged graph named in every request."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.sql_port, self.http_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.env = {"AUTOKG_QUERY_URL": f"{self.url}/sparql", "AUTOKG_UPDATE_URL": f"{self.url}/sparql",
                    "AUTOKG_GSP_URL": f"{self.url}/sparql-graph-crud", "AUTOKG_UNION_DEFAULT_GRAPH": "1"}
        self.process: subprocess.Popen | None = None

    def start(self) -> VirtuosoServer:
        server, isql = virtuoso_binaries()
        self.folder.mkdir(parents=True, exist_ok=True)
        db = self.folder
        ini = db / "virtuoso.ini"
        ini.write_text(f"""[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{self.sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 20000
MaxDirtyBuffers = 12000
DirsAllowed = ., {db}
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{self.http_port}
ServerRoot = {db}
ServerThreads = 5
MaxClientConnections = 5
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
""", encoding="utf-8")
        log = open(db / "stdout.log", "ab")
        self.process = subprocess.Popen([server, "-f", "-c", str(ini)], cwd=db, stdout=log, stderr=log)
        log.close()
        # The database is created on the first start: wait until the SPARQL endpoint answers.
        deadline = time.monotonic() + 300
        probe = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while True:
            try:
                with probe.open(f"{self.url}/sparql?query=ASK%7B%7D", timeout=5):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Virtuoso did not start on {self.url}: see {db}/virtuoso.log") from None
                time.sleep(0.2)
        granted = subprocess.run([isql, f"127.0.0.1:{self.sql_port}", "dba", "dba",
                                  'exec=GRANT SPARQL_UPDATE TO "SPARQL";'], capture_output=True, text=True, timeout=120)
        if granted.returncode != 0:
            raise RuntimeError(f"cannot grant SPARQL_UPDATE on Virtuoso: {granted.stdout} {granted.stderr}")
        return self

    def store(self):
        from graph.store import RemoteStore

        return RemoteStore(self.url, env=self.env)

    def clear(self) -> None:
        from graph.store import MERGED_GRAPH

        store = self.store()
        for graph in [*store.graphs(), MERGED_GRAPH]:
            store._update(f"DROP SILENT GRAPH <{graph}>")
        store.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """One Virtuoso for the session (it takes seconds to create its database)."""
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso") / "db").start()
    yield server
    server.stop()


STORE_KINDS = ["disk", "memory", pytest.param("remote", marks=pytest.mark.remote)]


@pytest.fixture(params=STORE_KINDS)
def empty_store(request, tmp_path):
    """An empty store of each kind: embedded on disk, in memory, and a live Oxigraph server."""
    if request.param == "remote":
        server = request.getfixturevalue("oxigraph_server")
        server.clear()
        store = open_store(server.url)
    else:
        store = open_store(str(tmp_path / "store") if request.param == "disk" else "memory")
    yield store
    store.close()


@pytest.fixture
def store(empty_store):
    """A store holding the seed story (the corpus grows; the seed's answers stay fixed)."""
    load_paths(empty_store, [SEED_ARTICLE], REGISTRY)
    return empty_store


@pytest.fixture(scope="session", params=STORE_KINDS)
def examples_store(request, tmp_path_factory):
    """One store of each kind with the seed story, shared by read-only tests."""
    server = None
    if request.param == "remote":
        server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-examples") / "db").start()
        store = open_store(server.url)
    elif request.param == "disk":
        store = open_store(str(tmp_path_factory.mktemp("examples") / "store"))
    else:
        store = open_store("memory")
    load_paths(store, [SEED_ARTICLE], REGISTRY)
    yield store
    store.close()
    if server:
        server.stop()


@pytest.fixture(scope="module")
def examples_memory():
    """The whole example corpus in a memory store, one per test module, for read-only tests
    (the questions the seed story alone cannot answer)."""
    store = open_store("memory")
    load_paths(store, [EXAMPLES])
    yield store
    store.close()


def generated_store(tmp_path_factory, articles: int, seed: int):
    """A memory store holding ``articles`` synthetic articles made with ``seed`` by
    bench/corpus.py, as `make bench` makes them."""
    folder = tmp_path_factory.mktemp(f"corpus-{articles}-{seed}") / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(folder), "--articles", str(articles),
                    "--seed", str(seed)], check=True, capture_output=True)
    store = open_store("memory")
    load_paths(store, [folder])
    return store


def invoke(runner: CliRunner, store_path: Path | str, *args: str):
    """Run the autokg CLI against a store, the way a user types it."""
    from graph.cli import cli

    return runner.invoke(cli, ["--store", str(store_path), *args], catch_exceptions=False)


def all_quads(store) -> set[tuple]:
    """Every quad of a store, the default graph named None. autokg writes no blank nodes (the
    ontology's are skolemised), so two stores hold isomorphic datasets exactly when these are equal."""
    rows = store.query("SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }").rows
    return {tuple(str(t) if t is not None else None for t in row) for row in rows}


def write_talks(folder: Path, numbers: range, pairs: list[tuple[str, str]], confirm_from: int | None = None) -> None:
    """Small valid articles: talks between two registry entities, denied by one of them, and a
    meeting. With ``confirm_from``, article n also confirms the talks of article n - confirm_from,
    a claim stated in another article (so its status changes from denied to contested)."""
    folder.mkdir(exist_ok=True)
    for n in numbers:
        a, b = pairs[n % len(pairs)]
        m = n - confirm_from if confirm_from is not None else -1
        c, d = pairs[m % len(pairs)]
        confirmation = "" if m < 0 else f"""
  - id: crash-talks-{m:04d}
    type: Negotiation
    participant: [{c}, {d}]
    topic: talks number {m}
    evidence: "{a} met {b} again"
  - id: crash-confirmation-{n:04d}
    type: Confirmation
    speaker: {c}
    confirms: crash-talks-{m:04d}
    evidence: "{a} met {b} again"
"""
        (folder / f"a{n:04d}.yaml").write_text(f"""
article:
  id: crash-{n:04d}
  headline: Talks number {n}
  publisher: global-times
  date: 2026-01
  text: "{a} held talks with {b} on day {n}. Later {b} denied it. {a} met {b} again."
events:
  - id: crash-talks-{n:04d}
    type: Negotiation
    participant: [{a}, {b}]
    topic: talks number {n}
    evidence: "{a} held talks with {b} on day {n}"
  - id: crash-denial-{n:04d}
    type: Denial
    speaker: {b}
    denies: crash-talks-{n:04d}
    evidence: "Later {b} denied it"
  - id: crash-meeting-{n:04d}
    type: Meeting
    participant: [{a}, {b}]
    evidence: "{a} met {b} again"
{confirmation}""", encoding="utf-8")


def fresh_load_of(store, folder: Path, registry: Path | None = None):
    """A memory store holding a fresh load of the files in ``folder`` whose articles ``store`` holds."""
    present = {g.rsplit("/", 1)[1] for g in store.graphs() if "/article/" in g}
    chosen = folder.parent / (folder.name + "-present")
    chosen.mkdir()
    for path in folder.glob("*.yaml"):
        if f"crash-{path.stem[1:]}" in present:
            shutil.copy(path, chosen / path.name)
    fresh = open_store("memory")
    load_paths(fresh, [chosen], registry)
    return fresh, len(present)
