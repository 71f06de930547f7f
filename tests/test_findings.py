"""The README section "What the graph tells us" is what docs/what_the_graph_tells_us.py
generates from the example corpus today (the text; the screenshot is not compared)."""

from __future__ import annotations

import importlib.util

import pytest

from .conftest import ROOT

SCRIPT = ROOT / "docs" / "what_the_graph_tells_us.py"


@pytest.fixture(scope="module")
def findings_module():
    spec = importlib.util.spec_from_file_location("what_the_graph_tells_us", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(findings_module):
    store, report, formats = findings_module.load_corpus()
    try:
        yield findings_module.findings(store, report, formats)
    finally:
        store.close()


def test_readme_findings_match_what_the_script_generates(findings_module, generated):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(findings_module.START) == 1 and readme.count(findings_module.END) == 1
    assert findings_module.current_section(readme) == generated, (
        "README.md 'What the graph tells us' is stale: run `make findings`")


def test_findings_cover_the_questions_the_issue_asks_for(generated):
    for heading in ("### Who talked to whom", "### Tariffs by jurisdiction", "### Which tariffs hit which carmakers",
                    "### Contested and denied claims", "### Investigations and disputes",
                    "### Measures, their life cycle and official records", "### Brokers", "![",
                    "docs/corpus-view.png"):
        assert heading in generated
    assert "| Ford Motor Company | Xiaomi | negotiation |" in generated
    assert "denied by Ford Motor Company and Xiaomi" in generated
    assert "| BYD | 5 |" in generated                        # hit in five jurisdictions
    assert ("| China's anti-dumping investigation into canola from Canada | anti-dumping investigation | "
            "China's Ministry of Commerce (MOFCOM) | canola | 1205 | Canada | 2024-09 |") in generated
    assert "| DS626 | China | European Union |" in generated
    assert ("| US Section 232 tariff on imported automobiles | tariff | 2025-03-26 (Donald Trump); "
            "2025-03-26 (Global Trade Alert); 2025-03-26 (Reuters); 2025-04-02 (Global Times) |") in generated
    assert "Canadian 25% surtax on steel and aluminium products from China" in generated.split("hit no carmaker")[1]
    assert (ROOT / "docs" / "corpus-view.png").stat().st_size > 50_000


def test_replacing_the_section_keeps_the_rest_of_the_readme(findings_module):
    readme = f"# t\n\nbefore\n{findings_module.START}\nold\n{findings_module.END}\nafter\n"
    updated = findings_module.replace_section(readme, "new\n")
    assert updated == f"# t\n\nbefore\n{findings_module.START}\nnew\n{findings_module.END}\nafter\n"
    assert findings_module.current_section(updated) == "new\n"
