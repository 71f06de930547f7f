"""A query's look-up form (its ``# lookup:`` file, run when that parameter is given) answers
the same rows as the query itself with the parameter as a filter, on the examples and on a
generated corpus."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph import QueryError, UnknownEntityError, list_queries, load_paths, open_store, run_query
from graph.answers import table_for
from graph.queries import bind_parameters, fill_placeholders, find_query

from .conftest import EXAMPLES, generated_store

LOOKUPS = [(q, name) for q in list_queries() for name in q.lookups]


def entities(store, count: int | None = None) -> list[str]:
    """Entities that take part in claims, most frequent first."""
    rows = store.query("PREFIX ak: <https://w3id.org/autokg#> SELECT ?e (COUNT(*) AS ?n) "
                       "WHERE { ?c ak:party ?e } GROUP BY ?e ORDER BY DESC(?n) ?e").rows
    found = [row[0].value for row in rows]
    return found if count is None else found[:count] + found[-count:]


def articles(store, count: int | None = None) -> list[str]:
    """Article ids, those stating the most claims first."""
    rows = store.query("PREFIX ak: <https://w3id.org/autokg#> PREFIX schema: <https://schema.org/> "
                       "SELECT ?id (COUNT(*) AS ?n) WHERE { ?a ak:statedIn ?article . ?article schema:identifier ?id } "
                       "GROUP BY ?id ORDER BY DESC(?n) ?id").rows
    found = [row[0].value for row in rows]
    return found if count is None else found[:count] + found[-count:]


def dates(store) -> list[str]:
    """Years, months and days to give a date parameter: the first, middle and last of the
    claims' dates, each also cut to its month and its year, and a year before them all."""
    rows = store.query("PREFIX ak: <https://w3id.org/autokg#> SELECT DISTINCT ?d WHERE { ?c ak:date ?d } ORDER BY ?d").rows
    found = [row[0].value for row in rows]
    picked = {found[0], found[len(found) // 2], found[-1], str(int(found[0][:4]) - 1)}
    return sorted({cut for d in picked for cut in (d, d[:7], d[:4])})


def values_for(store, name: str, count: int | None = None) -> list[str]:
    """What to give the parameter ``name``: article ids for ``article``, dates for ``since``
    and ``until``, else entities."""
    if name in ("since", "until"):
        return dates(store)
    return articles(store, count) if name == "article" else entities(store, count)


def cells(row) -> list[str]:
    """A row's terms as text, each list a GROUP_CONCAT made in sorted order: SPARQL leaves the
    order of a group's values to the engine, and a look-up may meet them in another order."""
    return [str(t) if not isinstance(t, ox.Literal) else
            f'{"; ".join(sorted(t.value.split("; ")))} {t.datatype} {t.language}' for t in row]


def same_rows(store, query, name: str, values: list[str]) -> int:
    compared = 0
    for value in values:
        try:
            bindings = bind_parameters(store, query, {name: value})
        except UnknownEntityError:  # a party that is no entity (a dispute, a measure): not asked about
            continue
        filtered = [cells(row) for row in store.query(query.sparql, bindings).rows]
        assert query.sparql_for(bindings) != query.sparql
        sparql, rest = fill_placeholders(query.sparql_for(bindings), bindings)
        looked_up = [cells(row) for row in store.query(sparql, rest).rows]
        # The same rows; rows the ORDER BY leaves tied may come in another order.
        assert sorted(looked_up) == sorted(filtered), (query.name, name, value)
        compared += len(filtered)
    return compared


def test_there_are_lookups():
    assert {q.name for q, _ in LOOKUPS} >= {"timeline", "who-talked-to-whom", "entity-profile", "tariff-exposure", "sources"}


@pytest.mark.parametrize(("query", "name"), LOOKUPS, ids=[f"{q.name}-{n}" for q, n in LOOKUPS])
def test_lookup_gives_the_filtered_rows_on_the_examples(query, name):
    store = open_store("memory")
    load_paths(store, [EXAMPLES])
    assert same_rows(store, query, name, values_for(store, name)) > 0


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    """150 generated articles and, among them, the examples: the generator writes no
    disputes, investigations or posts."""
    store = generated_store(tmp_path_factory, 150, 3)
    load_paths(store, [EXAMPLES])
    return store


@pytest.mark.parametrize(("query", "name"), LOOKUPS, ids=[f"{q.name}-{n}" for q, n in LOOKUPS])
def test_lookup_gives_the_filtered_rows_on_a_generated_corpus(corpus_store, query, name):
    compared = same_rows(corpus_store, query, name, values_for(corpus_store, name, 5))
    if not compared:  # none of the most and least frequent has a dispute, an investigation or a post: every entity
        compared = same_rows(corpus_store, query, name, values_for(corpus_store, name))
    assert compared > 0


@pytest.mark.parametrize("which", ["examples", "corpus"])
def test_timeline_between_two_dates_gives_the_filtered_rows(corpus_store, which):
    """since and until together choose the dates look-up, which applies both."""
    if which == "examples":
        store = open_store("memory")
        load_paths(store, [EXAMPLES])
    else:
        store = corpus_store
    query = find_query("timeline")
    given = dates(store)
    compared = 0
    for since in given:
        for until in given:
            if until < since:
                continue
            bindings = bind_parameters(store, query, {"since": since, "until": until})
            assert query.sparql_for(bindings) == query.lookups["since"]
            filtered = sorted(cells(row) for row in store.query(query.sparql, bindings).rows)
            looked_up = sorted(cells(row) for row in store.query(*fill_placeholders(query.sparql_for(bindings), bindings)).rows)
            assert looked_up == filtered, (since, until)
            compared += len(filtered)
    assert compared > 0


def test_an_entity_in_two_roles_of_one_claim_is_one_row(tmp_path):
    """who-talked-to-whom's look-up starts from each role that makes a pair: an entity that
    speaks on its own behalf to another is found twice (and the claim's place with it), and
    answers once, as the listing does."""
    article = tmp_path / "own-behalf.yaml"
    article.write_text("""article:
  id: own-behalf-2025-05
  headline: Xiaomi tells MOFCOM its view
  publisher: reuters
  date: 2025-05-02
  text: Xiaomi told MOFCOM on its own behalf that it welcomed the talks.
events:
  - id: xiaomi-tells-mofcom
    type: Statement
    speaker: xiaomi
    on_behalf_of: xiaomi
    addressee: mofcom
    location: brussels
    stance: comments
    topic: the talks
    evidence: "Xiaomi told MOFCOM on its own behalf that it welcomed the talks."
""", encoding="utf-8")
    store = open_store("memory")
    load_paths(store, [EXAMPLES, article])
    query = next(q for q, name in LOOKUPS if q.name == "who-talked-to-whom")
    assert same_rows(store, query, "entity", ["xiaomi"]) > 0
    rows = run_query(store, "who-talked-to-whom", {"entity": "xiaomi"}).rows
    told = [row for row in rows if "MOFCOM" in str(row[1]) + str(row[0]) and "the talks" in str(row[3])]
    assert len(told) == 1, told


DIGESTED = [("entity-profile", "entity"), ("reactions", "target"), ("timeline", "entity"), ("who-talked-to-whom", "entity")]


def _order_keys(query, rows, variables) -> list[tuple]:
    """Each row's ORDER BY keys (unbound first, then the lexical form), in the rows' order."""
    order = query.sparql.rsplit("ORDER BY", 1)[1].split()
    at = [variables.index(v.lstrip("?")) for v in order]
    return [tuple((0, "") if row[i] is None else (1, row[i].value) for i in at) for row in rows]


def same_answers(store, name: str, parameter: str, values: list[str]) -> int:
    """run_query's answer (from the claims' digests) is the query file's, filtered, row for row
    and in its ORDER BY."""
    query, compared = find_query(name), 0
    for value in values:
        params = {parameter: value}
        try:
            bindings = bind_parameters(store, query, params)
        except UnknownEntityError:
            continue
        filtered = store.query(query.sparql, bindings)
        answered = run_query(store, name, params)
        assert answered.variables == filtered.variables
        assert sorted(map(cells, answered.rows)) == sorted(map(cells, filtered.rows)), (name, value)
        assert (_order_keys(query, answered.rows, answered.variables)
                == _order_keys(query, filtered.rows, filtered.variables)), (name, value)
        compared += len(filtered.rows)
    return compared


@pytest.mark.parametrize(("name", "parameter"), DIGESTED, ids=[n for n, _ in DIGESTED])
def test_answers_from_digests_are_the_query_file_s_on_the_examples_and_a_corpus(corpus_store, name, parameter):
    """Every entity of the examples (and of a generated corpus: the most and least frequent and
    every tenth between) gets from the digests exactly what the query file gives."""
    store = open_store("memory")
    load_paths(store, [EXAMPLES])
    assert same_answers(store, name, parameter, entities(store)) > 0
    every = entities(corpus_store)
    assert same_answers(corpus_store, name, parameter, [*every[:5], *every[5:-5:10], *every[-5:]]) > 0


def test_a_store_without_digests_gets_the_query_file_s_answer():
    """Claims written by an earlier autokg carry no digest: the question is answered by its query file."""
    store = open_store("memory")
    load_paths(store, [EXAMPLES])
    busiest = entities(store, 1)[0]
    before = {name: run_query(store, name, {parameter: busiest}).rows for name, parameter in DIGESTED}
    # Through the store's own writing (which marks the answer table out of date), as any write but a load's.
    store._update("PREFIX ak: <https://w3id.org/autokg#> DELETE WHERE { ?claim ak:digest ?digest }")
    assert not table_for(store).current()
    for name, parameter in DIGESTED:
        after = run_query(store, name, {parameter: busiest}).rows
        if name == "reactions":  # the busiest entity is no target of a reaction here
            assert sorted(map(cells, after)) == sorted(map(cells, before[name]))
            continue
        assert after and sorted(map(cells, after)) == sorted(map(cells, before[name]))


def test_a_changed_query_file_is_answered_by_itself(tmp_path):
    """The digests answer for the query files as shipped; a copy that says otherwise is run as written."""
    from graph.digests import _ANSWERS, query_digest

    for (name, parameter), (_, known) in _ANSWERS.items():
        assert query_digest(find_query(name), parameter) == known, f"{name}: update graph/digests.py to match the query file"
    store = open_store("memory")
    load_paths(store, [EXAMPLES])
    busiest = entities(store, 1)[0]
    changed = find_query("who-talked-to-whom")
    changed.sparql = changed.sparql.replace("ORDER BY ?date ?party_a", "ORDER BY DESC(?date) ?party_a")
    changed.lookups = {}
    rows = run_query(store, changed, {"entity": busiest}).rows
    dates = [row[9].value for row in rows if row[9] is not None]
    assert len(dates) > 1 and dates == sorted(dates, reverse=True)


def _every_answer(store) -> dict:
    return {(name, value): sorted(map(cells, run_query(store, name, {parameter: value}).rows))
            for name, parameter in DIGESTED for value in entities(store)}


def test_a_renamed_entity_is_named_anew_in_every_kept_answer(tmp_path):
    """The answer table keeps entities by IRI: a new name in the registry reaches every answer
    that names the entity, with nothing rewritten but the registry."""
    import shutil

    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES, folder)
    store = open_store(str(tmp_path / "store"))
    load_paths(store, [folder])
    assert any(row[1].value == "Xiaomi" for row in run_query(store, "who-talked-to-whom", {"entity": "xiaomi"}).rows)
    registry = folder / "entities.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("name: Xiaomi\n", "name: Xiaomi Motors\n", 1),
                        encoding="utf-8")
    load_paths(store, [folder])
    assert table_for(store).current()
    rows = run_query(store, "who-talked-to-whom", {"entity": "xiaomi"}).rows
    assert any(row[1].value == "Xiaomi Motors" for row in rows)
    assert not any("Xiaomi" == cell.value for row in rows for cell in row if cell is not None)
    assert same_answers(store, "who-talked-to-whom", "entity", ["xiaomi"]) > 0
    store.close()


