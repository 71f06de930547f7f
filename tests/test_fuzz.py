"""Fuzzing every importer: generated and mutated YAML, brat and Label Studio documents either
compile to an article whose triples are valid N-Triples, or fail with an AutokgError; nothing
else (no other exception, no hang). The default run tries FUZZ_EXAMPLES documents per
importer, with a fixed seed; `pytest -m slow` tries ten times as many, randomly. Each run
records how many documents it tried in tests/hostile/fuzz-counts.json (the README's
Reliability table cites it)."""

from __future__ import annotations

import json
import random
import tempfile
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import AutokgError
from graph.assertions import compile_article
from graph.loading import read_documents
from graph.readers.annotations import Value
from graph.readers.mapping import read_mapping
from graph.registry import read_registry
from graph.schema import load_schema

from .conftest import REGISTRY

FUZZ_EXAMPLES = 2000
COUNTS = Path(__file__).resolve().parent / "hostile" / "fuzz-counts.json"  # tracked: the README cites it
DEFAULT = settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=10 * FUZZ_EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

tried: Counter = Counter()
MODES = pytest.mark.parametrize("mode", [pytest.param(DEFAULT, id="default"),
                                         pytest.param(SLOW, id="slow", marks=pytest.mark.slow)])


@pytest.fixture(scope="module", autouse=True)
def record_counts(request):
    yield
    if not tried:
        return
    mode = "slow" if request.config.getoption("-m") == "slow" else "default"
    counts = json.loads(COUNTS.read_text(encoding="utf-8")) if COUNTS.exists() else {}
    counts[mode] = {**counts.get(mode, {}), **tried}
    COUNTS.write_text(json.dumps(counts, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tried.clear()


WORK = Path(tempfile.mkdtemp(prefix="autokg-fuzz-"))
INDEX = read_registry(REGISTRY)
SCHEMA = load_schema()
TEXT = "Ford met Xiaomi in Detroit. Xiaomi denied it on 2026-02-01.\n"
TYPES = ["Negotiation", "Meeting", "Denial", "Statement", "Report", "Tariff", "Automaker", "Person", "Place",
         "TariffImposition", "Invitation", "Investment", "Nonsense", "", "Event", "Claim", "Attribution"]
ROLES = ["participant", "speaker", "on_behalf_of", "denies", "reporter", "reports", "topic", "date", "rate",
         "anonymous_source_count", "stance", "stance_target", "certainty", "polarity", "asserted_by", "x"]
NAMES = ["ford-motor-company", "xiaomi", "Ford", "BYD", "global-times", "united-states", "talks", "nobody",
         "event:talks", "event:", "<x>", "a b", 'q"uote', "\u202ertl"]

# Documents are built from a seeded random.Random that hypothesis draws: drawing every field
# through hypothesis strategies costs 15 ms a document, this well under 1 ms.
ODD = ["", " ", "\t", "\n", "\r\n", "\ufeff", "\u202e", "\u200b", "é", "🚗", "<", ">", '"', "'", "{", "}",
       "\\", ":", "#", "&a", "*a", "- ", "[", "]", "%", "!!python/object:os.system", "\x07", "\x00"]


def rtext(rng: random.Random, size: int = 12) -> str:
    """Short text mixing letters, digits and the characters parsers trip on."""
    return "".join(rng.choice(ODD) if rng.random() < 0.3 else chr(rng.choice([rng.randint(32, 126), rng.randint(32, 0x2FFF)]))
                   for _ in range(rng.randint(0, size))).replace("\ud800", "")


def rscalar(rng: random.Random):
    return rng.choice([None, True, False, rng.randint(-10**20, 10**20), rng.randint(-3, 70),
                       rng.choice([float("nan"), float("inf"), -float("inf"), 1e309, -0.0, 2.5, 1e-320]),
                       rtext(rng), rng.choice(NAMES + TYPES + ROLES)])


def rvalue(rng: random.Random, depth: int = 0):
    kind = rng.random()
    if depth < 3 and kind < 0.15:
        return [rvalue(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if depth < 3 and kind < 0.25:
        return {rng.choice(ROLES + ["id", "type", "quote", "start", "end"]): rvalue(rng, depth + 1)
                for _ in range(rng.randint(0, 3))}
    return rscalar(rng)


def mutate(rng: random.Random, base: bytes) -> bytes:
    """``base`` with a few bytes replaced, inserted or deleted."""
    out = bytearray(base)
    for _ in range(rng.randint(1, 6)):
        at = rng.randint(0, len(out))
        data = bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 4)))
        kind = rng.random()
        if kind < 0.4:
            out[at:at + len(data)] = data
        elif kind < 0.8:
            out[at:at] = data
        else:
            del out[at:at + rng.randint(1, 8)]
    return bytes(out)


def maybe(rng: random.Random, good, p: float = 0.7):
    """Usually the good value, sometimes anything."""
    return good if rng.random() < p else rvalue(rng)


def outcome(path: Path) -> str:
    """Compile one file; the only allowed outcomes are an article with valid triples, or an AutokgError."""
    mapping = read_mapping(None)
    # brat has no metadata of its own: the defaults a mapping file would give
    mapping.article_defaults.update(publisher=Value("global-times"), date=Value("2026-02"))
    try:
        articles = [compile_article(doc, INDEX, SCHEMA) for doc in read_documents(path, "auto", mapping, INDEX, [])]
        unmapped = mapping.unmapped_problems()
    except AutokgError:
        return "error"
    if unmapped:
        return "error"
    for article in articles:
        ox.parse("\n".join(article.triples), format=ox.RdfFormat.N_TRIPLES)  # every IRI and literal well formed
    return "compiled"


def written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def fuzz(mode, kind: str, write) -> None:
    """Run ``mode``'s examples for one importer: ``write(rng)`` writes a generated document
    and returns the file to compile; each one must give one of ``outcome``'s outcomes."""

    @mode
    @given(st.randoms(use_true_random=False))
    def run(rng):
        path = write(rng)
        tried[kind] += 1
        outcome(path)

    run()


# --- YAML -----------------------------------------------------------------------------------

BASE_YAML = f"""article:
  id: fuzz-base
  headline: Fuzz
  publisher: global-times
  date: 2026-02
  text: {json.dumps(TEXT)}
entities:
  - id: acme-tariff
    type: Tariff
    name: Acme tariff
    rate: 25
    imposed_by: united-states
events:
  - id: talks
    type: Negotiation
    participant: [Ford, xiaomi]
    evidence: "Ford met Xiaomi"
  - id: denial
    type: Denial
    on_behalf_of: xiaomi
    denies: talks
    evidence: {{start: 28, end: 43}}
""".encode()


def yaml_article(rng: random.Random) -> bytes:
    if rng.random() < 0.4:
        return mutate(rng, BASE_YAML)
    events = [{"id": maybe(rng, rng.choice(["talks", "e-1", "denial"])), "type": maybe(rng, rng.choice(TYPES)),
               "evidence": maybe(rng, rng.choice(["Ford met Xiaomi", "Detroit", {"start": 0, "end": 4}])),
               **{rng.choice(ROLES): maybe(rng, rng.choice(NAMES)) for _ in range(rng.randint(0, 4))}}
              for _ in range(rng.randint(0, 4))]
    entities = [{"id": maybe(rng, rng.choice(["acme", "ford-motor-company"])), "type": maybe(rng, rng.choice(TYPES)),
                 **{rng.choice(["name", "rate", "aliases", "wikidata", "positions", "country"]): rvalue(rng)
                    for _ in range(rng.randint(0, 3))}}
                for _ in range(rng.randint(0, 3))]
    article = {"id": maybe(rng, "fuzz-doc"), "headline": maybe(rng, "Fuzz"), "publisher": rng.choice(NAMES),
               "date": maybe(rng, rng.choice(["2026-02", "2026-02-30", "2026"])), "text": maybe(rng, TEXT),
               **{rng.choice(["url", "language", "text_file", "title"]): rvalue(rng) for _ in range(rng.randint(0, 2))}}
    doc = {"article": maybe(rng, article, 0.95), "entities": maybe(rng, entities, 0.9), "events": maybe(rng, events, 0.9)}
    return yaml.dump(doc, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True).encode("utf-8")


@MODES
def test_fuzz_yaml(mode):
    fuzz(mode, "yaml", lambda rng: written(WORK / "fuzz.yaml", yaml_article(rng)))


# --- brat -----------------------------------------------------------------------------------

BASE_ANN = (b"T1\tAutomaker 0 4\tFord\nT2\tAutomaker 9 15\tXiaomi\nT3\tNegotiation 5 8\tmet\n"
            b"E1\tNegotiation:T3 participant:T1 participant2:T2\nT4\tDenial 35 41\tdenied\n"
            b"E2\tDenial:T4 speaker:T2 denies:E1\nA1\tNegation E1\n#1\tAnnotatorNotes E2\tdate: 2026-02-01\n"
            b"N1\tReference T1 Wikidata:Q44294\tFord\n*\tAlias T1 T1\n")
IDS = ["T1", "T2", "T3", "T4", "E1", "E2", "R1", "A1", "N1", "#1", "*"]


def ann_line(rng: random.Random) -> str:
    kind = rng.choice("TTTEERANM#*?")
    ident = kind + str(rng.randint(1, 5)) if kind not in "*?" else maybe(rng, rng.choice(IDS))
    ref = lambda: str(maybe(rng, rng.choice(IDS)))  # noqa: E731
    off = lambda: str(rng.randint(-2, 70) if rng.random() < 0.95 else rtext(rng, 3))  # noqa: E731
    if kind == "T":
        body = f"{maybe(rng, rng.choice(TYPES), 0.9)} {off()} {off()}" + (f";{off()} {off()}" if rng.random() < 0.2 else "")
        return f"{ident}\t{body}\t{rtext(rng)}"
    if kind == "E":
        args = " ".join(f"{rng.choice(ROLES)}:{ref()}" for _ in range(rng.randint(0, 3)))
        return f"{ident}\t{rng.choice(TYPES)}:{ref()} {args}"
    if kind == "#":
        return f"{ident}\tAnnotatorNotes {ref()}\t{rng.choice(ROLES + ['id', 'name', 'wikidata'])}: {rscalar(rng)}"
    return f"{ident}\t{rtext(rng)} {ref()} {ref()}\t{rtext(rng)}"


def brat_document(rng: random.Random) -> tuple[bytes, bytes]:
    choice = rng.random()
    if choice < 0.3:
        return mutate(rng, BASE_ANN), TEXT.encode()
    if choice < 0.45:
        return BASE_ANN, mutate(rng, TEXT.encode())
    ann = "\n".join(ann_line(rng) for _ in range(rng.randint(0, 8)))
    return ann.encode("utf-8", "replace"), (TEXT if rng.random() < 0.8 else rtext(rng, 60)).encode("utf-8", "replace")


@MODES
def test_fuzz_brat(mode):
    def write(rng) -> Path:
        ann, txt = brat_document(rng)
        written(WORK / "fuzz.txt", txt)
        return written(WORK / "fuzz.ann", ann)

    fuzz(mode, "brat", write)


# --- Label Studio ---------------------------------------------------------------------------

def _task(results, text=TEXT, **data):
    return {"id": 1, "data": {"text": text, "article_id": "fuzz-ls", "publisher": "global-times", **data},
            "annotations": [{"id": 1, "result": results, "was_cancelled": False}]}


BASE_LS = json.dumps([_task([
    {"id": "a", "type": "labels", "value": {"start": 0, "end": 4, "text": "Ford", "labels": ["Automaker"]}},
    {"id": "b", "type": "labels", "value": {"start": 9, "end": 15, "text": "Xiaomi", "labels": ["Automaker"]}},
    {"id": "c", "type": "labels", "value": {"start": 5, "end": 8, "text": "met", "labels": ["Negotiation"]}},
    {"from_id": "c", "to_id": "a", "type": "relation", "labels": ["participant"]},
    {"from_id": "c", "to_id": "b", "type": "relation", "labels": ["participant"], "direction": "right"},
    {"id": "c", "type": "choices", "from_name": "certainty", "value": {"choices": ["probable"]}},
    {"id": "a", "type": "textarea", "from_name": "note", "value": {"text": ["id: ford-motor-company"]}}])],
    indent=1).encode()
def ls_result(rng: random.Random):
    kind = rng.random()
    rid = lambda: maybe(rng, rng.choice(["a", "b", "c", "d"]), 0.9)  # noqa: E731
    if kind < 0.4:
        value = {"start": maybe(rng, rng.randint(-2, 70), 0.9), "end": maybe(rng, rng.randint(-2, 70), 0.9),
                 "labels": maybe(rng, rng.sample(TYPES, rng.choice([1, 1, 1, 0, 2])), 0.9)}
        if rng.random() < 0.5:
            value["text"] = maybe(rng, rng.choice(["Ford", "Xiaomi", "met"]))
        return {"id": rid(), "type": "labels", "value": maybe(rng, value, 0.95)}
    if kind < 0.7:
        return {"from_id": rid(), "to_id": rid(), "type": "relation", "labels": maybe(rng, [rng.choice(ROLES)]),
                "direction": rng.choice(["right", "left", "bi", None])}
    if kind < 0.8:
        return {"id": rid(), "type": "choices", "from_name": rng.choice(ROLES),
                "value": {"choices": maybe(rng, [rng.choice(["certain", "negative", "probable"])])}}
    if kind < 0.9:
        return {"id": rid(), "type": "textarea", "from_name": "note",
                "value": {"text": maybe(rng, [rng.choice(["id: x", "rate: NaN", "date: 2026", "name: <b>"])])}}
    return rvalue(rng)


def ls_export(rng: random.Random) -> bytes:
    if rng.random() < 0.35:
        return mutate(rng, BASE_LS)
    tasks = [_task([ls_result(rng) for _ in range(rng.randint(0, 7))], text=maybe(rng, TEXT, 0.85),
                   **{rng.choice(["article_id", "headline", "date", "url", "publisher"]): rvalue(rng)
                      for _ in range(rng.randint(0, 2))})
             for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.1:
        tasks[0]["annotations"] = rvalue(rng)
    return json.dumps(maybe(rng, tasks, 0.95)).encode("utf-8", "surrogatepass")


@MODES
def test_fuzz_labelstudio(mode):
    fuzz(mode, "labelstudio", lambda rng: written(WORK / "fuzz.json", ls_export(rng)))


def test_the_base_documents_compile():
    """The documents the mutations start from are valid, so the fuzzing starts on the happy path."""
    for name, data in (("base.yaml", BASE_YAML), ("base.ann", BASE_ANN), ("base.json", BASE_LS)):
        path = WORK / name
        path.write_bytes(data)
        if name == "base.ann":
            (WORK / "base.txt").write_bytes(TEXT.encode())
        assert outcome(path) == "compiled", name
