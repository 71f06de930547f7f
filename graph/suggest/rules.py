"""Claim rules: from one article's sentences, mentions and dates to suggested claims.

The trigger words, cue words and scores live in ``rules.yaml`` beside this module, one
block per event kind of the ontology; this module fills each kind's roles from the
sentence that fired it (and its neighbours for what a sentence leaves implicit: "the
duties", "Regarding this", "According to the same report").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..registry import EntityIndex
from ..terms import slugify
from .dates import MONTH_NAMES, WEEKDAYS, DateMention, find_dates
from .entities import EntityMatcher, Mention, NewEntity, cues, new_mentions
from .textmatch import Sentence, fold, sentences, tokens

__all__ = ["Claim", "TariffFact", "Analysis", "analyse", "rules", "policy_action"]


def policy_action(kind: str) -> bool:
    """An authority acting on a policy (a tariff imposed, raised, cut; a counter-measure): needs actor and policy."""
    return kind.startswith("Tariff") or kind in (
        "Retaliation", "MeasureAdoption", "EntryIntoForce", "MeasureSuspension", "MeasureRemoval")


@lru_cache(maxsize=1)
def rules() -> dict:
    return yaml.safe_load(Path(__file__).with_name("rules.yaml").read_text(encoding="utf-8"))


# "BEIJING, Oct 10 -", "KUNSHAN, China, Sept 11 -", "WASHINGTON (Reuters) -": a paragraph's opening place,
# in capitals, with its date or agency, before the dash
_DATELINE = re.compile(r"(?m)^[A-Z][A-Z.' -]*[A-Z](?:,\s+[A-Z][\w.' -]*?)*(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\s+\([A-Z][\w ]*\))"
                       r"\s+[-\u2013\u2014]")


@dataclass(frozen=True)
class _World:
    """graph/suggest/countries.yaml, read once: each country's names (its slug from the first), and
    the nationality words of some."""

    names: dict[str, str]  # every name -> its country's slug
    first: dict[str, str]  # a country's slug -> its first name
    demonyms: dict[str, str]  # a nationality word -> its country's slug
    pattern: re.Pattern  # every name, longest first


@lru_cache(maxsize=1)
def _world() -> _World:
    data = yaml.safe_load(Path(__file__).with_name("countries.yaml").read_text(encoding="utf-8"))
    countries = [[str(n) for n in names] for names in data["countries"]]
    names = {name: slugify(names[0]) for names in countries for name in names}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return _World(names, {slugify(names[0]): names[0] for names in countries},
                  {str(k): str(v) for k, v in data.get("demonyms", {}).items()},
                  re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])"))


# A head of government's title just before a name ("President Donald Trump"), in folded text
_LEADER_TITLE = re.compile(r"\b(?:president|prime minister|chancellor|premier)\s+$")


@lru_cache(maxsize=512)
def _pattern(words: tuple[str, ...]) -> re.Pattern:
    parts = []
    for w in sorted(words, key=len, reverse=True):
        w = fold(w)
        star = w.endswith("*")
        body = re.escape(w.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(body + (r"[\w-]*" if star else ""))
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


def find(words, folded: str, start: int = 0, end: int | None = None) -> list[re.Match]:
    end = len(folded) if end is None else end
    return list(_pattern(tuple(words)).finditer(folded, start, end))


@dataclass
class Claim:
    """A suggested event: its class, roles (entity ids, texts, or other claims), evidence and score."""

    kind: str
    rule: str
    score: float
    roles: dict[str, list] = field(default_factory=dict)
    evidence: list[tuple[int, int]] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    date: str | None = None
    sentence: int = 0
    id: str = ""
    stored: str | None = None  # the article a matching stored claim comes from

    def add(self, role: str, *values) -> None:
        for value in values:
            if value is None or value == "":
                continue
            bucket = self.roles.setdefault(role, [])
            if value not in bucket:
                bucket.append(value)

    def first(self, role: str):
        values = self.roles.get(role) or []
        return values[0] if values else None

    @property
    def uncertain(self) -> bool:
        return bool(self.checks) or self.score < 0.6


@dataclass
class TariffFact:
    """A tariff or duty the text states: rate, goods, authority, targets, dates, legal basis."""

    rate: float
    type: str = "Tariff"
    goods: str | None = None
    more_goods: list[str] = field(default_factory=list)  # "on Canadian canola oil and peas"
    imposed_by: str | None = None
    targets: list[str] = field(default_factory=list)
    target_company: str | None = None
    effective_date: str | None = None
    legal_basis: str | None = None
    evidence: list[tuple[int, int]] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    score: float = 0.85
    sentence: int = 0
    id: str = ""
    name: str = ""
    existing: bool = False  # named as in force already (kept, or the one removed): no new act
    removed: bool = False  # the tariff a removal in its sentence ends
    at: int = -1  # where its rate is written in the sentence that states it


@dataclass
class Analysis:
    """Everything the rules found in one article."""

    text: str
    mentions: list[Mention]
    new_entities: dict[str, NewEntity]
    positions: dict[str, list[tuple[str, str]]]  # person id -> [(organisation id, role)]
    tariffs: list[TariffFact]
    claims: list[Claim]
    entity_types: dict[str, str]


class _Article:
    """One article's text, folded text, sentences, mentions and dates, with look-ups the rules share."""

    def __init__(
        self, text: str, publication_date: str | None, publisher: str | None, index: EntityIndex, matcher: EntityMatcher
    ):
        self.text, self.folded = text, fold(text)
        self.index, self.matcher = index, matcher
        self.publication_date, self.publisher = publication_date, publisher
        self.toks = tokens(text, self.folded)
        self.sentences = sentences(text)
        starts = set()
        for s in self.sentences:
            first = next((t for t in self.toks if t.start >= s.start), None)
            if first:
                starts.add(first.start)
            # after an opening quote or a colon a capital starts a sentence too
        for t_prev, t in zip(self.toks, self.toks[1:], strict=False):
            if t_prev.text in {'"', "\u201c", ":", "("}:
                starts.add(t.start)
        mentions = matcher.registry_mentions(text, self.toks)
        mentions = self._bodies_of_countries(mentions)
        mentions = self._inside_longer_names(mentions)
        mentions = self._refine(mentions)
        self.new_countries: dict[str, str] = {}  # a new entity -> the country a cue word gave it
        mentions, governments = self._demonym_governments(mentions)
        governments += self._world_countries(mentions + governments)
        mentions, units = self._national_units(sorted(mentions + [g for g in governments if g.type == "Country"],
                                                      key=lambda m: m.start))
        governments = [g for g in governments if g.type != "Country" or g in mentions] + units
        mentions = [m for m in mentions if not m.new]
        fresh = governments + new_mentions(text, self.toks, mentions + governments, starts)
        fresh = self._registry_names_without_country(fresh, mentions)
        fresh = self._possessive_names(fresh, mentions)
        fresh = self._country_bodies(mentions, fresh)
        fresh = self._demonym_names(fresh, mentions)
        fresh, acronyms = self._acronyms(fresh, mentions)
        fresh += self._groups(mentions + fresh)
        self.regional_posts: list[tuple[str, str, str]] = []  # (person, government, title) of a region's leader
        mentions, fresh = self._regional_leaders(mentions, fresh)
        self.new_entities: dict[str, NewEntity] = {}
        for m in fresh:
            name = f"{m.text} ({acronyms[m.entity]})" if m.entity in acronyms and m.text != acronyms[m.entity] else m.text
            props = {"country": self.new_countries[m.entity]} if m.entity in self.new_countries else {}
            if m.type == "AgentGroup":
                name = name[:1].upper() + name[1:]
                props["member_type"] = self.group_members[m.entity]
            self.new_entities.setdefault(m.entity, NewEntity(m.entity, m.type, name, m.score, m.why, props=props))
        mentions = sorted(mentions + fresh, key=lambda m: m.start)
        mentions = self._repeat_new_names(mentions)
        mentions = self._surnames(mentions)
        mentions = self._references(mentions)
        self._mark_modifiers(mentions)
        for start, end in (m.span() for m in _DATELINE.finditer(text)):
            for m in mentions:
                if start <= m.start and m.end <= end:
                    m.dateline = True
        self.mentions = mentions
        self.dates = find_dates(self.folded, text, publication_date)
        self.types = {m.entity: m.type for m in mentions}

    # --- mentions -----------------------------------------------------------------------
    def _regional_leaders(self, known: list[Mention], fresh: list[Mention]) -> tuple[list[Mention], list[Mention]]:
        """ "Ontario Premier Doug Ford", "Nuevo Leon Governor Samuel Garcia", "Tamil Nadu Chief Minister M.K.
        Stalin": a region (a Place), its new Government and the person who leads it (a post there), in place
        of what the names' rules made of the words ("Ford" the carmaker)."""
        endings, demonyms = cues()["name_endings"], cues()["demonyms"]
        pattern = re.compile(r"(?<![\w.'-])((?:[A-Z][\w'-]* ){1,3}?)(Premier|Governor|Chief Minister|Mayor) "
                             r"((?:[A-Z][\w.'-]* ){1,2}[A-Z][\w'-]*)")
        for hit in pattern.finditer(self.text):
            words = hit.group(1).split()
            if words and words[0] in ("The", "A", "An"):
                words = words[1:]
            region = " ".join(words)
            if not region or any(fold(w) in endings or fold(w) in demonyms for w in words):
                continue  # "Central Bank Governor ...", "Canadian Premier ...": no region's name
            resolved = self.index.resolve(region)
            if resolved and self.matcher.type_of(resolved) not in ("Place",):
                continue  # a country's or a body's leader, told by the title rules
            start = hit.start(1) + hit.group(1).index(words[0])
            r_end, p_start, p_end = start + len(region), hit.start(3), hit.end(3)
            person_name = hit.group(3)
            person = self.index.resolve(person_name)
            if person and self.matcher.type_of(person) != "Person":
                person = None  # "Doug Ford" is no Ford
            known = [m for m in known if not (m.start < p_end and start < m.end)]
            fresh = [m for m in fresh if not (m.start < p_end and start < m.end)]
            place = resolved or slugify(region)
            fresh.append(Mention(start, r_end, region, place, "Place", new=not resolved, score=0.6, why="a region's leader"))
            who = person or slugify(person_name)
            (known if person else fresh).append(Mention(p_start, p_end, person_name, who, "Person", new=not person,
                                                        score=0.7, why=f"after {hit.group(2)!r}"))
            gov = f"government-of-{place}"
            country = self.index.entities[resolved].props.get("country") if resolved else None
            if gov not in self.index.entities:
                if country:
                    self.new_countries[gov] = str(country[0].raw)
                fresh.append(Mention(start, r_end, f"Government of {region}", gov, "Government", new=True, score=0.6,
                                     why="a region's government"))
            self.regional_posts.append((who, gov, hit.group(2).lower()))
        return sorted(known, key=lambda m: m.start), fresh

    def _groups(self, taken: list[Mention]) -> list[Mention]:
        """ "Analysts said ...", "..., analysts said.", "Environmental groups criticised the plan": a group
        that speaks, unnamed, is a new AgentGroup of this article (its id carries the publication date, as
        another article's analysts are other people)."""
        groups = cues()["group_speakers"]
        self.group_members: dict[str, str] = {}  # a new group's id -> the class of its members
        words = "|".join(re.escape(w) for w in sorted(groups, key=len, reverse=True))
        verbs = (r"(?:have\s+|had\s+|also\s+)?(?:said|say|says|warned|warn|argued|argue|criticised|criticized|welcomed|noted"
                 r"|expect|expected)\b")
        spans = [(m.start, m.end) for m in taken]
        out, seen = [], {}
        for hit in re.finditer(r"(?<![\w-])(?:(?:some|many|several|other|most)\s+)?(" + words + r")\s+" + verbs,
                               self.folded):
            start, end = hit.start(), hit.end(1)
            if any(a < end and start < b for a, b in spans):
                continue
            word = hit.group(1)
            text = self.text[start:end]
            slug = seen.setdefault(word, slugify(word) + ("-" + self.publication_date if self.publication_date else ""))
            self.group_members[slug] = groups[word]
            out.append(Mention(start, end, text, slug, "AgentGroup", new=True, score=0.5, why=f"a group that speaks ('{word}')"))
        return out

    def _government_of(self, country: str) -> str | None:
        for decl in self.index.entities.values():
            if decl.type == "Government" and country in [str(v.raw) for v in decl.props.get("country", [])]:
                if (decl.name or "").lower().startswith("government of") or decl.id.startswith("government-of"):
                    return decl.id
        for decl in self.index.entities.values():
            if decl.type == "Government" and country in [str(v.raw) for v in decl.props.get("country", [])]:
                return decl.id
        return None

    def _inside_longer_names(self, mentions: list[Mention]) -> list[Mention]:
        """ "State Council Tariff Commission": a registry name that only begins a longer capitalised
        name ending in an organisation's word is part of that name, which is a new entity."""
        endings = cues()["name_endings"]
        suffixes = set(cues()["corporate_suffixes"])
        taken = {m.start for m in mentions}
        out = []
        for m in mentions:
            k = next((i for i, t in enumerate(self.toks) if t.start >= m.end), len(self.toks))
            j = k
            while j < len(self.toks) and self.toks[j].start not in taken and re.match(r"^[A-Z][\w'-]*$", self.toks[j].text) \
                    and self.text[self.toks[j - 1].end : self.toks[j].start] == " ":
                j += 1
            if j > k and self.toks[j - 1].folded in endings and m.type not in ("Person", "Place"):
                # "Honda Motor", "Nissan Motor Co": a company's name with only a corporate word after it is
                # that company, not a new one
                tail = " ".join(t.folded for t in self.toks[k:j])
                if m.type in ("Automaker", "Company") and tail in suffixes:
                    end = self.toks[j - 1].end
                    out.append(Mention(m.start, end, self.text[m.start : end], m.entity, m.type, why="name and corporate word"))
                continue
            out.append(m)
        return out

    def _bodies_of_countries(self, mentions: list[Mention]) -> list[Mention]:
        """ "The Council of the EU": a body named "of" a country by another of the country's names than
        the registry's ("the EU" for "the European Union") is the registry's body of that name."""
        out = list(mentions)
        for m in mentions:
            if m.type != "Country" or m.entity not in self.index.entities:
                continue
            before = re.search(r"(?<![\w-])(?!The\s)((?:[A-Z][\w-]*\s+){0,3}[A-Z][\w-]*)\s+of\s+$",
                               self.text[max(0, m.start - 60) : m.start])
            if before is None:
                continue
            country = self.index.entities[m.entity].name or ""
            prefix = before.group(1)
            found = next((r for r in (self.index.resolve(f"{prefix} of {c}") for c in (country, f"the {country}")) if r), None)
            if found is None:
                continue
            start = m.start - (len(self.text[max(0, m.start - 60) : m.start]) - before.start())
            out = [x for x in out if not (start <= x.start and x.end <= m.end)]
            out.append(Mention(start, m.end, self.text[start : m.end], found, self.matcher.type_of(found),
                               why="a body of a country, by another of the country's names"))
        return sorted(out, key=lambda x: x.start)

    def _national_units(self, mentions: list[Mention]) -> tuple[list[Mention], list[Mention]]:
        """ "GM Korea", "BYD Brazil", "Tesla China": a company's name with a country's name just after it,
        no word between, is its national unit, a new company (not the company and the country). The
        mentions without the pairs so joined, and the units, new."""
        out: list[Mention] = []
        units: list[Mention] = []
        skip = None
        for m, nxt in zip(mentions, [*mentions[1:], None], strict=False):
            if m is skip:
                continue
            if nxt is not None and m.type in ("Automaker", "Company") and nxt.type == "Country" \
                    and self.text[m.end : nxt.start] == " " and nxt.text[:1].isupper():
                name = self.text[m.start : nxt.end]
                resolved = self.index.resolve(name)
                if resolved:
                    out.append(Mention(m.start, nxt.end, name, resolved, self.matcher.type_of(resolved)))
                else:
                    unit = Mention(m.start, nxt.end, name, slugify(name), m.type, new=True, score=0.6,
                                   why=f"{m.text}'s unit in {nxt.text}")
                    self.new_countries[unit.entity] = nxt.entity
                    units.append(unit)
                skip = nxt
                continue
            out.append(m)
        return out, units

    def _refine(self, mentions: list[Mention]) -> list[Mention]:
        """ "South Korea's government" names the government, not the country."""
        out = []
        for m in mentions:
            after = self.folded[m.end : m.end + 14]
            if m.type == "Country" and re.match(r"^(?:'s)?\s+government\b", after):
                gov = self._government_of(m.entity)
                if gov:
                    end = m.end + re.match(r"^(?:'s)?\s+government", after).end()
                    out.append(Mention(m.start, end, self.text[m.start : end], gov, "Government", why="country's government"))
                    continue
            out.append(m)
        return out

    def _possessive_names(self, fresh: list[Mention], known: list[Mention]) -> list[Mention]:
        """ "Mexico's Congress": a new name after a country's possessive keeps the country in its name."""
        by_end = {m.end: m for m in known if m.type == "Country"}
        out = []
        for m in fresh:
            before = self.folded[max(0, m.start - 3) : m.start]
            owner = None
            if before.endswith("'s "):
                owner = by_end.get(m.start - 3)
            # "China's Wingtech Technology" is a Chinese company, not one named so
            if owner and m.type not in ("Person", "Company", "Automaker"):
                name = self.text[owner.start : m.end]
                resolved = self.index.resolve(name)
                if resolved:
                    m = Mention(owner.start, m.end, name, resolved, self.matcher.type_of(resolved))
                else:
                    m = Mention(owner.start, m.end, name, slugify(name), m.type, new=True, score=m.score, why=m.why)
                known.remove(owner)
            out.append(m)
        return out

    def _country_bodies(self, known: list[Mention], fresh: list[Mention]) -> list[Mention]:
        """ "Japan's transport ministry", "Australia's parliament": a body of a country the registry
        lacks, named in lower case after the country's possessive, is a new entity of that country
        (with the country in its name, as "Mexico's Congress" is); ``fresh`` with them, in place of
        the countries they begin with."""
        bodies = cues()["country_bodies"]
        words = "|".join(sorted((re.escape(w) for w in bodies), key=len, reverse=True))
        taken = [(m.start, m.end) for m in (*known, *fresh)]
        found = []
        for m in (*known, *fresh):
            if m.type != "Country":
                continue
            hit = re.match(r"'s\s+((?:[a-z][a-z-]+\s+){0,2}?)(" + words + r")(?![\w-])", self.text[m.end : m.end + 60])
            if hit is None or any(a < m.end + hit.end() and m.end < b for a, b in taken if (a, b) != (m.start, m.end)):
                continue
            end = m.end + hit.end()
            name = self.text[m.start : end]
            if hit.group(2) == "government":
                # "Vietnam's government said": the registry's government of the country, or a new Government of it
                gov = self._government_of(m.entity)
                if gov:
                    known.append(Mention(m.start, end, name, gov, "Government", why="a country's government"))
                    found.append((m, None))
                    continue
                name = f"Government of {m.text}"
            slug = slugify(name)
            self.new_countries[slug] = m.entity
            found.append((m, Mention(m.start, end, name, slug, bodies[hit.group(2)], new=True, score=0.65,
                                     why=f"a body of {m.text} ({hit.group(2)!r})")))
        for country, _ in found:
            (known if country in known else fresh).remove(country)
        return fresh + [body for _, body in found if body is not None]

    def _demonym_names(self, fresh: list[Mention], known: list[Mention]) -> list[Mention]:
        """ "The European Association of Automotive Suppliers": a nationality word just before a new
        organisation's name is part of it."""
        demonyms = cues()["demonyms"]
        taken = {(m.start, m.end) for m in known}
        out = []
        for m in fresh:
            hit = re.search(r"(?<![\w-])([A-Z][a-z]+) $", self.text[max(0, m.start - 20) : m.start])
            if hit and m.type in _ORGANISATION_TYPES and hit.group(1).lower() in demonyms:
                start = m.start - len(hit.group(0))
                if not any(a <= start < b for a, b in taken):
                    name = self.text[start : m.end]
                    m = Mention(start, m.end, name, slugify(name), m.type, new=True, score=m.score, why=m.why)
            out.append(m)
        return out

    def _acronyms(self, fresh: list[Mention], known: list[Mention]) -> tuple[list[Mention], dict[str, str]]:
        """ "The European Association of Automotive Suppliers, CLEPA, said" or "... Suppliers (CLEPA)":
        the capitals in apposition are the new organisation's short name, a mention of it wherever used."""
        taken = {m.start for m in known} | {m.start for m in fresh}
        acronyms: dict[str, str] = {}
        extra = []
        for m in fresh:
            if m.type not in _ORGANISATION_TYPES:
                continue
            hit = re.match(r"^(?:,\s+|\s+\()([A-Z][A-Z0-9&-]{1,9})(?=,|\))", self.text[m.end : m.end + 16])
            if not hit or m.end + hit.start(1) in taken:
                continue
            acronym = hit.group(1)
            acronyms[m.entity] = acronym
            for use in re.finditer(r"(?<![\w-])" + re.escape(acronym) + r"(?![\w-])", self.text):
                if use.start() not in taken:
                    extra.append(Mention(use.start(), use.end(), acronym, m.entity, m.type, new=True, score=m.score,
                                         why=m.why))
                    taken.add(use.start())
        return sorted(fresh + extra, key=lambda x: x.start), acronyms

    def _world_countries(self, taken: list[Mention]) -> list[Mention]:
        """ "Morocco", "South Africa": a country the registry lacks, from the world's list
        (graph/suggest/countries.yaml), is a new Country."""
        spans = [(m.start, m.end) for m in taken]
        out = []
        world = _world()
        for hit in world.pattern.finditer(self.text):
            slug = world.names[hit.group(0)]
            if slug in self.index.entities or self.index.resolve(hit.group(0)):
                continue
            start, end = hit.span()
            if any(a < end and start < b for a, b in spans):
                continue
            spans.append((start, end))
            out.append(Mention(start, end, hit.group(0), slug, "Country", new=True, score=0.8,
                               why="a country of the world's list"))
        return out

    def _demonym_governments(self, mentions: list[Mention]) -> tuple[list[Mention], list[Mention]]:
        """ "The Dutch government said": the government of the country the nationality word names, the
        registry's if it has one, else a new Government of that country."""
        demonyms = cues()["demonyms"]
        taken = [(m.start, m.end) for m in mentions]
        known, fresh = list(mentions), []
        world = _world()
        for hit in re.finditer(r"(?<![\w-])([A-Z][a-z]+) government\b", self.text):
            country = demonyms.get(hit.group(1).lower())
            start, end = hit.span()
            # a nationality of the world's list: "The Indonesian government said" is the Government of Indonesia
            abroad = world.demonyms.get(hit.group(1).lower()) if not country else None
            if abroad and abroad not in self.index.entities and not any(a < end and start < b for a, b in taken):
                name = f"Government of {world.first[abroad]}"
                fresh.append(Mention(start, end, hit.group(0), slugify(name), "Government", new=True, score=0.7,
                                     why="nationality word and government"))
                self.new_countries[slugify(name)] = abroad
                continue
            if not country or any(a < end and start < b for a, b in taken) or country not in self.index.entities:
                continue
            gov = self._government_of(country)
            if gov:
                known.append(Mention(start, end, hit.group(0), gov, "Government", why="nationality word and government"))
            else:
                name = hit.group(0)
                fresh.append(Mention(start, end, name, slugify(name), "Government", new=True, score=0.7,
                                     why="nationality word and government"))
                self.new_countries[slugify(name)] = country
        return sorted(known, key=lambda m: m.start), fresh

    def _registry_names_without_country(self, fresh: list[Mention], known: list[Mention]) -> list[Mention]:
        """ "the Ministry of Commerce", in an article naming China: the registry's "China's Ministry of
        Commerce", whose name without its country's possessive is written here."""
        named = {m.entity for m in known if m.type == "Country"}
        shorter = {short: entity for short, (country, entity) in _names_after_country(self.index).items() if country in named}
        out = []
        for m in fresh:
            hit = shorter.get(fold(m.text))
            if hit:
                known.append(Mention(m.start, m.end, m.text, hit, self.matcher.type_of(hit), why="name without its country"))
                continue
            out.append(m)
        return out

    def _repeat_new_names(self, mentions: list[Mention]) -> list[Mention]:
        """A new name found once is a mention wherever else it occurs ("Rivian shares rose"), and a new
        company's name without its last, generic word ("Wingtech" for Wingtech Technology)."""
        news = {m.text: m for m in mentions if m.new}
        endings = cues()["name_endings"]
        for m in list(news.values()):
            words = m.text.split()
            if m.type in ("Company", "Automaker") and len(words) >= 2 and fold(words[-1]) in endings:
                news.setdefault(" ".join(words[:-1]), m)
        if not news:
            return mentions
        covered = set()
        for m in mentions:
            covered.update(range(m.start, m.end))
        extra = []
        for name, m in news.items():
            for hit in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", self.text):
                if hit.start() not in covered:
                    extra.append(Mention(hit.start(), hit.end(), name, m.entity, m.type, new=True, score=m.score, why=m.why))
                    covered.update(range(hit.start(), hit.end()))
        return sorted(mentions + extra, key=lambda x: x.start)

    def _surnames(self, mentions: list[Mention]) -> list[Mention]:
        """Later mentions of a person by surname: "Zhang noted", "said He"."""
        covered = set()
        for m in mentions:
            covered.update(range(m.start, m.end))
        extra = []
        persons = [m for m in mentions if m.type == "Person"]
        for person in persons:
            words = person.text.split()
            if len(words) < 2:
                continue
            surname = words[-1] if not re.match(r"^[A-Z][a-z]?$", words[0]) or len(words[0]) > 2 else words[0]
            # Chinese names put the family name first ("Zhang Xiang", "He Yadong")
            family = words[0] if self._chinese_name(person) else words[-1]
            for name in {family, surname}:
                pronoun = name.lower() in {"he", "she", "it", "we", "i"}
                pattern = (r"(?<=said )" if pronoun else r"(?<!\w)") + re.escape(name) + r"(?!\w)"
                for hit in re.finditer(pattern, self.text[person.end :]):
                    s, e = person.end + hit.start(), person.end + hit.end()
                    if s not in covered:
                        extra.append(
                            Mention(s, e, name, person.entity, "Person", new=person.new, score=person.score, why="surname")
                        )
                        covered.update(range(s, e))
        return sorted(mentions + extra, key=lambda x: x.start)

    def _references(self, mentions: list[Mention]) -> list[Mention]:
        """ "The ministry opened the investigation": a common noun for the last name of its class."""
        refs = cues()["references"]
        covered = set()
        for m in mentions:
            covered.update(range(m.start, m.end))
        extra = []
        pattern = r"\b(?:the|a|an)\s+(" + "|".join(map(re.escape, refs)) + r")\b(?!\s+of\b)(?!-)"
        plant = _pattern(tuple(rules()["investment"]["plant_nouns"]))
        for hit in re.finditer(pattern, self.folded):
            s, e = hit.start(1), hit.end(1)
            if s in covered or not self.text[s].islower():
                continue
            noun = hit.group(1)
            # "the site of a Mercedes-Benz plant that Great Wall bought": a company naming a plant is not the subject
            before = [m for m in mentions if m.end <= s and m.type in refs[noun] and not plant.match(self.folded, m.end + 1)]
            # "the commission" after "the State Council Tariff Commission": the last name ending in the noun
            named = [m for m in before if self.folded[m.start : m.end].split()[-1] == noun]
            before = named or before
            if before:
                last = before[-1]
                extra.append(Mention(s, e, self.text[s:e], last.entity, last.type, new=last.new, score=last.score,
                                     why="reference"))
            elif noun == "government":
                # "Brazil has suspended ... The government brought back import duties": with no government named
                # before, the government of the first country the article names (not in its dateline)
                gov = self._first_country_government(mentions, s)
                if gov:
                    extra.append(Mention(s, e, self.text[s:e], gov, "Government", new=gov in self.new_entities,
                                         score=0.6, why="reference"))
        return sorted(mentions + extra, key=lambda x: x.start)

    def _first_country_government(self, mentions: list[Mention], before: int) -> str | None:
        first = next((m for m in mentions if m.type == "Country" and m.end <= before and not m.modifier
                      and not re.match(r"'s\b", self.text[m.end : m.end + 2])
                      and m.start > (self.sentences[0].end if len(self.sentences) > 1 else 0)), None)
        if first is None:
            return None
        gov = self._government_of(first.entity)
        if gov:
            return gov
        gov = f"government-of-{first.entity}"
        name = self.index.entities[first.entity].name if first.entity in self.index.entities else first.text
        self.new_entities.setdefault(gov, NewEntity(gov, "Government", f"Government of {name}", 0.6,
                                                    f"the government of {name}", props={"country": first.entity}))
        return gov

    @staticmethod
    def _chinese_name(person: Mention) -> bool:
        words = person.text.split()
        return len(words) == 2 and len(words[0]) <= 5 and words[0] in _CHINESE_FAMILY_NAMES

    def _mark_modifiers(self, mentions: list[Mention]) -> None:
        modifiers = rules()["modifier_nouns"]
        pattern = _pattern(tuple(modifiers))
        for m, nxt in zip(mentions, mentions[1:], strict=False):
            if m.type != "Person" and m.is_agent and nxt.type == "Person" and nxt.start - m.end <= 45:
                between = self.text[m.end : nxt.start]
                if re.fullmatch(
                    r"(?:'s)?\s+(?:[A-Z][\w-]*\s+|(?:chief|executive|press|trade|vice|deputy|general)\s+|"
                    r"(?:secretary|president|minister|spokesperson|spokesman|chairman|ceo|negotiator|"
                    r"representative|commissioner|chief|officer)\s+)+",
                    between,
                ):
                    m.modifier = True  # "European Commission Executive Vice-President Valdis Dombrovskis"
        for m in mentions:
            if m.type in ("Country", "Government") or m.entity in ("european-union",):
                after = self.folded[m.end : m.end + 40]
                stripped = after.lstrip()
                if stripped.startswith("-"):
                    m.modifier = True
                    continue
                hit = pattern.match(stripped)
                if hit and hit.start() == 0 and len(after) - len(stripped) <= 1:
                    m.modifier = True
                elif re.match(r"^\s+(?:president|prime minister)\b", after):
                    m.modifier = True

    def in_span(self, start: int, end: int, agents_only: bool = False) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end and (m.is_agent or not agents_only)]

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        return [d for d in self.dates if d.start >= start and d.end <= end]

    def inside_quote(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a quotation of its paragraph."""
        start = self.text.rfind("\n", 0, pos) + 1
        before = self.folded[start:pos]
        return before.count('"') % 2 == 1

    def quote_in(self, s: Sentence) -> str | None:
        """The quoted words a sentence opens ("said: “Reports that ... are false.”")."""
        m = re.search(r"[\u201c\"]([^\u201d\"]{12,})[\u201d\"]", self.text[s.start :])
        if m and s.start + m.start() < s.end:
            return m.group(1).strip().rstrip(",")
        return None


_CHINESE_FAMILY_NAMES = {
    "Zhang",
    "Wang",
    "Li",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "He",
    "Lin",
    "Gao",
    "Luo",
    "Zheng",
    "Liang",
    "Xie",
    "Song",
    "Tang",
    "Han",
    "Feng",
    "Deng",
    "Cao",
    "Peng",
    "Zeng",
    "Xiao",
    "Tian",
    "Dong",
    "Pan",
    "Yuan",
    "Cai",
    "Jiang",
    "Yu",
    "Du",
    "Ye",
    "Cheng",
    "Wei",
    "Su",
    "Lu",
    "Ding",
    "Ren",
    "Shen",
    "Yao",
    "Lei",
    "Fu",
    "Zhong",
    "Jin",
    "Cui",
    "Qian",
    "Shi",
    "Xi",
}


# What a measure's noun is on ("rules on electric car sales"): up to four words, none a
# connective, a number, a month or a weekday.
_MEASURE_TAIL = re.compile(r"^(?:\s+(?:on|for|of)(?:\s+(?!(?:and|or|but|from|to|in|on|at|by|after|before|that|which|days|\d+|"
                           + "|".join((*MONTH_NAMES, *WEEKDAYS)) + r")\b)[\w'-]+){1,4})?")


_AFTER_COUNTRY: dict[int, tuple[EntityIndex, dict[str, tuple[str, str]]]] = {}


def _names_after_country(index: EntityIndex) -> dict[str, tuple[str, str]]:
    """Registry names "<Country>'s X (Y)" as folded "x" -> (country, entity), worked out once per registry."""
    cached = _AFTER_COUNTRY.get(id(index))
    if cached and cached[0] is index:
        return cached[1]
    out: dict[str, tuple[str, str]] = {}
    for decl in index.entities.values():
        for name in [decl.name or "", *decl.aliases]:
            hit = re.match(r"^(.+?)'s\s+(.+)$", fold(name))
            country = index.resolve(hit.group(1)) if hit else None
            if country and (index.entities[country].type or "") == "Country":
                out.setdefault(re.sub(r"\s*\([^)]*\)$", "", hit.group(2)), (country, decl.id))
    _AFTER_COUNTRY[id(index)] = (index, out)
    return out


# New names of these classes may carry a nationality word and a short name in apposition.
_ORGANISATION_TYPES = ("Association", "Ministry", "Agency", "Legislature", "Government", "GovernmentBody", "Organization",
                       "Company", "Automaker")


# --- the analysis -----------------------------------------------------------------------------


def analyse(
    text: str, *, publication_date: str | None, publisher: str | None, index: EntityIndex, matcher: EntityMatcher | None = None
) -> Analysis:
    """Run every rule over one article's text."""
    art = _Article(text, publication_date, publisher, index, matcher or EntityMatcher(index))
    state = _State(art)
    for s in art.sentences:
        if s.index == 0 and s.paragraph == 0 and len(art.sentences) > 1 and "\n" in text[s.end : s.end + 2]:
            continue  # the headline: the body says it again, with its details
        state.sentence(s)
    state.finish()
    return Analysis(text, art.mentions, art.new_entities, state.positions, state.tariffs, state.claims, art.types)


_STANCE_ORDER = ["opposes", "criticises", "complains", "supports", "comments"]


class _State:
    """Claims found so far, and what later sentences refer back to."""

    def __init__(self, art: _Article):
        self.art = art
        self.r = rules()
        self.claims: list[Claim] = []
        self.tariffs: list[TariffFact] = []
        self.positions: dict[str, list[tuple[str, str]]] = {}
        for person, gov, title in art.regional_posts:
            self.add_position(person, gov, title)
        self.reports: dict[str, Claim] = {}  # reporter -> its Report claim
        self.last_report: Claim | None = None
        self.last_speaker: str | None = None
        self.last_policy_action: Claim | None = None
        self.frame: dict = {}  # tariff context carried between sentences
        self.prev: Sentence | None = None
        self.by_sentence: dict[int, list[Claim]] = {}
        self._report_scope: set[int] = set()  # sentences whose claims the last report relays
        self.pending_denials: list[tuple[Sentence, Claim]] = []  # denials whose target comes later
        self.denied_here = False
        self.last_investigation: str | None = None  # the investigation named last ("the investigation")
        self.last_dispute: str | None = None  # the WTO dispute named last ("China asked for a panel")
        self.relayed: dict[int, list[Claim]] = {}  # a report's id() -> statements in its scope

    # --- helpers ------------------------------------------------------------------------
    def new_claim(self, key: str, s: Sentence, start: int | None = None, end: int | None = None) -> Claim:
        spec = self.r[key]
        claim = Claim(spec["class"], rule=key, score=float(spec["score"]), sentence=s.index)
        claim.evidence.append((s.start if start is None else start, s.end if end is None else end))
        return claim

    def keep(self, claim: Claim) -> Claim:
        """Add a claim, or merge it into an equal one already found (same kind and core roles)."""
        key = _merge_key(claim)
        for other in self.claims:
            if _merge_key(other) == key:
                for span in claim.evidence:
                    if span not in other.evidence:
                        other.evidence.append(span)
                for role, values in claim.roles.items():
                    if role in _SINGLE_ROLES and other.roles.get(role):
                        continue
                    other.add(role, *values)
                other.date = other.date or claim.date
                other.score = max(other.score, claim.score)
                self.by_sentence.setdefault(claim.sentence, []).append(other)
                return other
        self.claims.append(claim)
        self.by_sentence.setdefault(claim.sentence, []).append(claim)
        return claim

    def sentence_date(self, s: Sentence, exclude: tuple[int, int] | None = None) -> DateMention | None:
        """When the sentence's act happened: its first date, not one after publication ("by the end of
        2026" is a plan's date) and, where it has another, not one that starts or ends a period
        ("... from Saturday, the commission said on Friday")."""
        published = str(self.art.publication_date or "")
        found = [
            d for d in self.art.dates_in(s.start, s.end)
            if not (exclude and d.start >= exclude[0] and d.end <= exclude[1])
            and not (published and d.value[: len(published)] > published[: len(d.value)])
        ]
        period = re.compile(r"^(?:from|until|by|starting|since)\b")
        for d in found:
            if not period.match(self.art.folded[d.start : d.end]):
                return d
        for d in found:
            return d
        # "Earlier this month. US President ..." joined; a date in a leading fragment counts
        return None

    def agents(self, start: int, end: int, *, media: bool = False) -> list[Mention]:
        return [
            m for m in self.art.in_span(start, end, agents_only=True)
            if not m.modifier and not m.dateline and (media or m.type != "MediaOutlet")
        ]

    # --- per sentence -------------------------------------------------------------------
    def sentence(self, s: Sentence) -> None:
        self.note_investigation(s)
        self.positions_in(s)
        self.tariffs_in(s)
        self.report_in(s)
        denial = self.denial_in(s)
        self.denied_here = denial is not None
        events = []
        events += self.negotiation_in(s)
        events += self.removal_in(s)
        events += self.measure_in(s)
        self.co_issuers_in(s)
        events += self.visit_and_invitation_in(s)
        events += self.meeting_in(s)
        events += self.agreement_in(s)
        events += self.investment_in(s) or self.closure_in(s)
        events += self.investigation_in(s)
        events += self.dispute_in(s)
        voted = self.votes_in(s)
        if not denial and not voted:
            self.statement_in(s, events)
            self.rejection_in(s)
        if self.last_report and s.index in self._report_scope:
            for claim in self.by_sentence.get(s.index, []):
                if claim.kind not in ("Report", "Denial", "Confirmation", "Statement") and claim is not self.last_report:
                    self.last_report.add("reports", claim)
                elif claim.kind == "Statement":
                    self.relayed.setdefault(id(self.last_report), []).append(claim)
        self.prev = s

    def positions_in(self, s: Sentence) -> None:
        roles = self.r["position"]["roles"]
        f = self.art.folded
        ms = self.art.in_span(s.start, s.end)
        role_pat = _pattern(tuple(roles))
        for a, b in zip(ms, ms[1:], strict=False):
            between = f[a.end : b.start]
            # "He Yadong, a spokesperson for MOFCOM" / "Zhang Xiang, secretary-general of the IIVEA"
            m = re.fullmatch(
                r",\s+(?:a|an|the)?\s*(?:[\w-]+\s+){0,2}?(" + role_pat.pattern + r")\s+(?:of|for|at)\s+(?:the\s+)?", between
            )
            if a.type == "Person" and b.type not in ("Person", "Country", "Place", "Product") and m:
                self.add_position(a.entity, b.entity, m.group(1))
                continue
            # "Li Yunfei, a BYD spokesman in China,": the organisation named before the role in the appositive
            before_role = re.match(r"\s+(" + role_pat.pattern + r")\b", f[b.end : b.end + 40])
            if a.type == "Person" and b.type not in ("Person", "Country", "Place", "Product") and before_role \
                    and re.fullmatch(r",\s+(?:a|an|the)\s+", between):
                self.add_position(a.entity, b.entity, before_role.group(1))
                continue
            # "Tony Weber, the FCAI's chief executive"
            owned = re.match(r"'s\s+((?:[\w-]+\s+){0,2}?(?:" + role_pat.pattern + r"))\b", f[b.end : b.end + 60])
            if a.type == "Person" and b.type not in ("Person", "Country", "Place", "Product") and owned \
                    and re.fullmatch(r",\s+(?:the\s+)?", between):
                self.add_position(a.entity, b.entity, owned.group(1))
                continue
            if a.type == "Person" and b.type == "Country" and re.fullmatch(r",\s+", between):
                post = re.match(r"^'s\s+((?:[\w-]+\s+){0,3}?(?:" + role_pat.pattern + r"))\s*,", f[b.end : b.end + 60])
                gov = self.art._government_of(b.entity)
                if post and gov:
                    self.add_position(a.entity, gov, post.group(1))
                    continue
            # "Indonesia's energy and mineral resources minister, Bahlil Lahadalia,", "Spain's industry minister,
            # Jordi Hereu,": a post of the country's government, named before the person in apposition
            own_post = re.fullmatch(r"'s\s+((?:[a-z-]+,?\s+){0,5}?(?:" + role_pat.pattern + r")),\s+", between)
            if b.type == "Person" and a.type == "Country" and own_post:
                gov = self.art._government_of(a.entity) or self.new_government(a.entity, a.text)
                self.add_position(b.entity, gov, own_post.group(1))
                continue
            # "Honda chief executive Toshihiro Mibe" / "MOFCOM spokesperson He Yadong"
            m = re.fullmatch(r"(?:'s)?\s+(" + role_pat.pattern + r")\s+", between)
            # "US Treasury Secretary Scott Bessent": a capitalised title ending in a role
            titled = re.fullmatch(r"\s+((?:[a-z-]+\s+){1,2}?(?:" + role_pat.pattern + r"))\s+", between)
            if titled and b.new and all(w[:1].isupper() for w in self.art.text[a.end : b.start].split()):
                m = m or titled
            if b.type == "Person" and a.type not in ("Person", "Place", "Product") and m:
                org = a.entity
                if a.type == "Country":
                    org = self.art._government_of(a.entity) or self.new_government(a.entity, a.text)
                self.add_position(b.entity, org, m.group(1))

    def new_government(self, country: str, name: str) -> str:
        """The government of a country the registry lacks ("Argentina's President Javier Milei"): a new
        Government of that country, whose post the person holds."""
        gov = f"government-of-{country}"
        if country not in self.art.index.entities and country not in self.art.new_entities:
            # "Belgian Prime Minister Alexander De Croo" in an article that names no Belgium
            self.art.new_entities[country] = NewEntity(country, "Country", name, 0.6, "the country of a government")
            self.art.types[country] = "Country"
        if gov not in self.art.new_entities:
            self.art.new_entities[gov] = NewEntity(gov, "Government", f"Government of {name}", 0.6,
                                                   f"the government of {name}", props={"country": country})
            self.art.types[gov] = "Government"
        return gov

    def add_position(self, person: str, org: str, role: str) -> None:
        role = re.sub(r"\s+", " ", role)
        entry = (org, role)
        bucket = self.positions.setdefault(person, [])
        if entry not in bucket:
            bucket.append(entry)

    def add_speaker(self, claim: Claim, who: Mention) -> None:
        """``who`` says it: a person as the speaker on behalf of the organisation they speak for,
        anyone else on their own behalf."""
        if who.type == "Person":
            claim.add("speaker", who.entity)
            claim.add("on_behalf_of", self.speaker_org(who.entity))
        else:
            claim.add("on_behalf_of", who.entity)

    def speaker_org(self, person: str) -> str | None:
        """The organisation a person speaks for: a post named in the text, else in the registry."""
        for org, role in self.positions.get(person, []):
            if self.speaking_role(role):
                return org
        decl = self.art.index.entities.get(person)
        if decl:
            for pos in decl.positions:
                if self.speaking_role(pos.role.lower()):  # the registry writes posts as titles ("President")
                    return str(pos.organization.raw)
        return None

    def speaking_role(self, role: str) -> bool:
        """A post whose holder speaks for the organisation: "trade minister", "Secretary of Commerce"."""
        head = re.split(r"\s+(?:of|for)\s+", role, maxsplit=1)[0]
        return any(x == r or x.endswith(" " + r) for x in (role, head) for r in self.r["statement"]["on_behalf_roles"])

    # --- tariffs ------------------------------------------------------------------------
    def tariffs_in(self, s: Sentence) -> None:
        spec = self.r["tariff"]
        f = self.art.folded
        triggers = find(spec["triggers"], f, s.start, s.end)
        rates = list(re.finditer(r"(\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", f[s.start : s.end]))
        near = self.frame.get("sentence") is not None and (
            s.index - self.frame["sentence"] <= 2 or self.art.sentences[self.frame["sentence"]].paragraph == s.paragraph)
        in_frame = bool(triggers) or (near and (find(spec["rate_words"], f, s.start, s.end)
                                               or re.search(r"\b(?:face|faces|pay|pays)\b", f[s.start:s.end])))
        if triggers:
            self.update_frame(s, rates)
            if not rates and find(spec["impose"], f, s.start, s.end) and self.frame.get("actor"):
                d = self.sentence_date(s)
                self.frame["action"] = (self.frame["actor"], self.tariff_action(s), d.value if d else None, (s.start, s.end))
        if not rates or not in_frame:
            return
        made: list[TariffFact] = []
        for r in rates:
            rs, re_ = s.start + r.start(), s.start + r.end()
            before = f[max(s.start, rs - 40) : rs]
            after = f[re_ : min(s.end, re_ + 40)]
            if re.search(r"\d\s?(?:%|percent|per cent),?\s+(?:from|down from|up from)\s+$", before):
                continue
            # "cut tariffs from more than 100% to 10%": the old rate of a change
            if re.search(r"\bfrom\s+(?:more than\s+|over\s+|about\s+|around\s+|nearly\s+|almost\s+|up to\s+)?$", before) \
                    and re.match(r"^\s+to\s+(?:about\s+|around\s+|just\s+)?\d", after):
                continue
            step = next(
                (d for d in self.art.dates_in(re_, min(s.end, re_ + 25)) if re.fullmatch(r"\s*by\s+", f[re_ : d.start])), None
            )
            if step and self.art.publication_date and step.value > str(self.art.publication_date) and len(rates) > 1:
                continue  # a later step of a schedule, not in force yet ("rising in steps to 35% by July 2026")
            if find(spec["not_new"], before) or re.match(r"^\s*(?:stake|of the|share|higher|lower|more|less|rise|fall)", after):
                continue
            company = None
            m = re.match(r"^\s+for\s+", after)
            if m:
                nxt = next((x for x in self.art.mentions if x.start >= re_ and x.start <= re_ + 8 and x.is_agent), None)
                if nxt and nxt.type in ("Automaker", "Company"):
                    company = nxt.entity
            if not triggers and not company:
                subject = next((x for x in self.art.in_span(s.start, rs) if x.type in ("Automaker", "Company")), None)
                if subject and re.search(r"\b(?:(?:rate|duty|tariff)\s+of|faces?\s+an?\s+(?:extra|additional))\s+$", before):
                    company = subject.entity
            if not triggers and not company and re.search(r"\b(?:face|faces|pay|pays)\b", f[s.start:rs]) \
                    and not find(spec["not_new"], before):
                fact = TariffFact(rate=float(r.group(1)), sentence=s.index, at=rs)  # "others face 20.7%": a residual rate
                fact.evidence.append((s.start, s.end))
                self.fill_tariff(fact, s, rs, re_)
                made.append(fact)
                continue
            if not triggers and not company:
                continue  # "face 20.8%": a rate with no tariff word and no company
            fact = TariffFact(rate=float(r.group(1)), sentence=s.index)
            fact.evidence.append((s.start, s.end))
            fact.target_company = company
            fact.at = rs
            fact.existing, fact.removed = self.existing_rate(s, rs)
            self.fill_tariff(fact, s, rs, re_)
            made.append(fact)
        if not made:
            return
        kept = [self.keep_tariff(fact) for fact in made]
        if all(fact.existing for fact in made):
            return  # "while keeping its 25% tariffs", "removed its 10% surtax": no tariff imposed here
        if triggers and find(spec["standing"], f, triggers[0].end(), s.end):
            return  # "The EU's duties ... have applied since October 30": a tariff in force, no act told here
        if not triggers and self.frame:
            self.frame["sentence"] = s.index          # the rates go on: "Tesla ... 7.8%", "others face 20.7%"
        pending = self.frame.pop("action", None) if not find(spec["impose"], f, s.start, s.end) else None
        if pending is not None:
            actor, kind, date, span = pending
            claim = self.new_claim("tariff", s)
            claim.kind, claim.rule, claim.date = kind, "tariff-" + kind, date
            claim.evidence.insert(0, span)
            claim.add("actor", actor)
            for fact in kept:
                claim.add("policy", fact)
            self.last_policy_action = self.keep(claim)
            return
        if not find(
            self.r["tariff"]["impose"] + [w for ws in self.r["tariff"]["kinds"].values() for w in ws], f, s.start, s.end
        ) and not (self.last_policy_action and not triggers) and not self.in_deal(s):
            return  # a tariff named, not acted on here ("as the US tariff took effect")
        # "the United States will lower its tariffs ..., and China will lower its tariffs ...": an act each
        authorities = [a for a in dict.fromkeys(fact.imposed_by for fact in kept if fact.imposed_by)
                       if self.acts_in_clause(s, [m.at for m, k in zip(made, kept, strict=True) if k.imposed_by == a])]
        if triggers and len(authorities) > 1:
            for authority in authorities:
                group = [fact for fact in kept if fact.imposed_by == authority]
                self.tariff_claim(s, triggers, group, group, authority)
            return
        self.tariff_claim(s, triggers, made, kept, None)

    def announcing_body(self, s: Sentence, actor: str | None) -> str | None:
        """ "China will raise its tariffs ..., the State Council Tariff Commission said": the body of the
        country that says it does so acts for it (a person saying so does not replace the country)."""
        if not actor or self.art.types.get(actor) != "Country":
            return None
        f = self.art.folded
        for m in self.agents(s.start, s.end):
            if m.type not in ("Ministry", "Agency", "Government") or m.start < s.start + 1:
                continue
            if not re.match(r"^(?:\s*\([^)]*\))?\s+(?:on \w+\s+|also\s+)?(?:said|says|announced)\b", f[m.end : m.end + 30]):
                continue
            if self.country_of(m.entity) in (actor, None) and self.art._government_of(actor) != m.entity:
                return m.entity
        return None

    def acts_in_clause(self, s: Sentence, positions: list[int]) -> bool:
        """Whether a verb of a tariff act comes before one of the rates at ``positions`` in its own clause,
        which is no aside ("..., as the US tariff of 25% took effect" names a tariff, does nothing to it)."""
        f = self.art.folded
        verbs = self.r["tariff"]["impose"] + [w for ws in self.r["tariff"]["kinds"].values() for w in ws]
        for at in positions:
            if at < s.start:
                continue
            clause = s.start + max((m.end() for m in re.finditer(r"[,;:]", f[s.start : at])), default=0)
            if re.match(r"\s*(?:and\s+)?(?:as|after|since|when|while|because)\b", f[clause:at]):
                continue
            if find(verbs, f, clause, at):
                return True
        return False

    def tariff_claim(self, s: Sentence, triggers, made: list[TariffFact], kept: list[TariffFact],
                     authority: str | None) -> None:
        """The act the sentence does with its tariffs: imposes, raises, cuts... (one authority's)."""
        f = self.art.folded
        actor = self.frame.get("actor") if not triggers else authority or self.tariff_actor(s, made[0])
        actor = self.announcing_body(s, actor) or actor
        kind = self.tariff_action(s, min((fact.at for fact in made if fact.at >= s.start), default=None))
        claim = self.new_claim("tariff", s)
        claim.kind = kind
        claim.rule = "tariff-" + kind
        claim.add("actor", actor or kept[0].imposed_by)
        claim.add("actor", self.signer(s, kept[0].imposed_by))
        # "according to a notice posted ... by the Department of Commerce and the USTR": who acts for it
        notice = re.search(r"\baccording to an?\s+(?:[\w-]+\s+){0,3}?(?:notice|order|decree|proclamation|rule|regulation)\b"
                           r"[^.;]*?\bby\s+", f[s.start : s.end])
        if notice:
            for m in self.agents(s.start + notice.end(), s.end):
                if m.type in ("Ministry", "Agency", "Government", "Person"):
                    claim.add("actor", m.entity)
        if not actor:
            claim.checks.append("who imposes it: the tariff's authority was used")
        for fact in kept:
            claim.add("policy", fact)
        d = self.sentence_date(s)
        claim.date = d.value if d else (kept[0].effective_date if kept[0].effective_date else None)
        own_actor = bool(triggers) and actor is not None and re.search(r"\balso\b", f[s.start : s.end])
        same = next(
            (
                c
                for c in self.claims
                if c.kind == kind and c.roles.get("policy") and c.roles["policy"][0].imposed_by == kept[0].imposed_by
                # "Ottawa will also put a 25% surtax on steel": another act, on other goods
                and not (own_actor and not {p.goods for p in c.roles["policy"]} & {k.goods for k in kept})
            ),
            None,
        )
        if same is not None:
            for fact in kept:
                same.add("policy", fact)
            if (s.start, s.end) not in same.evidence:
                same.evidence.append((s.start, s.end))
            self.last_policy_action = same
            return
        if self.last_policy_action and self.last_policy_action.kind == kind and not triggers:
            for fact in kept:
                self.last_policy_action.add("policy", fact)
            if (s.start, s.end) not in self.last_policy_action.evidence:
                self.last_policy_action.evidence.append((s.start, s.end))
            return
        self.last_policy_action = self.keep(claim)

    def update_frame(self, s: Sentence, rates) -> None:
        spec = self.r["tariff"]
        f = self.art.folded
        frame = {"sentence": s.index}
        frame["countervailing"] = bool(find(spec["countervailing"], f, s.start, s.end))
        products = [m for m in self.art.in_span(s.start, s.end) if m.type == "Product"]
        if products:
            frame["goods"] = products[0].entity
        bases = [m for m in self.art.in_span(s.start, s.end) if m.type in ("Investigation", "LegalInstrument")]
        if bases:
            frame["legal_basis"] = bases[0].entity
        eff = self.effective_date(s.start, s.end)
        if eff:
            frame["effective_date"] = eff
        subject = self.tariff_actor(s, None)
        if subject:
            frame["actor"] = subject
        frame["targets"] = self.tariff_targets(s, s.start, None)
        if rates or not self.frame:
            old = self.frame
            near = self.prev is not None and old.get("sentence") is not None and s.index - old["sentence"] <= 2
            if near:
                for key in ("actor", "goods", "legal_basis", "countervailing", "targets"):
                    if not frame.get(key) and old.get(key):
                        frame[key] = old[key]
            self.frame = frame
        else:
            # a sentence about the same duties adds what it says ("The duties apply from July 5")
            merged = dict(self.frame)
            merged.update({k: v for k, v in frame.items() if v})
            self.frame = merged
            words = find(spec["triggers"], f, s.start, s.end)
            owner = self._owner_before(s, words[0].start()) if words else None
            owner = self.country_of(owner) if owner else None
            for fact in self.tariffs:
                if owner and fact.imposed_by and owner != fact.imposed_by:
                    continue  # "Canada's counter-tariffs, which apply from April 9": not the US tariff
                if fact.sentence >= (self.frame.get("first", fact.sentence)):
                    if not fact.effective_date or "effective date" in " ".join(fact.checks):
                        if eff:
                            fact.effective_date = eff
                            fact.checks = [c for c in fact.checks if "effective date" not in c]
        self.frame.setdefault("first", s.index)

    def effective_date(self, start: int, end: int, near: int | None = None) -> str | None:
        spec = self.r["tariff"]
        f = self.art.folded
        best = None
        future = re.search(r"\b(?:will|would|is to|are to|take effect|takes effect|to take effect)\b", f[start:end])
        for d in self.art.dates_in(start, end):
            # the cue may be the date's own first word ("from Saturday"; "since April" looks back)
            own = f[d.start : d.end].split(" ", 1)[0]
            before = f[max(start, d.start - 22) : d.start] + (" " + own if own in ("from", "starting") else "")
            if find(spec["effective"], before):
                dist = abs(d.start - near) if near is not None else 0
                value = d.ahead if (d.ahead and future) else d.value
                if best is None or dist < best[0]:
                    best = (dist, value)
        return best[1] if best else None

    def tariff_actor(self, s: Sentence, fact: TariffFact | None, rs: int | None = None) -> str | None:
        """Who imposes: the first agent before the first tariff word or rate (not a modifier, not a target)."""
        f = self.art.folded
        trig = find(self.r["tariff"]["triggers"] + self.r["tariff"]["impose"], f, s.start, s.end)
        limit = trig[0].start() if trig else s.end
        tariff_words = find(self.r["tariff"]["triggers"], f, s.start, s.end)
        verbs = _pattern(tuple(self.r["tariff"]["impose"] + [w for ws in self.r["tariff"]["kinds"].values() for w in ws]))
        upto = rs if rs is not None else tariff_words[0].start() if tariff_words else s.end
        for m in reversed(self.agents(s.start, upto)):
            # "The ministry opened ..., weeks after Canada announced a 100% surtax": the subject of the verb
            verb = verbs.match(f, m.end + 1) if f[m.end : m.end + 1] == " " else None
            if verb and m.type in ("Country", "Government", "Ministry", "Agency", "Legislature"):
                return m.entity
            # "..., since President Donald Trump imposed a 25% tariff": a person of the authority's country
            if verb and m.type == "Person" and trig and m.start > trig[0].start() and self.country_of(m.entity):
                return m.entity
        skipped = None  # the last agent skipped as what a tariff is on or from: a list goes on after it
        for m in self.agents(s.start, limit):
            if skipped is not None and re.fullmatch(r",\s+(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?", f[skipped.end : m.start]):
                skipped = m  # "goods from Denmark, Norway, Sweden and Finland": Norway is no authority either
                continue
            said = re.match(
                r"^(?:\s*\([^)]*\))?,?\s+(?:on \w+\s+|also\s+)?(?:said|says|told|noted|added|warned|announced)\b",
                f[m.end : m.end + 40],
            )
            if said:
                # "The US Commerce Department said on Thursday it had set a preliminary duty of 93.5%": the speaker
                # saying it acts itself
                own = re.match(r"\s+(?:on \w+\s+|in \w+\s+)?(?:that\s+)?(?:it|they)\s+(?:had\s+|has\s+|have\s+|would\s+|will\s+)?"
                               r"(?:" + verbs.pattern + r")", f[m.end + said.end() : s.end])
                if own and m.type in ("Country", "Government", "Ministry", "Agency", "Legislature"):
                    return m.entity
                continue  # the speaker of the sentence, not the authority
            if m.type in ("Country", "Government", "Ministry", "Agency", "Legislature", "Person"):
                if re.search(r"(?:from|on|against|in)\s+$", f[max(s.start, m.start - 12) : m.start]):
                    skipped = m
                    continue
                if m.type == "Person" and re.search(r"government of\s+(?:\w+\s+)?$", f[max(s.start, m.start - 30) : m.start]):
                    return self.speaker_org(m.entity) or m.entity  # "the government of President Lula"
                return m.entity
        return None

    def leader_announcing(self, s: Sentence, rs: int) -> str | None:
        """ "US President Donald Trump said goods from the Philippines would face a 19% tariff": with no
        other authority in sight, a head of government saying which goods face a rate speaks of his own
        country's tariff."""
        f = self.art.folded
        for m in self.agents(s.start, rs):
            if m.type != "Person" or not self.country_of(m.entity):
                continue
            if (_LEADER_TITLE.search(f[max(s.start, m.start - 20) : m.start]) or self.heads_government(m.entity)) \
                    and re.match(r"^\s+(?:on \w+\s+)?(?:said|says|announced)\b", f[m.end : m.end + 30]) \
                    and re.search(r"\b(?:would|will)\s+(?:face|pay|be charged|be hit with)\b", f[m.end : rs]):
                return m.entity
        return None

    def heads_government(self, person: str) -> bool:
        """Whether the registry gives the person a head of government's post ("Trump said ..." untitled)."""
        decl = self.art.index.entities.get(person)
        return bool(decl) and any(_LEADER_TITLE.search(p.role.lower() + " ") for p in decl.positions)

    def tariff_targets(self, s: Sentence, after: int, authority: str | None) -> list[str]:
        f = self.art.folded
        out = []
        last = None  # the last target: "goods from Denmark, Norway, Sweden and Finland" are on each
        for m in self.art.in_span(after, s.end):
            if m.type == "Country" and m.entity != authority:
                if last is not None and re.fullmatch(r",\s+(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?", f[last.end : m.start]):
                    out.append(m.entity)
                    last = m
                    continue
                before = f[max(s.start, m.start - 30) : m.start]
                if re.search(r"(?:%|percent|tariffs?|duty|duties|surtax)\s+in\s+(?:the\s+)?$", before):
                    continue  # "a 100% surtax in Canada": where a tariff is charged, not whom it is on
                if (
                    re.search(r"(?:from|on|against|in|them|targeting|including|made in|built in)\s+(?:\w+\s+){0,2}$", before)
                    or m.modifier
                ):
                    out.append(m.entity)
                    last = m
        for word, country in cues()["demonyms"].items():
            if country == authority or word in ("us", "u.s.", "eu", "uk"):
                continue
            if re.search(
                r"(?<![\w-])"
                + re.escape(word)
                + r"(?:-made|-built)?\s+(?:[\w-]+\s+){0,2}?(?:vehicles|cars|evs|imports|goods|electric|automobiles|carmakers)",
                f[after : s.end],
            ):
                out.append(country)
        return list(dict.fromkeys(out))

    def tariff_action(self, s: Sentence, at: int | None = None) -> str:
        f = self.art.folded
        pct = r"(\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)"
        kinds = self.r["tariff"]["kinds"]
        nearest = self.action_at(s, at) if at is not None else None
        if nearest is not None:
            return nearest
        for kind, words in kinds.items():
            if find(words, f, s.start, s.end):
                # "will raise its tariffs to 125% ..., up from 84%, in answer to ...": a rate raised from an old
                # one stated is an increase, whatever it answers
                if kind == "Retaliation" and find(kinds["TariffIncrease"], f, s.start, s.end) and re.search(
                        r"\bup from\s+" + pct + r"|\bfrom\s+" + pct + r"\s+to\b|\bto\s+" + pct + r"\s+from\s+" + pct,
                        f[s.start : s.end]):
                    return "TariffIncrease"
                return kind
        if self.in_deal(s):
            return "TariffReduction"
        # "at a tariff of 10%, instead of the 27.5% they have paid": the new rate against the old
        pair = re.search(pct + r",?\s+(?:instead of|rather than|compared with)\s+(?:the\s+)?" + pct, f[s.start : s.end])
        if pair and float(pair.group(1)) != float(pair.group(2)):
            return "TariffReduction" if float(pair.group(1)) < float(pair.group(2)) else "TariffIncrease"
        return "TariffImposition"

    def action_at(self, s: Sentence, at: int) -> str | None:
        """The act of the verb nearest before the rate at ``at`` in its clause ("has imposed a 50% tariff on
        copper ..., but exempted refined copper" imposes), or a kind's word just after it ("a 10% cut"); None
        where a retaliation or a deal tells the act, or no verb does."""
        f = self.art.folded
        spec = self.r["tariff"]
        kinds = spec["kinds"]
        if find(kinds["Retaliation"], f, s.start, s.end) or self.in_deal(s):
            return None
        clause = s.start + max((m.end() for m in re.finditer(r";|,\s+(?:but|while|whereas)\s", f[s.start : at])), default=0)
        rest = f[at : s.end].split(";")[0]
        if re.search(r"(?<![\w-])down from\s", rest):
            return "TariffReduction"  # "began applying a 15% tariff on cars ..., down from 27.5%"
        if re.search(r"(?<![\w-])up from\s", rest):
            return "TariffIncrease"
        after = f[at : min(s.end, at + 24)]
        for kind, words in kinds.items():
            if kind != "Retaliation" and re.match(r"^\S+\s+(?:\w+\s+)?(?:" + _pattern(tuple(words)).pattern + ")", after):
                return kind
        hits = [(m.start(), kind) for kind, words in kinds.items() if kind != "Retaliation"
                for m in find(words, f, clause, at)]
        hits += [(m.start(), "TariffImposition") for m in find(spec["impose"], f, clause, at)]
        nearest = max(hits)[1] if hits else None
        if nearest == "TariffImposition" and not any(find(words, f, s.start, s.end) for words in kinds.values()):
            return None  # no other kind's word anywhere: what the rates say of each other tells it
        return nearest

    def in_deal(self, s: Sentence) -> bool:
        """Whether the sentence sets its rates under a deal ("reached a deal under which", "in return")."""
        return bool(find(self.r["tariff"]["deal"], self.art.folded, s.start, s.end))

    def signer(self, s: Sentence, authority: str | None) -> str | None:
        """ "President Donald Trump signed an executive order implementing the agreement": the person
        of the tariff's country who signed the act, in this paragraph or the next (the sentence before too)."""
        f = self.art.folded
        for other in self.art.sentences[max(1, s.index - 1) : s.index + 4]:
            if other.paragraph - s.paragraph not in (0, 1) and other.index != s.index - 1:
                continue
            for m in self.agents(other.start, other.end):
                signed = r"^\s+(?:on \w+\s+)?signed\s+an?\s+(?:executive\s+)?(?:order|proclamation|decree)\b"
                if m.type == "Person" and re.match(signed, f[m.end : m.end + 50]):
                    decl = self.art.index.entities.get(m.entity)
                    countries = {str(v.raw) for v in decl.props.get("country", [])} if decl else set()
                    if authority in countries:
                        return m.entity
        return None

    def fill_tariff(self, fact: TariffFact, s: Sentence, rs: int, re_: int) -> None:
        f = self.art.folded
        frame = self.frame
        spans = [(m.start, m.end, m.entity) for m in self.art.in_span(s.start, s.end) if m.type == "Product"]
        words = [(hit.start(), hit.end(), product) for word, product in self.r["tariff"]["goods_words"].items()
                 for hit in find([word], f, s.start, s.end)]
        # "light trucks" are cars here, not the registry's goods vehicles its "trucks" names
        spans = [x for x in spans if not any(a <= x[0] and x[1] <= b and e != x[2] for a, b, e in words)]
        for hit in words:
            if not any(a <= hit[0] < a + 40 and e == hit[2] for a, _, e in spans):
                spans.append(hit)
        spans.sort()
        products = [(a, e) for a, _, e in spans]
        after_rate = [p for p in products if p[0] > re_]
        # goods joined to the first ("on Canadian canola oil and peas"), up to the next rate
        following = []
        for x in spans:
            if x[0] > re_ and not (following and x[0] < following[-1][1]):  # "light trucks", not its "trucks"
                following.append(x)
        adjectives = "|".join(map(re.escape, cues()["demonyms"]))
        for prev, nxt in zip(following, following[1:], strict=False):
            if not re.fullmatch(r"\s*(?:,|and|, and|or)\s+(?:(?:" + adjectives + r")\s+)?", f[prev[1] : nxt[0]]):
                break
            if nxt[2] not in (following[0][2], *fact.more_goods):
                fact.more_goods.append(nxt[2])
        before_rate = [p for p in products if p[0] < rs and re.search(r"\b(?:on|for)\b", f[p[0] - 12 : p[0]])]
        goods = (after_rate or before_rate or [None])[0]
        fact.goods = goods[1] if goods else None
        if not after_rate or goods != after_rate[0]:
            fact.more_goods = []
        if not fact.goods:
            phrase = re.search(
                r"(?:tariffs?|duty|duties|surtax|levy)\s+on\s+(?:all\s+)?(imported\s+)?([a-z][a-z -]{2,40}?)"
                r"(?=\s+(?:and|from|made|starting|under|with|in|by)\b|[,.;]|$)",
                f[rs : s.end],
            )
            # "..., after the United States put tariffs on Canadian imports": another tariff's goods, not this one's
            other_clause = phrase and re.search(r"\b(?:after|because|when|since|while|as)\b", f[rs : rs + phrase.start()])
            name = self.art.text[rs + phrase.start(2) : rs + phrase.end(2)] if phrase else ""
            # "25% tariffs on Canada and Mexico": a country or company the text names is the tariff's target, not goods
            named = slugify(name) in self.art.index.entities or self.art.types.get(slugify(name), "Product") != "Product"
            if phrase and not other_clause and not named and not phrase.group(2).startswith(("imports", "goods", "the ", "its ")):
                fact.goods = slugify(name)
                self.art.new_entities.setdefault(fact.goods, NewEntity(fact.goods, "Product", name, 0.5, "goods of a tariff"))
                self.art.types[fact.goods] = "Product"
                fact.checks.append(f"goods {name!r} is a new product")
        if not fact.goods:
            fact.goods = (products[0][1] if products else None) or frame.get("goods")
        cvd = bool(find(self.r["tariff"]["countervailing"], f, s.start, s.end)) or frame.get("countervailing")
        fact.type = "CountervailingDuty" if cvd else "Tariff"
        actor = self.rate_authority(s, rs) or self.tariff_actor(s, fact, rs) or frame.get("actor") \
            or self.leader_announcing(s, rs)
        fact.imposed_by = self.country_of(actor) if actor else None
        if not fact.imposed_by:
            fact.checks.append("no authority found")
            fact.score -= 0.2
        targets = self.tariff_targets(s, re_, fact.imposed_by) or [t for t in frame.get("targets", []) if t != fact.imposed_by]
        fact.targets = targets
        own = next(
            (
                d
                for d in self.art.dates_in(re_, min(s.end, re_ + 30))
                if re.fullmatch(r"\s*(?:in|on|from|as of|since|starting|effective|by)\s+", f[re_ : d.start])
            ),
            None,
        )
        same_date = re.search(r"\b(?:on|from) the same (?:date|day)\b", f[s.start : s.end])
        earlier = next((t.effective_date for t in reversed(self.tariffs)
                        if t.effective_date and "effective date" not in " ".join(t.checks)), None)
        fact.effective_date = (
            (own.value if own else None)
            or (earlier if same_date else None)  # "will rise to 25% from 7.5% on the same date"
            or self.effective_date(s.start, s.end, rs)
            or (frame.get("effective_date") if same_date or not find(self.r["tariff"]["triggers"], f, s.start, s.end) else None)
        )
        if not fact.effective_date:
            fact.effective_date = self.later_effective_date(s, fact.imposed_by) or frame.get("effective_date")
        if fact.existing:
            fact.effective_date = own.value if own else None  # in force already: its start is not told here
        elif not fact.effective_date and find(self.r["tariff"]["not_in_force"], f):
            fact.checks.append("effective date: none, the act is not in force yet")
        elif not fact.effective_date and find(self.r["tariff"]["future"], f, s.start, s.end) and self.in_deal(s):
            fact.checks.append("effective date: none stated for a rate the deal will set")
        elif not fact.effective_date and self.background_tariff(s, fact):
            fact.checks.append("effective date: none stated for a tariff the sentence mentions in passing")
        elif not fact.effective_date:
            d = self.sentence_date(s)
            fact.effective_date = d.value if d else self.art.publication_date
            fact.checks.append("effective date: none stated, the announcement date was used")
            fact.score -= 0.15
        bases = [m for m in self.art.in_span(s.start, s.end) if m.type in ("Investigation", "LegalInstrument")]
        basis = bases[0].entity if bases else frame.get("legal_basis") or self.later_legal_basis(s)
        fact.legal_basis = basis
        if not basis:
            self.remedy_basis(fact, s)

    def measure_in(self, s: Sentence) -> list[Claim]:
        """A non-tariff measure adopted: "China's Ministry of Commerce put seven rare-earth elements ...
        under export licensing on April 4", "The British government on Monday relaxed its rules on
        electric car sales". The measure is a new policy of the actor's country."""
        spec = self.r["measure"]
        f = self.art.folded
        rates = [t.at for t in self.tariffs if t.sentence == s.index]
        found = None
        for kind, nouns in spec["kinds"].items():
            for noun in find(nouns, f, s.start, s.end):
                if any(abs(noun.start() - at) < 40 for at in rates):
                    continue  # a rate beside it: the tariff rule tells it
                before = f[max(s.start, noun.start() - 100) : noun.start()]
                verb = re.search(_pattern(tuple(spec["verbs"])).pattern + r"\s+(?:[\w'-]+\s+){0,4}$", before)
                under = re.search(_pattern(tuple(spec["under"])).pattern + r"\s+(?:[\w'-]+\s+){0,12}under\s+$", before)
                if verb or under:
                    found = (kind, noun, noun.start() - len(before) + (verb or under).start())
                    break
            if found:
                break
        if not found:
            return self.ban_in(s) or self.invoked_in(s) or self.payment_in(s) or self.measure_named_in(s)
        kind, noun, vstart = found
        actor = self.measure_actor(s, vstart)
        if actor is None:
            return []
        # the measure's words: its noun and what it is on ("rules on electric car sales")
        tail = _MEASURE_TAIL.match(f[noun.end() : s.end])
        phrase = self.art.text[noun.start() : noun.end() + (tail.end() if tail else 0)]
        props = {}
        goods = [m.entity for m in self.art.in_span(s.start, s.end) if m.type == "Product"]
        if goods and kind in ("LicensingRequirement", "ImportBan"):
            props["goods"] = goods[0]
        own = next((x for x in self.art.dates_in(noun.end(), s.end)
                    if re.search(r"\b(?:from|starting|effective|as of)\s+$", f[max(s.start, x.start - 14) : x.start])), None)
        if own:
            props["effective_date"] = own.value
        # "The US Commerce Department issued a final rule": a body that is the subject of the verb imposes
        # the measure, for its country; one named as its country's ("China's Ministry of Commerce put ...")
        # or only saying so ("China will require licences, the ministry said") leaves it the country's
        if actor.type in ("Ministry", "Agency", "Legislature") and actor.end <= vstart \
                and not re.search(r"'s\s+$", f[max(s.start, actor.start - 4) : actor.start]) \
                and not re.match(r"[\w.]+'s\s", actor.text):
            props["imposed_by"] = actor.entity
        return self.adopted(s, kind, actor, phrase, f"a measure's noun ({noun.group(0)!r})", props)

    def measure_named_in(self, s: Sentence) -> list[Claim]:
        """ "Germany ended its subsidy for electric-car purchases", "the British government's zero-emission
        vehicle mandate": a measure of a named authority, whose adoption the article takes as known; the
        authority adopted it (uncertain: the article may only name it)."""
        spec = self.r["measure"]
        f = self.art.folded
        rates = [t.at for t in self.tariffs if t.sentence == s.index]
        if any(c.kind in ("MeasureAdoption", "MeasureRemoval") and c.sentence == s.index for c in self.claims):
            return []
        for kind, nouns in spec["named"].items():
            for noun in find(nouns, f, s.start, s.end):
                if any(abs(noun.start() - at) < 40 for at in rates):
                    continue
                actor = self.measure_actor(s, noun.start())
                if actor is None or actor.type not in ("Country", "Government", "Ministry", "Agency", "Legislature"):
                    continue
                # its own: "the British government's ... mandate", "Germany ended its subsidy", "US ... tax credits"
                between = f[actor.end : noun.start()]
                if not (re.fullmatch(r"'s\s+(?:[\w-]+\s+){0,4}", between)
                        or (re.search(r"(?<![\w-])(?:its|their)\s+(?:[\w-]+\s+){0,4}$", between) and len(between.split()) <= 12)
                        or (actor.type == "Country" and re.fullmatch(r"\s+(?:[\w-]+\s+){0,3}", between))):
                    continue
                tail = _MEASURE_TAIL.match(f[noun.end() : s.end])
                owned = re.match(r"'s\s+", between)  # its words after the possessive: "zero-emission vehicle mandate"
                begin = actor.end + owned.end() if owned else noun.start()
                phrase = self.art.text[begin : noun.end() + (tail.end() if tail else 0)]
                found = self.adopted(s, kind, actor, phrase, f"a measure's noun ({noun.group(0)!r}) after its authority", {})
                for claim in found:
                    claim.score = min(claim.score, 0.45)
                    claim.checks.append("a measure the article names: check that its adoption is told")
                return found
        return []

    def measure_actor(self, s: Sentence, vstart: int) -> Mention | None:
        """Who adopts a measure: the last authority before its verb, not one the measure is on; a body of
        the country that says so ("China will require licences ..., the Ministry of Commerce said")."""
        f = self.art.folded
        actor = next(
            (m for m in reversed(self.agents(s.start, vstart))
             if m.type in ("Country", "Government", "Ministry", "Agency", "Legislature")
             and not re.search(r"(?:from|on|against|in|to)\s+$", f[max(s.start, m.start - 12) : m.start])),
            None,
        )
        body = self.announcing_body(s, actor.entity) if actor else None
        if body:
            return next(m for m in self.agents(s.start, s.end) if m.entity == body)
        if actor is None:
            # "President Donald Trump on Wednesday proposed weakening US fuel economy standards": a head of
            # government as the verb's subject
            leader = next((m for m in reversed(self.agents(s.start, vstart)) if m.type == "Person"), None)
            if leader is not None and _LEADER_TITLE.search(f[max(s.start, leader.start - 20) : leader.start]) \
                    and re.fullmatch(r"\s+(?:(?:on|last|this)\s+\w+\s+)?(?:has\s+|had\s+|will\s+|would\s+)?",
                                     f[leader.end : vstart]):
                return leader
        return actor

    def adopted(self, s: Sentence, kind: str, actor: Mention, phrase: str, why: str, props: dict) -> list[Claim]:
        """The MeasureAdoption of a new policy of the actor's country named from ``phrase``; the same
        measure told again ("after China blocked exports ...", then how) is the same act."""
        country = self.country_of(actor.entity)
        adjective = cues()["country_adjectives"].get(country or "", "")
        # a country without an adjective in the cues (one of the world's list): "law (Australia)"
        owner = "" if adjective or not country else (
            self.art.new_entities[country].name if country in self.art.new_entities
            else _world().first.get(country) or next((m.text for m in self.art.mentions if m.entity == country), ""))
        name = f"{adjective} {phrase}".strip() + (f" ({owner})" if owner else "")
        policy = slugify(name)
        props = {"imposed_by": country or actor.entity, **props}
        same = next((c for c in self.claims if c.kind == "MeasureAdoption" and self.art.types.get(c.first("policy")) == kind
                     and self.country_of(c.first("actor")) == country and props.get("target_company")
                     and self.art.new_entities[c.first("policy")].props.get("target_company") == props["target_company"]),
                    None)
        if same is not None:
            same.roles["actor"] = [actor.entity] if self.art.types.get(same.first("actor")) == "Country" else same.roles["actor"]
            same.evidence.append((s.start, s.end))
            return [same]
        claim = self.new_claim("measure", s)
        claim.add("actor", actor.entity)
        claim.add("policy", policy)
        d = self.sentence_date(s)
        claim.date = d.value if d else None
        self.art.new_entities.setdefault(policy, NewEntity(policy, kind, name, 0.5, why, props=props))
        self.art.types[policy] = kind
        claim.checks.append(f"the measure {name!r} is a new policy: name it and check its details")
        return [self.keep(claim)]

    def co_issuers_in(self, s: Sentence) -> None:
        """ "The ministry said in a notice issued with the Ministry of Industry ... and the General
        Administration of Customs that ...": the bodies it issued the measure with adopt it too."""
        f = self.art.folded
        hit = re.search(r"\b(?:issued|published|released|announced|drawn up)\s+(?:jointly\s+|together\s+)?with\s+"
                        r"|\bin a joint (?:notice|statement|announcement|decree) with\s+", f[s.start : s.end])
        if not hit:
            return
        subject = {m.entity for m in self.agents(s.start, s.start + hit.start())}
        measure = next((c for c in reversed(self.claims) if c.kind == "MeasureAdoption" and c.sentence >= s.index - 2
                        and subject & set(c.roles.get("actor", []))), None)
        if measure is None:
            return
        end = re.search(r"\s(?:that|to|on|which)\s|[;:]", f[s.start + hit.end() : s.end])
        stop = s.start + hit.end() + end.start() if end else s.end
        bodies = [m for m in self.agents(s.start + hit.end(), stop) if m.type in ("Ministry", "Agency", "Government")]
        if bodies:
            measure.add("actor", *(m.entity for m in bodies))
            measure.evidence.append((s.start, s.end))

    def ban_in(self, s: Sentence) -> list[Claim]:
        """ "China's Ministry of Commerce had barred Nexperia's Chinese unit from exporting", "blocked exports
        of chips made by Nexperia", "ordered Toyota Motor ... to stop shipping six models": an authority
        stopping trade adopts a ban on it."""
        spec = self.r["measure"]["bans"]
        f = self.art.folded
        verbs = _pattern(tuple(spec["verbs"])).pattern
        trade = _pattern(tuple(spec["trade"])).pattern
        hit = re.compile(verbs + r"\s+(?:(?:[\w'-]+\s+){1,8}?from\s+(" + trade + r")|(?:the\s+)?(" + trade + r")\s+(?:of|by)\b)")
        m = hit.search(f, s.start, s.end)
        orders, stop, stopped = (_pattern(tuple(spec[k])).pattern for k in ("orders", "stop", "stopped"))
        ordered = None if m is not None else re.compile(
            orders + r"\s+(?:[\w'.,-]+\s+){1,10}?to\s+(?:" + stop + r")\s+(" + stopped + r")").search(f, s.start, s.end)
        m = m or ordered
        if m is None:
            return []
        actor = self.measure_actor(s, m.start())
        if actor is None:
            return []
        if ordered is not None:
            firm = next((x for x in self.art.in_span(m.start(), m.end()) if x.type in ("Company", "Automaker")), None)
            phrase = f"order to stop {m.group(1)}" + (f" for {firm.text}" if firm else "")
            return self.adopted(s, "Policy", actor, phrase, "trade stopped by an authority's order",
                                {"target_company": firm.entity} if firm else {})
        flow = "import" if "import" in (m.group(1) or m.group(2)) else "export"
        firm = next((x for x in self.art.in_span(m.start(), s.end) if x.type in ("Company", "Automaker")), None)
        phrase = f"{flow} ban" + (f" on {firm.text}" if firm else "")
        props = {"target_company": firm.entity} if firm else {}
        return self.adopted(s, spec["class"], actor, phrase, "trade stopped by an authority", props)

    def payment_in(self, s: Sentence) -> list[Claim]:
        """ "Germany will pay households on low and middle incomes up to 6,000 euros towards a new electric
        car": an authority paying buyers or makers a sum adopts a subsidy."""
        spec = self.r["measure"]["pays"]
        f = self.art.folded
        verb = re.compile(_pattern(tuple(spec["verbs"])).pattern + r"\s+(?:[\w'-]+\s+){0,12}?(?:up to\s+)?"
                          r"(?:(?:[a-z]{0,2}\$|€|£|¥)\s?\d[\d.,]*|\d[\d.,]*\s*(?:billion\s+|million\s+)?"
                          r"(?:euros?|yuan|dollars|pounds|yen|rupees|won|rand)\b)").search(f, s.start, s.end)
        if verb is None:
            return []
        actor = self.measure_actor(s, verb.start())
        if actor is None or actor.end > verb.start():
            return []
        towards = re.match(r"\s*(?:\([^)]*\)\s*)?(?:towards|for|to buy|on)\s+((?:an?\s+|the\s+)?(?:[\w'-]+\s+){0,3}?"
                           r"(?:cars?|vehicles?|evs?|factories|plants?))\b", f[verb.end() : s.end])
        phrase = "subsidy" + (f" towards {self.art.text[verb.end() + towards.start(1) : verb.end() + towards.end(1)]}"
                              if towards else "")
        return self.adopted(s, spec["class"], actor, phrase, "an authority paying a sum", {})

    def invoked_in(self, s: Sentence) -> list[Claim]:
        """ "The Dutch government said it had invoked the Goods Availability Act to take control of Nexperia":
        an authority invoking a law adopts a measure under it."""
        f = self.art.folded
        verb = find(self.r["measure"]["invoke"], f, s.start, s.end)
        law = next((m for m in self.art.in_span(verb[0].end(), s.end) if m.type == "LegalInstrument"
                    and re.fullmatch(r"\s+(?:the\s+|its\s+)?", f[verb[0].end() : m.start])), None) if verb else None
        if law is None:
            return []
        actor = self.measure_actor(s, verb[0].start())
        if actor is None:
            return []
        purpose = re.match(r"^(?:\s+on\s+\w+(?:\s+\d+)?)?\s+to\s+((?:[\w'-]+\s+){1,4}?[\w'-]+)"
                           r"(?=[,.;]|\s+(?:which|who|citing|after|on)\b)", f[law.end : s.end])
        phrase = f"measure under the {law.text}" if not purpose else \
            f"measure to {self.art.text[law.end + purpose.start(1) : law.end + purpose.end(1)]}"
        claims = self.adopted(s, "Policy", actor, phrase, f"a law invoked ({law.text!r})", {"legal_basis": law.entity})
        when = next((d for d in self.art.dates_in(law.end, min(s.end, law.end + 25))
                     if re.fullmatch(r"\s+(?:on|in)\s+", f[law.end : d.start])), None)
        if when:  # "had invoked the Act on September 30": the act's own date, not the saying's
            claims[0].date = when.value
        return claims

    def removal_triggers(self, s: Sentence) -> list[re.Match]:
        """ "would remove its counter-tariffs", "lifted the duties": a removal verb with a policy word just after."""
        spec = self.r["removal"]
        words = _pattern(tuple(spec["policy_words"])).pattern
        f = self.art.folded
        return [t for t in find(spec["triggers"], f, s.start, s.end)
                if re.match(r"^\s+(?:[\w$.'-]+\s+){0,3}?" + words, f[t.end() : s.end])]

    def existing_rate(self, s: Sentence, rs: int) -> tuple[bool, bool]:
        """Whether the rate at rs names a tariff in force already (kept, or removed): the nearest cue before it."""
        f = self.art.folded
        kept = [m.start() for m in find(self.r["tariff"]["existing"], f, s.start, rs)]
        removed = [m.start() for m in self.removal_triggers(s) if m.start() < rs]
        if not kept and not removed:
            return False, False
        return True, max(removed, default=-1) > max(kept, default=-1)

    def removal_in(self, s: Sentence) -> list[Claim]:
        """An authority removing a measure: "Canada would remove its counter-tariffs on US goods from September 1"."""
        f = self.art.folded
        out = []
        for t in self.removal_triggers(s):
            actor = None
            for m in reversed(self.agents(s.start, t.start())):
                if m.type not in ("Country", "Government", "Ministry", "Agency", "Legislature", "Person"):
                    continue
                if re.search(r"(?:from|on|against|in|to)\s+$", f[max(s.start, m.start - 12) : m.start]):
                    continue
                speaks = re.match(r"^(?:\s*,[^,]*,)?\s+(?:on \w+\s+)?(?:said|says|told)\b", f[m.end : m.end + 60])
                if m.type == "Person" and speaks:
                    continue  # the speaker, not who removes
                actor = m
                break
            if actor is None:
                continue
            claim = self.new_claim("removal", s)
            claim.add("actor", actor.entity)
            for fact in self.tariffs:
                if fact.sentence == s.index and fact.removed:
                    claim.add("policy", fact)
            claim.date = self.effective_date(s.start, s.end, t.start())
            if not claim.date:
                d = self.sentence_date(s)
                claim.date = d.value if d else None
            out.append(self.keep(claim))
            break
        return out

    def removal_policies(self) -> None:
        """A removal whose sentence gives no rate: the authority's tariff the article names elsewhere, not one kept."""
        for claim in self.claims:
            if claim.kind != "MeasureRemoval" or claim.roles.get("policy"):
                continue
            country = self.country_of(claim.first("actor")) or self.country_of(self.speaker_org(claim.first("actor")) or "")
            theirs = [t for t in self.tariffs if t.imposed_by == country and t.sentence != claim.sentence and not t.existing]
            if theirs:
                claim.add("policy", min(theirs, key=lambda t: abs(t.sentence - claim.sentence)))
            else:
                claim.checks.append("which measure: none named with a rate")

    def remedy_basis(self, fact: TariffFact, s: Sentence) -> None:
        """A countervailing or anti-dumping duty with no legal basis named: the registry's one
        investigation of that kind by the duty's authority into its goods (or goods of the same HS
        heading), which then names the goods exactly ("duties on electric vehicles" -> battery EVs)."""
        f = self.art.folded
        kind = ("AntiSubsidyInvestigation" if fact.type == "CountervailingDuty"
                else "AntiDumpingInvestigation" if re.search(r"\banti-dumping\b|\bdumping\b", f[s.start:s.end]) else None)
        if kind is None or not fact.imposed_by:
            return
        index = self.art.index

        def codes(product: str | None) -> set[str]:
            decl = index.entities.get(product or "")
            return {str(v.raw)[:7] for v in decl.props.get("hs_code", [])} if decl else set()

        found = []
        for decl in index.entities.values():
            if decl.type != kind:
                continue
            by = [str(v.raw) for v in decl.props.get("investigated_by", [])]
            if not any(self.country_of(b) == fact.imposed_by for b in by):
                continue
            products = [str(v.raw) for v in decl.props.get("investigated_product", [])]
            if fact.goods in products or any(codes(p) & codes(fact.goods) for p in products):
                found.append((decl.id, products[0]))
        if len(found) == 1:
            fact.legal_basis, fact.goods = found[0]

    def rate_authority(self, s: Sentence, rs: int) -> str | None:
        """The authority named right before this rate's tariff word: "as the US tariff of 25% took effect",
        "cut the US \"reciprocal\" tariff on Korean goods to 15%"."""
        f = self.art.folded
        after = re.match(
            r"^\s+([\w.]+)\s+(?:tariffs?|duty|duties|surtax)\b",
            f[rs : rs + 40].split("%", 1)[-1] if "%" in f[rs : rs + 8] else f[rs : rs + 40],
        )
        if after:  # "a 100% US tariff"
            country = cues()["demonyms"].get(after.group(1))
            if country:
                return country
        before = self.owner_before_rate(s, rs)
        if before:  # "the US 25% tariff", "China's 34% counter-tariff"
            return before
        where = self.country_after_rate(s, rs)
        if where:  # "duties of up to 35.3% in the European Union and a 100% surtax in Canada"
            return where
        words = [m for m in find(self.r["tariff"]["triggers"], f, s.start, rs) if rs - m.end() < 45]
        if not words:
            return None
        word = words[-1]
        # "..., and China will lower its tariffs on US goods to 10%": "its" is the subject of its clause
        its = re.search(r"\b(?:its|their)\s+(?:[a-z-]+\s+)?$", f[max(s.start, word.start() - 30) : word.start()])
        if its:
            at = word.start() - (len(f[max(s.start, word.start() - 30) : word.start()]) - its.start())
            clause = s.start
            for sep in re.finditer(r"[,;:]\s+(?:and\s+|while\s+|but\s+)?", f[s.start : at]):
                clause = s.start + sep.end()
            subject = [m for m in self.agents(clause, at) if m.type in ("Country", "Government", "Ministry", "Agency",
                                                                          "Legislature")]
            if subject:
                return self.country_of(subject[0].entity) or subject[0].entity
        lo = max(s.start, word.start() - 30)
        window = f[lo : word.start()]
        for mention in reversed(self.art.in_span(lo, word.start())):
            if re.fullmatch(r"(?:'s)?\s+(?:\"[^\"]*\"\s+|[a-z-]+\s+)?", f[mention.end : word.start()]):
                return mention.entity
        for demonym, country in cues()["demonyms"].items():
            if re.search(r"(?<![\w-])" + re.escape(demonym) + r"(?:'s)?\s+(?:\"[^\"]*\"\s+|[a-z-]+\s+)?$", window):
                return country
        return None

    def country_after_rate(self, s: Sentence, rs: int) -> str | None:
        """The country a rate is charged in, named just after it ("face duties of up to 35.3% in the
        European Union"): where a tariff applies is who imposes it; goods "made in" a country are its target."""
        f = self.art.folded
        words = _pattern(tuple(self.r["tariff"]["triggers"])).pattern
        named = re.match(r"[\d.,]+\s*(?:%|percent|per cent)\s+(?:[a-z-]+\s+)?" + words + r"\s+in\s+(?:the\s+)?", f[rs : s.end])
        # "duties of up to 35.3% in ...": the tariff word before the rate, not "sales fell 25% in China"
        of = re.search(words + r"\s+of\s+(?:up to\s+|about\s+|around\s+|as much as\s+)?$", f[max(s.start, rs - 40) : rs])
        bare = re.match(r"[\d.,]+\s*(?:%|percent|per cent)\s+in\s+(?:the\s+)?", f[rs : s.end]) if of else None
        rate = named or bare
        if not rate:
            return None
        at = rs + rate.end()
        country = next((m for m in self.art.in_span(at, min(s.end, at + 20)) if m.start == at and m.type == "Country"), None)
        return country.entity if country else None

    def background_tariff(self, s: Sentence, fact: TariffFact) -> bool:
        """A tariff of one authority in a sentence whose subject is another ("The British government on
        Monday relaxed its rules ..., days after the United States put a 25% tariff on imported
        vehicles"): the sentence's act is not the tariff's, so its date is not the tariff's start."""
        words = find(self.r["tariff"]["triggers"], self.art.folded, s.start, s.end)
        subject = next(iter(self.agents(s.start, words[0].start() if words else s.end)), None)
        if subject is None or not fact.imposed_by:
            return False  # "The duties, set at 17.0% for BYD, ...": a name after the tariff is no subject
        if subject.entity == fact.target_company or subject.entity in fact.targets:
            return False  # "Tesla's cars made in Shanghai face an extra 7.8%": the tariff's own target
        if subject.type not in ("Automaker", "Company", "Government", "Ministry", "Agency", "Legislature", "Country",
                                "Association", "Person"):
            return False
        owner = self.country_of(subject.entity) or subject.entity
        if subject.type == "Person":
            org = self.speaker_org(subject.entity)
            owner = (self.country_of(org) or org) if org else None
            if owner is None:
                return False
        return owner != fact.imposed_by

    def owner_before_rate(self, s: Sentence, rs: int) -> str | None:
        """A country named just before a rate that a tariff word follows: "after the US 25% tariff on
        imported cars took effect", "China's 34% counter-tariff", "a new Canadian 100% surtax"."""
        f = self.art.folded
        words = _pattern(tuple(self.r["tariff"]["triggers"])).pattern
        if not re.match(r"^[\d.,]+\s*(?:%|percent|per cent)\s+(?:[a-z-]+\s+)?" + words, f[rs : rs + 50]):
            return None
        lo = max(s.start, rs - 30)
        gap = r"(?:'s)?\s+(?:(?:new|additional|extra|higher|planned)\s+)?"
        for mention in reversed(self.art.in_span(lo, rs)):
            if mention.type in ("Country", "Government") and re.fullmatch(gap, f[mention.end : rs]):
                return self.country_of(mention.entity) or mention.entity
        for demonym, country in cues()["demonyms"].items():
            if re.search(r"(?<![\w-])" + re.escape(demonym) + gap + "$", f[lo:rs]):
                return country
        return None

    def later_effective_date(self, s: Sentence, authority: str | None = None) -> str | None:
        for other in self.art.sentences[s.index + 1 : s.index + 3]:
            words = find(self.r["tariff"]["triggers"], self.art.folded, other.start, other.end)
            # "Importers will have to pay deposits at those rates from September 10": the next paragraph's
            # sentence that refers back to the rates dates them too
            back = re.search(r"\b(?:at|of)\s+(?:those|these|the same|the new)\s+rates\b",
                             self.art.folded[other.start : other.end])
            if other.paragraph != s.paragraph and not words and not back:
                break
            owner = self._owner_before(other, words[0].start()) if words else None
            if owner and authority and self.country_of(owner) not in (None, authority):
                continue  # "Canada's counter-tariffs, which apply from April 9": not the US tariff's date
            eff = self.effective_date(other.start, other.end)
            if eff:
                return eff
        return None

    def later_legal_basis(self, s: Sentence) -> str | None:
        for other in self.art.sentences[s.index + 1 : s.index + 3]:
            for m in self.art.in_span(other.start, other.end):
                if m.type in ("Investigation", "LegalInstrument"):
                    return m.entity
        return None

    def country_of(self, entity: str) -> str | None:
        if self.art.types.get(entity) == "Country" or entity in cues()["country_adjectives"]:
            return entity
        decl = self.art.index.entities.get(entity)
        if decl:
            for v in decl.props.get("country", []):
                return str(v.raw)
        if entity in self.art.new_entities:
            if self.art.new_entities[entity].props.get("country"):
                return self.art.new_entities[entity].props["country"]  # "the Dutch government"
            # "Mexico's Congress": the country in its name
            for country in cues()["country_adjectives"]:
                if entity.startswith(country):
                    return country
        return None

    def keep_tariff(self, fact: TariffFact) -> TariffFact:
        for other in self.tariffs:
            if (other.rate, other.goods, other.imposed_by, other.target_company) == (
                fact.rate,
                fact.goods,
                fact.imposed_by,
                fact.target_company,
            ):
                for span in fact.evidence:
                    if span not in other.evidence:
                        other.evidence.append(span)
                other.legal_basis = other.legal_basis or fact.legal_basis
                return other
        self.tariffs.append(fact)
        return fact

    # --- reports, denials ---------------------------------------------------------------
    def report_in(self, s: Sentence) -> None:
        spec = self.r["report"]
        f = self.art.folded
        if not find(spec["triggers"], f, s.start, s.end):
            return
        outlets = [
            m
            for m in self.art.in_span(s.start, s.end)
            if m.type == "MediaOutlet"
            # the publisher's own earlier story is a report too: "Reuters reported on Tuesday, citing ..."
            and (m.entity != self.art.publisher
                 or re.match(r"\s+(?:had\s+|has\s+|first\s+|exclusively\s+)?reported\b", f[m.end : m.end + 30]))
            and not re.search(r"(?:told|(?<!according )to)\s+(?:the\s+)?$", f[max(0, m.start - 30) : m.start])
        ]
        if not outlets:
            back = "|".join(re.escape(w) for w in spec["back_words"])
            if re.match(r"^(?:according to|the) (?:the )?(?:same )?(?:" + back + r")\b", f[s.start : s.end]) and self.last_report:
                self._report_scope.add(s.index)
                self.last_report.evidence.append((s.start, s.end))
            return
        outlet = outlets[0]
        claim = self.reports.get(outlet.entity)
        if claim is None:
            claim = self.new_claim("report", s)
            claim.add("reporter", outlet.entity)
            claim = self.keep(claim)
            self.reports[outlet.entity] = claim
        elif (s.start, s.end) not in claim.evidence:
            claim.evidence.append((s.start, s.end))
        count = re.search(
            r"(?:citing|quoting|according to|cited)\s+[\"\u201c]?(\w+)\s+((?:(?:government|company|industry|senior|unnamed|"
            r"anonymous)\s+)?(?:" + "|".join(spec["sources"]) + r"))\b([^,.;\"\u201d]*)",
            f[s.start : s.end],
        )
        if count:
            n = _NUMBERS.get(count.group(1)) or (int(count.group(1)) if count.group(1).isdigit() else None)
            if n:
                claim.roles["anonymous_source_count"] = [n]
                desc = (count.group(2) + count.group(3)).strip()
                claim.roles["source_description"] = [
                    self.art.text[s.start + count.start(2) : s.start + count.start(2) + len(desc)]
                ]
        self.last_report = claim
        self._report_scope.add(s.index)

    def denial_in(self, s: Sentence) -> Claim | None:
        f = self.art.folded
        key = None
        for k in ("denial", "confirmation"):
            if find(self.r[k]["triggers"], f, s.start, s.end):
                key = k
                break
        if key is None:
            return None
        claim = self.new_claim(key, s)
        trig = find(self.r[key]["triggers"], f, s.start, s.end)[0]
        by = re.search(r"(?:denied|rejected|dismissed|confirmed)\s+by\s+", f[s.start : s.end])
        who = None
        if by:
            who = next((m for m in self.agents(s.start + by.end(), s.end)), None)
        if who is None:
            before = self.agents(s.start, trig.start())
            spokes = re.search(
                r"(?:an?|the)\s+([\w-]+(?:\s[\w-]+)?)\s+(?:spokesperson|spokesman|spokeswoman|representative)", f[s.start : s.end]
            )
            if spokes:
                org = next((m for m in self.art.in_span(s.start + spokes.start(), s.start + spokes.end()) if m.is_agent), None)
                if org:
                    claim.add("on_behalf_of", org.entity)
                    desc = self.art.text[s.start + spokes.start() : s.start + spokes.end()]
                    claim.add("speaker_description", desc)
            if before and "on_behalf_of" not in claim.roles:
                speaking = [
                    m
                    for m in before
                    if m.type != "MediaOutlet" and re.match(r"^(?:\s+\w+)?\s+(?:said|says|told|stated)\b", f[m.end : m.end + 20])
                ]
                if speaking:
                    who = speaking[0]
                else:
                    who = before[-1] if before[-1].type != "MediaOutlet" else None
        if who is not None:
            self.add_speaker(claim, who)
        if not claim.roles.get("speaker") and not claim.roles.get("on_behalf_of"):
            return None
        addressee = re.search(r"(?:told|sent to|to)\s+(?:the\s+)?", f[s.start : s.end])
        for m in self.art.in_span(s.start, s.end):
            if m.type == "MediaOutlet" and re.search(
                r"(?:told|sent to|to)\s+(?:the\s+)?$", f[max(s.start, m.start - 12) : m.start]
            ):
                claim.add("addressee", m.entity)
        del addressee
        quote = self.art.quote_in(s)
        if quote and key == "denial":
            claim.add("quote", quote)
        d = self.sentence_date(s)
        claim.date = d.value if d else None
        answered = self.answered_claim(s, claim)
        if answered is None:
            self.pending_denials.append((s, claim))
            return claim
        claim.add("denies" if key == "denial" else "confirms", answered)
        self.keep(claim)
        return claim

    def answered_claim(self, s: Sentence, denial: Claim) -> Claim | None:
        """What a denial answers: a claim in its sentence, else one the denier takes part in, else the last report's."""
        denier = set(denial.roles.get("on_behalf_of", []) + denial.roles.get("speaker", []))
        candidates = [
            c
            for c in self.claims
            if c.kind not in ("Report", "Denial", "Confirmation", "Statement") and not policy_action(c.kind)
        ]
        same = [c for c in self.by_sentence.get(s.index, []) if c in candidates]
        if same:
            return same[-1]
        # "BYD rejected the claims": what was said about the denier just before
        if re.search(r"\b(?:claims?|allegations?|accusations?)\b", self.art.folded[s.start : s.end]):
            about = [c for c in self.claims if c.kind == "Statement" and c.sentence >= s.index - 2
                     and denier & {x for x in c.roles.get("stance_target", []) if isinstance(x, str)}]
            if about:
                return about[-1]
        involved = [c for c in candidates if denier & set(_entities(c))]
        if involved:
            return involved[-1]
        if self.last_report and self.last_report.roles.get("reports"):
            return self.last_report.roles["reports"][-1]
        return None

    # --- talks, visits, invitations, agreements, investments ----------------------------
    def negotiation_in(self, s: Sentence) -> list[Claim]:
        spec = self.r["negotiation"]
        f = self.art.folded
        trig = find(spec["triggers"], f, s.start, s.end)
        if not trig:
            return []
        t = trig[0]
        if re.search(r"\b(?:not|no|never|denied|deny|denies)\s+(?:\w+\s+)?$", f[max(s.start, t.start() - 20) : t.start()]):
            return []  # "is not negotiating": no talks
        if self.denied_here and self.art.inside_quote(t.start()):
            return []  # what a denial's quotation says is not so
        if find(spec["ended"], f, max(s.start, t.start() - 30), t.start()):
            return []  # "they had ended talks on combining": the end is what the parties say
        topic_m = re.search(r"[\s\"](" + "|".join(spec["topic"]) + r")\s", f[t.end() : s.end])
        topic_start = t.end() + topic_m.start() if topic_m else s.end
        speaker_end = self._speech_subject_end(s)
        parts = [
            m
            for m in self.agents(speaker_end or s.start, topic_start)
            if not re.search(r"other\s+$", f[max(s.start, m.start - 6) : m.start])
        ]
        if self._group_subject(s, t.start()):
            parts = self._group_subject(s, t.start()) + parts
        # "it had begun talks", "it would keep talking with China": the subject of the speech verb
        if re.search(r"\b(?:it|they)\s+(?:had\s+|has\s+|have\s+)?(?:\w+\s+){0,2}$", f[max(s.start, t.start() - 24) : t.start()]):
            subject = next(
                (
                    m
                    for m in self.agents(s.start, t.start())
                    if re.match(r"^(?:\s+\w+)?\s+(?:said|says|told)\b", f[m.end : m.end + 20])
                ),
                None,
            )
            if subject:
                # "Honda and Nissan said they had begun talks": every name the subject joins
                subjects = [subject]
                for m in reversed(self.agents(s.start, subject.start)):
                    if not re.fullmatch(r"\s*(?:,|and|, and)\s*", f[m.end : subjects[0].start]):
                        break
                    subjects.insert(0, m)
                parts = [m for m in subjects if m.entity not in {p.entity for p in parts}] + parts
        ids = list(dict.fromkeys(m.entity for m in parts))
        if len(ids) < 2:
            return []
        theirs = self.states_talks(ids)
        if theirs is not None:
            if (s.start, s.end) not in theirs.evidence:
                theirs.evidence.append((s.start, s.end))
            self.by_sentence.setdefault(s.index, []).append(theirs)
            return [theirs]
        # "concluded negotiations on a free trade agreement": talks brought to an end by agreeing are an agreement
        concluded = find(spec["concluded"], f, max(s.start, t.start() - 24), t.start()) and \
            re.search(r"\b(?:agreement|deal|pact|treaty)\b", f[t.end() : s.end])
        claim = self.new_claim("trade_agreement" if concluded else "negotiation", s)
        claim.add("participant", *ids)
        if topic_m:
            claim.add("topic", self._phrase(t.end() + topic_m.end(), s.end))
        d = self.sentence_date(s)
        claim.date = d.value if d else None
        # "after two days of talks in Geneva": where the talks are held
        held = next((m for m in self.art.in_span(t.end(), min(s.end, t.end() + 25)) if m.type == "Place"
                     and re.fullmatch(r"\s+in\s+", f[t.end() : m.start])), None)
        if held:
            claim.add("location", held.entity)
        return [self.keep(claim)]

    def side_of(self, entity: str) -> str | None:
        """The country a party stands for: its own, or that of the organisation of its post."""
        country = self.country_of(entity)
        if country or self.art.types.get(entity) != "Person":
            return country
        org = self.speaker_org(entity) or next((o for o, _ in self.positions.get(entity, [])), None)
        decl = self.art.index.entities.get(entity)
        if org is None and decl and decl.positions:
            org = str(decl.positions[0].organization.raw)
        return self.country_of(org) if org else None

    def states_talks(self, ids: list[str]) -> Claim | None:
        """ "Wang Wentao and Maros Sefcovic agreed to launch negotiations", after "China and the European
        Union have agreed to start talks": people speaking for the states whose talks are named already
        hold those talks, not talks of their own."""
        if not all(self.art.types.get(x) == "Person" for x in ids):
            return None
        sides = {self.side_of(x) for x in ids}
        if None in sides or len(sides) != len(ids):
            return None
        return next((c for c in self.claims if c.kind == "Negotiation" and set(c.roles.get("participant", [])) == sides),
                    None)

    def _speech_subject_end(self, s: Sentence) -> int | None:
        """Where "X said (that)" ends, so the speaker is not taken for a participant."""
        f = self.art.folded
        m = re.search(r"\b(?:said|says|told [\w ]+? that|reported|noted|confirmed)\s+(?:that\s+)?", f[s.start : s.end])
        if m and m.start() < 120:
            before = self.agents(s.start, s.start + m.start())
            if before and not re.search(r"\b(?:talks|negotiat\w*|discuss\w*|spoken|spoke)\b", f[s.start : s.start + m.start()]):
                return s.start + m.end()
        return None

    def _group_subject(self, s: Sentence, before: int) -> list[Mention]:
        f = self.art.folded
        hit = find(self.r["group_subjects"], f, s.start, before)
        if not hit:
            return []
        sides = "sides" in hit[0].group(0)
        kinds = ("Country", "Government", "Ministry") if sides else ("Automaker", "Company")
        companies = [m for m in self.art.mentions if m.end <= s.start and m.type in kinds and not m.modifier]
        seen, out = set(), []
        for m in reversed(companies):
            # "the two sides" are two states: a ministry after its country's name is the same side
            key = (self.country_of(m.entity) or m.entity) if sides else m.entity
            if key not in seen:
                seen.add(key)
                out.append(m if key == m.entity else Mention(m.start, m.end, m.text, key, "Country"))
            if len(out) == 2:
                break
        return list(reversed(out))

    def _phrase(self, start: int, end: int, words: int = 14) -> str:
        raw = self.art.text[start:end]
        raw = re.split(
            r"[,;:\u201d\"]|\s(?:and said|while|but|saying|adding|has been|have been|had been|was|were|is|are)\s", raw
        )[0]
        out = " ".join(raw.replace("\u201c", "").split()[:words]).strip(" .")
        return out

    def visit_and_invitation_in(self, s: Sentence) -> list[Claim]:
        f = self.art.folded
        out = []
        visit = None
        vt = find(self.r["visit"]["triggers"], f, s.start, s.end)
        if vt:
            t = vt[0]
            places = [
                m
                for m in self.art.in_span(max(s.start, t.start() - 30), min(s.end, t.end() + 40))
                if m.type in ("Place", "Country") and not m.modifier
            ]
            visitor = next(
                (
                    m
                    for m in reversed(self.agents(s.start, t.start()))
                    if m.type in ("Person", "Government", "Country") and (not places or m.entity != places[0].entity)
                ),
                None,
            )
            # "Sanchez said ... that the EU should ..., at the end of a four-day visit to China": a visit told
            # as the circumstance of the sentence is its subject's
            adjunct = re.search(r"\b(?:at the end of|during|on|after|ahead of|before|while on|wrapping up|ending)\s+"
                                r"(?:a|an|his|her|their|its)\s+(?:[\w-]+\s+){0,3}$", f[max(s.start, t.start() - 60) : t.start()])
            subject = next((m for m in self.agents(s.start, t.start()) if m.type in ("Person", "Government", "Country")
                            and (not places or m.entity != places[0].entity)), None)
            if adjunct and subject is not None and subject.type == "Person":
                visitor = subject
            # "during a visit by Indian Prime Minister Narendra Modi to London": the visitor after "by"
            by = re.match(r"^\s+by\s+", f[t.end() : s.end])
            if by:
                # "a state visit by South Korea's then President Yoon Suk Yeol": the person, not his country
                near = [m for m in self.agents(t.end(), min(s.end, t.end() + 70))
                        if m.type in ("Person", "Government", "Country")]
                owned = near and near[0].type == "Country" and re.match(r"'s\s", f[near[0].end : near[0].end + 3])
                visitor = next((m for m in near if m.type == "Person"), None) if owned else None
                visitor = visitor or (near[0] if near else visitor)
                to = re.search(r"\bto\s+((?:[a-z]+\s)?[a-z]+)\b", f[t.end() : min(s.end, t.end() + 90)])
                after = [m for m in self.art.in_span(t.end(), min(s.end, t.end() + 90))
                         if m.type in ("Place", "Country") and not m.modifier and visitor and m.start > visitor.end]
                capital = next((cues()["capitals"].get(w) for w in (to.group(1), to.group(1).split()[-1]) if to
                                and cues()["capitals"].get(w)), None) if to else None
                places = after or ([_Place(capital)] if capital else places)
            if not places:
                # "made an unannounced visit to Beijing": a capital after "to" stands for its country
                to = re.match(r"\s+to\s+((?:[a-z]+\s)?[a-z]+)\b", f[t.end() : min(s.end, t.end() + 40)])
                words = (to.group(1), to.group(1).split()[0]) if to else ()
                capital = next((cues()["capitals"][w] for w in words if w in cues()["capitals"]), None)
                # "arrived in Tokyo on Monday": a capital the registry names for its government, just after
                named = next((m for m in self.art.in_span(t.end(), min(s.end, t.end() + 25))
                              if fold(m.text) in cues()["capitals"]), None) if capital is None else None
                capital = capital or (cues()["capitals"][fold(named.text)] if named else None)
                places = [_Place(capital)] if capital else places
            if visitor and places and visitor.entity == places[0].entity:
                visitor = None  # a country visiting itself is no visit that the sentence tells
            if visitor and places:
                visit = self.new_claim("visit", s)
                visit.add("visitor", visitor.entity)
                visit.add("location", places[0].entity)
                d = self.sentence_date(s)
                visit.date = d.value if d else None
                visit = self.keep(visit)
                out.append(visit)
        it = find(self.r["invitation"]["triggers"], f, s.start, s.end)
        if it:
            t = it[0]
            inviter = next((m for m in reversed(self.agents(s.start, t.start())) if m.type != "Place"), None)
            invitee = next((m for m in self.agents(t.end(), min(s.end, t.end() + 60))), None)
            if inviter and invitee:
                inv = self.new_claim("invitation", s)
                inv.add("inviter", inviter.entity)
                inv.add("invitee", invitee.entity)
                purpose = re.search(r"\bto\s+", f[invitee.end : s.end])
                if purpose:
                    inv.add("purpose", self._phrase(invitee.end + purpose.end(), s.end))
                if visit:
                    inv.add("during", visit)
                d = self.sentence_date(s)
                inv.date = d.value if d else None
                out.append(self.keep(inv))
        return out

    def meeting_in(self, s: Sentence) -> list[Claim]:
        f = self.art.folded
        calls = find(self.r["meeting"]["calls"], f, s.start, s.end)
        mt = find(self.r["meeting"]["triggers"], f, s.start, s.end) or calls
        if not mt:
            return []
        t = mt[0]
        kinds = ("Person", "Government", "Country", "Ministry")
        if t.group(0) in ("met", "meet"):
            # "Elon Musk made a visit to Beijing and met Premier Li Qiang": not a place's name after "to" or "in"
            before = [m for m in self.agents(s.start, t.start()) if m.type in kinds
                      and not re.search(r"\b(?:to|in|from|at|into)\s+$", f[max(s.start, m.start - 6) : m.start])]
            subject = before[-1].entity if before else None
            if subject is None and re.search(r"\b(?:he|she)\s+$", f[max(s.start, t.start() - 4) : t.start()]):
                persons = [m for m in self.art.mentions if m.end <= t.start() and m.type == "Person"]
                subject = persons[-1].entity if persons else None
            after = [m for m in self.agents(t.end(), s.end) if m.type in kinds]
            ids = [x for x in (subject, after[0].entity if after else None) if x]
        else:
            people = [m for m in self.agents(s.start, s.end) if m.type == "Person"] or [
                m for m in self.agents(s.start, s.end) if m.type in kinds
            ]
            ids = list(dict.fromkeys(m.entity for m in people))[:3]
        ids = list(dict.fromkeys(ids))
        if len(ids) < 2:
            return []
        if t in calls and any(c.kind == "Negotiation" and set(c.roles.get("participant", [])) == set(ids)
                              for c in self.by_sentence.get(s.index, [])):
            return []  # the call is their talks
        claim = self.new_claim("meeting", s)
        claim.add("participant", *ids)
        places = [m for m in self.art.in_span(s.start, s.end) if m.type == "Place"]
        if places:
            claim.add("location", places[0].entity)
        d = self.sentence_date(s)
        claim.date = d.value if d else None
        return [self.keep(claim)]

    def joint_agreement(self, s: Sentence) -> list[Claim]:
        """ "The United States and China agreed on Monday to cut the tariffs ...": two states agreeing."""
        f = self.art.folded
        parties = ("Country", "Government", "Automaker", "Company", "Association", "Organization")
        for v in find(self.r["trade_agreement"]["joint"], f, s.start, s.end):
            subject = [m for m in self.agents(s.start, v.start()) if m.type in parties]
            # "Audi's parent, Volkswagen, agreed with German unions in December to cut ...": the one it agrees with
            with_ = next((m for m in self.agents(v.end(), min(s.end, v.end() + 40)) if m.type in parties
                          and re.fullmatch(r"\s+with\s+(?:the\s+)?", f[v.end() : m.start])), None)
            if subject and with_ is not None and re.fullmatch(r",?\s+", f[subject[-1].end : v.start()]):
                a, b = subject[-1], with_
            elif len(subject) >= 2:
                a, b = subject[-2], subject[-1]
                # "Stellantis and battery maker CATL agreed", "Volkswagen and the IG Metall union agreed"
                if not re.fullmatch(r"\s+and\s+(?:the\s+)?(?:[a-z-]+\s+){0,2}", f[a.end : b.start]) \
                        or not re.fullmatch(r"\s+(?:union\s+|group\s+)?", f[b.end : v.start()]):
                    continue
            else:
                continue
            ahead = r"^(?:\s+with\s+[^,.;]{1,40}?)?(?:\s+(?:on|in|last)\s+\w+)?\s+(?:to|on)\b"
            if not re.match(ahead, f[v.end() : v.end() + 70]):
                continue
            if (a.type in ("Country", "Government")) != (b.type in ("Country", "Government")):
                continue  # "BYD has agreed with the Turkish government to build a car factory": its investment tells it
            if find(self.r["negotiation"]["triggers"], f, v.end(), min(s.end, v.end() + 40)):
                continue  # "have agreed to start talks on minimum prices": the talks, not a deal
            claim = self.new_claim("trade_agreement", s)
            claim.add("participant", *dict.fromkeys((self.country_of(m.entity) if m.type in ("Country", "Government") else None)
                                                    or m.entity for m in (a, b)))
            claim.add("topic", self._phrase(v.start(), s.end))
            d = self.sentence_date(s)
            claim.date = d.value if d else None
            return [self.keep(claim)]
        return []

    def agreement_in(self, s: Sentence) -> list[Claim]:
        f = self.art.folded
        at = find(self.r["trade_agreement"]["triggers"], f, s.start, s.end)
        if not at:
            return self.joint_agreement(s)
        t = at[0]
        inside = [(a.start(), a.end()) for a in at]
        verbs = [v for v in find(self.r["trade_agreement"]["verbs"], f, s.start, s.end)
                 if not any(a < v.start() < b for a, b in inside)]  # the "agree" of "trade agreement" is no verb
        if not verbs:
            return []  # an agreement named ("comply with the CUSMA agreement"), not concluded
        if re.search(r"\b(?:no|without|lack\w*|outside)\s+(?:an?\s+|any\s+)?$", f[max(s.start, t.start() - 12) : t.start()]):
            return []  # "countries that have no trade agreement with Mexico"

        if find(self.r["negotiation"]["triggers"] + self.r["denial"]["triggers"], f, s.start, t.start()):
            return []  # "talks about forming a joint venture": the talks, not a deal
        parts = self.agents(s.start, s.end)
        states = [m for m in parts if m.type in ("Country", "Government", "Person")]
        # "BYD signed an agreement with Turkey": the company before the words, the state it signs with
        firm = next((m for m in reversed(self.agents(s.start, t.start())) if m.type in ("Automaker", "Company")), None)
        with_state = next((m for m in self.agents(t.end(), min(s.end, t.end() + 30)) if m.type in ("Country", "Government")
                           and re.fullmatch(r"\s+with\s+(?:the\s+)?", f[t.end() : m.start])), None)
        if firm and with_state:
            states = []
            parts = [firm, with_state]
        if states and any(m.type != "Person" for m in states) or len(states) >= 2:
            ids = list(dict.fromkeys(self.country_of(m.entity) or m.entity for m in states))
        else:
            ids = list(dict.fromkeys(m.entity for m in parts if m.type not in ("Person",)))
        if re.search(r"\bthe two countries\b|\bthe two sides\b", f[s.start : s.end]) and len(ids) < 2:
            earlier = [
                self.country_of(m.entity) or m.entity
                for m in self.art.mentions
                if m.end <= s.start and m.type in ("Country", "Government") and not m.modifier
            ]
            ids = list(dict.fromkeys(ids + earlier[::-1]))[:2]
        # "the former Nissan factory": a company naming a plant is no party
        plant = _pattern(tuple(self.r["investment"]["plant_nouns"]))
        owners = {m.entity for m in parts if m.type in ("Automaker", "Company") and plant.match(f, m.end + 1)}
        firms = [m.entity for m in parts if m.type in ("Automaker", "Company") and m.entity not in owners]
        making = re.search(r"\bto\s+" + _pattern(tuple(self.r["trade_agreement"]["production"])).pattern, f[t.end() : s.end])
        made = []
        if making and len(firms) >= 2 and not states:
            plan = self.new_claim("investment", s)
            plan.add("investor", *dict.fromkeys(firms[:2]))
            place = next((m for m in self.art.in_span(t.end() + making.start(), s.end)
                          if m.type in ("Place", "Country") and not m.modifier), None)
            if place:
                plan.add("location", place.entity)
            plan.add("topic", self._phrase(t.end() + making.start(), s.end))
            d = self.sentence_date(s)
            plan.date = d.value if d else None
            made.append(self.keep(plan))
        ids = [x for x in ids if x not in owners]
        if len(ids) < 2:
            return made
        claim = self.new_claim("trade_agreement", s)
        claim.add("participant", *ids[:3])
        claim.add("topic", self._phrase(t.start(), s.end))
        d = self.sentence_date(s)
        claim.date = d.value if d else None
        return [self.keep(claim), *made]

    def investment_in(self, s: Sentence) -> list[Claim]:
        f = self.art.folded
        spec = self.r["investment"]
        it = find(spec["triggers"], f, s.start, s.end)
        # a few words between, none of them a preposition ("cars built at its Shanghai plant" builds nothing)
        build = re.compile(_pattern(tuple(spec["build_verbs"])).pattern
                           + r"\s+(?:(?!(?:at|in|by|from|for|of|on|to|with)\s)\$?[\w.,-]+\s+){0,5}?"
                           + _pattern(tuple(spec["plant_nouns"])).pattern)
        # "a battery plant that Hyundai is building with LG in Georgia": the plant first, its builder after it
        built = re.compile(_pattern(tuple(spec["plant_nouns"])).pattern + r"\s+(?:that|which)\s+((?:[\w.&'-]+\s+){1,4}?)"
                           r"(?:is\s+|was\s+|has\s+|had\s+|will\s+)?(?:been\s+)?" + _pattern(tuple(spec["build_verbs"])).pattern)
        relative = built.search(f, s.start, s.end)
        it = sorted(it + list(build.finditer(f, s.start, s.end)), key=lambda m: m.start())
        if not it and not relative:
            return self.making_in(s)
        t = it[0] if it else relative
        if find(self.r["invitation"]["triggers"] + self.r["negotiation"]["triggers"], f, s.start, t.start()):
            return []
        if re.search(r"(?<![\w-])also\s+(?:(?:is|was|are|were|has|had|have)\s+)?$", f[max(s.start, t.start() - 12) : t.start()]):
            return []  # an aside, not the article's news: "The company is also building plants in Hungary and Turkey"
        plant = _pattern(tuple(spec["plant_nouns"]))
        # "Chery agreed to make cars in Barcelona, and BYD is building plants in Hungary": the builder of its own clause
        joins = re.finditer(r",\s+(?:and|but|while)\s+|;\s+", f[s.start : t.start()])
        clause = s.start + max((m.end() for m in joins), default=0)
        investor = next((m for m in self.agents(clause, t.start()) if m.type in ("Automaker", "Company", "Organization")
                         and not plant.match(f, m.end + 1)), None)  # "a former Toyota plant" is no investor
        partners = []
        if investor is None and relative:
            builders = [m for m in self.agents(relative.start(1), relative.end(1)) if m.type in ("Automaker", "Company")]
            investor = builders[0] if builders else None
            with_ = re.match(r"\s+with\s+", f[relative.end() : s.end])
            if investor and with_:
                partners = [m for m in self.agents(relative.end() + with_.end(), min(s.end, relative.end() + with_.end() + 40))
                            if m.type in ("Automaker", "Company")][:1]
            t = relative
        investor_id = investor.entity if investor else None
        if investor is None and re.match(r"\s*" + _pattern(tuple(spec["plan_subjects"])).pattern, f[s.start : t.start()]):
            # "The plan includes reopening the Belvidere plant": the investor of the investment just named
            earlier = [c for c in self.claims if c.kind == "Investment" and c.roles.get("investor")]
            investor_id = earlier[-1].roles["investor"][0] if earlier else None
        if investor_id is None:
            return []
        claim = self.new_claim("investment", s)
        claim.add("investor", investor_id, *(m.entity for m in partners))
        money = re.search(r"(?:up to\s+)?(?:[a-z]{0,2}\$|€|£|¥)\s?\d[\d.,]*\s*(?:billion|million|bn|m)?", f[s.start : s.end])
        if money:
            claim.add("amount", self.art.text[s.start + money.start() : s.start + money.end()].strip())
        places = [m for m in self.art.in_span(t.start(), s.end) if m.type in ("Place", "Country") and not m.modifier]
        # "in three US plants in Michigan, Kansas and Tennessee": the country the plants are in, before its places
        demonyms = "|".join(re.escape(w) for w in sorted(cues()["demonyms"], key=len, reverse=True))
        plants = re.search(r"(?<![\w-])(" + demonyms + r")\s+(?:plants?|factor(?:y|ies)|sites?|operations|manufacturing)\b",
                           f[t.start() : s.end])
        if plants and (not places or places[0].start > t.start() + plants.start()):
            country = cues()["demonyms"][plants.group(1)]
            places = [m for m in self.art.in_span(s.start, s.end) if m.entity == country][:1] or places
            if not places or places[0].entity != country:
                claim.add("location", country)
        # "BYD is building plants in Hungary and Turkey": a plant in each country, an investment each
        joined = [places[0]] if places else []
        if places and re.search(r"\b(?:plants|factories)\b", f[t.start() : places[0].start]):
            for p in places[1:]:
                if p.type != "Country" or not re.fullmatch(r"\s*(?:,|and|, and)\s*", f[joined[-1].end : p.start]):
                    break
                joined.append(p)
        if len(joined) > 1:
            out = []
            for p in joined:
                each = self.new_claim("investment", s)
                each.roles = {role: list(values) for role, values in claim.roles.items()}
                each.add("location", p.entity)
                each.add("topic", self._phrase(t.start(), s.end))
                d = self.sentence_date(s)
                each.date = d.value if d else None
                out.append(self.keep(each))
            return out
        if places:
            claim.add("location", places[0].entity)
            inside = [p for p in places[1:2] if p.type == "Place"]
            if inside:                   # "in the United States, including a steel plant in Louisiana"
                claim.add("location", inside[0].entity)
        products = [m.entity for m in self.art.in_span(s.start, s.end) if m.type == "Product"]
        for word, product in self.r["investment"]["product_words"].items():
            if find([word], f, s.start, s.end):
                products.append(product)
        if products:
            claim.add("product", products[0])
        claim.add("topic", self._phrase(t.start(), s.end))
        d = self.sentence_date(s)
        claim.date = d.value if d else None
        return [self.keep(claim)]

    def making_in(self, s: Sentence) -> list[Claim]:
        """ "Leapmotor will build electric cars at the Stellantis plant in Zaragoza": a company making
        something at a place named a few words on, after "in" or "at", invests there; the company whose
        plant it is (named between) invests with it."""
        f = self.art.folded
        spec = self.r["investment"]
        bases = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(m) for m in spec["making_modals"]) + r")\s+(?:\w+\s+)?("
                           + _pattern(tuple(spec["making_bases"])).pattern + ")")
        verbs = [m.span() for m in find(spec["making_verbs"], f, s.start, s.end)]
        verbs += [m.span(1) for m in bases.finditer(f, s.start, s.end)]
        if not verbs:
            return []
        start, end = min(verbs)
        talks = self.r["invitation"]["triggers"] + self.r["negotiation"]["triggers"]
        if find(self.r["closure"]["verbs"] + self.r["closure"]["hedges"] + talks + spec["making_asides"], f, s.start, start):
            return []
        investor = next((m for m in reversed(self.agents(s.start, start)) if m.type in ("Automaker", "Company")), None)
        if investor is None:
            return []
        place = next((m for m in self.art.in_span(end, s.end) if m.type in ("Place", "Country") and not m.modifier), None)
        between = f[end : place.start] if place else ""
        made = find(spec["making_goods"], f, end, place.start) if place else []
        # a model the registry names ("the EX30"), not goods in general ("electric cars")
        products = [m.entity for m in self.art.in_span(end, s.end)
                    if m.type == "Product" and not find(spec["making_goods"], f, m.start, m.end)]
        if (place is None or len(between.split()) > 12 or not re.search(r"(?<![\w-])(?:in|at)\s", between)
                or not (made or products)
                or any(c.kind == "Investment" and c.sentence == s.index for c in self.claims)):  # told once a sentence
            return []
        claim = self.new_claim("investment", s)
        owners = [m.entity for m in self.agents(end, place.start) if m.type in ("Automaker", "Company")
                  and _pattern(tuple(spec["plant_nouns"])).match(f, m.end + 1)
                  and not f[max(s.start, m.start - 7) : m.start].endswith("former ")]  # "the former Nissan factory"
        claim.add("investor", investor.entity, *owners)
        claim.add("location", place.entity)
        if products:
            claim.add("product", products[0])
        claim.add("topic", self._phrase(start, s.end))
        d = self.sentence_date(s)
        claim.date = d.value if d else None
        return [self.keep(claim)]

    def closure_in(self, s: Sentence) -> list[Claim]:
        """ "Stellantis said it planned to close its van factory in Luton": an Investment that does not
        hold (polarity negative) by the company closing the plant, at the place named after the verb.
        A closure warned of or averted ("could close factories", "prevented plant closures") is none."""
        f = self.art.folded
        spec, inv = self.r["closure"], self.r["investment"]
        # the closing verb, a few words, then a plant noun or "production at"
        closing = re.compile(_pattern(tuple(spec["verbs"])).pattern
                             + r"(?:\s+(?:[\w.,'-]+\s+){0,4}?" + _pattern(tuple(inv["plant_nouns"])).pattern
                             + r"|\s+(?:vehicles\s+|cars\s+)?at\s)")
        t = closing.search(f, s.start, s.end)
        if t is None or find(spec["hedges"], f, s.start, t.start()):
            return []
        investor = next((m for m in reversed(self.agents(s.start, t.start())) if m.type in ("Automaker", "Company")), None)
        if investor is None:
            return []
        claim = self.new_claim("closure", s)
        claim.add("investor", investor.entity)
        places = [m for m in self.art.in_span(t.start(), s.end) if m.type in ("Place", "Country") and not m.modifier]
        if places:
            claim.add("location", places[0].entity)
        products = [m.entity for m in self.art.in_span(s.start, s.end) if m.type == "Product"]
        if products:
            claim.add("product", products[0])
        claim.add("polarity", "negative")
        claim.add("topic", self._phrase(t.start(), s.end))
        d = self.sentence_date(s)
        claim.date = d.value if d else None
        return [self.keep(claim)]

    def investigation_in(self, s: Sentence) -> list[Claim]:
        """ "China's Ministry of Commerce said it had opened an anti-dumping investigation into canola
        from Canada": an InvestigationInitiation by the authority, of the registry's investigation if
        one has that authority, product or target, else of a new one named from the text."""
        f = self.art.folded
        spec = self.r["investigation"]
        it = find(spec["triggers"], f, s.start, s.end)
        opened = find(spec["opened"], f, s.start, s.end)
        if not it or not opened or opened[0].start() > it[0].start():
            return []
        actor = next((m for m in self.agents(s.start, opened[0].start())
                      if m.type in ("Ministry", "Agency", "Government", "Country", "Legislature", "Person")), None)
        if actor is None:
            return []
        kind = next((cls for cls, words in spec["kinds"].items() if find(words, f, s.start, s.end)), "Investigation")
        named = [m for m in self.art.in_span(s.start, s.end) if m.type == "Investigation"]
        investigation = named[0].entity if named else self.known_investigation(s, actor.entity)
        nouns = "|".join(re.escape(w) for w in spec["triggers"])
        if investigation is None and re.search(r"\b(?:the|its|that)\s+(?:" + nouns + r")\b(?!\s+into)",
                                               f[it[0].start() - 6 : s.end]):
            investigation = self.last_investigation  # "The ministry opened the investigation in September"
        bare = re.search(r"\b(?:an?|the)\s+(?:" + nouns + r")\b(?!\s+(?:into|of|on)\b)", f[s.start : s.end])
        if investigation is None and bare and self.last_investigation and self.last_investigation in self.art.new_entities:
            # "it had opened an investigation in accordance with the law": the one the article told of before
            investigation = self.last_investigation
        if investigation is None:
            phrase = re.search(r"(?:an?|the)\s+((?:[\w-]+\s+){0,3}(?:" + nouns + r")"
                               r"(?:\s+into\s+[\w-]+(?:\s+[\w-]+){0,5}?(?=[,.;]|\s+(?:a|after|as|which|that|over|for|on|amid|"
                               r"following|because)\s|$))?)",
                               f[s.start:s.end])
            if not phrase:
                return []
            name = self.art.text[s.start + phrase.start(1):s.start + phrase.end(1)].strip()
            owner = self.country_of(actor.entity)
            adjective = cues()["country_adjectives"].get(owner or "", "")
            name = f"{adjective} {name}".strip()
            investigation = slugify(name)
            if investigation not in self.art.new_entities:
                self.art.new_entities[investigation] = NewEntity(investigation, kind, name, spec["score"],
                                                                 "an investigation opened")
                self.art.types[investigation] = "Investigation"
        self.last_investigation = investigation
        told = next((c for c in self.claims if c.kind == "InvestigationInitiation" and c.first("investigation") == investigation),
                    None)
        if told is not None and bare:
            # "The State Administration for Market Regulation said ... it had opened an investigation": the same
            # opening told again, by the body's full name
            told.add("actor", actor.entity)
            told.evidence.append((s.start, s.end))
            return [told]
        claim = self.new_claim("investigation", s)
        claim.add("actor", actor.entity)
        claim.add("investigation", investigation)
        d = self.sentence_date(s)
        claim.date = d.value if d else None
        return [self.keep(claim)]

    def note_investigation(self, s: Sentence) -> None:
        """The investigation a sentence names, or the registry's one its authority and product name
        ("its anti-dumping investigation into canola seed"), for "the investigation" later."""
        f = self.art.folded
        if not find(self.r["investigation"]["triggers"], f, s.start, s.end):
            return
        named = [m for m in self.art.in_span(s.start, s.end) if m.type == "Investigation"]
        if named:
            self.last_investigation = named[0].entity
            return
        for m in self.agents(s.start, s.end):
            known = self.known_investigation(s, m.entity)
            if known:
                self.last_investigation = known
                return

    def known_investigation(self, s: Sentence, actor: str) -> str | None:
        """The registry's investigation by this authority into a product (or a country) this sentence names."""
        named = {m.entity for m in self.art.in_span(s.start, s.end)}
        for word, product in self.r["tariff"]["goods_words"].items():
            if find([word], self.art.folded, s.start, s.end):
                named.add(product)
        for decl in self.art.index.entities.values():
            props = decl.props
            if not props.get("investigated_by") and not props.get("investigated_product"):
                continue
            by = {str(v.raw) for v in props.get("investigated_by", [])}
            what = {str(v.raw) for v in props.get("investigated_product", [])}
            if actor in by and what & named:
                return decl.id
        return None

    def dispute_in(self, s: Sentence) -> list[Claim]:
        """ "China requested consultations ... in the case registered as DS630": a step of the
        registry's dispute the sentence names (by its number), else the one between the parties
        it names whose name shares its measure words ("definitive duties"), else the last one named."""
        f = self.art.folded
        spec = self.r["dispute"]
        if not find(spec["kinds"]["ConsultationRequest"] + spec["kinds"]["PanelRequest"], f, s.start, s.end) and not any(
            m.type == "TradeDispute" for m in self.art.in_span(s.start, s.end)
        ):
            return []
        disputes = [d for d in self.art.index.entities.values() if self.art.matcher.type_of(d.id) == "TradeDispute"]
        named = [m.entity for m in self.art.in_span(s.start, s.end) if m.entity in {d.id for d in disputes}]
        if not named:
            present = {m.entity for m in self.art.in_span(s.start, s.end)}
            present |= {self.country_of(x) for x in present} - {None}
            words = {w.group(0) for w in find(spec["measure_words"], f, s.start, s.end)}
            parties = [d for d in disputes
                       if {str(v.raw) for v in d.props.get("complainant", [])} & present
                       and {str(v.raw) for v in d.props.get("respondent", [])} & present
                       and words and all(w in fold(d.name or "") for w in words)]
            named = [parties[0].id] if len(parties) == 1 else []
        found = []
        steps = sorted((t.start(), kind) for kind, triggers in spec["kinds"].items() for t in find(triggers, f, s.start, s.end))
        for start, kind in steps:
            dispute = named[0] if named else self.last_dispute
            actor = next((m for m in reversed(self.agents(s.start, start))
                          if m.type not in ("Person", "MediaOutlet", "TradeDispute")
                          and not re.match(r"^'s\b", f[m.end:m.end + 3])), None)
            if dispute is None or actor is None:
                continue
            claim = self.new_claim("dispute", s)
            claim.kind = kind
            claim.add("actor", actor.entity)
            claim.add("dispute", dispute)
            d = self.sentence_date(s)
            claim.date = d.value if d else None
            self.last_dispute = dispute
            found.append(self.keep(claim))
        if named:
            self.last_dispute = named[0]
        return found

    # --- statements ---------------------------------------------------------------------
    def statement_in(self, s: Sentence, events: list[Claim]) -> None:
        spec = self.r["statement"]
        f = self.art.folded
        trig = find(spec["triggers"], f, s.start, s.end)
        if not trig:
            return
        speaker = None
        for t in sorted(trig, key=lambda m: (m.group(0) not in _SPEECH_VERBS, m.start())):
            speaker = self.statement_speaker(s, t)
            if speaker is not None:
                break
        if speaker is None:
            return
        if re.match(r"^'s\b", f[speaker.end : speaker.end + 3]):
            return  # "Joe Biden's administration announced": not Biden speaking
        who = {speaker.entity}
        # "The Dutch government said it had invoked the Act ..., citing governance shortcomings": the reasons
        # a party gives for its own act are its statement besides the act
        reasons = re.search(r",\s+citing\s", f[speaker.end : s.end])
        for ev in events:
            if ev.kind == "Visit" and ev.rule == "visit" and re.search(r"\bthat\b", f[speaker.end : s.end]):
                continue  # "Sanchez said ... that the EU should ..., at the end of a visit to China": both
            if who & set(_entities(ev)) and not (reasons and policy_action(ev.kind)):
                return  # "Honda and Nissan said they had begun talks": the talks say it
        claim = self.new_claim("statement", s)
        if speaker.type == "Person":
            claim.add("speaker", speaker.entity)
            claim.add("on_behalf_of", self.speaker_org(speaker.entity) or self.title_org(speaker))
            self.last_speaker = speaker.entity
        else:
            claim.add("on_behalf_of", speaker.entity)
        for m in self.art.in_span(s.start, s.end):
            # "told the Global Times", "urged Beijing to speed up approvals": whom the statement is meant for
            if m.is_agent and re.search(r"(?:told|sent to|urged|urging|called on|calling on)\s+(?:the\s+)?$",
                                        f[max(s.start, m.start - 12) : m.start]):
                claim.add("addressee", m.entity)
        stance = "comments"
        for name in _STANCE_ORDER[:-1]:
            if find(spec["stance"][name], f, s.start, s.end):
                stance = name
                break
        claim.add("stance", stance)
        target = self.stance_target(s, stance, speaker)
        for value in target:
            claim.add("stance_target", value)
        content = re.search(
            r"\b(?:said|says|told [\w ]+?|noted|warned|added|stressed|argued)\s+(?:(?:on|in|last|this|earlier this)\s+\w+\s+)?"
            r"(?:that\s+|:\s*)",
            f[s.start : s.end])
        # "GM said in May that tariffs could cost it $5 billion": a company on a policy speaks for itself
        on_policy = content and re.match(r"^(?:[\w'-]+\s+){0,2}?" + _pattern(tuple(spec["policy_topic"])).pattern,
                                         f[s.start + content.end() : s.end])
        # "Volkswagen told its dealers that it would add an import fee to vehicles hit by the tariff":
        # what a company will do about a policy the article names is its answer to it
        on_policy = on_policy or (content and self.tariffs and find(spec["policy_topic"], f, s.start + content.end(), s.end))
        # "Wingtech said the Dutch decision was driven by bias": a company on a state's act speaks for itself
        on_policy = on_policy or any(self.state_before(s, w.start()) for w in find(spec["policy_words"], f, speaker.end, s.end))
        # "Honda and Nissan said they had ended talks": talks called off are told, not done
        neg = self.r["negotiation"]
        ended = any(find(neg["ended"], f, max(speaker.end, t.start() - 30), t.start())
                    for t in find(neg["triggers"], f, speaker.end, s.end))
        if ended and speaker.type in ("Automaker", "Company"):
            for m in self._joined_subjects(s, speaker):
                claim.add("on_behalf_of", m.entity)
        # "GMT Research said that BYD's debts were much larger than its accounts showed": a firm on another firm
        other = next((m for m in self.art.in_span(s.start + content.end(), s.end) if m.type in ("Automaker", "Company")
                      and m.entity != speaker.entity and not m.modifier), None) if content else None
        if stance == "comments" and not target and other is not None and speaker.type in ("Automaker", "Company") \
                and not events and not on_policy:
            target = [other.entity]
            claim.add("stance_target", other.entity)
        if stance == "comments" and not target and not claim.roles.get("addressee") \
                and speaker.type in ("Automaker", "Company") and not on_policy and not ended and not events:
            # "BYD opened a plant in Turkey. ... BYD said it would hire 5,000 workers there": what a company
            # says of its plans after the article told its investment is its word on that investment; not the
            # plant itself told again ("BYD said the plant would be built in phases", "the plant, which BYD
            # said could make ...", "BYD announced its plan to take over the site")
            inv = self.r["investment"]
            plant = find(inv["plant_nouns"] + ["site"], f, s.start, s.end)
            own = [c for c in self.claims if c.kind == "Investment" and speaker.entity in c.roles.get("investor", [])
                   and re.match(r"\s+(?:has\s+|had\s+)?(?:said|says|told)\b", f[speaker.end : s.end])
                   and not (plant and find(inv["build_verbs"], f, s.start, s.end))
                   and not re.search(r"\b(?:which|that)\s+$", f[max(s.start, speaker.start - 8) : speaker.start])]
            if not own:
                self.more_statements(s, speaker, events)
                return  # a company describing its own plans: the plan is the claim
            target = [own[0]]
            claim.add("stance_target", own[0])
        if content:
            claim.add("topic", self._phrase(s.start + content.end(), s.end))
        d = self.sentence_date(s)
        claim.date = d.value if d else None
        # one speaker's sentences in a row are one statement
        prev = self.claims[-1] if self.claims else None
        if (
            prev
            and prev.kind == "Statement"
            and prev.sentence >= s.index - 2
            and prev.first("speaker") == claim.first("speaker")
            and prev.first("on_behalf_of") == claim.first("on_behalf_of")
            and (self.art.sentences[prev.sentence].paragraph == s.paragraph or prev.first("stance") != "comments")
        ):
            prev.evidence.append((s.start, s.end))
            if _STANCE_ORDER.index(stance) < _STANCE_ORDER.index(prev.first("stance")):
                prev.roles["stance"] = [stance]
            for value in target:
                prev.add("stance_target", value)
            prev.sentence = s.index
            return
        self.claims.append(claim)
        self.by_sentence.setdefault(s.index, []).append(claim)
        self.more_statements(s, speaker, events)

    def _joined_subjects(self, s: Sentence, last: Mention) -> list[Mention]:
        """ "Honda and Nissan said": the names joined to the subject before it."""
        f = self.art.folded
        out = []
        end = last.start
        for m in reversed(self.agents(s.start, last.start)):
            if not re.fullmatch(r"\s*(?:,|and|, and)\s*", f[m.end : end]):
                break
            out.insert(0, m)
            end = m.start
        return out

    def rejection_in(self, s: Sentence) -> None:
        """ "(a report said) that Nissan had rejected a Honda proposal": the party's opposition, relayed."""
        spec = self.r["rejection"]
        f = self.art.folded
        objects = _pattern(tuple(spec["objects"])).pattern
        for t in find(spec["triggers"], f, s.start, s.end):
            if not re.match(r"^\s+(?:an?|the|its|their|his|her)\s+(?:[\w'-]+\s+){0,3}?" + objects, f[t.end() : s.end]):
                continue
            subject = next((m for m in reversed(self.agents(s.start, t.start()))
                            if re.fullmatch(r"\s+(?:had\s+|has\s+|have\s+|also\s+|flatly\s+)*", f[m.end : t.start()])), None)
            if subject is None or any(subject.entity in _entities(c) for c in self.by_sentence.get(s.index, [])
                                      if c.kind == "Statement"):
                continue
            claim = self.new_claim("rejection", s)
            self.add_speaker(claim, subject)
            claim.add("stance", "opposes")
            claim.add("topic", self._phrase(t.end(), s.end))
            d = self.sentence_date(s)
            claim.date = d.value if d else None
            if self.last_report and s.index in self._report_scope:
                claim.checks.append("relayed by a report: the party itself has not said it here")
            self.claims.append(claim)
            self.by_sentence.setdefault(s.index, []).append(claim)
            if self.last_report and s.index in self._report_scope:
                self.last_report.add("reports", claim)
            return

    def more_statements(self, s: Sentence, first: Mention, events: list[Claim]) -> None:
        """ "..., and Mitsubishi Motors said it would no longer take part": a second speaker's clause."""
        f = self.art.folded
        for t in find(sorted(_SPEECH_VERBS), f, first.end, s.end):
            lead = [m for m in self.agents(first.end, t.start()) if m.entity != first.entity]
            if not lead:
                continue
            m = lead[-1]
            if not (re.fullmatch(r"\s+(?:on \w+\s+)?", f[m.end : t.start()])
                    and re.search(r",\s+(?:and|while|but|whereas)\s+(?:the\s+)?$", f[max(s.start, m.start - 12) : m.start])):
                continue
            if any(m.entity in _entities(ev) and ev.sentence == s.index for ev in self.claims):
                continue
            claim = self.new_claim("statement", s, m.start, s.end)
            self.add_speaker(claim, m)
            claim.add("stance", "comments")
            claim.add("topic", self._phrase(t.end(), s.end))
            d = self.sentence_date(s)
            claim.date = d.value if d else None
            self.claims.append(claim)
            self.by_sentence.setdefault(s.index, []).append(claim)

    def votes_in(self, s: Sentence) -> list[Claim]:
        """ "Five voted against, among them Germany and Hungary": each named member's stance on the
        measure the article is about (the sentence's, else the last policy action's)."""
        f = self.art.folded
        spec = self.r["vote"]
        out = []
        for stance, words in spec["stances"].items():
            for t in find(words, f, s.start, s.end):
                stop = re.search(r",\s+and\s|;|,\s+which\b|,\s+while\b", f[t.end() : s.end])
                after = (t.end(), t.end() + stop.start() if stop else s.end)
                lead = f[after[0] : after[1]]
                naming = _pattern(tuple(spec["naming"])).search(lead)
                if naming:
                    span = (after[0] + naming.end(), after[1])
                else:
                    start = max(s.start, f.rfind(",", s.start, t.start()) + 1)
                    span = (start, t.start())
                voters = [m for m in self.agents(*span) if m.type in ("Country", "Government", "Legislature", "Person")]
                for voter in voters:
                    claim = self.new_claim("vote", s)
                    claim.add("on_behalf_of" if voter.type != "Person" else "speaker", voter.entity)
                    claim.add("stance", stance)
                    others = {v.entity for v in voters}
                    target = [x for x in self.stance_target(s, stance, voter) if not (isinstance(x, str) and x in others)]
                    if not target and self.last_policy_action:
                        target = list(self.last_policy_action.roles.get("policy", []))
                    for value in target:
                        claim.add("stance_target", value)
                    d = self.sentence_date(s)
                    claim.date = d.value if d else None
                    self.claims.append(claim)
                    self.by_sentence.setdefault(s.index, []).append(claim)
                    out.append(claim)
        return out

    def _owner_before(self, s: Sentence, pos: int) -> str | None:
        """ "the US tariffs", "Washington's duties": the country just before a policy word."""
        f = self.art.folded
        for m in reversed(self.art.in_span(max(s.start, pos - 20), pos)):
            if re.fullmatch(r"(?:'s)?\s+", f[m.end : pos]):
                return m.entity
        window = f[max(s.start, pos - 20) : pos]
        for word, country in cues()["demonyms"].items():
            if re.search(r"(?<![\w-])" + re.escape(word) + r"\s+$", window):
                return country
        return None

    def state_before(self, s: Sentence, pos: int) -> bool:
        """Whether a state owns the policy word at ``pos`` ("the Dutch decision", "Beijing's measures")."""
        owner = self._owner_before(s, pos)
        return bool(owner) and (self.art.types.get(owner) in ("Country", "Government")
                                or owner in cues()["demonyms"].values())

    def title_org(self, speaker: Mention) -> str | None:
        """ "Canadian Prime Minister Mark Carney", "Spanish Economy Minister Carlos Cuerpo": the
        government of the country before the title (a new one for a country the registry lacks)."""
        f = self.art.folded
        before = f[max(0, speaker.start - 60) : speaker.start]
        m = re.search(r"([\w.]+(?:\s\w+)?)\s+(?:prime minister|president|chancellor|premier)\s+$", before)
        if m:
            for word, country in cues()["demonyms"].items():
                if m.group(1).endswith(word):
                    return self.art._government_of(country)
        country = self.title_country(speaker)
        if country is None:
            return None
        if country in self.art.index.entities:
            # "French Trade Minister Sophie Primas": the registry's government of France, or a new one
            return self.art._government_of(country) or self.new_government(
                country, self.art.index.entities[country].name or country)
        return self.new_government(country, _world().first.get(country, country))

    def title_country(self, speaker: Mention) -> str | None:
        """The country whose nationality word comes at most two words before the person's title ("Spanish
        Economy Minister", "French Trade Minister")."""
        before = self.art.folded[max(0, speaker.start - 60) : speaker.start]
        m = re.search(r"((?:[\w.-]+\s+){1,3}?)(?:prime minister|president|chancellor|premier|minister|secretary)\s+$", before)
        words = m.group(1).split() if m else []
        candidates = [" ".join(words[i : i + 2]) for i in range(len(words) - 2, -1, -1)] + words[::-1]
        demonyms = {**cues()["demonyms"], **_world().demonyms}
        return next((demonyms[w] for w in candidates if w in demonyms), None)

    def statement_speaker(self, s: Sentence, t: re.Match) -> Mention | None:
        f = self.art.folded
        right_after = [m for m in self.agents(t.end(), min(s.end, t.end() + 3)) if m.type == "Person"]
        if right_after:
            return right_after[0]  # "..., said He."
        lead = self.agents(s.start, t.start())
        if (
            lead
            and f[t.start() - 2 : t.start()] == ", "
            and re.match(r"^,\s", f[lead[0].end : lead[0].end + 2])
            and lead[0].start - s.start < 12
            and lead[0].type == "Person"
        ):
            return lead[0]  # "Trudeau, speaking alongside Freeland at ..., said"
        before = [m for m in self.agents(s.start, t.start()) if m.type != "MediaOutlet" or m.entity != self.art.publisher]
        before = [
            m
            for m in before
            if m.type not in ("MediaOutlet",)
            or not re.search(r"(?:told|to)\s+(?:the\s+)?$", f[max(s.start, m.start - 9) : m.start])
        ]
        # "Carlos Cuerpo, who travelled with Sanchez, said": the subject of the relative clause speaks
        subject = next((m for m in before if re.fullmatch(r",\s+(?:who|which)\b[^,;]*,\s+(?:(?:had|has|have)\s+)?(?:\w+ly\s+)?",
                                                           f[m.end : t.start()])), None)
        if subject is not None:
            return subject
        # "He Yadong, a spokesperson for MOFCOM, said": the person, not the organisation of the post
        persons = [m for m in before if m.type == "Person"]
        if persons and before and before[-1].type != "Person" and self.positions.get(persons[-1].entity):
            return persons[-1]
        # "IG Metall, Germany's largest union, criticised": the name before its appositive speaks, not a name in it
        appositive = r",\s+(?:the|a|an|its|[\w-]+'s)\s[^,;]{1,90},\s+(?:(?:had|has|have)\s+)?(?:\w+ly\s+)?"
        described = next((m for m in before if re.fullmatch(appositive, f[m.end : t.start()])), None)
        if described is not None:
            return described
        if before:
            cand = before[-1]
            gap = f[cand.end : t.start()]
            if re.fullmatch(r"\s+(?:(?:had|has|have)\s+)?(?:\w+ly\s+)?", gap):
                gap = " "  # "the ministry had said", "X has repeatedly hailed": the speaker still
            # "The Federal Chamber of Automotive Industries (FCAI), which represents carmakers, said"
            if gap.startswith(",") or gap.startswith("),") or (
                len(gap) <= 45 and not re.search(r"\b(?:that|would|will|is|was|are|were|has|had|have|which|who|to)\b", gap)
            ):
                return cand
        after = self.agents(t.end(), min(s.end, t.end() + 30))
        if after and after[0].type == "Person":
            return after[0]
        told = next((c for c in reversed(self.claims) if c.kind == "Statement"), None)
        if re.match(r"^it\s+(?:also\s+)?(?:said|says|added|noted|warned|stressed)\b", f[s.start : s.end]) and told \
                and told.sentence == s.index - 1 and not told.roles.get("speaker") and told.first("on_behalf_of"):
            org = told.first("on_behalf_of")  # "The ministry said ... It said the rules would help": the same body
            return Mention(s.start, s.start + 2, self.art.text[s.start : s.start + 2], org,
                           self.art.types.get(org, "Organization"), why="pronoun")
        if re.match(r"^(?:he|she)\s", f[s.start : s.end]) and self.last_speaker:
            ent = self.last_speaker
            return Mention(s.start, s.start + 2, self.art.text[s.start : s.start + 2], ent, "Person", why="pronoun")
        return None

    def stance_target(self, s: Sentence, stance: str, speaker: Mention) -> list:
        f = self.art.folded
        spec = self.r["statement"]
        words = find(spec["policy_words"], f, s.start, s.end)
        if words and self.tariffs:
            for w in words:
                owner = self.rate_authority(s, w.start() + len("tariffs "))
                owner = owner or self._owner_before(s, w.start())
                if owner:
                    theirs = [t for t in self.tariffs if t.imposed_by == self.country_of(owner)]
                    if theirs:
                        return theirs
        if words and self.last_policy_action:
            policies = list(self.last_policy_action.roles.get("policy", []))
            if any(w.group(0).endswith("s") for w in words) and policies:
                authority = policies[0].imposed_by
                return [t for t in self.tariffs if t.imposed_by == authority] or policies
            return policies
        if stance in ("supports",):
            recent = [c for c in self.claims if c.kind in ("Investment", "TradeAgreement")]
            if recent:
                return [recent[-1]]
        if stance in ("criticises", "complains", "opposes"):
            # not the speaker's own country ("French Trade Minister Sophie Primas said ... France would respond")
            org = self.speaker_org(speaker.entity) or self.title_org(speaker) if speaker.type == "Person" else None
            own = {self.country_of(speaker.entity), self.country_of(org) if org else None,
                   self.title_country(speaker) if speaker.type == "Person" else None} - {None}
            for m in self.agents(s.start, s.end):
                if m.entity in own:
                    continue
                # not the country of the speaker's appositive ("IG Metall, Germany's largest union, criticised")
                if m.type == "Country" and m.entity != speaker.entity and not m.modifier \
                        and not re.fullmatch(r",\s+(?:the\s+)?", f[speaker.end : m.start]):
                    return [m.entity]
        return []

    # --- end ----------------------------------------------------------------------------
    def plant_places(self) -> None:
        """ "BYD ... to build a car factory in Turkey. The plant, in the western province of Manisa, ...":
        the place inside the investment's country that the next sentences give the plant."""
        f = self.art.folded
        for claim in self.claims:
            if claim.kind != "Investment" or len(claim.roles.get("location", [])) != 1:
                continue
            country = claim.roles["location"][0]
            if self.art.types.get(country) != "Country":
                continue
            for other in self.art.sentences[claim.sentence + 1 : claim.sentence + 3]:
                plant = r"(?:the|its|this)\s+(?:new\s+)?(?:plant|factory|site|complex|facility)\b"
                if not re.match(plant, f[other.start : other.end]):
                    continue
                places = [m for m in self.art.in_span(other.start, other.end)
                          if m.type == "Place" and self.country_of(m.entity) == country]
                if places:
                    claim.roles["location"] = [places[0].entity]
                    break

    def restated_claim(self, report: Claim) -> Claim | None:
        """ "The plan was first reported last year by Bloomberg News, which cited people familiar with the
        matter as saying that Toyota was preparing a Lexus plant in Shanghai": what the report's clause says
        is a claim told earlier in the article, by the same parties (and place, if it names one)."""
        start, end = report.evidence[0]
        f = self.art.folded
        clause = re.search(r"\b(?:saying|said|says|reported|reporting)\s+(?:that\s+)?|\bthat\s+", f[start:end])
        if clause is None:
            return None
        named = {m.entity for m in self.art.in_span(start + clause.end(), end)
                 if m.type not in ("MediaOutlet", "Product") and not m.modifier}
        if not named:
            return None
        for claim in self.claims:
            if claim.kind in ("Report", "Statement", "Denial", "Confirmation") or claim.sentence >= report.sentence:
                continue
            if named <= set(_entities(claim)):
                return claim
        return None

    def finish(self) -> None:
        self.plant_places()
        # "Automotive News reported ..., citing a memo. According to the report, Volkswagen told its
        # dealers ...": a report that relays no event relays the statements in its scope
        for report in self.reports.values():
            if not report.roles.get("reports"):
                for claim in self.relayed.get(id(report), []):
                    report.add("reports", claim)
            if not report.roles.get("reports"):
                restated = self.restated_claim(report)
                if restated is not None:
                    report.add("reports", restated)
        self.removal_policies()
        for s, claim in self.pending_denials:
            answered = self.answered_claim(s, claim)
            if answered is not None:
                claim.add("denies" if claim.kind == "Denial" else "confirms", answered)
                self.keep(claim)
            elif claim.kind == "Confirmation" and not any(t.sentence == s.index for t in self.tariffs):
                # "Ford halted production ..., a Ford spokesperson confirmed": a fact confirmed, not a claim of
                # the article, is what the speaker says
                claim.kind, claim.rule = "Statement", "confirmation-statement"
                claim.add("stance", "comments")
                self.keep(claim)


