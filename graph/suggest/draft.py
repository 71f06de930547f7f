"""From the rules' findings to a draft annotation: autokg YAML, brat stand-off, Label Studio predictions."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AnnotationError, Problem
from ..readers.annotations import find_quote
from ..registry import EntityIndex, normalise_name
from ..terms import slugify
from .entities import EntityMatcher, NewEntity, cues
from .rules import Analysis, Claim, TariffFact, analyse, policy_action

__all__ = ["Source", "Draft", "read_source", "make_draft", "draft_yaml"]


@dataclass
class Source:
    """An article to suggest annotations for: its text and what is known about it."""

    path: str
    text: str
    article_id: str
    headline: str
    publisher: str
    date: str
    url: str | None = None
    text_file: str | None = None  # the .txt the text was read from, unchanged


_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}(?:-\d{2})?)(?!\d)")


def read_source(
    path: Path | str,
    *,
    publisher: str | None = None,
    date: str | None = None,
    headline: str | None = None,
    article_id: str | None = None,
    index: EntityIndex | None = None,
) -> Source:
    """Read a .txt article, or a saved .html page (main text, title, date and site through trafilatura)."""
    path = Path(path)
    where = str(path)
    from ..readers.inputfile import UnreadableInput, read_input

    try:
        raw = read_input(path)           # regular files only, with the size limit every input has
    except UnreadableInput as exc:
        raise AnnotationError([Problem(where, None, exc.reason)]) from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnnotationError([Problem(where, None, "not valid UTF-8")]) from None
    meta: dict = {}
    text_file = None
    if path.suffix.lower() in (".html", ".htm"):
        text, meta = _html_text(content, where)
    else:
        text, text_file = content, path.name
    if not text.strip():
        raise AnnotationError([Problem(where, None, "no article text found")])
    first_line = next(
        (
            line.strip()
            for line in text.splitlines()
            if line.strip() and not re.search(r"\b(?:Photo|Image|Credit|Picture):", line)
        ),
        "",
    )
    headline = headline or meta.get("title") or (first_line if len(first_line) <= 200 else first_line[:80] + "…")
    date = date or meta.get("date") or _date_from_name(path.name)
    if not date:
        raise AnnotationError([Problem(where, None, "no publication date: give --date YYYY-MM-DD (or YYYY-MM)")])
    publisher = publisher or meta.get("sitename")
    if not publisher:
        raise AnnotationError([Problem(where, None, "no publisher: give --publisher (a registry id or name)")])
    if index is not None:
        publisher = index.resolve(publisher) or slugify(publisher)
    else:
        publisher = slugify(publisher)
    return Source(
        where, text, article_id or slugify(path.stem), headline, publisher, str(date), url=meta.get("url"), text_file=text_file
    )


def _date_from_name(name: str) -> str | None:
    m = _DATE_IN_NAME.search(name)
    return m.group(1) if m else None


def _html_text(html: str, where: str) -> tuple[str, dict]:
    """The main text of a saved page, paragraphs apart by a blank line, the headline first."""
    try:
        import trafilatura
    except ImportError:
        raise AnnotationError([Problem(where, None, "reading .html needs trafilatura: pip install 'autokg[suggest]'")]) from None
    body = (
        trafilatura.extract(
            html, output_format="txt", include_comments=False, include_tables=False, favor_precision=True, deduplicate=False
        )
        or ""
    )
    found = trafilatura.extract_metadata(html)
    meta = {}
    if found is not None:
        for key in ("title", "date", "sitename", "url"):
            value = getattr(found, key, None)
            if value:
                meta[key] = value
    paragraphs = [" ".join(line.split()) for line in body.splitlines() if line.strip()]
    title = meta.get("title")
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    return "\n\n".join(paragraphs) + "\n", meta


# --- the draft ----------------------------------------------------------------------------------


@dataclass
class DraftItem:
    data: dict
    notes: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """A suggested annotation: article metadata, entities and events, each with why and how sure."""

    source: Source
    article: dict
    entities: list[DraftItem]
    events: list[DraftItem]
    mentions: dict[str, int]
    analysis: Analysis

    @property
    def uncertain(self) -> int:
        return sum(1 for item in self.entities + self.events if any(n.startswith("CHECK") for n in item.notes))


_KIND_SLUG = {
    "TariffImposition": "imposes",
    "TariffIncrease": "raises",
    "TariffReduction": "cuts",
    "TariffSuspension": "suspends",
}


def make_draft(
    source: Source, index: EntityIndex, matcher: EntityMatcher | None = None, text_file: str | None = None, known=None,
    stored: dict[str, tuple[str, str]] | None = None,
) -> Draft:
    """Run the rules over ``source`` and lay the findings out as an autokg article.

    ``known`` (a ``graph.suggest.known.Known``): tariffs and claims other articles state;
    a suggestion that matches one reuses its id and says which article states it.
    ``stored``: suggested claim id -> (id, article) of the claim the store holds under the
    same claim key (``graph.suggest.store_matches``).
    """
    stored_claims = stored or {}
    # the entities other articles declare are found by name as the registry's are, and declared again here
    rules_index, rules_matcher = known.extend(index) if known is not None and known.entities else (index, None)
    analysis = analyse(source.text, publication_date=source.date, publisher=source.publisher, index=rules_index,
                       matcher=rules_matcher or matcher)
    if rules_matcher is not None:
        by_id = {e.id: e for e in known.entities}
        for m in analysis.mentions:
            e = by_id.get(m.entity)
            if e is not None and m.entity not in index.entities and m.entity not in analysis.new_entities:
                props = {"country": e.country} if e.country else {}
                analysis.new_entities[e.id] = NewEntity(e.id, e.type, e.name, 0.9, f"declared by article {e.article}",
                                                        props=props, declared_by=e.article)
    names = _Names(index, analysis)
    article = {"id": source.article_id, "headline": source.headline, "publisher": source.publisher, "date": source.date}
    if source.url:
        article["url"] = source.url
    article["language"] = "en"
    if text_file:
        article["text_file"] = text_file
    else:
        article["text"] = source.text

    used: set[str] = set()
    taken_ids: set[str] = set(index.entities)
    tariff_items = []
    declared: set[str] = set()
    for fact in analysis.tariffs:
        if not fact.imposed_by:
            continue  # a rate nobody is said to impose: no tariff the shapes accept
        same = known.tariff(fact.rate, fact.imposed_by, fact.goods, fact.target_company, fact.targets) if known else None
        if same is not None:
            fact.id, fact.name = same.id, dict(same.values).get("name", same.id)
            if same.id in declared:
                continue
            declared.add(same.id)
            data = {"id": same.id}
            for key, value in same.values:
                data[key] = list(value) if isinstance(value, tuple) else value
            used.update(str(v) for k, v in data.items() if k in ("goods", "imposed_by", "target_company", "legal_basis"))
            tariff_items.append(
                DraftItem(
                    data,
                    [
                        f"the tariff article {same.article} states (id and values reused); "
                        f"this text: {_short(source.text[fact.evidence[0][0] : fact.evidence[0][1]])!r}"
                    ],
                )
            )
            continue
        fact.name = names.tariff_name(fact)
        fact.id = _unique(slugify(fact.name), taken_ids)
        data = {"id": fact.id, "type": fact.type, "name": fact.name, "rate": _number(fact.rate)}
        if fact.goods:
            data["goods"] = [fact.goods, *fact.more_goods] if fact.more_goods else fact.goods
        if fact.effective_date:
            data["effective_date"] = fact.effective_date
        if fact.imposed_by:
            data["imposed_by"] = fact.imposed_by
        if fact.targets:
            data["target_jurisdiction"] = fact.targets if len(fact.targets) > 1 else fact.targets[0]
        if fact.target_company:
            data["target_company"] = fact.target_company
        if fact.legal_basis:
            data["legal_basis"] = fact.legal_basis
        used.update(v for k, v in data.items() if k in ("imposed_by", "target_company", "legal_basis"))
        used.update([fact.goods, *fact.more_goods] if fact.goods else [])
        used.update(fact.targets)
        notes = [
            f"rule: tariff  score: {fact.score:.2f}  evidence: {_short(source.text[fact.evidence[0][0] : fact.evidence[0][1]])!r}"
        ]
        notes += [f"CHECK {c}" for c in fact.checks]
        tariff_items.append(DraftItem(data, notes))

    claims = [c for c in analysis.claims if _complete(c)]
    for claim in claims:
        claim.id = _unique(_claim_slug(claim, names), taken_ids)
    for claim in claims:
        if claim.id in stored_claims:
            claim.id, claim.stored = stored_claims[claim.id]
    if known is not None:
        # claims other claims point at first, so a denial's key names the reused id
        for claim in sorted(claims, key=lambda c: c.kind in ("Denial", "Confirmation", "Report", "Statement")):
            stored = known.claim(claim.kind, _role_sets(claim))
            if stored is not None and stored.id not in {c.id for c in claims if c is not claim}:
                claim.id, claim.stored = stored.id, stored.article
    events = []
    for claim in claims:
        data = {"id": claim.id, "type": claim.kind}
        for role, values in claim.roles.items():
            out = []
            for v in values:
                if isinstance(v, Claim):
                    if v in claims:
                        out.append(v.id)
                elif isinstance(v, TariffFact):
                    if v.id:
                        out.append(v.id)
                else:
                    out.append(v)
                    if isinstance(v, str) and role not in _TEXT_ROLES:
                        used.add(v)
            if out:
                data[role] = out if len(out) > 1 else out[0]
        if policy_action(claim.kind) and not data.get("policy"):
            continue
        if claim.date:
            data["date"] = claim.date
        data["evidence"] = [_evidence(source.text, s, e) for s, e in claim.evidence]
        notes = [
            f"rule: {claim.rule}  score: {claim.score:.2f}"
            + (f"  (the claim article {claim.stored} states: id reused)" if claim.stored else "")
        ]
        notes += [f"CHECK {c}" for c in claim.checks]
        events.append(DraftItem(data, notes))

    entities: list[DraftItem] = []
    for person, posts in analysis.positions.items():
        used.add(person)
        used.update(org for org, _ in posts)
    used |= _referenced_by_new(used, analysis.new_entities)
    for ent_id in sorted(used):
        if ent_id in analysis.new_entities:
            new = analysis.new_entities[ent_id]
            data = {"id": new.id, "type": new.type, "name": new.name, **new.props}
            notes = [f"the entity article {new.declared_by} declares (id, type and name reused)" if new.declared_by
                     else f"new entity, type from cue words ({new.why})  score: {new.score:.2f}"]
            dupe = _probable_duplicate(new, index)
            if dupe is not None:
                notes.append(f"CHECK probably {dupe.entity} ({dupe.known_name!r}, {dupe.reason}, score {dupe.score:.2f}): "
                             f"if so, use that id")
            elif new.type == "AgentGroup":
                notes.append("CHECK an unnamed group of this article: say in its name what it is (whose analysts, of what)")
            elif new.score < 0.7:
                notes.append("CHECK the type is a guess")
            entities.append(DraftItem(data, notes))
    for person, posts in analysis.positions.items():
        known = set()
        decl = index.entities.get(person)
        if decl:
            known = {(index.resolve(str(p.organization.raw)) or str(p.organization.raw), p.role.lower()) for p in decl.positions}
        # a post the registry holds already (or one with another role at the same organisation) is not repeated
        known_orgs = {org for org, _ in known}
        fresh = [
            {"organization": org, "role": role}
            for org, role in posts
            if (org, role.lower()) not in known and org not in known_orgs
        ]
        if not fresh:
            continue
        item = next((e for e in entities if e.data["id"] == person), None)
        if item is None:
            item = DraftItem({"id": person}, ["a post named in the text"])
            entities.append(item)
        item.data["positions"] = fresh
    if source.publisher not in index.entities and all(e.data["id"] != source.publisher for e in entities):
        entities.append(
            DraftItem(
                {"id": source.publisher, "type": "MediaOutlet", "name": source.publisher.replace("-", " ").title()},
                ["CHECK the publisher is not in the registry"],
            )
        )
    entities.extend(tariff_items)

    mentions: dict[str, int] = {}
    for m in analysis.mentions:
        mentions[m.entity] = mentions.get(m.entity, 0) + 1
    return Draft(source, article, entities, events, mentions, analysis)


def _referenced_by_new(used: set[str], new_entities: dict) -> set[str]:
    """The entities a declared new one refers to (a new ban's target company, a measure's law), so the
    draft declares them too."""
    found, todo = set(), [x for x in used if x in new_entities]
    while todo:
        props = new_entities[todo.pop()].props
        for key in ("imposed_by", "target_company", "legal_basis", "goods", "country"):
            value = props.get(key)
            for v in value if isinstance(value, list) else [value] if value else []:
                if v not in used and v not in found:
                    found.add(v)
                    if v in new_entities:
                        todo.append(v)
    return found


def _probable_duplicate(new, index: EntityIndex):
    """The registry entity a new name probably is, by the load's own check (graph.identity)."""
    from ..identity import NameMatcher, probable_entity
    from ..readers.annotations import EntityDecl
    from ..schema import load_schema

    matcher = _MATCHERS.get(id(index))
    if matcher is None or matcher[0] is not index:
        matcher = _MATCHERS[id(index)] = (index, NameMatcher(index))
    return probable_entity(EntityDecl(new.id, new.type, new.name), matcher[1], load_schema())


