"""The ``/sparql`` endpoint's rules: SPARQL 1.1 Protocol queries, read-only, no SERVICE.

* GET ``?query=`` or POST with ``Content-Type: application/sparql-query``. A POST of a
  form (``application/x-www-form-urlencoded``, ``multipart/form-data``, ``text/plain``) is
  refused: those are what any web page can make a browser send to 127.0.0.1 without asking
  (a "simple" cross-site request), and a query is work this machine would do for them.
* Updates are refused (``update=``, ``application/sparql-update``), and the workers open the
  store read-only, so nothing can write even if it got through.
* ``SERVICE`` makes the server fetch URLs for its client; it is refused unless serve was
  started with ``--allow-service``.
"""

from __future__ import annotations

import re

__all__ = ["uses_service", "negotiate", "SPARQL_QUERY_TYPE", "FORM_TYPES"]

SPARQL_QUERY_TYPE = "application/sparql-query"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")

_IRI = re.compile(r"<[^\s<>\"{}|^`\\]*>")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*(?::[^\s{}()<>,;\"'#]*)?")


def uses_service(query: str) -> bool:
    """Whether the SERVICE keyword appears in ``query`` outside comments, strings and IRIs.

    A lexical check, stricter than the grammar (it also refuses a query that merely fails
    to parse around the word), and never fooled by ``?service``, ``ex:SERVICE`` or text.
    """
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
        elif ch == "<" and (match := _IRI.match(query, i)):
            i = match.end()
        elif ch in "\"'":
            quote = query[i:i + 3] if query[i:i + 3] in ('"""', "'''") else ch
            j = i + len(quote)
            while j < n and not query.startswith(quote, j):
                j += 2 if query[j] == "\\" else 1
            i = j + len(quote)
        elif ch in "?$:":  # a variable or a prefixed name with the empty prefix: not a keyword
            match = _WORD.match(query, i + 1)
            i = match.end() if match else i + 1
        elif match := _WORD.match(query, i):
            word = match.group(0)
            glued = i > 0 and (query[i - 1].isalnum() or query[i - 1] in "_-.")
            if ":" not in word and word.upper() == "SERVICE" and not glued:
                return True
            i = match.end()
        else:
            i += 1
    return False


# Accept media types we answer in, for results (SELECT/ASK) and graphs (CONSTRUCT/DESCRIBE).
_MEDIA = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "application/n-triples": "ntriples", "text/turtle": "turtle", "application/rdf+xml": "rdfxml",
    "text/plain": "ntriples",
}


def negotiate(accept: str | None, format_param: str | None = None) -> str:
    """The short format name for an Accept header (or a ``format=`` parameter); JSON by default."""
    if format_param:
        name = format_param.strip().lower()
        if name in _MEDIA.values():
            return name
        if name in _MEDIA:
            return _MEDIA[name]
    best, best_q = "json", -1.0
    for position, part in enumerate((accept or "").split(",")):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media in _MEDIA and q > best_q:
            best, best_q = _MEDIA[media], q - position * 1e-6
    return best
