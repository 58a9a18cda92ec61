"""Writing files all or none: every report, table and scaffold goes through :func:`write_atomically`."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from evaluation.core import paths
from evaluation.core.errors import InputError, Problem


def write_atomically(files: Mapping[Path, bytes]) -> None:
    """Write every file or none.

    Each file goes to a temporary file in its own folder first (flushed to disk); only when all
    are written are they moved into place (``os.replace``, atomic on one file system), so a
    reader sees either the old file or the new one, never a half-written one. On an error the
    temporary files, and any folder created here, are removed; an ``OSError`` (disk full, no
    permission) is raised as an :class:`InputError` naming the path.
    """
    temps: list[tuple[Path, Path]] = []
    created: list[Path] = []
    current: Path | None = None
    try:
        for path, data in files.items():
            current = path
            missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                created.append(folder)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temp = Path(name)
            temps.append((temp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if path.exists():
                shutil.copymode(path, temp)
            else:
                os.chmod(temp, 0o644)
        for temp, path in temps:
            current = path
            os.replace(temp, path)
    except BaseException as exc:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        for folder in reversed(created):
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):
            shown = paths.display_path(current) if current is not None else "?"
            raise InputError([Problem(shown, "file", "a path that can be written", f"{type(exc).__name__}: {exc}")]) from None
        raise
