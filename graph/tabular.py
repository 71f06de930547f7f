"""Query results as text: an aligned table, CSV, TSV, Markdown, or SPARQL 1.1 results JSON."""

from __future__ import annotations

import csv
import io
import json

from .store import QueryResult

__all__ = ["FORMATS", "format_result", "cell"]

FORMATS = ("table", "csv", "tsv", "json", "md")
_MAX_CELL = 72


def cell(term) -> str:
    """Plain text for one result term (its value; empty when unbound)."""
    return "" if term is None else term.value


def format_result(result: QueryResult, fmt: str = "table", width: int | None = None) -> str:
    """Render ``result`` in ``fmt`` (one of FORMATS); a table fits in ``width`` columns if given."""
    if fmt == "json":
        return _sparql_json(result)
    if result.boolean is not None:
        return "true\n" if result.boolean else "false\n"
    rows = [[cell(t) for t in row] for row in result.rows]
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.variables)
        if fmt == "tsv":  # TSV cannot quote: flatten tabs and newlines
            rows = [[c.replace("\t", " ").replace("\n", " ") for c in row] for row in rows]
        writer.writerows(rows)
        return buffer.getvalue()
    if fmt == "md":
        def esc(text: str) -> str:
            return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
        lines = ["| " + " | ".join(esc(v) for v in result.variables) + " |",
                 "|" + "|".join("---" for _ in result.variables) + "|"]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    return _table(result.variables, rows, width)


def _table(headers: list[str], rows: list[list[str]], width: int | None = None) -> str:
    def clip(text: str, limit: int = _MAX_CELL) -> str:
        text = " ".join(text.split())
        return text if len(text) <= limit else text[: limit - 1] + "…"

    rows = [[clip(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    if width:
        widths = _fit(widths, width - 2 * (len(widths) - 1))
        headers = [clip(h, w) for h, w in zip(headers, widths, strict=True)]
        rows = [[clip(c, w) for c, w in zip(row, widths, strict=True)] for row in rows]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _fit(widths: list[int], room: int, narrowest: int = 8) -> list[int]:
    """Column widths that add up to at most ``room``: the widest columns give way first,
    none below ``narrowest`` (a table too wide even then stays wider than the room)."""
    widths = list(widths)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= narrowest:
            break
        widths[widest] -= 1
    return widths


def _json_term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _sparql_json(result: QueryResult) -> str:
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2) + "\n"
    bindings = [{v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
                for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      indent=2, ensure_ascii=False) + "\n"
