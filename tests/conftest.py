"""Shared fixtures: the example corpus, stores of each kind, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import load_paths, open_store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED_ARTICLE = EXAMPLES / "articles" / "2026-02-xiaomi-denies-ford-talks.yaml"
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(params=["disk", "memory"])
def empty_store(request, tmp_path):
    """An empty store of each local kind (the remote kind joins in the remote-store tests)."""
    store = open_store(str(tmp_path / "store") if request.param == "disk" else "memory")
    yield store
    store.close()


@pytest.fixture
def store(empty_store):
    """A store holding the examples."""
    load_paths(empty_store, [EXAMPLES])
    return empty_store


@pytest.fixture(scope="session")
def examples_store():
    """One in-memory store with the examples, shared by read-only tests."""
    store = open_store("memory")
    load_paths(store, [EXAMPLES])
    return store


def invoke(runner: CliRunner, store_path: Path | str, *args: str):
    """Run the autokg CLI against a store, the way a user types it."""
    from graph.cli import cli

    return runner.invoke(cli, ["--store", str(store_path), *args], catch_exceptions=False)