_MATCHERS: dict[int, tuple] = {}


def _role_sets(claim: Claim) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for role, values in claim.roles.items():
        out[role] = {v.id if isinstance(v, (Claim, TariffFact)) else str(v) for v in values}
    return out


_TEXT_ROLES = {
    "topic",
    "quote",
    "speaker_description",
    "purpose",
    "amount",
    "source_description",
    "stance",
    "anonymous_source_count",
}


def _complete(claim: Claim) -> bool:
    """Only claims the shapes accept: every kind's required roles filled."""
    need = {
        "Negotiation": ["participant"],
        "Statement": [],
        "Denial": ["denies"],
        "Confirmation": ["confirms"],
        "Invitation": ["inviter", "invitee"],
        "Report": ["reporter", "reports"],
        "Visit": ["visitor"],
        "Investment": ["investor"],
        "TradeAgreement": ["participant"],
        "Meeting": ["participant"],
    }
    if policy_action(claim.kind):
        return bool(claim.roles.get("actor")) and bool(claim.roles.get("policy"))
    if claim.kind == "Statement" and not (claim.roles.get("speaker") or claim.roles.get("on_behalf_of")):
        return False
    if claim.kind == "Negotiation" and len(claim.roles.get("participant", [])) < 2:
        return False
    return all(claim.roles.get(role) for role in need.get(claim.kind, []))


