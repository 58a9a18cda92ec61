"""One exception hierarchy for the whole toolkit.

Every error a user can cause derives from :class:`EvaluationError`. Input problems are
collected as :class:`Problem` records and raised once, together, as an
:class:`InputError`, so that a user fixing a data file sees every problem in one go.

Messages follow one shape::

    '<field>' in <file> row <n> must be <expectation> (got <value>)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class EvaluationError(Exception):
    """Root of every error raised on purpose by the toolkit."""

    exit_code: int = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where it is, what was expected, what was found."""

    file: str
    field: str
    expectation: str
    got: object = None
    row: int | None = None

    def message(self) -> str:
        where = f"{self.file} row {self.row}" if self.row is not None else self.file
        return f"'{self.field}' in {where} must be {self.expectation} (got {self.got!r})"

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.message()


class InputError(EvaluationError):
    """Bad input: one or more :class:`Problem` found while reading data or parameters."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__(self._text())

    def _text(self) -> str:
        if len(self.problems) == 1:
            return self.problems[0].message()
        lines = [f"{len(self.problems)} problems in the input:"]
        lines += [f"  - {p.message()}" for p in self.problems]
        return "\n".join(lines)


class ProjectNotFoundError(InputError):
    """A project id or folder that does not exist."""


class ParameterError(InputError):
    """A report parameter file with unknown, missing or mistyped parameters."""


class AnalysisError(EvaluationError):
    """An analysis that cannot be carried out on the data given (too few firms, no variation, ...).

    Reports are written in Swedish or English, so the reason may be given in both languages
    (``sv``, ``en``); :meth:`text` picks one and falls back to the message.
    """

    def __init__(self, message: str = "", *, sv: str | None = None, en: str | None = None):
        self.sv = sv
        self.en = en
        super().__init__(message or en or sv or "")

    def text(self, lang: str = "sv") -> str:
        chosen = self.sv if lang == "sv" else self.en
        return chosen or str(self)


class ReportError(EvaluationError):
    """A report whose notebook failed to execute or render."""

    exit_code = 1


class ProblemCollector:
    """Collects problems while validating; raise them all at once with :meth:`raise_if_any`."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, field: str, expectation: str, got: object = None, row: int | None = None) -> None:
        self.problems.append(Problem(file=str(file), field=field, expectation=expectation, got=got, row=row))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self, error: type[InputError] = InputError) -> None:
        if self.problems:
            raise error(self.problems)