def test_an_out_of_date_answer_table_is_not_read_and_the_next_load_writes_it_again(tmp_path):
    """A write other than a load's (here a SPARQL update through the store) marks the table out
    of date: questions are answered from the digests or the query file, the same rows, and the
    next load, even one that changes nothing, writes every row again as a fresh load would."""
    store = open_store(str(tmp_path / "store"))
    load_paths(store, [EXAMPLES])
    kept = _every_answer(store)
    table = table_for(store)
    # Rows no load wrote: were the table read, the answers would change.
    changed = table._db.execute("UPDATE rows SET data = replace(data, '\"st\":\"denied\"', '\"st\":\"asserted\"') "
                                "WHERE data LIKE '%\"st\":\"denied\"%'")
    assert changed.rowcount > 0
    table._db.commit()
    store._update("INSERT DATA { <https://w3id.org/autokg/id/x> <https://w3id.org/autokg#note> \"x\" }")
    assert not table.current()
    assert _every_answer(store) == kept
    load_paths(store, [EXAMPLES])
    assert table.current() and _every_answer(store) == kept
    fresh = open_store("memory")
    load_paths(fresh, [EXAMPLES])
    rows = "SELECT question, entity, claim, data FROM rows"
    assert set(table._db.execute(rows)) == set(table_for(fresh)._db.execute(rows))
    store.close()


