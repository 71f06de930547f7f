"""Words for shell completion: query names, and the entity and article ids of the store.

Click's completion (``eval "$(_AUTOKG_COMPLETE=bash_source autokg)"``) calls these while the
user presses Tab, so they never raise, never create a store, and give up quickly on a
remote store that does not answer.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["query_names", "entity_ids", "article_ids", "query_parameters", "use_bash_line"]

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


def use_bash_line() -> None:
    """Complete in bash from the command line as typed (``COMP_LINE`` up to ``COMP_POINT``),
    not from ``COMP_WORDS``: bash splits words at ``=`` and ``:`` (``COMP_WORDBREAKS``), so
    ``--param entity=Xi`` reaches click as ``entity``, ``=``, ``Xi`` and completes nothing.
    Readline then replaces only what follows the last ``=`` or ``:`` of the word, so each
    completion is given from there on (``xiaomi`` for ``entity=Xi``)."""
    from click.shell_completion import _SOURCE_BASH, BashComplete, add_completion_class, split_arg_string

    passed = "COMP_CWORD=$COMP_CWORD "
    if passed not in _SOURCE_BASH:  # another click's script: keep its own completion
        return

    class LineBashComplete(BashComplete):
        source_template = _SOURCE_BASH.replace(passed, passed + 'COMP_LINE="$COMP_LINE" COMP_POINT="$COMP_POINT" ')
        _typed = ""  # the part of the word readline keeps

        def get_completion_args(self) -> tuple[list[str], str]:
            line, point = os.environ.get("COMP_LINE"), os.environ.get("COMP_POINT", "")
            if line is None or not point.isdigit():
                return super().get_completion_args()
            before = line[:int(point)]
            words = split_arg_string(before)
            if not words or before[-1:].isspace():
                args, incomplete = words[1:], ""
            else:
                args, incomplete = words[1:-1], words[-1]
            self._typed = incomplete[:max(incomplete.rfind("="), incomplete.rfind(":")) + 1]
            return args, incomplete

        def format_completion(self, item) -> str:
            value = item.value
            if self._typed and value.startswith(self._typed):
                value = value[len(self._typed):]
            return f"{item.type},{value}"

    add_completion_class(LineBashComplete)
