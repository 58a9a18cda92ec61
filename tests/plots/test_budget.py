"""The spending chart (mid-term budget section): one bar per category with a rate, the elapsed share as a line."""

from __future__ import annotations

from datetime import date

import pandas as pd
from matplotlib.figure import Figure

from evaluation.analysis.spending import COLUMNS, Spending
from evaluation.plots.budget import plot_spending


def test_bars_are_spending_rates_and_line_is_time_elapsed() -> None:
    """Bars at 40 % and 65 % and the total's 50 %; no bar for a category without a rate; a dashed line at 50 %."""
    rows = pd.DataFrame.from_records(
        [("Personal", 600, 240, 300, 0.4, -10), ("Resor", 400, 260, 200, 0.65, 15), ("Övrigt", 100, None, 50, None, None),
         (None, 1100, None, 550, None, None)], columns=list(COLUMNS)).astype(object)
    ax = plot_spending(Spending(date(2024, 12, 31), 0.5, rows), total_label="Totalt", language="sv")
    assert isinstance(ax.figure, Figure)
    assert sorted(round(p.get_width(), 6) for p in ax.patches) == [40.0, 65.0]
    [line] = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert list(line.get_xdata()) == [50.0, 50.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Personal", "Resor", "Övrigt", "Totalt"]
    assert any(t.get_text() == "uppgift saknas" for t in ax.texts)
