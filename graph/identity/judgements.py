"""The judgement file: a person's decisions on identity, which every later load obeys.

``judgements.yaml`` sits beside the entity registry. ``autokg review`` writes it; it is
plain data, so it can be edited, diffed and reviewed like the registry::

    judgements:
      - claims: [ft-ford-xiaomi-report/ford-xiaomi-talks, ford-denial/ford-xiaomi-jv-talks]
        verdict: different          # same | different | unsure
      - name: China's Ministry of Commerce
        entity: mofcom
        verdict: same

A claim is named ``<article id>/<event id>``: the article that states it and the id it has
there, which stay the same whatever node the claim is merged into. ``same`` on two claims
merges them, ``different`` keeps (or splits) them apart, ``unsure`` records that someone
looked. ``same`` on a name makes the name an alias of the entity for every load;
``different`` and ``unsure`` silence the load's warning for that name and entity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AnnotationError
from ..readers.annotations import Collector
from ..readers.yamlsource import YDict, line_of, read_yaml

__all__ = ["Judgement", "Judgements", "read_judgements", "write_judgement", "JUDGEMENTS_FILENAME", "VERDICTS",
           "judgements_beside", "apply_name_judgements"]

JUDGEMENTS_FILENAME = "judgements.yaml"
VERDICTS = ("same", "different", "unsure")
_HEADER = ("# Identity judgements: decisions on which claims and names are the same.\n"
           "# Written by `autokg review --judge`, obeyed by every `autokg load` (see README, Review).\n")


@dataclass(frozen=True)
class Judgement:
    """One decision: two claims (``claims``) or a name and an entity, and the verdict."""

    verdict: str
    claims: tuple[str, str] | None = None
    name: str | None = None
    entity: str | None = None
    line: int | None = None


@dataclass
class Judgements:
    """Every judgement of a file, with look-ups for the loader."""

    items: list[Judgement] = field(default_factory=list)
    path: str | None = None

    def _claims(self, ref: str, verdict: str) -> list[str]:
        if not self.items:
            return []
        out = []
        for j in self.items:
            if j.claims and j.verdict == verdict and ref in j.claims:
                out.append(j.claims[1] if j.claims[0] == ref else j.claims[0])
        return out

    def same_as(self, ref: str) -> list[str]:
        return self._claims(ref, "same")

    def different_from(self, ref: str) -> set[str]:
        return set(self._claims(ref, "different"))

    def verdict_for_claims(self, a: str, b: str) -> str | None:
        found = None
        for j in self.items:
            if j.claims and set(j.claims) == {a, b}:
                found = j.verdict
        return found

    def verdict_for_name(self, name: str, entity: str) -> str | None:
        found = None
        for j in self.items:
            if j.name == name and j.entity == entity:
                found = j.verdict
        return found

    def aliases(self) -> list[tuple[str, str]]:
        """(name, entity id) for every name judged the same as an entity."""
        return [(j.name, j.entity) for j in self.items if j.name and j.entity and j.verdict == "same"
                and self.verdict_for_name(j.name, j.entity) == "same"]


def judgements_beside(registry: Path | str | None) -> Path | None:
    """Where the judgement file of a registry is (it need not exist yet)."""
    return Path(registry).with_name(JUDGEMENTS_FILENAME) if registry else None


def read_judgements(path: Path | str | None) -> Judgements:
    """The judgements in ``path``; none if there is no such file. Bad entries fail with file:line."""
    if path is None or not Path(path).is_file():
        return Judgements(path=str(path) if path else None)
    data = read_yaml(Path(path))
    out = Collector(str(path))
    result = Judgements(path=str(path))
    items = data.get("judgements") if isinstance(data, YDict) else None
    if data is not None and not (isinstance(data, YDict) and isinstance(items, list | None)):
        out.add(line_of(data) or 1, "a judgement file is a mapping with a 'judgements' list")
        raise AnnotationError(out.problems)
    for i, item in enumerate(items or []):
        line = line_of(items, i)
        if not isinstance(item, YDict):
            out.add(line, "each judgement is a mapping with 'verdict' and 'claims' or 'name' + 'entity'")
            continue
        verdict = item.get("verdict")
        if verdict not in VERDICTS:
            out.add(line_of(item, "verdict") or line, f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
            continue
        claims = item.get("claims")
        if claims is not None:
            if (not isinstance(claims, list) or len(claims) != 2
                    or not all(isinstance(c, str) and c.count("/") == 1 for c in claims)):
                out.add(line_of(item, "claims") or line, "'claims' must be two claims written <article id>/<event id>")
                continue
            result.items.append(Judgement(verdict, (claims[0], claims[1]), line=line))
        elif isinstance(item.get("name"), str) and isinstance(item.get("entity"), str):
            result.items.append(Judgement(verdict, name=item["name"], entity=item["entity"], line=line))
        else:
            out.add(line, "a judgement needs 'claims' (two claims) or 'name' and 'entity'")
    out.raise_if_any()
    return result


def write_judgement(path: Path | str, judgement: Judgement) -> None:
    """Append ``judgement`` to the file at ``path`` (made if missing), whole or not at all."""
    import os
    import tempfile

    import yaml

    path = Path(path)
    existing = path.read_text(encoding="utf-8") if path.is_file() else _HEADER + "judgements:\n"
    if not existing.endswith("\n"):
        existing += "\n"
    entry: dict = {}
    if judgement.claims:
        entry["claims"] = list(judgement.claims)
    else:
        entry["name"], entry["entity"] = judgement.name, judgement.entity
    entry["verdict"] = judgement.verdict
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)
    text = existing + "".join("  " + line + "\n" for line in block.splitlines())
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def apply_name_judgements(index, judgements: Judgements) -> None:
    """Make every name judged ``same`` as a registry entity an alias of it in ``index``."""
    for name, entity in judgements.aliases():
        decl = index.entities.get(entity)
        if decl is not None and name not in decl.aliases:
            decl.aliases.append(name)
            index.add(decl)
