"""What the report's survey section rests on: the answers counted, the comparisons made, the bounds drawn.

The statistics themselves (response rate, distribution, agreement, median and quartiles, tests)
are in :mod:`evaluation.analysis.surveys`; what may be shown of them is decided in
:mod:`evaluation.analysis.disclosure`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evaluation.analysis import surveys


def answered(responses: pd.DataFrame) -> pd.DataFrame:
    """The responses that answer their item (an item left blank is no answer to it)."""
    return responses[responses["answer"].notna()]


def comparisons(responses: pd.DataFrame, threshold: int) -> list[tuple[str, str, Any]]:
    """(item, ``"groups"`` or ``"waves"``, comparison) for every item, between groups and between waves where there are two or more."""
    out: list[tuple[str, str, Any]] = []
    groups = responses["group"].dropna() if "group" in responses else pd.Series(dtype=str)
    items = sorted(str(i) for i in responses["item"].unique())
    if groups.nunique() >= 2:
        out += [(item, "groups", surveys.compare_groups(responses, item, by="group", threshold=threshold)) for item in items]
    if responses["wave"].nunique() >= 2:
        out += [(item, "waves", surveys.compare_waves(responses, item, threshold=threshold)) for item in items]
    return out


def drawable(agree: pd.DataFrame) -> pd.DataFrame:
    """Agreement with its Wilson bounds widened to include the share.

    The bounds of 0 % or 100 % can miss the share by a rounding error; a chart needs
    low <= share <= high.
    """
    return agree.assign(ci_low=np.fmin(agree["ci_low"], agree["share"]), ci_high=np.fmax(agree["ci_high"], agree["share"]))
