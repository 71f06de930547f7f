"""Unix conventions: '-' is standard input or output, a missing output folder is one line,
--quiet and --verbose, a closed pipe is not a traceback, shell completion."""

from __future__ import annotations

import os
import subprocess
import sys

import pyoxigraph as ox
import pytest

from .conftest import REGISTRY, SEED_ARTICLE, invoke

ARTICLE = "xiaomi-denies-ford-talks-2026-02"


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    from graph import load_paths, open_store

    path = tmp_path_factory.mktemp("unix") / "store"
    store = open_store(str(path))
    load_paths(store, [SEED_ARTICLE], REGISTRY)
    store.close()
    return path


def inline_seed() -> bytes:
    """The seed article with its text inline: from standard input there is no folder for text_file."""
    import json

    yaml_text = SEED_ARTICLE.read_text(encoding="utf-8")
    name = "2026-02-xiaomi-denies-ford-talks.txt"
    text = (SEED_ARTICLE.parent / name).read_text(encoding="utf-8")
    return yaml_text.replace(f"text_file: {name}", f"text: {json.dumps(text)}").encode("utf-8")


def autokg(*args: str, input: bytes | None = None, cwd=None, store=None) -> subprocess.CompletedProcess:
    """The real command in a real process, with real pipes."""
    env = {**os.environ, "AUTOKG_STORE": str(store)} if store else dict(os.environ)
    return subprocess.run([sys.executable, "-m", "graph.cli", *args], input=input, capture_output=True,
                          cwd=cwd, env=env, timeout=300)


def test_export_out_dash_writes_nquads_to_stdout_and_no_file(seed_store, tmp_path):
    result = autokg("export", "--format", "nq", "--out", "-", cwd=tmp_path, store=seed_store)
    assert result.returncode == 0, result.stderr
    quads = list(ox.parse(result.stdout, ox.RdfFormat.N_QUADS))
    assert len(quads) > 1000
    assert not (tmp_path / "-").exists()
    assert result.stderr == b""


def test_query_out_dash_is_stdout(seed_store, tmp_path):
    result = autokg("query", "tariffs", "-f", "csv", "-o", "-", cwd=tmp_path, store=seed_store)
    assert result.returncode == 0 and b"US Section 232 tariff" in result.stdout
    assert not (tmp_path / "-").exists()


def test_load_dash_reads_the_article_from_stdin(tmp_path):
    store = tmp_path / "store"
    result = autokg("load", "--registry", str(REGISTRY), "-", input=inline_seed(), store=store)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"Loaded 1 article(s), 10 claim(s)")
    rows = autokg("query", "contested-claims", "-f", "csv", store=store)
    assert b"denied" in rows.stdout


