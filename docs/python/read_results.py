#!/usr/bin/env python3
"""Read a tourney result directory with polars and with pandas.

    python3 docs/python/read_results.py reports/out/quick

Loads the raw table (one row per match x entrant) and the report tables, recomputes every
payoff-matrix mean from the raw rows with both libraries, and checks that they agree with
reports/payoff.parquet (exit code 1 if not). Needs: pip install polars pandas pyarrow
"""

import sys
from pathlib import Path

import pandas as pd
import polars as pl


def main(result_dir: Path) -> int:
    reports = result_dir / "reports"

    # --- polars ------------------------------------------------------------------------
    raw = pl.read_parquet(result_dir / "raw.parquet")
    payoff = pl.read_parquet(reports / "payoff.parquet")
    summary = pl.read_parquet(reports / "summary.parquet")
    network = pl.read_parquet(reports / "network.parquet")
    print(f"raw.parquet: {raw.height} rows, {raw.width} columns")
    print(f"{raw.filter(pl.col('status') != 'ok').height} rows not ok")

    # A payoff cell is the mean profit of `entrant` against `opponent` over ok round-robin rows.
    # (In self-play both rows of a match count; averaging them first gives the same mean.)
    cells = (
        raw.filter((pl.col("format") == "round-robin") & (pl.col("status") == "ok"))
        .group_by(["mechanism", "schedule", "entrant", "opponent"])
        .agg(pl.col("profit_tao").mean().alias("mean_from_raw"))
    )
    joined = payoff.join(cells, on=["mechanism", "schedule", "entrant", "opponent"], how="left")
    worst = (joined["mean_profit_tao"] - joined["mean_from_raw"]).abs().max()
    print(f"polars: {payoff.height} payoff cells, largest difference from raw {worst:.3g} TAO")

    # The best strategy of each game, by mean profit in the summary table.
    best = (
        summary.filter(pl.col("rank") == 1)
        .select(["mechanism", "schedule", "format", "entrant", "mean_profit_tao"])
        .sort(["mechanism", "schedule", "format"])
    )
    print(best)
    print(network.select(["mechanism", "schedule", "emission_no_value_share"]))

    # --- pandas (through pyarrow) -------------------------------------------------------------
    raw_pd = pd.read_parquet(result_dir / "raw.parquet")
    payoff_pd = pd.read_parquet(reports / "payoff.parquet")
    ok = raw_pd[(raw_pd["format"] == "round-robin") & (raw_pd["status"] == "ok")]
    means = (
        ok.groupby(["mechanism", "schedule", "entrant", "opponent"], as_index=False)["profit_tao"]
        .mean()
        .rename(columns={"profit_tao": "mean_from_raw"})
    )
    merged = payoff_pd.merge(means, on=["mechanism", "schedule", "entrant", "opponent"], how="left")
    worst_pd = (merged["mean_profit_tao"] - merged["mean_from_raw"]).abs().max()
    print(f"pandas: {len(payoff_pd)} payoff cells, largest difference from raw {worst_pd:.3g} TAO")
    matrix = payoff_pd.pivot_table(
        index=["mechanism", "schedule", "entrant"], columns="opponent", values="mean_profit_tao"
    )
    print(matrix.round(3))

    if raw.height != len(raw_pd) or not (worst < 1e-9 and worst_pd < 1e-9):
        print("MISMATCH between the raw table and reports/payoff.parquet", file=sys.stderr)
        return 1
    print("ok: the report tables agree with the raw table")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1])))
