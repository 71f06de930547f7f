"""Hostile input: every file in tests/hostile/ is refused with one clear line (file:line) and
exit 1, or accepted where that is right, never with a traceback, and a refused load leaves
the store exactly as it was. What each file must give is in tests/hostile/expected.yaml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from graph import load_paths, open_store
from graph.summaries import DERIVED

from .conftest import REGISTRY, SEED_ARTICLE, invoke

HOSTILE = Path(__file__).resolve().parent / "hostile"
EXPECTED = yaml.safe_load((HOSTILE / "expected.yaml").read_text(encoding="utf-8"))
ERRORS = {k: v for k, v in EXPECTED.items() if not v.get("loads")}
ACCEPTED = {k: v for k, v in EXPECTED.items() if v.get("loads")}


def dump(store_dir: Path) -> list[str]:
    """Every quad of the store (named graphs and the default graph), as sorted N-Quads lines."""
    store = ox.Store(str(store_dir))
    try:
        return sorted(ox.serialize(store.quads_for_pattern(None, None, None, None),
                                   format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines())
    finally:
        del store


def seed_store_on_disk(folder: Path) -> tuple[Path, list[str]]:
    """An on-disk store holding the seed story, and its sorted N-Quads to compare against."""
    store = open_store(str(folder))
    load_paths(store, [SEED_ARTICLE], REGISTRY)
    store.close()
    return folder, dump(folder)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    """A store holding the seed story, shared by the refusals (which must leave it as it is)."""
    return seed_store_on_disk(tmp_path_factory.mktemp("hostile") / "store")


def load(runner, store_dir: Path, path: Path):
    result = invoke(runner, store_dir, "load", "--registry", str(REGISTRY), str(path))
    assert "Traceback" not in result.output + result.stderr  # (an exception would fail the test itself)
    return result


def test_the_corpus_and_its_expectations_match():
    on_disk = {p.relative_to(HOSTILE).as_posix() for kind in ("yaml", "brat", "labelstudio")
               for p in (HOSTILE / kind).iterdir()
               if p.is_dir() or (p.suffix in (".yaml", ".ann", ".json") and not p.name.endswith(".meta.yaml"))}
    assert on_disk == set(EXPECTED)
    for kind in ("yaml", "brat", "labelstudio"):
        assert sum(k.startswith(kind + "/") for k in ERRORS) >= 30, f"too few hostile {kind} inputs"


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_hostile_input_is_refused_with_file_and_line(runner, seed_store, name):
    store_dir, before = seed_store
    expected = ERRORS[name]
    result = load(runner, store_dir, HOSTILE / name)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("[ERROR] ") for line in lines), result.stderr
    place = str(HOSTILE / expected["file"]) + (f":{expected['line']}" if expected["line"] else "")
    assert lines[0].startswith(f"[ERROR] {place}: "), lines[0]
    assert expected["message"] in lines[0]
    assert dump(store_dir) == before, f"{name} changed the store"


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_acceptable_oddities_load(runner, seed_store, tmp_path, name):
    store_dir = tmp_path / "store"
    shutil.copytree(seed_store[0], store_dir)
    result = load(runner, store_dir, HOSTILE / name)
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.startswith("Loaded ")     # warnings, if any, go to stderr
    after = dump(store_dir)
    # derived quads may change: a task that states one of the seed's claims merges with it,
    # and the claim's summary (status, articles, ...) is then derived over both
    derived = {q for q in seed_store[1] if "/derived" in q or q.split(" ")[1] in DERIVED}
    assert set(seed_store[1]) - set(after) <= derived


def test_hostile_names_stay_text(runner, seed_store, tmp_path):
    """Quotes, <>, {}, backslashes, RTL marks and emoji in names come back exactly, as literals."""
    store_dir = tmp_path / "store"
    shutil.copytree(seed_store[0], store_dir)
    assert load(runner, store_dir, HOSTILE / "yaml" / "hostile-names.yaml").exit_code == 0
    store = open_store(str(store_dir))
    names = {r["name"] for r in store.query(
        "SELECT ?name WHERE { <https://w3id.org/autokg/id/acme-motors> <https://w3id.org/autokg#name> ?name }"
    ).records()}
    topics = {r["t"] for r in store.query("SELECT ?t WHERE { ?e <https://w3id.org/autokg#topic> ?t }").records()}
    store.close()
    assert names == {'Acme "Motors" <b>{x}</b> \\ \u202eRTL\u202c caf\u00e9 \U0001F697'}
    assert '"} ; DROP ALL ; {"' in topics


@pytest.mark.parametrize("kind", ["yaml", "brat", "labelstudio"])
def test_a_whole_hostile_folder_is_one_line_per_problem_in_a_real_process(seed_store, tmp_path, kind):
    store_dir = tmp_path / "store"
    shutil.copytree(seed_store[0], store_dir)
    result = subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(store_dir), "load",
                             "--registry", str(REGISTRY), str(HOSTILE / kind)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert all(line.startswith("[ERROR] ") for line in lines), result.stderr
    refused = {name for name in ERRORS if name.startswith(kind + "/")}
    named = {name for name in refused if any(str(HOSTILE / ERRORS[name]["file"]) in line for line in lines)}
    assert named == refused
    assert dump(store_dir) == seed_store[1]


def _fifty_megabytes(folder: Path, kind: str) -> tuple[Path, Path]:
    """A 50 MB article in ``kind`` (generated: too large to commit); returns (file to load, file blamed)."""
    text = ("Ford met Xiaomi in Detroit. " * (50 * 2**20 // 28 + 1))[: 50 * 2**20]
    if kind == "yaml":
        path = folder / "huge.yaml"
        path.write_text("article:\n  id: huge\n  headline: Huge\n  publisher: global-times\n  date: 2026-02\n"
                        f"  text: \"{text}\"\nevents: []\n", encoding="utf-8")
        return path, path
    if kind == "brat":
        (folder / "huge.txt").write_text(text, encoding="utf-8")
        (folder / "huge.ann").write_text("T1\tAutomaker 0 4\tFord\n", encoding="utf-8")
        return folder / "huge.ann", folder / "huge.txt"
    path = folder / "huge.json"
    path.write_text(f'[{{"id": 1, "data": {{"text": "{text}"}}, "annotations": []}}]', encoding="utf-8")
    return path, path


@pytest.mark.parametrize("kind", ["yaml", "brat", "labelstudio"])
def test_a_50_megabyte_file_is_refused_before_it_is_read(runner, seed_store, tmp_path, kind):
    store_dir, before = seed_store
    path, blamed = _fifty_megabytes(tmp_path, kind)
    result = load(runner, store_dir, path)
    assert result.exit_code == 1
    assert result.stderr == (f"[ERROR] {blamed}: file is 50.0 MB, more than the 32 MB an annotation file may "
                             "hold: split it into smaller files\n")
    assert dump(store_dir) == before
