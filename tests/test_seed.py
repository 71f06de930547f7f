"""The original seed article, annotated with its own sentences, gives the same answers as our example."""

from __future__ import annotations

import shutil

import pytest

from graph import load_paths, open_store, run_query

from .conftest import DATA, REGISTRY, SEED_ARTICLE, SHARED

QUESTIONS = ["who-talked-to-whom", "tariffs", "contested-claims", "reactions", "timeline",
             "people-and-posts", "tariff-exposure"]


def answers(store, name):
    records = run_query(store, name).records()
    for r in records:
        for key in ("articles", "stated_in"):
            r.pop(key, None)
    return sorted(records, key=repr)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    seed = SHARED / "seeds" / "global-times-xiaomi-ford-2026-02.txt"
    if not seed.exists():
        pytest.skip("../shared/seeds is not present next to this checkout")
    folder = tmp_path_factory.mktemp("seed")
    shutil.copy(seed, folder)
    shutil.copy(DATA / "seed" / "global-times-seed.yaml", folder)
    store = open_store("memory")
    load_paths(store, [folder], REGISTRY)
    return store


@pytest.fixture(scope="module")
def example_store():
    store = open_store("memory")
    load_paths(store, [SEED_ARTICLE], REGISTRY)
    return store


@pytest.mark.parametrize("name", QUESTIONS)
def test_seed_text_gives_the_same_answers(seed_store, example_store, name):
    assert answers(seed_store, name) == answers(example_store, name)
    assert answers(seed_store, name), f"{name} answered nothing"
