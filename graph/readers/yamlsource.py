"""Read YAML into plain Python values that remember their line numbers.

PyYAML's loaders drop positions; annotators need ``file:line`` in every error, so we
compose the node tree (with the C parser when present) and convert it ourselves.
Aliases are refused outright: annotation files never need them, and refusing them
closes the door on "billion laughs" expansion.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import AnnotationError, Problem
from .inputfile import MAX_FILE_BYTES, UnreadableInput, read_input

__all__ = ["YDict", "YList", "read_yaml", "parse_yaml", "line_of", "text_of", "file_too_large", "MAX_FILE_BYTES"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAX_DEPTH = 64


def file_too_large(path: Path) -> str | None:
    """Why ``path`` is too large to read as an annotation file, or None (a first look only:
    ``graph.readers.inputfile.read_input`` enforces the limit while it reads)."""
    try:
        size = path.stat().st_size
    except OSError:
        return None  # the read that follows says what is wrong
    if size <= MAX_FILE_BYTES:
        return None
    return (f"file is {size / 2**20:.1f} MB, more than the {MAX_FILE_BYTES // 2**20} MB an annotation "
            "file may hold: split it into smaller files")


class YDict(dict):
    """A mapping that knows the line it starts on and the line of each key.

    ``texts`` keeps, for each value YAML read as a number, the number as written
    (``0x1f``, ``1_000``), so an id or a name is never the number it reads as."""

    line: int = 0
    key_lines: dict
    texts: dict


class YList(list):
    """A sequence that knows the line it starts on and the line of each item (and, like
    ``YDict.texts``, each number item as written, in ``item_texts``)."""

    line: int = 0
    item_lines: list
    item_texts: dict


def line_of(container, key=None) -> int | None:
    """Line of ``container[key]`` (or of the container itself), if known."""
    if key is not None:
        if isinstance(container, YDict):
            return container.key_lines.get(key, container.line)
        if isinstance(container, YList) and isinstance(key, int) and key < len(container.item_lines):
            return container.item_lines[key]
    return getattr(container, "line", None)


def read_yaml(path: Path, within: Path | None = None):
    """Parse a YAML file; raise AnnotationError with file:line on any problem.

    ``within``: the folder the file must stay in when it is a symbolic link (see ``read_input``).
    """
    try:
        raw = read_input(path, within)
    except UnreadableInput as exc:
        reason = f"cannot read file: {exc.reason}" if exc.missing else exc.reason
        raise AnnotationError([Problem(str(path), None, reason)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AnnotationError([Problem(str(path), line, "file is not valid UTF-8")]) from None
    return parse_yaml(text, str(path))


def parse_yaml(text: str, source: str):
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise AnnotationError([Problem(source, line, "NUL byte in file")])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "malformed YAML"
        raise AnnotationError([Problem(source, line, f"invalid YAML: {what}")]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids (control characters)
        line = text[: exc.position].count("\n") + 1
        raise AnnotationError([Problem(source, line, f"invalid YAML: character #x{exc.character:04x} "
                                                     "is not allowed (control character)")]) from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise AnnotationError([Problem(source, None, f"invalid YAML: {first}")]) from None
    except RecursionError:  # the composer recurses per level, before we can count them
        raise AnnotationError([Problem(source, None, f"nesting deeper than {_MAX_DEPTH} levels")]) from None
    if node is None:  # an empty file: an empty mapping on line 1, so callers can say what is missing
        empty = YDict()
        empty.line, empty.key_lines, empty.texts = 1, {}, {}
        return empty
    return _convert(node, source, 0, set())  # one set for the whole file: any node met twice is an alias


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


def _convert(node, source: str, depth: int, seen: set):
    line = node.start_mark.line + 1
    if depth > _MAX_DEPTH:
        raise AnnotationError([Problem(source, line, f"nesting deeper than {_MAX_DEPTH} levels")])
    if id(node) in seen:
        raise AnnotationError([Problem(source, line, "YAML aliases (*name) are not allowed")])
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        out = YDict()
        out.line, out.key_lines, out.texts = line, {}, {}
        for key_node, value_node in node.value:
            key = _convert(key_node, source, depth + 1, seen)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise AnnotationError([Problem(source, key_node.start_mark.line + 1, "mapping keys must be plain scalars")])
            key = str(key)
            if key in out:
                raise AnnotationError([Problem(source, key_node.start_mark.line + 1, f"duplicate key {key!r}")])
            out[key] = _convert(value_node, source, depth + 1, seen)
            out.key_lines[key] = key_node.start_mark.line + 1
            if _is_number(out[key]):
                out.texts[key] = value_node.value
        return out
    if isinstance(node, yaml.SequenceNode):
        out = YList()
        out.line, out.item_lines, out.item_texts = line, [], {}
        for item in node.value:
            out.append(_convert(item, source, depth + 1, seen))
            out.item_lines.append(item.start_mark.line + 1)
            if _is_number(out[-1]):
                out.item_texts[len(out) - 1] = item.value
        return out
    if "\x00" in node.value:  # a "\0" escape: NUL is no more welcome escaped than raw
        raise AnnotationError([Problem(source, line, "NUL character (\\0) in a value")])
    return _scalar(node)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def text_of(container, key) -> str | None:
    """A value as it was written in the file, when YAML read it as a number (else None)."""
    texts = getattr(container, "texts", None) if isinstance(container, YDict) else getattr(container, "item_texts", None)
    return texts.get(key) if texts else None


def _scalar(node):
    value, tag = node.value, node.tag
    if node.style:  # quoted scalars are always strings
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() in ("true", "yes", "on")
    if tag == _INT:
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if tag == _FLOAT:
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    return value  # timestamps and everything else stay text; we parse dates ourselves
