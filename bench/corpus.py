"""Deterministic synthetic corpus: N annotated articles in autokg's YAML format.

A few hundred recurring entities with Zipf-like frequencies, 5-20 events per article of
every kind (talks, statements, denials, tariffs, reports, invitations, investments),
evidence quotes that occur verbatim in the generated text, dates over 2021-2026.

    python bench/corpus.py OUT_DIR --articles 1000 --seed 7
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

BRANDS = ["Aster", "Borealis", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Helix", "Ion", "Jade",
          "Kestrel", "Lumen", "Meridian", "Nova", "Orion", "Pioneer", "Quasar", "Radiant", "Summit", "Titan",
          "Umbra", "Vertex", "Willow", "Xenon", "Yarrow", "Zenith"]
SUFFIXES = ["Motors", "Auto", "EV", "Automotive", "Mobility"]
COUNTRIES = ["Arland", "Borvia", "Caldonia", "Dravia", "Estmark", "Fennland", "Galoria", "Hestia", "Istria",
             "Jorvik", "Kalmar", "Lorien", "Mistral", "Norland", "Ostia", "Pravia", "Quellan", "Rovania",
             "Sardis", "Tamsin", "Ulmar", "Varno", "Westmark", "Ysolde", "Zarnia"]
FIRST = ["Alex", "Brook", "Casey", "Dana", "Eli", "Frankie", "Gale", "Harper", "Indy", "Jules", "Kai", "Lee",
         "Morgan", "Noor", "Oak", "Parker", "Quinn", "Reese", "Sage", "Tatum"]
LAST = ["Amsel", "Brandt", "Corvin", "Dufort", "Eskola", "Farrow", "Gunnar", "Holm", "Ivers", "Jansen",
        "Kovac", "Lindqvist", "Moreau", "Nakata", "Olsen", "Petrov", "Quint", "Rasku", "Sato", "Tamm"]
PRODUCTS = ["battery electric vehicles", "plug-in hybrids", "auto parts", "passenger cars", "light trucks",
            "lithium-ion cells", "steel for car bodies", "semiconductors for vehicles"]
TOPICS = ["a joint venture", "battery supply", "a factory in the region", "software licensing",
          "shared charging networks", "export quotas", "a technology partnership", "component sourcing"]
STANCES = ["opposes", "supports", "criticises", "complains", "comments"]
STANCE_VERB = {"opposes": "firmly opposed", "supports": "welcomed", "criticises": "criticised",
               "complains": "complained about", "comments": "commented on"}


def _zipf_picker(rng: random.Random, items: list, s: float = 1.1):
    weights = [1 / (rank ** s) for rank in range(1, len(items) + 1)]
    order = items[:]
    rng.shuffle(order)
    return lambda k=1: rng.choices(order, weights=weights, k=k)


def build_registry(rng: random.Random) -> list[dict]:
    entities = []
    for c in COUNTRIES:
        entities.append({"id": c.lower(), "type": "Country", "name": c})
        entities.append({"id": f"{c.lower()}-trade-ministry", "type": "Ministry", "name": f"{c} Trade Ministry",
                         "country": c.lower()})
    for b in BRANDS:
        for s in SUFFIXES:
            name = f"{b} {s}"
            entities.append({"id": name.lower().replace(" ", "-"), "type": "Automaker", "name": name,
                             "country": rng.choice(COUNTRIES).lower()})
    for f in FIRST:
        for last in LAST[:8]:
            name = f"{f} {last}"
            entities.append({"id": name.lower().replace(" ", "-"), "type": "Person", "name": name,
                             "country": rng.choice(COUNTRIES).lower()})
    for o in ["Daily Ledger", "Auto Wire", "Trade Courier", "Motor Gazette", "Harbour Times", "Capital Post",
              "Industry Watch", "Evening Dispatch", "Global Wheels", "Market Tribune"]:
        entities.append({"id": o.lower().replace(" ", "-"), "type": "MediaOutlet", "name": o})
    for p in PRODUCTS:
        entities.append({"id": p.replace(" ", "-"), "type": "Product", "name": p})
    for c in COUNTRIES[:10]:
        entities.append({"id": f"{c.lower()}-trade-act", "type": "LegalInstrument", "name": f"{c} Trade Act",
                         "country": c.lower()})
    return entities


def build_article(n: int, rng: random.Random, pick: dict) -> tuple[dict, str]:
    year = rng.randint(2021, 2026)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    date = f"{year}-{month:02d}-{day:02d}"
    publisher = pick["outlet"]()[0]
    sentences: list[str] = [f"Automotive trade roundup number {n}, published on {date}."]
    events: list[dict] = []
    entities: list[dict] = []
    talks: list[str] = []

    def say(text: str) -> str:
        sentences.append(text)
        return text

    for i in range(rng.choice([5, 5, 6, 6, 7, 8, 9, 10, 12, 15, 20])):
        kind = rng.choices(["talks", "statement", "denial", "tariff", "report", "invitation", "investment"],
                           weights=[5, 5, 2, 3, 2, 1, 2])[0]
        eid = f"a{n}-e{i}"
        if kind == "denial" and not talks:
            kind = "talks"
        if kind == "talks":
            a, b = pick["automaker"](2)
            if a["id"] == b["id"]:
                continue
            topic = rng.choice(TOPICS)
            q = say(f"{a['name']} held talks with {b['name']} about {topic} (item {i}).")
            events.append({"id": eid, "type": "Negotiation", "participant": [a["id"], b["id"]], "topic": topic,
                           "date": date[:7], "evidence": q})
            talks.append(eid)
        elif kind == "statement":
            person, = pick["person"]()
            stance = rng.choice(STANCES)
            target, = pick["automaker"]() if rng.random() < 0.3 else pick["country"]()
            q = say(f"{person['name']} {STANCE_VERB[stance]} the policy of {target['name']} in remarks to "
                    f"{publisher['name']} (item {i}).")
            events.append({"id": eid, "type": "Statement", "speaker": person["id"], "addressee": publisher["id"],
                           "stance": stance, "stance_target": target["id"], "date": date, "evidence": q})
        elif kind == "denial":
            target = rng.choice(talks)
            denier, = pick["automaker"]()
            q = say(f"A spokesperson for {denier['name']} denied the reported talks (item {i}).")
            events.append({"id": eid, "type": "Denial", "on_behalf_of": denier["id"], "denies": target,
                           "speaker_description": "a spokesperson", "date": date, "evidence": q})
        elif kind == "tariff":
            imposer, = pick["country"]()
            product = rng.choice(PRODUCTS)
            tariff_id = f"{imposer['id']}-tariff-{product.replace(' ', '-')}-{year}"
            tariff = pick["tariffs"].setdefault(tariff_id, {   # one tariff, one set of facts, in every article
                "id": tariff_id, "type": "Tariff", "name": f"{imposer['name']} tariff on {product} ({year})",
                "rate": rng.choice([10, 15, 17.4, 25, 35.3, 50, 100]), "goods": product.replace(" ", "-"),
                "effective_date": f"{year}-{rng.randint(1, 12):02d}-01", "imposed_by": imposer["id"],
                "target_jurisdiction": pick["country"]()[0]["id"]})
            if not any(e["id"] == tariff_id for e in entities):
                entities.append(dict(tariff))
            target = next(e for e in pick["all"] if e["id"] == tariff["target_jurisdiction"])
            q = say(f"{imposer['name']} imposed a {tariff['rate']} percent tariff on {product} from "
                    f"{target['name']} starting {tariff['effective_date']} (item {i}).")
            events.append({"id": eid, "type": "TariffImposition", "actor": imposer["id"], "policy": tariff_id,
                           "date": date, "evidence": q})
        elif kind == "report" and talks:
            outlet, = pick["outlet"]()
            count = rng.randint(1, 6)
            q = say(f"{outlet['name']} reported the talks, citing {count} people familiar with the matter "
                    f"(item {i}).")
            events.append({"id": eid, "type": "Report", "reporter": outlet["id"], "reports": [rng.choice(talks)],
                           "anonymous_source_count": count,
                           "source_description": "people familiar with the matter", "evidence": q})
        elif kind == "invitation":
            person, = pick["person"]()
            maker, = pick["automaker"]()
            q = say(f"{person['name']} invited {maker['name']} to build a plant (item {i}).")
            events.append({"id": eid, "type": "Invitation", "inviter": person["id"], "invitee": maker["id"],
                           "purpose": "build a plant", "date": date[:7], "evidence": q})
        elif kind == "investment":
            maker, = pick["automaker"]()
            where, = pick["country"]()
            q = say(f"{maker['name']} announced a new factory in {where['name']} (item {i}).")
            events.append({"id": eid, "type": "Investment", "investor": maker["id"], "location": where["id"],
                           "date": date[:4], "evidence": q})
    doc = {
        "article": {"id": f"synthetic-{n:06d}", "headline": f"Automotive trade roundup {n}",
                    "publisher": publisher["id"], "date": date, "language": "en", "text": " ".join(sentences)},
        "entities": entities,
        "events": events,
    }
    return doc, date


def generate(out: Path, articles: int, seed: int = 7) -> Path:
    """Write ``articles`` YAML files and an entities.yaml registry under ``out``."""
    rng = random.Random(seed)
    registry = build_registry(rng)
    by_type: dict[str, list] = {}
    for e in registry:
        by_type.setdefault(e["type"], []).append(e)
    pick = {
        "automaker": _zipf_picker(rng, by_type["Automaker"]),
        "person": _zipf_picker(rng, by_type["Person"]),
        "country": _zipf_picker(rng, by_type["Country"]),
        "outlet": _zipf_picker(rng, by_type["MediaOutlet"]),
        "tariffs": {},
        "all": registry,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "entities.yaml").write_text(yaml.safe_dump({"entities": registry}, sort_keys=False), encoding="utf-8")
    folder = out / "articles"
    folder.mkdir(exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for n in range(articles):
        doc, _ = build_article(n, rng, pick)
        (folder / f"{n:06d}.yaml").write_text(yaml.dump(doc, Dumper=dumper, sort_keys=False, allow_unicode=True),
                                              encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.articles, args.seed)
    print(f"wrote {args.articles} articles to {args.out}")


if __name__ == "__main__":
    main()