def test_a_problem_in_stdin_is_reported_against_dash(tmp_path):
    bad = inline_seed().decode("utf-8").replace("headline:", "headlin:", 1)
    result = autokg("validate", "--registry", str(REGISTRY), "-", input=bad.encode(), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    assert lines and all(line.startswith("[ERROR] -:") for line in lines), lines
    assert "autokg-stdin" not in result.stderr.decode()
    loaded = autokg("load", "--registry", str(REGISTRY), "-", input=bad.encode(), store=tmp_path / "store")
    assert loaded.returncode == 1 and loaded.stderr.decode().startswith("[ERROR] -:")


def test_load_dash_finds_the_registry_in_the_current_folder(tmp_path):
    (tmp_path / "entities.yaml").write_bytes(REGISTRY.read_bytes())
    result = autokg("-v", "load", "-", input=inline_seed(), cwd=tmp_path, store=tmp_path / "store")
    assert result.returncode == 0, result.stderr
    assert f"Registry: {tmp_path / 'entities.yaml'}" in result.stderr.decode()


@pytest.mark.parametrize("how", ["dash", "dev-stdin"])
def test_query_reads_sparql_from_stdin(seed_store, how):
    sparql = b"SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://schema.org/NewsArticle> }\n"
    result = autokg("query", "-" if how == "dash" else "/dev/stdin", "-f", "csv", input=sparql, store=seed_store)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == ["n", "1"]


def test_query_file_with_parameters_from_stdin(seed_store):
    from graph.resources import queries_dir

    text = (queries_dir() / "entity-profile.rq").read_bytes()
    result = autokg("query", "-", "--param", "entity=Xiaomi", "-f", "csv", input=text, store=seed_store)
    assert result.returncode == 0, result.stderr
    assert b"Xiaomi" in result.stdout


OUT_COMMANDS = [
    ("query", "tariffs", "--out", "{out}"),
    ("stats", "--out", "{out}"),
    ("export", "--format", "nq", "--out", "{out}"),
    ("export", "--format", "csv", "--out", "{out}"),
    ("config", "labelstudio", "--out", "{out}"),
    ("view", "--out", "{out}"),
    ("analyze", "export", "--format", "gexf", "--out", "{out}"),
    ("analyze", "talks", "--out", "{out}"),
]


@pytest.mark.parametrize("args", OUT_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_out_into_a_missing_folder_is_one_line_and_exit_1(runner, seed_store, tmp_path, args):
    out = tmp_path / "nodir" / "x.out"
    result = invoke(runner, seed_store, *(a.format(out=out) for a in args))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {out}: folder {out.parent} does not exist (create it first)\n"
    assert not out.parent.exists()


def test_out_onto_a_folder_is_one_line(runner, seed_store, tmp_path):
    result = invoke(runner, seed_store, "query", "tariffs", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {tmp_path}: it is a folder\n"


def test_view_out_dash_writes_the_page_to_stdout(seed_store, tmp_path):
    result = autokg("view", "--out", "-", cwd=tmp_path, store=seed_store)
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().lower().startswith(b"<!doctype html")
    assert b"Wrote -" in result.stderr and not (tmp_path / "-").exists()


def test_quiet_says_nothing_but_results(tmp_path):
    store = tmp_path / "store"
    result = autokg("--quiet", "load", "--registry", str(REGISTRY), str(SEED_ARTICLE), store=store)
    assert result.returncode == 0 and result.stdout == b"" and result.stderr == b""
    result = autokg("-q", "export", "--out", str(tmp_path / "all.trig"), store=store)
    assert result.returncode == 0 and result.stdout == b"" and result.stderr == b""
    result = autokg("-q", "query", "tariffs", "-f", "csv", store=store)
    assert b"US Section 232" in result.stdout and result.stderr == b""


def test_verbose_says_what_it_opens_and_how_long_it_took(seed_store):
    result = autokg("--verbose", "query", "tariffs", "-f", "csv", store=seed_store)
    assert result.returncode == 0
    err = result.stderr.decode()
    assert f"Opened embedded store {seed_store}." in err
    assert "Query tariffs (" in err and "1 row(s) in " in err
    assert b"US Section 232" in result.stdout


def test_quiet_and_verbose_together_is_a_usage_error(runner):
    from graph.cli import cli

    assert runner.invoke(cli, ["-q", "-v", "queries"]).exit_code == 2


def test_a_closed_pipe_ends_quietly(seed_store, tmp_path):
    """`autokg export --out - | head -1`: no BrokenPipeError traceback."""
    process = subprocess.Popen([sys.executable, "-m", "graph.cli", "export", "--format", "nq", "--out", "-"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
                               env={**os.environ, "AUTOKG_STORE": str(seed_store)})
    assert process.stdout.readline()
    process.stdout.close()  # the reader goes away with most of the dump unread
    err = process.stderr.read()
    process.stderr.close()
    process.wait(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err
    assert process.returncode in (0, 141)


def _complete(words: str, cwd, store=None) -> list[str]:
    """What Tab offers after ``words`` in bash, through click's completion protocol."""
    env = {**os.environ, "_AUTOKG_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    if store:
        env["AUTOKG_STORE"] = str(store)
    result = subprocess.run([sys.executable, "-m", "graph.cli"], env=env, cwd=cwd, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line]


def test_completion_offers_query_names_parameters_and_entity_ids(seed_store, tmp_path):
    assert _complete("autokg query who", tmp_path) == ["who-talked-to-whom"]
    assert "tariffs" in _complete("autokg query ", tmp_path)
    assert _complete("autokg query entity-profile --param ent", tmp_path) == ["entity="]
    assert _complete("autokg query entity-profile --param entity=Xi", tmp_path, seed_store) == ["entity=xiaomi"]
    assert _complete("autokg analyze ego he", tmp_path, seed_store) == ["he-yadong"]
    assert _complete("autokg view --focus Ford", tmp_path, seed_store) == ["ford-motor-company"]
    assert _complete("autokg remove xia", tmp_path, seed_store) == [ARTICLE]
    assert _complete("autokg export --graph m", tmp_path, seed_store) == ["merged"]


def _bash_complete(line: str, words: list[str], cwd, store) -> list[str]:
    """What bash puts in COMPREPLY for ``line``, through the script autokg gives bash
    (``_AUTOKG_COMPLETE=bash_source``), with COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT
    as bash sets them: ``words`` is how bash splits the line (at ``=`` too, COMP_WORDBREAKS)."""
    bin_dir = os.path.dirname(sys.executable)
    assert os.path.exists(os.path.join(bin_dir, "autokg")), "autokg is installed beside the test's Python"
    script = ('eval "$(_AUTOKG_COMPLETE=bash_source autokg)"\n'
              'COMP_LINE="$1"; COMP_POINT=${#1}; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))\n'
              '_autokg_completion autokg; printf "%s\\n" "${COMPREPLY[@]}"\n')
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "AUTOKG_STORE": str(store)}
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", script, "bash", line, *words], env=env, cwd=cwd,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [w for w in result.stdout.splitlines() if w]


def test_bash_completes_an_entity_after_param_name_equals(seed_store, tmp_path):
    """bash splits ``entity=Xi`` into ``entity``, ``=``, ``Xi`` and replaces only ``Xi``: the
    entity id alone is offered, for ``entity=Xi`` and for ``entity=`` alike."""
    line = "autokg query entity-profile --param entity=Xi"
    words = ["autokg", "query", "entity-profile", "--param", "entity", "=", "Xi"]
    assert _bash_complete(line, words, tmp_path, seed_store) == ["xiaomi"]
    offered = _bash_complete(line[:-2], words[:-1], tmp_path, seed_store)
    assert "xiaomi" in offered and "he-yadong" in offered and not any("=" in w for w in offered)
    short = _bash_complete("autokg query entity-profile -p entity=Xi", [*words[:3], "-p", *words[4:]], tmp_path,
                           seed_store)
    assert short == ["xiaomi"]
    # a word without "=" as before: parameter names, and no store created by completing
    assert _bash_complete("autokg query entity-profile --param ent", words[:4] + ["ent"], tmp_path,
                          seed_store) == ["entity="]
    assert list(tmp_path.iterdir()) == []


def test_completion_never_creates_a_store(tmp_path):
    assert _complete("autokg analyze ego he", tmp_path) == []
    assert list(tmp_path.iterdir()) == []
