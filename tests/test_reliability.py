"""The README's Reliability table is what tests/reliability_table.py prints from the suite's data."""

from __future__ import annotations

from .conftest import ROOT
from .reliability_table import table


def test_the_readme_reliability_table_is_up_to_date():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Reliability\n", 1)[1].split("\n## ", 1)[0]
    assert table() in section, "run `python -m tests.reliability_table` and paste its output into the README"
