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

from evaluation.core import fmt
from evaluation.core.i18n import DEFAULT_LANGUAGE, Language, choices, is_language


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

    The reason is one English message id (marked with ``N_``) and its values, translated when
    shown: ``AnalysisError(N_("Only {n} firms have data."), n=3).text("sv")``. Numbers among the
    values are given as :class:`~evaluation.core.fmt.Number` (or ``Percent``, ``Money``) so that
    they are written in the reader's language; ``str(err)`` is the English text.
    """

    def __init__(self, message: str = "", /, **values: object):
        self.message = message
        self.values: tuple[tuple[str, object], ...] = tuple(values.items())
        super().__init__(self.text("en"))

    def text(self, lang: Language = DEFAULT_LANGUAGE) -> str:
        """The reason in ``lang``."""
        return fmt.fill(lang, self.message, self.values)


class ReportError(EvaluationError):
    """A report whose notebook failed to execute or render."""

    exit_code = 1


class DeliveredReportError(EvaluationError):
    """Raised when a run would overwrite a report delivered to its funder (``evaluation deliver``) without
    ``--supersede``, or when a delivered report is delivered again without it."""

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


def check_language(lang: object, where: str, field: str = "lang") -> None:
    """Raise :class:`InputError` naming ``where`` and ``field`` unless ``lang`` has a catalogue."""
    if not is_language(lang):
        raise InputError([Problem(where, field, choices(), lang)])
