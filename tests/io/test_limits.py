"""Tests for evaluation.io.limits: reading a file's bytes once, within a limit."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from evaluation.core.errors import ProblemCollector
from evaluation.io.limits import read_bytes, too_large


def _read_in_one_go(path: Path, limit: int) -> tuple[bytes | None, list[tuple[Any, ...]]]:
    """What read_bytes gave when it asked for limit + 1 bytes at once (the behaviour to keep)."""
    problems = ProblemCollector()
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
        size = os.fstat(handle.fileno()).st_size
    if len(data) > limit:
        problems.add("f", "file", f"at most {limit:,} bytes".replace(",", " "), too_large(max(size, len(data))))
        return None, [(p.expectation, p.got) for p in problems.problems]
    return data, []


@pytest.mark.parametrize("claimed", ["true", "zero", "less", "more"])
def test_read_bytes_reads_what_one_read_of_limit_plus_one_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               claimed: str) -> None:
    """read_bytes gives the same bytes or the same problem as reading limit + 1 bytes at once, for files just under, at
    and over the limit, also when the file's size as the system reports it is wrong (a growing file, a special file)."""
    limit = 10
    real_fstat = os.fstat

    def fstat(fd: int) -> Any:
        st = real_fstat(fd)
        size = {"true": st.st_size, "zero": 0, "less": max(st.st_size - 3, 0), "more": st.st_size + 1000}[claimed]
        return os.stat_result((*st[:6], size, *st[7:]))

    for n in (0, 1, 5, 9, 10, 11, 12, 30):
        path = tmp_path / f"f{n}"
        path.write_bytes(bytes(range(65, 65 + n)))
        expected = _read_in_one_go(path, limit)  # with the true size (the message's size is the one reported after reading)
        monkeypatch.setattr(os, "fstat", fstat)
        problems = ProblemCollector()
        got = read_bytes(path, "f", limit, problems)
        monkeypatch.setattr(os, "fstat", real_fstat)
        if claimed == "true":
            assert (got, [(p.expectation, p.got) for p in problems.problems]) == expected, n
        else:  # the bytes and the verdict are the same; the size in the message is the size reported
            assert got == expected[0] and bool(problems.problems) == bool(expected[1]), n
