"""Dates in article text, normalised against the publication date.

"April 2, 2025" -> 2025-04-02; "October 4" -> the publication year ("October 4 last year",
"in March next year": the year before or after); "on Sunday" -> the last
Sunday on or before publication (its month if the publication date has no day); "earlier
this month" -> the publication month; "last week" -> the month a week before; "in 2023" -> 2023.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["DateMention", "find_dates", "parse_publication_date", "MONTH_NAMES", "WEEKDAYS"]

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
MONTHS = {m: i for i, m in enumerate(MONTH_NAMES, start=1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_M = (r"(january|february|march|april|may|june|july|august|september|october|november|december"
      r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?")
_PATTERNS = [
    ("mdy", re.compile(_M + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")),
    ("dmy", re.compile(r"\b(\d{1,2})\s+" + _M + r"\s+(\d{4})\b")),
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    # "October 30" (the publication year), "October 30 last year" (the year before)
    ("md", re.compile(_M + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s*\d{4})(?:,?\s+(last|next|this)\s+year\b)?")),
    ("my", re.compile(_M + r"\s+(\d{4})\b")),
    ("in_month", re.compile(r"\b(?:in|since|from|until|by|of|early|late|mid)\s+(?:early\s+|late\s+|mid-)?" + _M
                            + r"(?!\s+\d)(?:\s+(last|next|this)\s+year\b)?")),
    (
        "weekday",
        re.compile(r"\b(?:on|last|this|since|from|until|by)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"),
    ),
    (
        "relative",
        re.compile(
            r"\b(earlier this month|later this month|this month|last month|earlier this year|this year|"
            r"last year|last week|this week|earlier this week|yesterday|today)\b"
        ),
    ),
    ("year", re.compile(r"\b(?:in|since|from|until|by|of|early|late)\s+((?:19|20)\d{2})\b")),
]


_YEAR_OFFSET = {None: 0, "this": 0, "last": -1, "next": 1}  # "October 30 last year"


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY
    exact: bool  # read from the text as written, not worked out from the publication date
    ahead: str | None = None  # for a weekday: the one on or after publication ("will take effect on Wednesday")


def parse_publication_date(value: str | None) -> tuple[int | None, int | None, int | None]:
    if not value:
        return None, None, None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(value))
    if not m:
        return None, None, None
    return tuple(int(x) if x else None for x in m.groups())  # type: ignore[return-value]


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _ymd(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(folded: str, text: str, publication: str | None, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Every date expression in ``folded[start:end]``, normalised, in text order, not overlapping."""
    end = len(folded) if end is None else end
    py, pm, pd = parse_publication_date(publication)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded, start, end):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if not _months_capitalised(m, text):
                continue  # "may" the verb, not May the month
            value, exact = _value(kind, m, py, pm, pd)
            if value:
                taken.append((m.start(), m.end()))
                ahead = _weekday_ahead(m.group(1), py, pm, pd) if kind == "weekday" else None
                found.append(DateMention(m.start(), m.end(), text[m.start() : m.end()], value, exact, ahead))
    return sorted(found, key=lambda d: d.start)


def _weekday_ahead(day: str, py, pm, pd) -> str | None:
    if py is None or pm is None or pd is None:
        return None
    published = dt.date(py, pm, pd)
    return (published + dt.timedelta(days=(WEEKDAYS[day] - published.weekday()) % 7)).isoformat()


def _months_capitalised(m: re.Match, text: str) -> bool:
    for i, group in enumerate(m.groups(), start=1):
        if group in MONTHS or group in WEEKDAYS:
            if not text[m.start(i)].isupper():
                return False
    return True


def _value(kind: str, m: re.Match, py, pm, pd) -> tuple[str | None, bool]:
    g = m.groups()
    if kind == "mdy":
        return _ymd(int(g[2]), MONTHS[g[0]], int(g[1])), True
    if kind == "dmy":
        return _ymd(int(g[2]), MONTHS[g[1]], int(g[0])), True
    if kind == "iso":
        return _ymd(int(g[0]), int(g[1]), int(g[2])), True
    if kind == "my":
        return _ym(int(g[1]), MONTHS[g[0]]), True
    if kind == "year":
        return g[0], True
    if py is None:
        return None, False
    if kind == "md":
        return _ymd(py + _YEAR_OFFSET[g[2]], MONTHS[g[0]], int(g[1])), False
    if kind == "in_month":
        return _ym(py + _YEAR_OFFSET[g[1]], MONTHS[g[0]]), False
    if kind == "weekday":
        if pm is None:
            return str(py), False
        if pd is None:
            return _ym(py, pm), False
        published = dt.date(py, pm, pd)
        back = (published.weekday() - WEEKDAYS[g[0]]) % 7
        return (published - dt.timedelta(days=back)).isoformat(), False
    phrase = g[0]
    if phrase in ("this year", "earlier this year"):
        return str(py), False
    if phrase == "last year":
        return str(py - 1), False
    if pm is None:
        return None, False
    if phrase in ("earlier this month", "later this month", "this month", "this week", "earlier this week"):
        return _ym(py, pm), False
    if phrase == "last month":
        return (_ym(py - 1, 12) if pm == 1 else _ym(py, pm - 1)), False
    if pd is None:
        return (_ym(py, pm) if phrase in ("today", "yesterday", "last week") else None), False
    published = dt.date(py, pm, pd)
    delta = {"today": 0, "yesterday": 1, "last week": 7}[phrase]
    day = published - dt.timedelta(days=delta)
    return (day.isoformat() if phrase != "last week" else _ym(day.year, day.month)), False
