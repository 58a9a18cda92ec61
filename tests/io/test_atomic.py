"""Tests for evaluation.io.atomic: single files all or none, and a report's files changing as one set."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evaluation.core.errors import InputError
from evaluation.io import atomic
from evaluation.io.atomic import FileSet, is_temporary, temporary_path, write_atomically

FAMILY = (".ipynb", ".html", ".pdf", ".json", ".docx")
OLD = {".ipynb": b"old nb", ".html": b"old html", ".pdf": b"old pdf", ".docx": b"old docx"}
NEW = {".ipynb": b"new nb", ".html": b"new html", ".json": b"new json"}

FS_CALLS = ("replace", "rename", "symlink", "link", "unlink", "rmdir", "mkdir", "fsync", "chmod", "open")


class Killed(BaseException):
    """What a simulated kill raises (a BaseException: no ``except Exception`` handler catches it)."""


class Killer:
    """Makes the ``n``-th file-system call (of :data:`FS_CALLS`) and every later one raise :class:`Killed`,
    as if the process had been killed there: nothing after that point reaches the disk."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, n: int):
        self.n = n
        self.calls = 0
        self.fired = False
        for name in FS_CALLS:
            monkeypatch.setattr(os, name, self._wrap(getattr(os, name)))

    def _wrap(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.fired or self.calls >= self.n:
                self.fired = True
                raise Killed
            return real(*args, **kwargs)

        return call


def fileset(root: Path) -> FileSet:
    return FileSet(root / "reports" / "p1" / "final", root / "reports" / ".sets" / "p1", FAMILY)


def seen(files: FileSet) -> dict[str, bytes]:
    """What a reader sees now: the bytes of every file of the family that can be read."""
    out = {}
    for suffix in FAMILY:
        with contextlib.suppress(OSError):
            out[suffix] = files.path(suffix).read_bytes()
    return out


def test_write_atomically_writes_all_files(tmp_path: Path) -> None:
    """write_atomically creates missing folders and writes every file with its bytes, leaving no temporary file."""
    files = {tmp_path / "a" / "x.csv": b"1", tmp_path / "a" / "b" / "y.csv": b"2"}
    write_atomically(files)
    assert {p: p.read_bytes() for p in files} == files
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_write_atomically_keeps_old_file_when_a_later_one_fails(tmp_path: Path) -> None:
    """A folder where the second file must go: InputError, the first file keeps its old bytes."""
    (tmp_path / "x.csv").write_bytes(b"old")
    (tmp_path / "y.csv").mkdir()
    with pytest.raises(InputError, match="a path that can be written"):
        write_atomically({tmp_path / "x.csv": b"new", tmp_path / "y.csv": b"new"})
    assert (tmp_path / "x.csv").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv", "y.csv"]


def test_temporary_names_carry_the_process_id(tmp_path: Path) -> None:
    """A temporary path names its target and this process; other names are not temporary."""
    temp = temporary_path(tmp_path, "final.html")
    assert is_temporary(temp.name, "final") == os.getpid()
    assert is_temporary(temporary_path(tmp_path, "final", ".tmp.ipynb").name, "final") == os.getpid()
    assert is_temporary(temp.name, "midterm") is None
    assert is_temporary("final.html", "final") is None


def test_publish_gives_readable_files_and_replaces_the_set(tmp_path: Path) -> None:
    """publish makes the set readable at <stem><suffix>; a second publish replaces it whole (formats
    not in it disappear) and leaves one version in the store."""
    files = fileset(tmp_path)
    written = files.publish(OLD, {"fingerprint.json": b"{}"})
    assert written == {s: files.path(s) for s in OLD}
    assert seen(files) == OLD and files.read_private("fingerprint.json") == b"{}"
    files.publish(NEW)
    assert seen(files) == NEW and files.read_private("fingerprint.json") is None
    assert sorted(p.name for p in files.folder.iterdir()) == ["final.html", "final.ipynb", "final.json"]
    versions = [p for p in files.store.iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(versions) == 1 and files.current() == versions[0]


def test_publish_adopts_plain_files_from_before(tmp_path: Path) -> None:
    """Plain files written before sets existed are taken over: the new set replaces them all, a
    stale format among them disappears."""
    files = fileset(tmp_path)
    files.folder.mkdir(parents=True)
    for suffix, data in OLD.items():
        files.path(suffix).write_bytes(data)
    files.publish(NEW)
    assert seen(files) == NEW
    assert all(files.path(s).is_symlink() for s in NEW)


def test_a_folder_where_a_file_must_go_leaves_the_old_set(tmp_path: Path) -> None:
    """A folder in the place of final.json: InputError naming it; the old set is still what readers see."""
    files = fileset(tmp_path)
    files.publish(OLD)
    files.path(".json").mkdir()
    with pytest.raises(InputError, match="final.json"):
        files.publish(NEW)
    assert seen(files) == OLD


def test_a_full_disk_leaves_the_old_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk filling up while the new set is written: InputError; the old set stays, the partial version is removed."""
    files = fileset(tmp_path)
    files.publish(OLD)
    real = atomic._write_file
    calls = []

    def full(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(atomic, "_write_file", full)
    with pytest.raises(InputError, match="No space left"):
        files.publish(NEW)
    assert seen(files) == OLD
    assert [p for p in files.store.iterdir() if p.is_dir() and not p.is_symlink()] == [files.current()]


@pytest.mark.parametrize("start", ["empty", "set", "plain"])
def test_a_kill_at_any_step_leaves_the_old_or_the_new_set(tmp_path: Path, start: str) -> None:
    """Killed at every file-system step of publish in turn (from no report, a set, or plain files from
    before): a reader sees exactly the old set or the new one, never a mix; the next publish cleans up."""
    step = 1
    while True:
        root = tmp_path / str(step)
        files = fileset(root)
        if start == "set":
            files.publish(OLD)
        elif start == "plain":
            files.folder.mkdir(parents=True)
            for suffix, data in OLD.items():
                files.path(suffix).write_bytes(data)
        before = seen(files)
        with pytest.MonkeyPatch.context() as mp:
            killer = Killer(mp, step)
            with contextlib.suppress(Killed):
                files.publish(NEW)
        after = seen(files)
        assert after in (before, NEW), (step, after)
        if not killer.fired:
            assert after == NEW
            break
        files.publish(OLD)  # the "killed" writer's leftovers carry this process's id: cleaned as its own
        assert seen(files) == OLD
        assert [p.name for p in files.folder.iterdir() if p.name.startswith(".")] == []
        assert sorted(p.name for p in files.store.iterdir() if not p.name.startswith(".final.lock")) == sorted(
            ["final.current", files.current().name])  # type: ignore[union-attr]
        step += 1
    assert step > 10  # every step of a real publish was tried


def test_clean_removes_leftovers_of_dead_writers_only(tmp_path: Path) -> None:
    """clean removes unreferenced versions and temporary files of dead processes (or its own: one run at a
    time); another live process's temporary file and other reports' files stay."""
    files = fileset(tmp_path)
    files.publish(OLD)
    stray = files.store / "final-0123456789ab"
    stray.mkdir()
    dead = files.folder / ".final.failed.ipynb.999999999.abc_12.tmp"
    dead.write_bytes(b"x")
    live = files.store / f".final.{os.getppid()}.abc123.tmp.ipynb"  # a run in progress in another process
    live.write_bytes(b"running")
    other = files.folder / ".midterm.html.999999999.abc.tmp"
    other.write_bytes(b"not ours")
    files.clean()
    assert not stray.exists() and not dead.exists() and live.exists() and other.exists()
    assert seen(files) == OLD


def test_a_cache_entry_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    """store_cache_entry writes the bytes under their name with no temporary file left; an unwritable place is no error."""
    from evaluation.io.atomic import store_cache_entry

    where = tmp_path / "cache" / "abc.png"
    store_cache_entry(where, b"\x89PNG data")
    assert where.read_bytes() == b"\x89PNG data" and [p.name for p in where.parent.iterdir()] == ["abc.png"]
    (tmp_path / "file").write_bytes(b"")
    store_cache_entry(tmp_path / "file" / "x.png", b"data")  # a file where the folder should be: nothing written, no error
    assert not (tmp_path / "file" / "x.png").exists()
