"""A built wheel carries the ontology and the query files, and works installed on its own."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import REGISTRY, ROOT, SEED_ARTICLE


def _build_wheel(out) -> tuple[Path, str]:
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                             "-w", str(out), str(ROOT)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(result.stderr)
    [path] = out.glob("autokg-*.whl")
    return path, result.stdout + result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return _build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def wheel(built):
    return built[0]


def test_building_the_wheel_warns_about_nothing(built):
    _, log = built
    warnings = [line for line in log.splitlines() if "warn" in line.lower()]
    assert not warnings, "\n".join(warnings)


def test_every_file_of_the_package_is_in_the_wheel(wheel):
    """Subpackages and their data ship without a list to keep up to date (graph/readers,
    graph/templates, and the ontology and queries folders linked into graph/)."""
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "graph"
    expected = set()
    for folder, _, files in os.walk(package, followlinks=True):
        if "__pycache__" in folder:
            continue
        for name in files:
            if not name.endswith((".pyc", ".part")):
                expected.add((Path(folder) / name).relative_to(ROOT).as_posix())
    assert expected - names == set()


def test_wheel_contains_package_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("graph/ontology/autokg.ttl", "graph/ontology/shapes.ttl", "graph/queries/tariffs.rq",
                   "graph/queries/internal/claim-status.ru", "graph/queries/internal/entity-names.rq",
                   "graph/cli.py"):
        assert needed in names, needed
    assert not any(n.startswith(("tests/", "examples/")) for n in names)


def test_installed_wheel_answers_queries(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True)
    code = ("import graph, graph.resources as r; "
            f"assert str(r.queries_dir()).startswith({str(target)!r}), r.queries_dir(); "
            f"s = graph.open_store('memory'); graph.load_paths(s, [{str(SEED_ARTICLE)!r}], {str(REGISTRY)!r}); "
            "print(len(graph.run_query(s, 'who-talked-to-whom').rows))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                            env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "5"
