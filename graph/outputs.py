"""Where a command's output goes, and where its input comes from: files, or ``-``.

``-`` means standard output for an output path and standard input for an input path, as
in every Unix tool. A file is written beside its final name as ``NAME.part`` and renamed
into place when complete, so nobody reads half a file and a failed run leaves the old
file as it was. An output folder that does not exist is one clear error before any work
is done, not a traceback after it.

>>> is_stdio("-"), is_stdio(None), is_stdio("out.csv")
(True, True, False)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from .errors import AnnotationError, OutputError

__all__ = ["STDIO", "is_stdio", "check_output", "open_output", "output_path", "write_text", "stdin_as_file", "relabel"]

STDIO = "-"


def is_stdio(path: Path | str | None) -> bool:
    """True when ``path`` names standard input/output: ``-``, or no path at all."""
    return path is None or str(path) == STDIO


def check_output(path: Path | str | None) -> None:
    """Raise OutputError (one line) if ``path`` cannot be written: its folder is missing,
    it is a folder, or the folder is not writable. Standard output always can."""
    if is_stdio(path):
        return
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder")
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: folder {folder} does not exist (create it first)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: folder {folder} is not writable")


def _stdout() -> BinaryIO:
    sys.stdout.flush()  # text already written must come before the bytes
    return sys.stdout.buffer


@contextlib.contextmanager
def open_output(path: Path | str | None) -> Iterator[BinaryIO]:
    """A binary stream to write to: standard output for ``-``, else ``NAME.part``, renamed
    to ``NAME`` once the block ends without an error (and removed if it does not)."""
    if is_stdio(path):
        stream = _stdout()
        yield stream
        stream.flush()
        return
    with output_path(path) as part, open(part, "wb") as stream:
        yield stream


@contextlib.contextmanager
def output_path(path: Path | str | None, suffix: str = "") -> Iterator[Path]:
    """A file name to write to, for code that writes files by name: ``NAME.part``, renamed to
    ``NAME`` when the block ends well; for ``-``, a temporary file copied to standard output.
    ``suffix`` is the temporary file's, for writers that look at it."""
    if is_stdio(path):
        with tempfile.TemporaryDirectory(prefix="autokg-out-") as folder:
            part = Path(folder) / f"output{suffix}"
            yield part
            with open(part, "rb") as written:
                stream = _stdout()
                shutil.copyfileobj(written, stream)
                stream.flush()
        return
    check_output(path)
    path = Path(path)
    part = path.with_name(path.name + ".part")
    try:
        yield part
        try:
            os.replace(part, path)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except FileNotFoundError as exc:
        if exc.filename == str(part):  # the folder went away while we worked
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None
        raise
    finally:
        part.unlink(missing_ok=True)


def write_text(text: str, path: Path | str | None) -> None:
    """Write ``text`` (UTF-8) to ``path``, whole or not at all, or to standard output for ``-``."""
    with open_output(path) as stream:
        try:
            stream.write(text.encode("utf-8"))
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


@contextlib.contextmanager
def stdin_as_file(suffix: str, stream: BinaryIO | None = None, limit: int | None = None) -> Iterator[Path]:
    """Standard input saved to a temporary file named ``stdin{suffix}``, for readers that take
    a path. Problems found in it are reported against ``-``, not the temporary name.

    At most ``limit`` + 1 bytes are kept, so an endless input stops there and the reader's
    size check refuses it.
    """
    stream = stream if stream is not None else sys.stdin.buffer
    with tempfile.TemporaryDirectory(prefix="autokg-stdin-") as folder:
        path = Path(folder) / f"stdin{suffix}"
        with open(path, "wb") as saved:
            if limit is None:
                shutil.copyfileobj(stream, saved)
            else:
                left = limit + 1
                while left > 0:
                    chunk = stream.read(min(left, 1 << 20))
                    if not chunk:
                        break
                    saved.write(chunk)
                    left -= len(chunk)
        try:
            yield path
        except AnnotationError as exc:
            exc.problems = relabel(exc.problems, path)
            exc.args = ("\n".join(str(p) for p in exc.problems),)
            raise


def relabel(problems: list, saved: Path) -> list:
    """Problems with the temporary file's name replaced by ``-`` (standard input)."""
    name = str(saved)
    return [replace(p, path=STDIO + p.path[len(name):]) if p.path.startswith(name) else p for p in problems]

