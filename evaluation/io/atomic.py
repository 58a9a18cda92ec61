"""Writing files all or none.

:func:`write_atomically` writes single files or a few unrelated ones (tables, a scaffold, a
failed notebook): each is written to a temporary sibling and moved into place. :class:`FileSet`
keeps the files of one report (``reports/<project>/<kind>.ipynb``, ``.html``, ``.pdf``, ``.json``,
``.docx``) changing as one: every version of the set is written complete into a fresh folder of
its own in a hidden store, and ONE pointer (a symbolic link, replaced with ``os.replace``) says
which version is current. The report's files are stable relative links through that pointer,
so at every instant a reader sees the whole old set or the whole new one, never a mix, however
the writing ends (an error, a full disk, a kill). Leftovers of an interrupted write are removed
the next time the set is written or cleaned.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from evaluation.core import paths
from evaluation.core.errors import InputError, Problem

try:  # POSIX: one writer per report set at a time
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["FileSet", "write_atomically", "is_temporary", "temporary_path", "store_cache_entry"]

_TEMP_RE = re.compile(r"^\.(?P<target>.+)\.(?P<pid>\d+)\.(?P<tag>[A-Za-z0-9_]+)\.tmp(?:\.ipynb)?$")
"""A temporary file of this module: ``.<target>.<pid>.<random>.tmp`` (``.tmp.ipynb`` for notebooks)."""


def temporary_path(folder: Path, target: str, suffix: str = ".tmp") -> Path:
    """A fresh hidden temporary path in ``folder`` for ``target``, carrying this process's id so
    that a later run can tell a leftover of a dead process (``suffix``: ``.tmp`` or ``.tmp.ipynb``)."""
    return folder / f".{target}.{os.getpid()}.{uuid.uuid4().hex[:12]}{suffix}"


def is_temporary(name: str, target: str) -> int | None:
    """The process id in ``name`` when it is a temporary file of ``target`` (or of ``target.<...>``), else None."""
    match = _TEMP_RE.match(name)
    if match is None:
        return None
    found = match.group("target")
    if found != target and not found.startswith(target + "."):
        return None
    return int(match.group("pid"))


def _alive(pid: int) -> bool:
    """True when process ``pid`` exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system can sync a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, 0o644)


def store_cache_entry(where: Path, content: bytes) -> None:
    """Write one entry of a cache (figures, font subsets) whole or not at all: a temporary file in the same
    folder renamed over ``where``, so a reader in another process never sees half of it. A cache that
    cannot be written only costs time: any OSError is swallowed."""
    with contextlib.suppress(OSError):
        where.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where.parent, prefix=".tmp-", suffix=where.suffix)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(content)
            os.replace(tmp, where)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _write_problem(path: Path | None, exc: OSError) -> InputError:
    shown = paths.display_path(path) if path is not None else "?"
    return InputError([Problem(shown, "file", "a path that can be written", f"{type(exc).__name__}: {exc}")])


def write_atomically(files: Mapping[Path, bytes]) -> None:
    """Write every file or none.

    Each file goes to a temporary file in its own folder first (flushed to disk); only when all
    are written are they moved into place (``os.replace``, atomic on one file system), so a
    reader sees either the old file or the new one, never a half-written one. On an error the
    files already moved get their old content back, the temporary files, and any folder created
    here, are removed; an ``OSError`` (disk full, no
    permission) is raised as an :class:`InputError` naming the path. For the files of a report,
    which must change together even when the process is killed, use :class:`FileSet`.
    """
    temps: list[tuple[Path, Path]] = []
    backups: list[tuple[Path, Path]] = []
    replaced: list[Path] = []
    created: list[Path] = []
    current: Path | None = None
    try:
        for path, data in files.items():
            current = path
            missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                created.append(folder)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
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
        for _temp, path in temps:  # keep each old file under a second name, to put back on an error
            current = path
            if path.is_file():
                backup = temporary_path(path.parent, path.name)
                os.link(path, backup)
                backups.append((backup, path))
        for temp, path in temps:
            current = path
            os.replace(temp, path)
            replaced.append(path)
    except BaseException as exc:
        kept = dict((path, backup) for backup, path in backups)
        for path in reversed(replaced):  # put the old files back (a new one without an old one goes)
            with contextlib.suppress(OSError):
                if path in kept:
                    os.replace(kept.pop(path), path)
                else:
                    path.unlink()
        for temp in [t for t, _ in temps] + list(kept.values()):
            temp.unlink(missing_ok=True)
        for folder in reversed(created):
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _write_problem(current, exc) from None
        raise
    for backup, _ in backups:
        backup.unlink(missing_ok=True)


