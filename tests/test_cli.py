"""The command line: exit codes, output formats, help with examples, README coverage."""

from __future__ import annotations

import csv
import io
import json

import pytest

from graph.cli import cli

from .conftest import EXAMPLES, REGISTRY, ROOT, SEED_ARTICLE, invoke


@pytest.fixture
def loaded(runner, tmp_path):
    store = tmp_path / "store"
    assert invoke(runner, store, "load", "--registry", str(REGISTRY), str(SEED_ARTICLE)).exit_code == 0
    return store


def test_load_reports_counts(runner, tmp_path):
    result = invoke(runner, tmp_path / "s", "load", str(EXAMPLES))
    assert result.exit_code == 0
    assert "Loaded " in result.output and "claim(s) into embedded store" in result.output


def test_who_talked_to_whom_csv_columns_and_statuses(runner, loaded):
    result = invoke(runner, loaded, "query", "who-talked-to-whom", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == ["party_a", "party_b", "kind", "topic", "status", "place", "reported_by",
                             "cited_sources", "denied_by", "date", "articles", "corroboration"]
    status = {frozenset((r["party_a"], r["party_b"])): r["status"] for r in rows}
    assert status[frozenset(("Ford Motor Company", "Xiaomi"))] == "denied"
    assert status[frozenset(("Ford Motor Company", "BYD"))] == "reported"


def test_json_is_sparql_results_json(runner, loaded):
    result = invoke(runner, loaded, "query", "contested-claims", "-f", "json")
    data = json.loads(result.output)
    assert data["head"]["vars"][0] == "claim"
    [row] = data["results"]["bindings"]
    assert row["anonymous_sources"] == {
        "type": "literal", "value": "4", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}


@pytest.mark.parametrize("fmt, marker", [("table", "(2 rows)"), ("tsv", "actor\ton_behalf_of"), ("md", "|---|")])
def test_other_formats(runner, loaded, fmt, marker):
    result = invoke(runner, loaded, "query", "reactions", "-f", fmt)
    assert result.exit_code == 0 and marker in result.output


def test_inline_query_and_file_query(runner, loaded, tmp_path):
    result = invoke(runner, loaded, "query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/NewsArticle> }",
                    "-f", "csv")
    assert result.output.splitlines() == ["n", "1"]
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\nSELECT ?h WHERE { ?a <https://schema.org/headline> ?h }\n")
    assert "Xiaomi rejects report" in invoke(runner, loaded, "query", str(path)).output


def test_out_writes_a_file(runner, loaded, tmp_path):
    out = tmp_path / "tariffs.csv"
    assert invoke(runner, loaded, "query", "tariffs", "-f", "csv", "--out", str(out)).exit_code == 0
    assert "US Section 232 tariff on imported automobiles" in out.read_text()


def test_memory_store_with_preload(runner):
    result = runner.invoke(cli, ["--store", "memory", "--load", str(SEED_ARTICLE), "--registry", str(REGISTRY),
                                 "query", "tariffs", "-f", "csv"])
    assert result.exit_code == 0 and ",25," in result.output


def test_errors_are_one_line_and_exit_1(runner, loaded):
    result = invoke(runner, loaded, "query", "no-such-question")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no query named 'no-such-question'")
    assert len(result.stderr.strip().splitlines()) == 1
    bad = invoke(runner, loaded, "query", "-e", "SELECT WHERE {")
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: invalid SPARQL")


def test_usage_errors_exit_2(runner, loaded):
    assert invoke(runner, loaded, "query", "tariffs", "--param", "novalue").exit_code == 2
    assert invoke(runner, loaded, "query", "tariffs", "--format", "xml").exit_code == 2
    assert runner.invoke(cli, ["frobnicate"]).exit_code == 2


def test_validate_examples(runner):
    result = runner.invoke(cli, ["validate", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert " 0 error(s), 0 warning(s)" in result.output


def test_stats(runner, loaded):
    result = invoke(runner, loaded, "stats", "-f", "csv")
    assert "articles,all,1" in result.output
    assert "claims by status,denied,1" in result.output


def test_remove(runner, loaded):
    result = invoke(runner, loaded, "remove", "xiaomi-denies-ford-talks-2026-02")
    assert result.exit_code == 0 and "Removed 1 article(s)." in result.output
    assert invoke(runner, loaded, "remove", "xiaomi-denies-ford-talks-2026-02").exit_code == 1


def _commands(group, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path, command", list(_commands(cli)), ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_has_help_with_an_example_and_is_in_the_readme(runner, path, command):
    result = runner.invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output, f"autokg {' '.join(path)} --help has no example"
    readme = (ROOT / "README.md").read_text()
    assert f"autokg {' '.join(path)}" in readme, f"autokg {' '.join(path)} is not in the README"


def test_top_level_help_has_an_example(runner):
    assert "Example:" in runner.invoke(cli, ["--help"]).output


def _run_on_terminal(args: list[str], columns: int) -> str:
    """Run the CLI on a pseudo-terminal of ``columns`` columns; return what it showed."""
    import os
    import pty
    import subprocess
    import sys

    try:
        leader, follower = pty.openpty()
    except OSError as exc:
        pytest.skip(f"no pseudo-terminal on this machine: {exc}")
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "50"}
    process = subprocess.Popen([sys.executable, "-m", "graph.cli", *args], stdin=follower, stdout=follower,
                               stderr=follower, env=env, close_fds=True)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is gone once the process has exited
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=60)
    os.close(leader)
    return shown.decode("utf-8").replace("\r\n", "\n")


def test_a_table_on_a_terminal_fits_its_width_and_a_pipe_gets_whole_cells(runner, loaded):
    args = ["--store", str(loaded), "query", "who-talked-to-whom"]
    shown = _run_on_terminal(args, 120)
    lines = [line for line in shown.splitlines() if line]
    assert lines[0].startswith("party_a") and lines[-1].endswith("rows)")
    assert max(len(line) for line in lines) <= 120
    assert "…" in shown  # long cells were clipped to make room
    narrow = _run_on_terminal(args, 60)  # 12 columns of at least 8 characters cannot fit: as narrow as they go
    assert 60 < max(len(line) for line in narrow.splitlines()) <= 12 * 8 + 11 * 2
    piped = invoke(runner, loaded, "query", "who-talked-to-whom").output
    assert max(len(line) for line in piped.splitlines()) > 120
    assert len(piped.splitlines()) == len(lines)


def test_a_listing_on_a_terminal_shows_its_first_page_and_says_how_to_see_the_rest(runner, tmp_path):
    from graph.cli import PAGE_ROWS

    store = tmp_path / "store"
    assert invoke(runner, store, "load", str(EXAMPLES)).exit_code == 0
    total = len(invoke(runner, store, "query", "timeline", "-f", "csv").output.splitlines()) - 1
    assert total > PAGE_ROWS  # a pipe gets every row
    shown = _run_on_terminal(["--store", str(store), "query", "timeline"], 200)
    lines = shown.splitlines()
    assert lines[-2] == f"({PAGE_ROWS} rows)"
    assert lines[-1] == (f"Rows 1-{PAGE_ROWS} of {total}. Next page: --offset {PAGE_ROWS}; "
                         "every row: --all (or -o FILE, or a pipe).")
    rest = _run_on_terminal(["--store", str(store), "query", "timeline", "--offset", str(PAGE_ROWS)], 200)
    end = min(2 * PAGE_ROWS, total)   # the examples may outgrow two pages
    assert rest.splitlines()[-1] == f"Rows {PAGE_ROWS + 1}-{end} of {total}." + (
        "" if end == total else f" Next page: --offset {end}; every row: --all (or -o FILE, or a pipe).")
    every = _run_on_terminal(["--store", str(store), "query", "timeline", "--all"], 200)
    assert every.splitlines()[-1] == f"({total} rows)"
    limited = invoke(runner, store, "query", "timeline", "-f", "csv", "--limit", "5", "--offset", "2")
    full = invoke(runner, store, "query", "timeline", "-f", "csv").stdout.splitlines()
    assert limited.stdout.splitlines() == full[:1] + full[3:8]
    assert limited.stderr == f"Rows 3-7 of {total}. Next page: --offset 7; every row: --all (or -o FILE, or a pipe).\n"
