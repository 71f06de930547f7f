"""Each entity's answer rows, kept beside the store: a question about one entity reads them by key.

A question about one entity answered from the claims' digests (graph/digests.py) still reads
one digest per claim through the store: 8,863 of them for the busiest entity at 10,000
articles, and reading them is most of its time. The loader therefore keeps, for each entity
and each such question, the rows its claims give (labels left out, so that renaming an entity
rewrites none) in a SQLite table in the store's folder (``STORE/autokg-answers.sqlite``; in
memory for an in-memory store), written as the claims' summaries are. A question reads its rows by
(question, entity) from an index, adds the labels and sorts them.

The table is kept right as the summaries are, but outside the store's transactions, so it
says whether it is: any write through autokg to the store marks it out of date first
(``OxigraphStore`` does so before its first write), and a load or removal that found it up
to date marks it so again once every row of the claims it touched is written; one that found
it out of date (a load stopped halfway, a write by other means, another ontology) writes every
row again from the store's digests. A question asked while it is out of date is answered from
the digests, as before; a store with no table (a remote store) always is.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from .terms import AK

__all__ = ["AnswerTable", "table_for"]

_FORMAT = "4"  # the rows' layout: bumped when it changes, and a table of another is written again
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS rows (question TEXT, entity TEXT, claim TEXT, data TEXT);
CREATE INDEX IF NOT EXISTS rows_by_entity ON rows (question, entity);
CREATE INDEX IF NOT EXISTS rows_by_claim ON rows (claim);
"""


class AnswerTable:
    """The rows of each (question, entity), by claim, and whether they match the store."""

    def __init__(self, path: Path | None, read_only: bool = False):
        self.path = path
        if path is None:
            self._db = sqlite3.connect(":memory:", check_same_thread=False)
        elif read_only:
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        else:
            self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
            # Rows are committed without waiting for the disk: a power cut may lose the last of
            # them, and the flag written after them with them (the log keeps commits in order).
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        if not read_only:
            self._db.executescript(_SCHEMA)
            if self._meta("format") != _FORMAT:
                with self._db:
                    self._db.execute("DELETE FROM rows")
                    self._db.execute("DELETE FROM meta")
                    self._db.execute("INSERT INTO meta VALUES ('format', ?)", (_FORMAT,))

    def _meta(self, key: str) -> str | None:
        try:
            found = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return found[0] if found else None

    def current(self) -> bool:
        """Whether the rows are those of the store as it is."""
        return self._meta("format") == _FORMAT and self._meta("current") == "yes"

    def mark(self, current: bool) -> None:
        # Flushed to disk before the store is written: a power cut never leaves "up to date" on
        # rows the store has since changed.
        self._db.execute("PRAGMA synchronous=FULL")
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('current', ?)", ("yes" if current else "no",))
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._marked = current

    def outdate(self) -> None:
        """Mark the rows out of date, unless this table has already (one write per load, not per
        batch). A table that cannot be written (a full disk) is deleted instead, so that it can
        never answer for what the store has become; if it cannot be deleted either, the write
        stops here, before the store is changed."""
        if getattr(self, "_marked", True):
            try:
                self.mark(False)
            except sqlite3.Error:
                self.discard()

    def discard(self) -> None:
        """Close the table and delete its files: questions are answered from the digests until a
        load writes it again."""
        self._marked = False
        self._db.close()
        if self.path is None:
            return
        try:
            _delete(self.path)
        except OSError as exc:
            from .store import StoreError

            raise StoreError(f"cannot write {self.path}: {exc.strerror}; nothing was written to the store") from None

    def clear(self) -> None:
        with self._db:
            self._db.execute("DELETE FROM rows")

    def replace(self, claims: Iterable[str], rows: Iterable[tuple[str, str, str, dict]]) -> None:
        """Drop the rows of ``claims`` (IRIs) and write ``rows``: (question, entity, claim, row)."""
        texts: dict[int, str] = {}  # a row two entities share (the two parties of a talk) is written as text once

        def text(row: dict) -> str:
            found = texts.get(id(row))
            if found is None:
                found = texts[id(row)] = _ENCODE(row)
            return found

        with self._db:
            self._db.executemany("DELETE FROM rows WHERE claim = ?", ((c,) for c in claims))
            self._db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?)", ((q, e, c, text(r)) for q, e, c, r in rows))

    def rows(self, question: str, entity: str) -> list[dict] | None:
        """The rows of ``question`` for ``entity`` (IRI), or None if the table is out of date."""
        try:
            # One read transaction: the flag and the rows of the same moment.
            with self._db:
                self._db.execute("BEGIN")
                if not self.current():
                    return None
                texts = [t for t, in self._db.execute("SELECT data FROM rows WHERE question = ? AND entity = ?",
                                                       (question, entity))]
        except sqlite3.Error:
            return None
        return json.loads(f"[{','.join(texts)}]")

    def close(self) -> None:
        self._db.close()


