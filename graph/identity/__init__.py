"""Identity across articles: one claim for what several articles state, one entity for every
way they name it, and a log of those decisions a person can review.

* ``claim_key`` (``keys``): what a claim says as a comparable string; ``near_match`` tells
  candidates (same parties and kind, compatible dates, alike topics) from merges.
* ``identify_claims`` (``claims``): the load's merge pass, one node per claim.
* ``read_judgements`` / ``write_judgement`` (``judgements``): the judgement file.
* ``NameMatcher`` (``names``): which known entity a name that resolves to nothing probably
  means, with a score and the reason.
"""

from .claims import ClaimFacts, KnownClaim, Merge, identify_claims, known_claims, known_claims_for, shared_id_conflicts
from .judgements import (
    JUDGEMENTS_FILENAME,
    VERDICTS,
    Judgement,
    Judgements,
    apply_name_judgements,
    judgements_beside,
    read_judgements,
    write_judgement,
)
from .keys import (
    DATE_ROLES,
    DESCRIPTIVE_ROLES,
    PARTY_ROLES,
    KeyParts,
    claim_key,
    dates_compatible,
    near_match,
    split_key,
    topics_alike,
)
from .names import NameMatch, NameMatcher, fold_name, judge_handle, probable_entity

__all__ = [
    "identify_claims", "known_claims", "known_claims_for", "shared_id_conflicts", "ClaimFacts", "KnownClaim", "Merge",
    "Judgement", "Judgements", "read_judgements", "write_judgement", "judgements_beside",
    "apply_name_judgements", "JUDGEMENTS_FILENAME", "VERDICTS",
    "claim_key", "split_key", "KeyParts", "near_match", "dates_compatible", "topics_alike",
    "DESCRIPTIVE_ROLES", "PARTY_ROLES", "DATE_ROLES",
    "NameMatch", "NameMatcher", "fold_name", "probable_entity", "judge_handle",
]
