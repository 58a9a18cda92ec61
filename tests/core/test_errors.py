"""Tests for evaluation.core.errors: problems collected and raised once, and an AnalysisError whose reason is
one English message id translated when shown."""

from __future__ import annotations

import pickle

import pytest

from evaluation.core.errors import AnalysisError, InputError, Problem, ProblemCollector
from evaluation.core.fmt import Number
from evaluation.core.i18n import N_

NBSP = "\u00a0"


def test_problem_message_names_field_file_row_and_value() -> None:
    """A problem reads '<field>' in <file> row <n> must be <expectation> (got <value>)."""
    problem = Problem("data.csv", "value", "a number", "x", row=3)
    assert problem.message() == "'value' in data.csv row 3 must be a number (got 'x')"


def test_collector_raises_every_problem_at_once() -> None:
    """Collected problems are raised together, counted in the message."""
    problems = ProblemCollector()
    problems.add("a.csv", "x", "a number", "y", row=2)
    problems.add("a.csv", "z", "a date", "w", row=4)
    with pytest.raises(InputError, match=r"^2 problems in the input:") as info:
        problems.raise_if_any()
    assert len(info.value.problems) == 2


def test_analysis_error_translates_its_message_when_shown() -> None:
    """AnalysisError(message id, values): text(lang) translates it, numbers in the language; str() is English."""
    err = AnalysisError(N_("Indicator {id} has {n} values for the period ending {when}."), id="out1", n=Number(1200), when="2024-12-31")
    assert str(err) == "Indicator out1 has 1,200 values for the period ending 2024-12-31."
    assert err.text("en") == str(err)
    assert err.text("sv") == f"Indikatorn out1 har 1{NBSP}200 värden för perioden som slutar 2024-12-31."
    assert (err.message, dict(err.values)["id"]) == ("Indicator {id} has {n} values for the period ending {when}.", "out1")


def test_analysis_error_survives_pickling() -> None:
    """An AnalysisError sent between processes keeps its message id and values."""
    err = pickle.loads(pickle.dumps(AnalysisError(N_("The goal tree has a cycle: {ids}."), ids="a -> b -> a")))
    assert err.text("sv") == "Målträdet har en cirkulär koppling: a -> b -> a."
