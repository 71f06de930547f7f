"""Serve an embedded store read-only through the Oxigraph server, from Python.

A library helper (``autokg serve`` is ``graph.web``, which runs its own killable query
workers instead: the Oxigraph server cannot stop a running query). Runs the Oxigraph
server from PyPI (``oxigraph serve-read-only``) over the store folder.
While it runs, autokg holds the store's write lock, so a concurrent ``autokg load`` fails
with "store is in use" instead of changing the files under the server's feet.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import StoreError
from .store import OxigraphStore

__all__ = ["Endpoint", "read_only_endpoint", "oxigraph_server_binary"]

HOST = "127.0.0.1"


def oxigraph_server_binary() -> str:
    """The ``oxigraph`` server program: beside this Python (a venv), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise StoreError("the Oxigraph server is not installed: pip install oxigraph")
    return found


@dataclass
class Endpoint:
    """A running read-only endpoint: its query URL and the server process."""

    url: str
    process: subprocess.Popen

    def wait(self) -> int:
        """Block until the server stops; return its exit status."""
        return self.process.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def read_only_endpoint(store_dir: str, port: int = 7878, startup_timeout: float = 20.0) -> Iterator[Endpoint]:
    """Start a read-only SPARQL endpoint over the embedded store in ``store_dir``.

    ``port`` 0 picks a free port. Queries read the default graph, which autokg keeps as the
    merged knowledge graph; articles stay reachable as named graphs. The server stops when
    the block exits.
    """
    path = Path(store_dir)
    if store_dir == "memory" or store_dir.startswith(("http://", "https://")):
        raise StoreError(f"autokg serve serves an embedded store folder, not {store_dir!r}")
    if not path.is_dir() or not any(path.iterdir()):
        raise StoreError(f"no store at {store_dir}; load articles first (autokg --store {store_dir} load ...)")
    binary = oxigraph_server_binary()
    lock = OxigraphStore(str(path))  # keeps writers out while we serve
    port = port or _free_port()
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(path), "--bind", f"{HOST}:{port}"],
        stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    try:
        _wait_until_listening(process, port, log, startup_timeout)
        yield Endpoint(f"http://{HOST}:{port}/query", process)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
        lock.close()


def _wait_until_listening(process: subprocess.Popen, port: int, log, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            log.seek(0)
            lines = [x for x in log.read().decode("utf-8", "replace").splitlines() if x.strip()]
            why = lines[-1] if lines else f"exit status {process.returncode}"
            raise StoreError(f"the Oxigraph server did not start on {HOST}:{port}: {why}")
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise StoreError(f"the Oxigraph server did not start on {HOST}:{port} within {timeout:.0f} s") from None
            time.sleep(0.05)