def _delete(path: Path) -> None:
    """Delete a table's file and SQLite's files beside it."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def table_for(store) -> AnswerTable | None:
    """The store's answer table (made on first use), or None for a store that has none: a
    remote store, or one on disk opened read-only whose table was never written."""
    if not hasattr(store, "_store") or not hasattr(store, "path"):
        return None
    table = getattr(store, "_answers", None)
    if table is False:  # set so by bench/steps.py, to time the same questions without the table
        return None
    if table is None:
        read_only = getattr(store, "read_only", False)
        path = None
        if store.path:
            # Inside the store's folder, beside RocksDB's files (which it leaves alone): wherever
            # the store's files go (a copy, a backup put back, a deletion), its table goes too.
            path = Path(store.path) / "autokg-answers.sqlite"
            if read_only and not path.is_file():
                return None
        try:
            table = AnswerTable(path, read_only=read_only)
        except sqlite3.Error:  # not a table autokg can read (a torn or foreign file)
            if read_only or path is None:
                return None
            _delete(path)  # a writer makes a new one
            try:
                table = AnswerTable(path)
            except sqlite3.Error:
                return None
        store._answers = table
    return table


class Keeper:
    """Keeps a store's answer table right through one write (a load or a removal): made before
    the write's first change to the store, told of each batch's claims once the store holds
    them (``written``), and ``done`` at the end, when every batch is in."""

    def __init__(self, store, empty: bool):
        self.table = table_for(store)
        # Only a table that matched the store before this write can be kept by the claims it
        # touches (the loader also sets ``keep`` False when the ontology changes).
        self.keep = self.table is not None and (empty or self.table.current())
        if self.keep and empty:
            self.table.clear()

    def rows(self) -> list | None:
        """A list for the summaries to add the rows of their claims to, or None (not kept)."""
        return [] if self.keep else None

    def written(self, claims: Iterable[str], rows: list | None, articles: Iterable = (),
                removed: Iterable[str] = ()) -> None:
        """The store now holds the summaries of ``claims`` (N-Triples IRIs), whose rows are
        ``rows``, and the mentions of ``articles`` (CompiledArticle), and no longer holds the
        articles ``removed`` (IRIs)."""
        if self.keep and rows is not None:
            articles = list(articles)
            rows = rows + [row for a in articles for row in mention_rows(a.iri, a.id, a.mention_triples)]
            try:
                self.table.replace([*(c[1:-1] for c in claims), *(a.iri for a in articles), *removed], rows)
            except sqlite3.Error:  # a full disk, say: the store is written, the table is not kept
                self._give_up()

    def done(self, store) -> None:
        if self.table is None:
            return
        try:
            if self.keep or rebuild(store, self.table):
                self.table.mark(True)
        except sqlite3.Error:
            self._give_up()

    def _give_up(self) -> None:
        self.keep = False
        self.table.discard()
        self.table = None


_HAS_BODY = " <http://www.w3.org/ns/oa#hasBody> "


def mention_rows(article: str, article_id: str, lines: Iterable[str]) -> list[tuple[str, str, str, dict]]:
    """entity-profile's "mentioned in" rows of one article: how many of its mentions name each
    entity (its mentions graph's triples ``lines``), keyed by the article's IRI."""
    counts: dict[str, int] = {}
    for line in set(lines):
        if _HAS_BODY in line:
            entity = line.split(_HAS_BODY, 1)[1][1:-3]
            counts[entity] = counts.get(entity, 0) + 1
    return [("mentions", entity, article, {"id": article_id, "n": n}) for entity, n in counts.items()]


def _parts(term) -> list[str]:
    """A literal as [value, datatype, language], as the digests write them ('' for none)."""
    language = term.language or ""
    datatype = "" if language or term.datatype.value == _XSD_STRING else term.datatype.value
    return [term.value, datatype, language]


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_AK = str(AK._NS)


def rebuild(store, table: AnswerTable) -> bool:
    """Write every row again from the store's summaries; False (the table left out of date) if
    a claim's digest is missing or of another layout."""
    from .digests import rows_of
    from .summaries import DIGEST_FORMAT

    digests = {}
    for claim, text in store.query(f"SELECT ?c ?d WHERE {{ ?c <{_AK}digest> ?d }}").rows:
        try:
            digest = json.loads(text.value)
        except ValueError:
            return False
        if not isinstance(digest, dict) or digest.get("v") != DIGEST_FORMAT or claim.value in digests:
            return False
        digests[claim.value] = digest
    if store.query(f"ASK {{ ?c <{_AK}status> ?s FILTER NOT EXISTS {{ ?c <{_AK}digest> ?d }} }}").boolean:
        return False
    labels: dict[str, list] = {}
    for claim, label in store.query(f"SELECT ?c ?l WHERE {{ ?c <{_AK}digest> ?d ; "
                                    "<http://www.w3.org/2000/01/rdf-schema#label> ?l }").rows:
        labels.setdefault(claim.value, []).append(_parts(label))
    kinds = {c: k for c, k in store.select_values(f"SELECT ?c ?k WHERE {{ ?c <{_AK}kind> ?k }}")}
    parties: dict[str, list[str]] = {}
    for claim, entity in store.select_values(f"SELECT ?c ?e WHERE {{ ?c <{_AK}party> ?e }}"):
        parties.setdefault(claim, []).append(entity)
    rows = [(q, e, claim, row) for claim, d in digests.items()
            for q, e, row in rows_of(claim, d, parties.get(claim, ()), kinds.get(claim), labels.get(claim, ()))]
    from .terms import MENTIONS_GRAPHS, article_iri

    graphs = set(store.graphs())
    for graph, entity, count in store.select_values(
            f"SELECT ?g ?e (COUNT(?m) AS ?n) WHERE {{ GRAPH ?g {{ ?m <http://www.w3.org/ns/oa#hasBody> ?e }} "
            f'FILTER(STRSTARTS(STR(?g), "{MENTIONS_GRAPHS}")) }} GROUP BY ?g ?e'):
        article_id = graph[len(MENTIONS_GRAPHS):]
        if article_iri(article_id) in graphs:  # a mentions graph counts only beside its article's
            rows.append(("mentions", entity, article_iri(article_id), {"id": article_id, "n": int(count)}))
    table.clear()
    table.replace((), rows)
    return True
