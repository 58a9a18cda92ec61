"""Benchmark: two-way fixed-effects DiD with firm-clustered SEs, ours (a pyfixest call since 2026-12) against plain pyfixest.

Builds a balanced synthetic firm-year panel (evaluation.analysis.firms.simulation.synthetic_panel, common
timing) and fits

* ours:     evaluation.analysis.firms.estimation.did_twfe(panel, "employees")  (treatment built inside)
* pyfixest: feols("employees ~ treat | firm_id + year", vcov={"CRV1": "firm_id"})

each in its own subprocess (``--repeat`` times, alternating; median times), so that the peak resident memory (resource.getrusage
ru_maxrss) belongs to one estimator. Each child builds the same panel from the seed, runs
one small warm-up fit (imports, numba compilation) and then times the full fit. Prints
wall times, their ratio, coefficients and standard errors side by side, and peak memory:
the whole child's ru_maxrss, and (Linux) the peak during the fit alone, measured by
resetting the kernel's peak mark (/proc/self/clear_refs) just before the fit.

    PYTHONPATH=. python benchmarks/bench_did.py --firms 1000000 --years 10 --seed 0
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _rss_gb() -> float:
    """Peak resident set size of this process so far, in GB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9


def _current_rss_gb() -> float:
    """Current resident set size in GB (Linux /proc; NaN elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024 / 1e9
    except OSError:
        pass
    return float("nan")


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark so ru_maxrss then covers the fit only (Linux)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _worker(which: str, firms: int, years: int, seed: int) -> dict[str, object]:
    sys.path.insert(0, str(REPO))
    from evaluation.analysis.firms.estimation import did_twfe
    from evaluation.analysis.firms.simulation import synthetic_panel

    panel = synthetic_panel(firms, years, effect=2.0, staggered=False, seed=seed)
    panel = panel.drop(columns=["true_effect", "turnover"])
    small = synthetic_panel(200, years, effect=2.0, staggered=False, seed=seed + 1)
    if which == "ours":
        did_twfe(small, "employees")  # warm-up
        peak_build = _rss_gb()
        gc.collect()
        rss_data = _current_rss_gb()
        reset = _reset_peak()
        t0 = time.perf_counter()
        est = did_twfe(panel, "employees")
        seconds = time.perf_counter() - t0
        coef, se, n_obs = est.coefficient, est.std_error, est.n_obs
    else:
        import numpy as np
        import pyfixest as pf

        def with_treat(df):  # noqa: ANN001, ANN202
            start = df["participation_start"].to_numpy(dtype=float, na_value=np.inf)
            return df.assign(treat=(df["participant"].to_numpy() & (df["year"].to_numpy() >= start)).astype(float))

        small = with_treat(small)
        pf.feols("employees ~ treat | firm_id + year", data=small, vcov={"CRV1": "firm_id"}).tidy()  # warm-up
        panel = with_treat(panel)
        peak_build = _rss_gb()
        gc.collect()
        rss_data = _current_rss_gb()
        reset = _reset_peak()
        t0 = time.perf_counter()
        fit = pf.feols("employees ~ treat | firm_id + year", data=panel, vcov={"CRV1": "firm_id"})
        tidy = fit.tidy()
        seconds = time.perf_counter() - t0
        coef = float(tidy.loc["treat", "Estimate"])
        se = float(tidy.loc["treat", "Std. Error"])
        n_obs = int(fit._N)
    return {
        "estimator": which,
        "seconds": seconds,
        "coefficient": coef,
        "std_error": se,
        "n_obs": n_obs,
        "peak_fit_gb": _rss_gb() if reset else float("nan"),
        "peak_process_gb": max(_rss_gb(), peak_build),
        "rss_before_fit_gb": rss_data,
    }


def _run_child(which: str, args: argparse.Namespace) -> dict[str, object]:
    cmd = [
        sys.executable, str(Path(__file__).resolve()), "--worker", which,
        "--firms", str(args.firms), "--years", str(args.years), "--seed", str(args.seed),
    ]
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--firms", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per estimator (median reported)")
    parser.add_argument("--worker", choices=["ours", "pyfixest"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(args.worker, args.firms, args.years, args.seed)))
        return 0

    runs: dict[str, list[dict[str, object]]] = {"ours": [], "pyfixest": []}
    for _ in range(args.repeat):  # alternate, so that load from elsewhere hits both alike
        runs["ours"].append(_run_child("ours", args))
        runs["pyfixest"].append(_run_child("pyfixest", args))
    ours, theirs = runs["ours"][0], runs["pyfixest"][0]
    times = {k: sorted(float(r["seconds"]) for r in v) for k, v in runs.items()}  # type: ignore[arg-type]
    median = {k: statistics.median(v) for k, v in times.items()}
    ratio = median["ours"] / median["pyfixest"]
    rows = args.firms * args.years
    print(f"Balanced panel: {args.firms:,} firms x {args.years} years = {rows:,} rows (seed {args.seed})")
    print(f"{'':24}{'evaluation.analysis.firms':>20}{'pyfixest':>20}")
    print(f"{'fit time, median (s)':24}{median['ours']:>20.3f}{median['pyfixest']:>20.3f}")
    print(f"{'fit time, min (s)':24}{times['ours'][0]:>20.3f}{times['pyfixest'][0]:>20.3f}")
    print(f"{'runs (s)':24}{' '.join(f'{t:.2f}' for t in times['ours']):>20}"
          f"{' '.join(f'{t:.2f}' for t in times['pyfixest']):>20}")
    print(f"{'coefficient':24}{ours['coefficient']:>20.10f}{theirs['coefficient']:>20.10f}")
    print(f"{'std. error (CRV1)':24}{ours['std_error']:>20.10f}{theirs['std_error']:>20.10f}")
    print(f"{'n obs':24}{ours['n_obs']:>20,}{theirs['n_obs']:>20,}")
    print(f"{'RSS before fit (GB)':24}{ours['rss_before_fit_gb']:>20.2f}{theirs['rss_before_fit_gb']:>20.2f}")
    peak = {k: max(float(r["peak_fit_gb"]) for r in v) for k, v in runs.items()}  # type: ignore[arg-type]
    print(f"{'peak RSS in fit (GB)':24}{peak['ours']:>20.2f}{peak['pyfixest']:>20.2f}")
    whole = {k: max(float(r["peak_process_gb"]) for r in v) for k, v in runs.items()}  # type: ignore[arg-type]
    print(f"{'peak RSS, process (GB)':24}{whole['ours']:>20.2f}{whole['pyfixest']:>20.2f}")
    print("(peak in fit: ru_maxrss after resetting the peak mark just before the fit, data included;")
    print(" peak process: ru_maxrss over the whole child, including building the panel)")
    print(f"time ratio ours / pyfixest (medians): {ratio:.2f}  (target <= 1.5)")
    coef_diff = abs(float(ours["coefficient"]) - float(theirs["coefficient"]))  # type: ignore[arg-type]
    se_rel = abs(float(ours["std_error"]) / float(theirs["std_error"]) - 1)  # type: ignore[arg-type]
    print(f"|coef difference| = {coef_diff:.2e}, relative SE difference = {se_rel:.2e}")
    agree = coef_diff < 1e-6 and se_rel < 1e-4
    print("estimates agree" if agree else "ESTIMATES DISAGREE")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
