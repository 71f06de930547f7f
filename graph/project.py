"""A starter project folder, so that someone who installed autokg with pip can begin at once.

``write_starter(folder)`` writes an entity registry, a mapping template and one annotated
article (the reference story, with its text) from the files in ``graph/starter/``, which
ship in the wheel. It never overwrites a file that is already there.
"""

from __future__ import annotations

from pathlib import Path

from .errors import OutputError

__all__ = ["starter_files", "write_starter"]


def _starter_dir() -> Path:
    return Path(__file__).resolve().parent / "starter"


def starter_files() -> list[Path]:
    """The starter's files, relative to the folder they are written into."""
    root = _starter_dir()
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def write_starter(folder: Path | str) -> list[Path]:
    """Write the starter files into ``folder`` (created if missing); return the paths written.

    Raises OutputError, writing nothing, if any of the files is already there.
    """
    folder = Path(folder)
    root = _starter_dir()
    files = starter_files()
    present = [folder / f for f in files if (folder / f).exists()]
    if present:
        raise OutputError(f"{folder} already holds {', '.join(str(p) for p in present)}: "
                          "autokg init writes only new files (choose another folder, or move them)")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot write into {folder}: it is not a folder")
    written = []
    try:
        for relative in files:
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((root / relative).read_bytes())
            written.append(target)
    except OSError as exc:
        raise OutputError(f"cannot write into {folder}: {exc.strerror or exc}") from None
    return written