class _Names:
    def __init__(self, index: EntityIndex, analysis: Analysis):
        self.index, self.analysis = index, analysis

    def name(self, ent: str) -> str:
        decl = self.index.entities.get(ent)
        if decl and decl.name:
            return decl.name
        new = self.analysis.new_entities.get(ent)
        return new.name if new else ent.replace("-", " ")

    def short(self, ent: str) -> str:
        decl = self.index.entities.get(ent)
        if decl and decl.aliases:
            return min([decl.name or ent, *decl.aliases], key=len)
        return self.name(ent)

    def tariff_name(self, fact: TariffFact) -> str:
        adjective = cues()["country_adjectives"].get(fact.imposed_by or "", self.name(fact.imposed_by) if fact.imposed_by else "")
        kind = "countervailing duty" if fact.type == "CountervailingDuty" else "tariff"
        name = f"{adjective} {_number(fact.rate)}% {kind}".strip()
        if fact.goods:
            name += f" on {self.name(fact.goods)}"
        if fact.targets:
            name += " from " + " and ".join(self.name(t) for t in fact.targets)
        if fact.target_company:
            name += f" ({self.short(fact.target_company)})"
        return name


def _claim_slug(claim: Claim, names: _Names) -> str:
    parts: list[str] = []
    for role in ("reporter", "actor", "investigation", "speaker", "on_behalf_of", "inviter", "visitor", "investor",
                 "participant"):
        for v in claim.roles.get(role, []):
            if isinstance(v, str) and v not in parts:
                parts.append(v)
    kind = _KIND_SLUG.get(claim.kind, slugify(claim.kind))
    return slugify("-".join([*(names.short(p) for p in parts[:3]), kind])) or kind


