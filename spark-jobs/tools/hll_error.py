"""Error of post --approx (HLL sketches) against exact WAU/MAU, read from two job outputs with DuckDB (no Spark).

.venv/bin/python spark-jobs/tools/hll_error.py EXACT_OUT APPROX_OUT
"""

from __future__ import annotations

import sys

import duckdb


def main() -> None:
    if len(sys.argv) != 3:
        print("hll_error: usage: hll_error.py EXACT_OUT APPROX_OUT", file=sys.stderr)
        sys.exit(2)
    exact, approx = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    for table, keys in (("daily", "date"), ("daily_by_segment", "date, country, device_type, subscription_type")):
        for m in ("wau", "mau"):
            row = con.execute(f"""
                WITH e AS (SELECT * FROM read_parquet('{exact}/{table}/*.parquet')),
                     a AS (SELECT * FROM read_parquet('{approx}/{table}/*.parquet')),
                     j AS (SELECT e.{m} AS x, a.{m} AS y FROM e JOIN a USING ({keys}) WHERE e.{m} > 0)
                SELECT count(*), avg(x), avg(abs(y - x) / x), quantile_cont(abs(y - x) / x, 0.99), max(abs(y - x) / x),
                       avg(CASE WHEN x >= 1000 THEN abs(y - x) / x END)
                FROM j""").fetchone()
            assert row is not None  # an aggregate always returns one row
            n, mean_x, mean_err, p99, worst, big = row
            print(
                f"{table}.{m}: rows {n}, mean exact {mean_x:.0f}, mean rel err {mean_err:.4%}, "
                f"p99 {p99:.4%}, max {worst:.4%}, mean rel err where exact >= 1000: "
                f"{'n/a' if big is None else f'{big:.4%}'}"
            )


if __name__ == "__main__":
    main()
