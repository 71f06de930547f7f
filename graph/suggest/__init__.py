"""``autokg suggest``: a draft annotation of a raw article, made offline by rules and the registry.

    textmatch   folding that keeps offsets, tokens, sentences
    entities    registry mentions (longest first) and new capitalised names typed by cue words
    dates       date expressions normalised against the publication date
    rules       claims by event kind, from the trigger lists in rules.yaml
    draft       the findings as autokg YAML, brat stand-off or Label Studio predictions
    evaluate    precision and recall against hand annotations

Rules and word lists are data files beside the code: ``rules.yaml`` (triggers, cues and
scores per event kind) and ``cues.yaml`` (cue words for names, demonyms).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import AnnotationError, Problem
from ..registry import EntityIndex
from .draft import Draft, Source, draft_yaml, make_draft, read_source

__all__ = [
    "Draft",
    "Source",
    "read_source",
    "suggest_article",
    "draft_yaml",
    "write_draft",
    "suggest_paths",
    "evaluate_dir",
    "store_matches",
    "FORMATS",
]

FORMATS = ("yaml", "labelstudio", "brat")


def suggest_article(source: Source, index: EntityIndex, *, beside: bool = False, matcher=None, store=None,
                    known=None) -> Draft:
    """Suggest claims and entities for one article; ``beside``: the draft sits next to the .txt it names.

    ``store``: a store whose claims a suggestion reuses when it says the same (the claim key of
    ``graph.identity``): the draft then carries that claim's id and names its article.
    ``known``: what other articles state (``graph.suggest.known``), such as the entities the store's
    articles declare (``known_from_store``): found by name, declared again with their ids.
    """
    text_file = source.text_file if beside else None
    if known is not None:
        known = known.without(source.article_id)  # an article loaded before is not its own evidence
    draft = make_draft(source, index, matcher=matcher, text_file=text_file, known=known)
    if store is not None:
        stored = store_matches(draft, index, store)
        if stored:
            draft = make_draft(source, index, matcher=matcher, text_file=text_file, stored=stored, known=known)
    return draft


def store_matches(draft: Draft, index: EntityIndex, store) -> dict[str, tuple[str, str]]:
    """Suggested claim id -> (id, article) of the stored claim with the same claim key.

    The draft is compiled as `autokg load` would compile it and put through the load's own
    claim-identity pass (``graph.identity.identify_claims``) against the claims the store's
    other articles state; a claim it would merge into a stored one is that claim.
    """
    from ..assertions import compile_article
    from ..identity.claims import identify_claims, known_claims_for
    from ..schema import load_schema
    from ..terms import article_iri

    doc = _as_document(draft, draft_yaml(draft), index)
    try:
        compiled = compile_article(doc, index.copy(), load_schema(), mentions=False)
    except AnnotationError:
        return {}
    # the stored claims the draft's could merge into, looked up by their keys and ids (a few claims against
    # what may be 100,000), as `autokg load` does for a small load
    known = known_claims_for(store, [compiled], [article_iri(doc.id)])
    if not known:
        return {}
    by_node = {k.node: k for k in known}
    out = {}
    for merge in identify_claims([compiled], known):
        stored = by_node.get(merge.into)
        if stored is not None:
            out[merge.claim.split("/", 1)[1]] = (stored.event_id, stored.article)
    return out


def _default_out(path: Path, fmt: str) -> Path:
    return path.with_suffix({"yaml": ".yaml", "labelstudio": ".json", "brat": ".ann"}[fmt])


def write_draft(draft: Draft, index: EntityIndex, fmt: str = "yaml", out: Path | str | None = None) -> str | Path:
    """Write a draft in ``fmt`` at ``out`` ('-' returns the text instead); returns the path written."""
    if fmt not in FORMATS:
        raise AnnotationError([Problem("--format", None, f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")])
    text = draft_yaml(draft)
    if fmt == "yaml":
        if out == "-":
            return text
        return _write(Path(out), text)
    doc = _as_document(draft, text, index)
    if fmt == "brat":
        from ..readers.brat import META_SUFFIX, export_article

        txt, ann, meta = export_article(doc, index)
        if out == "-":
            return ann
        target = Path(out)
        if draft.source.text_file is None or Path(draft.source.path).with_suffix(".txt") != target.with_suffix(".txt"):
            _write(target.with_suffix(".txt"), txt)
        _write(target.with_name(target.stem + META_SUFFIX), meta)
        return _write(target, ann)
    task = predictions_task(draft, doc, index)
    body = json.dumps([task], indent=2, ensure_ascii=False) + "\n"
    if out == "-":
        return body
    return _write(Path(out), body)


def predictions_task(draft: Draft, doc, index: EntityIndex) -> dict:
    """The draft as one Label Studio task with the suggestions as a prediction (not an annotation)."""
    from ..readers.labelstudio import export_task

    exported = export_task(doc, index)
    result = exported["annotations"][0]["result"]
    scores = [c.score for c in draft.analysis.claims] or [1.0]
    return {
        "data": exported["data"],
        "predictions": [
            {
                "model_version": "autokg-suggest-rules",
                "score": round(sum(scores) / len(scores), 3),
                "result": result,
            }
        ],
    }


def _as_document(draft: Draft, text: str, index: EntityIndex):
    """Read the YAML draft back as an article document (what brat and Label Studio are written from)."""
    import tempfile

    from ..readers.annotations import read_article

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{draft.source.article_id}.yaml"
        if "text_file" in draft.article:
            (Path(tmp) / draft.article["text_file"]).write_text(draft.source.text, encoding="utf-8")
        path.write_text(text, encoding="utf-8")
        doc = read_article(path)
    doc.path = draft.source.path
    return doc


def _write(path: Path, text: str) -> Path:
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(tmp, path)
    return path


def suggest_paths(
    paths,
    index: EntityIndex,
    *,
    fmt: str = "yaml",
    out: str | None = None,
    publisher: str | None = None,
    date: str | None = None,
    headline: str | None = None,
    article_id: str | None = None,
    store=None,
) -> list:
    """Suggest a draft for each article file; returns (path or text written, draft) pairs.

    ``store``: claims it holds are reused by suggestions that say the same (see ``suggest_article``).
    """
    paths = [Path(p) for p in paths]
    if len(paths) > 1 and out not in (None, "-") and not Path(out).is_dir():
        raise AnnotationError([Problem("--out", None, "with several articles, --out must be a folder or '-'")])
    if len(paths) > 1 and article_id:
        raise AnnotationError([Problem("--id", None, "--id names one article: give one file")])
    from .entities import EntityMatcher
    from .known import known_from_store

    matcher = EntityMatcher(index)
    known = known_from_store(store, index) if store is not None else None
    results = []
    for path in paths:
        source = read_source(path, publisher=publisher, date=date, headline=headline, article_id=article_id, index=index)
        if out is None:
            target: Path | str = _default_out(path, fmt)
        elif out == "-":
            target = "-"
        elif Path(out).is_dir():
            target = _default_out(Path(out) / path.name, fmt)
        else:
            target = Path(out)
        beside = (
            target != "-"
            and fmt == "yaml"
            and source.text_file is not None
            and Path(target).resolve().parent == path.resolve().parent
        )
        draft = suggest_article(source, index, beside=beside, matcher=matcher, store=store, known=known)
        results.append((write_draft(draft, index, fmt, target), draft))
    return results


def evaluate_dir(folder, registry=None, *, use_known: bool = True, earlier=()):
    """Precision and recall of the suggestions against the hand annotations in ``folder``.

    With ``use_known``, each article is suggested with the other articles of ``folder`` (and
    those of the ``earlier`` folders) as what the store holds (leave one out); without, from
    its text and the registry alone.
    """
    from .evaluate import evaluate_dir as run

    return run(folder, registry, use_known=use_known, earlier=tuple(earlier))