def _unique(slug: str, taken: set[str]) -> str:
    slug = slug[:80].strip("-") or "item"
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _number(value: float):
    return int(value) if float(value).is_integer() else value


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _evidence(text: str, start: int, end: int):
    quote = text[start:end]
    if len(find_quote(text, quote)) == 1:
        return quote
    return {"start": start, "end": end}


# --- writing YAML ---------------------------------------------------------------------------------

_PLAIN = re.compile(r"^(?:\d{4}(?:-\d{2}){0,2}|-?\d+(?:\.\d+)?|[a-z0-9][a-z0-9-]*(?:\.[a-z0-9]+)?)$")


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and text not in ("yes", "no", "true", "false", "null", "on", "off", "y", "n"):
        return text
    return json.dumps(text, ensure_ascii=False)


def _emit(key: str, value, indent: str) -> list[str]:
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return (
                [f"{indent}{key}: [{', '.join(_scalar(v) for v in value)}]"]
                if all(isinstance(v, str) and _PLAIN.match(v) for v in value)
                else ([f"{indent}{key}:"] + [f"{indent}  - {_scalar(v)}" for v in value])
            )
        lines = [f"{indent}{key}:"]
        for v in value:
            if isinstance(v, dict):
                first = True
                for k2, v2 in v.items():
                    sub = _emit(k2, v2, indent + "    ")
                    if first:
                        sub[0] = indent + "  - " + sub[0].lstrip()
                        first = False
                    lines += sub
            else:
                lines.append(f"{indent}  - {_scalar(v)}")
        return lines
    if isinstance(value, dict):
        lines = [f"{indent}{key}:"]
        for k2, v2 in value.items():
            lines += _emit(k2, v2, indent + "  ")
        return lines
    return [f"{indent}{key}: {_scalar(value)}"]


