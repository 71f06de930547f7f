"""Entity mentions: registry names and aliases (longest first), and new capitalised names.

Matching is on folded text (lower case, accents removed, curly quotes straightened), so
"Camacari" finds Camaçari and "Xiaomi’s" finds Xiaomi; a name written with a capital
(Trump, US) matches only a capitalised word, and an acronym (US, FT) only itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..registry import EntityIndex
from ..terms import slugify
from .textmatch import Token, tokens

__all__ = ["Mention", "EntityMatcher", "cues"]

AGENT_TYPES = {
    "Agent",
    "Organization",
    "Company",
    "Automaker",
    "GovernmentBody",
    "Government",
    "Ministry",
    "Agency",
    "Legislature",
    "Association",
    "MediaOutlet",
    "Person",
    "AgentGroup",
    "Country",
}


@lru_cache(maxsize=1)
def cues() -> dict:
    return yaml.safe_load((Path(__file__).with_name("cues.yaml")).read_text(encoding="utf-8"))


@dataclass
class Mention:
    """A name in the text: [start, end), the entity it names (a registry id or a new slug), its class."""

    start: int
    end: int
    text: str
    entity: str
    type: str
    new: bool = False
    score: float = 1.0
    why: str = "registry"
    modifier: bool = False  # used as an adjective: "US automaker Ford", "EU trade chief"
    dateline: bool = False  # in the dateline ("BEIJING, Oct 10 -"): where the article was filed, no agent

    @property
    def is_agent(self) -> bool:
        return self.type in AGENT_TYPES


@dataclass
class NewEntity:
    id: str
    type: str
    name: str
    score: float
    why: str
    duplicates: list[str] = field(default_factory=list)
    props: dict = field(default_factory=dict)  # what a new policy's declaration says besides its name
    declared_by: str | None = None  # the stored (or other annotated) article that declares it, if any


# The classes the rules reason with, most specific first.
BASE_TYPES = ("Automaker", "Company", "Ministry", "Agency", "Legislature", "Government", "GovernmentBody", "Association",
              "MediaOutlet", "Organization", "Person", "AgentGroup", "Country", "Place", "Product", "CountervailingDuty",
              "Tariff", "Investigation", "LegalInstrument", "LegalBasis", "Policy", "Agent")


@lru_cache(maxsize=256)
def base_type(name: str) -> str:
    if name in BASE_TYPES:
        return name
    from ..schema import load_schema

    schema = load_schema()
    local = schema.class_named(name) or name
    ancestors = schema.ancestors(local)
    return next((t for t in BASE_TYPES if t in ancestors), name)


def _variants(names: list[str]):
    """Each name, and "China's Ministry of Commerce (MOFCOM)" also without its bracket, and the acronym."""
    for name in names:
        yield name
        m = re.match(r"^(.+?)\s*\(([^()]+)\)$", name)
        if m:
            yield m.group(1)
            if m.group(2)[:1].isupper():  # "(MOFCOM)" is a name; "Beijing (city)" says what it is
                yield m.group(2)


def _key(toks: list[Token]) -> tuple[str, ...]:
    return tuple(t.folded for t in toks)


def _short_company_names(decl, names: list[str], taken: set[tuple[str, ...]]) -> list[str]:
    """ "Great Wall" for Great Wall Motor: a company's name without its corporate word, where two words
    or more remain (not "General" of General Motors) and no other registry name is written so."""
    if base_type(decl.type or "Organization") not in ("Automaker", "Company"):
        return []
    suffixes = sorted(cues()["corporate_suffixes"], key=len, reverse=True)
    out = []
    for name in names:
        folded = " ".join(t.folded for t in tokens(name))
        suffix = next((x for x in suffixes if folded.endswith(" " + x)), None)
        if suffix is None:
            continue
        short = name[: len(name) - len(suffix)].rstrip(" ,")
        toks = tokens(short)
        if len(toks) >= 2 and all(t.text[:1].isupper() for t in toks) and _key(toks) not in taken:
            out.append(short)
            taken.add(_key(toks))
    return out


class EntityMatcher:
    """Finds every mention of a registry entity in a text, longest match first."""

    def __init__(self, index: EntityIndex):
        self.index = index
        # first folded token -> [(folded tokens, written form, entity id)], longest first
        self._by_first: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        named = {decl.id: list(dict.fromkeys(_variants([decl.name or "", *decl.aliases]))) for decl in index.entities.values()}
        taken = {_key(tokens(n)) for names in named.values() for n in names}
        for decl in index.entities.values():
            for name in named[decl.id] + _short_company_names(decl, named[decl.id], taken):
                toks = tokens(name)
                if not toks:
                    continue
                self._by_first.setdefault(toks[0].folded, []).append((_key(toks), name, decl.id))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: -len(e[0]))

    def type_of(self, entity_id: str) -> str:
        """The class the rules reason with: the registry's class, or the nearest one above it the
        rules know ("Section232Investigation" is an Investigation, "AntiDumpingDuty" a Tariff)."""
        decl = self.index.entities.get(entity_id)
        return base_type((decl.type if decl else None) or "Organization")

    def registry_mentions(self, text: str, toks: list[Token]) -> list[Mention]:
        found: list[Mention] = []
        i = 0
        while i < len(toks):
            hit = None
            for key, written, entity in self._by_first.get(toks[i].folded, ()):
                n = len(key)
                if i + n <= len(toks) and _key(toks[i : i + n]) == key and _case_fits(written, toks[i : i + n]):
                    hit = (n, entity)
                    break
            if hit:
                n, entity = hit
                start, end = toks[i].start, toks[i + n - 1].end
                found.append(Mention(start, end, text[start:end], entity, self.type_of(entity)))
                i += n
            else:
                i += 1
        return found


def _case_fits(written: str, toks: list[Token]) -> bool:
    """A capitalised registry name matches capitalised text; an acronym matches itself only."""
    letters = [c for c in written if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) >= 2 and len(letters) <= 6 and written.upper() == written:
        return "".join(t.text for t in toks).replace(" ", "") == written.replace(" ", "")
    if written[:1].isupper():
        return toks[0].text[:1].isupper()
    # "the Commission" names the European Commission, "the commission" may be any commission
    words = tokens(written)
    return all(not w.text[:1].isupper() or t.text[:1].isupper() for w, t in zip(words, toks, strict=False))


_CAP = re.compile(r"^[A-Z][\w'-]*$|^[A-Z]{2,}$")


def new_mentions(text: str, toks: list[Token], taken: list[Mention], sentence_starts: set[int]) -> list[Mention]:
    """Capitalised names the registry lacks, typed by cue words; each a new entity slug."""
    countries = {m.start for m in taken if m.type == "Country"}
    c = cues()
    not_names = set(c["not_names"])
    connectors = set(c["name_connectors"])
    function_words = set(c["name_connectors"]) | {"said", "says", "the", "a", "an", "in", "at", "on", "to", "by", "with"}
    covered = set()
    for m in taken:
        covered.update(range(m.start, m.end))
    # a title word before a name, not one that is also a body's word ("General Administration of Customs")
    titles = ({w for w in c["person_titles"] if " " not in w} | set(c["name_after_titles"])) - {
        "general", "vice", "deputy", "chief", "executive", "head"}
    out: list[Mention] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        # "Vietnam's top leader To Lam": a function word that begins a name after a person's title
        titled_name = (t.folded in not_names and i > 0 and toks[i - 1].folded in c["name_after_titles"]
                       and i + 1 < len(toks) and _CAP.match(toks[i + 1].text) and toks[i + 1].folded not in not_names
                       and t.text[:1].isupper())
        if t.start in covered or not _CAP.match(t.text) or (t.folded in not_names and not titled_name):
            i += 1
            continue
        j = i + 1
        while j < len(toks):
            nxt = toks[j]
            if nxt.start in covered or nxt.start in sentence_starts or "\n" in text[toks[j - 1].end:nxt.start]:
                break                    # a name does not run on into the next sentence or line
            if _CAP.match(nxt.text) and nxt.folded not in {"said", "says"} and nxt.folded not in not_names:
                j += 1
                continue
            # "State Council Tariff Commission": a word that is no name alone, inside an organisation's name
            run = j
            while run < len(toks) and _CAP.match(toks[run].text) and toks[run].start not in covered \
                    and toks[run].start not in sentence_starts and toks[run].folded not in function_words:
                run += 1
            if run > j + 1 and toks[run - 1].folded in c["name_endings"]:
                j = run
                continue
            # "the Labor Prosecutor's Office", "the People's Bank of China": a possessive inside a body's name
            if nxt.text in ("'", "\u2019") and j + 2 < len(toks) and toks[j + 1].text == "s" \
                    and toks[j + 2].folded in c["name_endings"] and _CAP.match(toks[j + 2].text) \
                    and toks[j + 1].start == nxt.end and text[toks[j + 1].end : toks[j + 2].start] == " ":
                j += 3
                continue
            # "Trade Minister Parks Tau and Agriculture Minister John Steenhuisen": "and" before a title joins two names
            if nxt.folded == "and" and j + 2 < len(toks) and toks[j + 2].folded in c["name_after_titles"]:
                break
            if (
                nxt.folded in connectors
                and j + 1 < len(toks)
                and _CAP.match(toks[j + 1].text)
                and (toks[j + 1].folded not in not_names  # "Congress on Wednesday" is no name
                     or _body_of(toks[i], nxt, toks[j + 1])
                     # "Department for Business and Trade": "and" goes on inside a body's "of" or "for" part
                     or (nxt.folded == "and" and any(x.folded in ("of", "for") for x in toks[i:j])
                         and _body_of(toks[i], toks[i + 1] if toks[i + 1].folded in ("of", "for") else nxt, toks[j + 1])))
                and toks[j + 1].start not in covered
                and nxt.text.islower()
            ):
                j += 2
                continue
            break
        # "Contemporary Amperex Technology Co. Ltd.": a company's name goes on through its abbreviated legal form
        while j + 1 < len(toks) and toks[j - 1].folded in _LEGAL_FORMS and toks[j].text == "." \
                and toks[j].start == toks[j - 1].end and toks[j + 1].folded in _LEGAL_FORMS and _CAP.match(toks[j + 1].text):
            j += 2
        if j < len(toks) and toks[j - 1].folded in _LEGAL_FORMS and toks[j].text == "." and toks[j].start == toks[j - 1].end:
            j += 1
        # "Hong Kong-based GMT Research": the name is what follows where it is based
        based = next((k for k in range(j - 2, i - 1, -1) if toks[k].folded.endswith("-based")), None)
        if based is not None:
            i = based + 1
            t = toks[i]
        # "German Chancellor Friedrich Merz", "Central Bank Governor Nandalal Weerasinghe": a title inside the
        # capitalised run is no part of the person's name that follows it
        titled = next((k for k in range(j - 3, i - 1, -1) if toks[k].folded in titles
                       or toks[k].folded == "general" and k > i and toks[k - 1].folded in ("attorney", "secretary", "solicitor")),
                      None)
        if titled is not None:
            i = titled + 1
            t = toks[i]
        span = toks[i:j]
        # A sentence's first word is capitalised anyway: alone, it is not a name, unless it speaks or is
        # described ("Qualcomm said ...", "Unite, the union that ...") and is no plural ("Importers warned")
        # nor the surname of a person named before ("Garcia said")
        lone = len(span) == 1 and t.start in sentence_starts
        if lone and _speaks_or_described(t, toks, j) and not t.folded.endswith("s") and t.text[1:].islower() \
                and not _part_of_a_name_before(t, text):
            type_, why, score = _lone_type(toks, j)
            out.append(Mention(t.start, t.end, t.text, slugify(t.text), type_, new=True, score=score, why=why))
            i = j
            continue
        if len(span) == 1 and (t.start in sentence_starts or t.text.isupper() and len(t.text) < 3):
            i = j
            continue
        words = [s.folded for s in span]
        type_, why, score = _guess_type(words, text, toks, i, j)
        if (
            type_ is None
            and j + 1 < len(toks)
            and toks[j].text == ","
            and toks[j + 1].start in countries
            and i > 0
            and toks[i - 1].folded in ("in", "at")
        ):
            type_, why, score = "Place", "in <name>, <country>", 0.7
        if type_ is None and i > 0 and toks[i - 1].folded in ("in", "at", "near") and _placed(text, toks, i, j, countries):
            type_, why, score = "Place", f"{toks[i - 1].folded} <name> (a place's cue)", 0.6
        if type_ is None:
            i = j
            continue
        start, end = span[0].start, span[-1].end
        name = text[start:end]
        out.append(Mention(start, end, name, slugify(name), type_, new=True, score=score, why=why))
        i = j
    return out


def _part_of_a_name_before(t: Token, text: str) -> bool:
    """ "Samuel Garcia ... Garcia said", "Lumo Technology ... Lumo said": a word a longer name had before is
    that name's short form, which the rules after this one resolve."""
    word = re.escape(t.text)
    return bool(re.search(r"[A-Z][\w'-]* " + word + r"\b|\b" + word + r" [A-Z]", text[: t.start]))


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    text = Path(__file__).with_name("given_names.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _speaks_or_described(t: Token, toks: list[Token], j: int) -> bool:
    """ "Qualcomm said", "Unite, the union that represents ...": a lone word that speaks or is described."""
    c = cues()
    nxt = [x.folded for x in toks[j : j + 4]]
    if nxt[:1] and nxt[0] in c["speech_verbs"]:
        return True
    return len(nxt) >= 3 and nxt[0] == "," and nxt[1] in ("the", "a", "an") and _described_as(nxt[2:]) is not None


def _described_as(words: list[str]) -> str | None:
    """The class a description in apposition gives ("the union", "a campaign group", "the carmaker")."""
    c = cues()
    for word in words[:3]:
        if word in c["association_descriptions"]:
            return "Association"
        if word in c["company_descriptions"] or word.rstrip("s") in c["company_descriptions"]:
            return "Company"
    return None


def _lone_type(toks: list[Token], j: int) -> tuple[str, str, float]:
    nxt = [x.folded for x in toks[j : j + 5]]
    described = _described_as(nxt[2:]) if nxt[:1] == [","] else None
    if described:
        return described, "a lone name described after it", 0.6
    return "Organization", f"a lone name before {nxt[0]!r}", 0.5


def _placed(text: str, toks: list[Token], i: int, j: int, countries: set[int]) -> bool:
    """Whether the name toks[i:j], after "in", "at" or "near", is a place: "near Kenitra", "in Brampton,
    Ontario", "in Rayong province", "a plant in Nitra", "talks in Hanover" (a place's word just before
    the preposition, or after the name)."""
    c = cues()
    if toks[i - 1].folded == "near":
        return True
    if j < len(toks) and toks[j].folded in c["place_words_after"]:
        return True
    if j + 1 < len(toks) and toks[j].text == "," and (toks[j + 1].start in countries or _CAP.match(toks[j + 1].text)) \
            and toks[j + 1].folded not in c["not_names"]:
        return True
    before = [t.folded for t in toks[max(0, i - 4) : i - 1]]
    return any(w in c["place_words_before"] for w in before)


def _body_of(first: Token, connector: Token, word: Token) -> bool:
    """ "Ministry of Commerce", "Department of Trade": a body's name goes on through "of" to a capitalised
    word that is no name alone, but not to a date ("Ministry on Friday")."""
    from .dates import MONTH_NAMES, WEEKDAYS

    return (first.folded in cues()["name_starts"] and connector.folded in ("of", "for")
            and word.folded not in (*MONTH_NAMES, *WEEKDAYS))


def _head_word(words: list[str]) -> str | None:
    """The word before the first "of" or "for" of a name: "Ministry of Industry and Information
    Technology" is a ministry, "State Administration for Market Regulation" an administration."""
    at = next((k for k, w in enumerate(words) if w in ("of", "for")), None)
    return words[at - 1] if at else None


# Abbreviated legal forms that end a company's name ("Co. Ltd.", "Inc.", "Corp.").
_LEGAL_FORMS = {"co", "ltd", "inc", "corp", "plc", "llc", "ag", "se", "nv", "bv", "gmbh", "limited"}


def _guess_type(words: list[str], text: str, toks: list[Token], i: int, j: int) -> tuple[str | None, str, float]:
    c = cues()
    words = [w for w in words if w != "."]
    if len(words) >= 2 and words[-1] in _LEGAL_FORMS:
        # "Contemporary Amperex Technology Co. Ltd.": a company, whatever the words before its legal form say
        core = list(words)
        while len(core) > 1 and core[-1] in _LEGAL_FORMS:
            core.pop()
        return "Company", f"a legal form ({words[-1]!r})", 0.8
    endings, starts = c["name_endings"], c["name_starts"]
    head = _head_word(words)
    if head in endings:
        return endings[head], f"{head!r} before 'of'", 0.8
    if words[-1] in endings:
        return endings[words[-1]], f"ends with {words[-1]!r}", 0.8
    if words[0] in starts:
        return starts[words[0]], f"begins with {words[0]!r}", 0.8
    before = " ".join(t.folded for t in toks[max(0, i - 3) : i])
    after = "".join(
        (" " if k and toks[k].start > toks[k - 1].end else "") + toks[k].folded for k in range(j, min(len(toks), j + 6))
    )
    for title in sorted(c["person_titles"], key=len, reverse=True):
        if before.endswith(title) and 2 <= len(words) <= 4:
            return "Person", f"after {title!r}", 0.8
    outlet = "|".join(map(re.escape, c["outlet_verbs"]))
    if 1 <= len(words) <= 4 and re.match(r"^ (?:" + outlet + r")(?: (?:on|last|earlier) \w+| earlier)?(?:,| that)", after + " "):
        return "MediaOutlet", "before 'reported'", 0.6
    if len(words) <= 2 and re.search(r"\b(?:plant|plants|factory|factories|site|headquarters|supply chain)\s+in$", before):
        return "Place", "a plant's place", 0.6
    # "the Orion Assembly plant", "the idled Belvidere assembly plant": a plant's own name
    # (not "a Lexus plant", a plant of a brand)
    if len(words) <= 2 and re.match(r"^ (?:assembly |car |truck |engine )?(?:plant|factory)\b", after + " ") \
            and not re.search(r"\b(?:a|an|new)$", before):
        return "Place", "a plant's name", 0.55
    # "the Mercosur bloc of Brazil, Argentina, ...", "the trade bloc Mercosur": a bloc of states
    if len(words) <= 3 and (re.match(r"^ (?:trade |customs )?bloc\b", after + " ") or re.search(r"\bbloc$", before)):
        return "Organization", "a bloc", 0.6
    # "after two days of talks in Geneva": where talks or a summit are held
    if len(words) <= 2 and re.search(r"\b(?:talks|summit|meeting|meetings|negotiations|held)\s+in$", before):
        return "Place", "where talks are held", 0.6
    # "Hong Kong-based GMT Research": a firm described by where it is based
    if 1 <= len(words) <= 3 and re.search(r"-based$", before):
        return "Company", "after '-based'", 0.6
    for desc in c["company_descriptions"]:
        if before.endswith(desc) or before.endswith(desc + "s"):
            return "Company", f"after {desc!r}", 0.6
    # "the carmakers' association Anfavea", "the union IG Metall": an association's description before it
    for desc in c["association_descriptions"]:
        if len(words) <= 3 and before.endswith(" " + desc):
            return "Association", f"after {desc!r}", 0.6
    # "Nexperia, the chipmaker the Netherlands ...", "Ebro, a Spanish carmaker": a company's description in apposition
    descriptions = "|".join(map(re.escape, c["company_descriptions"]))
    described = r"^, (?:the|a|an|[\w-]+'s) (?:[\w-]+ ){0,2}?(?:" + descriptions + r")s?\b(?! of\b)"
    if len(words) <= 3 and re.match(described, after + " "):
        return "Company", "a company's description after it", 0.6
    # "IG Metall, Germany's largest union,", "the RAC motoring group said": an association described
    if len(words) <= 3:
        m = re.match(r"^, (?:the|a|an|[\w-]+'s) ((?:[\w-]+ ){0,2}[\w-]+)", after + " ")
        if m and _described_as(m.group(1).split()[-1:]) == "Association":
            return "Association", "an association's description after it", 0.6
        m = re.match(r"^ ((?:[a-z][\w-]* ){0,1}[a-z][\w-]*) (?:had |has |have |also )?"
                     r"(?:said|says|welcomed|criticised|criticized|warned|called|urged|agreed)\b", after + " ")
        described = m.group(1).split() if m else []
        if described and (described[-1] in c["association_descriptions"] or described[-1] == "group" and len(described) == 2):
            return "Association", f"before {m.group(1)!r}", 0.6
    # "Its chief executive, Tianshu Xin, said", "Daniela Cavallo, who heads the works council, said": a person
    # named in apposition to a post, or described by a relative clause
    if 2 <= len(words) <= 3 and all(w.isalpha() for w in words):
        if re.search(r"(?:" + "|".join(map(re.escape, c["person_titles"])) + r") ,$", before) and after.startswith(","):
            return "Person", "a name in apposition to a post", 0.7
        if re.match(r"^, who (?:heads|leads|chairs|runs|represents)\b", after):
            return "Person", "a name before 'who heads'", 0.6
    # "Elon Musk made a visit": a common given name (or family name written first) begins a person's name
    if 2 <= len(words) <= 3 and all(w.isalpha() for w in words) and toks[i].text in _given_names():
        return "Person", f"a given name ({toks[i].text!r})", 0.6
    # weakest of all: "X said", "X, a spokesperson for" (a firm described or based somewhere is told above)
    if 2 <= len(words) <= 3 and all(w.isalpha() for w in words):
        first_after = after.split()[0] if after.strip() else ""
        # "X, a spokesperson for", "X, Tesla's chief executive,": a post in apposition, a company's too
        appositive = re.match(
            r"^, (?:an? |the )?(?:[\w'-]+ ){0,2}?(" + "|".join(map(re.escape, c["person_titles"])) + r")\b", after
        )
        if first_after in c["person_verbs"] or appositive:
            return "Person", f"before {first_after or 'an appositive'!r}", 0.65
    return None, "", 0.0
