"""A pool of killable query workers (``graph.web.worker``) with a time limit per query.

Every query the explorer runs, its own and the ones sent to ``/sparql``, goes through the
pool: a free worker takes it; if the answer is not there within ``timeout`` seconds the
worker is killed (SIGKILL: the query stops using CPU and memory at once) and a fresh
worker takes its place. ``close`` kills every worker and waits for each to be gone, so the
caller can release the store lock knowing nothing reads the store any more.
"""

from __future__ import annotations

import json
import queue
import selectors
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import AutokgError, QueryError, StoreError

__all__ = ["QueryPool", "QueryTimeout", "PoolBusy", "Answer"]

WORKER = str(Path(__file__).resolve().parent / "worker.py")
# How long a query may wait for a free worker (a fresh one starts in well under a second).
QUEUE_WAIT = 30.0


class QueryTimeout(QueryError):
    """A query ran longer than the pool's time limit and was stopped."""


class PoolBusy(StoreError):
    """Every worker stayed busy for the whole time limit."""


@dataclass
class Answer:
    media_type: str
    body: bytes


class _Worker:
    def __init__(self, spec: str):
        # Same process group as serve: a terminal's Ctrl-C reaches it too, and it ignores it;
        # serve decides when workers stop, and PR_SET_PDEATHSIG ends them if serve dies.
        self.process = subprocess.Popen([sys.executable, "-I", WORKER, spec],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.pid = self.process.pid

    def ready(self, timeout: float) -> None:
        header = self._header(timeout)
        if not header.get("ok"):
            raise StoreError(header.get("error", "the query worker did not start"))

    def _readable(self, timeout: float) -> bool:
        with selectors.DefaultSelector() as sel:
            sel.register(self.process.stdout, selectors.EVENT_READ)
            return bool(sel.select(timeout))

    def _header(self, timeout: float) -> dict:
        if not self._readable(timeout):
            raise TimeoutError
        line = self.process.stdout.readline()
        if not line:
            raise StoreError("the query worker stopped")
        return json.loads(line)

    def ask(self, query: str, fmt: str, timeout: float) -> Answer:
        self.process.stdin.write((json.dumps({"query": query, "format": fmt}) + "\n").encode("utf-8"))
        self.process.stdin.flush()
        header = self._header(timeout)
        if not header.get("ok"):
            error = QueryError if header.get("kind") == "query" else StoreError
            raise error(header.get("error", "query failed"))
        body = self.process.stdout.read(header["length"])
        return Answer(header["media_type"], body)

    def kill(self, close_streams: bool = True) -> None:
        """Kill the process and wait for it. ``close_streams`` false: a thread may be waiting
        for its answer; the process's end wakes it, and it closes them (closing them under
        it would leave it waiting on nothing: epoll drops a closed descriptor)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if not close_streams:
            return
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


class QueryPool:
    """``size`` workers over the store ``spec`` (a store folder or an http(s) endpoint URL)."""

    def __init__(self, spec: str, size: int = 2, timeout: float = 10.0, startup_timeout: float = 60.0):
        self.spec, self.size, self.timeout, self.startup_timeout = spec, size, timeout, startup_timeout
        self._idle: queue.Queue[_Worker | None] = queue.Queue()  # None: the pool has closed
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._keeper = ThreadPoolExecutor(1, thread_name_prefix="autokg-worker-keeper")
        self.killed = 0  # queries stopped for running too long

    def start(self) -> QueryPool:
        workers = [self._spawn() for _ in range(self.size)]
        try:
            for worker in workers:
                worker.ready(self.startup_timeout)
        except (TimeoutError, AutokgError) as exc:
            self.close()
            raise StoreError(f"the query workers did not start: {exc or 'no answer in time'}") from None
        for worker in workers:
            self._idle.put(worker)
        return self

    def _spawn(self) -> _Worker:
        # Always from the one keeper thread: PR_SET_PDEATHSIG fires when the *thread* that
        # started a worker ends, and request threads come and go.
        try:
            worker = self._keeper.submit(_Worker, self.spec).result()
        except RuntimeError:  # the keeper has shut down: the pool is closed
            raise StoreError("the query pool is closed") from None
        with self._lock:
            closed = self._closed
            if not closed:
                self._all.add(worker)
        if closed:
            worker.kill()
            raise StoreError("the query pool is closed")
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and, unless the pool is closing, put a fresh one in its place."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return
        try:
            fresh = self._spawn()
        except StoreError:
            return

        def wait_ready():
            try:
                fresh.ready(self.startup_timeout)
            except (TimeoutError, AutokgError):
                fresh.kill()
                with self._lock:
                    self._all.discard(fresh)
                return
            self._idle.put(fresh)
        threading.Thread(target=wait_ready, daemon=True).start()

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.pid for w in self._all)

    def run(self, query: str, fmt: str = "tsv", timeout: float | None = None) -> Answer:
        """Run one query; raises ``QueryTimeout`` after ``timeout`` (default: the pool's) seconds."""
        limit = self.timeout if timeout is None else timeout
        try:
            worker = self._idle.get(timeout=max(limit, QUEUE_WAIT))
        except queue.Empty:
            raise PoolBusy("every query worker stayed busy; try again in a moment") from None
        if worker is None:  # the pool has closed
            self._idle.put(None)  # for the next one waiting
            raise StoreError("the query pool is closed")
        left = limit
        try:
            answer = worker.ask(query, fmt, left)
        except TimeoutError:
            self.killed += 1
            self._replace(worker)
            raise QueryTimeout(f"the query ran longer than {limit:g} s and was stopped") from None
        except (OSError, ValueError, StoreError) as exc:
            if worker.process.poll() is not None or not isinstance(exc, StoreError):
                self._replace(worker)
            else:
                self._idle.put(worker)
            raise
        except QueryError:
            self._idle.put(worker)
            raise
        self._idle.put(worker)
        return answer

    def close(self) -> None:
        """Kill every worker and wait until each has exited."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        idle = set()
        while True:
            try:
                idle.add(self._idle.get_nowait())
            except queue.Empty:
                break
        self._idle.put(None)  # wakes whoever waits for a worker: none will come
        for worker in workers:
            # A busy worker's streams are closed by the thread waiting on it, once it wakes.
            worker.kill(close_streams=worker in idle)
        self._keeper.shutdown(wait=True)

