"""``autokg serve``: the explorer and ``/sparql`` on 127.0.0.1, and a clean stop.

What runs: this process (the web server, uvicorn) and its query workers
(``graph.web.pool``). Ctrl-C, SIGTERM and SIGHUP all stop it the same way: the server
stops accepting, every worker is killed and waited for, and only then is the store lock
released, so a ``load`` can never run while anything still reads the store. Workers also
die by themselves if this process is killed outright (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError

__all__ = ["serve_explorer", "ServeReport", "HOST"]

HOST = "127.0.0.1"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass
class ServeReport:
    url: str
    stopped_by: str | None = None


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    return sock


@contextlib.contextmanager
def _store_lock(path: Path):
    """Hold the store's own lock (RocksDB's ``LOCK`` file, an fcntl lock) without opening it.

    A writer (``autokg load``) then fails with "store is in use" while serve runs. Opening
    the store read-write here instead would let RocksDB compact and delete files while the
    read-only workers open it (seen: "No such file ... 000059.sst").
    """
    import fcntl

    from ..errors import StoreBusyError

    fd = os.open(path / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreBusyError(f"store {path} is in use by another autokg process; try again when it finishes") from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _copy_to_folder(store, folder: Path) -> str:
    """An in-memory store written to a folder, so that worker processes can read it."""
    import io

    import pyoxigraph as ox

    path = folder / "store"
    buffer = io.BytesIO()
    store._store.dump(buffer, ox.RdfFormat.N_QUADS)  # every graph, the default (merged) one too
    copy = ox.Store(str(path))
    copy.bulk_load(buffer.getvalue(), ox.RdfFormat.N_QUADS)
    copy.flush()
    del copy
    return str(path)


def serve_explorer(spec: str, *, host: str = HOST, port: int = 7878, timeout: float = 10.0, workers: int = 2,
                   allow_service: bool = False, memory_store=None,
                   on_ready: Callable[[str], None] = print) -> ServeReport:
    """Serve the explorer over the store ``spec`` until a stop signal; return what stopped it.

    ``spec`` is a store folder, ``memory`` (then ``memory_store`` holds the data) or an
    http(s) SPARQL endpoint. ``timeout``: seconds a query may run before its worker is killed.
    """
    import uvicorn

    from .app import create_app
    from .explorer import Explorer
    from .pool import QueryPool

    report = ServeReport("")
    server = None
    folder_path = None  # a store folder: the actor graph's snapshot file is kept beside it

    def stop(sig, _frame):
        report.stopped_by = signal.Signals(sig).name
        if server is None:  # still starting: abandon the start-up; the exit stack cleans up
            raise _Stopped
        server.force_exit = server.should_exit  # a second signal: stop without waiting
        server.should_exit = True
    try:
        with contextlib.ExitStack() as stack:
            # Handlers first: a signal during start-up stops serve the same clean way.
            previous = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
            stack.callback(lambda: [signal.signal(s, h) for s, h in previous.items()])
            if spec == "memory":
                if memory_store is None:
                    raise StoreError("an in-memory store is empty here: give --load with --store memory")
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="autokg-serve-")))
                source, description = _copy_to_folder(memory_store, folder), "in-memory store"
            elif spec.startswith(("http://", "https://")):
                source, description = spec, f"SPARQL endpoint {spec}"
            else:
                path = Path(spec)
                if not path.is_dir() or not any(path.iterdir()):
                    raise StoreError(f"no store at {spec}; load articles first (autokg --store {spec} load ...)")
                # Held until the end (callbacks run last to first): after every worker is gone.
                stack.enter_context(_store_lock(path))
                source, description, folder_path = str(path), f"store {spec}", str(path)
            # The port first: a port in use fails at once, not after the tables are read.
            sock = stack.enter_context(_bind(host, port))
            port = sock.getsockname()[1]
            pool = QueryPool(source, size=workers, timeout=timeout)
            stack.callback(pool.close)
            pool.start()
            explorer = Explorer(pool, description, folder_path)
            stack.callback(explorer.close)  # before the pool closes
            explorer.load()
            # What serve holds for its life (tables, then the search index and the actor graph:
            # millions of objects at 10,000 articles) is left out of the garbage collector's
            # full passes, which otherwise scan it all while a page builds a long answer
            # (0.3 s pauses at random on the busiest entities' profiles).
            gc.freeze()
            names = {f"{host}:{port}", f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"}
            app = create_app(explorer, allow_service=allow_service, allowed_hosts=names)
            explorer.then(gc.freeze)  # once the search index, actor graph and graph page are built
            explorer.prepare()  # the search index and the actor graph, while serve already answers
            config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False, server_header=False,
                                    timeout_graceful_shutdown=5)
            server = _Server(config)
            report.url = f"http://{host}:{port}/"
            if report.stopped_by:
                return report
            on_ready(report.url)
            server.run(sockets=[sock])
            return report
    except _Stopped:
        return report
    raise AssertionError("unreachable")


class _Stopped(Exception):
    """A stop signal while serve was still starting."""


class _Server:
    """uvicorn's server without its own signal handling: serve_explorer's handlers set
    ``should_exit`` and nothing is re-raised after the stop."""

    def __new__(cls, config):
        import uvicorn

        class Server(uvicorn.Server):
            @contextlib.contextmanager
            def capture_signals(self):
                yield
        return Server(config)
