"""Readers: every input format autokg reads into an ``ArticleDoc``.

    annotations   the native YAML article format and the document model every reader fills
    yamlsource    line-aware YAML reading shared by the YAML readers
    brat          brat stand-off (.txt + .ann), and the YAML -> brat writer
    labelstudio   Label Studio JSON exports, and the YAML -> Label Studio writer
    inception     INCEpTION's UIMA CAS XMI and JSON (dkpro-cassis, the ``inception`` extra)
    webanno       WebAnno TSV 3.3, INCEpTION's tab-separated export
    doccano       doccano's JSONL export (spans and relations)
    standoff      what the stand-off readers share: spans, events, relations -> an article
    mapping       mapping files from a tool's type names to the ontology's
    records       what the official-record readers share (documents reproducing a record)
    federalregister  Federal Register documents saved from its API (JSON)
    gta           Global Trade Alert exports (CSV, JSON)

The public functions are importable from here; each reader module is imported only when
one of its names is first used, so reading YAML does not import the stand-off readers.
"""

from __future__ import annotations

import importlib

# The input formats ``load`` and ``validate`` take (``--format``), here so that the command
# line can list them without importing a reader.
FORMATS = ("auto", "yaml", "brat", "labelstudio", "inception", "webanno", "doccano", "federalregister", "gta",
           "euregulation")

_PUBLIC = {
    "ArticleDoc": "annotations", "read_article": "annotations",
    "read_brat": "brat", "parse_brat": "brat", "write_brat": "brat", "META_SUFFIX": "brat",
    "read_labelstudio": "labelstudio", "write_labelstudio": "labelstudio",
    "read_inception": "inception", "read_webanno": "webanno", "read_doccano": "doccano",
    "TypeMapping": "mapping", "read_mapping": "mapping",
    "read_federal_register": "federalregister", "read_gta": "gta", "RecordDoc": "records",
}

__all__ = sorted([*_PUBLIC, "FORMATS"])


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'graph.readers' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    return __all__
