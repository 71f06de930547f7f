"""A built wheel carries the ontology and the query files, and works installed on its own."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from .conftest import REGISTRY, ROOT, SEED_ARTICLE


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                             "-q", "-w", str(out), str(ROOT)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(result.stderr)
    [path] = out.glob("autokg-*.whl")
    return path


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
