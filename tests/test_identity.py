"""Identity across articles: claim keys, near matches and the entity name matcher."""

from __future__ import annotations

import pytest

from graph.identity import NameMatcher, claim_key, dates_compatible, near_match, split_key, topics_alike
from graph.registry import read_registry

from .conftest import EXAMPLES

FORD, XIAOMI, BYD = "id:ford-motor-company", "id:xiaomi", "id:byd"


def test_a_key_ignores_filler_order_and_wording():
    a = claim_key("Negotiation", {"participant": [FORD, XIAOMI], "topic": ["joint venture to build EVs"]}, "2026-02")
    b = claim_key("https://w3id.org/autokg#Negotiation",
                  {"participant": [XIAOMI, FORD], "topic": ["a possible EV partnership"], "date": ["2026-02"]})
    assert a == b == "Negotiation|date=2026-02|participant=id:ford-motor-company,id:xiaomi"


def test_a_key_differs_by_kind_party_date_and_number():
    base = claim_key("Negotiation", {"participant": [FORD, XIAOMI]}, "2026-02")
    assert claim_key("Meeting", {"participant": [FORD, XIAOMI]}, "2026-02") != base
    assert claim_key("Negotiation", {"participant": [FORD, BYD]}, "2026-02") != base
    assert claim_key("Negotiation", {"participant": [FORD, XIAOMI]}, "2025") != base
    assert (claim_key("TariffImposition", {"policy": ["id:t"], "rate": ["25"]})
            != claim_key("TariffImposition", {"policy": ["id:t"], "rate": ["10"]}))


def test_split_key_gives_the_parts_back():
    parts = split_key(claim_key("Denial", {"onBehalfOf": [FORD], "denies": ["event:x"]}, "2026-02"))
    assert parts.kind == "Denial"
    assert parts.parties() == {"onBehalfOf": frozenset({FORD})}
    assert parts.dates() == {"date": frozenset({"2026-02"})}
    assert parts.rest() == {"denies": frozenset({"event:x"})}


@pytest.mark.parametrize(("a", "b", "compatible"), [
    ({"2026-02"}, {"2026-02-02"}, True), (set(), {"2025"}, True), ({"2019"}, {"2025"}, False),
    ({"2026-02-01"}, {"2026-02-02"}, False)])
def test_dates_compatible(a, b, compatible):
    assert dates_compatible(a, b) is compatible


def test_near_matches_are_same_parties_compatible_dates_alike_topics():
    month = claim_key("Negotiation", {"participant": [FORD, XIAOMI]}, "2026-02")
    day = claim_key("Negotiation", {"participant": [FORD, XIAOMI]}, "2026-02-03")
    undated = claim_key("Negotiation", {"participant": [FORD, XIAOMI]})
    assert near_match(month, day, ["EV joint venture"], ["joint venture talks"])
    assert near_match(month, undated)
    assert not near_match(month, month), "equal keys are a merge, not a candidate"
    assert not near_match(month, day, ["EV joint venture"], ["sponsorship of a football club"])
    assert not near_match(month, claim_key("Negotiation", {"participant": [FORD, BYD]}, "2026-02"))


def test_talks_in_2019_and_2025_are_no_candidate():
    y2019 = claim_key("Negotiation", {"participant": [FORD, XIAOMI]}, "2019")
    y2025 = claim_key("Negotiation", {"participant": [FORD, XIAOMI]}, "2025-06")
    assert y2019 != y2025
    assert not near_match(y2019, y2025, ["joint venture"], ["joint venture"])


def test_topics_alike():
    assert topics_alike(["joint venture to build EVs in the US"], ["EV joint-venture talks"])
    assert not topics_alike(["tariffs on steel"], ["a football sponsorship"])


@pytest.fixture(scope="module")
def matcher():
    return NameMatcher(read_registry(EXAMPLES / "entities.yaml"))


@pytest.mark.parametrize(("name", "entity"), [
    ("China's Ministry of Commerce", "mofcom"),
    ("Ministry of Commerce of China", "mofcom"),
    ("Stelantis", "stellantis"),
    ("European Commision", "european-commission"),
    ("Mercédès-Benz", "mercedes-benz-group"),
    ("Commission European", "european-commission"),
])
def test_the_matcher_finds_the_entity_a_name_probably_means(matcher, name, entity):
    best = matcher.best(name)
    assert best is not None and best.entity == entity, matcher.matches(name)
    assert 0 < best.score <= 1 and best.reason


def test_an_acronym_matches_the_words_it_stands_for(matcher):
    assert "european-commission" in [m.entity for m in matcher.matches("EC")]
    assert matcher.matches("ec") == [], "a lower-case word is not an acronym"


def test_an_unrelated_name_matches_nothing(matcher):
    assert matcher.matches("Harbin Snow Festival") == []
