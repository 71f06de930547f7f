"""Words for shell completion: query names, and the entity and article ids of the store.

Click's completion (``eval "$(_AUTOKG_COMPLETE=bash_source autokg)"``) calls these while the
user presses Tab, so they never raise, never create a store, and give up quickly on a
remote store that does not answer.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["query_names", "entity_ids", "article_ids", "query_parameters"]

# Seconds a remote store gets to answer a completion, and no retries: Tab must not hang.
_REMOTE_TIMEOUT = "3"


def query_names(prefix: str = "") -> list[str]:
    """Names of the query files starting with ``prefix``."""
    from .queries import list_queries

    with contextlib.suppress(Exception):
        return [q.name for q in list_queries() if q.name.startswith(prefix)]
    return []


def query_parameters(name: str) -> list[tuple[str, str]]:
    """(name, type) of each parameter of the query ``name``, or nothing if there is no such query."""
    from .queries import find_query

    with contextlib.suppress(Exception):
        return [(p.name, p.type) for p in find_query(name).parameters]
    return []


@contextlib.contextmanager
def _existing_store(spec: str | None):
    """The store named by ``spec`` if it is there (a folder that exists, or a URL), else None."""
    from .store import RemoteStore, open_store, store_spec

    spec = store_spec(spec)
    store = None
    with contextlib.suppress(Exception):
        if spec.startswith(("http://", "https://")):
            store = RemoteStore(spec, env={**os.environ, "AUTOKG_TIMEOUT": _REMOTE_TIMEOUT, "AUTOKG_RETRIES": "0"})
        elif spec != "memory" and Path(spec).is_dir() and any(Path(spec).iterdir()):
            store = open_store(spec, read_only=True)  # beside a writer, never creating one
    try:
        yield store
    finally:
        if store is not None:
            with contextlib.suppress(Exception):
                store.close()


def entity_ids(spec: str | None, prefix: str = "") -> list[str]:
    """Ids of the entities in the store whose id, name or alias starts with ``prefix``
    (names compared case-insensitively), sorted."""
    from .queries import entity_names
    from .terms import ID

    wanted = prefix.casefold()
    with _existing_store(spec) as store:
        if store is None:
            return []
        with contextlib.suppress(Exception):
            found = {iri.removeprefix(str(ID)) for iri, name, _ in entity_names(store)
                     if iri.removeprefix(str(ID)).startswith(prefix) or name.casefold().startswith(wanted)}
            return sorted(found)
    return []


def article_ids(spec: str | None, prefix: str = "") -> list[str]:
    """Ids of the articles in the store starting with ``prefix``, sorted."""
    from .terms import article_iri

    base = article_iri("")
    with _existing_store(spec) as store:
        if store is None:
            return []
        with contextlib.suppress(Exception):
            return sorted(g.removeprefix(base) for g in store.graphs()
                          if g.startswith(base) and g.removeprefix(base).startswith(prefix))
    return []