@dataclass
class _Place:
    """A place known by a cue (a capital standing for its country), not by a mention."""

    entity: str


_SPEECH_VERBS = {"said", "says", "told", "stated", "noted", "added", "warned", "urged", "argued", "stressed", "insisted"}

_SINGLE_ROLES = {
    "topic",
    "quote",
    "purpose",
    "amount",
    "speaker_description",
    "source_description",
    "stance",
    "anonymous_source_count",
}

_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "several": None,
    "a": None,
}


def _entities(claim: Claim) -> list[str]:
    return [v for vs in claim.roles.values() for v in vs if isinstance(v, str)]


_CORE = {
    "Negotiation": ("participant",),
    "Meeting": ("participant",),
    "TradeAgreement": ("participant",),
    "Visit": ("visitor", "location"),
    "Invitation": ("inviter", "invitee"),
    "Report": ("reporter",),
    "Investment": ("investor", "location"),
    "Denial": ("on_behalf_of", "speaker"),
    "Confirmation": ("on_behalf_of", "speaker"),
}


def _merge_key(claim: Claim):
    roles = _CORE.get(claim.kind)
    if roles is None:
        return ("unique", id(claim))
    values = []
    for role in roles:
        values.append(frozenset(v if isinstance(v, str) else id(v) for v in claim.roles.get(role, [])))
    if claim.kind in ("Denial", "Confirmation"):
        values = [frozenset().union(*values)]
    return (claim.kind, *values)
