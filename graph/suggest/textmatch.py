"""Text helpers for the suggester: accent and case folding that keeps offsets, tokens, sentences."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["fold", "Token", "tokens", "Sentence", "sentences"]

_QUOTES = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _QUOTES:
        return _QUOTES[ch]
    if ch.isascii():
        return ch.lower()
    base = unicodedata.normalize("NFKD", ch)[0]
    low = base.lower()
    # One character in, one out: offsets in the folded text are offsets in the original.
    return low if len(low) == 1 else base


def fold(text: str) -> str:
    """Lower case with accents removed and curly quotes straightened, the same length as ``text``."""
    return "".join(_fold_char(ch) for ch in text)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str  # as written
    folded: str


_TOKEN = re.compile(r"\w+(?:-\w+)*|[^\w\s]", re.UNICODE)


def tokens(text: str, folded: str | None = None) -> list[Token]:
    folded = fold(text) if folded is None else folded
    return [Token(m.start(), m.end(), text[m.start() : m.end()], folded[m.start() : m.end()]) for m in _TOKEN.finditer(folded)]


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    index: int


# Words whose full stop does not end a sentence.
_ABBREVIATIONS = {
    "u.s",
    "u.k",
    "mr",
    "mrs",
    "ms",
    "dr",
    "inc",
    "co",
    "ltd",
    "corp",
    "st",
    "no",
    "vs",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "gov",
    "sen",
    "rep",
    "e.g",
    "i.e",
    "n.v",
    "s.a",
    "jr",
    "sr",
}
_END = re.compile(r'[.!?]+["\u201d\u2019\')]*(?=\s+)')


def _inside_quote(piece: str) -> bool:
    if piece.count("\u201c") > piece.count("\u201d"):
        return True
    return piece.count('"') % 2 == 1


def sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; a bare fragment such as "Earlier this month." joins the next one."""
    out: list[Sentence] = []
    paragraph = 0
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        base = para.start()
        chunk = para.group(0)
        pieces: list[tuple[int, int]] = []
        start = 0
        for m in _END.finditer(chunk):
            before = re.search(r"([\w.]+)\.$", chunk[: m.start() + 1])
            word = before.group(1).lower() if before else ""
            if chunk[m.start()] == "." and word in _ABBREVIATIONS:
                continue
            rest = chunk[m.end() :].lstrip()
            if rest and rest[0].islower():
                continue
            if _inside_quote(chunk[start : m.end()]):
                continue  # a full stop inside a quotation does not end the sentence
            pieces.append((start, m.end()))
            start = m.end()
        if start < len(chunk):
            pieces.append((start, len(chunk)))
        merged: list[tuple[int, int]] = []
        carry: int | None = None
        for s, e in pieces:
            piece = chunk[s:e].strip()
            if not piece:
                continue
            if carry is None:
                carry = s
            if len(piece.split()) < 4 and (s, e) != pieces[-1]:
                continue  # too short to stand alone: joins what follows
            merged.append((carry, e))
            carry = None
        if carry is not None:
            merged.append((carry, len(chunk)))
        for s, e in merged:
            raw = chunk[s:e]
            lead = len(raw) - len(raw.lstrip())
            trail = len(raw.rstrip())
            out.append(Sentence(base + s + lead, base + s + trail, raw.strip(), paragraph, len(out)))
        paragraph += 1
    return out
