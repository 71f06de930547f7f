"""Per-claim summaries (graph/summaries.py) are written with the articles they come from, and
stay right through reloads and removals: the store always holds what a fresh load of the same
files gives."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from graph import load_paths, open_store, remove_articles
from graph.loading import status_rule

from .conftest import EXAMPLES, ROOT

AK = "https://w3id.org/autokg#"
FORD = "2026-02-ford-denies-xiaomi-talks.yaml"


def all_quads(store) -> set[tuple]:
    """Every quad, the default graph named None. autokg writes no blank nodes (the ontology's are
    skolemised), so two stores hold isomorphic datasets exactly when these sets are equal."""
    rows = store.query("SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }").rows
    return {tuple(str(t) if t is not None else None for t in row) for row in rows}


def statuses(store) -> dict[str, str]:
    rows = store.query(f"SELECT ?c ?s WHERE {{ ?c <{AK}status> ?s }}").records()
    return {r["c"]: r["s"].removeprefix(AK) for r in rows}


@pytest.fixture
def examples(tmp_path):
    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES, folder)
    return folder


def test_load_reload_remove_equals_a_fresh_load_of_the_same_files(examples, tmp_path):
    store = open_store(str(tmp_path / "store"))
    load_paths(store, [examples])
    talks = "https://w3id.org/autokg/id/event/ford-xiaomi-joint-venture-talks"
    assert statuses(store)[talks] == "denied"
    # Ford now confirms the talks Xiaomi denies: the claim becomes contested.
    ford = examples / "articles" / FORD
    text = ford.read_text(encoding="utf-8")
    changed = (text.replace("type: Denial", "type: Confirmation", 1)
               .replace("denies: ford-xiaomi-joint-venture-talks", "confirms: ford-xiaomi-joint-venture-talks", 1))
    assert changed != text
    ford.write_text(changed, encoding="utf-8")
    load_paths(store, [examples])
    assert statuses(store)[talks] == "contested"
    # Xiaomi's own article goes; Ford's article still reports Xiaomi's denial.
    xiaomi = next(p for p in (examples / "articles").glob("*.yaml") if "xiaomi-denies-ford" in p.name)
    assert remove_articles(store, ["xiaomi-denies-ford-talks-2026-02"]) == ["xiaomi-denies-ford-talks-2026-02"]
    assert statuses(store)[talks] == "contested"
    count = store.query(f"SELECT ?n WHERE {{ <{talks}> <{AK}articleCount> ?n }}").records()
    assert count == [{"n": "1"}]
    xiaomi.unlink()
    xiaomi.with_suffix(".txt").unlink()
    fresh = open_store("memory")
    load_paths(fresh, [examples])
    assert all_quads(store) == all_quads(fresh)
    # The answer table beside the store (graph/answers.py) is kept by the same writes.
    assert answer_rows(store) == answer_rows(fresh) and len(answer_rows(fresh)) > 100
    store.close()


def answer_rows(store) -> set[tuple]:
    """The rows of the store's answer table, which must say it matches the store."""
    from graph.answers import table_for

    table = table_for(store)
    assert table.current()
    return set(table._db.execute("SELECT question, entity, claim, data FROM rows"))


def test_statuses_agree_with_the_sparql_rule(examples):
    """queries/internal/claim-status.ru states the status rule in SPARQL: it derives the same."""
    store = open_store("memory")
    load_paths(store, [examples])
    derived = statuses(store)
    assert len(derived) > 50
    store._store.update(status_rule())
    assert statuses(store) == derived


def test_every_claim_has_a_summary(examples):
    store = open_store("memory")
    load_paths(store, [examples])
    missing = store.query(f"""SELECT ?c WHERE {{ ?a <{AK}claim> ?c
        FILTER NOT EXISTS {{ ?c <{AK}status> ?s ; <{AK}articleCount> ?n ; <{AK}articleIds> ?ids ;
                                <{AK}kind> ?k ; <{AK}statedInArticle> ?art }} }}""").rows
    assert missing == []
    row = store.query(f"""SELECT ?n ?ids WHERE {{
        <https://w3id.org/autokg/id/event/ford-xiaomi-joint-venture-talks> <{AK}articleCount> ?n ; <{AK}articleIds> ?ids }}
        """).records()
    assert row == [{"n": "2", "ids": "ford-denies-xiaomi-talks-2026-02; xiaomi-denies-ford-talks-2026-02"}]