def draft_yaml(draft: Draft) -> str:
    """The draft as autokg YAML, with a comment on every item: the rule, its score, what to check."""
    src = draft.source
    lines = [
        f"# Draft annotation of {Path(src.path).name}, written by `autokg suggest` (rules in graph/suggest/rules.yaml).",
        f"# {len(draft.events)} claim(s) and {len(draft.entities)} entity declaration(s); {draft.uncertain} marked CHECK:",
        "# review those first, then `autokg validate` and `autokg load`.",
    ]
    if draft.mentions:
        listed = ", ".join(f"{e} ({n})" for e, n in sorted(draft.mentions.items(), key=lambda kv: (-kv[1], kv[0])))
        wrapped = _wrap(f"Mentions found: {listed}", 100)
        lines += [f"# {w}" for w in wrapped]
    lines.append("article:")
    for key, value in draft.article.items():
        lines += _emit(key, value, "  ")
    for section, items in (("entities", draft.entities), ("events", draft.events)):
        lines.append("")
        lines.append(f"{section}:" if items else f"{section}: []")
        for item in items:
            for note in item.notes:
                lines.append(f"  # {note}")
            first = True
            for key, value in item.data.items():
                sub = _emit(key, value, "    ")
                if first:
                    sub[0] = "  - " + sub[0].lstrip()
                    first = False
                lines += sub
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    out, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    return out


def names_match(a: str, b: str) -> bool:
    return normalise_name(a) == normalise_name(b)