class FileSet:
    """The files ``<folder>/<name><suffix>`` of one report, for each suffix of ``family``, changing as one.

    ``stem`` is ``<folder>/<name>`` (e.g. ``reports/nis60/final``); ``store`` is a hidden folder
    holding the versions of the set (``<store>/<name>-<id>/``), the pointer
    ``<store>/<name>.current`` (a relative symbolic link to the current version) and a lock
    file. ``<folder>/<name><suffix>`` is a relative symbolic link to
    ``<store>/<name>.current/<name><suffix>``: readable as a plain file, and switched to the new
    version together with every other file of the set. A version may also hold private files
    (e.g. the fingerprint of the inputs it was made from) that get no link.
    """

    def __init__(self, stem: Path, store: Path, family: Sequence[str]):
        self.stem = Path(stem)
        self.folder = self.stem.parent
        self.name = self.stem.name
        self.store = Path(store)
        self.family = tuple(family)
        self._version_re = re.compile(re.escape(self.name) + r"-[0-9a-f]{12}")

    # --- reading ----------------------------------------------------------------------------

    @property
    def pointer(self) -> Path:
        """The link that names the current version."""
        return self.store / f"{self.name}.current"

    def path(self, suffix: str) -> Path:
        """Where a reader finds the file ``suffix`` of the set: ``<folder>/<name><suffix>``."""
        return self.folder / f"{self.name}{suffix}"

    def current(self) -> Path | None:
        """The folder of the version readers see now; None when there is none yet."""
        try:
            target = os.readlink(self.pointer)
        except OSError:
            return None
        folder = self.store / target
        return folder if folder.is_dir() else None

    def read_private(self, name: str) -> bytes | None:
        """The private file ``name`` of the current version; None when there is none."""
        folder = self.current()
        if folder is None:
            return None
        try:
            return (folder / name).read_bytes()
        except OSError:
            return None

    # --- writing ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer per set at a time (another process waits); a no-op without ``fcntl``."""
        self.store.mkdir(parents=True, exist_ok=True)
        if fcntl is None:  # pragma: no cover
            yield
            return
        fd = os.open(self.store / f".{self.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    def publish(self, files: Mapping[str, bytes], private: Mapping[str, bytes] | None = None) -> dict[str, Path]:
        """Make ``files`` (``{suffix: bytes}``, each suffix one of the family) the current set, as one.

        Files of the family not in ``files`` are no longer part of the report afterwards. Returns
        ``{suffix: path}`` of the readable files. Raises :class:`InputError` naming the path when
        something cannot be written (a full disk, a folder where a file must go); the previous
        set is then still the current one, complete.
        """
        unknown = [s for s in files if s not in self.family]
        if unknown:
            raise ValueError(f"not of this report's files: {unknown}")
        where: Path | None = self.store
        with self._locked():
            new: Path | None = None
            try:
                self._clean()
                where = self.folder
                self._adopt_plain_files()
                where = self.store
                new = self._write_version(files, private or {})
                for suffix in files:
                    where = self.path(suffix)
                    self._link(suffix)
                where = self.pointer
                self._point_to(new)
                for suffix in self.family:
                    if suffix not in files:
                        where = self.path(suffix)
                        self._unlink_if_link(self.path(suffix))
                self._clean()
            except OSError as exc:
                if new is not None and new != self.current():
                    shutil.rmtree(new, ignore_errors=True)
                raise _write_problem(where, exc) from None
        return {suffix: self.path(suffix) for suffix in files}

    def clean(self) -> None:
        """Remove what an interrupted write left (versions no pointer names, temporary files of dead processes)."""
        if not self.store.is_dir() and not self.folder.is_dir():
            return
        with self._locked():
            self._clean()

    def _clean(self) -> None:
        current = self.current()
        for folder in (self.store, self.folder):
            try:
                entries = list(folder.iterdir())
            except OSError:
                continue
            for entry in entries:
                if folder == self.store and self._version_re.fullmatch(entry.name) and not entry.is_symlink():
                    if current is None or entry.name != current.name:
                        shutil.rmtree(entry, ignore_errors=True)
                    continue
                pid = is_temporary(entry.name, self.name)
                # This process writes one run of a report at a time, and holds the lock: its own are leftovers too.
                if pid is not None and (pid == os.getpid() or not _alive(pid)) and not entry.is_dir():
                    entry.unlink(missing_ok=True)

    def _write_version(self, files: Mapping[str, bytes], private: Mapping[str, bytes]) -> Path:
        """Write a complete new version into a fresh folder of the store (not yet current)."""
        folder = self.store / f"{self.name}-{uuid.uuid4().hex[:12]}"
        folder.mkdir()
        try:
            for suffix, data in files.items():
                _write_file(folder / f"{self.name}{suffix}", data)
            for name, data in private.items():
                _write_file(folder / name, data)
            _fsync_dir(folder)
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return folder

    def _link_target(self, suffix: str) -> str:
        return os.path.relpath(self.pointer / f"{self.name}{suffix}", self.folder)

    def _link(self, suffix: str) -> None:
        """Make ``<folder>/<name><suffix>`` the link through the pointer (atomically replacing what is there)."""
        link = self.path(suffix)
        target = self._link_target(suffix)
        if link.is_symlink() and os.readlink(link) == target:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        temp = temporary_path(self.folder, link.name)
        os.symlink(target, temp)
        try:
            os.replace(temp, link)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def _point_to(self, version: Path) -> None:
        """The one switch: the pointer names ``version`` from now on."""
        temp = temporary_path(self.store, self.pointer.name)
        os.symlink(version.name, temp)
        try:
            os.replace(temp, self.pointer)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        _fsync_dir(self.store)

    @staticmethod
    def _unlink_if_link(path: Path) -> None:
        if path.is_symlink():
            path.unlink(missing_ok=True)

    def _adopt_plain_files(self) -> None:
        """Turn plain files of the family (written before sets existed, or put there by hand) into a
        version of their own, so the set stays one: the version holds what a reader sees now
        (each plain file, else the current version's file), the pointer is moved to it, then each
        plain file is replaced by its link (to the same bytes)."""
        plain = [s for s in self.family if self.path(s).is_file() and not self.path(s).is_symlink()]
        if not plain:
            return
        current = self.current()
        folder = self.store / f"{self.name}-{uuid.uuid4().hex[:12]}"
        folder.mkdir()
        for suffix in self.family:
            name = f"{self.name}{suffix}"
            source = self.path(suffix) if suffix in plain else (current / name if current is not None else None)
            if source is None or not source.is_file():
                continue
            try:
                os.link(source, folder / name)
            except OSError:
                shutil.copy2(source, folder / name)
        _fsync_dir(folder)
        self._point_to(folder)
        for suffix in plain:
            self._link(suffix)
