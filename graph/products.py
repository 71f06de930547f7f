"""Products by HS code: the Harmonized System headings autokg knows, and code checks.

The headings are data (``graph/data/hs-headings.yaml``), read once on first use. Codes are
compared by their digits, so ``8507.60`` and ``850760`` are the same subheading, and a
code covers every longer code that starts with it (chapter 87 covers heading 8703).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["HSHeading", "hs_headings", "hs_digits", "hs_heading", "hs_code_problem", "hs_code_problems", "hs_overlap"]

_CODE = re.compile(r"^[0-9]{2}(?:[0-9]{2}(?:\.?[0-9]{2})?)?$")
_FILE = Path(__file__).resolve().parent / "data" / "hs-headings.yaml"


@dataclass(frozen=True)
class HSHeading:
    code: str       # as the nomenclature writes it: "87", "8703", "8507.60"
    short: str      # what tables say: "passenger cars"
    label: str      # the nomenclature's text, abridged


def hs_digits(code: str) -> str:
    """The digits of an HS code: ``"8507.60"`` -> ``"850760"``."""
    return code.replace(".", "").strip()


@cache
def hs_headings() -> dict[str, HSHeading]:
    """Every heading autokg knows, by its digits."""
    import yaml

    data = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    return {hs_digits(str(h["code"])): HSHeading(str(h["code"]), h["short"], h["label"]) for h in data["headings"]}


def hs_heading(code: str) -> HSHeading | None:
    """The most specific known heading ``code`` falls under (itself, its heading or its chapter)."""
    digits = hs_digits(code)
    known = hs_headings()
    for length in (6, 4, 2):
        if len(digits) >= length and digits[:length] in known:
            return known[digits[:length]]
    return None


def hs_code_problem(code: object) -> str | None:
    """Why ``code`` is not a usable HS code, or None."""
    text = str(code).strip()
    if not _CODE.match(text):
        return (f"HS code {text!r} must be a chapter (2 digits), a heading (4) or a subheading (6, "
                "with an optional dot after the heading), such as 87, 8703 or 8507.60")
    if hs_heading(text) is None:
        return (f"HS code {text!r} is not under any heading autokg knows "
                "(add it to graph/data/hs-headings.yaml)")
    return None


def hs_overlap(a: str, b: str) -> bool:
    """Whether two codes cover common goods: one is the other or falls under it."""
    x, y = hs_digits(a), hs_digits(b)
    return x.startswith(y) or y.startswith(x)


def hs_code_problems(entities, source: str) -> list:
    """A Problem for every entity's ``hs_code`` that is malformed or under no known heading."""
    from .errors import Problem
    from .schema import load_schema

    hs_code = load_schema().properties["hsCode"]
    problems = []
    for decl in entities:
        for key, values in decl.props.items():
            if load_schema().property_named(key) is not hs_code:
                continue
            for value in values:
                if isinstance(value.raw, float):
                    why = (f"HS code {value.raw!r} reads as a number and loses its digits: "
                           f"write it in quotes, such as \"{value.raw:.2f}\"")
                else:
                    why = hs_code_problem(value.raw)
                if why:
                    problems.append(Problem(source, value.line, f"entity {decl.id!r}: {why}"))
    return problems
