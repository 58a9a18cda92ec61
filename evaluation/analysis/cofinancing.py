"""Co-financing keys: each party's part of a total computed from the key, against what it decided.

A key (:class:`~evaluation.core.region.CofinancingKey`) divides its total by population, by
stated shares or as fixed amounts. :func:`key_table` gives one row per party: its input, its
share, the amount the key gives it (whole kronor), the amount it decided and the difference
(decided minus computed; NaN when the party has not decided or not reported an amount).

**Rounding rule** (largest remainder, Hamilton's method): each party first gets its exact part
rounded down to whole kronor; the kronor left over (fewer than the number of parties) go one
each to the parties with the largest remainders, ties to the party listed first. The parts are
whole kronor and sum exactly to the total (a total with öre is rounded to whole kronor first).
For ``fixed`` keys each party's part is its input rounded to whole kronor (half away from
zero), and the sum of the parts is compared with the total instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from evaluation.core.region import CofinancingKey

KEY_COLUMNS = [
    "key", "party", "kind", "input", "input_source", "input_date", "data_status",
    "share", "computed", "decided", "difference",
]


def whole_kronor(amount: float) -> int:
    """``amount`` rounded to whole kronor, halves away from zero (0,5 kr -> 1 kr)."""
    return int(Decimal(repr(float(amount))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def allocate(total: float, weights: list[float]) -> list[int]:
    """``total`` (rounded to whole kronor) divided in proportion to ``weights`` by the largest remainder.

    >>> allocate(100, [1, 1, 1])
    [34, 33, 33]
    """
    kronor = whole_kronor(total)
    if not weights:
        return []
    if any(w < 0 or math.isnan(w) for w in weights):
        raise ValueError("weights must be numbers >= 0")
    weight_sum = math.fsum(weights)
    if weight_sum == 0:
        raise ValueError("at least one weight must be > 0")
    # exact arithmetic on integers where the weights are whole (populations): no float remainder ties
    scale = 1 if all(float(w).is_integer() for w in weights) else 10**9
    ints = [round(w * scale) for w in weights]
    denom = sum(ints)
    floors = [kronor * w // denom for w in ints]
    remainders = [kronor * w % denom for w in ints]
    left = kronor - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def key_table(key: CofinancingKey) -> pd.DataFrame:
    """One row per party of ``key`` (columns :data:`KEY_COLUMNS`).

    ``share`` is the party's fraction of the total (its input over the sum of inputs; for a
    ``fixed`` key its amount over the total), ``computed`` its part in whole kronor (see the
    module's rounding rule), ``decided`` the amount it decided (NaN = not decided or not
    reported) and ``difference`` decided minus computed.
    """
    inputs = [p.input for p in key.parties]
    if key.basis == "fixed":
        computed: list[float] = [float("nan") if x is None else float(whole_kronor(x)) for x in inputs]
        shares = [c / key.total if key.total else float("nan") for c in computed]
    elif any(x is None for x in inputs) or not math.fsum(x or 0.0 for x in inputs):
        computed = [float("nan")] * len(inputs)  # a missing input: no part can be computed
        shares = [float("nan")] * len(inputs)
    else:
        weights = [float(x) for x in inputs if x is not None]
        computed = [float(c) for c in allocate(key.total, weights)]
        shares = [w / math.fsum(weights) for w in weights]
    rows = []
    for party, share, part in zip(key.parties, shares, computed, strict=True):
        decided = float("nan") if party.decided is None else float(party.decided)
        rows.append({
            "key": key.id, "party": party.name, "kind": party.kind,
            "input": float("nan") if party.input is None else float(party.input),
            "input_source": party.input_source, "input_date": party.input_date, "data_status": party.data_status,
            "share": share, "computed": part, "decided": decided, "difference": decided - part,
        })
    return pd.DataFrame(rows, columns=KEY_COLUMNS)


@dataclass(frozen=True)
class KeyCheck:
    """A key's totals: what it divides, what the parts add up to, what has been decided.

    ``computed_total`` is the sum of the computed parts (equal to ``total`` for population and
    share keys by the rounding rule; for a fixed key, the sum of the amounts); ``decided_total``
    sums the decided amounts and ``undecided`` counts the parties without one. ``split_of`` is
    the decided amount of the party the key splits (``CofinancingKey.splits``), if any, to be
    compared with ``total``.
    """

    key: str
    basis: str
    total: float
    computed_total: float
    decided_total: float
    undecided: int
    parties: int
    split_of: float | None = None
    illustrative_inputs: int = 0

    @property
    def computed_gap(self) -> float:
        """The computed parts minus the total (0 unless a fixed key's amounts do not add up)."""
        return self.computed_total - self.total

    @property
    def split_gap(self) -> float | None:
        """The key's total minus the decided amount of the party it splits (None without one)."""
        return None if self.split_of is None else self.total - self.split_of


def check_key(key: CofinancingKey, others: tuple[CofinancingKey, ...] = ()) -> KeyCheck:
    """The totals of ``key`` (see :class:`KeyCheck`); ``others`` are the project's other keys."""
    table = key_table(key)
    split_of = None
    if key.splits is not None:
        for other in others:
            if other.id == key.id:
                continue
            for party in other.parties:
                if party.name == key.splits and party.decided is not None:
                    split_of = float(party.decided)
    return KeyCheck(
        key=key.id,
        basis=key.basis,
        total=float(key.total),
        computed_total=float(table["computed"].sum(min_count=1)) if table["computed"].notna().all() else float("nan"),
        decided_total=float(table["decided"].sum()),
        undecided=int(table["decided"].isna().sum()),
        parties=len(key.parties),
        split_of=split_of,
        illustrative_inputs=int((table["data_status"] == "illustrative").sum()),
    )


def project_keys(keys: tuple[CofinancingKey, ...]) -> pd.DataFrame:
    """Every party of every key of a project, one row each (columns :data:`KEY_COLUMNS`)."""
    frames = [key_table(k) for k in keys]
    if not frames:
        return pd.DataFrame(columns=KEY_COLUMNS)
    return pd.concat(frames, ignore_index=True)
