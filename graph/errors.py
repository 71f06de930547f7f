"""Errors raised by autokg.

    AutokgError                 root: every error a user can cause or meet
    ├── AnnotationError         an annotated article is wrong (one or more problems, each file:line)
    ├── RegistryError           the entity registry is wrong
    ├── UnknownEntityError      a name matches no entity (carries close matches)
    ├── QueryError              a query file, parameter or SPARQL text is wrong
    ├── AnalysisError           a network analysis or view cannot be done as asked
    ├── OutputError             an output file cannot be written (its folder is missing...)
    └── StoreError              the store cannot be opened, read or written
        └── StoreBusyError      another process holds the embedded store

The CLI turns each into one line per problem and exit status 1.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AutokgError", "Problem", "AnnotationError", "RegistryError",
    "UnknownEntityError", "QueryError", "AnalysisError", "OutputError", "StoreError", "StoreBusyError",
]


class AutokgError(Exception):
    """Root of every error autokg raises on purpose."""

    def lines(self) -> list[str]:
        """The message as one line per problem, as the CLI prints it."""
        return [str(self)]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of one file."""

    path: str
    line: int | None
    message: str
    severity: str = "ERROR"

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}" if self.line else self.path
        return f"[{self.severity}] {place}: {self.message}"


class AnnotationError(AutokgError):
    """An annotated article cannot be loaded; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class RegistryError(AnnotationError):
    """The entity registry file is wrong."""


class UnknownEntityError(AutokgError):
    """A name given by the user matches no entity in the store."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f"; close matches: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"unknown entity {name!r}{hint}")


class QueryError(AutokgError):
    """A query name, file, parameter or SPARQL text is wrong."""


class AnalysisError(AutokgError):
    """A network analysis or view cannot be done as asked (bad option, no connection)."""


class OutputError(AutokgError):
    """An output file cannot be written: its folder is missing or read-only, or it is a folder."""


class StoreError(AutokgError):
    """The store cannot be opened, read or written."""


class StoreBusyError(StoreError):
    """Another process is writing the embedded store."""
