"""Where the ontology and query files live, from a source checkout or an installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["ontology_dir", "queries_dir", "ontology_file", "shapes_file"]


@cache
def _package_data(name: str) -> Path:
    # In a wheel the folders are packaged as graph/ontology and graph/queries;
    # in a source checkout (editable install, tests) they sit beside graph/.
    here = Path(__file__).resolve().parent
    for candidate in (here / name, here.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"autokg package data folder {name!r} is missing")


def ontology_dir() -> Path:
    return _package_data("ontology")


def queries_dir() -> Path:
    return _package_data("queries")


def ontology_file() -> Path:
    return ontology_dir() / "autokg.ttl"


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"