def test_a_torn_answer_table_is_written_again_by_the_next_load(tmp_path):
    """A table file autokg cannot read is no answer: questions get the digests' rows, and the
    next load makes a new table that matches the store."""
    store = open_store(str(tmp_path / "store"))
    load_paths(store, [EXAMPLES])
    kept = _every_answer(store)
    store.close()
    (tmp_path / "store" / "autokg-answers.sqlite").write_bytes(b"not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (tmp_path / "store" / f"autokg-answers.sqlite{suffix}").unlink(missing_ok=True)
    reader = open_store(str(tmp_path / "store"), read_only=True)
    assert not table_for(reader).current() and _every_answer(reader) == kept
    reader.close()
    store = open_store(str(tmp_path / "store"))
    load_paths(store, [EXAMPLES])
    assert table_for(store).current() and _every_answer(store) == kept
    store.close()


def test_the_roles_entity_profile_skips_before_its_policy_test_are_none_of_a_policy_s():
    """The look-up drops a busy entity's many links that cannot be a policy's before testing the
    class of what links to it: each role it drops is declared, in the ontology, on a class that
    neither a policy nor above one, so no policy can have it."""
    import re

    import rdflib
    from rdflib.namespace import RDFS

    from graph.resources import ontology_file

    text = find_query("entity-profile").lookups["entity"]
    policy_branch = text.rsplit("} UNION {", 1)[1]
    listed = re.search(r"NOT IN \(([^)]*)\)", policy_branch).group(1)
    ontology = rdflib.Graph().parse(ontology_file())
    ontology.bind("ak", "https://w3id.org/autokg#")
    prefixes = {"ak": "https://w3id.org/autokg#", "oa": "http://www.w3.org/ns/oa#", "schema": "https://schema.org/"}
    policy = rdflib.URIRef(prefixes["ak"] + "Policy")
    above_policy = set(ontology.transitive_objects(policy, RDFS.subClassOf))
    skipped = [rdflib.URIRef(prefixes[name.split(":")[0]] + name.split(":")[1]) for name in re.split(r"[,\s]+", listed.strip())]
    assert len(skipped) >= 20
    for role in skipped:
        if str(role).startswith(prefixes["ak"]):
            domains = list(ontology.objects(role, RDFS.domain))
            assert domains, f"{role} has no declared domain: a policy might have it"
            for domain in domains:
                below = set(ontology.transitive_objects(domain, RDFS.subClassOf))
                assert domain not in above_policy and policy not in below, role


def test_asking_leaves_the_cycle_collector_as_it_found_it(tmp_path):
    """Answers are built with Python's cycle collector paused (graph.memory.cycle_collector_paused):
    it is on again afterwards, after a failed question too, and stays off for a caller who
    had turned it off."""
    import gc

    store = open_store(str(tmp_path / "store"))
    load_paths(store, [EXAMPLES])
    assert gc.isenabled()
    assert run_query(store, "who-talked-to-whom", {"entity": "byd"}).rows
    assert run_query(store, "contested-claims").rows is not None
    assert gc.isenabled()
    with pytest.raises(QueryError):
        store.query("SELECT * WHERE { ?s ?p }")
    assert gc.isenabled()
    gc.disable()
    try:
        run_query(store, "timeline", {"entity": "byd"})
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_queries_run_query_sends_to_the_digests_are_those_they_answer():
    """graph/queries.py names the queries graph/digests.py answers without importing it (a command
    that asks none of them does not load it); the two lists are the same."""
    from graph import digests, queries

    assert set(queries._DIGESTED) == {name for name, _ in digests._ANSWERS}