def test_a_generated_corpus_loaded_in_two_parts_equals_one_load(tmp_path):
    """Articles added to a store that already holds others (claims denied across articles,
    the transactional path) end as one load of all of them (the bulk path). Claims are not
    merged here (merge=False): which node a merged claim gets depends on what is stored."""
    folder = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(folder), "--articles", "120",
                    "--seed", "5"], check=True, capture_output=True)
    articles = sorted((folder / "articles").glob("*.yaml"))
    first, second = tmp_path / "first", tmp_path / "second"
    for part, files in ((first, articles[::2]), (second, articles[1::2])):
        part.mkdir()
        for f in files:
            shutil.copy(f, part / f.name)
    registry = folder / "entities.yaml"
    store = open_store(str(tmp_path / "store"))
    load_paths(store, [first], registry, merge=False)
    load_paths(store, [second], registry, merge=False)
    whole = open_store(str(tmp_path / "whole"))
    load_paths(whole, [folder], merge=False)
    assert all_quads(store) == all_quads(whole)


def test_articles_sharing_claims_are_written_together_or_split_and_end_as_one_load(tmp_path):
    """Articles that share claims go in one bulk write up to the store's bulk_quads, however small
    its batches; a group larger than that is split, each part taking the articles whose claims no
    earlier part touched, and the rest go by transactions. Every way ends as the same store."""
    folder = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(folder), "--articles", "150",
                    "--seed", "5"], check=True, capture_output=True)
    reference = open_store("memory")
    load_paths(reference, [folder])
    writes = {}
    for name, batch, bulk in (("whole groups", 2_000, 1_000_000), ("split groups", 2_000, 2_000)):
        store = open_store(str(tmp_path / name))
        store.batch_quads, store.bulk_quads = batch, bulk
        calls = writes[name] = {"bulk": 0, "transactions": 0}
        for method, kind in ((store.add_graphs, "bulk"), (store.prepared_add, "bulk"),
                             (store.replace_graphs, "transactions")):
            def counted(*args, _method=method, _kind=kind, _calls=calls, **kwargs):
                if args[0]:  # graphs written, not only mentions
                    _calls[_kind] += 1
                return _method(*args, **kwargs)
            setattr(store, method.__name__, counted)
        load_paths(store, [folder])
        assert all_quads(store) == all_quads(reference), name
        store.close()
    assert writes["whole groups"]["transactions"] == 0 and writes["whole groups"]["bulk"] > 1
    assert writes["split groups"]["transactions"] > 0 and writes["split groups"]["bulk"] > 1


def test_official_records_loaded_later_or_removed_confirm_exactly_what_a_fresh_load_does(examples, tmp_path):
    """An official record confirms the claims other articles make about its measure: loading the
    records after the articles, then removing one, each ends as a fresh load of the same files,
    written batch by batch (no pass over the whole store at the end)."""
    records = examples / "records"
    held = tmp_path / "records"
    shutil.move(records, held)
    store = open_store(str(tmp_path / "store"))
    load_paths(store, [examples])
    before = statuses(store)
    load_paths(store, [held], examples / "entities.yaml")
    after = statuses(store)
    raised = {c for c in before if before[c] != after[c]}
    assert raised and {after[c] for c in raised} <= {"confirmed", "contested"}
    both = open_store("memory")
    load_paths(both, [examples, held])
    assert all_quads(store) == all_quads(both)
    # The Federal Register document goes: what only it confirmed falls back.
    removed = remove_articles(store, ["federal-register-2025-05930"])
    assert removed == ["federal-register-2025-05930"]
    (held / "federal-register" / "2025-05930.json").unlink()
    rest = open_store("memory")
    load_paths(rest, [examples, held])
    assert all_quads(store) == all_quads(rest)
    store.close()
