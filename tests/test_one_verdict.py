"""One verdict: `autokg validate` and `autokg load` give the same verdict on every fixture in the
repository (examples, hostile corpus, SHACL counter-examples, brat, Label Studio, INCEpTION and
doccano files, the brat tutorial), with the same lines, each problem once.

load runs the loader's checks; validate runs the same checks and then the SHACL shapes as a
second, independent opinion. Whatever the shapes would refuse, the loader must refuse first
(with file:line), or load would store what validate rejects: this test holds them together
over every file the project ships or tests with.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .conftest import DATA, EXAMPLES, REGISTRY, SHARED, invoke

TESTS = Path(__file__).resolve().parent
HOSTILE = TESTS / "hostile"
SUFFIXES = {".yaml", ".ann", ".json", ".jsonl", ".xmi", ".tsv", ".ttl"}
BRAT_NEWS = EXAMPLES / "mappings" / "brat-news.yaml"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")
                  if p.suffix in SUFFIXES and p.name != "entities.yaml" and not p.name.endswith(".meta.yaml")
                  and "mappings" not in p.relative_to(folder).parts and not p.name.startswith("typesystem"))


def _cases() -> list[tuple[str, list[str]]]:
    """(case id, arguments after the command) for every fixture."""
    cases = [(f"examples/{p.relative_to(EXAMPLES)}", [str(p)]) for p in _files(EXAMPLES)]
    cases.append(("examples/ (all)", [str(EXAMPLES)]))
    expected = yaml.safe_load((HOSTILE / "expected.yaml").read_text(encoding="utf-8"))
    cases += [(f"hostile/{name}", ["--registry", str(REGISTRY), str(HOSTILE / name)]) for name in sorted(expected)]
    cases += [(f"shacl/{p.name}", [str(p)]) for p in sorted((TESTS / "shacl" / "counterexamples").glob("*.ttl"))]
    cases += [(f"data/{p.relative_to(DATA)}", [str(p)]) for p in _files(DATA)]
    # the tools' own test files, read as what they are, with the mappings that make them load
    for tool, mapping in (("inception", DATA / "inception" / "mappings" / "upstream.yaml"),
                          ("doccano", DATA / "doccano" / "mappings" / "upstream.yaml")):
        for p in _files(DATA / tool / "upstream"):
            fmt = {".tsv": "webanno", ".jsonl": "doccano"}.get(p.suffix, "inception")
            cases.append((f"data/{p.relative_to(DATA)} --mapping", ["--format", fmt, "--mapping", str(mapping), str(p)]))
    for p in _files(DATA / "inception" / "autokg"):
        cases.append((f"data/{p.relative_to(DATA)} --format", ["--format", "webanno" if p.suffix == ".tsv" else "inception",
                                                               "--registry", str(DATA / "interop" / "entities.yaml"),
                                                               str(p)]))
    tutorial = SHARED / "external" / "brat-news-tutorial"
    if tutorial.is_dir():
        for p in sorted(tutorial.glob("*.ann")):
            cases.append((f"brat-news/{p.name}", [str(p)]))
            cases.append((f"brat-news/{p.name} --mapping", ["--mapping", str(BRAT_NEWS), str(p)]))
    return cases


CASES = _cases()


def test_the_cases_cover_every_kind_of_fixture():
    ids = [case for case, _ in CASES]
    for prefix in ("examples/", "hostile/yaml/", "hostile/brat/", "hostile/labelstudio/", "shacl/",
                   "data/labelstudio/", "data/interop/", "data/inception/upstream/", "data/inception/autokg/",
                   "data/doccano/upstream/", "data/doccano/ft-"):
        assert any(i.startswith(prefix) for i in ids), prefix
    assert len(ids) > 150


@pytest.mark.parametrize("args", [a for _, a in CASES], ids=[c for c, _ in CASES])
def test_validate_and_load_give_one_verdict(runner, tmp_path, args):
    if any(a.endswith((".xmi", "-cas.json")) or "cassis" in a for a in args) and "--format" in args:
        pytest.importorskip("cassis")
    checked = invoke(runner, "memory", "validate", *args)
    loaded = invoke(runner, "memory", "load", *args)
    assert "Traceback" not in checked.output + checked.stderr + loaded.output + loaded.stderr
    assert (checked.exit_code, loaded.exit_code) in ((0, 0), (1, 1)), (checked.stderr, loaded.stderr)
    # the same problems and warnings, each printed once, each naming its file
    lines = checked.stderr.splitlines()
    assert lines == loaded.stderr.splitlines()
    assert len(lines) == len(set(lines))
    assert all(line.startswith(("[ERROR] ", "[WARNING] ")) for line in lines), lines
