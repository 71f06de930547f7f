"""Entity mentions as evidence: every place an article names an entity, as a W3C Web Annotation.

A mention is an ``oa:Annotation`` motivated by ``oa:identifying`` whose body is the entity
and whose target is the article with a TextQuoteSelector (the exact text) and a
TextPositionSelector (code-point offsets), the same selectors as a claim's evidence, and
checked the same way: the exact text is the article text between the offsets. brat and
Label Studio spans are mentions as they stand; in a YAML article the loader finds where the
names and aliases of the article's entities occur (``find_mentions``), unless the article
lists an entity's ``mentions`` itself. A mention that resolves to a registry entity is a
mention of that entity in that article, like any other.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..terms import OA, mention_iri

__all__ = ["Mention", "find_mentions", "mention_triples"]


@dataclass(frozen=True)
class Mention:
    """A span of the article naming an entity: ``entity`` as the document refers to it (an id
    or a name), [start, end) in code points, the exact text, and the line it was given on."""

    entity: str
    start: int
    end: int
    exact: str
    line: int | None = None


def _spaced(ch: str) -> bool:
    """A letter or digit of a script that puts spaces between words (so a name needs a word
    boundary there); Chinese, Japanese and Korean run words together."""
    return (ch.isalnum() or ch == "_") and unicodedata.east_asian_width(ch) not in ("W", "F")


def _whole(text: str, start: int, end: int, name: str) -> bool:
    """The name at [start, end) is whole words: no letter or digit runs on into it on a side
    where the name's own script spaces its words."""
    if start > 0 and _spaced(name[0]) and _spaced(text[start - 1]):
        return False
    return not (end < len(text) and _spaced(name[-1]) and _spaced(text[end]))


def find_mentions(text: str, names: Mapping[str, Iterable[str]]) -> list[Mention]:
    """Every place in ``text`` where a name of an entity occurs as whole words: ``names`` is
    entity -> its names and aliases. Where names overlap the longest wins ("Ford Motor
    Company", not "Ford"); one name of two entities goes to the first given."""
    owner: dict[str, str] = {}
    for entity, written in names.items():
        for name in written:
            name = " ".join(name.split())
            if len(name) >= 2 and name not in owner:
                owner[name] = entity
    # str.find per name (C speed, no regex to compile per article), longest names first so
    # a shorter name inside a longer one's span is left out
    taken: list[tuple[int, int]] = []
    out = []
    for name in sorted(owner, key=len, reverse=True):
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            if _whole(text, at, end, name) and not any(s < end and at < e for s, e in taken):
                taken.append((at, end))
                out.append(Mention(owner[name], at, end, name))
            at = text.find(name, at + 1)
    return sorted(out, key=lambda m: (m.start, m.end))


_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_XSD_NNI = "<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>"
_T = {name: f"<{OA[name]}>" for name in (
    "Annotation", "identifying", "motivatedBy", "hasBody", "hasTarget", "hasSource", "hasSelector",
    "TextQuoteSelector", "TextPositionSelector", "exact", "start", "end", "SpecificResource")}


def mention_triples(article_id: str, article_iri: str, mentions: Iterable[tuple[str, Mention]]) -> list[str]:
    """N-Triples lines for ``mentions`` (entity IRI, mention) of one article. A mention is named
    by its offsets, so adding one to an article leaves the others' IRIs as they were."""
    from ..assertions import literal

    lines: list[str] = []
    source = f"<{article_iri}>"
    seen: set[str] = set()
    for entity, m in mentions:
        name = f"{m.start}-{m.end}"
        n = 1
        while name in seen:     # one span naming two entities
            n += 1
            name = f"{m.start}-{m.end}-{n}"
        seen.add(name)
        base = mention_iri(article_id, name)
        anno, target, quote, position = f"<{base}>", f"<{base}/target>", f"<{base}/quote>", f"<{base}/position>"
        lines += [
            f"{anno} {_RDF_TYPE} {_T['Annotation']} .",
            f"{anno} {_T['motivatedBy']} {_T['identifying']} .",
            f"{anno} {_T['hasBody']} <{entity}> .",
            f"{anno} {_T['hasTarget']} {target} .",
            f"{target} {_RDF_TYPE} {_T['SpecificResource']} .",
            f"{target} {_T['hasSource']} {source} .",
            f"{target} {_T['hasSelector']} {quote} .",
            f"{target} {_T['hasSelector']} {position} .",
            f"{quote} {_RDF_TYPE} {_T['TextQuoteSelector']} .",
            f"{quote} {_T['exact']} {literal(m.exact)} .",
            f"{position} {_RDF_TYPE} {_T['TextPositionSelector']} .",
            f'{position} {_T["start"]} "{m.start}"^^{_XSD_NNI} .',
            f'{position} {_T["end"]} "{m.end}"^^{_XSD_NNI} .',
        ]
    return lines
