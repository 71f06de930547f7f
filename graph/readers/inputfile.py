"""The one way autokg opens a file it reads as input: articles, their text files, brat
``.txt``/``.ann`` pairs, Label Studio exports, registries and mapping files.

Each rule closes a way an input file could hang, exhaust memory or leak the machine's
files into the store:

* **regular files only**: the file is opened with ``O_NONBLOCK`` (so opening a FIFO never
  waits for a writer) and checked with ``fstat`` on the open descriptor, so a FIFO, a
  device such as ``/dev/zero``, a socket or a folder is refused before a byte is read;
* **symbolic links stay inside a folder**: given ``within`` (the article's folder), the file
  must resolve to a place inside it, so ``doc.txt -> /etc/passwd`` is refused;
* **a size limit enforced while reading**: ``st_size`` is checked first (a large file is
  refused before reading it), and the read itself stops one byte past the limit, so a
  file that grows, or reports a wrong size, cannot take more than the limit either.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import AutokgError

__all__ = ["read_input", "read_text", "UnreadableInput", "MAX_FILE_BYTES"]

# No annotation file is this large (a long article is 100 kB); refusing before reading keeps
# a stray dump or a runaway export from taking minutes and gigabytes to fail.
MAX_FILE_BYTES = 32 * 1024 * 1024
_CHUNK = 1 << 20
_MISSING = os.strerror(errno.ENOENT)

_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


class UnreadableInput(AutokgError):
    """An input file autokg will not read; ``reason`` says why, in words for a Problem line.

    ``missing`` is True when the file does not exist, ``outside`` when it leads out of the
    folder it must stay in (callers word those cases themselves)."""

    def __init__(self, reason: str, missing: bool = False, outside: bool = False):
        super().__init__(reason)
        self.reason, self.missing, self.outside = reason, missing, outside


def _too_large(size: int, exact: bool) -> str:
    amount = f"{size / 2**20:.1f} MB" if exact else f"more than {MAX_FILE_BYTES / 2**20:.1f} MB"
    return (f"file is {amount}, more than the {MAX_FILE_BYTES // 2**20} MB an annotation file may hold: "
            "split it into smaller files")


def read_input(path: Path | str, within: Path | str | None = None, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; raise UnreadableInput.

    ``within``: a folder the file (after following symbolic links) must be inside.
    """
    path = Path(path)
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        raise UnreadableInput(_MISSING, missing=True) from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop (Python < 3.13)
        raise UnreadableInput(f"cannot read file: {getattr(exc, 'strerror', None) or 'symbolic link loop'}") from None
    if within is not None:
        folder = Path(within).resolve()
        if not target.is_relative_to(folder):
            raise UnreadableInput(f"file leads to {str(target)!r}, outside the article's folder {str(folder)!r}: "
                                  "an article reads only files in its own folder", outside=True)
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UnreadableInput(_MISSING, missing=True) from None
    except OSError as exc:
        raise UnreadableInput(f"cannot read file: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
            raise UnreadableInput(f"file is {kind}, not a regular file: autokg reads only regular files")
        if info.st_size > limit:
            raise UnreadableInput(_too_large(info.st_size, exact=True))
        chunks, size = [], 0
        while True:
            try:
                chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            except OSError as exc:
                raise UnreadableInput(f"cannot read file: {exc.strerror}") from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise UnreadableInput(_too_large(size, exact=False))
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path, out) -> str:
    """The text of an annotation tool's export ``path`` (UTF-8, a byte order mark allowed),
    read as ``read_input`` reads, from inside its own folder; a file that cannot be read or
    is not UTF-8 is one problem in ``out`` (a readers.annotations.Collector), raised at once."""
    try:
        raw = read_input(path, within=path.parent)
    except UnreadableInput as exc:
        out.add(None, f"cannot read file: {exc.reason}" if exc.missing else exc.reason)
        out.raise_if_any()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        out.add(raw[: exc.start].count(b"\n") + 1, f"file is not valid UTF-8 (byte {exc.start})")
        out.raise_if_any()
        raise   # raise_if_any has raised: the problem is in ``out``
